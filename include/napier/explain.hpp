// explain(): a differentiation request in, its derivation document and verdict out. Everything `napier diff`
// and `napier verify` do between reading the options and printing lives here, so that the CLI, a C++
// program and (later) the Python module and the web page get the same document and the same verdict.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "napier/check.hpp"
#include "napier/diagnostic.hpp"
#include "napier/document.hpp"
#include "napier/exact.hpp"
#include "napier/let.hpp"
#include "napier/methods.hpp"
#include "napier/piecewise.hpp"
#include "napier/rules.hpp"

namespace napier {

enum class StepStyle { Default, Chain, Substitution };

inline constexpr int kMaxOrder = 100;  // docs/limits.md

struct DiffRequest {
  Expr f;                     // as parsed, --let names still in it
  std::vector<Expr> wrt;      // one variable; several: the mixed partial d/dy(d/dx f)
  int order = 1;              // with one variable
  bool steps = true;          // record the steps (JSON and --steps); without, the fast path
  StepStyle style = StepStyle::Default;
  Method method = Method::Auto;
  LetBindings lets;
  std::vector<std::pair<Expr, Expr>> assumptions;  // --assume L = R, applied to the result as steps
  ExactPoint at;              // also the derivative's exact value there
};

struct DiffExplanation {
  Explanation document;
  Expr result;     // what napier prints as the answer (in the --let names)
  Expr checked;    // what GiNaC checked (the result before --assume, --let names folded)
  Expr target;     // the unevaluated derivative: diff(f, x), diff(diff(f, x), y), ...
  CheckResult verdict;
  Method method = Method::Direct;  // the method the document uses
  std::optional<Expr> value;       // at the point `at`
  // For a piecewise f of one variable: where it is not differentiable (relu at x = 0), and the boundaries
  // napier could not solve (piecewise.hpp).
  Kinks kinks;
};

// Refuses, with a one-line diagnostic, what no method can do: an order outside 1..kMaxOrder, a method or the
// substitution style with a higher order or several variables, --assume with a style or a method, a point
// where f is undefined, a method that does not apply (no inverse known; log(y) never defined), a derivation
// that stops at a limit.
Result<DiffExplanation> explain_diff(const RuleSet& rules, const DiffRequest& request);

}  // namespace napier

namespace napier {

// check --steps: each side of L = R rewritten by the identity and then the textbook rules, to show why the
// identity holds. The root holds two groups (role "side", titled "L" and "R"), each one chain; `result` is
// the common form when both sides reach it (null otherwise).
Result<Explanation> explain_identity(Expr lhs, Expr rhs, const RuleSet& rules);

}  // namespace napier
