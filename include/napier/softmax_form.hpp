// The softmax Jacobian as a textbook states it (source document 000, §5.6, eq. 6): two cases, i = j and
// i != j, and the matrix form diag(s) - s*s^T. Used by `napier jacobian` to derive one entry of each case
// and to name the others, and to print the matrix form once every entry is proved to fit it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/expr.hpp"

namespace napier {

// softmax(x1, ..., xn) differentiated by exactly its own arguments, distinct variables in the same order:
// then every entry is entry (1,1) or (1,2) with variables exchanged.
bool is_softmax_of_its_variables(Expr v, const std::vector<Expr>& variables);

// The case entry (i, j) (0-based) belongs to, as a reader is told it: "the case i = j: J[1][1] with x1
// and x2 exchanged". Empty for the two entries that are derived in full, (0,0) and (0,1).
std::string softmax_case(std::size_t i, std::size_t j, const std::vector<Expr>& variables);

// "diag(s) - s*s^T, s = softmax(x1, x2, x3)" when every entry (values[i][j], as derived) is proved equal
// to s_i*(1 - s_i) on the diagonal and -s_i*s_j off it (check_equal with `options`); nothing otherwise.
std::optional<std::string> softmax_matrix_form(Expr softmax, const std::vector<std::vector<Expr>>& values,
                                               const CheckOptions& options);

}  // namespace napier
