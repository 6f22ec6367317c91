// Text -> Expr. The input syntax of docs/cli.md (and ../shared/cli-contract.md): numbers (exact), symbols,
// e and pi, + - * / ^ ** with unary minus looser than ^, implicit multiplication after a number (2x, 3(x+1),
// 2 sin(x)), function calls with arity checks, [a, b] vectors, v[i] indexing, and one top-level `=`.
// A hand-written Pratt parser driven by the precedence table in syntax.hpp; errors carry a 1-based column.
#pragma once

#include <string_view>

#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"
#include "napier/functions.hpp"
#include "napier/syntax.hpp"

namespace napier {

struct ParseOptions {
  // The functions known to the input: null means the shipped rules' (RuleSet::shipped), which know sigmoid and
  // sec as well as the primitives. A rule file's loader passes its own table.
  const FunctionTable* functions = nullptr;
  bool allow_equation = true;           // L = R at the top level
  bool allow_pattern_variables = false; // ?u and ?u... (rule files only)
  bool allow_unknown_functions = false; // f(x) with f undeclared (rule files' definitions)
  int first_column = 1;                 // the column of text's first character in its line: every column a
                                        // diagnostic names, the one inside its message too, counts from here
  // The longest text read (docs/limits.md). A program may raise it up to kMaxInputBytesCeiling, for
  // inputs it trusts: memory grows by about 40 bytes per byte of text (a 29 MB sum takes about 1.2 GB).
  std::size_t max_input_bytes = kMaxInputBytes;
};

Result<Expr> parse(std::string_view text, const ParseOptions& options = {});

}  // namespace napier
