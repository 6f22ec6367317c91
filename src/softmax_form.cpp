#include "napier/softmax_form.hpp"

#include <algorithm>

#include "napier/print.hpp"

namespace napier {

bool is_softmax_of_its_variables(Expr v, const std::vector<Expr>& variables) {
  if (!v.is_call("softmax") || v.size() < 2 || v.size() != variables.size()) return false;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (v[k] != variables[k] || !v[k].is(Kind::Symbol)) return false;
  }
  return true;  // resolve_variables has already refused repeats
}

std::string softmax_case(std::size_t i, std::size_t j, const std::vector<Expr>& variables) {
  if (i == 0 && j <= 1) return {};
  const std::string xi = variables[i].name(), xj = variables[j].name();
  const std::string x1 = variables[0].name(), x2 = variables[1].name();
  if (i == j) return "the case i = j: the derivation of J[1][1] with " + x1 + " and " + xi + " exchanged";
  // (i, j) from (1, 2): x1 -> xi and x2 -> xj, the other variables in any order.
  return "the case i != j: the derivation of J[1][2] with " + x1 + ", " + x2 + " written " + xi + ", " + xj;
}

std::optional<std::string> softmax_matrix_form(Expr softmax, const std::vector<std::vector<Expr>>& values,
                                               const CheckOptions& options) {
  auto s = [&](std::size_t k) { return index(softmax, num(static_cast<long>(k + 1))); };
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = 0; j < values[i].size(); ++j) {
      const Expr claimed = i == j ? mul(s(i), sub(num(1), s(i))) : neg(mul(s(i), s(j)));
      if (!check_equal(values[i][j], claimed, options).holds) return std::nullopt;
    }
  }
  return "diag(s) - s*s^T, s = " + print(softmax);
}

}  // namespace napier
