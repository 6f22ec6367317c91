// Many variables: the gradient, the Jacobian and the Hessian, and the mixed partial of `diff --wrt x,y`.
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
  std::string format = "text";     // text|unicode|latex|json
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

// The variables of a comma list: "x, y" -> {"x", "y"} (spaces around names are dropped). Nothing when
// `wrt` holds no comma (a single variable: diff's usual path). Throws BadInput for an empty name
// ("x,,y", "x,") or a name that is not a symbol. Repeats are kept: in a mixed partial, "x,x,y" is
// d/dy(d/dx(d/dx f)); the matrix commands reject them themselves.
std::optional<std::vector<std::string>> split_variables(const std::string& wrt);

// napier diff EXPR --wrt x,y[,...]: the mixed partial d/dy(d/dx EXPR), differentiating by each variable in
// turn. `variables` is split_variables(request.wrt). Uses request.text, .steps, .format (text|unicode|
// latex|json) and .at (the exact value at a point, as diff does); rejects --order other than 1,
// --style substitution and --method other than auto (BadInput). Each variable must occur in EXPR.
// Text: the result (with --steps: the derivation by each variable in turn, then "Result:" and the GiNaC
// verdict). JSON: diff's shape, with "wrt" the list as one string "x,y", plus "variables": [str] and
// "partials": [str] (the intermediate derivatives, the last being "result").
// Exit 0, or 3 when GiNaC refutes the result.
int mixed_partial_command(const RuleSet& rules, const DiffRequest& request, const std::vector<std::string>& variables);

}  // namespace napier::cli
