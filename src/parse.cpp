// A Pratt parser over the table in syntax.hpp. Hand-written (not a generator) because the syntax is small,
// the error messages must name exact columns from one catalogue, and implicit multiplication after a
// number needs one token of context that generated parsers make awkward. See docs/design.md.
#include "napier/parse.hpp"

#include <cln/integer.h>
#include <cln/integer_io.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "interner.hpp"
#include "napier/indexed.hpp"
#include "napier/stack.hpp"
#include "napier/syntax.hpp"
#include "napier/vector_functions.hpp"
#include "napier/piecewise.hpp"
#include "lexer.hpp"
#include "parse_hints.hpp"

namespace napier {
namespace {

using namespace lexing;  // Tok, Token, Lexer and the character classes (lexer.hpp)

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

// A literal as its exact value: up to 18 digits without a point read directly, the rest by CLN.
Expr number_literal(std::string_view lexeme) {
  if (lexeme.size() <= 18 && lexeme.find('.') == std::string_view::npos) {
    long value = 0;
    for (char c : lexeme) value = value * 10 + (c - '0');
    return num(value);
  }
  return num(parse_number(lexeme));
}

class Parser {
 public:
  Parser(Lexer lexer, const ParseOptions& options)
      : lexer_(std::move(lexer)),
        options_(options),
        known_functions_(options.functions != nullptr ? *options.functions : FunctionTable::shipped()) {
    lexer_.next(current_);
  }

  bool empty() const { return current_.kind() == Tok::End; }
  // The lexer's fault, if it found one in the text read so far or (read_to_end) in the rest of it.
  std::optional<Diagnostic> lexical_fault(bool read_to_end) {
    Token rest;
    do {
      if (!read_to_end || lexer_.error()) break;
      lexer_.next(rest);
    } while (rest.kind() != Tok::End);
    return lexer_.error();
  }

  Result<Expr> parse_all() {
    Expr e = expression(Prec::Lowest);
    if (!e.is_null()) {
      const Token t = peek();
      if (t.kind() == Tok::End) {
        // Every comparison is the condition of an if(...) (or part of one, through `and`).
        if (!loose_conditions_.empty()) {
          const int at = std::min_element(loose_conditions_.begin(), loose_conditions_.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; })->second;
          return Diagnostic{"a comparison is the condition of a piecewise function only: if(x > 0, a, b)", at};
        }
        return e;
      }
      if (t.kind() == Tok::RParen) {
        error("unmatched ')'", t);
      } else if (t.kind() == Tok::Op && text(t) == "=") {
        error("'=' may appear only once, at the top level", t);
      } else {
        error(describe_unexpected(t), t);
      }
    }
    return *fault_;
  }

 private:
  const Token& peek() const { return current_; }
  std::string_view text(const Token& t) const { return lexer_.text(t); }
  int column(const Token& t) const { return lexer_.column(t); }
  const Token& advance() {  // the token read; valid until the next advance()
    minus_before_previous_ = previous_.kind() == Tok::Op && is(previous_.op()->spelling, '-');
    previous_ = current_;
    lexer_.next(current_);
    ++pos_;
    return previous_;
  }
  // A fault ends the parse: it is kept, and every function returns a null Expr (or false) up to parse_all.
  // (A Result<Expr> returned at every level, a variant holding a Diagnostic, costs checks and copies.)
  // The paths to a fault are cold and out of line: their strings kept the hot paths' frames large.
  [[gnu::cold, gnu::noinline]] Expr error(std::string message, const Token& at) {
    return error(Diagnostic{std::move(message), column(at)});
  }
  [[gnu::cold, gnu::noinline]] Expr error(const char* message, const Token& at) {
    return error(Diagnostic{message, column(at)});
  }
  [[gnu::cold, gnu::noinline]] Expr error(Diagnostic fault) {
    fault_ = std::move(fault);
    return Expr();
  }
  // "line 2: a second expression ...": the line of the text that `at` begins on, counted from 1.
  [[gnu::cold, gnu::noinline]] std::string second_line(const Token& at) const {
    return "line " + std::to_string(lexer_.line_of(at)) +
           ": a second expression after a line break (napier reads one expression; write * to multiply)";
  }
  [[gnu::cold, gnu::noinline]] Expr unexpected(const Token& t) { return error(describe_unexpected(t), t); }
  [[gnu::cold, gnu::noinline]] Expr unclosed_error(const Token& open) { return error(unclosed(open)); }
  [[gnu::cold, gnu::noinline]] Expr too_deep(const Token& at) {
    // On a smaller stack than run_with_stack asks for (stack.hpp) the limit is lower, and says why.
    const std::string why = max_depth_ >= kMaxNestingDepth
                                ? ""
                                : ", lowered to fit a stack of " + std::to_string(worker_stack_bytes() >> 10) + " KiB";
    return error("nesting deeper than " + std::to_string(max_depth_) + " levels (limit" + why + ")", at);
  }
  // before + 'name' + after, at t.
  [[gnu::cold, gnu::noinline]] Expr name_error(const char* before, std::string_view name, const char* after,
                                               const Token& t) {
    return error(before + std::string(name) + after, t);
  }
  // sin x: "function 'sin' needs its arguments in parentheses", with "write sin(x)" where the operand is
  // plain: one name or number on the name's line, signed only by a '-' that touches it and not the name
  // (exp -x, not exp - x), followed by nothing that binds tighter than a call would (the end, a closing
  // bracket, ',', + - * / =), for a function of one argument. Otherwise (sin 2x, sin x^2, sin cos x, sin)
  // no operand is written out: it would be a guess.
  [[gnu::cold, gnu::noinline]] Expr needs_parentheses(const Token& name, const FunctionInfo& info) {
    Lexer probe = lexer_;  // reads on past current_ without moving the parse
    Token operand = current_, after;
    probe.next(after);
    const auto touch = [](const Token& a, const Token& b) { return a.offset() + a.length() == b.offset(); };
    std::string written;
    if (operand.kind() == Tok::Op && is(operand.op()->spelling, '-') && !touch(name, operand) &&
        touch(operand, after)) {
      written = text(operand);
      operand = after;
      probe.next(after);
    }
    const bool plain_operand =
        operand.kind() == Tok::Number || operand.kind() == Tok::PatternVar ||
        (operand.kind() == Tok::Ident && known_functions_.find(text(operand)) == nullptr);
    const bool nothing_tighter = after.kind() == Tok::End || after.kind() == Tok::RParen ||
                                 after.kind() == Tok::RBracket || after.kind() == Tok::Comma ||
                                 (after.kind() == Tok::Op && after.op()->prec < Prec::Power);
    const bool one_argument = info.min_arity <= 1 && info.max_arity != 0;
    written = plain_operand && nothing_tighter && one_argument && !lexer_.line_break_between(name, operand)
                  ? written + std::string(text(operand))
                  : "";
    return error(detail::needs_parentheses(text(name), written), name);
  }
  // Reported where the closing bracket is missing: at the end of the input.
  Diagnostic unclosed(const Token& open) const {
    const char close = text(open) == "(" ? ')' : ']';
    return Diagnostic{std::string("missing '") + close + "' to close '" + std::string(text(open)) + "' at column " +
                          std::to_string(column(open)),
                      column(peek())};
  }
  std::string describe_unexpected(const Token& t) const {
    switch (t.kind()) {
      case Tok::End: return "unexpected end of input";
      case Tok::Ident:
      case Tok::Number:
        if (pos_ > 0 && lexer_.line_break_between(previous_, t)) {
          return second_line(t);
        }
        return "missing operator before '" + std::string(text(t)) + "'";
      default: return "unexpected '" + std::string(text(t)) + "'";
    }
  }

  // Were the tokens read since token number `from` one numeric literal, possibly with a leading minus?
  bool read_literal_since(std::size_t from) const {
    if (pos_ - from == 1) return previous_.kind() == Tok::Number;
    return pos_ - from == 2 && minus_before_previous_ && previous_.kind() == Tok::Number;
  }

  Expr expression(Prec min) {
    // The top level is depth 1: max_depth_ levels of nesting fit below it.
    if (++depth_ > max_depth_ + 1) {
      // Named at the token that opened the level too many: the '(', the '-' or the '^'.
      return too_deep(pos_ > 0 ? previous_ : peek());
    }
    const std::size_t lhs_start = pos_;
    const Expr lhs = prefix();
    if (lhs.is_null()) return lhs;
    Expr e = lhs;
    bool e_is_literal = read_literal_since(lhs_start);  // until something is appended to e
    // a + b - c + ... (and a*b*c*...) is gathered and built once at its end: building it operator by operator
    // would copy the sum so far at every step, quadratic in its length.
    // The run's items are kept on run_items_, above those of the levels this one is nested in.
    const std::size_t run_start = run_items_.size();
    Kind run_kind = Kind::Add;
    auto flush = [&] {
      if (run_items_.size() == run_start) return;
      const std::span<const Expr> run(run_items_.data() + run_start, run_items_.size() - run_start);
      e = run_kind == Kind::Add ? add(run) : mul(run);
      run_items_.resize(run_start);
    };
    int postfix = 0;  // v[i][j]...: each index is a level of nesting too
    while (true) {
      const Token t = peek();
      if (t.kind() == Tok::LBracket && Prec::Postfix > min) {
        if (depth_ + ++postfix > max_depth_ + 1) {
          return too_deep(t);
        }
        flush();
        e_is_literal = false;
        const Expr indexed = postfix_index(e);
        if (indexed.is_null()) return indexed;
        e = indexed;
        continue;
      }
      if (t.kind() == Tok::Superscript && Prec::Power > min) {  // x²: e^2
        flush();
        e_is_literal = false;
        advance();
        e = pow(e, exponent(t));
        continue;
      }
      // An exponent written as a superscript is a number too: x²y is x^2*y as x^2y is.
      const bool implicit = pos_ > 0 &&
                            (previous_.kind() == Tok::Number || previous_.kind() == Tok::Superscript) &&
                            (t.kind() == Tok::Ident || t.kind() == Tok::LParen);
      // 2x multiplies, but a number ending one line and a name beginning the next are two expressions
      // (x^3 then x^4 on standard input), not their product.
      if (implicit && lexer_.line_break_between(previous_, t)) {
        return error(second_line(t), t);
      }
      const InfixOperator* op = implicit ? nullptr : t.op();
      const Prec prec = implicit ? Prec::Product : (op ? op->prec : Prec::Lowest);
      if (prec <= min) break;
      const bool lhs_literal = e_is_literal;
      e_is_literal = false;
      if (!implicit) advance();
      if (op && op->prec == Prec::Equation) {
        if (!options_.allow_equation) return error("an equation is not allowed here: give an expression", t);
        if (min != Prec::Lowest || depth_ != 1) return error("'=' may appear only once, at the top level", t);
      }
      const bool right = op && op->right_associative;
      const std::size_t rhs_start = pos_;
      const Expr rhs = expression(right ? Prec(int(prec) - 1) : prec);
      if (rhs.is_null()) return rhs;
      const std::string_view spelling = implicit ? "*" : op->spelling;
      const bool sum = is(spelling, '+') || is(spelling, '-'), product = is(spelling, '*');
      if (sum || product) {
        const Kind kind = sum ? Kind::Add : Kind::Mul;
        if (run_items_.size() == run_start || run_kind != kind) {
          flush();
          run_kind = kind;
          run_items_.push_back(e);
        }
        run_items_.push_back(is(spelling, '-') ? neg(rhs) : rhs);
        continue;
      }
      flush();
      if (op && (op->prec == Prec::Comparison || op->prec == Prec::Conjunction)) {
        e = condition(*op, e, rhs, t);
        if (e.is_null()) return e;
        if (op->prec == Prec::Comparison && peek().kind() == Tok::Op && peek().op()->prec == Prec::Comparison) {
          return error("comparisons do not chain: write a < x and x < b", peek());
        }
        continue;
      }
      e = combine(spelling, e, rhs, lhs_literal, read_literal_since(rhs_start));
      if (op && op->prec == Prec::Equation && peek().kind() == Tok::Op && text(peek()) == "=") {
        return error("'=' may appear only once, at the top level", peek());
      }
    }
    flush();
    --depth_;
    return e;
  }

  // The integer a superscript spells, checked by the lexer.
  Expr exponent(const Token& t) const {
    const detail::Superscript s = detail::read_superscript(text(t));
    const Expr n = number_literal(s.digits);
    return s.negative ? neg(n) : n;
  }

  // lhs < rhs (and the others), or p and q: a call of the operator's spelling, kept as a loose condition until
  // an if(...) takes it (parse_all refuses one that none takes).
  Expr condition(const InfixOperator& op, Expr lhs, Expr rhs, const Token& at) {
    const bool joins = op.prec == Prec::Conjunction;
    for (Expr side : {lhs, rhs}) {
      if (is_condition(side) != joins) {
        return error(joins ? "'and' joins two conditions (comparisons such as x > 0)"
                           : "a comparison compares two expressions, not conditions",
                     at);
      }
      if (joins) take_condition(side);
    }
    const Expr c = call(op.spelling, {lhs, rhs});
    loose_conditions_.emplace_back(c.node(), column(at));
    return c;
  }
  void take_condition(Expr c) {
    auto it = std::find_if(loose_conditions_.begin(), loose_conditions_.end(),
                           [&](const auto& p) { return p.first == c.node(); });
    if (it != loose_conditions_.end()) loose_conditions_.erase(it);
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

  Expr postfix_index(Expr base) {
    if (!has_components(base, known_functions_)) {
      return error("only a vector has components: x[k], [a, b][2], softmax(x)[i] (this is a scalar)", peek());
    }
    const Token open = advance();
    const Token index_token = peek();
    const Expr i = expression(Prec::Lowest);
    if (i.is_null()) return i;
    if (peek().kind() != Tok::RBracket) {
      if (peek().kind() == Tok::End) return unclosed_error(open);
      return unexpected(peek());
    }
    advance();
    // A vector written out element by element has a fixed length: its index is a number. A symbolic index
    // (softmax(x)[i]) goes with a vector named by one symbol, whose length n is symbolic.
    const bool written_out = base.is(Kind::Vector) || (base.is_call("softmax") && base.size() >= 2);
    if (written_out && !i.is_number()) {
      return error("the index of a vector written out element by element must be a number 1.." +
                       std::to_string(base.size()) + " (a symbolic index goes with softmax(x)[i])",
                   index_token);
    }
    if (i.is_number()) {
      if (!i.is_integer() || i.number() < 1) {
        return error("an index must be a positive integer (indices start at 1)", index_token);
      }
      std::size_t length = 0;
      if (base.is(Kind::Vector)) length = base.size();
      if (base.is_call("softmax")) length = base.size();
      if (length > 0 && i.number() > static_cast<long>(length)) {
        return error("index " + std::to_string(i.small_integer().value_or(0)) +
                         " is out of range 1.." + std::to_string(length),
                     index_token);
      }
    }
    return index(base, i);
  }

  Expr prefix() {
    const Token t = advance();
    switch (t.kind()) {
      case Tok::Number:
        return leaf(text(t), [&] { return number_literal(text(t)); });
      case Tok::PatternVar:
        return leaf(text(t), [&] { return sym(text(t)); });
      case Tok::Ident:
        return identifier(t);
      case Tok::LParen: {
        ++open_;
        const Expr inner = expression(Prec::Lowest);
        --open_;
        if (inner.is_null()) return inner;
        if (peek().kind() != Tok::RParen) {
          if (peek().kind() == Tok::End) return unclosed_error(t);
          return unexpected(peek());
        }
        advance();
        return inner;
      }
      case Tok::LBracket: {
        const std::size_t start = run_items_.size();
        if (!list(Tok::RBracket, t)) return Expr();
        if (run_items_.size() == start) return error("a vector needs at least one element", t);
        const Expr v = vector(items_from(start));
        run_items_.resize(start);
        return v;
      }
      case Tok::Op:
        if (is(t.op()->spelling, '-') || is(t.op()->spelling, '+')) {  // the row, for − too
          const Expr operand = expression(Prec::Unary);
          if (operand.is_null()) return operand;
          return is(t.op()->spelling, '-') ? neg(operand) : operand;
        }
        return unexpected(t);
      case Tok::Superscript:
        return error(detail::stray_superscript(text(t)), t);
      case Tok::RParen:
        // Inside brackets the ')' closes something (an operand is missing); at the top it closes nothing.
        return error(open_ > 0 ? "unexpected ')'" : "unmatched ')'", t);
      case Tok::RBracket:
      case Tok::Comma:
      case Tok::End:
        return unexpected(t);
    }
    return unexpected(t);
  }

  // Comma-separated expressions up to `close`, pushed on run_items_ (the caller takes them off); the opening
  // token is consumed already.
  bool list(Tok close, const Token& open) {
    ++open_;
    const bool read = list_items(close, open);
    --open_;
    return read;
  }
  std::span<const Expr> items_from(std::size_t start) const {
    return {run_items_.data() + start, run_items_.size() - start};
  }

  bool list_items(Tok close, const Token& open) {
    if (peek().kind() == close) {
      advance();
      return true;
    }
    while (true) {
      const Expr item = expression(Prec::Lowest);
      if (item.is_null()) return false;
      run_items_.push_back(item);
      const Token t = peek();
      if (t.kind() == Tok::Comma) {
        advance();
        continue;
      }
      if (t.kind() == close) {
        advance();
        return true;
      }
      error(t.kind() == Tok::End ? unclosed(open) : Diagnostic{describe_unexpected(t), column(t)});
      return false;
    }
  }

  Expr identifier(const Token& t) {
    const std::string_view name = text(t);
    if (peek().kind() != Tok::LParen) {
      if (const Expr* known = leaves_.find(name)) return *known;
      if (name == "e" || name == "pi") return leaves_.add(name, constant(name));
      if (const FunctionInfo* info = known_functions_.find(name)) return needs_parentheses(t, *info);
      return leaves_.add(name, sym(name));
    }
    const Token open = advance();
    const std::size_t start = run_items_.size();
    if (!list(Tok::RParen, open)) return Expr();
    const Expr e = apply(t, items_from(start));
    run_items_.resize(start);
    return e;
  }

  // name(args...) once its arguments are read: checked against the function table.
  Expr apply(const Token& t, std::span<const Expr> args) {
    const std::string_view name = text(t);
    const FunctionInfo* const* seen = functions_.find(name);
    const FunctionInfo* info = seen ? *seen : known_functions_.find(name);
    if (info != nullptr && seen == nullptr) functions_.add(name, info);
    const std::string_view canonical = FunctionTable::canonical_name(name);
    if (info == nullptr) {
      if (options_.allow_unknown_functions) return call(canonical, args);
      if (name == "e" || name == "pi") return name_error("'", name, "' is a constant, not a function", t);
      return name_error("unknown function '", name, "'", t);
    }
    const int n = static_cast<int>(args.size());
    if (n < info->min_arity || (info->max_arity >= 0 && n > info->max_arity)) {
      return error(arity_message(std::string(name), *info, n), t);
    }
    if (canonical == "diff") {
      if (!args[1].is(Kind::Symbol) && !is_indexed_variable(args[1])) {
        return error("diff(f, x) needs a symbol as its second argument", t);
      }
      return derivative(args[0], args[1]);
    }
    if (canonical == "if") {  // if(condition, value where it holds, value elsewhere)
      if (!is_condition(args[0]) && !args[0].is_pattern_variable()) {
        return error("if(condition, a, b) needs a comparison as its condition: if(x > 0, x, 0)", t);
      }
      take_condition(args[0]);
    }
    // The summation index is bound in the body: it must be a name, never an expression.
    if (canonical == "sum" && !args[1].is(Kind::Symbol)) {
      return error("sum(body, k, lo, hi) needs a symbol as its index variable k", t);
    }
    return call(canonical, args);
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

  // What this input has spelled already, by the text (a view into the input): a long sum names x, its
  // numbers and its functions thousands of times, and each would be read, looked up and interned again.
  // Direct-mapped: a slot holds the last value whose text hashed to it.
  template <class Value>
  class TextCache {
   public:
    const Value* find(std::string_view text) const {
      const Slot& slot = slots_[index(text)];
      return slot.filled && same_text(slot.text, text) ? &slot.value : nullptr;
    }
    Value add(std::string_view text, Value value) {
      slots_[index(text)] = {text, value, true};
      return value;
    }

   private:
    struct Slot {
      std::string_view text;
      Value value{};
      bool filled = false;
    };
    // Leaves are a few characters: an inline loop is cheaper than std::hash's and memcmp's calls.
    static std::size_t index(std::string_view text) {
      std::size_t h = text.size();
      for (char c : text) h = h * 31 + static_cast<unsigned char>(c);
      return h % kSlots;
    }
    static bool same_text(std::string_view a, std::string_view b) {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] != b[i]) return false;
      }
      return true;
    }
    static constexpr std::size_t kSlots = 256;
    std::array<Slot, kSlots> slots_{};
  };
  template <class Make>
  Expr leaf(std::string_view text, const Make& make) {
    if (const Expr* known = leaves_.find(text)) return *known;
    return leaves_.add(text, make());
  }

  std::vector<Expr> run_items_;  // the sums and products being gathered, innermost last
  Lexer lexer_;
  Token current_, previous_;  // the next token, and the one read last
  bool minus_before_previous_ = false;  // was the token before previous_ a '-'?
  const ParseOptions& options_;
  const FunctionTable& known_functions_;
  std::vector<std::pair<const Node*, int>> loose_conditions_;  // conditions no if(...) has taken, and columns
  TextCache<Expr> leaves_;                       // numbers, symbols, constants
  TextCache<const FunctionInfo*> functions_;     // names of known functions
  std::size_t pos_ = 0;
  int depth_ = 0;
  const int max_depth_ = nesting_limit();  // kMaxNestingDepth, or less on a small stack (stack.hpp)
  int open_ = 0;  // brackets open around the current position
  std::optional<Diagnostic> fault_;
};

}  // namespace

Result<Expr> parse(std::string_view text, const ParseOptions& options) {
  const std::size_t max_bytes = std::min(options.max_input_bytes, kMaxInputBytesCeiling);
  if (text.size() > max_bytes) {
    return Diagnostic{"input longer than " + std::to_string(max_bytes) + " bytes (limit)", 0};
  }
  // The parser builds drafts of a long text, interned all at once at the end (interner.hpp: their lookups
  // overlap). It never compares two expressions it built with ==, which drafts do not support.
  // A short text's nodes and the interner's tables it touches stay in the cache: there drafting only adds
  // the copy (about a tenth of parsing 22 KB).
  constexpr std::size_t kDraftFromBytes = 64 << 10;
  std::optional<detail::Drafting> drafting;
  if (text.size() > kDraftFromBytes) drafting.emplace();
  Parser parser(Lexer(text, options.allow_pattern_variables, options.first_column), options);
  Result<Expr> e = parser.empty() ? Result<Expr>(Diagnostic{"empty input", options.first_column}) : parser.parse_all();
  // A character no token may hold is reported wherever it is, before any error of syntax: the lexer's own
  // fault first, then (the parse having stopped early) one further on in the text.
  if (std::optional<Diagnostic> fault = parser.lexical_fault(/*read_to_end=*/!e)) return *fault;
  if (!e) return e;
  return drafting ? drafting->finish(*e, detail::Drafting::Intern::All) : *e;
}

}  // namespace napier
