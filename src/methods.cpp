#include "napier/methods.hpp"

#include "napier/derive.hpp"
#include "napier/numeric.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/verdict.hpp"

namespace napier {
namespace {

Expr fresh_symbol(Expr f, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (!contains(f, sym(n))) return sym(n);
  }
  return sym("y_");
}

// A Derivation that only simplifies `e` (both phases), for the "= ..." tails of a method's lines.
Derivation simplification(Expr e, Expr x, const RuleSet& rules) {
  Derivation d;
  d.input = e;
  d.var = x;
  d.start = e;
  Expr r = simplify(e, rules, Phase::Simplify, &d.steps);
  d.result = simplify(r, rules, Phase::Textbook, &d.steps);
  return d;
}

Block leibniz_line(Expr lhs, Expr rhs, std::string rule, std::string label, Claim claim = {}) {
  Block b = equation_line(lhs, rhs, std::move(rule), std::move(label), std::move(claim));
  b.leibniz = true;
  return b;
}

// The method's answer must be the derivative wherever f is defined: a method is refused where it is not
// (the inverse y^(1/2) of x^2 gives back |x|, so its dy/dx is 2|x|).
std::optional<Diagnostic> refuse_unless_derivative(const char* method, Expr f, Expr x, Expr answer,
                                                   const RuleSet& rules, const std::string& why) {
  const CheckResult c = check_derivative_value(answer, derivative(f, x), f, checking_options(rules));
  if (c.how != How::Refuted) return std::nullopt;
  return Diagnostic{std::string("--method ") + method + ": " + why + ", so the method's answer " + print(answer) +
                    " is not the derivative of " + print(f) + " at " + describe_point(c.counterexample->point) +
                    " (use --method direct)"};
}

}  // namespace

Method choose_method(Expr f, Expr x) {
  if (f.is(Kind::Pow) && depends_on(f[0], x) && depends_on(f[1], x)) return Method::Logdiff;
  return Method::Direct;
}

Result<Explanation> derive_by_inverse(Expr f, Expr x, const RuleSet& rules) {
  const Expr y = fresh_symbol(f, {"y", "z", "w"});
  std::optional<Expr> g = rules.inverse_of(f, x, y);
  if (!g) {
    return Diagnostic{"--method inverse: no inverse is known for " + print(f) +
                      " (the rule files' `inverse` records cover e^x, exp(x), a^x, log(x), x^r, asin, acos, atan)"};
  }
  Block m = group_block("method", {words("Method: the inverse function")});
  m.children.push_back(equation_line(y, f, "function", "the function"));
  // x = g(y): true where y = f(x), i.e. x = g(f(x)).
  Block solved = equation_line(x, *g, "inverse", "solve for " + print(x) + ": the inverse function",
                               identity(x, replace_all(*g, y, f)));
  m.children.push_back(solved);

  const Derivation dx_dy = differentiate(*g, y, rules);
  m.children.push_back(chain_block(dx_dy, derivative(x, y), "differentiate " + print(x) + " = " + print(*g) + " in " +
                                                                print(y)));
  // Each form of dy/dx claims d/dx f = that form with y written back as f(x).
  auto as_derivative = [&](Expr form) { return derivative_identity(derivative(f, x), replace_all(form, y, f)); };
  const Expr reciprocal = div(num(1), dx_dy.result);
  Block rule = leibniz_line(derivative(y, x), div(num(1), derivative(x, y)), "inverse_function",
                            "inverse-function rule: dy/dx = 1/(dx/dy)", as_derivative(reciprocal));
  rule.conditions = {"dx/dy != 0"};
  m.children.push_back(rule);
  m.children.push_back(equation_line(Expr(), reciprocal, "substitute", "dx/dy = " + print(dx_dy.result),
                                     as_derivative(reciprocal)));
  const Derivation flipped = simplification(reciprocal, y, rules);
  m.children.push_back(continued_chain(flipped));
  const Expr back = replace_all(flipped.result, y, f);
  m.children.push_back(equation_line(Expr(), back, "substitute", print(y) + " = " + print(f), as_derivative(back)));
  const Derivation cleaned = simplification(back, x, rules);
  m.children.push_back(continued_chain(cleaned));
  if (std::optional<Diagnostic> no = refuse_unless_derivative(
          "inverse", f, x, cleaned.result, rules,
          print(x) + " = " + print(*g) + " inverts " + print(y) + " = " + print(f) + " only on part of its domain")) {
    return *no;
  }
  return Explanation{std::move(m), cleaned.result, {}};
}

Result<Explanation> derive_by_logdiff(Expr f, Expr x, const RuleSet& rules) {
  // log(y) needs y > 0 somewhere: refuse a function that is never positive at the points tried.
  // Other symbols are parameters; they get the value 2 (a typical positive base a in a^x).
  bool positive_somewhere = false;
  for (int k = -20; k <= 20 && !positive_somewhere; ++k) {
    Point p;
    for (Expr s : free_symbols(f)) p[s.name()] = 2;
    p[x.name()] = cln::cl_RA(k) / 4;
    std::optional<cln::cl_R> v = evaluate(f, p);
    positive_somewhere = v && cln::plusp(*v);
  }
  if (!positive_somewhere) {
    return Diagnostic{"--method logdiff: log(y) is undefined, " + print(f) + " is not positive at any point tried"};
  }
  const Expr y = fresh_symbol(f, {"y", "z", "w"});
  const Expr log_f = call("log", {f});
  const std::string positive = print(y) + " > 0";
  // Every line from the logarithm on holds where y > 0: verify counts only points where log(f) is real.
  auto where_positive = [&](Block b) {
    b.where = log_f;
    return b;
  };
  Block m = group_block("method", {words("Method: logarithmic differentiation")});
  m.children.push_back(equation_line(y, f, "function", "the function"));

  Derivation logs;
  logs.input = f;
  logs.var = x;
  logs.start = log_f;
  logs.result = simplify(logs.start, rules, Phase::Logarithm, &logs.steps);
  Block take_logs = where_positive(equation_line(call("log", {y}), log_f, "take_logarithms",
                                                 "take the logarithm of both sides"));
  take_logs.conditions = {positive};
  m.children.push_back(take_logs);
  m.children.push_back(where_positive(continued_chain(logs)));

  const Derivation right = differentiate(logs.result, x, rules);
  const Expr d_log_f = derivative(log_f, x);
  m.children.push_back(where_positive(equation_line(derivative(call("log", {y}), x), derivative(logs.result, x),
                                                    "differentiate_both_sides",
                                                    "differentiate both sides in " + print(x),
                                                    derivative_identity(d_log_f, derivative(logs.result, x)))));
  m.children.push_back(where_positive(continued_chain(right)));

  const Expr dy_dx = derivative(y, x);
  const Expr one_over_f_f_prime = mul(div(num(1), f), derivative(f, x));
  m.children.push_back(where_positive(leibniz_line(derivative(call("log", {y}), x), mul(div(num(1), y), dy_dx), "chain",
                                                   "chain rule on the left: d(log y)/dy = 1/y",
                                                   derivative_identity(d_log_f, one_over_f_f_prime))));
  m.children.push_back(where_positive(leibniz_line(mul(div(num(1), y), dy_dx), right.result, "combine",
                                                   "the two lines above",
                                                   derivative_identity(one_over_f_f_prime, right.result))));
  const Expr back = mul(f, right.result);
  m.children.push_back(where_positive(leibniz_line(dy_dx, mul(y, right.result), "multiply",
                                                   "multiply both sides by " + print(y),
                                                   derivative_identity(derivative(f, x), back))));
  m.children.push_back(where_positive(
      equation_line(Expr(), back, "substitute", print(y) + " = " + print(f), derivative_identity(derivative(f, x), back))));
  const Derivation cleaned = simplification(back, x, rules);
  m.children.push_back(continued_chain(cleaned));
  if (std::optional<Diagnostic> no = refuse_unless_derivative("logdiff", f, x, cleaned.result, rules,
                                                              "log(" + print(y) + ") needs " + positive)) {
    return *no;
  }
  return Explanation{std::move(m), cleaned.result, {}};
}

}  // namespace napier
