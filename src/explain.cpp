#include "napier/explain.hpp"

#include "napier/derive.hpp"
#include "napier/piecewise.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/substitution.hpp"
#include "napier/verdict.hpp"

namespace napier {
namespace {

struct Refused {
  std::string message;
};

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
  e = simplify(e, rules, Phase::Simplify, &d.steps);
  d.result = simplify(e, rules, Phase::Textbook, &d.steps);
}

// Every expression a reader sees written in the user's --let names; the claims stay as derived (the
// checker expands the names anyway).
void fold_lets(Block& b, const LetBindings& lets) {
  if (lets.empty()) return;
  auto fold = [&](Expr& e) {
    if (!e.is_null()) e = lets.fold(e);
  };
  fold(b.lhs);
  fold(b.rhs);
  for (Phrase& p : b.title) fold(p.math);
  for (Phrase& p : b.sentence_before) fold(p.math);
  for (Phrase& p : b.sentence_after) fold(p.math);
  if (b.kind == BlockKind::Chain) b.chain = lets.fold(b.chain);
  for (Block& c : b.children) fold_lets(c, lets);
}

Method chosen_method(const DiffRequest& r, Expr f, Expr x) {
  if (r.method != Method::Auto) return r.method;
  // auto picks a method for the first derivative only: a higher order goes on directly
  return r.order == 1 && r.wrt.size() == 1 ? choose_method(f, x) : Method::Direct;
}

const char* method_name(Method m) {
  switch (m) {
    case Method::Auto: return "auto";
    case Method::Direct: return "direct";
    case Method::Inverse: return "inverse";
    case Method::Logdiff: return "logdiff";
  }
  return "";
}

void refuse_combinations(const DiffRequest& r) {
  if (r.wrt.empty()) throw Refused{"no variable to differentiate by"};
  if (r.order < 1) throw Refused{"--order " + std::to_string(r.order) + ": must be at least 1"};
  if (r.order > kMaxOrder) {
    throw Refused{"--order " + std::to_string(r.order) + ": above " + std::to_string(kMaxOrder) + " (limit)"};
  }
  if (r.wrt.size() > 1) {
    if (r.order != 1) throw Refused{"--order cannot be combined with a list of variables (--wrt x,y)"};
    if (r.style == StepStyle::Substitution) throw Refused{"--style substitution takes one variable, not a list"};
    if (r.method != Method::Auto) {
      throw Refused{std::string("--method ") + method_name(r.method) + " takes one variable, not a list"};
    }
  }
  if (r.order != 1 && (r.method == Method::Inverse || r.method == Method::Logdiff)) {
    throw Refused{std::string("--method ") + method_name(r.method) + " works with --order 1 only"};
  }
  if (r.order != 1 && r.style == StepStyle::Substitution) throw Refused{"--style substitution works with --order 1 only"};
  if (r.style == StepStyle::Substitution && (r.method == Method::Inverse || r.method == Method::Logdiff)) {
    throw Refused{std::string("--style substitution and --method ") + method_name(r.method) +
                  " are two different derivations: choose one"};
  }
  if (!r.assumptions.empty() && (!r.at.empty() || r.style == StepStyle::Substitution ||
                                 (r.method != Method::Auto && r.method != Method::Direct))) {
    throw Refused{"--assume works with the default steps only (not with --at, --style substitution or --method)"};
  }
}

// The direct derivation: one chain per order or variable, in a group titled "Order k:" or "With respect to
// x:" when there are several.
Explanation direct(const RuleSet& rules, const DiffRequest& r, Expr f, Expr& checked) {
  DiffOptions options;
  options.record_steps = r.steps;
  options.definitions_first = r.style == StepStyle::Chain;
  std::vector<std::pair<Expr, Derivation>> parts;  // (variable, derivation)
  Expr current = f;
  const std::size_t count = r.wrt.size() > 1 ? r.wrt.size() : static_cast<std::size_t>(r.order);
  for (std::size_t k = 0; k < count; ++k) {
    const Expr x = r.wrt.size() > 1 ? r.wrt[k] : r.wrt[0];
    parts.emplace_back(x, differentiate(current, x, rules, options));
    current = parts.back().second.result;
  }
  checked = current;
  if (!r.assumptions.empty()) apply_assumptions(parts.back().second, r.assumptions, rules);
  Explanation out;
  out.result = parts.back().second.result;
  if (parts.size() == 1) {
    out.root = chain_block(std::move(parts[0].second));
    return out;
  }
  out.root = group_block("document");
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const std::string title = r.wrt.size() > 1 ? "With respect to " + parts[k].first.name() + ":"
                                               : "Order " + std::to_string(k + 1) + ":";
    Block g = group_block(r.wrt.size() > 1 ? "variable" : "order", {words(title)});
    g.children.push_back(chain_block(std::move(parts[k].second)));
    out.root.children.push_back(std::move(g));
  }
  return out;
}

DiffExplanation explain(const RuleSet& rules, const DiffRequest& r) {
  refuse_combinations(r);
  const Expr f = r.lets.expand(r.f);
  const Expr x = r.wrt[0];
  DiffExplanation out;
  out.target = f;
  if (r.wrt.size() > 1) {
    for (Expr v : r.wrt) out.target = derivative(out.target, v);
  } else {
    for (int k = 0; k < r.order; ++k) out.target = derivative(out.target, x);
  }
  const Expr expanded = rules.expand_user_definitions(f);  // f as GiNaC and the evaluator see it
  if (!r.at.empty()) {
    Result<Expr> v = evaluate_exact(expanded, r.at, rules.derivative_lookup());
    if (!v) throw Refused{v.error().message + ", so its derivative is not taken there"};
  }
  out.method = chosen_method(r, f, x);
  Expr checked;
  if (out.method == Method::Inverse || out.method == Method::Logdiff) {
    Result<Explanation> m = out.method == Method::Inverse ? derive_by_inverse(f, x, rules) : derive_by_logdiff(f, x, rules);
    if (!m) throw Refused{m.error().message};
    out.document = std::move(m).value();
    if (r.method == Method::Auto) out.document.notes.push_back("auto: a variable base with a variable exponent");
    checked = out.document.result;
  } else if (r.style == StepStyle::Substitution) {
    out.document = derive_by_substitution(f, x, rules);
    checked = out.document.result;
  } else {
    out.document = direct(rules, r, f, checked);
  }
  out.verdict = check_derivative_value(checked, out.target, f, checking_options(rules, r.lets));
  if (!r.at.empty()) {
    Result<Expr> v = evaluate_exact(rules.expand_user_definitions(checked), r.at, rules.derivative_lookup());
    if (!v) throw Refused{v.error().message};
    // GiNaC's value, with the rules' known values worked in (erf(0) = 0 from erf's record).
    out.value = simplify(*v, rules, Phase::Simplify, nullptr);
  }
  // A piecewise function: the points where its derivative does not exist, which the steps (piece by piece)
  // leave out.
  if (r.wrt.size() == 1 && has_pieces(expanded)) {
    out.kinks = kinks(expanded, x, rules.derivative_lookup());
  }
  // From here on the user's --let names: results and steps read (h - y)*x1.
  fold_lets(out.document.root, r.lets);
  out.checked = r.lets.fold(checked);
  out.result = r.lets.fold(out.document.result);
  return out;
}

}  // namespace

Result<DiffExplanation> explain_diff(const RuleSet& rules, const DiffRequest& request) {
  try {
    return explain(rules, request);
  } catch (const Refused& e) {
    return Diagnostic{e.message};
  } catch (const StepLimitExceeded& e) {
    return Diagnostic{std::string("derivation stopped: ") + e.what()};
  }
}

}  // namespace napier

namespace napier {

Result<Explanation> explain_identity(Expr lhs, Expr rhs, const RuleSet& rules) {
  Explanation out;
  out.root = group_block("identity");
  Expr reached[2];
  try {
    for (int k = 0; k < 2; ++k) {
      Derivation d;
      d.input = d.start = k == 0 ? lhs : rhs;
      const Expr e = simplify(d.start, rules, Phase::Identity, &d.steps);
      d.result = reached[k] = simplify(e, rules, Phase::Textbook, &d.steps);
      Block side = group_block("side", {words(k == 0 ? "L" : "R")});
      side.children.push_back(chain_block(std::move(d)));
      out.root.children.push_back(std::move(side));
    }
  } catch (const StepLimitExceeded& e) {
    return Diagnostic{std::string("derivation stopped: ") + e.what()};
  }
  if (reached[0] == reached[1]) out.result = reached[0];
  return out;
}

}  // namespace napier
