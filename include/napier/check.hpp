// Is L = R an identity over the reals? First symbolically (GiNaC: normal(L - R) == 0 after writing
// exp(a + b) as exp(a)*exp(b) and exp(-a) as 1/exp(a)), then numerically at real points by the standard of
// docs/design.md ("Checking"): points on several scales, each compared at two precisions (a difference that
// stays as the digits grow is nonzero; one that shrinks is rounding), exactly where both sides are rational.
// A point counts only where both sides are defined and real, so the verdict never depends on which side is
// which; points where a side is undefined are skipped and counted.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "napier/expr.hpp"
#include "napier/known_derivative.hpp"
#include "napier/numeric.hpp"

namespace napier {

enum class How {
  Proved,     // GiNaC's normal form of L - R is 0, and no point where both sides are defined refutes it
  Numeric,    // equal at every compared point (at least CheckOptions::points of them, and few undecidable)
  Refuted,    // different at a point where both sides are defined: see counterexample
  Undecided,  // too few points where both sides are defined, too many the digits cannot decide, or neither
              // proof nor test could run (the note says which)
};

struct Counterexample {
  Point point;
  std::string lhs_value, rhs_value;  // both sides are defined there
  std::string difference;            // L - R there: "1/1000000000000000000000000000000000000000000000" exactly, or
                                     // a float "-2.76779535347e-88"
  int digits = 0;                    // the precision the difference was confirmed at; 0: exact rationals
};

struct CheckResult {
  bool holds = false;
  How how = How::Undecided;
  std::optional<Counterexample> counterexample;
  int points_agreed = 0;
  int points_skipped = 0;     // a side undefined (or a number too large to evaluate) there
  int points_unreliable = 0;  // both sides defined, but the digits cannot decide: near a pole, a term
                              // absorbed by a huge one, a difference that changes with the precision
  // Points where exactly one side is defined (counted in points_skipped): the identity is then claimed only
  // where both are, and the verdict says so with the first such point.
  int points_one_sided = 0;
  std::optional<Point> one_sided_example;
  bool one_sided_left = false;  // at one_sided_example the left side is the defined one
  std::string note;             // why Undecided, or what GiNaC said
  // For an expression of symbolic length (indexed.hpp), which instances were checked ("n = 2..4, i, j =
  // 1..n: 29 instances"), or the instance that failed; empty otherwise.
  std::string instantiated;
};

struct CheckOptions {
  int points = 20;         // agreeing points needed for "numeric"
  int max_attempts = 400;  // points tried at most
  int digits = 50;         // the first precision: every point, and the domain test
  int fine_digits = 200;   // the second: each point where both sides are defined; a difference that stays
                           // is confirmed at twice these digits
  // Points compared at both precisions whatever the first says; after them, a point goes on to the second
  // only when the first does not agree to all but 20 of its digits (docs/design.md, "Checking").
  int fine_points = 8;
  bool try_symbolic = true;
  bool real_odd_roots = true;  // see EvalOptions; off when comparing with GiNaC's derivative
  // Rewrites user-defined functions into their definitions before GiNaC or numbers see them.
  std::function<Expr(Expr)> expand_definitions;
  // The functions GiNaC knows only by name, with their derivatives (erf, a user's Lambert W), and a key that
  // names this lookup (the rule set's generation): GiNaC conversions are kept per key.
  DerivativeLookup known_by_derivative;
  std::uint64_t functions_key = 0;
  // When set, points where this expression has no real value are skipped: check_derivative sets it to the
  // function, whose derivative means nothing outside its domain (GiNaC's derivative of abs(x^(3/2))^2 is
  // defined at x = -1, where x^(3/2) is not real).
  Expr only_where_defined;
};

// Either side may hold unevaluated derivatives diff(f, x): GiNaC works them out (for the numeric test, its
// answer is brought back as an Expr). A side of symbolic length (sum, delta, x[k]: has_symbolic_length) is
// checked by check_instantiated instead, GiNaC knowing no symbolic n.
CheckResult check_equal(Expr lhs, Expr rhs, const CheckOptions& options = {});

// Is `result` the derivative of f with respect to var? check_equal(result, diff(f, var)).
CheckResult check_derivative(Expr f, Expr var, Expr result, const CheckOptions& options = {});

std::string how_name(How how);  // "proved", "numeric", "refuted", "undecided"
// One line: "proved (GiNaC: normal(L - R) = 0)", "numeric (equal at 20 points at 50 and 200 digits, 3 skipped
// where a side is undefined)", "refuted at x = -1 (sqrt(x^2) = 1, x = -1)".
std::string describe(const CheckResult& result, Expr lhs, Expr rhs);
std::string describe_point(const Point& point);

}  // namespace napier
