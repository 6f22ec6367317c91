// The fast differentiator works in drafts (src/interner.hpp) and interns its answer at the end. What that
// must keep: the answer is the interned node the constructors give (== is pointer equality again), and the
// thread's memos keep no draft (a second derivative, which reuses the drafts' memory, must not find the
// first one's answers there).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "napier/derive.hpp"
#include "napier/print.hpp"
#include "napier/vector_functions.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

const RuleSet& rules() { return napier::testing::shipped_rules(); }

TEST(FastPathDrafts, TheAnswerIsTheInternedNode) {
  constexpr long kTerms = 2000;
  const Expr x = sym("drafts_x");
  std::vector<Expr> terms, expected;
  for (long k = 1; k <= kTerms; ++k) terms.push_back(mul(num(k), pow(x, num(k))));
  const Expr d = derivative_of(add(terms), x, rules());
  EXPECT_FALSE(d.is_draft());
  EXPECT_FALSE(d[kTerms - 1].is_draft());
  // Built again by the constructors, outside any Drafting: the same node, so == is one address comparison
  // again, and no node is new (every node of the answer was interned).
  const std::size_t before = interned_node_count();
  for (long k = 1; k <= kTerms; ++k) expected.push_back(mul({num(k), num(k), pow(x, num(k - 1))}));
  EXPECT_EQ(d.node(), add(expected).node());
  EXPECT_EQ(interned_node_count(), before);
}

// A softmax component's denominator is kept per vector for the thread, so that a Jacobian builds it once.
// It is made inside a derivative, while drafting: what is kept must be interned, or the next derivative
// (whose drafts reuse the memory) would read a stale node.
TEST(FastPathDrafts, TheSoftmaxDenominatorKeptForTheThreadIsInterned) {
  std::vector<Expr> xs;
  for (int i = 1; i <= 20; ++i) xs.push_back(sym("sm_drafts_" + std::to_string(i)));
  const Expr component = index(call("softmax", xs), num(3));
  const Expr first = derivative_of(component, xs[0], rules());
  // Other derivatives in between, whose drafts take the same scratch memory.
  for (int i = 0; i < 5; ++i) (void)derivative_of(pow(call("sin", {xs[1]}), num(i + 2)), xs[1], rules());
  const Expr again = derivative_of(component, xs[0], rules());
  EXPECT_EQ(first.node(), again.node());
  const std::optional<Expr> expanded = expand_component(component);
  ASSERT_TRUE(expanded.has_value());
  const Expr denominator = (*expanded)[1];
  EXPECT_FALSE(denominator.is_draft());
  ASSERT_TRUE(denominator.is(Kind::Add));
  EXPECT_EQ(denominator.size(), xs.size());
  EXPECT_EQ(denominator[0], call("exp", {xs[0]}));
}

}  // namespace
}  // namespace napier
