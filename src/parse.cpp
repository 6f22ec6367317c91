// A Pratt parser over the table in syntax.hpp. Hand-written (not a generator) because the syntax is small,
// the error messages must name exact columns from one catalogue, and implicit multiplication after a
// number needs one token of context that generated parsers make awkward. See docs/design.md.
#include "napier/parse.hpp"

#include <cln/integer.h>
#include <cln/integer_io.h>

#include <array>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "napier/indexed.hpp"
#include "napier/syntax.hpp"

namespace napier {
namespace {

enum class Tok { Number, Ident, PatternVar, Op, LParen, RParen, LBracket, RBracket, Comma, End };

struct Token {
  Tok kind;
  std::string_view text;
  int column;  // 1-based
};

std::string byte_hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }

Result<std::vector<Token>> lex(std::string_view text, bool allow_pattern_variables, int first_column) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  auto column = [first_column](std::size_t pos) { return static_cast<int>(pos) + first_column; };
  while (i < text.size()) {
    const char c = text[i];
    const auto uc = static_cast<unsigned char>(c);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (is_digit(c) || (c == '.' && i + 1 < text.size() && is_digit(text[i + 1]))) {
      while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) ++i;
      std::string_view lexeme = text.substr(start, i - start);
      std::size_t dots = 0;
      for (char d : lexeme) dots += d == '.';
      if (dots > 1 || lexeme.back() == '.') {
        return Diagnostic{"invalid number '" + std::string(lexeme) + "'", column(start)};
      }
      if (lexeme.size() - dots > kMaxNumberDigits) {
        return Diagnostic{"number longer than " + std::to_string(kMaxNumberDigits) + " digits (limit)",
                          column(start)};
      }
      tokens.push_back({Tok::Number, lexeme, column(start)});
      continue;
    }
    if (is_alpha(c)) {
      while (i < text.size() && is_ident_char(text[i])) ++i;
      tokens.push_back({Tok::Ident, text.substr(start, i - start), column(start)});
      continue;
    }
    if (c == '?' && allow_pattern_variables && i + 1 < text.size() && is_alpha(text[i + 1])) {
      ++i;
      while (i < text.size() && is_ident_char(text[i])) ++i;
      if (text.substr(i, 3) == "...") i += 3;
      tokens.push_back({Tok::PatternVar, text.substr(start, i - start), column(start)});
      continue;
    }
    switch (c) {
      case '(': tokens.push_back({Tok::LParen, text.substr(i, 1), column(i)}); ++i; continue;
      case ')': tokens.push_back({Tok::RParen, text.substr(i, 1), column(i)}); ++i; continue;
      case '[': tokens.push_back({Tok::LBracket, text.substr(i, 1), column(i)}); ++i; continue;
      case ']': tokens.push_back({Tok::RBracket, text.substr(i, 1), column(i)}); ++i; continue;
      case ',': tokens.push_back({Tok::Comma, text.substr(i, 1), column(i)}); ++i; continue;
      default: break;
    }
    bool matched = false;
    for (const InfixOperator& op : kInfixOperators) {
      if (text.substr(i, op.spelling.size()) == op.spelling) {
        tokens.push_back({Tok::Op, text.substr(i, op.spelling.size()), column(i)});
        i += op.spelling.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (uc >= 0x80) return Diagnostic{"non-ASCII character (byte " + byte_hex(uc) + ")", column(i)};
    if (uc < 0x20 || uc == 0x7F) return Diagnostic{"control character (byte " + byte_hex(uc) + ")", column(i)};
    return Diagnostic{"unexpected character '" + std::string(1, c) + "'", column(i)};
  }
  tokens.push_back({Tok::End, {}, column(text.size())});
  return tokens;
}

cln::cl_RA parse_number(std::string_view lexeme) {
  std::string digits;
  std::size_t fraction_digits = 0;
  bool after_dot = false;
  for (char c : lexeme) {
    if (c == '.') {
      after_dot = true;
      continue;
    }
    digits.push_back(c);
    if (after_dot) ++fraction_digits;
  }
  cln::cl_I value = cln::read_integer(10, 0, digits.c_str(), 0, digits.size());
  return fraction_digits == 0 ? cln::cl_RA(value) : value / cln::expt_pos(cln::cl_I(10), fraction_digits);
}

const InfixOperator* infix_operator(const Token& t) {
  if (t.kind != Tok::Op) return nullptr;
  for (const InfixOperator& op : kInfixOperators) {
    if (op.spelling == t.text) return &op;
  }
  return nullptr;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseOptions& options)
      : tokens_(std::move(tokens)), options_(options) {}

  Result<Expr> parse_all() {
    Result<Expr> e = expression(Prec::Lowest);
    if (!e) return e;
    const Token& t = peek();
    if (t.kind == Tok::End) return e;
    if (t.kind == Tok::RParen) return error("unmatched ')'", t);
    if (t.kind == Tok::Op && t.text == "=") return error("'=' may appear only once, at the top level", t);
    return error(describe_unexpected(t), t);
  }

 private:
  const Token& peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& advance() { return tokens_[pos_++]; }
  static Diagnostic error(std::string message, const Token& at) { return Diagnostic{std::move(message), at.column}; }
  // Reported where the closing bracket is missing: at the end of the input.
  Diagnostic unclosed(const Token& open) const {
    const char close = open.text == "(" ? ')' : ']';
    return error(std::string("missing '") + close + "' to close '" + std::string(open.text) + "' at column " +
                     std::to_string(open.column),
                 peek());
  }
  static std::string describe_unexpected(const Token& t) {
    switch (t.kind) {
      case Tok::End: return "unexpected end of input";
      case Tok::Ident:
      case Tok::Number: return "missing operator before '" + std::string(t.text) + "'";
      default: return "unexpected '" + std::string(t.text) + "'";
    }
  }

  // Is the token range [from, to) one numeric literal, possibly with a leading minus?
  bool is_literal(std::size_t from, std::size_t to) const {
    if (to - from == 1) return tokens_[from].kind == Tok::Number;
    return to - from == 2 && tokens_[from].kind == Tok::Op && tokens_[from].text == "-" &&
           tokens_[from + 1].kind == Tok::Number;
  }

  Result<Expr> expression(Prec min) {
    // The top level is depth 1: kMaxNestingDepth levels of nesting fit below it.
    if (++depth_ > kMaxNestingDepth + 1) {
      // Named at the token that opened the level too many: the '(', the '-' or the '^'.
      return error("nesting deeper than " + std::to_string(kMaxNestingDepth) + " levels (limit)",
                   pos_ > 0 ? tokens_[pos_ - 1] : peek());
    }
    const std::size_t lhs_start = pos_;
    Result<Expr> lhs = prefix();
    if (!lhs) return lhs;
    Expr e = *lhs;
    // a + b - c + ... (and a*b*c*...) is gathered and built once at its end: building it operator by operator
    // would copy the sum so far at every step, quadratic in its length.
    std::vector<Expr> run;
    Kind run_kind = Kind::Add;
    auto flush = [&] {
      if (run.empty()) return;
      e = run_kind == Kind::Add ? add(std::move(run)) : mul(std::move(run));
      run.clear();
    };
    int postfix = 0;  // v[i][j]...: each index is a level of nesting too
    while (true) {
      const Token& t = peek();
      if (t.kind == Tok::LBracket && Prec::Postfix > min) {
        if (depth_ + ++postfix > kMaxNestingDepth + 1) {
          return error("nesting deeper than " + std::to_string(kMaxNestingDepth) + " levels (limit)", t);
        }
        flush();
        Result<Expr> indexed = postfix_index(e);
        if (!indexed) return indexed;
        e = *indexed;
        continue;
      }
      const bool implicit = pos_ > 0 && tokens_[pos_ - 1].kind == Tok::Number &&
                            (t.kind == Tok::Ident || t.kind == Tok::LParen);
      const InfixOperator* op = implicit ? nullptr : infix_operator(t);
      const Prec prec = implicit ? Prec::Product : (op ? op->prec : Prec::Lowest);
      if (prec <= min) break;
      if (!implicit) advance();
      if (op && op->prec == Prec::Equation) {
        if (!options_.allow_equation) return error("an equation is not allowed here: give an expression", t);
        if (min != Prec::Lowest || depth_ != 1) return error("'=' may appear only once, at the top level", t);
      }
      const bool right = op && op->right_associative;
      const std::size_t rhs_start = pos_;
      Result<Expr> rhs = expression(right ? Prec(int(prec) - 1) : prec);
      if (!rhs) return rhs;
      const std::string_view spelling = implicit ? "*" : op->spelling;
      const bool sum = spelling == "+" || spelling == "-", product = spelling == "*";
      if (sum || product) {
        const Kind kind = sum ? Kind::Add : Kind::Mul;
        if (run.empty() || run_kind != kind) {
          flush();
          run_kind = kind;
          run.push_back(e);
        }
        run.push_back(spelling == "-" ? neg(*rhs) : *rhs);
        continue;
      }
      flush();
      e = combine(spelling, e, *rhs, is_literal(lhs_start, rhs_start - 1), is_literal(rhs_start, pos_));
      if (op && op->prec == Prec::Equation && peek().kind == Tok::Op && peek().text == "=") {
        return error("'=' may appear only once, at the top level", peek());
      }
    }
    flush();
    --depth_;
    return e;
  }

  static Expr combine(std::string_view op, Expr lhs, Expr rhs, bool lhs_literal, bool rhs_literal) {
    if (op == "+") return add(lhs, rhs);
    if (op == "-") return sub(lhs, rhs);
    if (op == "*") return mul(lhs, rhs);
    if (op == "^" || op == "**") return pow(lhs, rhs);
    if (op == "=") return equation(lhs, rhs);
    // "/": an integer literal over a positive integer literal in lowest terms is the rational number it
    // spells (1/2 stays exact); anything else (2/4, x/2, (1)/2) stays a division as written.
    if (lhs_literal && rhs_literal && lhs.is_integer() && rhs.is_integer() && rhs.number() > 1 &&
        cln::gcd(cln::numerator(lhs.number()), cln::numerator(rhs.number())) == 1) {
      return num(lhs.number() / rhs.number());
    }
    return div(lhs, rhs);
  }

  Result<Expr> postfix_index(Expr base) {
    const Token& open = advance();
    const Token& index_token = peek();
    Result<Expr> i = expression(Prec::Lowest);
    if (!i) return i;
    if (peek().kind != Tok::RBracket) {
      if (peek().kind == Tok::End) return unclosed(open);
      return error(describe_unexpected(peek()), peek());
    }
    advance();
    // A vector written out element by element has a fixed length: its index is a number. A symbolic index
    // (softmax(x)[i]) goes with a vector named by one symbol, whose length n is symbolic.
    const bool written_out = base.is(Kind::Vector) || (base.is_call("softmax") && base.size() >= 2);
    if (written_out && !i->is_number()) {
      return error("the index of a vector written out element by element must be a number 1.." +
                       std::to_string(base.size()) + " (a symbolic index goes with softmax(x)[i])",
                   index_token);
    }
    if (i->is_number()) {
      if (!i->is_integer() || i->number() < 1) {
        return error("an index must be a positive integer (indices start at 1)", index_token);
      }
      std::size_t length = 0;
      if (base.is(Kind::Vector)) length = base.size();
      if (base.is_call("softmax")) length = base.size();
      if (length > 0 && i->number() > static_cast<long>(length)) {
        return error("index " + std::to_string(i->small_integer().value_or(0)) +
                         " is out of range 1.." + std::to_string(length),
                     index_token);
      }
    }
    return index(base, *i);
  }

  Result<Expr> prefix() {
    const Token& t = advance();
    switch (t.kind) {
      case Tok::Number:
        return leaf(t.text, [&] { return num(parse_number(t.text)); });
      case Tok::PatternVar:
        return leaf(t.text, [&] { return sym(t.text); });
      case Tok::Ident:
        return identifier(t);
      case Tok::LParen: {
        ++open_;
        Result<Expr> inner = expression(Prec::Lowest);
        --open_;
        if (!inner) return inner;
        if (peek().kind != Tok::RParen) {
          if (peek().kind == Tok::End) return unclosed(t);
          return error(describe_unexpected(peek()), peek());
        }
        advance();
        return inner;
      }
      case Tok::LBracket: {
        Result<std::vector<Expr>> items = list(Tok::RBracket, t);
        if (!items) return items.error();
        if (items->empty()) return error("a vector needs at least one element", t);
        return vector(*items);
      }
      case Tok::Op:
        if (t.text == "-" || t.text == "+") {
          Result<Expr> operand = expression(Prec::Unary);
          if (!operand) return operand;
          return t.text == "-" ? neg(*operand) : *operand;
        }
        return error(describe_unexpected(t), t);
      case Tok::RParen:
        // Inside brackets the ')' closes something (an operand is missing); at the top it closes nothing.
        return error(open_ > 0 ? "unexpected ')'" : "unmatched ')'", t);
      case Tok::RBracket:
      case Tok::Comma:
      case Tok::End:
        return error(describe_unexpected(t), t);
    }
    return error(describe_unexpected(t), t);
  }

  // Comma-separated expressions up to `close`; the opening token is consumed already.
  Result<std::vector<Expr>> list(Tok close, const Token& open) {
    ++open_;
    Result<std::vector<Expr>> items = list_items(close, open);
    --open_;
    return items;
  }

  Result<std::vector<Expr>> list_items(Tok close, const Token& open) {
    std::vector<Expr> items;
    if (peek().kind == close) {
      advance();
      return items;
    }
    while (true) {
      Result<Expr> item = expression(Prec::Lowest);
      if (!item) return item.error();
      items.push_back(*item);
      const Token& t = peek();
      if (t.kind == Tok::Comma) {
        advance();
        continue;
      }
      if (t.kind == close) {
        advance();
        return items;
      }
      if (t.kind == Tok::End) return unclosed(open);
      return error(describe_unexpected(t), t);
    }
  }

  Result<Expr> identifier(const Token& t) {
    const std::string_view name = t.text;
    if (peek().kind != Tok::LParen) {
      if (const Expr* known = leaves_.find(name)) return *known;
      if (name == "e" || name == "pi") return leaves_.add(name, constant(name));
      if (options_.functions->find(name) != nullptr) {
        return error("function '" + std::string(name) + "' needs its arguments in parentheses", t);
      }
      return leaves_.add(name, sym(name));
    }
    const Token& open = advance();
    Result<std::vector<Expr>> args = list(Tok::RParen, open);
    if (!args) return args.error();
    const FunctionInfo* info = options_.functions->find(name);
    const std::string canonical(FunctionTable::canonical_name(name));
    if (info == nullptr) {
      if (options_.allow_unknown_functions) return call(canonical, *args);
      if (name == "e" || name == "pi") return error("'" + std::string(name) + "' is a constant, not a function", t);
      return error("unknown function '" + std::string(name) + "'", t);
    }
    const int n = static_cast<int>(args->size());
    if (n < info->min_arity || (info->max_arity >= 0 && n > info->max_arity)) {
      return error(arity_message(std::string(name), *info, n), t);
    }
    if (canonical == "diff") {
      if (!(*args)[1].is(Kind::Symbol) && !is_indexed_variable((*args)[1])) {
        return error("diff(f, x) needs a symbol as its second argument", t);
      }
      return derivative((*args)[0], (*args)[1]);
    }
    // The summation index is bound in the body: it must be a name, never an expression.
    if (canonical == "sum" && !(*args)[1].is(Kind::Symbol)) {
      return error("sum(body, k, lo, hi) needs a symbol as its index variable k", t);
    }
    return call(canonical, *args);
  }

  static std::string arity_message(const std::string& name, const FunctionInfo& info, int got) {
    std::string expected;
    if (info.max_arity < 0) {
      expected = "at least " + std::to_string(info.min_arity);
    } else if (info.min_arity == info.max_arity) {
      expected = std::to_string(info.min_arity);
    } else {
      expected = std::to_string(info.min_arity) + " or " + std::to_string(info.max_arity);
    }
    const bool one = info.min_arity == 1 && (info.max_arity == 1 || info.max_arity < 0);
    return "function '" + name + "' takes " + expected + (one ? " argument" : " arguments") + ", got " +
           std::to_string(got);
  }

  // The numbers and names this input has spelled already, by their text (a view into the input): a long
  // sum names x and its numbers thousands of times, and each would be read, looked up and interned again.
  // Direct-mapped: a slot holds the last leaf whose text hashed to it.
  class LeafCache {
   public:
    const Expr* find(std::string_view text) const {
      const Slot& slot = slots_[index(text)];
      return !slot.value.is_null() && slot.text == text ? &slot.value : nullptr;
    }
    Expr add(std::string_view text, Expr value) {
      slots_[index(text)] = {text, value};
      return value;
    }

   private:
    struct Slot {
      std::string_view text;
      Expr value;
    };
    static std::size_t index(std::string_view text) { return std::hash<std::string_view>{}(text) % kSlots; }
    static constexpr std::size_t kSlots = 256;
    std::array<Slot, kSlots> slots_{};
  };
  template <class Make>
  Expr leaf(std::string_view text, const Make& make) {
    if (const Expr* known = leaves_.find(text)) return *known;
    return leaves_.add(text, make());
  }

  std::vector<Token> tokens_;
  const ParseOptions& options_;
  LeafCache leaves_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int open_ = 0;  // brackets open around the current position
};

}  // namespace

Result<Expr> parse(std::string_view text, const ParseOptions& options) {
  if (text.size() > kMaxInputBytes) {
    return Diagnostic{"input longer than " + std::to_string(kMaxInputBytes) + " bytes (limit)", 0};
  }
  Result<std::vector<Token>> tokens = lex(text, options.allow_pattern_variables, options.first_column);
  if (!tokens) return tokens.error();
  if (tokens->size() == 1) return Diagnostic{"empty input", options.first_column};
  return Parser(std::move(tokens).value(), options).parse_all();
}

}  // namespace napier
