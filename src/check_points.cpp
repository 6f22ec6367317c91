#include "check_points.hpp"

#include <cln/float.h>
#include <cln/integer.h>
#include <cln/rational.h>
#include <cln/real.h>

#include <algorithm>
#include <optional>
#include <unordered_set>

namespace napier {
namespace {

const cln::cl_RA kSimple[] = {1, -1, 2, -2, cln::cl_RA(1) / 2, cln::cl_RA(-1) / 2, 3, -3,
                              cln::cl_RA(1) / 3, cln::cl_RA(-2) / 3, cln::cl_RA(5) / 2, cln::cl_RA(-7) / 3};
constexpr std::size_t kSimpleCount = sizeof kSimple / sizeof kSimple[0];

// Zero exactly, near zero, and far from it on both sides: where a false identity that agrees to many digits
// at moderate points shows (exp(-10^6*x^2) = 0 is 1 at 0; tanh(x + 100) = 1 is -1 at -1000).
const cln::cl_RA kScales[] = {0,   cln::cl_RA(1) / 1000,   cln::cl_RA(-1) / 1000, cln::cl_RA(1) / 1000000,
                              cln::cl_RA(-1) / 1000000, 100, -100, 1000, -1000, 1000000, -1000000};
constexpr std::size_t kScaleCount = sizeof kScales / sizeof kScales[0];

// A negative base, and exponents that are an even integer, a fraction with an even denominator, one with an
// odd denominator: (x^y)^z = x^(y*z) is 1 against -1 at x = -1, y = 2, z = 1/2.
const cln::cl_RA kGrid[] = {-1, 2, cln::cl_RA(1) / 2, cln::cl_RA(-2) / 3};
constexpr std::size_t kGridSide = sizeof kGrid / sizeof kGrid[0];
constexpr std::size_t kGridMaxPoints = 64;  // the whole grid up to 3 variables; beyond, 64 random points of it

cln::cl_R power_of_ten(int exponent) {
  return exponent >= 0 ? cln::cl_R(cln::expt_pos(cln::cl_I(10), exponent))
                       : cln::cl_R(cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), -exponent));
}

// One side's value at one precision, with what its evaluation met.
struct Side {
  std::optional<cln::cl_R> value;
  EvalReport report;
};

struct Level {
  Side l, r;
  bool both() const { return l.value && r.value; }
};

Level at(const Comparison& c, const Point& point, int digits) {
  Level out;
  const EvalOptions options{digits, c.real_odd_roots};
  out.l.value = evaluate(c.lhs, point, options, out.l.report);
  out.r.value = evaluate(c.rhs, point, options, out.r.report);
  return out;
}

// Rounding at `digits` digits leaves a difference below this: the values' size (at least 1, so that an exact
// zero is compared absolutely) times 10^-(digits - 20). The 20 digits spare allow for cancellation.
cln::cl_R tolerance(const Level& v, int digits) {
  const cln::cl_R size = cln::max(cln::cl_R(1), cln::max(cln::abs(*v.l.value), cln::abs(*v.r.value)));
  return size * power_of_ten(-(digits - 20));
}

// What rounding at `digits` digits can leave of a difference, from the values and the largest term any sum
// met (not at least 1: exp(-1000) is computed to all its digits): a difference below it may be a term absorbed
// by a huge one (A + s - A with A = 16^(pi^11) is 0 at any precision we have; 1 - tanh(1000)^2 is 0 at 400
// digits, 10^-869 in truth), so it decides nothing either way.
cln::cl_R noise(const Level& v, int digits) {
  const cln::cl_R terms = cln::max(v.l.report.largest_term, v.r.report.largest_term);
  const cln::cl_R values = cln::max(cln::abs(*v.l.value), cln::abs(*v.r.value));
  return cln::max(values, terms) * power_of_ten(-(digits - 20));
}

// Within rounding relative to the values themselves, not only to 1: exp(-1000) against 0 is within 10^-180 of
// it, but not relatively; such a pair is not taken for equal without a look at a finer precision.
bool relatively_close(const Level& v, int digits) {
  const cln::cl_R size = cln::max(cln::abs(*v.l.value), cln::abs(*v.r.value));
  return cln::abs(*v.l.value - *v.r.value) <= size * power_of_ten(-(digits - 20));
}

bool stable(const cln::cl_R& coarse, const cln::cl_R& fine) {
  return cln::abs(fine - coarse) <= cln::max(cln::cl_R(1), cln::abs(fine)) * power_of_ten(-10);
}

Judgement just(Outcome o) {
  Judgement j;
  j.outcome = o;
  return j;
}

}  // namespace

PointSource::PointSource(std::vector<std::string> names, bool exponent_grid)
    : names_(std::move(names)), rng_(20261124), combinations_(20261125) {
  if (exponent_grid && !names_.empty()) {
    grid_ = 1;
    for (std::size_t k = 0; k < names_.size() && grid_ < kGridMaxPoints; ++k) grid_ *= kGridSide;
    grid_ = std::min(grid_, kGridMaxPoints);
  }
}

std::size_t PointSource::planned() const { return kSimpleCount + kScaleCount + grid_; }

Point PointSource::next() {
  Point p;
  const std::size_t a = attempt_++;
  for (std::size_t k = 0; k < names_.size(); ++k) {
    if (a < kSimpleCount) {
      p[names_[k]] = kSimple[(a + 3 * k) % kSimpleCount];
    } else if (a < kSimpleCount + kScaleCount) {
      p[names_[k]] = kScales[(a - kSimpleCount + 4 * k) % kScaleCount];
    } else if (a < planned()) {
      const std::size_t g = a - kSimpleCount - kScaleCount;
      std::size_t digit = g;  // the point's k-th coordinate in base kGridSide, or at random past 3 variables
      for (std::size_t i = 0; i < k; ++i) digit /= kGridSide;
      const std::size_t i = names_.size() <= 3
                                ? digit % kGridSide
                                : std::uniform_int_distribution<std::size_t>(0, kGridSide - 1)(combinations_);
      p[names_[k]] = kGrid[i];
    } else {
      p[names_[k]] = random_value();
    }
  }
  return p;
}

cln::cl_RA PointSource::random_value() {
  // Most points in [-5, 5]; some in [-1, 1] (asin, acos) and some in [0, 40] (large arguments).
  std::uniform_int_distribution<int> which(0, 3), denominator(1, 97);
  const int d = denominator(rng_);
  switch (which(rng_)) {
    case 0: return cln::cl_RA(std::uniform_int_distribution<int>(-d, d)(rng_)) / d;
    case 1: return cln::cl_RA(std::uniform_int_distribution<int>(0, 40 * d)(rng_)) / d;
    default: return cln::cl_RA(std::uniform_int_distribution<int>(-5 * d, 5 * d)(rng_)) / d;
  }
}

bool has_variable_exponent(Expr root) {
  std::unordered_set<const Node*> seen;
  std::vector<Expr> stack{root};
  while (!stack.empty()) {
    const Expr e = stack.back();
    stack.pop_back();
    if (!seen.insert(e.node()).second) continue;
    if (e.is(Kind::Pow) && !e[1].is_number() && !free_symbols(e[1]).empty()) return true;
    for (Expr a : e.args()) stack.push_back(a);
  }
  return false;
}

Judgement judge_point(const Comparison& c, const Point& point, bool fine_always) {
  if (!c.domain.is_null()) {
    bool beyond = false;
    if (!evaluate(c.domain, point, EvalOptions{c.digits, c.real_odd_roots}, &beyond)) return just(Outcome::Undefined);
  }
  // The first precision decides the domain, cheaply: most points where a side is undefined end here.
  const Level coarse = at(c, point, c.digits);
  if (coarse.l.report.beyond_range || coarse.r.report.beyond_range) return just(Outcome::Undefined);
  if (!coarse.both()) {
    if (coarse.l.report.near_pole || coarse.r.report.near_pole) return just(Outcome::Unreliable);
    if (!coarse.l.value && !coarse.r.value) return just(Outcome::Undefined);
    Judgement j = just(Outcome::OneSided);
    j.left_defined = coarse.l.value.has_value();
    return j;
  }
  // Both sides rational functions at a rational point: exact arithmetic decides (x^2 + 10^-45*x against x^2).
  if (const std::optional<cln::cl_RA> l = evaluate_exact(c.lhs, point)) {
    if (const std::optional<cln::cl_RA> r = evaluate_exact(c.rhs, point)) {
      if (*l == *r) return just(Outcome::Agree);
      Judgement j = just(Outcome::Differ);
      auto text = [](const cln::cl_RA& q) {
        const std::string exact = rational_text(q);
        return exact.size() <= 60 ? exact : describe_value(q, 60);
      };
      j.lhs_value = text(*l);
      j.rhs_value = text(*r);
      j.difference = text(*l - *r);
      return j;
    }
  }
  if (!fine_always && cln::abs(*coarse.l.value - *coarse.r.value) <= tolerance(coarse, c.digits) &&
      relatively_close(coarse, c.digits)) {
    return just(Outcome::Agree);
  }
  // The finer precision: a difference within its rounding is agreement, whatever it was at the first (a
  // cancellation such as 1 - sigmoid(185) eats the first precision's digits, not the finer one's).
  const Level fine = at(c, point, c.fine_digits);
  if (!fine.both()) return just(Outcome::Unreliable);  // on the edge of the domain, or a pole
  const cln::cl_R d = *fine.l.value - *fine.r.value;
  if (cln::abs(d) <= tolerance(fine, c.fine_digits) && relatively_close(fine, c.fine_digits)) return just(Outcome::Agree);
  if (cln::abs(d) > tolerance(fine, c.fine_digits) && cln::abs(d) <= noise(fine, c.fine_digits)) {
    return just(Outcome::Unreliable);  // absorbed: no need to look further
  }
  // A difference that rounding at the finer precision cannot explain, or one that is small only because the
  // values are (sin(pi) = 0 is 10^-200 against 0; exp(-1000) = 0 is 10^-434 against 0): a difference of
  // rounding shrinks at twice the digits, a real one stays, each side too (on a pole, cot(2*pi) is rounding
  // noise of size 10^200 that changes with the digits).
  const int finest_digits = 2 * c.fine_digits;
  const Level finest = at(c, point, finest_digits);
  if (!finest.both()) return just(Outcome::Unreliable);
  const cln::cl_R d2 = *finest.l.value - *finest.r.value;
  const bool shrank = cln::abs(d2) <= cln::abs(d) * power_of_ten(-c.fine_digits / 2);
  if (shrank || (cln::abs(d2) <= tolerance(finest, finest_digits) && relatively_close(finest, finest_digits))) {
    return just(Outcome::Agree);
  }
  if (cln::abs(d2) <= noise(finest, finest_digits)) return just(Outcome::Unreliable);
  if (!stable(*fine.l.value, *finest.l.value) || !stable(*fine.r.value, *finest.r.value) ||
      cln::abs(d2 - d) > cln::abs(d2) * power_of_ten(-10)) {
    return just(Outcome::Unreliable);
  }
  Judgement j = just(Outcome::Differ);
  j.digits = finest_digits;
  j.lhs_value = describe_value(*finest.l.value, finest_digits);
  j.rhs_value = describe_value(*finest.r.value, finest_digits);
  j.difference = describe_value(d2, finest_digits);
  return j;
}

}  // namespace napier
