// Certified values of special functions at real points: erf, erfc, erfi, lambertw (the principal branch
// W0), gamma, digamma and zeta (Riemann's), each of one real argument, computed with Arb's ball arithmetic.
//
// What the certification means: Arb returns a ball [m +- r] that provably contains the exact value of the
// function at the exact argument (the float's own value, however few bits it has: erf of the double 0.5 is
// erf(1/2)). A value is returned only when that ball is narrow, r <= |m| * 2^-(3.33 * digits) < |m| *
// 10^-digits. What is returned is m rounded once to a long float of at least `digits` digits, so its relative
// error is at most r/|m| plus that rounding: below 2 * 10^-digits, proved, not estimated (not correct
// rounding, though: a value just beside a half-unit of the last digit may come out on either side of it). An
// exact result (erf(0) = 0, zeta(-2) = 0) is returned as it is. No value (nullopt) is not a guess either: the
// function is not real or not defined there (lambertw below -1/e, gamma and digamma at 0, -1, -2, ..., zeta
// at 1), or Arb could not reach the accuracy, or the value is past what a CLN float holds (gamma(10^300)), or
// the name is not one of these functions, or the number of arguments is not one, or digits is not in 1 ..
// 10^6.
#pragma once

#include <cln/float.h>

#include <optional>
#include <string_view>
#include <vector>

namespace napier {

// Whether `name` is one of the functions special_value evaluates (exactly as spelled above, lower case).
bool is_special(std::string_view name);

// The value of the function `name` at `args`, correct to `digits` decimal digits relative to its size, as a
// long float of at least max(digits, 20) digits; nullopt as described above. Thread-safe: Arb's caches are
// per thread, and are freed when the thread ends.
std::optional<cln::cl_F> special_value(std::string_view name, const std::vector<cln::cl_F>& args,
                                       long digits);

}  // namespace napier
