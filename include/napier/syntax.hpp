// The one precedence table of the input syntax, shared by the parser and the printers, so that printing
// never needs more parentheses than parsing does and parse(print(e)) == e.
#pragma once

#include <cstddef>
#include <string_view>

#include "napier/expr.hpp"

namespace napier {

// Binding strength, weakest first.
enum class Prec : int {
  Lowest = 0,
  Equation = 1,     // a = b (top level only)
  Conjunction = 2,  // p and q                  (conditions of if(...) only; left-associative)
  Comparison = 3,   // a < b, a <= b, a > b, a >= b (conditions of if(...) only; not chained)
  Sum = 4,          // a + b, a - b             (left-associative)
  Product = 5,      // a * b, a / b, 2x         (left-associative)
  Unary = 6,        // -a                       (binds looser than ^: -x^2 is -(x^2))
  Power = 7,        // a ^ b, a ** b            (right-associative)
  Postfix = 8,      // v[i]
  Atom = 9,         // numbers, symbols, constants, calls, (...), [...]
};

struct InfixOperator {
  std::string_view spelling;
  Prec prec;
  bool right_associative;
};

// The binary operators, in the order the lexer tries them (longest spelling first). `and` is a word: the
// lexer reads it where a name would start. A comparison or `and` is a condition (piecewise.hpp): the tree
// holds it as a call of the operator's spelling (">", "and"), a name no input can call.
inline constexpr InfixOperator kInfixOperators[] = {
    {"**", Prec::Power, true},       {"<=", Prec::Comparison, false}, {">=", Prec::Comparison, false},
    {"^", Prec::Power, true},        {"*", Prec::Product, false},     {"/", Prec::Product, false},
    {"+", Prec::Sum, false},         {"-", Prec::Sum, false},         {"<", Prec::Comparison, false},
    {">", Prec::Comparison, false},  {"=", Prec::Equation, false},    {"and", Prec::Conjunction, false},
};

// How tightly the printed form of `e` binds (plain syntax): what a parent compares against the table.
Prec printed_precedence(Expr e);

// Does `e` print with a leading minus sign (-3, -x, -2*x)? Such a term needs parentheses as a non-first
// factor and is written with " - " inside a sum.
bool prints_negative(Expr e);

// Limits of the reader, documented in docs/limits.md.
inline constexpr std::size_t kMaxInputBytes = 16 << 20;  // 16 MiB of text (ParseOptions may raise it)
inline constexpr std::size_t kMaxInputBytesCeiling = (std::size_t{1} << 28) - 1;  // what a token can address
inline constexpr int kMaxNestingDepth = 2000;           // parentheses, calls, unary signs, ^ chains
inline constexpr std::size_t kMaxNumberDigits = 10000;  // digits in one numeric literal

}  // namespace napier
