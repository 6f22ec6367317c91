#include "napier/print_document.hpp"

#include <algorithm>

#include "napier/parse.hpp"

namespace napier {
namespace {

// The printed width: code points, not bytes (σ, ·, ² are one column each).
std::size_t columns(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// In a method's equations y stands for f(x), so dy/dx reads as Leibniz wrote it: each diff(y, x) of a
// variable by another prints as the name "dy/dx" (in parentheses where it divides or is divided).
Expr leibniz(Expr e) {
  if (e.is(Kind::Derivative) && e[0].is(Kind::Symbol) && e[1].is(Kind::Symbol) && e[0] != e[1]) {
    return sym("d" + e[0].name() + "/d" + e[1].name());
  }
  if (e.size() == 0) return e;
  std::vector<Expr> args;
  for (Expr a : e.args()) args.push_back(leibniz(a));
  if (e.is(Kind::Div)) {
    for (Expr& a : args) {
      if (a.is(Kind::Symbol) && a.name().find('/') != std::string::npos) a = call("", {a});  // prints as (dy/dx)
    }
  }
  return with_args(e, std::move(args));
}

// One line of the document as printed, whatever the format.
struct Row {
  enum class Kind {
    Title,        // words (a group's title)
    Sentence,     // words around lhs = rhs ("Let u = ...; then y = 1/u.")
    Start,        // a chain's start on a line of its own: d/dx(f)
    Step,         // "  = rhs    [label]" under a Start
    Line,         // lhs = rhs    [label]
    Continued,    // "= rhs    [label]" aligned under the left side above
  };
  Kind kind;
  std::size_t depth = 0;  // indentation levels
  std::size_t top = 0;    // which top-level block it belongs to
  std::vector<Phrase> before, after;
  Expr lhs, rhs;
  bool leibniz = false;
  std::string label;
  std::vector<std::string> conditions;
};

class RowWalker {
 public:
  std::vector<Row> rows;

  // A document of several parts (orders, entries, the sides of an identity) prints each part as a block of
  // its own; any other root (a chain, a method, a substitution) is one block.
  void walk_root(const Block& root) {
    const bool parts = root.role == "document" || root.role == "matrix" || root.role == "identity";
    if (root.kind != BlockKind::Group || !parts) {
      walk(root, 0, root.leibniz);
      return;
    }
    if (!root.title.empty()) add({Row::Kind::Title, 0, top_, root.title});
    for (const Block& c : root.children) {
      walk(c, root.indent_children ? 1 : 0, root.leibniz || c.leibniz);
      ++top_;
    }
  }

 private:
  std::size_t top_ = 0;

  void add(Row r) { rows.push_back(std::move(r)); }

  void walk(const Block& b, std::size_t depth, bool leibniz) {
    leibniz = leibniz || b.leibniz;
    switch (b.kind) {
      case BlockKind::Group:
        if (!b.title.empty()) add({Row::Kind::Title, depth, top_, b.title});
        for (const Block& c : b.children) walk(c, depth + (b.indent_children ? 1 : 0), leibniz);
        return;
      case BlockKind::Equation: {
        Row r{b.lhs.is_null() ? Row::Kind::Continued : Row::Kind::Line, depth, top_};
        if (!b.sentence_before.empty() || !b.sentence_after.empty()) {
          r.kind = Row::Kind::Sentence;
          r.before = b.sentence_before;
          r.after = b.sentence_after;
        }
        r.lhs = b.lhs;
        r.rhs = b.rhs;
        r.leibniz = leibniz;
        r.label = b.label;
        r.conditions = b.conditions;
        add(std::move(r));
        return;
      }
      case BlockKind::Chain: {
        const std::vector<ChainLine> lines = chain_lines(b.chain);
        if (!b.continues) {
          Row first{b.lhs.is_null() ? Row::Kind::Start : Row::Kind::Line, depth, top_};
          first.lhs = b.lhs;
          first.rhs = lines[0].expr;
          first.leibniz = leibniz;
          first.label = b.label;
          first.conditions = b.conditions;
          add(std::move(first));
        }
        const Row::Kind next = !b.lhs.is_null() || b.continues ? Row::Kind::Continued : Row::Kind::Step;
        for (std::size_t i = 1; i < lines.size(); ++i) {
          Row r{next, depth, top_};
          r.rhs = lines[i].expr;
          r.leibniz = leibniz;
          r.label = lines[i].label;
          add(std::move(r));
        }
        return;
      }
    }
  }
};

std::vector<Row> rows_of(const Block& root) {
  RowWalker w;
  w.walk_root(root);
  return w.rows;
}

// The printed expressions of one document, counted against kMaxStepsBytes.
class Budget {
 public:
  explicit Budget(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  std::string take(std::string printed) {
    used_ += printed.size();
    if (used_ > max_bytes_) throw StepsTooLong(max_bytes_);
    return printed;
  }

 private:
  std::size_t max_bytes_, used_ = 0;
};

std::string bracket(const std::string& label, const std::vector<std::string>& conditions) {
  std::string inside = label;
  if (!conditions.empty()) {
    inside += inside.empty() ? "where " : "; where ";
    for (std::size_t i = 0; i < conditions.size(); ++i) inside += (i ? ", " : "") + conditions[i];
  }
  return inside.empty() ? "" : "    [" + inside + "]";
}

// A rule label or title word inside \text{}: the characters TeX gives a meaning there are escaped.

// dx/dy in a label is Leibniz's derivative, not the quotient of a symbol dx by a symbol dy.
Expr leibniz_quotients(Expr e) {
  auto d_of = [](Expr s) { return s.is(Kind::Symbol) && s.name().size() > 1 && s.name()[0] == 'd'; };
  if (e.is(Kind::Div) && d_of(e[0]) && d_of(e[1])) {
    return derivative(sym(e[0].name().substr(1)), sym(e[1].name().substr(1)));
  }
  if (e.size() == 0) return e;
  std::vector<Expr> args;
  for (Expr a : e.args()) args.push_back(leibniz_quotients(a));
  return with_args(e, std::move(args));
}

// A condition as LaTeX: "dx/dy != 0" -> \frac{dx}{dy} \neq 0, "y > 0" -> y > 0; words where it does not parse.
std::string condition_latex(const std::string& condition) {
  static const std::pair<const char*, const char*> relations[] = {
      {" != ", " \\neq "}, {" >= ", " \\geq "}, {" <= ", " \\leq "}, {" > ", " > "}, {" < ", " < "}};
  ParseOptions options;
  options.allow_unknown_functions = true;
  options.allow_equation = false;
  for (const auto& [spelled, latex] : relations) {
    const std::size_t at = condition.find(spelled);
    if (at == std::string::npos) continue;
    Result<Expr> a = parse(condition.substr(0, at), options);
    Result<Expr> b = parse(condition.substr(at + std::string(spelled).size()), options);
    if (!a || !b) break;
    return print(leibniz_quotients(*a), Style::Latex) + latex + print(leibniz_quotients(*b), Style::Latex);
  }
  return "\\text{" + latex_text(condition) + "}";
}

// A formula in a label, as an Expr: "x^a*x^b = x^(a+b)", or "d/dt exp(t) = exp(t)" (the derivative in a
// reader's notation). Nothing when the text is not an equation napier's parser reads.
std::optional<Expr> label_formula(const std::string& text) {
  ParseOptions options;
  options.allow_unknown_functions = true;
  std::string body = text;
  std::optional<Expr> by;
  if (body.rfind("d/d", 0) == 0) {
    const std::size_t space = body.find(' ');
    if (space == std::string::npos || space <= 3) return std::nullopt;
    Result<Expr> v = parse(body.substr(3, space - 3), options);
    if (!v || !v->is(Kind::Symbol)) return std::nullopt;
    by = *v;
    body = body.substr(space + 1);
  }
  Result<Expr> e = parse(body, options);
  if (!e || !e->is(Kind::Equation)) return std::nullopt;
  if (by) return equation(derivative((*e)[0], *by), (*e)[1]);
  return leibniz_quotients(*e);
}

std::string phrases_text(const std::vector<Phrase>& phrases, Style style, Budget& budget) {
  std::string out;
  for (const Phrase& p : phrases) out += p.math.is_null() ? p.words : budget.take(print(p.math, style));
  return out;
}

std::string phrases_latex(const std::vector<Phrase>& phrases, Budget& budget) {
  std::string out;
  for (const Phrase& p : phrases) {
    out += p.math.is_null() ? "\\text{" + latex_text(p.words) + "}" : budget.take(print(p.math, Style::Latex));
  }
  return out;
}

Expr shown(const Row& r, Expr e) { return r.leibniz ? leibniz(e) : e; }

}  // namespace

Expr leibniz_form(Expr e) { return leibniz(e); }

std::string label_latex(const std::string& label) {
  if (label.empty()) return {};
  if (std::optional<Expr> f = label_formula(label)) return print(*f, Style::Latex);
  for (const std::string separator : {": ", ", "}) {
    const std::size_t at = separator == ": " ? label.find(separator) : label.rfind(separator);
    if (at == std::string::npos) continue;
    if (std::optional<Expr> f = label_formula(label.substr(at + separator.size()))) {
      return "\\text{" + latex_text(label.substr(0, at + separator.size())) + "} " + print(*f, Style::Latex);
    }
  }
  return "\\text{" + latex_text(label) + "}";
}

std::string print_document(const Block& root, Style style, std::size_t max_bytes) {
  Budget budget(max_bytes);
  std::string out;
  std::size_t lhs_width = 0;
  for (const Row& r : rows_of(root)) {
    const std::string indent(2 * r.depth, ' ');
    switch (r.kind) {
      case Row::Kind::Title:
        out += indent + phrases_text(r.before, style, budget) + "\n";
        break;
      case Row::Kind::Sentence:
        out += indent + phrases_text(r.before, style, budget) + print(leibniz(r.lhs), style) + " = " +
               budget.take(print(shown(r, r.rhs), style)) + phrases_text(r.after, style, budget) + "\n";
        break;
      case Row::Kind::Start:
        out += indent + budget.take(print(shown(r, r.rhs), style)) + bracket(r.label, r.conditions) + "\n";
        break;
      case Row::Kind::Step:
        out += indent + "  = " + budget.take(print(shown(r, r.rhs), style)) + bracket(r.label, r.conditions) + "\n";
        break;
      case Row::Kind::Line: {
        const std::string lhs = print(leibniz(r.lhs), style);
        lhs_width = columns(lhs);
        out += indent + lhs + " = " + budget.take(print(shown(r, r.rhs), style)) + bracket(r.label, r.conditions) + "\n";
        break;
      }
      case Row::Kind::Continued:
        // under no left side (an entry named after a shown derivation) it reads as a chain's step
        out += indent + (lhs_width == 0 ? std::string("  = ") : std::string(lhs_width, ' ') + " = ") + budget.take(print(shown(r, r.rhs), style)) +
               bracket(r.label, r.conditions) + "\n";
        break;
    }
  }
  return out;
}

std::string print_document_latex(const Block& root, std::size_t max_bytes, const std::string& environment) {
  Budget budget(max_bytes);
  const std::vector<Row> rows = rows_of(root);
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (i == 0 || rows[i - 1].top != r.top) out += "\\begin{" + environment + "}\n";
    std::string indent;
    for (std::size_t d = 0; d < r.depth; ++d) indent += "\\quad ";
    std::string tag = label_latex(r.label);
    if (!r.conditions.empty()) {
      std::string where;
      for (const std::string& c : r.conditions) where += (where.empty() ? "" : ",\\ ") + condition_latex(c);
      tag += (tag.empty() ? "\\text{where }" : "\\text{; where }") + where;
    }
    const std::string tail = tag.empty() ? "" : " && " + tag;
    switch (r.kind) {
      case Row::Kind::Title:
        out += "& " + indent + phrases_latex(r.before, budget);
        break;
      case Row::Kind::Sentence:
        out += "& " + indent + phrases_latex(r.before, budget) + print(r.lhs, Style::Latex) + " = " +
               budget.take(print(r.rhs, Style::Latex)) + phrases_latex(r.after, budget);
        break;
      case Row::Kind::Start:
        out += "& " + indent + budget.take(print(r.rhs, Style::Latex)) + tail;
        break;
      case Row::Kind::Line:
        out += indent + print(r.lhs, Style::Latex) + " &= " + budget.take(print(r.rhs, Style::Latex)) + tail;
        break;
      case Row::Kind::Step:
      case Row::Kind::Continued:
        out += indent + "&= " + budget.take(print(r.rhs, Style::Latex)) + tail;
        break;
    }
    out += " \\\\\n";
    if (i + 1 == rows.size() || rows[i + 1].top != r.top) out += "\\end{" + environment + "}\n";
  }
  return out;
}

std::string print_document_markdown(const Block& root, std::size_t max_bytes) {
  const std::string latex = print_document_latex(root, max_bytes, "aligned");
  std::string out;
  std::size_t at = 0;
  while (at < latex.size()) {
    const std::size_t end = latex.find("\\end{aligned}\n", at);
    const std::size_t stop = end == std::string::npos ? latex.size() : end + 14;
    out += "$$\n" + latex.substr(at, stop - at) + "$$\n\n";
    at = stop;
  }
  return out;
}

namespace {

std::string plain_phrases(const std::vector<Phrase>& phrases) {
  std::string out;
  for (const Phrase& p : phrases) out += p.math.is_null() ? p.words : print(p.math, Style::Plain);
  return out;
}

std::string plain_text(const std::vector<Phrase>& phrases) {
  std::string out;
  for (const Phrase& p : phrases) out += p.math.is_null() ? p.words : print(p.math, Style::Text);
  return out;
}

nlohmann::ordered_json claim_json(const Claim& c) {
  if (c.kind == Claim::Kind::None) return nullptr;
  return {{"kind", c.kind == Claim::Kind::Identity ? "identity" : "assumption"},
          {"lhs", print(c.lhs, Style::Plain)},
          {"rhs", print(c.rhs, Style::Plain)}};
}

class JsonWalker {
 public:
  explicit JsonWalker(std::size_t max_bytes, LineAnnotator annotate = {})
      : budget_(max_bytes), annotate_(std::move(annotate)) {}

  // The block as a node of the tree; its lines go to `out`, and the node names them by their indices
  // ("lines": [first, end)), so that every line is written once.
  nlohmann::ordered_json tree(const Block& b, bool leibniz, nlohmann::ordered_json& out) {
    leibniz = leibniz || b.leibniz;
    nlohmann::ordered_json j;
    const std::size_t first = out.size();
    switch (b.kind) {
      case BlockKind::Group:
        j["block"] = "group";
        j["role"] = b.role;
        j["title"] = plain_phrases(b.title);
        j["children"] = nlohmann::ordered_json::array();
        for (const Block& c : b.children) j["children"].push_back(tree(c, leibniz, out));
        return j;
      case BlockKind::Equation:
        j["block"] = "equation";
        j["lhs"] = b.lhs.is_null() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(print(b.lhs));
        j["rhs"] = budget_.take(print(b.rhs));
        j["claim"] = claim_json(b.claim);
        break;
      case BlockKind::Chain:
        j["block"] = "chain";
        j["lhs"] = b.lhs.is_null() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(print(b.lhs));
        j["start"] = budget_.take(print(b.chain.start));
        j["continues"] = b.continues;
        if (b.start_claim.kind != Claim::Kind::None) j["claim"] = claim_json(b.start_claim);
        break;
    }
    flatten(b, leibniz, out);
    j["lines"] = {first, out.size()};
    return j;
  }

  void flatten(const Block& b, bool leibniz, nlohmann::ordered_json& out) {
    leibniz = leibniz || b.leibniz;
    auto text = [&](Expr e) { return print(leibniz ? napier::leibniz(e) : e, Style::Text); };
    switch (b.kind) {
      case BlockKind::Group:
        for (const Block& c : b.children) flatten(c, leibniz, out);
        return;
      case BlockKind::Equation: {
        // A sentence ("Let u = ...; then y = 1/u.") states its own equation; a line without a left side
        // continues the one above it.
        const bool sentence = !b.sentence_before.empty() || !b.sentence_after.empty();
        if (!b.lhs.is_null() && !sentence) lhs_ = b.lhs;
        const Expr lhs = sentence ? b.lhs : lhs_;
        const Expr whole = lhs.is_null() ? b.rhs : equation(lhs, b.rhs);
        nlohmann::ordered_json j;
        j["rule"] = b.rule;
        j["label"] = b.label;
        j["phase"] = "method";
        j["expr"] = budget_.take(print(whole));
        j["text"] = budget_.take(plain_text(b.sentence_before) +
                                 (lhs.is_null() ? text(b.rhs) : print(napier::leibniz(lhs), Style::Text) + " = " + text(b.rhs)) +
                                 plain_text(b.sentence_after));
        if (!b.conditions.empty()) j["conditions"] = b.conditions;
        push(std::move(j), b, nullptr, out);
        return;
      }
      case BlockKind::Chain: {
        if (!b.continues) lhs_ = b.lhs;  // a chain on its own lines has no left side (the default chain)
        const std::string lhs_text = lhs_.is_null() ? "" : print(napier::leibniz(lhs_), Style::Text) + " = ";
        if (!b.continues && !b.lhs.is_null()) {
          nlohmann::ordered_json j;
          j["rule"] = b.rule.empty() ? "start" : b.rule;
          j["label"] = b.label;
          j["phase"] = "method";
          j["expr"] = budget_.take(print(equation(b.lhs, b.chain.start)));
          j["text"] = budget_.take(lhs_text + text(b.chain.start));
          push(std::move(j), b, nullptr, out);
        }
        nlohmann::ordered_json steps = steps_json(b.chain, kMaxStepsBytes);
        for (std::size_t i = 0; i < steps.size(); ++i) {
          // under a left side (dy/dx = ...) the step reads as an equation; a plain chain's expr says it all
          if (!lhs_text.empty()) steps[i]["text"] = budget_.take(lhs_text + text(b.chain.steps[i].after));
          push(std::move(steps[i]), b, &b.chain.steps[i], out);
        }
        return;
      }
    }
  }

 private:
  Budget budget_;
  LineAnnotator annotate_;
  Expr lhs_;

  void push(nlohmann::ordered_json j, const Block& b, const Step* s, nlohmann::ordered_json& out) {
    if (annotate_) {
      nlohmann::ordered_json extra = annotate_(b, s);
      if (extra.is_object()) {
        for (auto& [k, v] : extra.items()) j[k] = v;
      }
    }
    out.push_back(std::move(j));
  }
};

}  // namespace

nlohmann::ordered_json document_json(const Block& root, std::size_t max_bytes, const LineAnnotator& annotate) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  nlohmann::ordered_json document = JsonWalker(max_bytes, annotate).tree(root, false, steps);
  return {{"steps", std::move(steps)}, {"document", std::move(document)}};
}

}  // namespace napier
