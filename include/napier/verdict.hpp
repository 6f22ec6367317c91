// One verdict policy: how a derivative napier derived is compared with GiNaC's, the same for every command
// (diff, diff --wrt x,y, grad, jacobian, hessian, the methods), so that one entry gets one verdict.
#pragma once

#include <functional>
#include <vector>

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
// Bounded by the deadline (bounded_check below).
CheckResult check_derivative_value(Expr value, Expr target, Expr f, CheckOptions options);
// The options check_derivative_value compares with, for checks run in bulk (bounded_checks).
CheckOptions derivative_options(Expr f, CheckOptions options);

// Checks that give up at the deadline: `work(prove)` computes `count` verdicts, trying GiNaC's proof first
// when `prove` is true (CheckOptions::try_symbolic) and the numeric test alone when it is false. When
// abandonable work is on (bounded.hpp) and a deadline is set (set_deadline), it runs in a child process:
// first with the proof, given two thirds of the time left; if that does not finish (normal() of a sum of
// 300 products of 299 factors takes minutes), then numerically, in the rest of the time, each verdict's note
// saying that the proof did not finish. A reserve is kept for printing the answer; a check that does not
// finish at all is Undecided with the note "unchecked: time limit". Without a deadline it runs here.
using CheckWork = std::function<std::vector<CheckResult>(bool prove)>;
std::vector<CheckResult> bounded_checks(std::size_t count, const CheckWork& work);
CheckResult bounded_check(const std::function<CheckResult(bool prove)>& work);

// The verdict of a check that did not finish in time.
CheckResult unchecked_time_limit();

}  // namespace napier
