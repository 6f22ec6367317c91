#include "commands.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"

namespace napier::cli {
namespace {

constexpr int kMaxOrder = 100;  // docs/limits.md

Expr parse_or_throw(const RuleSet& rules, const std::string& text, bool allow_equation) {
  ParseOptions options;
  options.functions = &rules.functions();
  options.allow_equation = allow_equation;
  Result<Expr> e = parse(text, options);
  if (!e) throw BadInput{e.error().to_string()};
  return *e;
}

CheckOptions check_options(const RuleSet& rules) {
  CheckOptions options;
  options.expand_definitions = [&rules](Expr e) { return rules.expand_user_definitions(e); };
  return options;
}

Expr choose_variable(Expr f, const std::string& wrt) {
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
  switch (c.how) {
    case How::Proved: return "GiNaC agrees: proved, " + c.note;
    case How::Numeric:
      return "GiNaC agrees: numerically, at " + std::to_string(c.points_agreed) + " points to 40 digits";
    case How::Refuted: return "GiNaC DISAGREES: refuted at " + describe_point(c.counterexample->point);
    case How::Undecided: return "GiNaC check undecided: " + c.note;
  }
  return {};
}

}  // namespace

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

int check_command(const RuleSet& rules, const std::string& text, const std::string& format) {
  Expr e = parse_or_throw(rules, text, true);
  if (!e.is(Kind::Equation)) throw BadInput{"check needs an identity of the form L = R"};
  CheckResult result = check_equal(e[0], e[1], check_options(rules));
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
    if (!result.note.empty()) out["note"] = result.note;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << (result.holds ? "true" : "false") << "\n" << describe(result, e[0], e[1]) << "\n";
  }
  return result.holds ? kExitOk : kExitFalse;
}

int diff_command(const RuleSet& rules, const DiffRequest& request) {
  if (request.order < 1) throw BadInput{"--order " + std::to_string(request.order) + ": must be at least 1"};
  if (request.order > kMaxOrder) {
    throw BadInput{"--order " + std::to_string(request.order) + ": above " + std::to_string(kMaxOrder) + " (limit)"};
  }
  const Expr f = parse_or_throw(rules, request.text, false);
  if (f.is(Kind::Vector)) throw BadInput{"diff needs a scalar expression; use jacobian for a vector"};
  const Expr x = choose_variable(f, request.wrt);

  DiffOptions options;
  options.record_steps = request.steps || request.format == "json";
  std::vector<Derivation> derivations;
  Expr current = f;
  try {
    for (int k = 0; k < request.order; ++k) {
      derivations.push_back(differentiate(current, x, rules, options));
      current = derivations.back().result;
    }
  } catch (const StepLimitExceeded& e) {
    throw BadInput{std::string("derivation stopped: ") + e.what()};
  }
  const Expr result = current;
  const Expr target = request.order == 1 ? derivative(f, x) : [&] {
    Expr t = f;
    for (int k = 0; k < request.order; ++k) t = derivative(t, x);
    return t;
  }();
  const CheckResult verdict = check_equal(result, target, check_options(rules));
  if (verdict.how == How::Refuted) {
    std::cerr << "napier: warning: GiNaC disagrees with this result ("
              << describe(verdict, result, target) << ")\n";
  }

  if (request.format == "json") {
    nlohmann::ordered_json out;
    out["input"] = request.text;
    out["wrt"] = x.name();
    out["order"] = request.order;
    out["result"] = print(result, Style::Plain);
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const Derivation& d : derivations) {
      for (auto& s : steps_json(d)) steps.push_back(s);
    }
    out["steps"] = steps;
    out["check"] = {{"ginac", verdict.holds}, {"how", how_name(verdict.how)}, {"points", verdict.points_agreed}};
    if (!verdict.note.empty()) out["check"]["note"] = verdict.note;
    std::cout << out.dump(2) << "\n";
  } else if (request.format == "latex") {
    if (request.steps) {
      for (const Derivation& d : derivations) std::cout << print_chain_latex(d);
    } else {
      std::cout << print(result, Style::Latex) << "\n";
    }
  } else {
    const Style style = request.format == "unicode" ? Style::Unicode : Style::Text;
    if (request.steps) {
      for (std::size_t k = 0; k < derivations.size(); ++k) {
        if (derivations.size() > 1) std::cout << (k ? "\n" : "") << "Order " << k + 1 << ":\n";
        std::cout << print_chain(derivations[k], style);
      }
      std::cout << "\nResult: " << print(result, style == Style::Text ? Style::Plain : style) << "\n"
                << verdict_line(verdict) << "\n";
    } else {
      std::cout << print(result, style == Style::Text ? Style::Plain : style) << "\n";
    }
  }
  return verdict.how == How::Refuted ? kExitInternal : kExitOk;
}

}  // namespace napier::cli
