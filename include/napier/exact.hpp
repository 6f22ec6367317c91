// The exact value of an expression at a point (x = 0, x = 1/2, x = pi): GiNaC substitutes and evaluates
// exactly (sigmoid(0)*(1 - sigmoid(0)) is 1/4). A point where the expression is undefined over the reals
// (a pole, log of a non-positive number) is an error, not a value.
#pragma once

#include <map>
#include <string>

#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"

namespace napier {

using ExactPoint = std::map<std::string, Expr, std::less<>>;  // name -> closed expression (no symbols)

Result<Expr> evaluate_exact(Expr e, const ExactPoint& point);

}  // namespace napier
