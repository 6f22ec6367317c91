// The numeric half of check_equal: which points are tried, and what one point says about L = R. The standard
// is docs/design.md's "Checking": a point counts only where both sides are defined and real, and a difference
// counts only if it stays as the precision grows.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "napier/expr.hpp"
#include "napier/numeric.hpp"

namespace napier {

// Points to try, the same every run (seeded): simple values first (so that a counterexample reads well:
// x = -1), then every scale (0, +-10^-3, +-10^-6, +-100, +-1000, +-10^6), then, when a power has a variable in
// its exponent, the grid of -1, 2, 1/2, -2/3 over the variables (x = -1, y = 2, z = 1/2: a negative base under
// an exponent that is an integer, or a fraction with an odd or an even denominator), then random rationals.
class PointSource {
 public:
  PointSource(std::vector<std::string> names, bool exponent_grid);

  Point next();
  // How many points come before the random ones: a check tries all of them before it may stop.
  std::size_t planned() const;

 private:
  cln::cl_RA random_value();

  std::vector<std::string> names_;
  std::mt19937 rng_;           // the random rationals
  std::mt19937 combinations_;  // the grid's points past 3 variables (kept apart so that rng_ draws as before)
  std::size_t grid_ = 0;       // points in the exponent grid
  std::size_t attempt_ = 0;
};

// What the two sides are at one point.
enum class Outcome {
  Undefined,   // a side (or the function a derivative belongs to) has no real value, or a number is too large
  OneSided,    // exactly one side has a real value: not compared (the verdict notes it)
  Agree,       // equal exactly, or the difference is within rounding at the finer precision
  Differ,      // both defined, and a difference that stays from the finer precision to twice it
  Unreliable,  // both defined, but the digits cannot decide (near a pole, absorbed, or unstable)
};

struct Judgement {
  Outcome outcome = Outcome::Undefined;
  bool left_defined = false;  // OneSided: which side
  // Differ (and Agree/Differ at the first precision, for a refutation by an exact GiNaC difference):
  std::string lhs_value, rhs_value, difference;
  int digits = 0;  // the precision of the values; 0: exact rationals
};

struct Comparison {
  Expr lhs, rhs;
  Expr domain;  // when set, points where it has no real value are Undefined
  int digits = 50, fine_digits = 200;
  bool real_odd_roots = true;
};

// `fine`: compare at the finer precision even where the first agrees to all but 20 of its digits (check_equal
// asks for it at the first CheckOptions::fine_points points compared, and a difference that the first
// precision resolves is always taken to the finer one).
// Does a power in e have a variable in its exponent (x^y, 2^x)? Then the exponent grid is worth its points.
bool has_variable_exponent(Expr e);

Judgement judge_point(const Comparison& c, const Point& point, bool fine);

}  // namespace napier
