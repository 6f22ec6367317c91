// The fast differentiator works in drafts (src/interner.hpp) and interns its answer at the end. What that
// must keep: the answer is the interned node the constructors give (== is pointer equality again), and the
// thread's memos keep no draft (a second derivative, which reuses the drafts' memory, must not find the
// first one's answers there).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/vector_functions.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

const RuleSet& rules() { return napier::testing::shipped_rules(); }

// Every derivative in drafts, not only a long sum's (RewriteLimits::draft_from_terms).
RewriteLimits drafting_always() {
  RewriteLimits limits;
  limits.draft_from_terms = 0;
  return limits;
}

// A sum as long as RewriteLimits::draft_from_terms: drafted with the default limits.
TEST(FastPathDrafts, TheAnswerIsTheInternedNode) {
  const long kTerms = static_cast<long>(RewriteLimits{}.draft_from_terms);
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

// Only what the answer reaches is interned: the constant multiple rule makes k*x^(k-1) for d/dx(x^k) and then
// flattens k*(k*x^(k-1)) into k*k*x^(k-1), and the first product, a draft, is left behind.
TEST(FastPathDrafts, OnlyTheNodesOfTheAnswerAreInterned) {
  const long kTerms = 3000;
  const Expr x = sym("drafts_reached_x");
  std::vector<Expr> terms;
  for (long k = 1; k <= kTerms; ++k) terms.push_back(mul(num(k), pow(x, num(k))));
  const Expr f = add(terms);
  const RuleSet& shipped = rules();  // loaded (and its nodes interned) before counting
  const std::size_t before = interned_node_count();
  const Expr d = derivative_of(f, x, shipped, drafting_always());
  ASSERT_EQ(d.size(), static_cast<std::size_t>(kTerms));
  EXPECT_EQ(d[1], mul({num(2), num(2), pow(x, num(1))}));
  // New: the sum, each term k*k*x^(k-1), and x^0 (the input holds x^1 ... x^(kTerms - 1) and every number
  // already). Interning the flattened products' drafts as well would add kTerms more.
  EXPECT_EQ(interned_node_count() - before, static_cast<std::size_t>(1 + kTerms + 1));
}

// A softmax component's denominator is kept per vector for the thread, so that a Jacobian builds it once.
// It is made inside a derivative, while drafting: what is kept must be interned, or the next derivative
// (whose drafts reuse the memory) would read a stale node.
TEST(FastPathDrafts, TheSoftmaxDenominatorKeptForTheThreadIsInterned) {
  std::vector<Expr> xs;
  for (int i = 1; i <= 20; ++i) xs.push_back(sym("sm_drafts_" + std::to_string(i)));
  const Expr component = index(call("softmax", xs), num(3));
  const Expr first = derivative_of(component, xs[0], rules(), drafting_always());
  // Other derivatives in between, whose drafts take the same scratch memory.
  for (int i = 0; i < 5; ++i) {
    (void)derivative_of(pow(call("sin", {xs[1]}), num(i + 2)), xs[1], rules(), drafting_always());
  }
  const Expr again = derivative_of(component, xs[0], rules(), drafting_always());
  EXPECT_EQ(first.node(), again.node());
  const std::optional<Expr> expanded = expand_component(component);
  ASSERT_TRUE(expanded.has_value());
  const Expr denominator = (*expanded)[1];
  EXPECT_FALSE(denominator.is_draft());
  ASSERT_TRUE(denominator.is(Kind::Add));
  EXPECT_EQ(denominator.size(), xs.size());
  EXPECT_EQ(denominator[0], call("exp", {xs[0]}));
}

// Two equal drafts are two nodes. A replacement that instantiates the same subexpression twice
// (h(n - 1, u)*h(n - 1, u)) hands the product rule two drafts of it, and a chain of n such rules took 2^n
// derivatives, where interned nodes (one node, derived once) took n. The differentiator finds a draft it has
// derived by its structure. (h(n, t) = t^(2^n) = h(n - 1, t)^2.)
TEST(FastPathDrafts, EqualDraftsAreDerivedOnce) {
  RuleSet user = rules();
  const Result<bool> ok = user.add_text(
      "define h(n, t) := t^(2^n)\nphase derive\n"
      "rule square_of_h\n  match   diff(h(?n, ?u), ?x)\n  where   positive_integer(?n)\n"
      "  rewrite diff(h(eval(?n - 1), ?u)*h(eval(?n - 1), ?u), ?x)\n"
      "rule h_zero\n  match   diff(h(0, ?u), ?x)\n  rewrite diff(?u, ?x)\n",
      "h.rules");
  ASSERT_TRUE(ok) << ok.error().to_string();
  ParseOptions with_h;
  with_h.allow_unknown_functions = true;
  const Expr x = sym("x");
  // Small: the answer as the recorded path (every node interned as it is made) gives it.
  const Expr small = *parse("h(3, sin(x))", with_h);
  DiffOptions recorded;
  recorded.simplify = false;
  EXPECT_EQ(derivative_of(small, x, user, drafting_always()).node(),
            differentiate(small, x, user, recorded).result.node());
  // Deep: 60 levels are 2^60 derivatives one by one. A deadline turns that into a failure, not a hang.
  RewriteLimits limits = drafting_always();
  limits.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const Expr deep = *parse("h(60, sin(x))", with_h);
  Expr answer;
  ASSERT_NO_THROW(answer = derivative_of(deep, x, user, limits));
  EXPECT_EQ(dag_size(answer), dag_size(derivative_of(deep, x, user, limits)));
  EXPECT_LT(dag_size(answer), std::size_t{2000});
}

}  // namespace
}  // namespace napier
