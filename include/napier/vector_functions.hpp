// Vector functions, whose components are written f(x1, ..., xn)[i]. Their definitions range over a variable
// number of arguments, which the rule language cannot state yet, so they live here:
//   softmax(x1, ..., xn)[i] = exp(xi)/(exp(x1) + ... + exp(xn))
// Both directions are steps of a derivation: the definition (derive phase) and the fold back (textbook).
#pragma once

#include <optional>

#include "napier/expr.hpp"
#include "napier/functions.hpp"

namespace napier {

// softmax(x1..xn)[i] with an integer i in 1..n -> exp(xi)/(exp(x1) + ... + exp(xn)).
std::optional<Expr> expand_component(Expr index_node);

// Has `e` components to index (the parser's test before a '[')? A name (x[k], of symbolic length), a list,
// the call of a vector function (softmax), and a component of those that may be a vector itself (x[i][j],
// [[a, b]][1][2]). Anything else is a scalar: sin(x)[1] would reach the differentiator as a node no rule
// knows.
bool has_components(Expr e, const FunctionTable& functions);

// [f1, ..., fn][i] with an integer i in 1..n -> fi: a component of a vector written out element by element.
std::optional<Expr> list_component(Expr index_node);

// exp(xi)/(exp(x1) + ... + exp(xn)) -> softmax(x1..xn)[i], for n >= 2.
std::optional<Expr> fold_component(Expr e);

}  // namespace napier
