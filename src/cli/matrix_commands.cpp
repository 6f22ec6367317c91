#include "matrix_commands.hpp"

#include "common.hpp"
#include "softmax_form.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/exact.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_document.hpp"
#include "napier/verdict.hpp"
#include "variables.hpp"
#include "napier/verify.hpp"

namespace napier::cli {
namespace {

using Json = nlohmann::ordered_json;

// At most this many entries in a Jacobian or Hessian (32 x 32): each is derived and proved, and a softmax
// Jacobian's cost grows as n^3 (a 32-variable one takes about 20 seconds).
constexpr std::size_t kMaxEntries = 1024;

void check_size(std::size_t rows, std::size_t columns) {
  if (rows * columns > kMaxEntries) {
    throw BadInput{"a " + std::to_string(rows) + " x " + std::to_string(columns) + " matrix is above the limit of " +
                   std::to_string(kMaxEntries) + " entries"};
  }
}

Expr parse_expression(const RuleSet& rules, const std::string& text) { return parse_or_throw(rules, text, false); }

bool is_vector_call(const RuleSet& rules, Expr e) {
  if (!e.is(Kind::Call)) return false;
  const FunctionInfo* info = rules.functions().find(e.name());
  return info != nullptr && info->is_vector;
}

bool is_vector_valued(const RuleSet& rules, Expr e) { return e.is(Kind::Vector) || is_vector_call(rules, e); }

// A vector (a list, softmax(...)) somewhere in e other than as the thing an index picks a component of.
std::optional<Expr> bare_vector(const RuleSet& rules, Expr e) {
  if (e.is(Kind::Index)) {
    for (Expr a : e[0].args()) {
      if (std::optional<Expr> v = bare_vector(rules, a)) return v;
    }
    return bare_vector(rules, e[1]);
  }
  if (is_vector_valued(rules, e)) return e;
  for (Expr a : e.args()) {
    if (std::optional<Expr> v = bare_vector(rules, a)) return v;
  }
  return std::nullopt;
}

Expr scalar_expression(const RuleSet& rules, const std::string& text, const std::string& command) {
  const Expr f = parse_expression(rules, text);
  if (is_vector_valued(rules, f)) throw BadInput{command + " needs a scalar expression; use jacobian for a vector"};
  if (std::optional<Expr> v = bare_vector(rules, f)) {
    throw BadInput{command + ": " + print(*v) + " is a vector inside a scalar expression (pick a component with [i])"};
  }
  return f;
}

Derivation derive_one(const RuleSet& rules, Expr g, Expr x, bool record) {
  DiffOptions options;
  options.record_steps = record;
  try {
    return differentiate(g, x, rules, options);
  } catch (const StepLimitExceeded& e) {
    throw BadInput{std::string("derivation stopped: ") + e.what()};
  }
}

// One entry of a gradient, Jacobian or Hessian: derived here, or named after an earlier entry.
struct Entry {
  std::string name;          // "J[2][1]"
  std::string about;         // "d/dy(grad[1])", or empty
  Expr value;
  Expr target;               // the same derivative, unevaluated, of the input: what GiNaC checks value against
  std::optional<Derivation> derivation;
  std::string same_as, reason;  // when named after another entry
  CheckResult check;
  bool by_case = false;  // derived without steps shown: `reason` says which shown derivation it repeats
};

class Entries {
 public:
  Entries(const RuleSet& rules, bool record) : rules_(rules), record_(record) {}

  // d/dx(g), derived unless the same derivative was derived before. With `by_case`, derived without
  // recording steps, the reason naming the shown derivation it follows.
  std::size_t derive(std::string name, Expr g, Expr x, Expr target, std::string about = {}, std::string by_case = {}) {
    const Expr problem = derivative(g, x);
    Entry entry{std::move(name), std::move(about), Expr(), target, std::nullopt, {}, {}, {}};
    if (!by_case.empty()) {
      entry.value = derive_one(rules_, g, x, false).result;
      entry.reason = std::move(by_case);
      entry.by_case = true;
    } else if (const auto it = seen_.find(problem); it != seen_.end()) {
      entry.value = list[it->second].value;
      entry.same_as = list[it->second].name;
      entry.reason = "the same derivative";
    } else {
      entry.derivation = derive_one(rules_, g, x, record_);
      entry.value = entry.derivation->result;
      seen_.emplace(problem, list.size());
    }
    list.push_back(std::move(entry));
    return list.size() - 1;
  }

  std::size_t name_after(std::string name, std::size_t other, std::string reason, Expr target) {
    list.push_back(Entry{std::move(name), {}, list[other].value, target, std::nullopt, list[other].name,
                         std::move(reason), {}});
    return list.size() - 1;
  }

  void check(std::size_t i) {
    const auto key = std::make_pair(list[i].value.node(), list[i].target.node());
    auto it = checked_.find(key);
    if (it == checked_.end()) {
      Expr f = list[i].target;
      while (f.is(Kind::Derivative)) f = f[0];
      it = checked_.emplace(key, check_derivative_value(list[i].value, list[i].target, f, check_options(rules_))).first;
    }
    list[i].check = it->second;
  }

  std::vector<Entry> list;

 private:
  const RuleSet& rules_;
  bool record_;
  std::unordered_map<Expr, std::size_t> seen_;
  std::map<std::pair<const Node*, const Node*>, CheckResult> checked_;
};

// What a command computed: entries (in derivation order) and the matrix as indices into them.
struct Outcome {
  std::string kind;  // "gradient", "jacobian", "hessian"
  std::string symbol;  // "grad", "J", "H"
  Expr input;
  std::vector<Expr> variables;
  Entries entries;
  std::vector<std::vector<std::size_t>> matrix;  // a gradient is one row
  bool softmax_cases = false;  // a softmax Jacobian by its own variables (softmax_form.hpp)
};

Style entry_style(Format format) {
  return format == Format::Unicode ? Style::Unicode : format == Format::Latex ? Style::Latex : Style::Plain;
}

// The printed width: code points, not bytes (σ, ·, ² are one column each).
std::size_t columns(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string matrix_text(const Outcome& o, Style style) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : o.matrix) {
    cells.emplace_back();
    for (std::size_t i : row) cells.back().push_back(print(o.entries.list[i].value, style));
  }
  std::string out;
  if (o.kind == "gradient") {
    out = "[";
    for (std::size_t j = 0; j < cells[0].size(); ++j) out += (j ? ", " : "") + cells[0][j];
    return out + "]\n";
  }
  std::vector<std::size_t> width(cells.empty() ? 0 : cells[0].size(), 0);
  for (const auto& row : cells) {
    for (std::size_t j = 0; j < row.size(); ++j) width[j] = std::max(width[j], columns(row[j]));
  }
  for (const auto& row : cells) {
    out += "[";
    for (std::size_t j = 0; j < row.size(); ++j) {
      out += row[j];
      if (j + 1 < row.size()) out.append(1, ',').append(width[j] - columns(row[j]) + 1, ' ');
    }
    out += "]\n";
  }
  return out;
}

std::string matrix_latex(const Outcome& o) {
  std::string out = "\\begin{pmatrix}\n";
  const bool column = o.kind == "gradient";
  for (const auto& row : o.matrix) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      out += (column || j == 0 ? "  " : " & ") + print(o.entries.list[row[j]].value, Style::Latex);
      if (column) out += " \\\\\n";
    }
    if (!column) out += " \\\\\n";
  }
  return out + "\\end{pmatrix}\n";
}

struct Verdict {
  bool holds = true;
  std::string how = "proved";
  int proved = 0, numeric = 0, undecided = 0;
  std::string first_refuted;  // "J[1][2]: refuted at x = 1 (...)"
};

Verdict summarize(const Outcome& o) {
  Verdict v;
  for (const auto& row : o.matrix) {
    for (std::size_t i : row) {
      const Entry& e = o.entries.list[i];
      switch (e.check.how) {
        case How::Proved: ++v.proved; break;
        case How::Numeric: ++v.numeric; break;
        case How::Undecided: ++v.undecided; break;
        case How::Refuted:
          v.holds = false;
          if (v.first_refuted.empty()) v.first_refuted = e.name + ": " + describe(e.check, e.value, e.target);
          break;
      }
    }
  }
  v.how = !v.holds ? "refuted" : v.undecided ? "undecided" : v.numeric ? "numeric" : "proved";
  return v;
}

std::string verdict_line(const Verdict& v) {
  if (!v.holds) return "GiNaC DISAGREES on " + v.first_refuted;
  std::string line = "GiNaC agrees on every entry: " + std::to_string(v.proved) + " proved symbolically";
  if (v.numeric) line += ", " + std::to_string(v.numeric) + " numerically (40 digits)";
  if (v.undecided) line += ", " + std::to_string(v.undecided) + " undecided";
  return line;
}

// The steps of every entry as one derivation document: an entry derived in full is a group titled with its
// name holding its chain; an entry that repeats a shown derivation (a softmax case) or equals an earlier
// entry is a group whose title says which.
Block steps_document(const Outcome& o) {
  Block root = group_block("matrix");
  for (const Entry& e : o.entries.list) {
    if (e.derivation) {
      Block g = group_block("entry", {words(e.name + (e.about.empty() ? "" : " = " + e.about) + ":")});
      g.children.push_back(chain_block(*e.derivation));
      root.children.push_back(std::move(g));
    } else if (e.by_case) {
      Block g = group_block("entry", {words(e.name + ": " + e.reason)});
      g.children.push_back(equation_line(Expr(), e.value, "by_case", "", identity(e.value, e.target)));
      g.children.back().claim.derivatives = true;
      root.children.push_back(std::move(g));
    } else {
      Block g = group_block("entry", {words(e.name + " = " + e.same_as + " (" + e.reason + ")")});
      root.children.push_back(std::move(g));
    }
  }
  return root;
}

void print_steps_text(const Outcome& o, Style style) {
  for (const Block& entry : steps_document(o).children) write(print_document(entry, style) + "\n");
}

Json outcome_json(const Outcome& o, const std::string& text, bool steps, const Verdict& v) {
  Json out;
  out["input"] = text;
  out["wrt"] = Json::array();
  for (Expr x : o.variables) out["wrt"].push_back(x.name());
  Json matrix = Json::array(), hows = Json::array();
  for (const auto& row : o.matrix) {
    Json r = Json::array(), h = Json::array();
    for (std::size_t i : row) {
      r.push_back(print(o.entries.list[i].value, Style::Plain));
      h.push_back(how_name(o.entries.list[i].check.how));
    }
    matrix.push_back(r);
    hows.push_back(h);
  }
  if (o.kind == "gradient") {
    out["gradient"] = matrix[0];
    hows = hows[0];
  } else {
    out["matrix"] = matrix;
  }
  if (steps) {
    out["schema"] = "napier-derivation/1";
    nlohmann::ordered_json document = document_json(steps_document(o));
    out["document"] = std::move(document["document"]);
    out["lines"] = std::move(document["steps"]);  // the lines the document's blocks name by index
    Json list = Json::array();
    for (const Entry& e : o.entries.list) {
      Json item;
      item["entry"] = e.name;
      if (!e.about.empty()) item["of"] = e.about;
      item["result"] = print(e.value, Style::Plain);
      if (e.derivation) {
        item["steps"] = steps_json(*e.derivation);
      } else if (e.by_case) {
        item["case"] = e.reason;
      } else {
        item["same_as"] = e.same_as;
        item["reason"] = e.reason;
      }
      list.push_back(item);
    }
    out["steps"] = list;
  }
  out["check"] = {{"ginac", v.holds}, {"how", v.how}, {"proved", v.proved}, {"numeric", v.numeric},
                  {"undecided", v.undecided}, {"entries", hows}};
  if (!v.holds) out["check"]["refuted"] = v.first_refuted;
  return out;
}

int report(Outcome& o, const MatrixRequest& request, const LetBindings& lets, const RuleSet& rules) {
  for (const auto& row : o.matrix) {
    for (std::size_t i : row) o.entries.check(i);
  }
  std::optional<std::string> matrix_form;
  if (o.softmax_cases) {
    std::vector<std::vector<Expr>> values;
    for (const auto& row : o.matrix) {
      values.emplace_back();
      for (std::size_t i : row) values.back().push_back(o.entries.list[i].value);
    }
    matrix_form = softmax_matrix_form(o.input, values, check_options(rules));
  }
  // Checked as derived; shown in the user's --let names.
  for (Entry& e : o.entries.list) {
    e.value = lets.fold(e.value);
    if (e.derivation) e.derivation = lets.fold(*e.derivation);
  }
  const Verdict v = summarize(o);
  if (!v.holds) std::cerr << "napier: warning: GiNaC disagrees with " << v.first_refuted << "\n";
  if (request.format == Format::Json) {
    Json out = outcome_json(o, request.text, request.steps, v);
    if (!lets.empty()) out["let"] = let_json(lets);
    if (matrix_form) out["matrix_form"] = *matrix_form;
    write(out.dump(2) + "\n");
  } else if (request.format == Format::Markdown) {
    const std::string head = o.kind == "gradient" ? "\\nabla f" : o.symbol;
    write((request.steps ? print_document_markdown(steps_document(o)) : std::string()) + "$$\n" + head + " = " +
          matrix_latex(o) + "$$\n\n*" + verdict_line(v) + "*\n");
  } else if (request.format == Format::Latex) {
    if (request.steps) {
      const std::string head = o.kind == "gradient" ? "\\nabla f" : o.symbol;
      write(print_document_latex(steps_document(o)) + "\\begin{align*}\n" + head + " &= " + matrix_latex(o) +
            "\\end{align*}\n");
    } else {
      write(matrix_latex(o));
    }
  } else {
    const Style style = request.format == Format::Unicode ? Style::Unicode : Style::Text;
    if (request.steps) {
      print_steps_text(o, style);
      write("Result:\n");
    }
    write(matrix_text(o, entry_style(request.format)));
    if (matrix_form) write("J = " + *matrix_form + " (every entry proved to fit it)\n");
    if (request.steps) write(verdict_line(v) + "\n");
  }
  return v.holds ? kExitOk : kExitInternal;
}

}  // namespace

int grad_command(const RuleSet& rules, const MatrixRequest& request) {
  const LetBindings lets = parse_lets(rules, request.lets);
  const Expr f = lets.expand(scalar_expression(rules, request.text, "grad"));
  Outcome o{"gradient", "grad", f, resolve_variables(f, request.wrt, false), Entries(rules, request.steps), {{}}};
  for (std::size_t j = 0; j < o.variables.size(); ++j) {
    const Expr x = o.variables[j];
    o.matrix[0].push_back(o.entries.derive("grad[" + std::to_string(j + 1) + "]", f, x, derivative(f, x)));
  }
  return report(o, request, lets, rules);
}

int jacobian_command(const RuleSet& rules, const MatrixRequest& request) {
  const LetBindings lets = parse_lets(rules, request.lets);
  const Expr v = lets.expand(parse_expression(rules, request.text));
  std::vector<Expr> components;
  if (v.is(Kind::Vector)) {
    components.assign(v.args().begin(), v.args().end());
  } else if (is_vector_call(rules, v)) {
    for (std::size_t i = 1; i <= v.size(); ++i) components.push_back(index(v, num(static_cast<long>(i))));
  } else {
    throw BadInput{"jacobian needs a vector: a list [f1, f2, ...] or softmax(x1, ..., xn) (for a scalar, use grad)"};
  }
  if (components.empty()) throw BadInput{"jacobian: the list is empty"};
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (std::optional<Expr> bare = bare_vector(rules, components[i])) {
      throw BadInput{"jacobian: component " + std::to_string(i + 1) + " holds a vector, " + print(*bare) +
                     " (each component must be a scalar)"};
    }
  }
  Outcome o{"jacobian", "J", v, resolve_variables(v, request.wrt, false), Entries(rules, request.steps), {}};
  check_size(components.size(), o.variables.size());
  // softmax by its own variables: with --steps, one entry of each case is derived in full (document 000,
  // eq. 6), the others are named after it.
  o.softmax_cases = request.steps && is_softmax_of_its_variables(v, o.variables);
  for (std::size_t i = 0; i < components.size(); ++i) {
    o.matrix.emplace_back();
    for (std::size_t j = 0; j < o.variables.size(); ++j) {
      const std::string name = "J[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
      const Expr x = o.variables[j];
      const std::string by_case = o.softmax_cases ? softmax_case(i, j, o.variables) : std::string();
      o.matrix[i].push_back(o.entries.derive(name, components[i], x, derivative(components[i], x), {}, by_case));
    }
  }
  return report(o, request, lets, rules);
}

int hessian_command(const RuleSet& rules, const MatrixRequest& request) {
  const LetBindings lets = parse_lets(rules, request.lets);
  const Expr f = lets.expand(scalar_expression(rules, request.text, "hessian"));
  Outcome o{"hessian", "H", f, resolve_variables(f, request.wrt, false), Entries(rules, request.steps), {}};
  const std::size_t n = o.variables.size();
  check_size(n, n);
  std::vector<Expr> gradient;
  for (std::size_t i = 0; i < n; ++i) {
    const Expr x = o.variables[i];
    const std::size_t k = o.entries.derive("grad[" + std::to_string(i + 1) + "]", f, x, derivative(f, x));
    gradient.push_back(o.entries.list[k].value);
  }
  o.matrix.assign(n, std::vector<std::size_t>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::string name = "H[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
      const Expr target = derivative(derivative(f, o.variables[i]), o.variables[j]);
      if (j < i) {
        o.matrix[i][j] = o.entries.name_after(name, o.matrix[j][i], "symmetry of mixed partials", target);
      } else {
        const std::string about = "d/d" + o.variables[j].name() + "(grad[" + std::to_string(i + 1) + "])";
        o.matrix[i][j] = o.entries.derive(name, gradient[i], o.variables[j], target, about);
      }
    }
  }
  return report(o, request, lets, rules);
}

}  // namespace napier::cli
