#include "napier/vector_functions.hpp"

namespace napier {

std::optional<Expr> expand_component(Expr node) {
  if (!node.is(Kind::Index) || !node[0].is_call("softmax")) return std::nullopt;
  const std::optional<long> i = node[1].small_integer();
  const Expr v = node[0];
  if (!i || *i < 1 || static_cast<std::size_t>(*i) > v.size()) return std::nullopt;
  std::vector<Expr> terms;
  for (Expr x : v.args()) terms.push_back(call("exp", {x}));
  return div(call("exp", {v[static_cast<std::size_t>(*i - 1)]}), add(terms));
}

std::optional<Expr> fold_component(Expr e) {
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

}  // namespace napier
