// One verdict policy: how a derivative napier derived is compared with GiNaC's, the same for every command
// (diff, diff --wrt x,y, grad, jacobian, hessian, the methods), so that one entry gets one verdict.
#pragma once

#include "napier/check.hpp"
#include "napier/let.hpp"
#include "napier/rules.hpp"

namespace napier {

// Check options whose definitions expander knows the rule set's user functions and the --let names (a
// folded result such as (h - y)*x1 is checked as what it stands for).
CheckOptions checking_options(const RuleSet& rules, const LetBindings& lets = {});

// Is `value` the derivative `target` (an unevaluated diff(...diff(f, x)..., y))? Two derivatives may
// differ at removable singularities, GiNaC's may use complex-branch identities, and a derivative says
// nothing where f has no real value: points there are skipped (abs(x^(3/2))^2 at x = -1).
CheckResult check_derivative_value(Expr value, Expr target, Expr f, CheckOptions options);

}  // namespace napier
