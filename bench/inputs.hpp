// The benchmark inputs, each built directly in both libraries (never parsed inside a timed loop), and the
// start-up check that napier and GiNaC agree on small instances of every benchmark, so that no benchmark
// times a wrong answer. See docs/performance.md.
#pragma once

#include <ginac/ginac.h>

#include <cstddef>
#include <string>
#include <vector>

#include "napier/derive.hpp"
#include "napier/expr.hpp"
#include "napier/rules.hpp"

namespace bench {

// The default rule set (rules/), loaded once.
const napier::RuleSet& rules();

// differentiate()'s options for the benchmarks that simplify: no steps recorded, the simplify and textbook
// phases run (the answer folded as the CLI prints it).
napier::DiffOptions folded();

// One GiNaC realsymbol per name (napier's variables are real, as in ginac_bridge), shared by every input and
// by the GiNaC parser's symbol table.
const GiNaC::realsymbol& ginac_symbol(const std::string& name);

// "1*x^1*sin(1*x) + 2*x^2*sin(2*x) + ... + n*x^n*sin(n*x)", cached per n.
const std::string& long_sum_text(std::size_t n);

// f(x) and the variable, in both libraries.
struct Single {
  napier::Expr f, x;
  GiNaC::ex gf;
  GiNaC::realsymbol gx;
};

// f = sigmoid(x1) + ... + sigmoid(xn); GiNaC: sum of 1/(1 + exp(-xi)). The gradient has n entries.
struct SigmoidSum {
  napier::Expr f;
  std::vector<napier::Expr> xs;
  GiNaC::ex gf;
  std::vector<GiNaC::realsymbol> gxs;
};

// softmax(x1..xn)[i] for i = 1..n: napier index(call("softmax", xs), i) (the library expands the
// definition itself); GiNaC exp(xi)/(exp(x1) + ... + exp(xn)). The Jacobian has n*n entries.
struct Softmax {
  std::vector<napier::Expr> xs, components;
  std::vector<GiNaC::realsymbol> gxs;
  std::vector<GiNaC::ex> gcomponents;
};

// The inputs are cached per size and never freed (a GiNaC tree 10^4 deep would otherwise be destroyed
// recursively at exit, on the main thread's stack).
const SigmoidSum& sigmoid_sum(std::size_t n);
const Softmax& softmax(std::size_t n);
const Single& power_sum(std::size_t n);       // sum over k = 1..n of k*x^k
const Single& nested_sin(std::size_t depth);  // sin(sin(...sin(x)...)), depth calls
const Single& shared_dag(std::size_t depth);  // f(0) = x, f(k+1) = f(k)*f(k) + f(k); f(depth)

// Checks napier against GiNaC on small instances of every benchmark (numerically: napier's answer with
// napier::evaluate, GiNaC's with evalf, at two points). Prints one line per check to stderr; returns false
// if any disagrees.
bool sanity_checks();

}  // namespace bench
