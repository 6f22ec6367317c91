// What a rule file says of a function: one `function` record holding all of it, or the short forms `define`
// (a definition) and `derivative` (d/dt f(t)), which take the same fields (docs/rules.md, "Functions").
//
//   function erf(t)
//     derivative 2/sqrt(pi)*exp(-t^2)
//     value      erf(0) = 0
//     latex      "\operatorname{erf}"
#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <sstream>

#include "napier/parse.hpp"
#include "napier/spellings.hpp"
#include "rule_loader.hpp"

namespace napier {
namespace {

std::string place(const SourceLocation& s) { return s.file + ":" + std::to_string(s.line) + ":1"; }

// A name the input syntax reads as a variable or a constant, which a function may not take: a function
// shadows the name in every input (after `define x(t) := t^2`, "x^2" no longer reads). The variables: one
// lower-case letter from i to z (the indices, lengths and variables written by napier's own rules and
// methods: softmax(x)[i], sum(..., k, 1, n), the records' t, the default x, the inverse method's y), and a
// lower-case letter followed by digits, with or without _ (x1, w12, x_1: a gradient's variables). The
// constants: e and pi. Left to functions: every other name, f, g, h and the letters before them, capital
// letters (Lambert W) and names of two letters or more included. The message, or nothing.
std::optional<std::string> name_of_a_variable(const std::string& name) {
  const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const std::string refused = "a function may not be named '" + name + "': ";
  if (name == "e" || name == "pi") return refused + "it is the constant " + name;
  if (name.size() == 1 && name[0] >= 'i' && name[0] <= 'z') {
    return refused +
           "one lower-case letter from i to z is a variable (f, g, h, a capital letter or a longer name may "
           "name a function)";
  }
  const std::string_view rest = std::string_view(name).substr(std::min<std::size_t>(1, name.size()));
  const bool numbered = digits(rest) || (rest.size() > 1 && rest[0] == '_' && digits(rest.substr(1)));
  if (!name.empty() && lower(name[0]) && numbered) {
    return refused + "a lower-case letter and digits (x1, w_2) is a variable";
  }
  return std::nullopt;
}

// name(t1, ..., tn) of a record's head, before any ":=".
struct Header {
  std::string name;
  std::vector<Expr> parameters;
};

}  // namespace

// Every function a record of the file is about is known to all the file's expressions, whatever their order:
// csc's derivative names cot, cot's names csc. A head that does not read as name(parameters) is left to
// function_record, which reports it.
void RuleLoader::declare_functions(const std::vector<Record>& records) {
  for (const Record& r : records) {
    if (r.keyword != "function" && r.keyword != "define" && r.keyword != "derivative") continue;
    const std::string header = trim(r.head.substr(0, r.head.find(":=")));
    const std::size_t open = header.find('('), close = header.rfind(')');
    if (open == std::string::npos || open == 0 || close == std::string::npos || close < open) continue;
    const std::string name = header.substr(0, open);
    if (!std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; })) continue;
    // A variable's name is left to function_record, which says why it is refused.
    if (set_.functions_.find(name) != nullptr || name_of_a_variable(name)) continue;
    const std::string inside = trim(header.substr(open + 1, close - open - 1));
    const int arity = inside.empty() ? 0 : 1 + static_cast<int>(std::count(inside.begin(), inside.end(), ','));
    set_.functions_.add({name, arity, arity, false});
  }
}

// The function called in `calls` whose definition leads, through definitions, to a call of `name`.
std::optional<std::string> RuleLoader::reaches(const std::set<std::string>& calls, const std::string& name) const {
  for (const std::string& start : calls) {
    std::set<std::string> seen{name};  // name's own (old) definition is being replaced: not followed
    std::vector<std::string> todo{start};
    while (!todo.empty()) {
      const std::string f = todo.back();
      todo.pop_back();
      if (!seen.insert(f).second) continue;
      auto it = set_.definitions_.find(f);
      if (it == set_.definitions_.end()) continue;
      std::set<std::string> next;
      collect_calls(it->second.body, next);
      if (next.count(name)) return start;
      todo.insert(todo.end(), next.begin(), next.end());
    }
  }
  return std::nullopt;
}

// A second definition (or derivative) of a function replaces the first only where the record says
// `override`: without it, the fault names both places.
Diagnostic RuleLoader::redefinition_fault(const Record& r, const std::string& what, const SourceLocation& first) const {
  return fail(r.line, 1, what + " is already given at " + place(first) +
                             " (write 'override' below this record to replace it)");
}

// value f(a) = b: a known value, kept as a simplify rule f(a) -> b (erf(0) = 0).
Result<bool> RuleLoader::value_field(const std::string& name, const Field& f) {
  ParseOptions options;
  options.functions = &set_.functions_;
  options.allow_equation = true;
  options.first_column = f.value_column;
  Result<Expr> e = parse(f.value, options);
  if (!e) return fail(f.line, std::max(e.error().column, f.value_column), e.error().message);
  const Expr eq = *e;
  if (!eq.is(Kind::Equation) || !eq[0].is_call(name) || !free_symbols(eq).empty()) {
    return fail(f.line, f.value_column, "a value is written " + name + "(number) = number, without variables");
  }
  for (Expr a : eq[0].args()) {
    if (!a.is_number()) return fail(f.line, f.value_column, "a value is written " + name + "(number) = number");
  }
  Rule rule;
  rule.name = name + "_value_" + std::to_string(set_.rules_.size());
  rule.phase = Phase::Simplify;
  rule.pattern = eq[0];
  rule.replacement = eq[1];
  rule.label = f.value;
  rule.source = {file_, f.line};
  rule.one_way = true;
  set_.rules_.push_back(std::move(rule));
  return true;
}

// function NAME(params) with fields, or define NAME(params) := BODY, or derivative NAME(t) := BODY.
Result<bool> RuleLoader::function_record(const Record& r) {
  const std::size_t assign = r.head.find(":=");
  const bool short_form = r.keyword != "function";
  if (short_form && assign == std::string::npos) return fail(r.line, r.head_column, "expected 'name(parameters) := body'");
  if (!short_form && assign != std::string::npos) {
    return fail(r.line, r.head_column + static_cast<int>(assign), "a function record's definition is its 'define' field");
  }
  const std::string header = trim(r.head.substr(0, assign));
  const std::size_t open = header.find('('), close = header.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open || open == 0) {
    return fail(r.line, r.head_column, "expected 'name(parameters)'" + std::string(short_form ? " := body" : ""));
  }
  Header h;
  h.name = header.substr(0, open);
  for (char c : h.name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return fail(r.line, r.head_column, "a function name is letters, digits and _");
    }
  }
  if (std::optional<std::string> fault = name_of_a_variable(h.name)) {
    return fail(r.line, r.head_column, *fault);
  }
  std::stringstream params(header.substr(open + 1, close - open - 1));
  std::string p;
  while (std::getline(params, p, ',')) {
    p = trim(p);
    if (p.empty() || !std::isalpha(static_cast<unsigned char>(p[0]))) {
      return fail(r.line, r.head_column + static_cast<int>(open) + 1, "a parameter is a symbol name");
    }
    for (Expr q : h.parameters) {
      if (q.name() == p) return fail(r.line, r.head_column + static_cast<int>(open) + 1, "parameter " + p + " is named twice");
    }
    h.parameters.push_back(sym(p));
  }
  const int n = static_cast<int>(h.parameters.size());

  // The record's parts: from the head (short forms) and the fields.
  struct Part {
    std::string text;
    int line = 0, column = 0;
  };
  std::optional<Part> definition, derivative;
  std::vector<const Field*> values;
  bool override = false;
  std::string label, latex, unicode;
  if (short_form) {
    const std::size_t body_offset = r.head.find_first_not_of(" \t", assign + 2);
    Part head{body_offset == std::string::npos ? "" : r.head.substr(body_offset), r.line,
              r.head_column + static_cast<int>(body_offset == std::string::npos ? assign + 2 : body_offset)};
    (r.keyword == "define" ? definition : derivative) = head;
  }
  for (const Field& f : r.fields) {
    auto text_field = [&](std::string& out) -> std::optional<Diagnostic> {
      std::optional<std::string> text = quoted(f.value);
      if (!text) return fail(f.line, f.value_column, "a " + f.key + " is a \"quoted string\"");
      if (std::optional<Diagnostic> bad = label_fault(f, *text)) return bad;
      out = *text;
      return std::nullopt;
    };
    std::optional<Diagnostic> fault;
    if (f.key == "define" || f.key == "derivative") {
      std::optional<Part>& part = f.key == "define" ? definition : derivative;
      if (part) return fail(f.line, f.value_column, "this record already gives its " + f.key);
      part = Part{f.value, f.line, f.value_column};
    } else if (f.key == "value") {
      values.push_back(&f);
    } else if (f.key == "override" && f.value.empty()) {
      override = true;
    } else if (f.key == "label") {
      fault = text_field(label);
    } else if (f.key == "latex") {
      fault = text_field(latex);
    } else if (f.key == "unicode") {
      fault = text_field(unicode);
    } else {
      return fail(f.line, f.value_column - static_cast<int>(f.key.size()) - 1,
                  "unknown field '" + f.key + "' (define, derivative, value, latex, unicode, label or override)");
    }
    if (fault) return *fault;
  }
  // A record of fields only (a spelling) is for a function already known: a primitive, or one defined or
  // derived above.
  if (!definition && !derivative && r.keyword == "function" && FunctionTable::builtin().find(h.name) == nullptr &&
      set_.definition(h.name) == nullptr && set_.derivative(h.name) == nullptr) {
    return fail(r.line, r.head_column, "function '" + h.name + "' needs a define or a derivative field");
  }
  if (derivative && n != 1) return fail(r.line, r.head_column, "a derivative is given for a function of one parameter");

  // A function of napier's own, known to GiNaC and CLN (FunctionTable::builtin), takes its facts from the
  // shipped rules only: a user's definition of sin would be used by the steps and ignored by the checker.
  const FunctionInfo* builtin = FunctionTable::builtin().find(h.name);
  if (builtin != nullptr && !shipped_ && definition) {
    const FunctionFacts* facts = set_.facts(h.name);
    return fail(r.line, 1, "'" + h.name + "' is built in" +
                               (facts ? " (its record is at " + place(facts->declared) + ")" : std::string()) +
                               ": it cannot be redefined; give the function another name");
  }
  if (const FunctionInfo* known = set_.functions_.find(h.name)) {
    if (known->min_arity > n || (known->max_arity >= 0 && known->max_arity < n)) {
      return fail(r.line, r.head_column, "'" + h.name + "' takes " + std::to_string(known->min_arity) +
                                             " argument(s), not " + std::to_string(n));
    }
  } else {
    set_.functions_.add({h.name, n, n, false});
  }
  const SourceLocation here{file_, r.line};
  const auto defined = set_.definitions_.find(h.name);
  const auto derived = set_.derivatives_.find(h.name);
  const bool redefines = definition && defined != set_.definitions_.end();
  const bool rederives = derivative && derived != set_.derivatives_.end();
  if (override && !redefines && !rederives) return fail(r.line, 1, "'override', but there is nothing to replace");
  if (redefines && !override) return redefinition_fault(r, "the definition of " + h.name, defined->second.source);
  if (rederives && !override) return redefinition_fault(r, "the derivative of " + h.name, derived->second.source);
  // A new definition makes the old derivative unfounded: it goes with the definition it was for.
  if (redefines && !derivative && derived != set_.derivatives_.end()) set_.derivatives_.erase(derived);

  auto body = [&](const Part& part) { return expression(part.text, part.line, part.column, false); };
  if (definition) {
    Result<Expr> e = body(*definition);
    if (!e) return e.error();
    std::set<std::string> calls;
    collect_calls(*e, calls);
    if (calls.count(h.name)) return fail(r.line, r.head_column, "definition of '" + h.name + "' calls itself");
    // Nor through other definitions (a redefinition can close a loop: f -> g -> f), which would send
    // expand_user_definitions and the differentiator round it for ever.
    if (std::optional<std::string> via = reaches(calls, h.name)) {
      return fail(r.line, r.head_column, "definition of '" + h.name + "' calls itself through '" + *via + "'");
    }
    set_.definitions_.insert_or_assign(h.name, Definition{h.name, h.parameters, *e, label, here});
  }
  if (derivative) {
    Result<Expr> e = body(*derivative);
    if (!e) return e.error();
    // A label is the definition's step ("definition of softplus"); a derivative record's own label is its.
    const std::string derivative_label = r.keyword == "derivative" ? label : std::string();
    set_.derivatives_.insert_or_assign(h.name, Definition{h.name, h.parameters, *e, derivative_label, here});
  }
  for (const Field* f : values) {
    Result<bool> ok = value_field(h.name, *f);
    if (!ok) return ok;
  }
  FunctionFacts& facts = set_.facts_[h.name];
  if (facts.declared.file.empty()) facts = FunctionFacts{{}, {}, here, shipped_};
  if (!latex.empty()) facts.latex = latex;
  if (!unicode.empty()) facts.unicode = unicode;
  if (!latex.empty() || !unicode.empty()) set_spelling(h.name, Spelling{latex, unicode});
  return true;
}

}  // namespace napier
