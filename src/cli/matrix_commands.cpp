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
#include "napier/print_derivation.hpp"
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

std::string trim(std::string s) {
  s.erase(0, std::min(s.find_first_not_of(' '), s.size()));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

void validate_name(const std::string& wrt, const std::string& name) {
  if (name.empty()) throw BadInput{"--wrt " + wrt + ": an empty variable name (write --wrt x,y)"};
  if (name == "e" || name == "pi") throw BadInput{"--wrt " + wrt + ": cannot differentiate with respect to a constant"};
  bool valid = std::isalpha(static_cast<unsigned char>(name[0])) != 0;
  for (char c : name) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!valid) throw BadInput{"--wrt " + wrt + ": '" + name + "' is not a variable name"};
}

// "x10" after "x9": digit runs compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string da = a.substr(i, ei - i), db = b.substr(j, ej - j);
      da.erase(0, std::min(da.find_first_not_of('0'), da.size()));
      db.erase(0, std::min(db.find_first_not_of('0'), db.size()));
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      i = ei, j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// The variables of --wrt as symbols of f. `wrt` empty (no --wrt): every free symbol, in natural order.
std::vector<Expr> resolve_variables(Expr f, const std::optional<std::string>& wrt, bool allow_repeats) {
  std::vector<Expr> symbols = free_symbols(f);
  if (!wrt) {
    if (symbols.empty()) throw BadInput{"the expression has no variable to differentiate by (give --wrt)"};
    std::sort(symbols.begin(), symbols.end(), [](Expr a, Expr b) { return natural_less(a.name(), b.name()); });
    return symbols;
  }
  std::vector<std::string> names;
  if (std::optional<std::vector<std::string>> list = split_variables(*wrt)) {
    names = *list;
  } else {
    std::string name = trim(*wrt);
    if (name.empty()) throw BadInput{"--wrt is empty: give the variables, e.g. --wrt x,y"};
    validate_name(*wrt, name);
    names.push_back(name);
  }
  std::vector<Expr> variables;
  for (const std::string& name : names) {
    const auto it = std::find_if(symbols.begin(), symbols.end(), [&](Expr s) { return s.name() == name; });
    if (it == symbols.end()) throw BadInput{"--wrt " + *wrt + ": the expression has no variable '" + name + "'"};
    if (!allow_repeats && std::find(variables.begin(), variables.end(), *it) != variables.end()) {
      throw BadInput{"--wrt " + *wrt + ": the variable '" + name + "' is repeated"};
    }
    variables.push_back(*it);
  }
  return variables;
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
    if (it == checked_.end()) it = checked_.emplace(key, check_equal(list[i].value, list[i].target, check_options(rules_))).first;
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

Style entry_style(const std::string& format) {
  return format == "unicode" ? Style::Unicode : format == "latex" ? Style::Latex : Style::Plain;
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

// "J[2][1]" -> "J_{2,1}", "grad[1]" -> "(\nabla f)_{1}".
std::string latex_name(const std::string& name) {
  const std::size_t open = name.find('[');
  std::string indices;
  for (std::size_t i = open; i < name.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(name[i]))) indices += name[i];
    else if (name[i] == '[' && i != open) indices += ',';
  }
  const std::string head = name.substr(0, open) == "grad" ? "(\\nabla f)" : name.substr(0, open);
  return head + "_{" + indices + "}";
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

void print_steps_text(const Outcome& o, Style style) {
  for (const Entry& e : o.entries.list) {
    if (e.derivation) {
      std::cout << e.name << (e.about.empty() ? "" : " = " + e.about) << ":\n" << print_chain(*e.derivation, style) << "\n";
    } else if (e.by_case) {
      std::cout << e.name << ": " << e.reason << "\n  = " << print(e.value, style == Style::Text ? Style::Plain : style)
                << "\n\n";
    } else {
      std::cout << e.name << " = " << e.same_as << " (" << e.reason << ")\n\n";
    }
  }
}

void print_steps_latex(const Outcome& o) {
  for (const Entry& e : o.entries.list) {
    if (e.derivation) {
      std::cout << "\\noindent $" << latex_name(e.name) << "$:\n" << print_chain_latex(*e.derivation);
    } else if (e.by_case) {
      std::cout << "\\[ " << latex_name(e.name) << " = " << print(e.value, Style::Latex) << " \\quad \\text{(" << e.reason
                << ")} \\]\n";
    } else {
      std::cout << "\\[ " << latex_name(e.name) << " = " << latex_name(e.same_as) << " \\quad \\text{(" << e.reason
                << ")} \\]\n";
    }
  }
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
  if (request.format == "json") {
    Json out = outcome_json(o, request.text, request.steps, v);
    if (!lets.empty()) out["let"] = let_json(lets);
    if (matrix_form) out["matrix_form"] = *matrix_form;
    std::cout << out.dump(2) << "\n";
  } else if (request.format == "latex") {
    if (request.steps) print_steps_latex(o);
    const std::string head = o.kind == "gradient" ? "\\nabla f" : o.symbol;
    std::cout << (request.steps ? "\\[ " + head + " = " : "") << matrix_latex(o) << (request.steps ? "\\]\n" : "");
  } else {
    const Style style = request.format == "unicode" ? Style::Unicode : Style::Text;
    if (request.steps) {
      print_steps_text(o, style);
      std::cout << "Result:\n";
    }
    std::cout << matrix_text(o, entry_style(request.format));
    if (matrix_form) std::cout << "J = " << *matrix_form << " (every entry proved to fit it)\n";
    if (request.steps) std::cout << verdict_line(v) << "\n";
  }
  return v.holds ? kExitOk : kExitInternal;
}

}  // namespace

std::optional<std::vector<std::string>> split_variables(const std::string& wrt) {
  if (wrt.find(',') == std::string::npos) return std::nullopt;
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    const std::size_t comma = wrt.find(',', start);
    names.push_back(trim(wrt.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    validate_name(wrt, names.back());
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

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

int mixed_partial_command(const RuleSet& rules, const DiffRequest& request, const std::vector<std::string>& variables) {
  if (request.order != 1) throw BadInput{"--order cannot be combined with a list of variables (--wrt x,y)"};
  if (request.style == "substitution") throw BadInput{"--style substitution takes one variable, not a list"};
  if (request.method != "auto") throw BadInput{"--method " + request.method + " takes one variable, not a list"};
  const LetBindings lets = parse_lets(rules, request.lets);
  const Expr f = lets.expand(scalar_expression(rules, request.text, "diff"));
  std::string joined;
  for (const std::string& v : variables) joined += (joined.empty() ? "" : ",") + v;
  const std::vector<Expr> vars = resolve_variables(f, joined, true);
  const bool record = request.steps || request.format == "json";
  std::vector<Derivation> derivations;
  Expr result = f, target = f;
  for (Expr x : vars) {
    derivations.push_back(derive_one(rules, result, x, record));
    result = derivations.back().result;
    target = derivative(target, x);
  }
  const CheckResult verdict = check_equal(result, target, check_options(rules, lets));
  if (verdict.how == How::Refuted) {
    std::cerr << "napier: warning: GiNaC disagrees with this result (" << describe(verdict, result, target) << ")\n";
  }
  const ExactPoint point = parse_point(rules, request.at, f);
  std::optional<Expr> value;
  if (!point.empty()) {
    Result<Expr> v = evaluate_exact(rules.expand_user_definitions(result), point);
    if (!v) throw BadInput{v.error().message};
    value = *v;
  }
  for (Derivation& d : derivations) d = lets.fold(d);
  result = lets.fold(result);
  const std::string how_line =
      verdict.how == How::Proved    ? "GiNaC agrees: proved symbolically, " +
                                          (verdict.note.rfind("GiNaC: ", 0) == 0 ? verdict.note.substr(7) : verdict.note)
      : verdict.how == How::Numeric ? "GiNaC agrees: numerically, at " + std::to_string(verdict.points_agreed) +
                                          " points to 40 digits"
      : verdict.how == How::Refuted ? "GiNaC DISAGREES: refuted at " + describe_point(verdict.counterexample->point)
                                    : "GiNaC check undecided: " + verdict.note;
  if (request.format == "json") {
    Json out;
    out["input"] = request.text;
    out["wrt"] = joined;
    out["variables"] = Json(variables);
    out["order"] = static_cast<int>(vars.size());
    if (!lets.empty()) out["let"] = let_json(lets);
    out["result"] = print(result, Style::Plain);
    out["partials"] = Json::array();
    Json steps = Json::array();
    for (const Derivation& d : derivations) {
      out["partials"].push_back(print(d.result, Style::Plain));
      Json derivation_steps = steps_json(d);
      if (request.steps) {
        for (const StepCheck& c : verify_steps(d, check_options(rules, lets))) {
          derivation_steps[c.index]["check"] = {{"holds", c.result.holds}, {"how", how_name(c.result.how)}};
        }
      }
      for (auto& s : derivation_steps) steps.push_back(s);
    }
    out["steps"] = steps;
    out["check"] = {{"ginac", verdict.holds}, {"how", how_name(verdict.how)}, {"points", verdict.points_agreed}};
    if (!verdict.note.empty()) out["check"]["note"] = verdict.note;
    if (value) out["value"] = print(*value, Style::Plain);
    std::cout << out.dump(2) << "\n";
  } else if (request.format == "latex") {
    if (request.steps) {
      for (const Derivation& d : derivations) std::cout << print_chain_latex(d);
    } else {
      std::cout << print(result, Style::Latex) << "\n";
    }
    if (value) std::cout << print(*value, Style::Latex) << "\n";
  } else {
    const Style style = request.format == "unicode" ? Style::Unicode : Style::Text;
    const Style plain = style == Style::Text ? Style::Plain : style;
    if (request.steps) {
      for (std::size_t k = 0; k < derivations.size(); ++k) {
        std::cout << (k ? "\n" : "") << "With respect to " << vars[k].name() << ":\n" << print_chain(derivations[k], style);
      }
      std::cout << "\nResult: " << print(result, plain) << "\n" << how_line << "\n";
    } else {
      std::cout << print(result, plain) << "\n";
    }
    if (value) {
      std::string at;
      for (const auto& [name, v] : point) at += (at.empty() ? "" : ", ") + name + " = " + print(v);
      std::cout << (request.steps ? "At " + at + ": " : "") << print(*value, plain) << "\n";
    }
  }
  return verdict.how == How::Refuted ? kExitInternal : kExitOk;
}

}  // namespace napier::cli
