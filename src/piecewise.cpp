#include "napier/piecewise.hpp"

#include <ginac/ginac.h>

#include <algorithm>
#include <unordered_set>

#include "napier/ginac_bridge.hpp"
#include "napier/numeric.hpp"
#include "napier/print.hpp"

namespace napier {
namespace {

// The first if(...) of e outside any condition (depth first), or a null Expr.
Expr first_piece(Expr e, std::unordered_set<const Node*>& seen) {
  if (!seen.insert(e.node()).second || e.size() == 0 || is_condition(e)) return Expr();
  if (e.is_call("if")) return e;
  for (Expr child : e.args()) {
    if (Expr found = first_piece(child, seen); !found.is_null()) return found;
  }
  return Expr();
}

std::optional<Expr> lift(Expr e, int& leaves) {
  std::unordered_set<const Node*> seen;
  const Expr piece = first_piece(e, seen);
  if (piece.is_null()) {
    if (++leaves > kMaxPieces) return std::nullopt;
    return e;
  }
  std::optional<Expr> holds = lift(replace_all(e, piece, piece[1]), leaves);
  if (!holds) return std::nullopt;
  std::optional<Expr> otherwise = lift(replace_all(e, piece, piece[2]), leaves);
  if (!otherwise) return std::nullopt;
  return call("if", {piece[0], *holds, *otherwise});
}

void collect_comparisons(Expr e, std::unordered_set<const Node*>& seen, std::vector<Expr>& out) {
  if (!seen.insert(e.node()).second) return;
  if (is_comparison(e)) out.push_back(e);
  for (Expr child : e.args()) collect_comparisons(child, seen, out);
}

// Does the condition hold at the point? The evaluator decides it as it decides an if(...) (numeric.cpp):
// nothing when a side has no value there, or the point is within rounding of the boundary.
std::optional<bool> holds_at(Expr condition, const Point& point) {
  const std::optional<cln::cl_R> v = evaluate(call("if", {condition, num(1), num(0)}), point);
  if (!v) return std::nullopt;
  return !cln::zerop(*v);
}

// f with every if(...) decided as at the point: the piece that holds there. Nothing when a condition cannot
// be decided.
std::optional<Expr> piece_at(Expr f, const Point& point) {
  bool undecided = false;
  std::function<std::optional<Expr>(Expr)> decide = [&](Expr node) -> std::optional<Expr> {
    if (!node.is_call("if")) return std::nullopt;
    std::optional<bool> h = holds_at(node[0], point);
    if (!h) {
      undecided = true;
      return node;
    }
    return transform(*h ? node[1] : node[2], decide);
  };
  const Expr decided = transform(f, decide);
  if (undecided) return std::nullopt;
  return decided;
}

// The real roots in x of u - v = 0 that napier can write exactly: those of linear and quadratic factors.
// Nothing when u - v holds another symbol or is not a polynomial in x, or a factor's degree is above 2.
std::optional<std::vector<GiNaC::ex>> boundary(Expr comparison, const GiNaC::ex& x, GinacContext& context) {
  Result<GiNaC::ex> g = to_ginac(sub(comparison[0], comparison[1]), context);
  if (!g) return std::nullopt;
  const GiNaC::ex difference = GiNaC::expand(*g);
  if (!difference.is_polynomial(x)) return std::nullopt;
  std::vector<GiNaC::ex> roots;
  const GiNaC::ex factored = GiNaC::factor(difference);
  std::vector<GiNaC::ex> factors;
  if (GiNaC::is_a<GiNaC::mul>(factored)) {
    for (std::size_t i = 0; i < factored.nops(); ++i) factors.push_back(factored.op(i));
  } else {
    factors.push_back(factored);
  }
  for (GiNaC::ex f : factors) {
    if (GiNaC::is_a<GiNaC::power>(f)) f = f.op(0);
    const int degree = f.degree(x);
    if (degree == 0) continue;
    for (int k = 0; k <= degree; ++k) {
      if (!GiNaC::is_a<GiNaC::numeric>(f.coeff(x, k))) return std::nullopt;  // another symbol
    }
    if (degree == 1) {
      roots.push_back(GiNaC::normal(-f.coeff(x, 0) / f.coeff(x, 1)));
    } else if (degree == 2) {
      const GiNaC::ex a = f.coeff(x, 2), b = f.coeff(x, 1), c = f.coeff(x, 0);
      const GiNaC::numeric disc = GiNaC::ex_to<GiNaC::numeric>(b * b - 4 * a * c);
      if (disc.is_negative()) continue;
      for (int sign : {-1, 1}) roots.push_back(GiNaC::normal((-b + sign * GiNaC::sqrt(disc)) / (2 * a)));
    } else {
      return std::nullopt;
    }
  }
  return roots;
}

// A rational within 10^-12 of a real root, to decide the conditions just beside it.
std::optional<cln::cl_RA> near(const GiNaC::ex& root) {
  const GiNaC::ex v = root.evalf();
  if (!GiNaC::is_a<GiNaC::numeric>(v) || !GiNaC::ex_to<GiNaC::numeric>(v).is_real()) return std::nullopt;
  const double d = GiNaC::ex_to<GiNaC::numeric>(v).to_double();
  return cln::rational(cln::cl_float(d, cln::float_format(17)));
}

}  // namespace

bool is_condition_operator(std::string_view n) { return n == "<" || n == "<=" || n == ">" || n == ">=" || n == "and"; }

bool is_comparison(Expr e) { return e.is(Kind::Call) && e.size() == 2 && e.name() != "and" && is_condition_operator(e.name()); }

bool is_condition(Expr e) { return is_comparison(e) || (e.is_call("and") && e.size() == 2); }

bool has_pieces(Expr e) {
  std::unordered_set<const Node*> seen;
  return !first_piece(e, seen).is_null();
}

std::optional<Expr> lift_pieces(Expr e) {
  int leaves = 0;
  return lift(e, leaves);
}

Expr map_pieces(Expr lifted, const std::function<Expr(Expr)>& leaf) {
  if (!lifted.is_call("if")) return leaf(lifted);
  return call("if", {lifted[0], map_pieces(lifted[1], leaf), map_pieces(lifted[2], leaf)});
}

std::optional<Expr> derivative_by_pieces(Expr f, Expr x, const std::function<Expr(Expr)>& derivative_of_piece) {
  auto part = [&](Expr g) -> std::optional<Expr> {
    return has_pieces(g) ? derivative_by_pieces(g, x, derivative_of_piece) : derivative_of_piece(derivative(g, x));
  };
  std::vector<Expr> terms;
  if (f.is(Kind::Add)) {
    for (Expr t : f.args()) {
      std::optional<Expr> d = part(t);
      if (!d) return std::nullopt;
      terms.push_back(*d);
    }
    return add(std::move(terms));
  }
  if (f.is(Kind::Mul)) {  // (u1*...*un)' = sum over i of u1*...*ui'*...*un
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (free_of(f[i], x)) continue;
      std::optional<Expr> d = part(f[i]);
      if (!d) return std::nullopt;
      std::vector<Expr> factors(f.args().begin(), f.args().end());
      factors[i] = *d;
      terms.push_back(mul(std::move(factors)));
    }
    return add(std::move(terms));
  }
  std::optional<Expr> lifted = lift_pieces(f);
  if (!lifted) return std::nullopt;
  return map_pieces(*lifted, [&](Expr piece) { return derivative_of_piece(derivative(piece, x)); });
}

Kinks kinks(Expr f, Expr x, const DerivativeLookup& known_by_derivative) {
  Kinks out;
  std::vector<Expr> comparisons;
  std::unordered_set<const Node*> seen;
  collect_comparisons(f, seen, comparisons);
  GinacContext context(known_by_derivative);
  const GiNaC::ex gx = context.symbol(x.name());
  const GiNaC::symbol& sx = GiNaC::ex_to<GiNaC::symbol>(gx);
  std::vector<GiNaC::ex> points;
  for (Expr c : comparisons) {
    std::optional<std::vector<GiNaC::ex>> roots = boundary(c, gx, context);
    if (!roots) {
      out.unsolved.push_back(equation(c[0], c[1]));
      continue;
    }
    for (const GiNaC::ex& r : *roots) {
      if (std::none_of(points.begin(), points.end(), [&](const GiNaC::ex& p) { return (p - r).is_zero(); })) {
        points.push_back(r);
      }
    }
  }
  // From left to right: GiNaC's factor() orders factors by its own hash, which differs from run to run.
  std::sort(points.begin(), points.end(), [](const GiNaC::ex& a, const GiNaC::ex& b) {
    return GiNaC::ex_to<GiNaC::numeric>(a.evalf()).to_double() < GiNaC::ex_to<GiNaC::numeric>(b.evalf()).to_double();
  });
  const cln::cl_RA step = cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 9);
  for (const GiNaC::ex& r : points) {
    const std::optional<cln::cl_RA> at = near(r);
    if (!at) continue;
    const std::optional<Expr> left = piece_at(f, Point{{x.name(), *at - step}});
    const std::optional<Expr> right = piece_at(f, Point{{x.name(), *at + step}});
    if (!left || !right) continue;
    Result<Expr> where = from_ginac(r);
    if (!where) continue;
    try {
      Result<GiNaC::ex> l = to_ginac(*left, context), rr = to_ginac(*right, context);
      if (!l || !rr) continue;
      const GiNaC::ex jump = GiNaC::normal(l->subs(gx == r) - rr->subs(gx == r));
      if (!jump.is_zero()) {
        out.points.push_back({*where, "the pieces do not meet there"});
        continue;
      }
      const GiNaC::ex from_left = GiNaC::normal(l->diff(sx).subs(gx == r));
      const GiNaC::ex from_right = GiNaC::normal(rr->diff(sx).subs(gx == r));
      if ((from_left - from_right).is_zero()) continue;  // the pieces meet smoothly: differentiable
      Result<Expr> dl = from_ginac(from_left), dr = from_ginac(from_right);
      out.points.push_back({*where, dl && dr ? "the derivative is " + print(*dl) + " from the left and " +
                                                   print(*dr) + " from the right"
                                             : "the one-sided derivatives differ"});
    } catch (const std::exception&) {  // GiNaC could not compare the pieces there (abs'(0): division by zero)
      out.unsolved.push_back(equation(x, *where));
    }
  }
  return out;
}

}  // namespace napier
