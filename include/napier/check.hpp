// Is L = R an identity over the reals? First symbolically (GiNaC: normal(L - R) == 0 after writing
// exp(a + b) as exp(a)*exp(b) and exp(-a) as 1/exp(a)), else numerically at real points with CLN at high
// precision. A disagreement at a point where both sides are defined refutes the identity; points where a
// side is undefined in the reals are skipped and counted.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "napier/expr.hpp"
#include "napier/numeric.hpp"

namespace napier {

enum class How {
  Proved,     // GiNaC's normal form of L - R is 0
  Numeric,    // equal at every tested point (at least CheckOptions::points of them)
  Refuted,    // different at a point where both sides are defined, or L defined and R not (see
              // CheckOptions::left_domain_in_right), or L - R a nonzero number: see counterexample
  Undecided,  // too few points where both sides are defined (or neither proof nor test could run)
};

struct Counterexample {
  Point point;
  std::string lhs_value, rhs_value;  // "undefined" where a side has no real value
};

struct CheckResult {
  bool holds = false;
  How how = How::Undecided;
  std::optional<Counterexample> counterexample;
  int points_agreed = 0;
  int points_skipped = 0;  // a side undefined there
  std::string note;        // why Undecided, or what GiNaC said
  // For an expression of symbolic length (indexed.hpp), which instances were checked ("n = 2..4, i, j =
  // 1..n: 29 instances"), or the instance that failed; empty otherwise.
  std::string instantiated;
};

struct CheckOptions {
  int points = 20;         // agreeing points needed for "numeric"
  int max_attempts = 400;  // points tried at most
  int digits = 60;         // working precision
  bool try_symbolic = true;
  // L = R read as "L can be rewritten as R": a point where L is defined and R is not refutes it
  // (log(x^2) = 2*log(x) at x = -1). Off for comparing two derivatives, whose domains may legitimately
  // differ at removable singularities.
  bool left_domain_in_right = true;
  bool real_odd_roots = true;  // see EvalOptions; off when comparing with GiNaC's derivative
  // Rewrites user-defined functions into their definitions before GiNaC or numbers see them.
  std::function<Expr(Expr)> expand_definitions;
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
// One line: "proved (GiNaC: normal(L - R) = 0)", "numeric (equal at 20 points, 3 skipped)",
// "refuted at x = -1 (sqrt(x^2) = 1, x = -1)".
std::string describe(const CheckResult& result, Expr lhs, Expr rhs);
std::string describe_point(const Point& point);

}  // namespace napier
