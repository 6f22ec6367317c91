// The true primitives: the functions GiNaC, CLN or Arb implement, which napier's checkers evaluate with them.
// One entry per function, as GiNaC registers a function once with its eval, evalf and derivative together
// (REGISTER_FUNCTION): its arity, its GiNaC counterpart, its real value on CLN floats and its LaTeX command.
// Everything else napier knows of a function (derivative, inverse, spelling) is in its record in rules/, and
// every other function (sigmoid, sec, a user's swish) is data: a definition the checkers expand
// (docs/design.md, "Functions as data").
#pragma once

#include <cln/float.h>
#include <cln/real.h>
#include <ginac/ex.h>

#include <optional>
#include <string_view>
#include <vector>

namespace napier {

// What a primitive's real value needs of the evaluator that calls it: its float format and its guards,
// which report through the evaluator (beyond range, near a pole).
class RealEnvironment {
 public:
  virtual ~RealEnvironment() = default;
  virtual cln::cl_F fl(const cln::cl_R& x) const = 0;
  virtual long digits() const = 0;
  // exp(x), or nothing (reported beyond range) when |x| is past what napier evaluates.
  virtual std::optional<cln::cl_F> exp_checked(const cln::cl_F& x) = 0;
  // Is this denominator (the cos under a tan) zero, or rounding noise of a zero? Then the point is a pole.
  virtual bool at_pole(const cln::cl_F& denominator) = 0;
  // Is x too large for a periodic function to be evaluated at this precision (sin(10^1000))? Reported.
  virtual bool past_periodic_range(const cln::cl_F& x) = 0;
  // Is x too large for a function that grows like exp (sinh(10^7))? Reported.
  virtual bool past_exponential_range(const cln::cl_F& x) = 0;
};

struct Primitive {
  std::string_view name;
  int min_arity = 1, max_arity = 1;
  // GiNaC's counterpart. Null where GiNaC has none (erf): GiNaC then knows the function by name only, and its
  // derivative from the function's record (ginac_bridge.hpp).
  GiNaC::ex (*ginac)(const std::vector<GiNaC::ex>& args) = nullptr;
  // The value at real arguments; nothing where the function is not real or not defined.
  std::optional<cln::cl_F> (*real)(const std::vector<cln::cl_F>& args, RealEnvironment& env) = nullptr;
  // Its name as a LaTeX command (\sin); empty: \operatorname{name}, or the record's latex field.
  std::string_view latex;
};

// The primitive of this name (canonical: log, not ln), or null.
const Primitive* primitive(std::string_view name);
const std::vector<Primitive>& primitives();

}  // namespace napier
