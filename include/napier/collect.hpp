// Sums of products seen as polynomials over atoms: the algebra behind two textbook moves, "expand and
// collect like terms" and "factor out the common factor". The rule files call them as expand(E) and
// factor_common(E) in a replacement (docs/rules.md); a rule only fires when the result differs, and these
// return their input unchanged when the move does not make it shorter.
//
// An atom is anything that is not a sum, a product, a number, or a power with a small integer exponent:
// sigmoid(w*x + b), sqrt(x), a/b with b not a number. Atoms are compared as nodes (hash-consing makes that
// exact): y*h and h*y are like terms, h and h^2 are not.
#pragma once

#include <cstddef>

#include "napier/expr.hpp"

namespace napier {

struct ExpansionLimits {
  std::size_t max_terms = 256;  // terms of any intermediate sum (a product of sums grows multiplicatively)
  long max_power = 6;           // (a + b)^k is multiplied out for 2 <= k <= max_power only
};

// e multiplied out (products of sums, small integer powers of sums) with like terms collected: terms keep
// the order in which they first appear, those with a positive coefficient first (-y + h is written h - y).
// Returned only when its printed tree is smaller than e's; otherwise, or past the limits, e itself.
Expr expand_and_collect(Expr e, const ExpansionLimits& limits = {});

// A sum whose terms all share factors, written as (sum of what is left) * common factors:
// a*x + b*x = (a + b)*x, x^2*exp(x) + 2*x*exp(x) = (x + 2)*x*exp(x). Numbers are not factored out.
// e itself when e is not a sum or its terms share nothing.
Expr factor_common(Expr e);

// A product whose equal factors are written as one power: x*x*x = x^3, u*v*u^2 = u^3*v (bases compared as
// nodes; a factor u^k with k an integer from 2 counts as k factors u; numbers are left as they are). The
// factors keep the order of their first appearance. e itself when no base occurs twice: the product rule on
// n equal factors builds n terms of n factors each, the power rule one term.
Expr collect_powers(Expr e);

// The product rule for n factors at once: d/dx(u1*u2*...*un) = u1'*u2*...*un + u1*u2'*...*un + ... +
// u1*u2*...*un', one term per factor that depends on x, the derivative d/dx(ui) written in ui's place (an
// unevaluated diff node, left for the differentiator). Flat, as textbooks write (fgh)' = f'gh + fg'h + fgh':
// the two-factor rule applied n - 1 times nests the terms n deep, and the simplifier then multiplies out
// the innermost ones (numbers of 20 digits in the derivative of (x + 1)*...*(x + 300)). 0 when no factor
// depends on x; p's derivative itself when p is not a product.
Expr derive_each_factor(Expr p, Expr x);

}  // namespace napier
