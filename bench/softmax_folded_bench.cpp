// 4. The softmax Jacobian folded, as `napier jacobian` prints it: every entry d softmax(x)[i]/dx_j through
// differentiate() without steps but with the simplify and textbook phases, whose answers are
// softmax(x)[i]*(1 - softmax(x)[i]) on the diagonal and -softmax(x)[i]*softmax(x)[j] off it (checked before
// timing). GiNaC: ex::diff alone, unsimplified (the yardstick: napier folded against GiNaC's diff).
#include <stdexcept>
#include <vector>

#include "bench_util.hpp"
#include "inputs.hpp"
#include "napier/derive.hpp"
#include "napier/print.hpp"

namespace bench {
namespace {

using napier::Expr;

void expect_folded(const Softmax& s, std::size_t i, std::size_t j, Expr expected) {
  const Expr got = napier::differentiate(s.components[i], s.xs[j], rules(), folded()).result;
  if (got != expected) {
    throw std::runtime_error("J[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "] is " +
                             napier::print(got) + ", not the folded " + napier::print(expected));
  }
}

Work folded_napier(std::size_t n) {
  const Softmax& s = softmax(n);
  const napier::RuleSet& r = rules();
  const Expr s1 = s.components[0], s2 = s.components[1];
  expect_folded(s, 0, 0, napier::mul(s1, napier::sub(napier::num(1), s1)));
  expect_folded(s, 0, 1, napier::neg(napier::mul(s1, s2)));
  return Work{[&s, &r] {
                for (Expr component : s.components) {
                  for (Expr x : s.xs) {
                    benchmark::DoNotOptimize(napier::differentiate(component, x, r, folded()).result.node());
                  }
                }
              },
              static_cast<double>(n * n),
              0,
              {}};
}

Work diff_ginac(std::size_t n) {
  const Softmax& s = softmax(n);
  return Work{[&s] {
                for (const GiNaC::ex& component : s.gcomponents) {
                  for (const GiNaC::realsymbol& x : s.gxs) {
                    GiNaC::ex d = component.diff(x);
                    benchmark::DoNotOptimize(d);
                  }
                }
              },
              static_cast<double>(n * n),
              0,
              {}};
}

}  // namespace

void register_softmax_folded_benchmarks(bool full) {
  std::vector<std::int64_t> sizes{10, 30, 100};
  if (full) sizes.push_back(300);
  register_sizes("softmax_folded", "napier", sizes, folded_napier);
  register_sizes("softmax_folded", "ginac", sizes, diff_ginac);
}

}  // namespace bench
