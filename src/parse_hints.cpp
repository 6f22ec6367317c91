// Unicode operators and superscripts, and the reader's hints: see parse_hints.hpp.
#include "parse_hints.hpp"

namespace napier::detail {
namespace {

unsigned char byte_at(std::string_view text, std::size_t i) {
  return i < text.size() ? static_cast<unsigned char>(text[i]) : 0;
}

// The superscript character at text[i] in UTF-8: 0..9 for a digit, 10 for ⁻, -1 for none. `length` is set to
// its bytes. ¹ ² ³ are U+00B9 U+00B2 U+00B3 (Latin-1); ⁰ and ⁴ to ⁹ are U+2070 and U+2074..U+2079; ⁻ U+207B.
int superscript_at(std::string_view text, std::size_t i, std::size_t& length) {
  const unsigned char b0 = byte_at(text, i), b1 = byte_at(text, i + 1), b2 = byte_at(text, i + 2);
  length = 2;
  if (b0 == 0xC2 && b1 == 0xB9) return 1;
  if (b0 == 0xC2 && (b1 == 0xB2 || b1 == 0xB3)) return b1 - 0xB0;
  length = 3;
  if (b0 == 0xE2 && b1 == 0x81 && (b2 == 0xB0 || (b2 >= 0xB4 && b2 <= 0xB9))) return b2 - 0xB0;
  if (b0 == 0xE2 && b1 == 0x81 && b2 == 0xBB) return 10;
  length = 0;
  return -1;
}

}  // namespace

std::string_view unicode_operator(std::string_view text, std::size_t i, std::size_t& length) {
  const unsigned char b0 = byte_at(text, i), b1 = byte_at(text, i + 1), b2 = byte_at(text, i + 2);
  length = 2;
  if ((b0 == 0xC2 && b1 == 0xB7) || (b0 == 0xC3 && b1 == 0x97)) return "*";  // · U+00B7, × U+00D7
  length = 3;
  if (b0 == 0xE2 && b1 == 0x88 && b2 == 0x92) return "-";   // − U+2212
  if (b0 == 0xE2 && b1 == 0x89 && b2 == 0xA4) return "<=";  // ≤ U+2264
  if (b0 == 0xE2 && b1 == 0x89 && b2 == 0xA5) return ">=";  // ≥ U+2265
  length = 0;
  return {};
}

std::size_t superscript_run(std::string_view text, std::size_t i) {
  const std::size_t start = i;
  std::size_t length = 0;
  while (superscript_at(text, i, length) >= 0) i += length;
  return i - start;
}

Superscript read_superscript(std::string_view run) {
  Superscript s;
  std::size_t length = 0;
  for (std::size_t i = 0; i < run.size(); i += length) {
    const int c = superscript_at(run, i, length);
    if (c == 10 && i == 0) {
      s.negative = true;
    } else if (c < 0 || c == 10) {
      return {};  // a ⁻ after the first character (or, never from superscript_run, no superscript)
    } else {
      s.digits.push_back(static_cast<char>('0' + c));
    }
  }
  return s;
}

std::string not_an_exponent(std::string_view run) {
  return "superscript '" + std::string(run) +
         "' is not a whole-number exponent (x⁻¹ is x^-1); write other powers with ^";
}

std::string stray_superscript(std::string_view run) {
  const Superscript s = read_superscript(run);
  return "superscript '" + std::string(run) + "' has nothing before it to raise: write x" + std::string(run) +
         " or x^" + (s.negative ? "-" : "") + s.digits;
}

std::string needs_parentheses(std::string_view name, std::string_view operand) {
  std::string message = "function '" + std::string(name) + "' needs its arguments in parentheses";
  if (!operand.empty()) message += ": write " + std::string(name) + "(" + std::string(operand) + ")";
  return message;
}

}  // namespace napier::detail
