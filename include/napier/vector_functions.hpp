// Vector functions, whose components are written f(x1, ..., xn)[i]. Their definitions range over a variable
// number of arguments, which the rule language cannot state yet, so they live here:
//   softmax(x1, ..., xn)[i] = exp(xi)/(exp(x1) + ... + exp(xn))
// Both directions are steps of a derivation: the definition (derive phase) and the fold back (textbook).
#pragma once

#include <optional>

#include "napier/expr.hpp"

namespace napier {

// softmax(x1..xn)[i] with an integer i in 1..n -> exp(xi)/(exp(x1) + ... + exp(xn)).
std::optional<Expr> expand_component(Expr index_node);

// [f1, ..., fn][i] with an integer i in 1..n -> fi: a component of a vector written out element by element.
std::optional<Expr> list_component(Expr index_node);

// exp(xi)/(exp(x1) + ... + exp(xn)) -> softmax(x1..xn)[i], for n >= 2.
std::optional<Expr> fold_component(Expr e);

}  // namespace napier
