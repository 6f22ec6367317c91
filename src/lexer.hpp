// The lexer of the input syntax (parse.cpp's only client): tokens one at a time, each one machine word.
// Private to the library; split from parse.cpp to keep one concept per file.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "napier/diagnostic.hpp"
#include "napier/syntax.hpp"
#include "parse_hints.hpp"

namespace napier::lexing {

// Superscript: a run of superscript digits, x² (parse_hints.hpp).
enum class Tok { Number, Ident, PatternVar, Op, LParen, RParen, LBracket, RBracket, Comma, Superscript, End };

// A token is one word: where its text is in the input, its kind and, for an operator, its row of the
// table. The lexer writes it with one store and the parser copies it with one load; a struct of four
// fields, written field by field and copied whole, stalled on every copy (the store could not be forwarded).
class Token {
 public:
  Token() = default;
  Token(Tok kind, std::size_t offset, std::size_t length, std::size_t op = kNoOperator)
      : bits_(offset | length << kLengthShift | std::uint64_t(kind) << kKindShift | std::uint64_t(op) << kOpShift) {}

  Tok kind() const { return Tok((bits_ >> kKindShift) & 15); }
  std::size_t offset() const { return bits_ & kFieldMask; }
  std::size_t length() const { return (bits_ >> kLengthShift) & kFieldMask; }
  const InfixOperator* op() const {
    const std::size_t i = bits_ >> kOpShift;
    return i == kNoOperator ? nullptr : &kInfixOperators[i];
  }

 private:
  static constexpr int kLengthShift = 28, kKindShift = 56, kOpShift = 60;
  static constexpr std::uint64_t kFieldMask = (std::uint64_t{1} << 28) - 1;
  static constexpr std::size_t kNoOperator = 15;
  std::uint64_t bits_ = std::uint64_t(Tok::End) << kKindShift | std::uint64_t(kNoOperator) << kOpShift;
};
static_assert(kMaxInputBytesCeiling < (std::size_t{1} << 28), "a token's offset and length take 28 bits each");
static_assert(std::size(kInfixOperators) < 15 && int(Tok::End) < 16);

inline std::string byte_hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ident_char(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
// Is the token's text the one character c? (Cheaper than comparing with a literal, which calls memcmp.)
inline bool is(std::string_view text, char c) { return text.size() == 1 && text[0] == c; }

static_assert(std::all_of(std::begin(kInfixOperators), std::end(kInfixOperators),
                          [](const InfixOperator& op) {
                            return op.spelling.size() == 1 || op.spelling.size() == 2 || op.spelling == "and";
                          }),
              "Lexer::next compares operators of one or two characters; 'and' is read as a word");
constexpr std::size_t kAndOperator = std::size(kInfixOperators) - 1;
static_assert(kInfixOperators[kAndOperator].spelling == "and");

// Tokens one at a time, as the parser asks for them: a list of all tokens of a 2 MB sum took 38 MB, written
// and read once, and that traffic pushed the interner's tables out of the cache. At the end, and after a
// fault (error() says which), next() gives Tok::End.
class Lexer {
 public:
  Lexer(std::string_view text, bool allow_pattern_variables, int first_column)
      : text_(text), allow_pattern_variables_(allow_pattern_variables), first_column_(first_column) {}

  // Reads the next token into `out` (written in place: a Token returned by value and copied cost a stall).
  void next(Token& out) {
    std::size_t i = i_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r')) ++i;
    if (i == text_.size()) {
      i_ = i;
      return set(out, Tok::End, i, i);
    }
    const char c = text_[i];
    const auto uc = static_cast<unsigned char>(c);
    const std::size_t start = i;
    if (is_digit(c) || (c == '.' && i + 1 < text_.size() && is_digit(text_[i + 1]))) {
      std::size_t dots = 0;
      while (i < text_.size() && (is_digit(text_[i]) || text_[i] == '.')) dots += text_[i++] == '.';
      const std::string_view lexeme(text_.data() + start, i - start);
      if (dots > 1 || lexeme.back() == '.') return fail(out, "invalid number '" + std::string(lexeme) + "'", start);
      if (lexeme.size() - dots > kMaxNumberDigits) {
        return fail(out, "number longer than " + std::to_string(kMaxNumberDigits) + " digits (limit)", start);
      }
      return set(out, Tok::Number, start, i);
    }
    if (is_alpha(c)) {
      while (i < text_.size() && is_ident_char(text_[i])) ++i;
      if (i - start == 3 && text_.substr(start, 3) == "and") {  // the word operator of conditions
        i_ = i;
        out = Token(Tok::Op, start, 3, kAndOperator);
        return;
      }
      return set(out, Tok::Ident, start, i);
    }
    if (c == '?' && allow_pattern_variables_ && i + 1 < text_.size() && is_alpha(text_[i + 1])) {
      ++i;
      while (i < text_.size() && is_ident_char(text_[i])) ++i;
      if (text_.substr(i, 3) == "...") i += 3;
      return set(out, Tok::PatternVar, start, i);
    }
    switch (c) {
      case '(': return set(out, Tok::LParen, start, i + 1);
      case ')': return set(out, Tok::RParen, start, i + 1);
      case '[': return set(out, Tok::LBracket, start, i + 1);
      case ']': return set(out, Tok::RBracket, start, i + 1);
      case ',': return set(out, Tok::Comma, start, i + 1);
      default: break;
    }
    for (const InfixOperator& op : kInfixOperators) {  // longest first: ** before *
      if (op.spelling[0] == c &&
          (op.spelling.size() == 1 || (i + 1 < text_.size() && text_[i + 1] == op.spelling[1]))) {
        i_ = i + op.spelling.size();
        out = Token(Tok::Op, start, op.spelling.size(), static_cast<std::size_t>(&op - kInfixOperators));
        return;
      }
    }
    if (uc >= 0x80) return non_ascii(out, i);
    if (uc < 0x20 || uc == 0x7F) return fail(out, "control character (byte " + byte_hex(uc) + ")", i);
    return fail(out, "unexpected character '" + std::string(1, c) + "'", i);
  }
  const std::optional<Diagnostic>& error() const { return error_; }
  std::string_view text(const Token& t) const { return std::string_view(text_.data() + t.offset(), t.length()); }
  int column(const Token& t) const { return column(t.offset()); }
  // Does a line break stand between the end of `before` and the start of `after`?
  bool line_break_between(const Token& before, const Token& after) const {
    const std::size_t from = before.offset() + before.length();
    return after.offset() > from && text_.substr(from, after.offset() - from).find('\n') != std::string_view::npos;
  }
  std::size_t line_of(const Token& t) const {
    return 1 + static_cast<std::size_t>(std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(t.offset()), '\n'));
  }

 private:
  int column(std::size_t pos) const { return static_cast<int>(pos) + first_column_; }
  void set(Token& out, Tok kind, std::size_t start, std::size_t end) {
    i_ = end;
    out = Token(kind, start, end - start);
  }
  // · × − ≤ ≥ (operators) and superscripts (an exponent) are read (parse_hints.hpp); any other byte is a
  // fault.
  [[gnu::cold, gnu::noinline]] void non_ascii(Token& out, std::size_t i) {
    std::size_t length = 0;
    if (const std::string_view spelled = detail::unicode_operator(text_, i, length); !spelled.empty()) {
      const auto op = std::find_if(std::begin(kInfixOperators), std::end(kInfixOperators),
                                   [&](const InfixOperator& o) { return o.spelling == spelled; });
      i_ = i + length;
      out = Token(Tok::Op, i, length, static_cast<std::size_t>(op - kInfixOperators));
      return;
    }
    if (const std::size_t run = detail::superscript_run(text_, i)) {
      const std::string_view lexeme = text_.substr(i, run);
      const std::size_t digits = detail::read_superscript(lexeme).digits.size();
      if (digits == 0) return fail(out, detail::not_an_exponent(lexeme), i);
      if (digits > kMaxNumberDigits) {
        return fail(out, "number longer than " + std::to_string(kMaxNumberDigits) + " digits (limit)", i);
      }
      return set(out, Tok::Superscript, i, i + run);
    }
    fail(out, "non-ASCII character (byte " + byte_hex(static_cast<unsigned char>(text_[i])) + ")", i);
  }
  void fail(Token& out, std::string message, std::size_t at) {
    error_ = Diagnostic{std::move(message), column(at)};
    set(out, Tok::End, text_.size(), text_.size());
  }

  std::string_view text_;
  bool allow_pattern_variables_;
  int first_column_;
  std::size_t i_ = 0;
  std::optional<Diagnostic> error_;
};

}  // namespace napier::lexing
