#include "napier/substitution.hpp"

#include "napier/derive.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"

namespace napier {
namespace {

// The argument a reader substitutes: the argument of the outermost function application (a call, 1/u,
// u^n, e^u); through a sum or a constant multiple, the one term that depends on x.
std::optional<Expr> inner_argument(Expr f, Expr x) {
  auto proper = [&](Expr a) { return a != x && depends_on(a, x); };
  switch (f.kind()) {
    case Kind::Call:
      if (f.size() == 1 && proper(f[0])) return f[0];
      return std::nullopt;
    case Kind::Div:
      if (!depends_on(f[0], x) && proper(f[1])) return f[1];
      return std::nullopt;
    case Kind::Pow:
      if (!depends_on(f[1], x) && proper(f[0])) return f[0];
      if (!depends_on(f[0], x) && proper(f[1])) return f[1];
      return std::nullopt;
    case Kind::Add:
    case Kind::Mul: {
      std::optional<Expr> only;
      for (Expr a : f.args()) {
        if (!depends_on(a, x)) continue;
        if (only) return std::nullopt;
        only = a;
      }
      return only ? inner_argument(*only, x) : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

Block leibniz_line(Expr lhs, Expr rhs, std::string rule, std::string label) {
  Block b = equation_line(lhs, rhs, std::move(rule), std::move(label));
  b.leibniz = true;
  return b;
}

class Builder {
 public:
  Builder(const RuleSet& rules, Expr whole) : rules_(rules) {
    for (const char* n : {"u", "v", "w", "p", "q", "r", "s"}) {
      if (!contains(whole, sym(n))) free_names_.push_back(sym(n));
    }
  }

  // dy/dx for y = f(x): a chain when there is nothing to substitute, else the substitution's group.
  // `result` receives the derivative.
  Block build(Expr f, Expr x, Expr y, Expr& result) {
    std::optional<Expr> inner = inner_argument(f, x);
    if (!inner || next_ >= free_names_.size()) {
      Derivation direct = differentiate(f, x, rules_);
      result = direct.result;
      return chain_block(std::move(direct), derivative(y, x));
    }
    const Expr u = free_names_[next_++];
    const Expr outer = replace_all(f, *inner, u);
    Block g = group_block("substitution");
    // "Let u = inner; then y = outer.": y = outer(u) holds because f = outer(inner).
    Block let = equation_line(y, outer, "substitute", "let " + print(u) + " = " + print(*inner),
                              identity(f, replace_all(outer, u, *inner)));
    let.sentence_before = {words("Let "), math(equation(u, *inner)), words("; then ")};
    let.sentence_after = {words(".")};
    g.children.push_back(let);
    Block by_chain = leibniz_line(derivative(y, x), mul(derivative(y, u), derivative(u, x)), "chain", "chain rule");
    by_chain.sentence_before = {words("By the chain rule, ")};
    by_chain.sentence_after = {words(".")};
    g.children.push_back(by_chain);

    Block parts = group_block("parts", {}, true);
    Derivation outer_derivation = differentiate(outer, u, rules_);
    const Expr dy_du = outer_derivation.result;
    parts.children.push_back(chain_block(std::move(outer_derivation), derivative(y, u)));
    Expr du_dx;
    parts.children.push_back(build(*inner, x, u, du_dx));
    g.children.push_back(std::move(parts));

    // dy/dx = dy/du * du/dx, then u written back, then the ordinary clean-up, each a step.
    Derivation c;
    c.input = f;
    c.var = x;
    c.start = mul(dy_du, du_dx);
    const Expr written_back = replace_all(c.start, u, *inner);
    // The binding u = inner(x) is what makes this step true; verify_steps applies it.
    c.steps.push_back(Step{Phase::Derive, "substitute", print(u) + " = " + print(*inner), {}, c.start, written_back,
                           c.start, written_back, {{u.name(), *inner}}});
    Expr e = simplify(written_back, rules_, Phase::Simplify, &c.steps);
    e = simplify(e, rules_, Phase::Textbook, &c.steps);
    c.result = e;
    result = e;
    // Its start is the chain rule's product: d/dx f = dy/du * du/dx, with u written back.
    g.children.push_back(chain_block(std::move(c), derivative(y, x), {},
                                     derivative_identity(derivative(f, x), written_back)));
    return g;
  }

 private:
  const RuleSet& rules_;
  std::vector<Expr> free_names_;
  std::size_t next_ = 0;
};

// The result with each call whose definition is f itself written as y: sigmoid(x) -> y when
// f = 1/(1 + exp(-x)).
Expr in_terms_of(Expr result, Expr f, Expr y, const RuleSet& rules) {
  Expr out = result;
  for (const auto& [name, definition] : rules.definitions()) {
    if (definition.parameters.size() != 1) continue;
    // f = definition(t) for t the argument of a call of `name` in the result.
    std::vector<Expr> stack{result};
    while (!stack.empty()) {
      Expr e = stack.back();
      stack.pop_back();
      if (e.is_call(name) && e.size() == 1 && rules.expand_call(e, definition) == f) out = replace_all(out, e, y);
      for (Expr a : e.args()) stack.push_back(a);
    }
  }
  return out;
}

}  // namespace

Explanation derive_by_substitution(Expr f, Expr x, const RuleSet& rules) {
  Expr y = sym("y");
  for (const char* n : {"y", "z", "f"}) {
    if (!contains(f, sym(n))) {
      y = sym(n);
      break;
    }
  }
  Explanation out;
  out.root = group_block("substitution style");
  out.root.children.push_back(equation_line(y, f, "function", ""));
  out.root.children.push_back(Builder(rules, f).build(f, x, y, out.result));
  const Expr folded = in_terms_of(out.result, f, y, rules);
  if (folded != out.result) {
    // The answer in terms of y itself: true because y stands for f.
    Block fact = equation_line(derivative(y, x), folded, "in_terms_of_y", "in terms of " + print(y),
                               identity(out.result, replace_all(folded, y, f)));
    fact.leibniz = true;
    fact.sentence_before = {words("In terms of " + print(y) + " itself: ")};
    out.root.children.push_back(fact);
  }
  return out;
}

}  // namespace napier
