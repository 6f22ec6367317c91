#include "napier/print.hpp"

#include <cln/integer.h>
#include <cln/rational_io.h>

#include <sstream>
#include <string_view>

#include "napier/piecewise.hpp"
#include "napier/spellings.hpp"
#include "napier/syntax.hpp"
#include "primitives.hpp"

namespace napier {
namespace {

std::string number_text(const cln::cl_RA& n) {
  std::ostringstream out;
  cln::fprint(out, n);
  return out.str();
}

bool positive_rational_literal_hazard(Expr numerator, Expr denominator) {
  // "n/d" with integers n and d > 1 in lowest terms reads back as the rational number n/d.
  return numerator.is_integer() && denominator.is_integer() && denominator.number() > 1 &&
         cln::gcd(cln::numerator(numerator.number()), cln::numerator(denominator.number())) == 1;
}

// A product with a leading -1 that is written as a prefix minus: -x, -x*y, -(a + b)*c.
bool leading_minus_one(Expr e) { return e.is(Kind::Mul) && e[0].is_number(-1) && !e[1].is_number(); }

std::string superscript(std::string_view digits) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out;
  for (char c : digits) out += c == '-' ? "⁻" : kDigits[c - '0'];
  return out;
}

// Plain, Text and Unicode share one structure; only the glyphs differ.
class LinearPrinter {
 public:
  explicit LinearPrinter(Style style) : style_(style) {}

  std::string print(Expr e) {
    switch (e.kind()) {
      case Kind::Number: {
        std::string text = number_text(e.number());
        if (unicode() && text[0] == '-') text = "−" + text.substr(1);
        return text;
      }
      case Kind::Symbol:
        return e.name();
      case Kind::Constant:
        return unicode() && e.name() == "pi" ? "π" : e.name();
      case Kind::Add:
        return sum(e);
      case Kind::Mul:
        return product(e);
      case Kind::Div: {
        const bool hazard = positive_rational_literal_hazard(e[0], e[1]);
        return wrap(e[0], hazard || printed_precedence(e[0]) < Prec::Product) + "/" +
               wrap(e[1], printed_precedence(e[1]) <= Prec::Product || prints_negative(e[1]));
      }
      case Kind::Pow:
        return power(e);
      case Kind::Call:
        return function_call(e);
      case Kind::Derivative:
        if (style_ == Style::Plain) return "diff(" + print(e[0]) + ", " + print(e[1]) + ")";
        return "d/d" + print(e[1]) + "(" + print(e[0]) + ")";
      case Kind::Equation:
        return print(e[0]) + " = " + print(e[1]);
      case Kind::Vector:
        return "[" + joined(e) + "]";
      case Kind::Index:
        return wrap(e[0], printed_precedence(e[0]) < Prec::Postfix) + "[" + print(e[1]) + "]";
    }
    return {};
  }

 private:
  bool unicode() const { return style_ == Style::Unicode; }
  std::string times() const { return unicode() ? "·" : "*"; }
  std::string minus() const { return unicode() ? "−" : "-"; }

  std::string wrap(Expr e, bool parens) { return parens ? "(" + print(e) + ")" : print(e); }


  std::string joined(Expr e) {
    std::string out;
    for (std::size_t i = 0; i < e.size(); ++i) out += (i ? ", " : "") + print(e[i]);
    return out;
  }

  std::string sum(Expr e) {
    std::string out = print(e[0]);
    for (std::size_t i = 1; i < e.size(); ++i) {
      const Expr t = e[i];
      if (t.is_negative_number()) {
        out += " " + minus() + " " + print(num(-t.number()));
      } else if (t.is(Kind::Mul) && t[0].is_negative_number() && !(t[0].is_number(-1) && t[1].is_number())) {
        std::vector<Expr> rest(t.args().begin(), t.args().end());
        if (t[0].is_number(-1)) {
          rest.erase(rest.begin());
        } else {
          rest[0] = num(-t[0].number());
        }
        const Expr magnitude = rest.size() == 1 ? rest[0] : mul(rest);
        out += " " + minus() + " " +
               wrap(magnitude, printed_precedence(magnitude) <= Prec::Sum || prints_negative(magnitude));
      } else {
        out += " + " + wrap(t, printed_precedence(t) <= Prec::Sum || prints_negative(t));
      }
    }
    return out;
  }

  std::string product(Expr e) {
    std::string out;
    std::size_t first = 0;
    // -x*y reads back as (-x)*y, the same flat product; but with a negative second factor, -(-(-p))*p would
    // read back as (-(-(-p)))*p, another tree: then the -1 is written as a factor of its own.
    if (leading_minus_one(e) && !(e.size() > 2 && prints_negative(e[1]))) {
      out = minus() + wrap(e[1], printed_precedence(e[1]) <= Prec::Product || prints_negative(e[1]));
      first = 2;
    } else {
      out = wrap(e[0], printed_precedence(e[0]) < Prec::Product);
      first = 1;
    }
    for (std::size_t i = first; i < e.size(); ++i) {
      out += times() + wrap(e[i], printed_precedence(e[i]) <= Prec::Product || prints_negative(e[i]));
    }
    return out;
  }

  std::string power(Expr e) {
    const Expr base = e[0], exponent = e[1];
    std::string out = wrap(base, printed_precedence(base) <= Prec::Power);
    // √x² would read as √(x²): a root raised to a power keeps its parentheses in Unicode.
    if (unicode() && base.is_call("sqrt")) out = "(" + out + ")";
    if (unicode() && exponent.is_integer()) return out + superscript(number_text(exponent.number()));
    const Prec p = printed_precedence(exponent);
    bool bare = p >= Prec::Power;
    if (p == Prec::Unary) {
      bare = exponent.is_integer() ||
             (leading_minus_one(exponent) && exponent.size() == 2 && printed_precedence(exponent[1]) >= Prec::Power);
    }
    return out + "^" + wrap(exponent, !bare);
  }

  std::string function_call(Expr e) {
    if (is_condition(e)) {  // x > 0, p and q (piecewise.hpp): the operator between its sides
      const std::string& op = e.name();
      const std::string glyph = !unicode() ? op : op == ">=" ? "≥" : op == "<=" ? "≤" : op;
      return print(e[0]) + " " + glyph + " " + print(e[1]);
    }
    // if(c, a, b) reads as cases in a derivation, {a if c; b otherwise}, and as itself in the input syntax.
    if (e.is_call("if") && style_ != Style::Plain) {
      std::string out = "{";
      Expr rest = e;
      for (; rest.is_call("if"); rest = rest[2]) out += print(rest[1]) + " if " + print(rest[0]) + "; ";
      return out + print(rest) + " otherwise}";
    }
    if (unicode()) {
      if (std::optional<Spelling> s = spelling(e.name()); s && !s->unicode.empty()) {
        return s->unicode + "(" + joined(e) + ")";
      }
      if (e.name() == "sqrt") return "√" + wrap(e[0], printed_precedence(e[0]) < Prec::Atom);
    }
    return e.name() + "(" + joined(e) + ")";
  }

  Style style_;
};

class LatexPrinter {
 public:
  std::string print(Expr e) {
    switch (e.kind()) {
      case Kind::Number: {
        const cln::cl_RA& n = e.number();
        if (cln::denominator(n) == 1) return number_text(n);
        const std::string sign = cln::minusp(n) ? "-" : "";
        return sign + "\\frac{" + number_text(cln::abs(cln::numerator(n))) + "}{" +
               number_text(cln::denominator(n)) + "}";
      }
      case Kind::Symbol:
        return symbol(e.name());
      case Kind::Constant:
        return e.name() == "pi" ? "\\pi" : "e";
      case Kind::Add: {
        std::string out = print(e[0]);
        for (std::size_t i = 1; i < e.size(); ++i) {
          std::string term = print(e[i]);
          if (!term.empty() && term[0] == '-') {
            out += " - " + term.substr(1);
          } else {
            out += " + " + term;
          }
        }
        return out;
      }
      case Kind::Mul: {
        std::string out;
        std::size_t first = 0;
        if (leading_minus_one(e)) {
          out = "-";
          first = 1;
        }
        for (std::size_t i = first; i < e.size(); ++i) {
          const bool parens = e[i].is(Kind::Add) || ((i > first || first == 1) && prints_negative(e[i]));
          std::string factor = parens ? "\\left(" + print(e[i]) + "\\right)" : print(e[i]);
          const bool need_dot = i > first && (std::isdigit(static_cast<unsigned char>(factor[0])) ||
                                              factor.rfind("\\frac", 0) == 0);
          out += (i > first ? (need_dot ? " \\cdot " : " ") : "") + factor;
        }
        return out;
      }
      case Kind::Div:
        return "\\frac{" + print(e[0]) + "}{" + print(e[1]) + "}";
      case Kind::Pow: {
        const Expr base = e[0];
        // \sum_{k=1}^{n} (body)^{2} would read as the body squared: a sum raised to a power is bracketed.
        const bool parens = printed_precedence(base) <= Prec::Power || base.is(Kind::Div) ||
                            (base.is_number() && !base.is_integer()) || base.is_call("sum");
        std::string b = parens ? "\\left(" + print(base) + "\\right)" : print(base);
        if (base.is(Kind::Call) && base.size() == 1 && powers_over_name(latex_function_name(base.name()))) {
          // sin(x)^2 is written \sin^{2}\left(x\right)
          return latex_function_name(base.name()) + "^{" + print(e[1]) + "}\\left(" + print(base[0]) + "\\right)";
        }
        return b + "^{" + print(e[1]) + "}";
      }
      case Kind::Call:
        return function_call(e);
      case Kind::Derivative:
        // dy/dx of one variable by another, as Leibniz wrote it (the methods' equations)
        if (e[0].is(Kind::Symbol) && e[1].is(Kind::Symbol) && e[0] != e[1]) {
          return "\\frac{d" + print(e[0]) + "}{d" + print(e[1]) + "}";
        }
        return "\\frac{d}{d" + print(e[1]) + "}\\left(" + print(e[0]) + "\\right)";
      case Kind::Equation:
        return print(e[0]) + " = " + print(e[1]);
      case Kind::Vector: {
        std::string out = "\\begin{pmatrix}";
        for (std::size_t i = 0; i < e.size(); ++i) out += (i ? " \\\\ " : " ") + print(e[i]);
        return out + " \\end{pmatrix}";
      }
      case Kind::Index: {
        const bool parens = printed_precedence(e[0]) < Prec::Postfix;
        return (parens ? "\\left(" + print(e[0]) + "\\right)" : print(e[0])) + "_{" + print(e[1]) + "}";
      }
    }
    return {};
  }

 private:
  // LaTeX's operator names whose powers a textbook writes over the name: \sin^{2}\left(x\right). A fact of
  // typesetting, not of the functions (the arc functions keep (\arcsin x)^2, which cannot read as an inverse).
  static bool powers_over_name(const std::string& latex) {
    for (const char* f : {"\\sin", "\\cos", "\\tan", "\\cot", "\\sec", "\\csc", "\\sinh", "\\cosh", "\\tanh",
                          "\\coth", "\\log", "\\exp"}) {
      if (latex == f) return true;
    }
    return false;
  }
  // The record's spelling (\sigma), the primitive's LaTeX command (\sin), or \operatorname{name}.
  static std::string latex_function_name(const std::string& name) {
    if (std::optional<Spelling> s = spelling(name); s && !s->latex.empty()) return s->latex;
    if (const Primitive* p = primitive(name); p != nullptr && !p->latex.empty()) return std::string(p->latex);
    return "\\operatorname{" + name + "}";
  }
  static std::string symbol(const std::string& name) {
    // x_1 and x1 read as x with subscript 1; longer names in upright italics as one identifier.
    std::size_t split = name.find('_');
    std::string stem = name, sub;
    if (split != std::string::npos) {
      stem = name.substr(0, split);
      sub = name.substr(split + 1);
    } else {
      std::size_t d = name.find_first_of("0123456789");
      if (d != std::string::npos && d > 0) {
        stem = name.substr(0, d);
        sub = name.substr(d);
      }
    }
    if (stem.size() > 1) stem = "\\mathit{" + stem + "}";
    return sub.empty() ? stem : stem + "_{" + sub + "}";
  }
  std::string function_call(Expr e) {
    const std::string& f = e.name();
    if (is_condition(e)) {
      const std::string op = f == ">=" ? "\\ge" : f == "<=" ? "\\le" : f == "and" ? "\\text{ and }" : f;
      return print(e[0]) + " " + op + " " + print(e[1]);
    }
    if (f == "if") {  // the cases, an else-chain flattened
      std::string out = "\\begin{cases} ";
      Expr rest = e;
      for (; rest.is_call("if"); rest = rest[2]) out += print(rest[1]) + " & \\text{if } " + print(rest[0]) + " \\\\ ";
      return out + print(rest) + " & \\text{otherwise} \\end{cases}";
    }
    if (f == "sqrt") return "\\sqrt{" + print(e[0]) + "}";
    if (f == "abs") return "\\left|" + print(e[0]) + "\\right|";
    if (f == "log" && e.size() == 2) return "\\log_{" + print(e[1]) + "}\\left(" + print(e[0]) + "\\right)";
    // sum(body, k, lo, hi) and delta(i, j) as a textbook writes them; the body always in parentheses, so that
    // what follows the sum cannot be read as part of it.
    if (f == "sum" && e.size() == 4) {
      return "\\sum_{" + print(e[1]) + "=" + print(e[2]) + "}^{" + print(e[3]) + "} \\left(" + print(e[0]) + "\\right)";
    }
    if (f == "delta" && e.size() == 2) return "\\delta_{" + print(e[0]) + ", " + print(e[1]) + "}";
    std::string args;
    for (std::size_t i = 0; i < e.size(); ++i) args += (i ? ", " : "") + print(e[i]);
    return latex_function_name(f) + "\\left(" + args + "\\right)";
  }
};

std::string kind_name(Kind k) {
  switch (k) {
    case Kind::Number: return "number";
    case Kind::Symbol: return "symbol";
    case Kind::Constant: return "constant";
    case Kind::Add: return "add";
    case Kind::Mul: return "mul";
    case Kind::Div: return "div";
    case Kind::Pow: return "pow";
    case Kind::Call: return "call";
    case Kind::Derivative: return "derivative";
    case Kind::Equation: return "equation";
    case Kind::Vector: return "vector";
    case Kind::Index: return "index";
  }
  return "?";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void json_tree(Expr e, int indent, int level, std::string& out) {
  const std::string pad = indent < 0 ? "" : "\n" + std::string(static_cast<std::size_t>(indent * (level + 1)), ' ');
  const std::string end_pad = indent < 0 ? "" : "\n" + std::string(static_cast<std::size_t>(indent * level), ' ');
  const std::string sep = indent < 0 ? ", " : ",";
  out += "{" + pad + "\"kind\": " + json_string(kind_name(e.kind()));
  if (e.is_number()) out += sep + pad + "\"value\": " + json_string(number_text(e.number()));
  if (!e.name().empty()) out += sep + pad + "\"name\": " + json_string(e.name());
  if (e.size() > 0) {
    out += sep + pad + "\"args\": [";
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (i) out += ", ";
      json_tree(e[i], indent, level + 1, out);
    }
    out += "]";
  }
  out += end_pad + "}";
}

}  // namespace

Prec printed_precedence(Expr e) {
  switch (e.kind()) {
    case Kind::Number:
      if (cln::minusp(e.number())) return Prec::Unary;
      return e.is_integer() ? Prec::Atom : Prec::Product;
    case Kind::Call:
      if (is_comparison(e)) return Prec::Comparison;
      if (is_condition(e)) return Prec::Conjunction;
      return Prec::Atom;
    case Kind::Symbol:
    case Kind::Constant:
    case Kind::Derivative:
    case Kind::Vector:
      return Prec::Atom;
    case Kind::Index:
      return Prec::Postfix;
    case Kind::Add:
      return Prec::Sum;
    case Kind::Mul:
      return leading_minus_one(e) && e.size() == 2 ? Prec::Unary : Prec::Product;
    case Kind::Div:
      return Prec::Product;
    case Kind::Pow:
      return Prec::Power;
    case Kind::Equation:
      return Prec::Equation;
  }
  return Prec::Atom;
}

bool prints_negative(Expr e) {
  if (e.is_number()) return cln::minusp(e.number());
  if (e.is(Kind::Mul)) return e[0].is_negative_number() || prints_negative(e[0]);
  if (e.is(Kind::Div)) return prints_negative(e[0]);
  return false;
}

std::string print(Expr e, Style style) {
  if (style == Style::Latex) return LatexPrinter().print(e);
  return LinearPrinter(style).print(e);
}

std::string print_tree(Expr e) {
  switch (e.kind()) {
    case Kind::Number: return number_text(e.number());
    case Kind::Symbol:
    case Kind::Constant: return e.name();
    default: break;
  }
  std::string out = "(" + kind_name(e.kind());
  if (e.is(Kind::Call)) out += " " + e.name();
  for (Expr a : e.args()) out += " " + print_tree(a);
  return out + ")";
}

std::string print_json_tree(Expr e, int indent) {
  std::string out;
  json_tree(e, indent, 0, out);
  return out;
}

}  // namespace napier
