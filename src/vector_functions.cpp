#include "napier/vector_functions.hpp"

#include "interner.hpp"
#include "node_map.hpp"

namespace napier {

std::optional<Expr> expand_component(Expr node) {
  if (!node.is(Kind::Index) || !node[0].is_call("softmax")) return std::nullopt;
  const std::optional<long> i = node[1].small_integer();
  const Expr v = node[0];
  if (!i || *i < 1 || static_cast<std::size_t>(*i) > v.size()) return std::nullopt;
  // The denominator is the same for every component: built once per vector, not once per entry of a
  // Jacobian (each build hashes and compares n terms). Nodes are never freed, so the key stays valid.
  auto build = [&] {
    std::vector<Expr> terms;
    for (Expr x : v.args()) terms.push_back(call("exp", {x}));
    return add(std::move(terms));
  };
  const Expr numerator = call("exp", {v[static_cast<std::size_t>(*i - 1)]});
  if (v.is_draft()) return div(numerator, build());  // not kept: a draft's memory is reused
  thread_local NodeMap<Expr> denominators;
  const Expr* denominator = denominators.find(v.node());
  if (denominator == nullptr) {
    detail::Undrafted interned;  // kept past a Drafting: built of v's (interned) terms, interned itself
    denominators.emplace(v.node(), build());
    denominator = denominators.find(v.node());
  }
  return div(numerator, *denominator);
}

bool has_components(Expr e, const FunctionTable& functions) {
  switch (e.kind()) {
    case Kind::Symbol:
    case Kind::Vector: return true;
    case Kind::Call: {
      const FunctionInfo* info = functions.find(e.name());
      return info != nullptr && info->is_vector;
    }
    case Kind::Index: {
      if (std::optional<Expr> element = list_component(e)) return has_components(*element, functions);
      return e[0].is(Kind::Symbol) || e[0].is(Kind::Index);
    }
    case Kind::Number:
    case Kind::Constant:
    case Kind::Add:
    case Kind::Mul:
    case Kind::Div:
    case Kind::Pow:
    case Kind::Derivative:
    case Kind::Equation: return false;
  }
  return false;
}

std::optional<Expr> list_component(Expr node) {
  if (!node.is(Kind::Index) || !node[0].is(Kind::Vector)) return std::nullopt;
  const std::optional<long> i = node[1].small_integer();
  if (!i || *i < 1 || static_cast<std::size_t>(*i) > node[0].size()) return std::nullopt;
  return node[0][static_cast<std::size_t>(*i - 1)];
}

namespace {

std::optional<Expr> fold_component_once(Expr e) {
  if (!e.is(Kind::Div) || !e[0].is_call("exp") || !e[1].is(Kind::Add)) return std::nullopt;
  std::vector<Expr> arguments;
  std::optional<std::size_t> position;
  for (Expr term : e[1].args()) {
    if (!term.is_call("exp")) return std::nullopt;
    if (term == e[0] && !position) position = arguments.size() + 1;
    arguments.push_back(term[0]);
  }
  if (!position) return std::nullopt;
  return index(call("softmax", arguments), num(static_cast<long>(*position)));
}

}  // namespace

std::optional<Expr> fold_component(Expr e) {
  // Every entry of a row of the softmax Jacobian folds the same exp(x_i)/sum node: the answer (built from
  // all n terms of the sum) is kept per node for the thread; a null Expr records "does not fold".
  if (detail::active_drafts != nullptr) return fold_component_once(e);  // not kept: it may be a draft
  thread_local NodeMap<Expr> known;
  if (const Expr* found = known.find(e.node())) return found->is_null() ? std::nullopt : std::optional<Expr>(*found);
  std::optional<Expr> folded = fold_component_once(e);
  known.emplace(e.node(), folded.value_or(Expr()));
  return folded;
}

}  // namespace napier
