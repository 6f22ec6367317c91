// The rule-file loader. Hand-written: the format is line-based and tiny, and its diagnostics must point at
// file:line:col inside expressions, which the expression parser already reports by column.
#include "napier/rules.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <cstdio>
#include <set>
#include <sstream>
#include <unordered_map>

#include "napier/guards.hpp"
#include "napier/parse.hpp"
#include "napier/piecewise.hpp"
#include "napier/read_file.hpp"
#include "primitives.hpp"
#include "rule_loader.hpp"

namespace napier {
namespace {

// The builtins a replacement may call (pattern.cpp instantiates them; docs/rules.md).
const std::set<std::string, std::less<>> kReplacementBuiltins = {
    "eval", "each", "numerator", "denominator", "negate", "expand", "factor_common", "collect_powers",
    "derive_each_factor", "subst"};

// The guards of a `where` value: its pieces between commas outside any parentheses or brackets, each with
// its offset in the value and that of its first non-blank character. (Parsing the value as one list
// "[...]" would put an unbalanced bracket's fault on a bracket the file does not have.)
struct GuardText {
  std::string text;
  std::size_t offset;
  std::size_t first_word;
};
std::vector<GuardText> guard_texts(const std::string& value) {
  std::vector<GuardText> pieces;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    const char c = i < value.size() ? value[i] : ',';
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) --depth;
    if (c != ',' || (depth > 0 && i < value.size())) continue;
    const std::string_view piece = std::string_view(value).substr(start, i - start);
    const std::size_t lead = std::min(piece.find_first_not_of(" \t"), piece.size());
    pieces.push_back({std::string(piece), start, start + lead});
    start = i + 1;
  }
  return pieces;
}

// Everything after an unquoted '#'.
std::string strip_comment(const std::string& line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '#' && !quoted) return line.substr(0, i);
  }
  return line;
}



// diff(?c, ?x) with the guard free(?c, ?x): see Rule::only_where_free.
bool fits_only_where_free(const Rule& rule) {
  const Expr p = rule.pattern;
  if (rule.phase != Phase::Derive || !p.is(Kind::Derivative) || !is_pattern_variable(p[0]) || is_segment_variable(p[0])) {
    return false;
  }
  return std::any_of(rule.guards.begin(), rule.guards.end(), [&](Expr g) {
    return g.is_call("free") && g.size() == 2 && g[0] == p[0] && g[1] == p[1];
  });
}

// diff(?x, ?x): see Rule::only_the_variable.
bool fits_only_the_variable(const Rule& rule) {
  const Expr p = rule.pattern;
  return rule.phase == Phase::Derive && p.is(Kind::Derivative) && is_pattern_variable(p[0]) &&
         !is_segment_variable(p[0]) && p[0] == p[1];
}

}  // namespace

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

void collect_variables(Expr e, std::set<std::string>& out) {
  if (is_pattern_variable(e)) out.insert(e.name());
  for (Expr a : e.args()) collect_variables(a, out);
}

void collect_calls(Expr e, std::set<std::string>& out) {
  if (e.is(Kind::Call)) out.insert(e.name());
  for (Expr a : e.args()) collect_calls(a, out);
}

Result<bool> RuleLoader::load(std::string_view text) {
  std::vector<Record> records;
  std::istringstream in{std::string(text)};
  std::string raw;
  int line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();  // a CRLF file: "phase\r" is "phase"
    const std::string line = strip_comment(raw);
    if (trim(line).empty()) continue;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    const std::size_t start = line.find_first_not_of(" \t");
    const std::size_t key_end = std::min(line.find_first_of(" \t", start), line.size());
    const std::string key = line.substr(start, key_end - start);
    const std::size_t value_start = std::min(line.find_first_not_of(" \t", key_end), line.size());
    const std::string value = trim(line.substr(value_start));
    if (!indented) {
      records.push_back({key, value, line_number, static_cast<int>(value_start) + 1, {}});
    } else {
      if (records.empty()) return fail(line_number, static_cast<int>(start) + 1, "a field before any record");
      records.back().fields.push_back({key, value, line_number, static_cast<int>(value_start) + 1});
    }
  }
  declare_functions(records);
  for (const Record& r : records) {
    Result<bool> ok = record(r);
    if (!ok) return ok;
  }
  return true;
}

Diagnostic RuleLoader::fail(int line, int column, std::string message) const {
  // A message quotes the file's words, which may hold a lone carriage return; a diagnostic is one line.
  std::replace(message.begin(), message.end(), '\r', ' ');
  return Diagnostic{std::move(message), column, line, file_};
}

Result<Expr> RuleLoader::expression(const std::string& text, int line, int column, bool patterns) {
  ParseOptions options;
  options.functions = &set_.functions_;
  options.allow_equation = false;
  options.allow_pattern_variables = patterns;
  options.allow_unknown_functions = true;
  options.first_column = column;
  Result<Expr> e = parse(text, options);
  if (!e) return fail(line, std::max(e.error().column, column), e.error().message);
  std::set<std::string> calls;
  collect_calls(*e, calls);
  for (const std::string& name : calls) {
    if (set_.functions_.find(name) == nullptr && kReplacementBuiltins.count(name) == 0 &&
        find_guard(name) == nullptr && !is_condition_operator(name)) {
      const std::size_t at = text.find(name);
      return fail(line, column + static_cast<int>(at == std::string::npos ? 0 : at), "unknown function '" + name + "'");
    }
  }
  return e;
}

Result<bool> RuleLoader::record(const Record& r) {
  if (r.keyword == "phase") {
    if (r.head == "derive") phase_ = Phase::Derive;
    else if (r.head == "simplify") phase_ = Phase::Simplify;
    else if (r.head == "textbook") phase_ = Phase::Textbook;
    else if (r.head == "logarithm") phase_ = Phase::Logarithm;
    else if (r.head == "identity") phase_ = Phase::Identity;
    else return fail(r.line, r.head_column, "unknown phase '" + r.head + "' (derive, simplify, textbook, logarithm or identity)");
    return true;
  }
  if (r.keyword == "rule") return rule(r);
  if (r.keyword == "function" || r.keyword == "define" || r.keyword == "derivative") return function_record(r);
  if (r.keyword == "inverse") return inverse(r);
  return fail(r.line, 1, "unknown record '" + r.keyword + "' (phase, rule, function, define, derivative or inverse)");
}

std::optional<std::string> RuleLoader::quoted(const std::string& value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  return value.substr(1, value.size() - 2);
}

// A label goes into every format, JSON included, so it must be UTF-8: the fault at the first byte that does
// not begin or continue a well-formed character (overlong forms, surrogates and code points past U+10FFFF
// included), or nothing.
std::optional<Diagnostic> RuleLoader::label_fault(const Field& f, const std::string& label) const {
  const auto* b = reinterpret_cast<const unsigned char*>(label.data());
  for (std::size_t i = 0; i < label.size();) {
    const unsigned char c = b[i];
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n != 0 && i + n <= label.size() && c != 0xC0 && c != 0xC1 && c <= 0xF4;
    for (std::size_t k = 1; ok && k < n; ++k) ok = (b[i + k] & 0xC0) == 0x80;
    if (ok && n == 3) ok = !(c == 0xE0 && b[i + 1] < 0xA0) && !(c == 0xED && b[i + 1] >= 0xA0);
    if (ok && n == 4) ok = !(c == 0xF0 && b[i + 1] < 0x90) && !(c == 0xF4 && b[i + 1] >= 0x90);
    if (!ok) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return fail(f.line, f.value_column + 1 + static_cast<int>(i),
                  std::string("a label must be UTF-8 text (byte ") + hex + " is not)");
    }
    i += n;
  }
  return std::nullopt;
}

Result<bool> RuleLoader::rule(const Record& r) {
  Rule rule;
  rule.name = r.head;
  rule.phase = phase_;
  rule.source = {file_, r.line};
  if (rule.name.empty() || rule.name.find_first_of(" \t") != std::string::npos) {
    return fail(r.line, r.head_column, "a rule needs a one-word name");
  }
  for (const Rule& other : set_.rules_) {
    if (other.name == rule.name && other.phase == rule.phase) {
      return fail(r.line, r.head_column, "rule '" + rule.name + "' is defined twice (first at " + other.source.file +
                                             ":" + std::to_string(other.source.line) + ")");
    }
  }
  std::vector<const Field*> users;  // the fields that may use variables the match binds
  for (const Field& f : r.fields) {
    if (f.key == "rewrite" || f.key == "where") users.push_back(&f);
    if (f.key == "match" || f.key == "rewrite") {
      Result<Expr> e = expression(f.value, f.line, f.value_column, true);
      if (!e) return e.error();
      (f.key == "match" ? rule.pattern : rule.replacement) = *e;
    } else if (f.key == "where") {
      if (f.value.empty()) return fail(f.line, f.value_column, "a where field needs at least one guard");
      for (const GuardText& piece : guard_texts(f.value)) {
        if (trim(piece.text).empty()) {
          return fail(f.line, f.value_column + static_cast<int>(piece.offset), "a guard is missing between commas");
        }
        Result<Expr> g = expression(piece.text, f.line, f.value_column + static_cast<int>(piece.offset), true);
        if (!g) return g.error();
        // Resolved here, once: the rewriter judges the table's entry (guards.hpp).
        Result<GuardCall> resolved = resolve_guard(*g);
        if (!resolved) {
          return fail(f.line, f.value_column + static_cast<int>(piece.first_word), resolved.error().message);
        }
        rule.guards.push_back(*g);
        rule.guard_calls.push_back(*resolved);
      }
    } else if (f.key == "label") {
      std::optional<std::string> text = quoted(f.value);
      if (!text) return fail(f.line, f.value_column, "a label is a \"quoted string\"");
      if (std::optional<Diagnostic> bad = label_fault(f, *text)) return *bad;
      rule.label = *text;
    } else {
      return fail(f.line, f.value_column - static_cast<int>(f.key.size()) - 1,
                  "unknown field '" + f.key + "' (match, rewrite, where or label)");
    }
  }
  if (rule.pattern.is_null()) return fail(r.line, 1, "rule '" + rule.name + "' has no match field");
  if (rule.replacement.is_null()) return fail(r.line, 1, "rule '" + rule.name + "' has no rewrite field");
  if (rule.phase == Phase::Derive && !rule.pattern.is(Kind::Derivative)) {
    return fail(r.line, 1, "a derive rule must match diff(..., ?x)");
  }
  std::set<std::string> bound, used;
  collect_variables(rule.pattern, bound);
  collect_variables(rule.replacement, used);
  for (Expr g : rule.guards) collect_variables(g, used);
  for (const std::string& v : used) {
    if (bound.count(v)) continue;
    // Named where it is used: the first rewrite or where field that holds it.
    int line = r.line, column = 1;
    for (const Field* f : users) {
      std::size_t at = f->value.find(v);
      while (at != std::string::npos && at + v.size() < f->value.size() &&
             (std::isalnum(static_cast<unsigned char>(f->value[at + v.size()])) || f->value[at + v.size()] == '_')) {
        at = f->value.find(v, at + 1);
      }
      if (at != std::string::npos) {
        line = f->line;
        column = f->value_column + static_cast<int>(at);
        break;
      }
    }
    return fail(line, column, "rule '" + rule.name + "' uses " + v + " which its match does not bind");
  }
  if (rule.label.empty()) rule.label = rule.name;
  rule.segments = segment_variables(rule.pattern);
  rule.only_where_free = fits_only_where_free(rule);
  rule.only_the_variable = fits_only_the_variable(rule);
  rule.one_way = leaves_no_choice(rule.pattern);
  set_.rules_.push_back(std::move(rule));
  return true;
}

// "PATTERN := BODY": y = PATTERN(t) solved for t is BODY(y); both are written in t.
Result<bool> RuleLoader::inverse(const Record& r) {
  const std::size_t assign = r.head.find(":=");
  if (assign == std::string::npos) return fail(r.line, r.head_column, "expected 'pattern in t := inverse in t'");
  const std::string lhs = r.head.substr(0, assign);
  const std::size_t body_offset = r.head.find_first_not_of(" \t", assign + 2);
  if (body_offset == std::string::npos) return fail(r.line, r.head_column + static_cast<int>(assign), "missing inverse");
  Result<Expr> pattern = expression(trim(lhs), r.line, r.head_column, true);
  if (!pattern) return pattern.error();
  Result<Expr> body = expression(r.head.substr(body_offset), r.line, r.head_column + static_cast<int>(body_offset), true);
  if (!body) return body.error();
  if (!contains(*pattern, sym("t")) || !contains(*body, sym("t"))) {
    return fail(r.line, r.head_column, "an inverse record is written in the variable t on both sides");
  }
  std::set<std::string> bound, used;
  collect_variables(*pattern, bound);
  collect_variables(*body, used);
  for (const std::string& v : used) {
    if (!bound.count(v)) return fail(r.line, r.head_column, "inverse uses " + v + " which its pattern does not bind");
  }
  std::string label;
  for (const Field& f : r.fields) {
    std::optional<std::string> text = quoted(f.value);
    if (f.key != "label" || !text) return fail(f.line, f.value_column, "only a \"quoted\" label may follow");
    if (std::optional<Diagnostic> bad = label_fault(f, *text)) return *bad;
    label = *text;
  }
  set_.inverses_.push_back(Rule{"inverse", Phase::Derive, *pattern, *body, {}, label, {file_, r.line}});
  return true;
}



RuleSet::RuleSet(const RuleSet& other)
    : functions_(other.functions_),
      rules_(other.rules_),
      definitions_(other.definitions_),
      derivatives_(other.derivatives_),
      inverses_(other.inverses_),
      facts_(other.facts_) {
  build_index();
}

RuleSet& RuleSet::operator=(const RuleSet& other) {
  if (this != &other) {
    functions_ = other.functions_;
    rules_ = other.rules_;
    definitions_ = other.definitions_;
    derivatives_ = other.derivatives_;
    inverses_ = other.inverses_;
    facts_ = other.facts_;
    build_index();
  }
  return *this;
}

std::string phase_name(Phase phase) {
  switch (phase) {
    case Phase::Derive: return "derive";
    case Phase::Simplify: return "simplify";
    case Phase::Textbook: return "textbook";
    case Phase::Logarithm: return "logarithm";
    case Phase::Identity: return "identity";
  }
  return "derive";
}

Result<bool> RuleSet::add_text(std::string_view text, const std::string& file, bool shipped) {
  Result<bool> ok = RuleLoader(*this, file, shipped).load(text);
  build_index();
  return ok;
}

Result<RuleSet> RuleSet::load(const std::vector<std::filesystem::path>& dirs) {
  RuleSet set;
  for (const std::filesystem::path& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return Diagnostic{"rules folder not found: " + dir.string()};
    // napier's own folder (the one it was built with): see RuleLoader's `shipped`.
    const bool shipped = std::filesystem::equivalent(dir, NAPIER_RULES_DIR, ec);
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".rules") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      Result<std::string> text = read_regular_file(path, kMaxRuleFileBytes, "rule file");
      if (!text) return text.error();
      Result<bool> ok = RuleLoader(set, path.string(), shipped).load(*text);
      if (!ok) return ok.error();
    }
  }
  set.build_index();
  return set;
}

Result<RuleSet> RuleSet::load_default(const std::vector<std::string>& extra_dirs) {
  std::vector<std::filesystem::path> dirs{NAPIER_RULES_DIR};
  if (const char* env = std::getenv("NAPIER_RULES_PATH")) {
    std::stringstream paths(env);
    std::string dir;
    while (std::getline(paths, dir, ':')) {
      if (!dir.empty()) dirs.emplace_back(dir);
    }
  }
  for (const std::string& d : extra_dirs) dirs.emplace_back(d);
  return load(dirs);
}

// The three derive rules the fast path stands for, as rules/10-basic.rules writes them (pattern, replacement),
// parsed once: only built-in names occur in them (each(...) is a replacement form).
static const std::vector<std::pair<Expr, Expr>>& shortcut_rules() {
  static const std::vector<std::pair<Expr, Expr>> rules = [] {
    ParseOptions options;
    options.functions = &FunctionTable::builtin();
    options.allow_equation = false;
    options.allow_pattern_variables = true;
    options.allow_unknown_functions = true;
    std::vector<std::pair<Expr, Expr>> out;
    for (const auto& [pattern, replacement] : {std::pair{"diff(?c, ?x)", "0"}, std::pair{"diff(?x, ?x)", "1"},
                                               std::pair{"diff(?u + ?v..., ?x)", "diff(?u, ?x) + each(diff(?v..., ?x))"}}) {
      out.emplace_back(*parse(pattern, options), *parse(replacement, options));
    }
    return out;
  }();
  return rules;
}

static bool leads_with_the_shortcuts(const std::vector<Rule>& rules) {
  const std::vector<std::pair<Expr, Expr>>& shortcuts = shortcut_rules();
  std::size_t k = 0;
  for (const Rule& rule : rules) {
    if (rule.phase != Phase::Derive) continue;
    if (k == shortcuts.size()) return true;
    if (rule.pattern != shortcuts[k].first || rule.replacement != shortcuts[k].second) return false;
    // The constant rule holds where free(?c, ?x), and only there (only_where_free); the others have no guard.
    if (k == 0 ? !rule.only_where_free || rule.guards.size() != 1 : !rule.guards.empty()) return false;
    ++k;
  }
  return k == shortcuts.size();
}

void RuleSet::build_index() {
  static std::atomic<std::uint64_t> next_generation{1};
  generation_.value = next_generation++;
  shortcuts_hold_ = leads_with_the_shortcuts(rules_);
  index_ = {};
  auto subject_of = [](const Rule& rule) { return rule.phase == Phase::Derive ? rule.pattern[0] : rule.pattern; };
  for (const Rule& rule : rules_) {  // the call names some rule is for
    const Expr subject = subject_of(rule);
    if (subject.is(Kind::Call)) index_[static_cast<std::size_t>(rule.phase)].by_call[subject.name()];
  }
  for (const Rule& rule : rules_) {  // in file order, so each list keeps it
    PhaseIndex& index = index_[static_cast<std::size_t>(rule.phase)];
    const Expr subject = subject_of(rule);
    if (is_pattern_variable(subject)) {
      for (auto& list : index.by_kind) list.push_back(&rule);
      for (auto& [name, list] : index.by_call) list.push_back(&rule);
      index.wildcard.push_back(&rule);
    } else if (subject.is(Kind::Call)) {
      index.by_call[subject.name()].push_back(&rule);
    } else {
      index.by_kind[static_cast<std::size_t>(subject.kind())].push_back(&rule);
    }
  }
}

const std::vector<const Rule*>& RuleSet::candidates(Phase phase, Expr e) const {
  return candidates_by_subject(phase, phase == Phase::Derive ? e[0] : e);
}

const std::vector<const Rule*>& RuleSet::candidates_by_subject(Phase phase, Expr subject) const {
  const PhaseIndex& index = index_[static_cast<std::size_t>(phase)];
  if (!subject.is(Kind::Call)) return index.by_kind[static_cast<std::size_t>(subject.kind())];
  auto it = index.by_call.find(subject.name());
  return it == index.by_call.end() ? index.wildcard : it->second;
}

const Definition* RuleSet::definition(std::string_view function) const {
  auto it = definitions_.find(function);
  return it == definitions_.end() ? nullptr : &it->second;
}

const FunctionFacts* RuleSet::facts(std::string_view function) const {
  auto it = facts_.find(function);
  return it == facts_.end() ? nullptr : &it->second;
}

bool RuleSet::known_by_derivative(std::string_view function) const {
  if (derivative(function) == nullptr || definition(function) != nullptr) return false;
  const Primitive* p = primitive(function);  // a primitive GiNaC lacks (erf) is known to it by derivative too
  return p == nullptr ? FunctionTable::builtin().find(function) == nullptr : p->ginac == nullptr;
}

const Definition* RuleSet::derivative(std::string_view function) const {
  auto it = derivatives_.find(function);
  return it == derivatives_.end() ? nullptr : &it->second;
}

std::optional<Expr> RuleSet::inverse_of(Expr f, Expr x, Expr y) const {
  const Expr t = sym("t");
  for (const Rule& inverse : inverses_) {
    Bindings b;
    if (!match(replace_all(inverse.pattern, t, x), f, b)) continue;
    Expr body = instantiate(replace_all(inverse.replacement, t, y), b);
    bool constant_parameters = true;
    for (const Binding& binding : b.items()) constant_parameters = constant_parameters && !contains(binding.value(), x);
    if (constant_parameters) return body;
  }
  return std::nullopt;
}

Expr RuleSet::expand_call(Expr call_expr, const Definition& d) const {
  // The parameters are plain symbols in the body; all are replaced at once (t -> x, x -> t would swap).
  std::unordered_map<const Node*, Expr> arguments;
  for (std::size_t i = 0; i < d.parameters.size() && i < call_expr.size(); ++i) {
    arguments.emplace(d.parameters[i].node(), call_expr[i]);
  }
  return transform(d.body, [&](Expr e) -> std::optional<Expr> {
    auto it = arguments.find(e.node());
    return it == arguments.end() ? std::nullopt : std::optional<Expr>(it->second);
  });
}

DerivativeLookup RuleSet::derivative_lookup() const {
  return [this](const std::string& name) -> std::optional<KnownDerivative> {
    if (!known_by_derivative(name)) return std::nullopt;
    const Definition* d = derivative(name);
    return KnownDerivative{d->parameters.at(0), d->body};
  };
}

const RuleSet& RuleSet::shipped() {
  static const RuleSet rules = [] {
    Result<RuleSet> loaded = load_default();
    return loaded ? *loaded : RuleSet();
  }();
  return rules;
}

const FunctionTable& FunctionTable::shipped() { return RuleSet::shipped().functions(); }

Expr RuleSet::expand_user_definitions(Expr e) const {
  return transform(e, nullptr, [&](Expr x) {
    if (x.is(Kind::Call) && FunctionTable::builtin().find(x.name()) == nullptr) {
      if (const Definition* d = definition(x.name())) return expand_user_definitions(expand_call(x, *d));
    }
    return x;
  });
}

}  // namespace napier
