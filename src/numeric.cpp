#include "napier/numeric.hpp"

#include <cln/float.h>
#include <cln/float_io.h>
#include <cln/integer.h>
#include <cln/rational.h>
#include <cln/rational_io.h>
#include <cln/real_io.h>

#include <cmath>
#include <deque>
#include <functional>
#include <sstream>
#include <vector>
#include <unordered_map>

#include "napier/piecewise.hpp"
#include "napier/rules.hpp"
#include "primitives.hpp"

namespace napier {
namespace {

using cln::cl_F;
using cln::cl_R;
using Value = std::optional<cl_F>;

// The values of function calls and softmax components at one point, kept for the thread from one evaluation
// to the next. A check evaluates both sides at the same 20 points (check.cpp's PointSource is seeded), and so
// do the n^2 checks of a Jacobian: softmax(x1..x32)'s took 33 s, nearly all of it CLN's exp of the same
// arguments again (each softmax component is n of them). A value is kept with what its evaluation reported
// (beyond range, the largest term of a sum), which a later evaluation that takes it reports too.
struct Kept {
  Value value;
  bool beyond_range;
  bool near_pole;
  bool unknown_function;
  cl_F largest_term;
};

struct ValuesAtAPoint {
  std::size_t fingerprint;
  Point point;
  int digits;
  bool real_odd_roots;
  std::unordered_map<const Node*, Kept> values;
};

class KeptValues {
 public:
  // The values kept for (point, options): found, or a new (empty) set, which replaces the oldest.
  ValuesAtAPoint& at(const Point& point, const EvalOptions& options) {
    std::size_t fingerprint = std::hash<int>()(options.digits) * 2 + (options.real_odd_roots ? 1 : 0);
    for (const auto& [name, value] : point) {
      fingerprint = (fingerprint * 31 + std::hash<std::string>()(name)) * 31 + cln::equal_hashcode(value);
    }
    for (ValuesAtAPoint& kept : sets_) {
      if (kept.fingerprint == fingerprint && kept.digits == options.digits &&
          kept.real_odd_roots == options.real_odd_roots && kept.point == point) {
        return kept;
      }
    }
    if (sets_.size() < kMaxPoints) return sets_.emplace_back(ValuesAtAPoint{fingerprint, point, options.digits, options.real_odd_roots, {}});
    ValuesAtAPoint& oldest = sets_[next_to_replace_];
    next_to_replace_ = (next_to_replace_ + 1) % kMaxPoints;
    oldest = ValuesAtAPoint{fingerprint, point, options.digits, options.real_odd_roots, {}};
    return oldest;
  }

  // Points (with their precision) kept, and values kept per point: 5 MB at 60 digits, 22 MB at 960.
  static constexpr std::size_t kMaxPoints = 48, kMaxValuesPerPoint = 1024;

 private:
  std::deque<ValuesAtAPoint> sets_;  // in place as it grows: an Evaluator holds a reference
  std::size_t next_to_replace_ = 0;
};

// Exact rational arithmetic on the part of an expression that stays rational at a rational point: numbers,
// symbols, +, -, *, / and integer powers. Anything else (a call, a constant, a root) has no exact value here.
// Bounded: a value past kMaxBits bits (x^(2^30) at x = 3) is left to the floats.
class ExactEvaluator {
 public:
  explicit ExactEvaluator(const Point& point) : point_(point) {}

  std::optional<cln::cl_RA> value(Expr e) {
    if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
    std::optional<cln::cl_RA> v = compute(e);
    if (v && cln::integer_length(cln::numerator(*v)) + cln::integer_length(cln::denominator(*v)) > kMaxBits) v.reset();
    memo_.emplace(e.node(), v);
    return v;
  }

 private:
  static constexpr std::size_t kMaxBits = 1 << 16;

  std::optional<cln::cl_RA> compute(Expr e) {
    switch (e.kind()) {
      case Kind::Number:
        return e.number();
      case Kind::Symbol: {
        auto it = point_.find(e.name());
        if (it == point_.end()) return std::nullopt;
        return it->second;
      }
      case Kind::Add:
      case Kind::Mul: {
        cln::cl_RA total = e.is(Kind::Add) ? 0 : 1;
        for (Expr a : e.args()) {
          const std::optional<cln::cl_RA> v = value(a);
          if (!v) return std::nullopt;
          total = e.is(Kind::Add) ? total + *v : total * *v;
        }
        return total;
      }
      case Kind::Div: {
        const std::optional<cln::cl_RA> n = value(e[0]), d = value(e[1]);
        if (!n || !d || cln::zerop(*d)) return std::nullopt;
        return *n / *d;
      }
      case Kind::Pow: {
        const std::optional<long> k = e[1].small_integer();
        if (!k || *k > 4096 || *k < -4096) return std::nullopt;
        const std::optional<cln::cl_RA> b = value(e[0]);
        if (!b || (cln::zerop(*b) && *k < 0)) return std::nullopt;
        if (cln::integer_length(cln::numerator(*b)) + cln::integer_length(cln::denominator(*b)) >
            kMaxBits / (static_cast<std::size_t>(*k < 0 ? -*k : *k) + 1)) {
          return std::nullopt;
        }
        return cln::expt(*b, cln::cl_I(*k));
      }
      default:
        return std::nullopt;
    }
  }

  const Point& point_;
  std::unordered_map<const Node*, std::optional<cln::cl_RA>> memo_;
};

class Evaluator final : public RealEnvironment {
 public:
  Evaluator(const Point& point, const EvalOptions& options)
      : point_(point),
        format_(cln::float_format(options.digits)),
        digits_(options.digits),
        real_odd_roots_(options.real_odd_roots),
        limit_for_periodic_(cln::cl_float(cln::expt_pos(cln::cl_I(10), options.digits / 2), format_)),
        pole_width_(cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), options.digits / 2), format_)),
        kept_(kept_values().at(point, options)) {}

  Value eval(Expr e) {
    if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
    Value v = (e.is(Kind::Call) || e.is(Kind::Index)) && !e.is_draft() ? eval_kept(e) : compute(e);
    memo_.emplace(e.node(), v);
    return v;
  }

 private:
  cl_F fl(const cl_R& x) const override { return cln::cl_float(x, format_); }
  long digits() const override { return digits_; }
  // sin(10^1000) needs more than 1000 digits to have even its sign right: a periodic function of an
  // argument past half the working digits has no trustworthy value here.
  bool past_periodic_range(const cl_F& x) override {
    if (cln::abs(x) <= limit_for_periodic_) return false;
    beyond_range_ = true;
    return true;
  }
  // Like exp: sinh and cosh past |x| = 10^6 are past what napier evaluates.
  bool past_exponential_range(const cl_F& x) override {
    if (cln::abs(x) <= fl(1000000)) return false;
    beyond_range_ = true;
    return true;
  }
  bool is_zero(const cl_F& x) const { return cln::zerop(x); }

  Value compute(Expr e) {
    switch (e.kind()) {
      case Kind::Number:
        return fl(e.number());
      case Kind::Symbol: {
        auto it = point_.find(e.name());
        if (it == point_.end()) return std::nullopt;
        return fl(it->second);
      }
      case Kind::Constant:
        return e.name() == "pi" ? cln::pi(format_) : cln::exp1(format_);
      case Kind::Add: {
        cl_F total = fl(0);
        for (Expr t : e.args()) {
          Value v = eval(t);
          if (!v) return std::nullopt;
          if (cln::abs(*v) > largest_term_) largest_term_ = cln::abs(*v);
          total = total + *v;
        }
        return total;
      }
      case Kind::Mul: {
        cl_F product = fl(1);
        for (Expr f : e.args()) {
          Value v = eval(f);
          if (!v) return std::nullopt;
          product = product * *v;
        }
        return product;
      }
      case Kind::Div: {
        Value n = eval(e[0]), d = eval(e[1]);
        if (!n || !d || is_zero(*d)) return std::nullopt;
        // sec, csc and cot are defined as 1/cos, 1/sin and cos/sin (rules/40-activations.rules): their poles
        // are the points where the sine or cosine below is zero, to rounding.
        if ((e[1].is_call("sin") || e[1].is_call("cos")) && at_pole(*d)) return std::nullopt;
        return *n / *d;
      }
      case Kind::Pow:
        return power(e[0], e[1]);
      case Kind::Call:
        return function(e);
      case Kind::Index:
        return indexed(e);
      case Kind::Derivative:
      case Kind::Equation:
      case Kind::Vector:
        return std::nullopt;
    }
    return std::nullopt;
  }

  Value power(Expr base_expr, Expr exponent_expr) {
    Value base = eval(base_expr), exponent = eval(exponent_expr);
    if (!base || !exponent) return std::nullopt;
    const cl_F& b = *base;
    // An exact exponent decides the real root: (-8)^(1/3) = -2, (-8)^(1/2) undefined. An exponent that is a
    // rational function of the point's (rational) coordinates is exact too: x^(y*z) at x = -1, y = 2,
    // z = 1/2 is (-1)^1 = -1, a real value that (x^y)^z = 1 must be compared with.
    const std::optional<cln::cl_RA> exact_exponent =
        exponent_expr.is_number() ? std::optional<cln::cl_RA>(exponent_expr.number()) : exact_.value(exponent_expr);
    if (exact_exponent) {
      const cln::cl_RA& q = *exact_exponent;
      const cln::cl_I p = cln::numerator(q), d = cln::denominator(q);
      if (d == 1) {
        if (is_zero(b) && cln::minusp(p)) return std::nullopt;
        if (cln::integer_length(p) > 40) {  // |p| > 2^40: outside what we evaluate
          beyond_range_ = true;
          return std::nullopt;
        }
        return cln::cl_float(cln::expt(b, p), format_);
      }
      if (is_zero(b)) return cln::plusp(q) ? Value(fl(0)) : std::nullopt;
      if (cln::minusp(b)) {
        if (cln::evenp(d) || !real_odd_roots_) return std::nullopt;
        Value magnitude = exp_checked(fl(q) * cln::ln(-b));
        if (!magnitude) return std::nullopt;
        return cln::oddp(p) ? Value(-*magnitude) : magnitude;
      }
      return exp_checked(fl(q) * cln::ln(b));
    }
    const cl_F& x = *exponent;
    if (cln::plusp(b)) return exp_checked(x * cln::ln(b));
    if (is_zero(b)) return cln::plusp(x) ? Value(fl(0)) : std::nullopt;
    return std::nullopt;  // a negative base with an inexact exponent has no real value
  }

  // Is the cos under a tan (or the cos or sin that sec, csc and cot divide by) zero to half the working digits? Then the argument is
  // a pole (tan(asin(1)) = tan(pi/2)) that rounding moved off by 10^-digits, and the value is rounding noise
  // of size 10^digits: no value, and the point is reported as near a pole (not "undefined": it may be a
  // huge but real value). Exactly zero is plainly undefined.
  bool at_pole(const cl_F& denominator) override {
    if (is_zero(denominator)) return true;
    if (cln::abs(denominator) < pole_width_) {
      near_pole_ = true;
      return true;
    }
    return false;
  }

  // exp that refuses arguments whose result would not fit a float (an absurd exponent is "undefined").
  Value exp_checked(const cl_F& x) override {
    if (cln::abs(x) > fl(1000000)) {
      beyond_range_ = true;
      return std::nullopt;
    }
    return cln::exp(x);
  }

  Value function(Expr e) {
    if (e.is_call("if")) {  // piecewise.hpp: the piece whose condition holds here
      std::optional<bool> holds = condition(e[0]);
      if (!holds) return std::nullopt;
      return eval(*holds ? e[1] : e[2]);
    }
    const Primitive* p = primitive(e.name());
    if (p == nullptr) {
      // A function of the shipped rules (sigmoid, sec): its definition's value. A user's functions are
      // expanded before evaluation; softmax without an index has no value.
      const RuleSet& shipped = RuleSet::shipped();
      if (const Definition* d = shipped.definition(e.name())) return eval(shipped.expand_call(e, *d));
      unknown_function_ = unknown_function_ || FunctionTable::builtin().find(e.name()) == nullptr;
      return std::nullopt;
    }
    if (p->real == nullptr) return std::nullopt;
    std::vector<cl_F> a;
    for (Expr arg : e.args()) {
      Value v = eval(arg);
      if (!v) return std::nullopt;
      a.push_back(*v);
    }
    return p->real(a, *this);
  }

  // A condition at this point. Exactly where both sides of a comparison are rational here; otherwise by their
  // floats, except within rounding of the boundary (|u - v| below 10^-(digits/2) of their size), where the
  // side is not known and the point is reported as near a pole (it says nothing of an identity).
  std::optional<bool> condition(Expr c) {
    if (c.is_call("and")) {
      std::optional<bool> p = condition(c[0]);
      if (!p) return std::nullopt;
      if (!*p) return false;
      return condition(c[1]);
    }
    if (!is_comparison(c)) return std::nullopt;
    int sign = 0;
    const std::optional<cln::cl_RA> eu = exact_.value(c[0]), ev = exact_.value(c[1]);
    if (eu && ev) {
      sign = cln::compare(*eu, *ev);
    } else {
      Value u = eval(c[0]), v = eval(c[1]);
      if (!u || !v) return std::nullopt;
      const cl_F d = *u - *v;
      if (cln::abs(d) <= pole_width_ * cln::max(fl(1), cln::max(cln::abs(*u), cln::abs(*v)))) {
        near_pole_ = true;
        return std::nullopt;
      }
      sign = cln::minusp(d) ? -1 : 1;
    }
    const std::string& op = c.name();
    if (op == "<") return sign < 0;
    if (op == "<=") return sign <= 0;
    if (op == ">") return sign > 0;
    return sign >= 0;
  }

  Value indexed(Expr e) {
    const Expr vec = e[0], i = e[1];
    if (!i.small_integer()) return std::nullopt;
    const long k = *i.small_integer();
    if (k < 1 || static_cast<std::size_t>(k) > vec.size()) return std::nullopt;
    if (vec.is(Kind::Vector)) return eval(vec[static_cast<std::size_t>(k - 1)]);
    if (vec.is_call("softmax")) {
      // softmax(x)[k] = exp(x_k) / sum_j exp(x_j), computed as 1 / sum_j exp(x_j - x_k) to avoid overflow.
      std::vector<cl_F> xs;
      for (Expr arg : vec.args()) {
        Value v = eval(arg);
        if (!v) return std::nullopt;
        xs.push_back(*v);
      }
      cl_F total = fl(0);
      for (const cl_F& x : xs) {
        Value term = exp_checked(x - xs[static_cast<std::size_t>(k - 1)]);
        if (!term) return std::nullopt;
        total = total + *term;
      }
      return fl(1) / total;
    }
    return std::nullopt;
  }

  // A call or a softmax component: its value from an earlier evaluation at the same point, or computed and
  // kept, with what its own evaluation reported.
  Value eval_kept(Expr e) {
    if (auto it = kept_.values.find(e.node()); it != kept_.values.end()) {
      const Kept& k = it->second;
      beyond_range_ = beyond_range_ || k.beyond_range;
      near_pole_ = near_pole_ || k.near_pole;
      unknown_function_ = unknown_function_ || k.unknown_function;
      if (k.largest_term > largest_term_) largest_term_ = k.largest_term;
      return k.value;
    }
    const bool beyond_before = beyond_range_, pole_before = near_pole_, unknown_before = unknown_function_;
    const cl_F largest_before = largest_term_;
    beyond_range_ = false;
    near_pole_ = false;
    unknown_function_ = false;
    largest_term_ = cln::cl_float(0, cln::float_format(20));
    Value v = compute(e);  // a CLN exception leaves nothing kept: evaluate() reports it
    if (kept_.values.size() < KeptValues::kMaxValuesPerPoint) {
      kept_.values.emplace(e.node(), Kept{v, beyond_range_, near_pole_, unknown_function_, largest_term_});
    }
    beyond_range_ = beyond_range_ || beyond_before;
    near_pole_ = near_pole_ || pole_before;
    unknown_function_ = unknown_function_ || unknown_before;
    if (largest_before > largest_term_) largest_term_ = largest_before;
    return v;
  }

  static KeptValues& kept_values() {
    thread_local KeptValues values;
    return values;
  }

  const Point& point_;
  cln::float_format_t format_;
  long digits_;
  bool real_odd_roots_;
  cl_F limit_for_periodic_;
  cl_F pole_width_;
  ValuesAtAPoint& kept_;
  ExactEvaluator exact_{point_};

 public:
  bool beyond_range_ = false;
  bool near_pole_ = false;
  bool unknown_function_ = false;
  cl_F largest_term_ = cln::cl_float(0, cln::float_format(20));

 private:
  std::unordered_map<const Node*, Value> memo_;
};

}  // namespace

std::optional<cln::cl_R> evaluate(Expr e, const Point& point, const EvalOptions& options) {
  return evaluate(e, point, options, nullptr);
}

std::optional<cln::cl_R> evaluate(Expr e, const Point& point, const EvalOptions& options, bool* beyond_range) {
  EvalReport report;
  std::optional<cln::cl_R> v = evaluate(e, point, options, report);
  if (beyond_range != nullptr) *beyond_range = report.beyond_range;
  return v;
}

std::optional<cln::cl_R> evaluate(Expr e, const Point& point, const EvalOptions& options, EvalReport& report) {
  Evaluator evaluator(point, options);
  Value v;
  try {
    v = evaluator.eval(e);
  } catch (const std::exception&) {  // CLN's floating-point overflow or underflow
    evaluator.beyond_range_ = true;
    v.reset();
  }
  report.beyond_range = evaluator.beyond_range_;
  report.near_pole = evaluator.near_pole_;
  report.unknown_function = evaluator.unknown_function_;
  report.largest_term = evaluator.largest_term_;
  if (!v) return std::nullopt;
  return cln::cl_R(*v);
}

std::optional<cln::cl_RA> evaluate_exact(Expr e, const Point& point) {
  ExactEvaluator exact(point);
  return exact.value(e);
}

std::string rational_text(const cln::cl_RA& value) {
  std::ostringstream out;
  cln::fprint(out, value);
  return out.str();
}

std::string describe_value(const cln::cl_R& value) {
  // A float within 1e-30 of a fraction with a small denominator prints as that fraction; a very large or
  // very small one in scientific notation.
  const cln::cl_F f = cln::cl_float(value, cln::float_format(60));
  const cln::cl_F magnitude = cln::abs(f);
  if (magnitude > cln::cl_float(cln::expt_pos(cln::cl_I(10), 15), cln::float_format(60)) ||
      (!cln::zerop(f) && magnitude < cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 15), cln::float_format(60)))) {
    std::ostringstream out;
    const long exponent10 = static_cast<long>(cln::double_approx(cln::log(magnitude, cln::cl_float(10, cln::float_format(60)))));
    const cln::cl_F mantissa = f / cln::expt(cln::cl_float(10, cln::float_format(60)), exponent10);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.12ge%+ld", cln::double_approx(mantissa), exponent10);
    return buffer;
  }
  for (long d = 1; d <= 1000; ++d) {
    cln::cl_I n = cln::round1(f * d);
    if (cln::abs(f - cln::cl_float(cln::cl_RA(n) / d, cln::float_format(60))) < cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 30), cln::float_format(60))) {
      return rational_text(cln::cl_RA(n) / d);
    }
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.12g", cln::double_approx(value));
  return buffer;
}

namespace {
std::string twelve_digits(const cln::cl_F& f) {
  const cln::float_format_t format = cln::float_format(f);
  const cln::cl_F magnitude = cln::abs(f);
  if (cln::zerop(f)) return "0";
  const cln::cl_F ten = cln::cl_float(10, format);
  if (magnitude > cln::cl_float(cln::expt_pos(cln::cl_I(10), 15), format) ||
      magnitude < cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 15), format)) {
    long exponent10 = cln::cl_I_to_long(cln::floor1(cln::log(magnitude, ten)));
    double mantissa = cln::double_approx(f / cln::expt(ten, exponent10));
    if (std::fabs(mantissa) >= 9.9999999999995) {  // the log rounded down, or 12 digits round up to 10
      mantissa /= 10;
      ++exponent10;
    }
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.12ge%+ld", mantissa, exponent10);
    return buffer;
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.12g", cln::double_approx(f));
  return buffer;
}
}  // namespace

std::string describe_value(const cln::cl_R& value, int digits) {
  const cln::float_format_t format = cln::float_format(digits);
  const cln::cl_F f = cln::cl_float(value, format);
  const cln::cl_F exact_to = cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), digits - 20), format);
  const cln::cl_F near_to = cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 12), format);
  const cln::cl_F scale = cln::max(cln::cl_float(1, format), cln::abs(f));
  if (cln::zerop(f)) return "0";
  // Below 1/2000 no fraction of denominator <= 1000 is near: 1e-40 prints as itself, not as "0 + 1e-40".
  const bool tiny = cln::abs(f) < cln::cl_float(cln::cl_RA(1) / 2000, format);
  if (!tiny && scale < cln::cl_float(cln::expt_pos(cln::cl_I(10), 15), format)) {
    // The fraction is found in doubles and then measured at the full precision: two fractions with
    // denominators up to 1000 are 10^-6 apart, so at most one is within 10^-12 of the value.
    const double v = cln::double_approx(f), v_scale = std::max(1.0, std::fabs(v));
    for (long d = 1; d <= 1000; ++d) {
      const double n = std::nearbyint(v * static_cast<double>(d));
      if (std::fabs(v - n / static_cast<double>(d)) > 1e-12 * v_scale) continue;
      const cln::cl_RA q = cln::cl_RA(cln::cl_I(static_cast<long>(n))) / d;
      const cln::cl_F offset = f - cln::cl_float(q, format);
      if (cln::abs(offset) <= exact_to * scale) return rational_text(q);
      if (cln::abs(offset) <= near_to * scale && d <= 12) {
        return rational_text(q) + (cln::minusp(offset) ? " - " : " + ") + twelve_digits(cln::abs(offset));
      }
      break;
    }
  }
  return twelve_digits(f);
}

}  // namespace napier
