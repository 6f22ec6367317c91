// napier grad, jacobian and hessian: options in, the library's MatrixExplanation (matrix.hpp) printed.
//   grad EXPR --wrt x,y,...      EXPR scalar. Text: the gradient as one vector `[f_x, f_y]`.
//   jacobian EXPR --wrt V1,...   EXPR a list [f1, f2, ...] or softmax(x1, ..., xn). Text: one row per line.
//   hessian EXPR --wrt x,y,...   EXPR scalar. Same output shapes as jacobian.
// JSON (the contract): {"input", "wrt": [str], "matrix": [[str]] (grad: "gradient": [str]), "check": {...}},
// with --steps also "schema", "document", "lines" (the derivation document) and "steps" (per entry).
// --verify proves every line of the steps document instead, as `napier verify` does for diff.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "napier/matrix.hpp"
#include "napier/rules.hpp"

namespace napier::cli {

struct MatrixArgs {
  std::string text;                // EXPR (already read from standard input when it was "-")
  std::optional<std::string> wrt;  // "x1,x2,x3"; none (no --wrt): every free symbol, in natural order
  bool steps = false;              // show the derivation of each distinct entry
  bool verify = false;             // prove every line of the derivation instead
  Format format = Format::Text;    // text|unicode|latex|markdown|json (verify: text|json)
  std::vector<std::string> lets;   // --let "h = ...": names expanded before deriving, folded back in the output
};

int matrix_command(const RuleSet& rules, MatrixKind kind, const MatrixArgs& args);

}  // namespace napier::cli
