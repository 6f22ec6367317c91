#include "napier/methods.hpp"

#include "napier/derive.hpp"
#include "napier/numeric.hpp"
#include "napier/print_derivation.hpp"
#include "napier/rewrite.hpp"

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

// The forms a derivation passes through after its start, with their labels, appended to a line.
void append_forms(MethodLine& line, const Derivation& d) {
  const std::vector<ChainLine> lines = chain_lines(d);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    line.more.push_back(lines[i].expr);
    line.more_labels.push_back(lines[i].label);
  }
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

std::string text(Expr e, Style style) { return print(leibniz(e), style); }

}  // namespace

Method choose_method(Expr f, Expr x) {
  if (f.is(Kind::Pow) && depends_on(f[0], x) && depends_on(f[1], x)) return Method::Logdiff;
  return Method::Direct;
}

Result<MethodDerivation> derive_by_inverse(Expr f, Expr x, const RuleSet& rules) {
  MethodDerivation d;
  d.method = Method::Inverse;
  d.f = f;
  d.x = x;
  d.y = fresh_symbol(f, {"y", "z", "w"});
  std::optional<Expr> g = rules.inverse_of(f, x, d.y);
  if (!g) {
    return Diagnostic{"--method inverse: no inverse is known for " + print(f) +
                      " (the rule files' `inverse` records cover e^x, exp(x), a^x, log(x), x^r, asin, acos, atan)"};
  }
  d.lines.push_back({d.y, f, "the function", {}, {}});
  d.lines.push_back({x, *g, "solve for " + print(x) + ": the inverse function", {}, {}});

  Derivation dx_dy = differentiate(*g, d.y, rules);
  MethodLine slope{derivative(x, d.y), derivative(*g, d.y), "differentiate " + print(x) + " = " + print(*g) + " in " +
                                                                 print(d.y), {}, {}};
  append_forms(slope, dx_dy);
  d.lines.push_back(slope);

  const Expr reciprocal = div(num(1), dx_dy.result);
  Derivation flipped = simplification(reciprocal, d.y, rules);
  MethodLine rule{derivative(d.y, x), div(num(1), derivative(x, d.y)), "inverse-function rule: dy/dx = 1/(dx/dy)",
                  {reciprocal}, {"dx/dy = " + print(dx_dy.result)}};
  append_forms(rule, flipped);
  const Expr back = replace_all(flipped.result, d.y, f);
  rule.more.push_back(back);
  rule.more_labels.push_back(print(d.y) + " = " + print(f));
  Derivation cleaned = simplification(back, x, rules);
  append_forms(rule, cleaned);
  d.lines.push_back(rule);
  d.parts = {dx_dy, flipped, cleaned};
  d.result = cleaned.result;
  return d;
}

Result<MethodDerivation> derive_by_logdiff(Expr f, Expr x, const RuleSet& rules) {
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
  MethodDerivation d;
  d.method = Method::Logdiff;
  d.f = f;
  d.x = x;
  d.y = fresh_symbol(f, {"y", "z", "w"});
  d.lines.push_back({d.y, f, "the function", {}, {}});

  Derivation logs;
  logs.input = f;
  logs.var = x;
  logs.start = call("log", {f});
  logs.result = simplify(logs.start, rules, Phase::Logarithm, &logs.steps);
  MethodLine take_logs{call("log", {d.y}), logs.start, "take the logarithm of both sides", {}, {}};
  append_forms(take_logs, logs);
  d.lines.push_back(take_logs);

  Derivation right = differentiate(logs.result, x, rules);
  MethodLine both{derivative(call("log", {d.y}), x), derivative(logs.result, x), "differentiate both sides in " + print(x),
                  {}, {}};
  append_forms(both, right);
  d.lines.push_back(both);

  const Expr dy_dx = derivative(d.y, x);
  d.lines.push_back({derivative(call("log", {d.y}), x), mul(div(num(1), d.y), dy_dx),
                     "chain rule on the left: d(log y)/dy = 1/y", {}, {}});
  d.lines.push_back({mul(div(num(1), d.y), dy_dx), right.result, "the two lines above", {}, {}});

  MethodLine solved{dy_dx, mul(d.y, right.result), "multiply both sides by " + print(d.y), {}, {}};
  const Expr back = mul(f, right.result);
  solved.more.push_back(back);
  solved.more_labels.push_back(print(d.y) + " = " + print(f));
  Derivation cleaned = simplification(back, x, rules);
  append_forms(solved, cleaned);
  d.lines.push_back(solved);
  d.parts = {logs, right, cleaned};
  d.result = cleaned.result;
  return d;
}

std::string print_method(const MethodDerivation& d, Style style) {
  std::string out = d.method == Method::Inverse ? "Method: the inverse function\n"
                                                : "Method: logarithmic differentiation\n";
  for (const MethodLine& line : d.lines) {
    const std::string lhs = text(line.lhs, style);
    out += lhs + " = " + text(line.rhs, style) + "    [" + line.label + "]\n";
    for (std::size_t i = 0; i < line.more.size(); ++i) {
      out += std::string(lhs.size(), ' ') + " = " + text(line.more[i], style) + "    [" + line.more_labels[i] + "]\n";
    }
  }
  return out;
}

}  // namespace napier
