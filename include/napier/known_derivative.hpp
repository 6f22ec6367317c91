// A function known only by its derivative (a rule file's `derivative erf(t) := ...` with no definition), as
// the checker sees it: GiNaC knows it by name, and d/dt f(t) from the record (ginac_bridge.hpp).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "napier/expr.hpp"

namespace napier {

// d/dt f(t): the record's parameter t and body.
struct KnownDerivative {
  Expr parameter, body;
};
using DerivativeLookup = std::function<std::optional<KnownDerivative>(const std::string& name)>;

}  // namespace napier
