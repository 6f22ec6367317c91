// What simplify() shares between calls (rewrite_fixpoint's shared_key): the nodes where a phase of one
// RuleSet finds nothing to rewrite. Sharing is sound only while the rules stay as they were, so every change
// to a RuleSet must give it a new generation; these tests fail if a stale "nothing to do here" survives one.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

Expr expr(const std::string& text) {
  Result<Expr> e = parse(text);
  if (!e) throw std::runtime_error(text + ": " + e.error().to_string());
  return *e;
}

const char* kZapRule =
    "phase simplify\n"
    "rule zap_cache_test\n"
    "  match   cache_q + 7\n"
    "  rewrite cache_q\n";

TEST(SharedCleanNodes, ARuleAddedLaterStillFiresOnANodeSeenCleanBefore) {
  RuleSet rules = napier::testing::shipped_rules();  // a copy: ours to change
  const Expr e = expr("sin(cache_q + 7)");
  // Nothing in the shipped rules rewrites it: simplify learns that the node is clean.
  EXPECT_EQ(simplify(e, rules, Phase::Simplify, nullptr), e);
  const std::uint64_t before = rules.generation();
  ASSERT_TRUE(rules.add_text(kZapRule, "zap.rules"));
  EXPECT_NE(rules.generation(), before);
  EXPECT_EQ(print(simplify(e, rules, Phase::Simplify, nullptr)), "sin(cache_q)");
}

TEST(SharedCleanNodes, CopiesAndMovesGetTheirOwnGeneration) {
  RuleSet a = napier::testing::shipped_rules();
  RuleSet b = a;
  EXPECT_NE(a.generation(), 0u);
  EXPECT_NE(a.generation(), b.generation());
  const std::uint64_t moved = b.generation();
  RuleSet c = std::move(b);
  EXPECT_EQ(c.generation(), moved);  // the same rules, moved
  EXPECT_EQ(b.generation(), 0u);     // NOLINT(bugprone-use-after-move): a moved-from set shares nothing
}

TEST(SharedCleanNodes, SharingGivesTheSameAnswersAsNotSharing) {
  // The same derivatives simplified twice (the second time with what the first learnt), and once with a
  // fresh copy of the rules (nothing learnt): all three agree.
  const RuleSet& shipped = napier::testing::shipped_rules();
  for (const char* input : {"sigmoid(x)", "1/(1 + exp(-x))", "x^x", "log(1 - x)", "softmax(x1, x2, x3)[2]",
                            "tan(x)^2 + sin(x)*cos(x)", "(x + 1)*(x + 2)*(x + 3)"}) {
    const Expr f = expr(input);
    Expr x = sym("x");
    if (std::string(input).find("x1") != std::string::npos) x = sym("x1");
    DiffOptions options;
    options.record_steps = false;
    const Expr first = differentiate(f, x, shipped, options).result;
    const Expr second = differentiate(f, x, shipped, options).result;
    const RuleSet fresh = shipped;
    const Expr unshared = differentiate(f, x, fresh, options).result;
    EXPECT_EQ(print(first), print(second)) << input;
    EXPECT_EQ(print(first), print(unshared)) << input;
  }
}

}  // namespace
}  // namespace napier
