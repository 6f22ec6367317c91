#include "primitives.hpp"

#include "napier/special_values.hpp"

#include <cln/float.h>
#include <cln/real.h>
#include <ginac/ginac.h>

#include <algorithm>

namespace napier {
namespace {

using cln::cl_F;
using Args = std::vector<cl_F>;
using GArgs = std::vector<GiNaC::ex>;
using Value = std::optional<cl_F>;

Value sqrt_value(const Args& a, RealEnvironment&) {
  if (cln::minusp(a[0])) return std::nullopt;
  return cln::sqrt(a[0]);
}

Value log_value(const Args& a, RealEnvironment& env) {
  if (!cln::plusp(a[0])) return std::nullopt;
  if (a.size() == 1) return cln::ln(a[0]);
  if (!cln::plusp(a[1]) || a[1] == env.fl(1)) return std::nullopt;  // log(x, b): no base 1 or below 0
  return cln::ln(a[0]) / cln::ln(a[1]);
}

Value sin_value(const Args& a, RealEnvironment& env) {
  if (env.past_periodic_range(a[0])) return std::nullopt;
  return cln::sin(a[0]);
}

Value cos_value(const Args& a, RealEnvironment& env) {
  if (env.past_periodic_range(a[0])) return std::nullopt;
  return cln::cos(a[0]);
}

// tan = sin/cos, with the poles (cos = 0) undefined even where rounding moved them off.
Value tan_value(const Args& a, RealEnvironment& env) {
  if (env.past_periodic_range(a[0])) return std::nullopt;
  const cl_F c = cln::cos(a[0]);
  if (env.at_pole(c)) return std::nullopt;
  return cln::sin(a[0]) / c;
}

// asin x = atan(x / sqrt(1 - x^2)) on (-1, 1), +-pi/2 at +-1; acos x = pi/2 - asin x.
Value asin_value(const Args& a, RealEnvironment& env) {
  const cl_F one = env.fl(1);
  if (cln::abs(a[0]) > one) return std::nullopt;
  const cl_F half_pi = cln::pi(env.fl(0)) / 2;
  if (cln::abs(a[0]) == one) return cln::plusp(a[0]) ? half_pi : -half_pi;
  return cln::atan(a[0] / cln::sqrt(one - a[0] * a[0]));
}

Value acos_value(const Args& a, RealEnvironment& env) {
  Value s = asin_value(a, env);
  if (!s) return std::nullopt;
  return cln::pi(env.fl(0)) / 2 - *s;
}

Value sinh_value(const Args& a, RealEnvironment& env) {
  if (env.past_exponential_range(a[0])) return std::nullopt;
  return cln::sinh(a[0]);
}

Value cosh_value(const Args& a, RealEnvironment& env) {
  if (env.past_exponential_range(a[0])) return std::nullopt;
  return cln::cosh(a[0]);
}

// asinh x = sign(x) log(|x| + sqrt(x^2 + 1)): the sign taken out so that a large negative x does not cancel.
Value asinh_value(const Args& a, RealEnvironment& env) {
  const cl_F m = cln::abs(a[0]);
  const cl_F v = cln::ln(m + cln::sqrt(m * m + env.fl(1)));
  return cln::minusp(a[0]) ? -v : v;
}

// acosh x = log(x + sqrt(x^2 - 1)) for x >= 1.
Value acosh_value(const Args& a, RealEnvironment& env) {
  if (a[0] < env.fl(1)) return std::nullopt;
  return cln::ln(a[0] + cln::sqrt(a[0] * a[0] - env.fl(1)));
}

// atanh x = log((1 + x)/(1 - x))/2 for |x| < 1.
Value atanh_value(const Args& a, RealEnvironment& env) {
  const cl_F one = env.fl(1);
  if (cln::abs(a[0]) >= one) return std::nullopt;
  return cln::ln((one + a[0]) / (one - a[0])) / 2;
}

// The special functions GiNaC has no counterpart for: Arb's certified value (special_values.hpp). GiNaC
// knows each by name only, with its derivative from its record in rules/30-functions.rules.
template <const char* Name>
Value special(const Args& a, RealEnvironment& env) {
  return special_value(Name, a, env.digits());
}
constexpr char kErf[] = "erf", kErfc[] = "erfc", kErfi[] = "erfi", kLambertW[] = "lambertw";

GiNaC::ex ginac_log(const GArgs& a) { return a.size() == 1 ? GiNaC::log(a[0]) : GiNaC::log(a[0]) / GiNaC::log(a[1]); }

const std::vector<Primitive> kPrimitives = {
    {"exp", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::exp(a[0]); },
     [](const Args& a, RealEnvironment& env) -> Value { return env.exp_checked(a[0]); }, "\\exp"},
    // log(x) natural, log(x, b) base b
    {"log", 1, 2, ginac_log, log_value, "\\log"},
    {"sqrt", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::sqrt(a[0]); }, sqrt_value, ""},
    {"abs", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::abs(a[0]); },
     [](const Args& a, RealEnvironment&) -> Value { return cln::abs(a[0]); }, ""},
    {"sin", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::sin(a[0]); }, sin_value, "\\sin"},
    {"cos", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::cos(a[0]); }, cos_value, "\\cos"},
    {"tan", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::tan(a[0]); }, tan_value, "\\tan"},
    {"asin", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::asin(a[0]); }, asin_value, "\\arcsin"},
    {"acos", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::acos(a[0]); }, acos_value, "\\arccos"},
    {"atan", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::atan(a[0]); },
     [](const Args& a, RealEnvironment&) -> Value { return cln::atan(a[0]); }, "\\arctan"},
    {"sinh", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::sinh(a[0]); }, sinh_value, "\\sinh"},
    {"cosh", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::cosh(a[0]); }, cosh_value, "\\cosh"},
    {"tanh", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::tanh(a[0]); },
     [](const Args& a, RealEnvironment&) -> Value { return cln::tanh(a[0]); }, "\\tanh"},
    {"asinh", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::asinh(a[0]); }, asinh_value, "\\operatorname{arsinh}"},
    {"acosh", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::acosh(a[0]); }, acosh_value, "\\operatorname{arcosh}"},
    {"atanh", 1, 1, [](const GArgs& a) -> GiNaC::ex { return GiNaC::atanh(a[0]); }, atanh_value, "\\operatorname{artanh}"},
    {"erf", 1, 1, nullptr, special<kErf>, "\\operatorname{erf}"},
    {"erfc", 1, 1, nullptr, special<kErfc>, "\\operatorname{erfc}"},
    {"erfi", 1, 1, nullptr, special<kErfi>, "\\operatorname{erfi}"},
    {"lambertw", 1, 1, nullptr, special<kLambertW>, "W"},
};

}  // namespace

const std::vector<Primitive>& primitives() { return kPrimitives; }

const Primitive* primitive(std::string_view name) {
  auto it = std::find_if(kPrimitives.begin(), kPrimitives.end(), [&](const Primitive& p) { return p.name == name; });
  return it == kPrimitives.end() ? nullptr : &*it;
}

}  // namespace napier
