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

}  // namespace napier
