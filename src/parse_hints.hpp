// The non-ASCII characters the reader takes, and the messages that say what to write instead (parse.cpp).
//
// Superscripts are read as powers, not refused: text pasted from a textbook, or from napier's own
// --format unicode, writes x² for x^2. The lexer reads a run of superscript digits, with at most one ⁻ in
// front, as one token (as it reads a number), and the parser applies it as ^ with that integer: x² is
// x^2, (x+1)² is (x+1)^2, x⁻¹ is x^-1, x¹⁰ is x^10, sin(x)² is sin(x)^2. It binds as ^ does with a number
// on its right: -x² is -(x^2), 2x² is 2*x^2, x^y² is x^(y^2); and being a number it may be followed by an
// implicit product, as x^2y is: x²y is x^2*y. A superscript that is not a whole number (⁻ alone, ²⁻¹) is
// a fault of the lexer, and one with nothing before it to raise (²x, 1 + ²) a fault of the parser.
// · (U+00B7) and × (U+00D7) are read as *, − (U+2212) as -: the other characters --format unicode prints
// between operands. Every other non-ASCII character stays an error that names its first byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace napier::detail {

// The operator that the character at text[i] spells: "*" for · and ×, "-" for −, ">=" for ≥, "<=" for ≤, an
// empty view for any other. `length` is set to its bytes.
std::string_view unicode_operator(std::string_view text, std::size_t i, std::size_t& length);

// The bytes of the run of superscript digits and minus signs (⁰ to ⁹, ⁻) that starts at text[i]: 0 if none.
std::size_t superscript_run(std::string_view text, std::size_t i);

// The integer a run spells: its digits in ASCII and whether a ⁻ leads them. No digits when the run is not
// a whole number (⁻ alone, ²⁻¹, ⁻⁻²).
struct Superscript {
  std::string digits;
  bool negative = false;
};
Superscript read_superscript(std::string_view run);

// One-line messages.
std::string not_an_exponent(std::string_view run);    // superscript '⁻' is not a whole-number exponent ...
std::string stray_superscript(std::string_view run);  // superscript '²' has nothing before it to raise ...
// "function 'sin' needs its arguments in parentheses", then ": write sin(x)" if `operand` (as the user wrote
// it) is not empty.
std::string needs_parentheses(std::string_view name, std::string_view operand);

}  // namespace napier::detail
