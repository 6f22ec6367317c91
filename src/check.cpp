#include "napier/check.hpp"

#include <cln/float.h>
#include <cln/integer.h>
#include <cln/rational_io.h>
#include <cln/real.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <random>
#include <memory>
#include <unordered_set>
#include <sstream>

#include "napier/ginac_bridge.hpp"
#include "napier/indexed.hpp"
#include "napier/print.hpp"

namespace napier {
namespace {

// exp(a + b) -> exp(a)*exp(b); exp(n*a) -> exp(a)^n for an integer n. Identities of exponentials then
// become identities of rational functions in the exp(...) atoms, which normal() decides.
struct SplitExponentials : GiNaC::map_function {
  GiNaC::ex operator()(const GiNaC::ex& e) override {
    using namespace GiNaC;
    ex mapped = e.map(*this);
    if (!is_ex_the_function(mapped, exp)) return mapped;
    const ex arg = mapped.op(0);
    if (is_a<GiNaC::add>(arg)) {
      exvector factors;  // one product of all of them: multiplying one at a time is quadratic in the terms
      for (std::size_t i = 0; i < arg.nops(); ++i) factors.push_back((*this)(exp(arg.op(i))));
      return dynallocate<GiNaC::mul>(factors);
    }
    if (is_a<GiNaC::mul>(arg)) {
      ex coefficient = arg.op(arg.nops() - 1);
      if (is_a<numeric>(coefficient) && ex_to<numeric>(coefficient).is_integer()) {
        return GiNaC::pow(exp(arg / coefficient), coefficient);
      }
    }
    return mapped;
  }
};

std::size_t power_height(Expr e) {
  std::size_t most = 0;
  for (Expr a : e.args()) most = std::max(most, power_height(a));
  return e.is(Kind::Pow) ? std::max(most, power_height(e[1]) + 1) : most;
}

// A bound on |the integer part of an exponent| as GiNaC's expand() sees it. expand() multiplies the exponent
// out and then splits u^(n + rest) into u^n * u^rest, multiplying u^n out when u is a sum: u^(254 - 2*x) is
// u^254 * u^(-2*x), and u^(((-2)^4 - e)^4) is u^65536 * u^(e^4 - 64*e^3 + ...) (scripts/fuzz-diff: a
// multinomial expansion of degree 65536). The bound is the constant term of the exponent multiplied out,
// with |.| on every number: atoms (symbols, constants, calls, other powers) count 0, sums add bounds,
// products multiply them, and a part with no atoms counts its value. Past kMaxBoundWork nodes: infinite.
class ConstantTermBound {
 public:
  double operator()(Expr e) {
    if (++work_ > kMaxBoundWork) return kInfinity;
    if (const std::optional<double> v = numeric_value(e)) return std::isnan(*v) ? kInfinity : std::fabs(*v);
    switch (e.kind()) {
      case Kind::Add: {
        double total = 0;
        for (Expr t : e.args()) total += (*this)(t);
        return total;
      }
      case Kind::Mul: {
        double product = 1;
        for (Expr f : e.args()) product *= (*this)(f);
        return product;
      }
      case Kind::Div: {
        const std::optional<double> d = numeric_value(e[1]);
        if (!d) return 0;  // a quotient by an atom: each of its terms holds the atom
        return *d == 0 || std::isnan(*d) ? kInfinity : (*this)(e[0]) / std::fabs(*d);
      }
      case Kind::Pow: {
        const std::optional<long> k = e[1].small_integer();
        if (!k || *k < 0) return 0;  // an atom: only natural powers are multiplied out
        return std::pow((*this)(e[0]), static_cast<double>(*k));
      }
      default:
        return 0;
    }
  }

 private:
  static constexpr std::size_t kMaxBoundWork = 10000;
  static constexpr double kInfinity = std::numeric_limits<double>::infinity();

  // The value of a part made of numbers only (GiNaC folds it to one number: (2^(1/2))^200 is 2^100).
  std::optional<double> numeric_value(Expr e) {
    if (++work_ > kMaxBoundWork) return kInfinity;
    switch (e.kind()) {
      case Kind::Number:
        return cln::double_approx(e.number());
      case Kind::Add:
      case Kind::Mul: {
        double value = e.is(Kind::Add) ? 0 : 1;
        for (Expr a : e.args()) {
          const std::optional<double> v = numeric_value(a);
          if (!v) return std::nullopt;
          value = e.is(Kind::Add) ? value + *v : value * *v;
        }
        return value;
      }
      case Kind::Div:
      case Kind::Pow: {
        const std::optional<double> a = numeric_value(e[0]);
        if (!a) return std::nullopt;
        const std::optional<double> b = numeric_value(e[1]);
        if (!b) return std::nullopt;
        // A negative number to a fractional power has a complex value: its modulus bounds it.
        return e.is(Kind::Div) ? *a / *b : std::pow(std::fabs(*a), *b);
      }
      default:
        return std::nullopt;
    }
  }

  std::size_t work_ = 0;
};

// The largest bound (above) on the integer part of an exponent over a base that is neither a number nor a
// symbol (over the distinct nodes). normal() and expand() multiply such a power out: abs(x - 3)^531441
// (GiNaC writes it (x - 3)^531441, x being real) became half a million terms with coefficients of a million
// digits, and (tan(x^(1/4)) - c)^(254 - 2*x) times its like, 255-term sums multiplied together (both found
// by scripts/fuzz-diff).
long largest_expanding_power(Expr root) {
  long most = 0;
  std::unordered_set<const Node*> seen;
  std::vector<Expr> stack{root};
  while (!stack.empty()) {
    const Expr e = stack.back();
    stack.pop_back();
    if (!seen.insert(e.node()).second) continue;
    for (Expr a : e.args()) stack.push_back(a);
    if (e.is(Kind::Pow) && !e[0].is_number() && !e[0].is(Kind::Symbol)) {
      const double bound = ConstantTermBound{}(e[1]);
      if (!(bound < 1e18)) return std::numeric_limits<long>::max();
      most = std::max(most, static_cast<long>(bound));
    }
  }
  return most;
}
inline constexpr long kMaxPowerForNormal = 64;

// How many different expressions are divided by in e (the bases of its negative powers). normal() brings a
// sum over one common denominator: with many different ones that are not polynomials in one variable, it
// multiplies them all out in several variables and takes gcds of the results. A sum of n sigmoids'
// derivatives (n denominators 1 + exp(-x)*exp(-k) in n + 1 atoms) took 0.75 s at n = 14, 22 s at n = 22,
// and hours at n = 30.
std::size_t distinct_denominators(const GiNaC::ex& e) {
  GiNaC::exset bases;
  for (auto it = e.preorder_begin(); it != e.preorder_end(); ++it) {
    if (GiNaC::is_a<GiNaC::power>(*it) && GiNaC::is_a<GiNaC::numeric>(it->op(1)) &&
        GiNaC::ex_to<GiNaC::numeric>(it->op(1)).is_negative()) {
      bases.insert(it->op(0));
    }
  }
  return bases.size();
}
inline constexpr std::size_t kMaxDenominatorsForNormal = 12;

// The most terms that multiplying out one power of a sum in e would give: (a_1 + ... + a_m)^k has
// C(m + k - 1, k) terms. normal() multiplies out the powers it brings over a common denominator: the
// derivative of softmax(x1..xn)[1] has (exp(x1) + ... + exp(xn))^2 in it, and n = 1000 made a sum of half a
// million terms (5 s; n = 3000: 92 s). Saturates at kMaxExpandedTerms + 1.
inline constexpr double kMaxExpandedTerms = 100000;
double largest_expansion(const GiNaC::ex& e) {
  double most = 0;
  for (auto it = e.preorder_begin(); it != e.preorder_end(); ++it) {
    if (!GiNaC::is_a<GiNaC::power>(*it) || !GiNaC::is_a<GiNaC::add>(it->op(0))) continue;
    const GiNaC::ex exponent = it->op(1);
    if (!GiNaC::is_a<GiNaC::numeric>(exponent) || !GiNaC::ex_to<GiNaC::numeric>(exponent).is_integer()) continue;
    const double m = static_cast<double>(it->op(0).nops());
    const double k = std::abs(GiNaC::ex_to<GiNaC::numeric>(exponent).to_double());
    double terms = 1;  // C(m + k - 1, k), built up factor by factor until it passes the bound
    for (double i = 1; i <= k && terms <= kMaxExpandedTerms; ++i) terms = terms * (m + i - 1) / i;
    most = std::max(most, std::min(terms, kMaxExpandedTerms + 1));
  }
  return most;
}

// The GiNaC context of this thread's checks: the same name is the same GiNaC symbol, and a node converted
// once is not converted again (a gradient checks n entries, each against d/dx_i of the same n-term function:
// converting it for each was O(n^2), 46 s for 1000 sigmoids). Started afresh past kMaxConverted nodes, at
// the start of a conversion, so that a long-lived program does not keep every node it ever checked.
inline constexpr std::size_t kMaxConverted = 1000000;
GinacContext& check_context() {
  thread_local std::unique_ptr<GinacContext> context;
  if (!context || context->converted_count() > kMaxConverted) context = std::make_unique<GinacContext>();
  return *context;
}

struct Symbolic {
  std::optional<std::string> proof;       // why L = R
  std::optional<cln::cl_RA> difference;   // L - R when GiNaC finds it a nonzero rational number
};

Symbolic symbolic_proof(Expr lhs, Expr rhs, const CheckOptions& options, std::string& note) {
  if (dag_size(lhs) + dag_size(rhs) > 20000) return {};  // normal() can be slow on huge inputs
  // normal() is exponential in the height of a tower of powers (x^x^x^...): ten levels take minutes.
  if (power_height(lhs) > 6 || power_height(rhs) > 6) return {};
  GinacContext& context = check_context();
  Result<GiNaC::ex> l = to_ginac(lhs, context), r = to_ginac(rhs, context);
  if (!l || !r) {
    note = (!l ? l.error() : r.error()).message;
    return {};
  }
  try {
    // GiNaC's own evaluation already cancels what is the same up to order; normal() is not needed for it.
    if ((*l - *r).is_zero()) return {"GiNaC: normal(L - R) = 0", std::nullopt};
    if (std::max(largest_expanding_power(lhs), largest_expanding_power(rhs)) > kMaxPowerForNormal) return {};
    SplitExponentials split;
    GiNaC::ex difference = split(*l - *r);
    if (largest_expansion(difference) > kMaxExpandedTerms) {
      note = "a power of a sum that multiplies out to more than 100000 terms: not handed to normal() (limit)";
      return {};
    }
    if (distinct_denominators(difference) > kMaxDenominatorsForNormal) {
      note = "more than " + std::to_string(kMaxDenominatorsForNormal) +
             " different denominators: not handed to normal() (limit)";
      return {};
    }
    GiNaC::ex normal = GiNaC::normal(difference);
    if (normal.is_zero()) return {"GiNaC: normal(L - R) = 0", std::nullopt};
    if (GiNaC::normal(GiNaC::expand(difference)).is_zero()) return {"GiNaC: normal(expand(L - R)) = 0", std::nullopt};
    // An exact nonzero difference decides it, however close the two sides are numerically (1 + 10^-45 = 1).
    if (GiNaC::is_a<GiNaC::numeric>(normal) && GiNaC::ex_to<GiNaC::numeric>(normal).is_rational()) {
      return {std::nullopt, cln::the<cln::cl_RA>(GiNaC::ex_to<GiNaC::numeric>(normal).to_cl_N())};
    }
  } catch (const std::exception& ex) {
    note = std::string("GiNaC: ") + ex.what();
  }
  (void)options;
  return {};
}

// Points to try: small simple values first (so that a counterexample reads well), then seeded random
// rationals, so that every run tests the same points.
class PointSource {
 public:
  explicit PointSource(std::vector<std::string> names) : names_(std::move(names)), rng_(20261124) {}

  Point next() {
    static const cln::cl_RA kSimple[] = {1, -1, 2, -2, cln::cl_RA(1) / 2, cln::cl_RA(-1) / 2, 3, -3,
                                         cln::cl_RA(1) / 3, cln::cl_RA(-2) / 3, cln::cl_RA(5) / 2,
                                         cln::cl_RA(-7) / 3};
    constexpr std::size_t kSimpleCount = sizeof kSimple / sizeof kSimple[0];
    Point p;
    for (std::size_t k = 0; k < names_.size(); ++k) {
      if (attempt_ < kSimpleCount) {
        p[names_[k]] = kSimple[(attempt_ + 3 * k) % kSimpleCount];
      } else {
        p[names_[k]] = random_value();
      }
    }
    ++attempt_;
    return p;
  }

 private:
  cln::cl_RA random_value() {
    // Most points in [-5, 5]; some in [-1, 1] (asin, acos) and some in [0, 40] (large arguments).
    std::uniform_int_distribution<int> which(0, 3), denominator(1, 97);
    const int d = denominator(rng_);
    switch (which(rng_)) {
      case 0: return cln::cl_RA(std::uniform_int_distribution<int>(-d, d)(rng_)) / d;
      case 1: return cln::cl_RA(std::uniform_int_distribution<int>(0, 40 * d)(rng_)) / d;
      default: return cln::cl_RA(std::uniform_int_distribution<int>(-5 * d, 5 * d)(rng_)) / d;
    }
  }

  std::vector<std::string> names_;
  std::mt19937 rng_;
  std::size_t attempt_ = 0;
};

bool close_enough(const cln::cl_R& a, const cln::cl_R& b, int digits) {
  const cln::float_format_t format = cln::float_format(digits);
  const cln::cl_F fa = cln::cl_float(a, format), fb = cln::cl_float(b, format);
  cln::cl_F scale = cln::max(cln::cl_float(1, format), cln::max(cln::abs(fa), cln::abs(fb)));
  // Agreement to all but 20 of the working digits.
  cln::cl_F tolerance = scale * cln::cl_float(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), digits - 20), format);
  return cln::abs(fa - fb) <= tolerance;
}

// Is a value the remnant of a sum whose terms were 10^(digits - 20) times larger (see EvalReport)?
bool absorbed(const cln::cl_R& value, const EvalReport& report, int digits) {
  const cln::cl_R scale = cln::max(cln::cl_R(1), cln::abs(value));
  return report.largest_term > scale * cln::expt_pos(cln::cl_I(10), digits - 20);
}


// e with its unevaluated derivatives worked out by GiNaC, for the numeric test; e itself when GiNaC cannot.
// Only the d/dx(...) nodes are worked out by GiNaC; the rest stays as written, so that GiNaC's automatic
// simplifications (sqrt(x)/sqrt(x) = 1) do not widen the domain of a side.
Expr resolve_derivatives(Expr e, std::string& note) {
  if (!e.holds_derivative()) return e;
  return transform(e, [&](Expr node) -> std::optional<Expr> {
    if (!node.is(Kind::Derivative)) return std::nullopt;
    Result<GiNaC::ex> g = to_ginac(node, check_context());
    if (!g) {
      note = g.error().message;
      return node;
    }
    Result<Expr> back = from_ginac(*g);
    if (!back) {
      note = back.error().message;
      return node;
    }
    return *back;
  });
}

}  // namespace

CheckResult check_derivative(Expr f, Expr var, Expr result, const CheckOptions& options) {
  CheckOptions compare = options;
  compare.left_domain_in_right = false;
  compare.real_odd_roots = false;
  compare.only_where_defined = f;
  return check_equal(result, derivative(f, var), compare);
}

CheckResult check_equal(Expr lhs, Expr rhs, const CheckOptions& options) {
  if (has_symbolic_length(lhs) || has_symbolic_length(rhs)) return check_instantiated(lhs, rhs, options);
  Expr domain = options.only_where_defined;
  if (options.expand_definitions) {
    lhs = options.expand_definitions(lhs);
    rhs = options.expand_definitions(rhs);
    if (!domain.is_null()) domain = options.expand_definitions(domain);
  }
  CheckResult result;
  std::optional<std::string> proof;
  std::optional<cln::cl_RA> exact_difference;
  if (options.try_symbolic) {
    Symbolic s = symbolic_proof(lhs, rhs, options, result.note);
    if (s.difference) exact_difference = s.difference;
    proof = s.proof;
  }

  // A side whose d/dx(...) GiNaC works out may be defined where its written form is not (GiNaC simplifies
  // sqrt(x)^2 to x before differentiating), so such a side's domain proves nothing.
  const bool resolved_by_ginac = lhs.holds_derivative() || rhs.holds_derivative();
  const bool domain_test = options.left_domain_in_right && !resolved_by_ginac;
  // GiNaC differentiates with complex-branch identities ((u^(2/3))^(3/2) = u), so where it worked out a side,
  // a negative base under a fractional power is no point to compare at.
  const bool real_odd_roots = options.real_odd_roots && !resolved_by_ginac;
  lhs = resolve_derivatives(lhs, result.note);
  rhs = resolve_derivatives(rhs, result.note);
  std::vector<std::string> names;
  // The domain's symbols too: d/dy (sin(x) + y) = 1 has none on either side, and a point without x is in
  // no domain.
  for (Expr s : free_symbols(domain.is_null() ? add(lhs, rhs) : add({lhs, rhs, domain}))) names.push_back(s.name());
  PointSource points(names);
  const int attempts = names.empty() ? 1 : options.max_attempts;
  const EvalOptions eval{options.digits, real_odd_roots};
  // Two sides that differ at the working precision are evaluated again with 4 and 16 times the digits
  // before they count as different: cancellation (1 - sigmoid(185)) can eat all 60 digits of a correct
  // identity. At the finest precision each side must also be trustworthy, or the point proves nothing: its
  // value stable from 4x to 16x the digits (on a pole, sin(9*pi) is 1e-240 and then 1e-960, not 0), and
  // not the remnant of a sum whose terms dwarf it (A + s - A with A = 16^(pi^11): s is absorbed at any
  // precision we have).
  enum class Recheck { Agree, Differ, Unreliable };
  auto recheck = [&](const Point& p) {
    std::optional<cln::cl_R> l_before, r_before;
    for (int digits : {4 * options.digits, 16 * options.digits}) {
      const EvalOptions finer{digits, real_odd_roots};
      EvalReport l_report, r_report;
      std::optional<cln::cl_R> l = evaluate(lhs, p, finer, l_report), r = evaluate(rhs, p, finer, r_report);
      if (!l || !r) return Recheck::Unreliable;  // on the edge of the domain
      if (close_enough(*l, *r, options.digits)) return Recheck::Agree;  // 40 correct digits are enough
      if (l_before) {
        const bool stable = close_enough(*l, *l_before, options.digits) && close_enough(*r, *r_before, options.digits);
        if (!stable || absorbed(*l, l_report, digits) || absorbed(*r, r_report, digits)) return Recheck::Unreliable;
      }
      l_before = l;
      r_before = r;
    }
    return Recheck::Differ;
  };
  for (int i = 0; i < attempts && result.points_agreed < options.points; ++i) {
    Point p = points.next();
    if (!domain.is_null()) {
      bool beyond = false;
      if (!evaluate(domain, p, eval, &beyond) && !beyond) {  // outside the domain: nothing to compare
        ++result.points_skipped;
        continue;
      }
    }
    bool l_beyond = false, r_beyond = false;
    std::optional<cln::cl_R> l = evaluate(lhs, p, eval, &l_beyond), r = evaluate(rhs, p, eval, &r_beyond);
    if (l_beyond || r_beyond) {  // a number too large to evaluate says nothing about the identity
      ++result.points_skipped;
      continue;
    }
    if (l && !r && domain_test) {
      result.holds = false;
      result.how = How::Refuted;
      result.counterexample = Counterexample{p, describe_value(*l), "undefined"};
      return result;
    }
    if (!l || !r) {
      ++result.points_skipped;
      continue;
    }
    if (!exact_difference && !close_enough(*l, *r, options.digits)) {
      const Recheck again = recheck(p);
      if (again == Recheck::Unreliable) {
        ++result.points_skipped;
        continue;
      }
      if (again == Recheck::Agree) {
        ++result.points_agreed;
        continue;
      }
    }
    if (exact_difference || !close_enough(*l, *r, options.digits)) {
      result.note = exact_difference ? "L - R = " + rational_text(*exact_difference) + " exactly" : "";
      // A symbolic proof over GiNaC's complex domain does not survive a real counterexample.
      result.holds = false;
      result.how = How::Refuted;
      result.counterexample = Counterexample{p, describe_value(*l), describe_value(*r)};
      return result;
    }
    ++result.points_agreed;
  }
  if (proof) {
    result.holds = true;
    result.how = How::Proved;
    result.note = *proof;
  } else if (result.points_agreed >= options.points || (names.empty() && result.points_agreed == 1)) {
    result.holds = true;
    result.how = How::Numeric;
  } else {
    result.holds = false;
    result.how = How::Undecided;
    if (result.note.empty()) {
      result.note = "only " + std::to_string(result.points_agreed) + " of " + std::to_string(attempts) +
                    " points have both sides defined";
    }
  }
  return result;
}

std::string how_name(How how) {
  switch (how) {
    case How::Proved: return "proved";
    case How::Numeric: return "numeric";
    case How::Refuted: return "refuted";
    case How::Undecided: return "undecided";
  }
  return "undecided";
}

std::string describe_point(const Point& point) {
  std::string out;
  for (const auto& [name, value] : point) {
    out += (out.empty() ? "" : ", ") + name + " = " + rational_text(value);
  }
  return out;
}

std::string describe(const CheckResult& result, Expr lhs, Expr rhs) {
  switch (result.how) {
    case How::Proved:
      return "proved (" + result.note + (result.instantiated.empty() ? "" : "; " + result.instantiated) + ")";
    case How::Numeric:
      return "numeric (equal at " + std::to_string(result.points_agreed) +
             (result.points_agreed == 1 ? " point" : " points") + " to 40 digits" +
             (result.points_skipped ? ", " + std::to_string(result.points_skipped) + " skipped where a side is undefined" : "") +
             (result.instantiated.empty() ? "" : "; " + result.instantiated) + ")";
    case How::Refuted: {
      const Counterexample& c = *result.counterexample;
      const std::string values = "(" + print(lhs) + " = " + c.lhs_value + ", " + print(rhs) + " = " + c.rhs_value + ")";
      const std::string exact = result.note.empty() ? "" : ": " + result.note;
      return (c.point.empty() ? "refuted " + values : "refuted at " + describe_point(c.point) + " " + values) + exact;
    }
    case How::Undecided:
      return "undecided (" + result.note + (result.instantiated.empty() ? "" : "; " + result.instantiated) + ")";
  }
  return {};
}

}  // namespace napier
