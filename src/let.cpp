#include "napier/let.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "napier/rewrite.hpp"

namespace napier {
namespace {

// The value bound to `name`, or nothing.
std::optional<Expr> value_of(const std::vector<std::pair<Expr, Expr>>& bindings, Expr name) {
  for (const auto& [n, v] : bindings) {
    if (n == name) return v;
  }
  return std::nullopt;
}

bool is_sum(Expr e) { return e.is_call("sum") && e.size() == 4; }

// transform(e, at, after), except in the body of a sum whose index `shielded` names: the name there is the
// sum's own index, not the outer one, so only the bounds are rewritten (sum(k*x, k, 1, n) with k = 5 keeps
// its k; with h = x[k], x[k] inside sum(..., k, ...) is not h).
Expr outside_shielded_sums(Expr e, const std::function<bool(Expr index)>& shielded,
                           const std::function<std::optional<Expr>(Expr)>& at,
                           const std::function<Expr(Expr)>& after = nullptr) {
  return transform(
      e,
      [&](Expr x) -> std::optional<Expr> {
        if (std::optional<Expr> replaced = at ? at(x) : std::nullopt) return replaced;
        if (!is_sum(x) || !shielded(x[1])) return std::nullopt;
        return call("sum", {x[0], x[1], outside_shielded_sums(x[2], shielded, at, after),
                            outside_shielded_sums(x[3], shielded, at, after)});
      },
      after);
}

// A sum that holds every term of `value` (a sum) among its own, in any order, with those terms replaced by
// `name` where the first of them stood: with h = w*x + b, w*x + b - y is h - y.
Expr fold_inside_sums(Expr e, Expr value, Expr name, const std::function<bool(Expr)>& shielded) {
  return outside_shielded_sums(e, shielded, nullptr, [&](Expr node) {
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
    for (const auto& binding : bindings_) {
      // Named copies, not a structured binding: clang before 16 cannot capture one in a lambda.
      const Expr name = binding.first, value = binding.second;
      next = outside_shielded_sums(next, [&](Expr k) { return k == name; },
                                   [&](Expr x) { return x == name ? std::optional<Expr>(value) : std::nullopt; });
    }
    if (next == e) return e;
    e = next;
  }
  return e;
}

Expr LetBindings::fold(Expr e) const {
  for (const auto& fold : folds_) {
    const Expr value = fold.first, name = fold.second;  // not a structured binding: see expand()
    // Not inside a sum that binds the name (it would be read as the index) or a symbol of the value (there
    // the value's k is the sum's own).
    auto shielded = [&](Expr k) { return k == name || depends_on(value, k); };
    e = outside_shielded_sums(e, shielded, [&](Expr x) { return x == value ? std::optional<Expr>(name) : std::nullopt; });
    if (value.is(Kind::Add)) e = fold_inside_sums(e, value, name, shielded);
  }
  return e;
}

std::optional<LetBindings::Capture> LetBindings::capture_in(Expr e) const {
  // Written out by expand(), a name's value would land inside a sum that binds one of its symbols: the
  // value's k would become the sum's index. Found by walking the sums of e with the indices they bind.
  std::optional<Capture> fault;
  std::vector<std::pair<Expr, std::vector<Expr>>> pending{{e, {}}};
  std::set<std::pair<const Node*, std::vector<const Node*>>> seen;
  while (!pending.empty() && !fault) {
    auto [x, bound] = std::move(pending.back());
    pending.pop_back();
    std::vector<const Node*> key;
    for (Expr b : bound) key.push_back(b.node());
    if (!seen.emplace(x.node(), key).second) continue;
    for (const auto& [name, value] : bindings_) {
      // Inside a sum over the name itself, x is that sum's index: expand() leaves it.
      if (x != name || std::find(bound.begin(), bound.end(), name) != bound.end()) continue;
      const Expr written_out = expand(value);
      for (Expr k : bound) {
        if (depends_on(written_out, k)) {
          fault = Capture{name, "'" + name.name() + "' is used inside a sum over '" + k.name() +
                                    "', which its value holds; rename the sum's index"};
        }
      }
    }
    if (is_sum(x)) {
      std::vector<Expr> inner = bound;
      inner.push_back(x[1]);
      pending.push_back({x[0], std::move(inner)});
      pending.push_back({x[2], bound});
      pending.push_back({x[3], bound});
      continue;
    }
    for (Expr a : x.args()) pending.push_back({a, bound});
  }
  return fault;
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
