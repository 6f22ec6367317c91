#include "napier/substitution.hpp"

#include "napier/print_derivation.hpp"
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

class Builder {
 public:
  Builder(const RuleSet& rules, Expr whole) : rules_(rules) {
    for (const char* n : {"u", "v", "w", "p", "q", "r", "s"}) {
      if (!contains(whole, sym(n))) free_names_.push_back(sym(n));
    }
  }

  SubstitutionDerivation build(Expr f, Expr x, Expr y) {
    SubstitutionDerivation d;
    d.f = f;
    d.x = x;
    d.y = y;
    std::optional<Expr> inner = inner_argument(f, x);
    if (!inner || next_ >= free_names_.size()) {
      d.direct = differentiate(f, x, rules_);
      d.result = d.direct.result;
      return d;
    }
    const Expr u = free_names_[next_++];
    d.name = u;
    d.inner = *inner;
    d.outer = replace_all(f, *inner, u);
    d.outer_derivation = differentiate(d.outer, u, rules_);
    d.inner_derivation = std::make_unique<SubstitutionDerivation>(build(*inner, x, u));

    // dy/dx = dy/du * du/dx, then u written back, then the ordinary clean-up, each a step.
    Derivation& c = d.combined;
    c.input = f;
    c.var = x;
    c.start = mul(d.outer_derivation.result, d.inner_derivation->result);
    const Expr written_back = replace_all(c.start, u, *inner);
    // The binding u = inner(x) is what makes this step true; verify_steps applies it.
    c.steps.push_back(Step{Phase::Derive, "substitute", print(u) + " = " + print(*inner), {}, c.start, written_back,
                           c.start, written_back, {{u.name(), *inner}}});
    Expr e = simplify(written_back, rules_, Phase::Simplify, &c.steps);
    e = simplify(e, rules_, Phase::Textbook, &c.steps);
    c.result = e;
    d.result = e;
    return d;
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

void print_into(const SubstitutionDerivation& d, Style style, const std::string& indent, std::string& out) {
  const std::string dy = "d" + print(d.y, style), dx = "d" + print(d.x, style);
  auto chain = [&](const Derivation& derivation, const std::string& lhs, const std::string& at) {
    std::vector<ChainLine> lines = chain_lines(derivation);
    out += at + lhs + " = " + print(lines[0].expr, style) + "\n";
    for (std::size_t i = 1; i < lines.size(); ++i) {
      out += at + std::string(lhs.size(), ' ') + " = " + print(lines[i].expr, style) + "    [" + lines[i].label +
             "]\n";
    }
  };
  if (d.name.is_null()) {
    chain(d.direct, dy + "/" + dx, indent);
    return;
  }
  const std::string u = print(d.name, style), du = "d" + u;
  out += indent + "Let " + u + " = " + print(d.inner, style) + "; then " + print(d.y, style) + " = " +
         print(d.outer, style) + ".\n";
  out += indent + "By the chain rule, " + dy + "/" + dx + " = " + dy + "/" + du + "*" + du + "/" + dx + ".\n";
  chain(d.outer_derivation, dy + "/" + du, indent + "  ");
  print_into(*d.inner_derivation, style, indent + "  ", out);
  chain(d.combined, dy + "/" + dx, indent);
}

}  // namespace

SubstitutionDerivation derive_by_substitution(Expr f, Expr x, const RuleSet& rules) {
  Expr y = sym("y");
  for (const char* n : {"y", "z", "f"}) {
    if (!contains(f, sym(n))) {
      y = sym(n);
      break;
    }
  }
  SubstitutionDerivation d = Builder(rules, f).build(f, x, y);
  const Expr folded = in_terms_of(d.result, f, y, rules);
  if (folded != d.result) d.in_terms_of_y = folded;
  return d;
}

std::string print_substitution(const SubstitutionDerivation& d, Style style) {
  std::string out = print(d.y, style) + " = " + print(d.f, style) + "\n";
  print_into(d, style, "", out);
  if (!d.in_terms_of_y.is_null()) {
    out += "In terms of " + print(d.y, style) + " itself: d" + print(d.y, style) + "/d" + print(d.x, style) + " = " +
           print(d.in_terms_of_y, style) + "\n";
  }
  return out;
}

}  // namespace napier
