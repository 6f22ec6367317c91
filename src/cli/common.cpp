#include "common.hpp"

#include <algorithm>
#include <iostream>

#include "napier/numeric.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/verdict.hpp"

namespace napier::cli {

Expr parse_or_throw(const RuleSet& rules, const std::string& text, bool allow_equation) {
  ParseOptions options;
  options.functions = &rules.functions();
  options.allow_equation = allow_equation;
  Result<Expr> e = parse(text, options);
  if (!e) throw BadInput{e.error().to_string()};
  return *e;
}

CheckOptions check_options(const RuleSet& rules, const LetBindings& lets) { return checking_options(rules, lets); }

void write(const std::string& text) {
  std::cout << text;
  if (!std::cout) throw BadInput{"cannot write output"};
}

std::string verdict_line(const CheckResult& c) {
  // A symbolic length is checked at instances (n = 2..4, ...): the line says so.
  const std::string instances = c.instantiated.empty() ? "" : " (instantiated at " + c.instantiated + ")";
  switch (c.how) {
    case How::Proved: {
      const std::string how = c.note.rfind("GiNaC: ", 0) == 0 ? c.note.substr(7) : c.note;
      return "GiNaC agrees: proved symbolically, " + how + instances;
    }
    case How::Numeric:
      return "GiNaC agrees: numerically, at " + std::to_string(c.points_agreed) + " points at 50 and 200 digits" + instances;
    case How::Refuted: return "GiNaC DISAGREES: refuted at " + describe_point(c.counterexample->point);
    case How::Undecided: return "GiNaC check undecided: " + c.note + instances;
  }
  return {};
}

nlohmann::ordered_json verdict_json(const CheckResult& c) {
  nlohmann::ordered_json out = {{"ginac", c.holds}, {"how", how_name(c.how)}, {"points", c.points_agreed}};
  if (!c.note.empty()) out["note"] = c.note;
  if (!c.instantiated.empty()) out["instantiated"] = c.instantiated;
  return out;
}

int print_verification(const std::vector<LineCheck>& checks, Format format, nlohmann::ordered_json head) {
  int verified = 0, proved = 0;
  for (const LineCheck& c : checks) {
    verified += c.result.holds;
    proved += c.result.how == How::Proved;
  }
  const int total = static_cast<int>(checks.size());
  if (format == Format::Json) {
    head["steps"] = nlohmann::ordered_json::array();
    for (const LineCheck& c : checks) {
      head["steps"].push_back({{"rule", c.step ? c.step->rule : c.block->rule}, {"label", c.label},
                               {"redex", print(c.lhs)}, {"replacement", print(c.rhs)}, {"holds", c.result.holds},
                               {"how", how_name(c.result.how)}});
    }
    head["verified"] = verified;
    head["total"] = total;
    write(head.dump(2) + "\n");
    return total - verified;
  }
  std::string out;
  int k = 0;
  for (const LineCheck& c : checks) {
    if (!c.heading.empty()) out += c.heading + "\n";
    out += "  " + std::to_string(++k) + ". " + print(c.lhs, Style::Text) + " = " + print(c.rhs, Style::Text) +
           (c.label.empty() ? ": " : "    [" + c.label + "]: ") +
           (c.result.how == How::Refuted || c.result.how == How::Undecided ? describe(c.result, c.lhs, c.rhs)
                                                                         : how_name(c.result.how)) +
           "\n";
  }
  out += std::to_string(verified) + " of " + std::to_string(total) + " steps verified: " + std::to_string(proved) +
         " proved, " + std::to_string(verified - proved) + " numerically\n";
  write(out);
  return total - verified;
}

std::optional<std::string> first_false_line(const std::vector<LineCheck>& checks) {
  for (std::size_t k = 0; k < checks.size(); ++k) {
    const LineCheck& c = checks[k];
    if (c.result.how != How::Refuted) continue;
    return "line " + std::to_string(k + 1) + " of the derivation is false: " + print(c.lhs, Style::Text) + " = " +
           print(c.rhs, Style::Text) +
           (c.label.empty() ? "" : " [" + c.label + "]") + " (" + describe(c.result, c.lhs, c.rhs) +
           "); nothing is printed (a rule is wrong: napier verify shows every line)";
  }
  return std::nullopt;
}

nlohmann::ordered_json let_json(const LetBindings& lets) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [name, value] : lets.bindings()) out[name.name()] = print(value, Style::Plain);
  return out;
}

namespace {

// An option's "L = R" value (--let, --assume) parsed with the rule set's functions; a syntax error or a value
// that is no equation throws BadInput quoting the option: "--let h: expected NAME = EXPR".
Expr parse_equation_option(const RuleSet& rules, const std::string& option, const std::string& text,
                           const std::string& expected) {
  ParseOptions options;
  options.functions = &rules.functions();
  options.allow_equation = true;
  Result<Expr> e = parse(text, options);
  if (!e) throw BadInput{option + " " + text + ": " + e.error().to_string()};
  if (!e->is(Kind::Equation)) throw BadInput{option + " " + text + ": expected " + expected};
  return *e;
}

}  // namespace

std::vector<std::pair<Expr, Expr>> parse_assumptions(const RuleSet& rules, const std::vector<std::string>& texts) {
  std::vector<std::pair<Expr, Expr>> out;
  for (const std::string& text : texts) {
    const Expr e = parse_equation_option(rules, "--assume", text, "L = R");
    if (e[0].is_number()) throw BadInput{"--assume " + text + ": the left side is a number: nothing to replace"};
    out.emplace_back(e[0], e[1]);
  }
  return out;
}

LetBindings parse_lets(const RuleSet& rules, const std::vector<std::string>& definitions) {
  LetBindings lets;
  for (const std::string& text : definitions) {
    const Expr e = parse_equation_option(rules, "--let", text, "NAME = EXPR");
    Result<bool> added = lets.add(e[0], e[1]);
    if (!added) throw BadInput{"--let " + text + ": " + added.error().message};
  }
  return lets;
}

void refuse_captures(const LetBindings& lets, const std::vector<std::string>& definitions, Expr f) {
  const std::optional<LetBindings::Capture> capture = lets.capture_in(f);
  if (!capture) return;
  for (std::size_t i = 0; i < lets.bindings().size() && i < definitions.size(); ++i) {
    if (lets.bindings()[i].first == capture->name) throw BadInput{"--let " + definitions[i] + ": " + capture->message};
  }
  throw BadInput{"--let " + capture->name.name() + ": " + capture->message};
}

// "x=0" -> {x: 0}. The value is any closed expression (0, -1/2, pi/2).
ExactPoint parse_point(const RuleSet& rules, const std::vector<std::string>& assignments, Expr f) {
  ExactPoint point;
  for (const std::string& a : assignments) {
    const std::size_t eq = a.find('=');
    if (eq == std::string::npos) throw BadInput{"--at " + a + ": expected VAR=VALUE"};
    std::string name = a.substr(0, eq);
    name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
    bool occurs = false;
    for (Expr s : free_symbols(f)) occurs = occurs || s.name() == name;
    if (!occurs) throw BadInput{"--at " + a + ": the expression has no variable '" + name + "'"};
    ParseOptions options;
    options.functions = &rules.functions();
    options.allow_equation = false;
    Result<Expr> value = parse(a.substr(eq + 1), options);
    if (!value) throw BadInput{"--at " + a + ": " + value.error().to_string()};
    if (!free_symbols(*value).empty()) throw BadInput{"--at " + a + ": the value must be a number"};
    if (!evaluate(*value, {})) throw BadInput{"--at " + a + ": the value is undefined"};
    if (point.count(name)) throw BadInput{"--at " + a + ": '" + name + "' is given a value twice"};
    point[name] = *value;
  }
  return point;
}

}  // namespace napier::cli
