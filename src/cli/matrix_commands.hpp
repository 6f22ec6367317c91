// Many variables: the gradient, the Jacobian and the Hessian.
// Every entry is derived with the library's differentiate() (simplified and folded) and checked against
// GiNaC before anything is printed; a refuted entry is reported on stderr and the exit code is 3.
//
// Entries are named as a reader writes them, 1-based: grad[i] = d/dx_i f, J[i][j] = d/dx_j f_i,
// H[i][j] = d/dx_j(d/dx_i f). With --steps each distinct derivation is shown once; an entry that is the
// same derivative as an earlier one is named instead ("J[2][3] = J[1][3] (the same derivative)"), and the
// lower triangle of a Hessian is named by the symmetry of mixed partials ("H[2][1] = H[1][2]"), its
// value being the upper entry's, which GiNaC then checks as d/dx_1(d/dx_2 f) like any other entry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "napier/rules.hpp"

namespace napier::cli {

struct MatrixRequest {
  std::string text;                // EXPR (already read from standard input when it was "-")
  std::optional<std::string> wrt;  // "x1,x2,x3"; none (no --wrt): every free symbol, in natural order (x2 before x10)
  bool steps = false;              // show the derivation of each distinct entry
  Format format = Format::Text;    // text|unicode|latex|json|markdown
  std::vector<std::string> lets;   // --let "h = ...": names expanded before deriving, folded back in the output
};

// napier grad EXPR --wrt x,y,...: EXPR scalar. Text: the gradient as one vector `[f_x, f_y]`.
// JSON: {"input", "wrt": [str], "gradient": [str], "check": {...}}.
int grad_command(const RuleSet& rules, const MatrixRequest& request);

// napier jacobian EXPR --wrt V1,V2,...: EXPR is a list [f1, f2, ...] or a vector function call
// (softmax(x1, ..., xn), whose rows are its components softmax(...)[i]). Text: one row per line.
// JSON (the contract): {"input", "wrt": [str], "matrix": [[str]], "check": {...}}.
int jacobian_command(const RuleSet& rules, const MatrixRequest& request);

// napier hessian EXPR --wrt x,y,...: EXPR scalar. Same output shapes as jacobian.
int hessian_command(const RuleSet& rules, const MatrixRequest& request);

}  // namespace napier::cli
