// Piecewise functions: if(c, a, b) is a where the condition c holds and b elsewhere. A condition is a
// comparison (u < v, u <= v, u > v, u >= v) or two conditions joined by `and`; the tree holds it as a call
// named by the operator's spelling (">", "and"), a name no input can call. relu, heaviside, sign, max and min
// are records built on if (rules/35-piecewise.rules). GiNaC has no piecewise functions: the checkers take
// them piece by piece (lift_pieces), and the points where a function may not be differentiable are found
// where the sides of a condition meet (kinks).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "napier/expr.hpp"
#include "napier/known_derivative.hpp"

namespace napier {

bool is_condition_operator(std::string_view name);  // <, <=, >, >=, and: the names of conditions' calls
bool is_comparison(Expr e);  // u < v, u <= v, u > v, u >= v
bool is_condition(Expr e);   // a comparison, or p and q
bool has_pieces(Expr e);     // holds an if(...)

// A piecewise expression has at most this many pieces once lifted (2^4: four independent conditions).
inline constexpr int kMaxPieces = 16;

// e as nested if(...)s whose leaves hold no if: every if lifted above what contains it (f(if(c, a, b)) =
// if(c, f(a), f(b)), true point by point). Nothing when that makes more than kMaxPieces leaves.
std::optional<Expr> lift_pieces(Expr e);

// A lifted expression with each leaf mapped by `leaf`: if(c, leaf(a), leaf(b)), recursively.
Expr map_pieces(Expr lifted, const std::function<Expr(Expr)>& leaf);

// d/dx f for a piecewise f, piece by piece: a sum term by term, a product by the product rule (so that each
// part's pieces are lifted on their own: n relus make 2n pieces, not 2^n), anything else lifted and each
// piece's d/dx handed to `derivative_of_piece` (called with the unevaluated derivative of an if-free
// expression). Nothing when a part has more than kMaxPieces pieces.
std::optional<Expr> derivative_by_pieces(Expr f, Expr x, const std::function<Expr(Expr)>& derivative_of_piece);

// A point where f is not differentiable in its one variable: x = at, and why.
struct Kink {
  Expr at;
  std::string why;  // "the pieces do not meet there", "the one-sided derivatives are 1 and 0"
};

struct Kinks {
  std::vector<Kink> points;
  // Where f may not be differentiable and napier cannot tell, as equations: a condition's boundary napier
  // could not solve (u = v, not linear or quadratic in x after factoring), or a point x = p where GiNaC could
  // not compare the pieces.
  std::vector<Expr> unsolved;
};

// Where f (definitions expanded; if-free pieces) is not differentiable in x: at each point where the sides of
// one of its conditions meet, f's pieces on the two sides are compared there, in value and in derivative,
// exactly by GiNaC. Points where both agree are differentiable and not listed.
Kinks kinks(Expr f, Expr x, const DerivativeLookup& known_by_derivative = {});

}  // namespace napier
