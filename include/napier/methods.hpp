// The two other methods of source document 000 §5.4, as derivations of equations:
//   inverse  y = f(x), so x = g(y) with g the inverse of f (an `inverse` record of the rule files);
//            dx/dy = g'(y); dy/dx = 1/(dx/dy) (the inverse-function rule); y written back as f(x).
//   logdiff  log(y) = log(f(x)), written out by the logarithm rules (log(u^v) = v*log(u), ...);
//            both sides differentiated: (1/y)*dy/dx = L'(x); dy/dx = y*L'(x); y written back.
// Each line is an equation with the rule that gives it; the derivatives inside are ordinary Derivations.
#pragma once

#include <string>
#include <vector>

#include "napier/derivation.hpp"
#include "napier/diagnostic.hpp"
#include "napier/print.hpp"
#include "napier/rules.hpp"

namespace napier {

enum class Method { Direct, Inverse, Logdiff };

struct MethodLine {
  Expr lhs, rhs;      // an equation; dy/dx is diff(y, x) with y a symbol standing for f(x)
  std::string label;  // why it holds
  std::vector<Expr> more;  // further "= ..." forms of the right side, in order
  std::vector<std::string> more_labels;
};

struct MethodDerivation {
  Method method = Method::Direct;
  Expr f, x, y;
  std::vector<MethodLine> lines;
  std::vector<Derivation> parts;  // the sub-derivations the lines rely on (dx/dy, d/dx of the log)
  Expr result;
};

// Which method `auto` picks for f: logdiff for a variable base with a variable exponent, else direct.
Method choose_method(Expr f, Expr x);

Result<MethodDerivation> derive_by_inverse(Expr f, Expr x, const RuleSet& rules);
Result<MethodDerivation> derive_by_logdiff(Expr f, Expr x, const RuleSet& rules);

std::string print_method(const MethodDerivation& d, Style style = Style::Text);

}  // namespace napier
