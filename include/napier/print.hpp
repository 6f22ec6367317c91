// Expr -> text. Deterministic: the same expression prints the same bytes everywhere.
//   Plain   the input syntax; parse(print(e)) == e, with no more parentheses than the syntax needs.
//   Text    Plain, but an unevaluated derivative reads d/dx(f) as in a textbook (not re-parsable).
//   Unicode σ(x)·(1 − σ(x)), x², π, √x.
//   Latex   \frac, superscripts, \sigma.
#pragma once

#include <string>

#include "napier/expr.hpp"

namespace napier {

enum class Style { Plain, Text, Unicode, Latex };

std::string print(Expr e, Style style = Style::Plain);

// The tree as a compact S-expression, for tests and debugging: (add 1 (call exp (mul -1 x)) -1).
// Numbers print exactly (1/2), symbols by name, constants as e and pi, calls as (call NAME args...).
std::string print_tree(Expr e);

// The tree as JSON: {"kind": "add", "args": [...]}, {"kind": "number", "value": "1/2"}, ...
std::string print_json_tree(Expr e, int indent = -1);

}  // namespace napier
