#include "commands.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/exact.hpp"
#include "napier/indexed.hpp"
#include "napier/methods.hpp"
#include "napier/numeric.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"
#include "napier/substitution.hpp"
#include "napier/verify.hpp"

namespace napier::cli {
namespace {

constexpr int kMaxOrder = 100;  // docs/limits.md

Expr choose_symbol(Expr f, const std::string& wrt);

// --wrt x[j]: a component of a vector x of symbolic length (indexed.hpp), j a symbol or a positive integer.
Expr choose_component(Expr f, const std::string& wrt) {
  ParseOptions options;
  options.allow_equation = false;
  Result<Expr> v = parse(wrt, options);
  if (!v || !is_indexed_variable(*v)) {
    throw BadInput{"--wrt " + wrt + ": not a variable name or a component x[j] (j a symbol or a positive integer)"};
  }
  if (!used_as_vector(f, (*v)[0])) {
    throw BadInput{"--wrt " + wrt + ": the expression has no vector '" + (*v)[0].name() + "'"};
  }
  return *v;
}

Expr choose_variable(Expr f, const std::string& wrt) {
  if (wrt.find('[') != std::string::npos) return choose_component(f, wrt);
  const Expr x = choose_symbol(f, wrt);
  if (used_as_vector(f, x)) {
    throw BadInput{"'" + x.name() + "' is a vector here: differentiate by a component, --wrt \"" + x.name() + "[j]\""};
  }
  return x;
}

Expr choose_symbol(Expr f, const std::string& wrt) {
  const std::vector<Expr> symbols = free_symbols(f);
  if (!wrt.empty()) {
    if (wrt == "e" || wrt == "pi") throw BadInput{"--wrt " + wrt + ": cannot differentiate with respect to a constant"};
    bool valid = std::isalpha(static_cast<unsigned char>(wrt[0])) != 0;
    for (char c : wrt) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!valid) throw BadInput{"--wrt " + wrt + ": not a variable name"};
    for (Expr s : symbols) {
      if (s.name() == wrt) return s;
    }
    throw BadInput{"--wrt " + wrt + ": the expression has no variable '" + wrt + "'"};
  }
  for (Expr s : symbols) {
    if (s.name() == "x") return s;
  }
  if (symbols.size() == 1) return symbols[0];
  if (symbols.empty()) throw BadInput{"the expression has no variable to differentiate by (give --wrt)"};
  std::string names;
  for (Expr s : symbols) names += (names.empty() ? "" : ", ") + s.name();
  throw BadInput{"more than one variable (" + names + "): say which with --wrt"};
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
      return "GiNaC agrees: numerically, at " + std::to_string(c.points_agreed) + " points to 40 digits" + instances;
    case How::Refuted: return "GiNaC DISAGREES: refuted at " + describe_point(c.counterexample->point);
    case How::Undecided: return "GiNaC check undecided: " + c.note + instances;
  }
  return {};
}

Expr exact_value_or_throw(const RuleSet& rules, Expr e, const ExactPoint& point) {
  Result<Expr> v = evaluate_exact(rules.expand_user_definitions(e), point);
  if (!v) throw BadInput{v.error().message};
  return *v;
}

// The derivative of f at a point exists only where f is defined: log(x) has no derivative at x = -1 even
// though 1/x has a value there.
void require_defined(const RuleSet& rules, Expr f, const ExactPoint& point) {
  Result<Expr> v = evaluate_exact(rules.expand_user_definitions(f), point);
  if (!v) throw BadInput{v.error().message + ", so its derivative is not taken there"};
}

std::string describe_exact(const ExactPoint& point) {
  std::string out;
  for (const auto& [name, value] : point) out += (out.empty() ? "" : ", ") + name + " = " + print(value);
  return out;
}

std::vector<Derivation> derive_all(const RuleSet& rules, Expr f, Expr x, int order, bool steps,
                                   bool definitions_first = false) {
  if (order < 1) throw BadInput{"--order " + std::to_string(order) + ": must be at least 1"};
  if (order > kMaxOrder) {
    throw BadInput{"--order " + std::to_string(order) + ": above " + std::to_string(kMaxOrder) + " (limit)"};
  }
  DiffOptions options;
  options.record_steps = steps;
  options.definitions_first = definitions_first;
  std::vector<Derivation> derivations;
  Expr current = f;
  try {
    for (int k = 0; k < order; ++k) {
      derivations.push_back(differentiate(current, x, rules, options));
      current = derivations.back().result;
    }
  } catch (const StepLimitExceeded& e) {
    throw BadInput{std::string("derivation stopped: ") + e.what()};
  }
  return derivations;
}

// --assume L = R: every L in the derivation's result written as R, one step per assumption that applies
// (true under the assumption only: verify reports it as such), then the simplify and textbook phases again.
void apply_assumptions(Derivation& d, const std::vector<std::pair<Expr, Expr>>& assumptions, const RuleSet& rules) {
  Expr e = d.result;
  for (const auto& [lhs, rhs] : assumptions) {
    const Expr next = replace_all(e, lhs, rhs);
    if (next == e) continue;
    d.steps.push_back(Step{Phase::Textbook, "assumption", "assume " + print(lhs) + " = " + print(rhs), {}, e, next, e,
                           next, {}});
    e = next;
  }
  if (e == d.result) return;
  try {
    e = simplify(e, rules, Phase::Simplify, &d.steps);
    e = simplify(e, rules, Phase::Textbook, &d.steps);
  } catch (const StepLimitExceeded& error) {
    throw BadInput{std::string("derivation stopped: ") + error.what()};
  }
  d.result = e;
}

// One side of an identity rewritten to show why it holds: the identity rules, then the textbook ones.
Derivation rewrite_side(Expr side, const RuleSet& rules) {
  Derivation d;
  d.input = d.start = side;
  try {
    Expr e = simplify(side, rules, Phase::Identity, &d.steps);
    d.result = simplify(e, rules, Phase::Textbook, &d.steps);
  } catch (const StepLimitExceeded& error) {
    throw BadInput{std::string("derivation stopped: ") + error.what()};
  }
  return d;
}

}  // namespace

int verify_command(const RuleSet& rules, const DiffRequest& request) {
  const LetBindings lets = parse_lets(rules, request.lets);
  const Expr f = lets.expand(parse_or_throw(rules, request.text, false));
  const Expr x = choose_variable(f, request.wrt);
  std::vector<Derivation> derivations = derive_all(rules, f, x, request.order, true);
  for (Derivation& d : derivations) d = lets.fold(d);
  const CheckOptions options = check_options(rules, lets);
  int verified = 0, proved = 0, total = 0;
  nlohmann::ordered_json json_steps = nlohmann::ordered_json::array();
  for (const Derivation& d : derivations) {
    if (request.format != "json") std::cout << print(d.start, Style::Text) << "\n";
    for (const StepCheck& c : verify_steps(d, options)) {
      const Step& s = d.steps[c.index];
      ++total;
      verified += c.result.holds;
      proved += c.result.how == How::Proved;
      if (request.format == "json") {
        json_steps.push_back({{"rule", s.rule}, {"label", s.label}, {"redex", print(s.redex)},
                              {"replacement", print(s.contractum)}, {"holds", c.result.holds},
                              {"how", how_name(c.result.how)}});
      } else {
        std::cout << "  " << total << ". " << print(s.redex, Style::Text) << " = " << print(s.contractum, Style::Text)
                  << "    [" << s.label << "]: "
                  << (c.result.how == How::Refuted || c.result.how == How::Undecided
                          ? describe(c.result, s.redex, s.contractum)
                          : how_name(c.result.how))
                  << "\n";
      }
    }
  }
  if (request.format == "json") {
    nlohmann::ordered_json out;
    out["input"] = request.text;
    out["wrt"] = print(x);
    out["steps"] = json_steps;
    out["verified"] = verified;
    out["total"] = total;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << verified << " of " << total << " steps verified: " << proved << " proved, " << verified - proved
              << " numerically\n";
  }
  return verified == total ? kExitOk : kExitFalse;
}

int print_command(const RuleSet& rules, const std::string& text, const std::string& format) {
  Expr e = parse_or_throw(rules, text, true);
  if (format == "json") {
    std::cout << print_json_tree(e, 2) << "\n";
  } else {
    const Style style = format == "unicode" ? Style::Unicode : format == "latex" ? Style::Latex : Style::Plain;
    std::cout << print(e, style) << "\n";
  }
  return kExitOk;
}

int check_command(const RuleSet& rules, const std::string& text, const std::string& format, bool steps) {
  Expr e = parse_or_throw(rules, text, true);
  if (!e.is(Kind::Equation)) throw BadInput{"check needs an identity of the form L = R"};
  CheckResult result = check_equal(e[0], e[1], check_options(rules));
  std::optional<std::pair<Derivation, Derivation>> why;
  if (steps) why = std::make_pair(rewrite_side(e[0], rules), rewrite_side(e[1], rules));
  const bool meet = why && why->first.result == why->second.result;
  if (format == "json") {
    nlohmann::ordered_json out;
    out["input"] = text;
    out["holds"] = result.holds;
    out["how"] = how_name(result.how);
    if (result.counterexample) {
      nlohmann::ordered_json point;
      for (const auto& [name, value] : result.counterexample->point) point[name] = rational_text(value);
      out["counterexample"] = {{"point", point},
                               {"lhs", result.counterexample->lhs_value},
                               {"rhs", result.counterexample->rhs_value}};
    } else {
      out["counterexample"] = nullptr;
    }
    out["points"] = result.points_agreed;
    out["skipped"] = result.points_skipped;
    if (why) out["steps"] = {{"lhs", steps_json(why->first)}, {"rhs", steps_json(why->second)}, {"meet", meet}};
    if (!result.note.empty()) out["note"] = result.note;
    std::cout << out.dump(2) << "\n";
  } else {
    if (why) {
      std::cout << "L: " << print_chain(why->first, Style::Text) << "R: " << print_chain(why->second, Style::Text);
      std::cout << (meet ? "Both sides reach " + print(why->first.result) + ".\n"
                         : std::string("The rules do not bring the two sides to one expression.\n"));
    }
    std::cout << (result.holds ? "true" : "false") << "\n" << describe(result, e[0], e[1]) << "\n";
  }
  return result.holds ? kExitOk : kExitFalse;
}

int diff_command(const RuleSet& rules, const DiffRequest& request) {
  const LetBindings lets = parse_lets(rules, request.lets);
  const std::vector<std::pair<Expr, Expr>> assumptions = parse_assumptions(rules, request.assume);
  if (!assumptions.empty() && (!request.at.empty() || request.style == "substitution" || request.method != "auto")) {
    throw BadInput{"--assume works with the default steps only (not with --at, --style substitution or --method)"};
  }
  const Expr f = lets.expand(parse_or_throw(rules, request.text, false));
  if (f.is(Kind::Vector) || (f.is(Kind::Call) && f.name() == "softmax")) {
    throw BadInput{"diff needs a scalar expression; use jacobian for a vector (or a component: softmax(...)[i])"};
  }
  const Expr x = choose_variable(f, request.wrt);
  const ExactPoint point = parse_point(rules, request.at, f);
  std::vector<Derivation> derivations =
      derive_all(rules, f, x, request.order, request.steps || request.format == "json", request.style == "chain");
  // --method inverse|logdiff (or auto picking logdiff) derives by that method for --steps; the answer is the
  // same derivative, and it is checked like any other.
  std::optional<MethodDerivation> by_method;
  Method method = request.method == "inverse" ? Method::Inverse
                  : request.method == "logdiff" ? Method::Logdiff
                  // auto picks a method for the first derivative only: a higher order goes on directly
                  : request.method == "auto"    ? (request.order == 1 ? choose_method(f, x) : Method::Direct)
                                                : Method::Direct;
  if (method != Method::Direct) {
    if (request.order != 1) throw BadInput{"--method " + request.method + " works with --order 1 only"};
    Result<MethodDerivation> m = method == Method::Inverse ? derive_by_inverse(f, x, rules) : derive_by_logdiff(f, x, rules);
    if (!m) throw BadInput{m.error().message};
    by_method = std::move(m).value();
  }
  const Expr current = derivations.back().result;
  std::optional<Expr> value_at_point;
  if (!point.empty()) {
    require_defined(rules, f, point);
    value_at_point = exact_value_or_throw(rules, current, point);
  }
  // From here on the user's --let names: results and steps read (h - y)*x1; checks expand them again.
  for (Derivation& d : derivations) d = lets.fold(d);
  const Expr derived = lets.fold(current);  // what GiNaC checks
  if (!assumptions.empty()) apply_assumptions(derivations.back(), assumptions, rules);
  const Expr result = derivations.back().result;
  const Expr target = request.order == 1 ? derivative(f, x) : [&] {
    Expr t = f;
    for (int k = 0; k < request.order; ++k) t = derivative(t, x);
    return t;
  }();
  CheckOptions compare = check_options(rules, lets);
  compare.left_domain_in_right = false;  // two derivatives may differ at removable singularities
  compare.real_odd_roots = false;        // GiNaC's answer may use complex-branch identities
  compare.only_where_defined = f;        // a derivative says nothing where its function has no real value
  const CheckResult verdict = check_equal(derived, target, compare);
  if (verdict.how == How::Refuted) {
    std::cerr << "napier: warning: GiNaC disagrees with this result ("
              << describe(verdict, derived, target) << ")\n";
  }

  if (request.format == "json") {
    nlohmann::ordered_json out;
    out["input"] = request.text;
    out["wrt"] = print(x);
    out["order"] = request.order;
    if (!lets.empty()) out["let"] = let_json(lets);
    out["result"] = print(result, Style::Plain);
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const Derivation& d : derivations) {
      nlohmann::ordered_json derivation_steps = steps_json(d);
      if (request.steps) {
        const std::vector<StepCheck> checks = verify_steps(d, check_options(rules, lets));
        for (const StepCheck& c : checks) {
          derivation_steps[c.index]["check"] = {{"holds", c.result.holds}, {"how", how_name(c.result.how)}};
        }
      }
      for (auto& s : derivation_steps) steps.push_back(s);
    }
    out["steps"] = steps;
    out["check"] = {{"ginac", verdict.holds}, {"how", how_name(verdict.how)}, {"points", verdict.points_agreed}};
    if (!assumptions.empty()) {
      out["check"]["checked"] = print(derived, Style::Plain);  // GiNaC's verdict is on the result before --assume
      out["assume"] = request.assume;
    }
    if (value_at_point) out["value"] = print(*value_at_point, Style::Plain);
    if (!verdict.note.empty()) out["check"]["note"] = verdict.note;
    if (!verdict.instantiated.empty()) out["check"]["instantiated"] = verdict.instantiated;
    std::cout << out.dump(2) << "\n";
  } else if (request.format == "latex") {
    if (request.steps) {
      for (const Derivation& d : derivations) std::cout << print_chain_latex(d);
    } else {
      std::cout << print(result, Style::Latex) << "\n";
    }
  } else {
    const Style style = request.format == "unicode" ? Style::Unicode : Style::Text;
    if (request.steps && by_method) {
      if (request.method == "auto") std::cout << "(auto: a variable base with a variable exponent)\n";
      std::cout << print_method(*by_method, style);
      std::cout << "\nResult: " << print(result, style == Style::Text ? Style::Plain : style) << "\n"
                << verdict_line(verdict) << "\n";
      const CheckResult agrees = check_equal(by_method->result, result, check_options(rules, lets));
      if (!agrees.holds) std::cout << "The method's answer " << print(by_method->result) << " differs!\n";
    } else if (request.steps && request.style == "substitution" && request.order == 1) {
      std::cout << print_substitution(derive_by_substitution(f, x, rules), style);
      std::cout << "\nResult: " << print(result, style == Style::Text ? Style::Plain : style) << "\n"
                << verdict_line(verdict) << "\n";
    } else if (request.steps) {
      for (std::size_t k = 0; k < derivations.size(); ++k) {
        if (derivations.size() > 1) std::cout << (k ? "\n" : "") << "Order " << k + 1 << ":\n";
        std::cout << print_chain(derivations[k], style);
      }
      std::cout << "\nResult: " << print(result, style == Style::Text ? Style::Plain : style) << "\n"
                << verdict_line(verdict)
                << (assumptions.empty() ? "" : " (on " + print(derived) + ", before the assumption)") << "\n";
    } else {
      std::cout << print(result, style == Style::Text ? Style::Plain : style) << "\n";
    }
    if (value_at_point) {
      std::cout << (request.steps ? "At " + describe_exact(point) + ": " : "")
                << print(*value_at_point, style == Style::Text ? Style::Plain : style) << "\n";
    }
  }
  return verdict.how == How::Refuted ? kExitInternal : kExitOk;
}

}  // namespace napier::cli
