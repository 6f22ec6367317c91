#include "napier/let.hpp"

#include <algorithm>
#include <optional>

namespace napier {
namespace {

// The value bound to `name`, or nothing.
std::optional<Expr> value_of(const std::vector<std::pair<Expr, Expr>>& bindings, Expr name) {
  for (const auto& [n, v] : bindings) {
    if (n == name) return v;
  }
  return std::nullopt;
}

// A sum that holds every term of `value` (a sum) among its own, in any order, with those terms replaced by
// `name` where the first of them stood: with h = w*x + b, w*x + b - y is h - y.
Expr fold_inside_sums(Expr e, Expr value, Expr name) {
  return transform(e, nullptr, [&](Expr node) {
    if (!node.is(Kind::Add) || node.size() <= value.size()) return node;
    std::vector<Expr> rest(node.args().begin(), node.args().end());
    std::optional<std::size_t> first;
    for (Expr term : value.args()) {
      auto it = std::find(rest.begin(), rest.end(), term);
      if (it == rest.end()) return node;
      const std::size_t at = static_cast<std::size_t>(it - rest.begin());
      first = first ? std::min(*first, at) : at;
      *it = Expr();  // taken; erased below, so that a repeated term is matched once per occurrence
    }
    std::vector<Expr> terms;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (i == *first) terms.push_back(name);
      if (!rest[i].is_null()) terms.push_back(rest[i]);
    }
    return add(terms);
  });
}

}  // namespace

Result<bool> LetBindings::add(Expr name, Expr value) {
  if (!name.is(Kind::Symbol)) return Diagnostic{"the left side of a definition must be a name"};
  if (value_of(bindings_, name)) return Diagnostic{"'" + name.name() + "' is already defined"};
  // A cycle would make expand() endless: follow the names inside the value.
  std::vector<Expr> pending{value};
  std::vector<Expr> seen;
  while (!pending.empty()) {
    const Expr e = pending.back();
    pending.pop_back();
    for (Expr s : free_symbols(e)) {
      if (s == name) {
        return Diagnostic{"'" + name.name() + "' is defined in terms of itself" +
                          (e == value ? std::string() : " (through another definition)")};
      }
      if (std::find(seen.begin(), seen.end(), s) != seen.end()) continue;
      seen.push_back(s);
      if (std::optional<Expr> inner = value_of(bindings_, s)) pending.push_back(*inner);
    }
  }
  bindings_.emplace_back(name, value);
  // What fold() looks for, worked out once: every value written out (a later name may appear in an earlier
  // value), largest first, names and numbers left out.
  folds_.clear();
  for (const auto& [n, v] : bindings_) {
    const Expr written_out = expand(v);
    if (!written_out.is(Kind::Symbol) && !written_out.is_number()) folds_.emplace_back(written_out, n);
  }
  std::stable_sort(folds_.begin(), folds_.end(), [](const auto& a, const auto& b) {
    return tree_size(a.first, 1u << 20) > tree_size(b.first, 1u << 20);
  });
  return true;
}

Expr LetBindings::expand(Expr e) const {
  // Acyclic (add() makes sure), so repeating until nothing changes ends after at most one pass per name.
  for (std::size_t pass = 0; pass <= bindings_.size(); ++pass) {
    Expr next = e;
    for (const auto& [name, value] : bindings_) next = replace_all(next, name, value);
    if (next == e) return e;
    e = next;
  }
  return e;
}

Expr LetBindings::fold(Expr e) const {
  for (const auto& [value, name] : folds_) {
    e = replace_all(e, value, name);
    if (value.is(Kind::Add)) e = fold_inside_sums(e, value, name);
  }
  return e;
}

Derivation LetBindings::fold(const Derivation& d) const {
  if (empty()) return d;
  Derivation out = d;
  out.input = fold(d.input);
  out.start = fold(d.start);
  out.result = fold(d.result);
  for (Step& s : out.steps) {
    s.before = fold(s.before);
    s.after = fold(s.after);
    s.redex = fold(s.redex);
    s.contractum = fold(s.contractum);
    for (auto& [variable, value] : s.bindings) value = fold(value);
  }
  return out;
}

}  // namespace napier
