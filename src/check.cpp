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
#include "napier/piecewise.hpp"
#include "napier/rules.hpp"
#include "napier/print.hpp"
#include "check_points.hpp"

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
// One context per rule set (options.functions_key): its functions known by derivative are GiNaC's too.
GinacContext& check_context(const CheckOptions& options) {
  thread_local std::unique_ptr<GinacContext> context;
  thread_local std::uint64_t key = 0;
  if (!context || context->converted_count() > kMaxConverted || key != options.functions_key) {
    context = std::make_unique<GinacContext>(options.known_by_derivative);
    key = options.functions_key;
  }
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
  GinacContext& context = check_context(options);
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

// e with its unevaluated derivatives worked out by GiNaC, for the numeric test; e itself when GiNaC cannot.
// Only the d/dx(...) nodes are worked out by GiNaC; the rest stays as written, so that GiNaC's automatic
// simplifications (sqrt(x)/sqrt(x) = 1) do not widen the domain of a side.
Expr resolve_derivatives(Expr e, const CheckOptions& options, std::string& note) {
  if (!e.holds_derivative()) return e;
  return transform(e, [&](Expr node) -> std::optional<Expr> {
    if (!node.is(Kind::Derivative)) return std::nullopt;
    // A piecewise function piece by piece (piecewise.hpp): d/dx if(c, a, b) = if(c, da/dx, db/dx) wherever c
    // does not change, which is where the numeric test's points decide c.
    if (has_pieces(node[0])) {
      std::optional<Expr> by_pieces = derivative_by_pieces(
          node[0], node[1], [&](Expr piece) { return resolve_derivatives(piece, options, note); });
      if (!by_pieces) {
        note = "more than " + std::to_string(kMaxPieces) + " pieces";
        return node;
      }
      return *by_pieces;
    }
    Result<GiNaC::ex> g = to_ginac(node, check_context(options));
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
  compare.real_odd_roots = false;
  compare.only_where_defined = f;
  return check_equal(result, derivative(f, var), compare);
}

CheckResult check_equal(Expr lhs, Expr rhs, const CheckOptions& options) {
  if (!options.expand_definitions) {  // no rules given: the shipped ones' (sigmoid is data, not C++)
    const RuleSet& shipped = RuleSet::shipped();
    CheckOptions with = options;
    with.expand_definitions = [&shipped](Expr e) { return shipped.expand_user_definitions(e); };
    with.known_by_derivative = shipped.derivative_lookup();
    with.functions_key = shipped.generation();
    return check_equal(lhs, rhs, with);
  }
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

  // GiNaC differentiates with complex-branch identities ((u^(2/3))^(3/2) = u), so where it worked out a side,
  // a negative base under a fractional power is no point to compare at.
  const bool resolved_by_ginac = lhs.holds_derivative() || rhs.holds_derivative();
  lhs = resolve_derivatives(lhs, options, result.note);
  rhs = resolve_derivatives(rhs, options, result.note);
  std::vector<std::string> names;  // sorted by name: the same points whichever side a symbol is on
  // The domain's symbols too: d/dy (sin(x) + y) = 1 has none on either side, and a point without x is in
  // no domain.
  for (Expr s : free_symbols(domain.is_null() ? add(lhs, rhs) : add({lhs, rhs, domain}))) names.push_back(s.name());
  PointSource points(names, has_variable_exponent(lhs) || has_variable_exponent(rhs));
  const int attempts = names.empty() ? 1 : options.max_attempts;
  const int planned = names.empty() ? 1 : static_cast<int>(points.planned());
  const Comparison comparison{lhs, rhs, domain, options.digits, options.fine_digits,
                              options.real_odd_roots && !resolved_by_ginac};
  // Every planned point (each scale) is tried, and then more until enough agree.
  for (int i = 0; i < attempts && (result.points_agreed < options.points || i < planned); ++i) {
    const Point p = points.next();
    const int compared = result.points_agreed + result.points_unreliable;
    Judgement j = judge_point(comparison, p, compared < options.fine_points);
    switch (j.outcome) {
      case Outcome::Undefined:
        ++result.points_skipped;
        continue;
      case Outcome::OneSided:
        ++result.points_skipped;
        if (result.points_one_sided++ == 0) {
          result.one_sided_example = p;
          result.one_sided_left = j.left_defined;
        }
        continue;
      case Outcome::Unreliable:
        ++result.points_unreliable;
        continue;
      case Outcome::Agree:
      case Outcome::Differ:
        break;
    }
    if (exact_difference) {
      // L - R is a nonzero number, however close the two sides are at this point (1 + 10^-45 = 1): the
      // point only shows that both sides are defined somewhere.
      auto value = [&](Expr side) -> std::string {
        if (const std::optional<cln::cl_RA> exact = evaluate_exact(side, p)) {
          const std::string text = rational_text(*exact);
          if (text.size() <= 60) return text;
        }
        const std::optional<cln::cl_R> v = evaluate(side, p, {options.fine_digits, comparison.real_odd_roots});
        return v ? describe_value(*v, options.fine_digits) : "?";
      };
      j.lhs_value = value(lhs);
      j.rhs_value = value(rhs);
      j.difference = rational_text(*exact_difference);
      j.digits = 0;
      result.note = "L - R = " + rational_text(*exact_difference) + " exactly";
    } else if (j.outcome == Outcome::Agree) {
      ++result.points_agreed;
      continue;
    } else {
      result.note.clear();  // a real counterexample outweighs whatever GiNaC said
    }
    // A symbolic proof over GiNaC's complex domain does not survive a real counterexample.
    result.holds = false;
    result.how = How::Refuted;
    result.counterexample = Counterexample{p, j.lhs_value, j.rhs_value, j.difference, j.digits};
    return result;
  }
  // Evidence is thin when points the digits could not decide are more than a quarter of those that agree.
  const bool thin = result.points_unreliable * 4 > result.points_agreed;
  if (proof) {
    result.holds = true;
    result.how = How::Proved;
    result.note = *proof;
  } else if (!thin && (result.points_agreed >= options.points || (names.empty() && result.points_agreed == 1))) {
    result.holds = true;
    result.how = How::Numeric;
  } else {
    result.holds = false;
    result.how = How::Undecided;
    if (result.note.empty()) {
      result.note = "only " + std::to_string(result.points_agreed) + " of " + std::to_string(attempts) +
                    " points have both sides defined";
      if (thin || (result.points_unreliable > 0 && result.points_agreed < options.points)) {
        result.note = std::to_string(result.points_agreed) + " points agree, " +
                      std::to_string(result.points_unreliable) + " cannot be decided at " +
                      std::to_string(options.fine_digits) + " and " + std::to_string(2 * options.fine_digits) +
                      " digits (near a pole, or a difference that changes with the precision)";
      }
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

namespace {

// "; only where both sides are defined: at x = -1 only the left side is", when the domains differ.
std::string domain_note(const CheckResult& r) {
  if (r.points_one_sided == 0 || !r.one_sided_example) return "";
  return std::string("; only where both sides are defined: at ") + describe_point(*r.one_sided_example) +
         " only the " + (r.one_sided_left ? "left" : "right") + " side is";
}

std::string unreliable_note(const CheckResult& r) {
  if (r.points_unreliable == 0) return "";
  return ", " + std::to_string(r.points_unreliable) + " undecidable at these digits";
}

}  // namespace

std::string describe(const CheckResult& result, Expr lhs, Expr rhs) {
  const std::string instantiated = result.instantiated.empty() ? "" : "; " + result.instantiated;
  switch (result.how) {
    case How::Proved:
      return "proved (" + result.note + instantiated + domain_note(result) + ")";
    case How::Numeric:
      return "numeric (equal at " + std::to_string(result.points_agreed) +
             (result.points_agreed == 1 ? " point" : " points") + " at 50 and 200 digits" +
             (result.points_skipped ? ", " + std::to_string(result.points_skipped) + " skipped where a side is undefined" : "") +
             unreliable_note(result) + instantiated + domain_note(result) + ")";
    case How::Refuted: {
      const Counterexample& c = *result.counterexample;
      std::string values = print(lhs) + " = " + c.lhs_value + ", " + print(rhs) + " = " + c.rhs_value;
      // Two values that print alike differ beyond the digits shown: the difference says by how much.
      if (c.lhs_value == c.rhs_value && result.note.empty()) {
        values += "; L - R = " + c.difference + (c.digits ? " at " + std::to_string(c.digits / 2) + " and " + std::to_string(c.digits) + " digits" : " exactly");
      }
      const std::string exact = result.note.empty() ? "" : ": " + result.note;
      return (c.point.empty() ? "refuted (" + values + ")" : "refuted at " + describe_point(c.point) + " (" + values + ")") + exact;
    }
    case How::Undecided:
      return "undecided (" + result.note + instantiated + ")";
  }
  return {};
}

}  // namespace napier
