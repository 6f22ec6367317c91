// The two other methods of source document 000 §5.4, built as derivation documents (document.hpp):
//   inverse  y = f(x), so x = g(y) with g the inverse of f (an `inverse` record of the rule files);
//            dx/dy = g'(y); dy/dx = 1/(dx/dy) (the inverse-function rule, where dx/dy != 0); y written
//            back as f(x).
//   logdiff  log(y) = log(f(x)) (where y > 0), written out by the logarithm rules (log(u^v) = v*log(u),
//            ...); both sides differentiated: (1/y)*dy/dx = L'(x); dy/dx = y*L'(x); y written back.
// Each line is an Equation block with the rule that gives it and the claim verify proves; the derivatives
// inside are Chain blocks. A method's answer is the document's result: where the method does not give the
// derivative on the whole domain (the inverse y^(1/2) of x^2 returns |x|), the method is refused.
#pragma once

#include "napier/diagnostic.hpp"
#include "napier/document.hpp"
#include "napier/rules.hpp"

namespace napier {

enum class Method { Auto, Direct, Inverse, Logdiff };

// Which method `auto` picks for f: logdiff for a variable base with a variable exponent, else direct.
Method choose_method(Expr f, Expr x);

Result<Explanation> derive_by_inverse(Expr f, Expr x, const RuleSet& rules);
Result<Explanation> derive_by_logdiff(Expr f, Expr x, const RuleSet& rules);

}  // namespace napier
