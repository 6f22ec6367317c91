// Which variables a command differentiates by: --wrt as given (a name, a comma list, a component x[j]) or,
// without it, x or the only variable (diff) or every variable in natural order (grad, jacobian, hessian).
// A bad name throws BadInput quoting the option.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "napier/expr.hpp"

namespace napier::cli {

// diff's variable: `wrt` a name or a component x[j] of a vector of symbolic length; empty: x if it occurs,
// else the only free symbol.
Expr choose_variable(Expr f, const std::string& wrt);

// The variables of --wrt as symbols of f. `wrt` none (no --wrt): every free symbol, in natural order (x2
// before x10). Repeats are an error unless `allow_repeats` (a mixed partial d/dx(d/dx f)).
std::vector<Expr> resolve_variables(Expr f, const std::optional<std::string>& wrt, bool allow_repeats);

// The variables of a comma list: "x, y" -> {"x", "y"} (spaces around names are dropped). Nothing when
// `wrt` holds no comma. Throws BadInput for an empty name ("x,,y", "x,") or a name that is not a symbol.
std::optional<std::vector<std::string>> split_variables(const std::string& wrt);

}  // namespace napier::cli
