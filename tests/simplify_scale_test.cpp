// The simplifier on long sums: its cost and memory grow with the expression, and a phase that would still
// take too much memory stops at RewriteLimits::max_node_bytes with a message, not a crash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "napier/derive.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

// d/dx of sum k*x^k for k = 1..n, not simplified: n terms k*k*x^(k-1), each with a redex (k*k). Each test
// has a variable of its own: simplify() shares what it learns between calls (and the nodes it made stay), so
// a test on the same sum would find the work of the one before done.
Expr raw_power_sum_derivative(long n, const char* variable) {
  const Expr x = sym(variable);
  std::vector<Expr> terms;
  for (long k = 1; k <= n; ++k) terms.push_back(mul(num(k), pow(x, num(k))));
  return derivative_of(add(terms), x, napier::testing::shipped_rules());
}

TEST(SimplifyScale, ALongSumTakesMemoryInProportionToItsLength) {
  constexpr long kTerms = 3000;
  const Expr raw = raw_power_sum_derivative(kTerms, "scale_x");
  const std::size_t bytes_before = interned_node_bytes();
  const Expr simplified = simplify(raw, napier::testing::shipped_rules(), Phase::Simplify, nullptr);
  const std::size_t bytes = interned_node_bytes() - bytes_before;
  ASSERT_EQ(simplified.size(), static_cast<std::size_t>(kTerms));
  EXPECT_EQ(print(simplified[2]), "9*scale_x^2");
  // A few nodes per term and one sum: about 3 * 64 + 8 bytes a term. Rebuilding the sum at every rewrite, as
  // a search from the root does, made one 24 KB sum per term: 72 MB here.
  EXPECT_LT(bytes, static_cast<std::size_t>(kTerms) * 1024) << bytes << " bytes of new nodes";
}

TEST(SimplifyScale, TheStepLimitGrowsWithTheExpression) {
  // 3000 rewrites are needed; a limit of 1000 steps is raised to 8 per node of the expression.
  RewriteLimits limits;
  limits.max_steps = 1000;
  const Expr raw = raw_power_sum_derivative(3000, "scale_y");
  const Expr simplified = simplify(raw, napier::testing::shipped_rules(), Phase::Simplify, nullptr, limits);
  EXPECT_EQ(print(simplified[0]), "1");
  EXPECT_EQ(print(simplified[2999]), "9000000*scale_y^2999");
}

TEST(SimplifyScale, RecordedStepsOnALongSumStopAtTheMemoryLimit) {
  // Recording every step keeps each whole expression: under a sum of n terms each step makes a new n-term
  // sum. Past max_node_bytes the phase stops with the limit named.
  RewriteLimits limits;
  limits.max_node_bytes = std::size_t{1} << 20;
  const Expr raw = raw_power_sum_derivative(3000, "scale_z");
  std::vector<Step> steps;
  try {
    simplify(raw, napier::testing::shipped_rules(), Phase::Simplify, &steps, limits);
    FAIL() << "no limit reached after " << steps.size() << " steps";
  } catch (const StepLimitExceeded& e) {
    EXPECT_EQ(std::string(e.what()), "more than 1 MiB of expression nodes (limit)");
    EXPECT_LT(steps.size(), 3000u);
  }
}

// Printed steps repeat the whole expression: past their limit (kMaxStepsBytes, 256 MiB, in the CLI; 4 MiB
// here) the printers stop with StepsTooLong (the CLI says so and exits 2) instead of filling the memory.
TEST(StepsPrinting, StopPastTheLimitOfPrintedText) {
  constexpr std::size_t kLimit = std::size_t{4} << 20;
  std::vector<Expr> terms;
  for (long k = 1; k <= 10000; ++k) terms.push_back(mul(num(k), sym("steps_x")));
  const Expr big = add(terms);  // about 0.1 MB printed
  const std::size_t printed = print(big, Style::Plain).size();
  Derivation d;
  d.start = big;
  Step step;
  step.before = step.after = step.redex = step.contractum = big;
  d.steps.assign(kLimit / printed / 4, step);  // the JSON prints 4 expressions a step: just under the limit
  EXPECT_EQ(steps_json(d, kLimit).size(), d.steps.size());
  d.steps.push_back(step);  // and now past it
  try {
    steps_json(d, kLimit);
    ADD_FAILURE() << "no StepsTooLong";
  } catch (const StepsTooLong& e) {
    EXPECT_EQ(std::string(e.what()),
              "the steps would print more than 4 MiB (limit); without --steps (text) only the result is printed");
  }
  EXPECT_GT(print_chain(d, Style::Text, kLimit).size(), d.steps.size() * printed);  // one a step: a quarter
  d.steps.assign(kLimit / printed + 1, step);
  EXPECT_THROW(print_chain(d, Style::Text, kLimit), StepsTooLong);
  EXPECT_THROW(print_chain_latex(d, kLimit), StepsTooLong);
}

}  // namespace
}  // namespace napier
