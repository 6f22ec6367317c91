// 2. Differentiation: napier::derivative_of (the fast, memoized, unrecorded path; its answer is not
// simplified) against GiNaC's ex::diff on the same expression built directly in GiNaC (inputs.hpp). Inputs
// are built once per size, outside the timed loop. per_unit is seconds per Jacobian entry, per term or per
// level; first_s is the first call in the process (bench_util.hpp).
#include <unordered_set>
#include <vector>

#include "bench_util.hpp"
#include "inputs.hpp"
#include "napier/derive.hpp"

namespace bench {
namespace {

using napier::Expr;

// d f/dx for each pair (f, x) of fs x xs: a gradient (one f), a Jacobian, or one row of it.
Work napier_derivatives(std::vector<Expr> fs, std::vector<Expr> xs) {
  const napier::RuleSet& r = rules();
  const double units = static_cast<double>(fs.size() * xs.size());
  return Work{[fs = std::move(fs), xs = std::move(xs), &r] {
                for (Expr f : fs) {
                  for (Expr x : xs) benchmark::DoNotOptimize(napier::derivative_of(f, x, r).node());
                }
              },
              units,
              0,
              {}};
}

Work ginac_derivatives(std::vector<GiNaC::ex> fs, std::vector<GiNaC::realsymbol> xs) {
  const double units = static_cast<double>(fs.size() * xs.size());
  return Work{[fs = std::move(fs), xs = std::move(xs)] {
                for (const GiNaC::ex& f : fs) {
                  for (const GiNaC::realsymbol& x : xs) {
                    GiNaC::ex d = f.diff(x);
                    benchmark::DoNotOptimize(d);
                  }
                }
              },
              units,
              0,
              {}};
}

// (a) the gradient of sigmoid(x1) + ... + sigmoid(xn): n derivatives of the whole sum.
Work sigmoid_napier(std::size_t n) { return napier_derivatives({sigmoid_sum(n).f}, sigmoid_sum(n).xs); }
Work sigmoid_ginac(std::size_t n) { return ginac_derivatives({sigmoid_sum(n).gf}, sigmoid_sum(n).gxs); }

// (b) the full Jacobian of softmax(x1..xn): n*n derivatives; and one row of it, d softmax(x)[1]/dx_j for
// j = 1..n, for the per-entry cost at sizes whose full Jacobian takes minutes (a row has one diagonal entry
// and n - 1 off-diagonal ones, as every row does).
Work softmax_napier(std::size_t n) { return napier_derivatives(softmax(n).components, softmax(n).xs); }
Work softmax_ginac(std::size_t n) { return ginac_derivatives(softmax(n).gcomponents, softmax(n).gxs); }
Work softmax_row_napier(std::size_t n) {
  return napier_derivatives({softmax(n).components[0]}, softmax(n).xs);
}
Work softmax_row_ginac(std::size_t n) {
  return ginac_derivatives({softmax(n).gcomponents[0]}, softmax(n).gxs);
}

// (c), (d), (e): one derivative of one expression; per_unit is per term or per level (n).
template <const Single& (*Input)(std::size_t)>
Work single_napier(std::size_t n) {
  Work w = napier_derivatives({Input(n).f}, {Input(n).x});
  w.units = static_cast<double>(n);
  return w;
}

template <const Single& (*Input)(std::size_t)>
Work single_ginac(std::size_t n) {
  Work w = ginac_derivatives({Input(n).gf}, {Input(n).gx});
  w.units = static_cast<double>(n);
  return w;
}

// The shared DAG's size: distinct nodes, and edges (children of distinct nodes). napier flattens
// f*f + f into a sum, so f(k) is a sum of k + 1 terms: nodes grow linearly with the depth, edges
// quadratically.
Work dag_napier(std::size_t depth) {
  Work w = single_napier<shared_dag>(depth);
  std::unordered_set<const napier::Node*> seen;
  std::vector<Expr> stack{shared_dag(depth).f};
  double edges = 0;
  while (!stack.empty()) {
    Expr top = stack.back();
    stack.pop_back();
    if (!seen.insert(top.node()).second) continue;
    edges += static_cast<double>(top.size());
    for (Expr a : top.args()) stack.push_back(a);
  }
  w.counters["nodes"] = static_cast<double>(seen.size());
  w.counters["edges"] = edges;
  return w;
}

}  // namespace

void register_diff_benchmarks(bool full) {
  auto sizes = [full](std::vector<std::int64_t> always, std::vector<std::int64_t> if_full) {
    if (full) always.insert(always.end(), if_full.begin(), if_full.end());
    return always;
  };
  register_sizes("sigmoid_gradient", "napier", {100, 300, 1000}, sigmoid_napier);
  register_sizes("sigmoid_gradient", "ginac", {100, 300, 1000}, sigmoid_ginac);

  // The full n = 300 Jacobian takes about a minute of CPU in each library: NAPIER_BENCH_FULL only; the
  // default suite times rows of it (softmax_row).
  register_sizes("softmax_jacobian", "napier", sizes({10, 30, 100}, {300}), softmax_napier);
  register_sizes("softmax_jacobian", "ginac", sizes({10, 30, 100}, {300}), softmax_ginac);
  register_sizes("softmax_row", "napier", {300, 1000}, softmax_row_napier);
  register_sizes("softmax_row", "ginac", {300, 1000}, softmax_row_ginac);

  register_sizes("power_sum", "napier", {1000, 3000, 10000, 100000}, single_napier<power_sum>);
  register_sizes("power_sum", "ginac", {1000, 3000, 10000, 100000}, single_ginac<power_sum>);

  // GiNaC's time grows with the cube of the depth (about 1.3 s at 1000, 78 s at 3000): 10^4 would take an
  // hour; 3000 with NAPIER_BENCH_FULL only.
  register_sizes("nested_sin", "napier", {300, 1000, 3000, 10000}, single_napier<nested_sin>);
  register_sizes("nested_sin", "ginac", sizes({300, 1000}, {3000}), single_ginac<nested_sin>);

  // GiNaC's time doubles with each level (no memo: the shared DAG is walked as a tree): depth 20 takes about
  // 2 s of CPU, 22 about 7 s (NAPIER_BENCH_FULL only), 23 would take 15 s.
  register_sizes("shared_dag", "napier", {10, 15, 20, 21, 22, 30, 40, 50, 100, 200}, dag_napier);
  register_sizes("shared_dag", "ginac", sizes({10, 15, 20}, {21, 22}), single_ginac<shared_dag>);
}

}  // namespace bench
