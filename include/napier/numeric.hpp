// Evaluation of an Expr at a real point with CLN floats at high precision, with real-domain semantics:
// log of a non-positive number, sqrt of a negative one, division by zero, asin outside [-1, 1], or an
// even root of a negative base are *undefined* (no value), never complex. (-8)^(1/3) is -2.
#pragma once

#include <cln/real.h>

#include <map>
#include <optional>
#include <string>

#include "napier/expr.hpp"

namespace napier {

using Point = std::map<std::string, cln::cl_RA, std::less<>>;

struct EvalOptions {
  int digits = 60;  // working precision in decimal digits
  // (-8)^(1/3) = -2, the real root. Off, a negative base with a fractional exponent has no value: GiNaC
  // rewrites such powers by complex-branch identities, so comparisons with its answers skip those points.
  bool real_odd_roots = true;
};

// The value of e at `point`, or nullopt where e is undefined in the reals (or holds a symbol that the point
// does not assign, an unevaluated derivative, or a function napier cannot evaluate).
std::optional<cln::cl_R> evaluate(Expr e, const Point& point, const EvalOptions& options = {});

// The same; *beyond_range is set when there is no value because a number grew past what is evaluated
// (exp of more than 10^6, an integer power above 2^40), not because the expression is undefined there.
std::optional<cln::cl_R> evaluate(Expr e, const Point& point, const EvalOptions& options, bool* beyond_range);

// What an evaluation met on the way, for judging how far its value can be trusted.
struct EvalReport {
  bool beyond_range = false;  // as above
  // The largest magnitude of any term that entered a sum: a sum's absolute error is about this times
  // 10^-digits, so a value much smaller than it (A + s - A with A = 16^(pi^11), where s is absorbed) has no
  // correct digit left.
  cln::cl_R largest_term = 0;
  // A tan (or the sin or cos under a sec, csc or cot) met an argument within 10^-(digits/2) of a pole (tan(asin(1))): there is no value,
  // and the point says nothing about an identity (rounding decided whether it is a pole or a huge number).
  bool near_pole = false;
  // A function napier has no value for was met (a user's function known only by its derivative): "no value"
  // then says nothing of where the expression is defined.
  bool unknown_function = false;
};
std::optional<cln::cl_R> evaluate(Expr e, const Point& point, const EvalOptions& options, EvalReport& report);

// The exact value of e at a rational point when e is a rational function there (numbers, symbols, +, *, /,
// integer powers): 10^(-45)*x + x^2 at x = 1 is 1 + 10^-45 exactly. nullopt otherwise (a call, a constant, a
// root, a division by zero, a value of more than 65536 bits).
std::optional<cln::cl_RA> evaluate_exact(Expr e, const Point& point);

// A short human form of a value: an exact small fraction when the float is one to working precision,
// else 12 significant digits.
std::string describe_value(const cln::cl_R& value);
// The same for a value known to `digits` digits, as a counterexample prints it: a fraction only when the value
// is that fraction to all but 20 of its digits; a value that is near a small fraction but not it is the fraction
// and the offset, "1 - 2.76779535347e-88" (tanh(101) against 1), so that two different values never print alike.
std::string describe_value(const cln::cl_R& value, int digits);
// An exact rational as the input syntax writes it: 3, -1/2.
std::string rational_text(const cln::cl_RA& value);

}  // namespace napier
