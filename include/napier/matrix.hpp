// Many variables: the gradient, the Jacobian and the Hessian as derivation documents. Every entry is
// derived with differentiate() (simplified and folded) and checked against GiNaC by the one verdict policy
// (verdict.hpp) before anything is printed.
//
// Entries are named as a reader writes them, 1-based: grad[i] = d/dx_i f, J[i][j] = d/dx_j f_i,
// H[i][j] = d/dx_j(d/dx_i f). With steps each distinct derivation is shown once; an entry that is the same
// derivative as an earlier one is named instead ("J[2][3] = J[1][3] (the same derivative)"), the lower
// triangle of a Hessian by the symmetry of mixed partials ("H[2][1] = H[1][2]"), and a softmax Jacobian by
// its own variables derives one entry of each case (i = j, i != j: source document 000, eq. 6) and names
// the others after them, closing with the matrix form diag(s) - s*s^T once every entry is proved to fit it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/diagnostic.hpp"
#include "napier/document.hpp"
#include "napier/let.hpp"
#include "napier/rules.hpp"

namespace napier {

// At most this many entries in a Jacobian or Hessian (32 x 32): each is derived and proved, and a softmax
// Jacobian's cost grows as n^3 (a 32-variable one takes about 20 seconds).
inline constexpr std::size_t kMaxMatrixEntries = 1024;

enum class MatrixKind { Gradient, Jacobian, Hessian };

struct MatrixRequest {
  MatrixKind kind = MatrixKind::Gradient;
  Expr f;                       // as parsed (--let names still in it): scalar, or a list / softmax(...) for a Jacobian
  std::vector<Expr> variables;  // distinct symbols of f
  bool steps = false;           // record the derivation of each distinct entry
  LetBindings lets;
};

// One entry: derived, or named after an earlier entry.
struct MatrixEntry {
  std::string name;   // "J[2][1]"
  std::string about;  // "d/dy(grad[1])", or empty
  Expr value;         // in the --let names
  Expr target;        // the same derivative, unevaluated, of the input: what GiNaC checks value against
  std::optional<Derivation> derivation;
  std::string same_as, reason;  // when named after another entry (or by a softmax case: `by_case`)
  bool by_case = false;
  CheckResult check;
};

struct MatrixVerdict {
  bool holds = true;
  How how = How::Proved;  // the weakest entry's
  int proved = 0, numeric = 0, undecided = 0;
  std::string first_refuted;  // "J[1][2]: refuted at x = 1 (...)"
};

struct MatrixExplanation {
  MatrixKind kind = MatrixKind::Gradient;
  std::string symbol;  // "grad", "J", "H"
  Expr input;          // f with the --let names expanded
  std::vector<Expr> variables;
  std::vector<MatrixEntry> entries;              // in derivation order
  std::vector<std::vector<std::size_t>> matrix;  // indices into entries; a gradient is one row
  std::optional<std::string> matrix_form;        // "diag(s) - s*s^T, s = softmax(x1, x2, x3)"
  MatrixVerdict verdict;
  Block document;  // the steps (role "matrix", an "entry" group per entry); empty without steps
};

// Refuses (a diagnostic) a scalar command's vector input, a vector inside a scalar, a Jacobian of no
// vector, a matrix above kMaxMatrixEntries, and a derivation that stops at a limit.
Result<MatrixExplanation> explain_matrix(const RuleSet& rules, const MatrixRequest& request);

}  // namespace napier
