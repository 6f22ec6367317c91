// The exact value of an expression at a point (x = 0, x = 1/2, x = pi): GiNaC substitutes and evaluates
// exactly (sigmoid(0)*(1 - sigmoid(0)) is 1/4). A point where the expression is undefined over the reals
// (a pole, log of a non-positive number) is an error, not a value.
#pragma once

#include <map>
#include <string>

#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"
#include "napier/known_derivative.hpp"

namespace napier {

using ExactPoint = std::map<std::string, Expr, std::less<>>;  // name -> closed expression (no symbols)

// `known_by_derivative`: the functions GiNaC knows by name only (a user's W); none given: the shipped ones (erf).
// The value of such a function at a point is left as it is (W(1)), or given by a value record (W(0) = 0) once
// the caller simplifies.
Result<Expr> evaluate_exact(Expr e, const ExactPoint& point, const DerivativeLookup& known_by_derivative = {});

}  // namespace napier
