// 3. A machine-learning gradient, simplified and folded: the logistic loss
//    L = -y*log(h) - (1 - y)*log(1 - h),  h = sigmoid(w1*x1 + ... + wn*xn + b),
// differentiated by every weight. napier: differentiate() without steps but with the simplify and textbook
// phases, whose answer for w_i is (sigmoid(...) - y)*x_i (checked before timing: a benchmark of a form
// napier does not reach would time the wrong thing). GiNaC: diff then normal(), the cheapest way GiNaC has
// to bring the derivative to one simple form; GiNaC writes h as 1/(1 + exp(-(...))).
#include <stdexcept>
#include <vector>

#include "bench_util.hpp"
#include "inputs.hpp"
#include "napier/derive.hpp"
#include "napier/print.hpp"

namespace bench {
namespace {

using napier::Expr;

struct Loss {
  Expr f;
  std::vector<Expr> ws, xs;
  Expr h, y;
  GiNaC::ex gf;
  std::vector<GiNaC::realsymbol> gws;
};

const Loss& logistic_loss(std::size_t n) {
  static std::map<std::size_t, Loss> cache;
  if (auto it = cache.find(n); it != cache.end()) return it->second;
  Loss l;
  std::vector<Expr> terms;
  GiNaC::ex gsum = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    l.ws.push_back(napier::sym("w" + std::to_string(i)));
    l.xs.push_back(napier::sym("x" + std::to_string(i)));
    terms.push_back(napier::mul(l.ws.back(), l.xs.back()));
    l.gws.emplace_back("w" + std::to_string(i));
    gsum += l.gws.back() * GiNaC::realsymbol("x" + std::to_string(i));
  }
  terms.push_back(napier::sym("b"));
  l.y = napier::sym("y");
  l.h = napier::call("sigmoid", {napier::add(terms)});
  const Expr one = napier::num(1);
  l.f = napier::sub(napier::neg(napier::mul(l.y, napier::call("log", {l.h}))),
                    napier::mul(napier::sub(one, l.y), napier::call("log", {napier::sub(one, l.h)})));
  const GiNaC::realsymbol gy("y"), gb("b");
  const GiNaC::ex gh = 1 / (1 + GiNaC::exp(-(gsum + gb)));
  l.gf = -gy * GiNaC::log(gh) - (1 - gy) * GiNaC::log(1 - gh);
  return cache.emplace(n, std::move(l)).first->second;
}

Work loss_napier(std::size_t n) {
  const Loss& l = logistic_loss(n);
  const napier::RuleSet& r = rules();
  const Expr expected = napier::mul(napier::sub(l.h, l.y), l.xs[0]);
  const Expr got = napier::differentiate(l.f, l.ws[0], r, folded()).result;
  if (got != expected) {
    throw std::runtime_error("dL/dw1 is " + napier::print(got) + ", not the folded " + napier::print(expected));
  }
  return Work{[&l, &r] {
                for (Expr w : l.ws) benchmark::DoNotOptimize(napier::differentiate(l.f, w, r, folded()).result.node());
              },
              static_cast<double>(n),
              0,
              {}};
}

Work loss_ginac(std::size_t n) {
  const Loss& l = logistic_loss(n);
  return Work{[&l] {
                for (const GiNaC::realsymbol& w : l.gws) {
                  GiNaC::ex d = GiNaC::normal(l.gf.diff(w));
                  benchmark::DoNotOptimize(d);
                }
              },
              static_cast<double>(n),
              0,
              {}};
}

}  // namespace

void register_loss_benchmarks(bool full) {
  std::vector<std::int64_t> sizes{10, 100, 300};
  if (full) sizes.push_back(1000);
  register_sizes("logistic_loss", "napier", sizes, loss_napier);
  register_sizes("logistic_loss", "ginac", sizes, loss_ginac);
}

}  // namespace bench
