// match_one_way (include/napier/pattern.hpp) stands in for the backtracking matcher on every pattern that
// leaves no choice. Here both are run on every shipped rule against the subterms of random expressions and
// of the textbook inputs: the same verdict and the same bindings, or the rules would differentiate and
// simplify differently on the fast path than where they are matched by backtracking.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "napier/parse.hpp"
#include "napier/pattern.hpp"
#include "napier/print.hpp"
#include "napier/rules.hpp"
#include "support/random_expr.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

// The bindings as text, in the order made: variable = value, a segment as its list of terms.
std::string described(const Bindings& b) {
  std::string out;
  for (const Binding& binding : b.items()) {
    out += std::string(binding.name()) + " = ";
    if (binding.is_segment) {
      out += "[";
      for (Expr t : binding.segment) out += print(t) + ";";
      out += "]";
    } else {
      out += print(binding.value());
    }
    out += ", ";
  }
  return out;
}

// Every distinct subterm of e.
void collect(Expr e, std::unordered_set<const Node*>& seen, std::vector<Expr>& out) {
  if (!seen.insert(e.node()).second) return;
  out.push_back(e);
  for (Expr a : e.args()) collect(a, seen, out);
}

std::vector<Expr> subject_terms() {
  std::unordered_set<const Node*> seen;
  std::vector<Expr> terms;
  testing::RandomExpressions random(20261204);
  for (int i = 0; i < 400; ++i) collect(random.next(4), seen, terms);
  for (const char* text : {"1/(1 + exp(-x))", "3*x^2*sin(x)", "x^x", "(x + 1)*(x + 2)*(x + 3)", "2*x*y*z",
                           "x + x + x", "-(-x)", "exp(a)*exp(b)*exp(c)", "log(x*y)", "(1 + exp(-x))^(-1)",
                           "sin(x)^2 + cos(x)^2", "x/(1 + x) - 1/(1 + x)", "2*3*x", "0*x + 1*y"}) {
    Result<Expr> e = parse(text);
    if (e) collect(*e, seen, terms);
  }
  return terms;
}

TEST(OneWayMatch, AgreesWithBacktrackingOnEveryShippedRule) {
  const RuleSet& rules = testing::shipped_rules();
  const std::vector<Expr> terms = subject_terms();
  const Expr x = sym("x");
  std::size_t one_way_rules = 0, matches = 0;
  for (const Rule& rule : rules.rules()) {
    EXPECT_EQ(rule.one_way, leaves_no_choice(rule.pattern)) << rule.name;
    if (!rule.one_way) continue;
    ++one_way_rules;
    for (Expr term : terms) {
      // A derive rule's diff(P, ?x) is matched against d/dx(term), as the rewrite engine does.
      const Expr subject = rule.phase == Phase::Derive ? derivative(term, x) : term;
      Bindings backtracked, walked;
      const bool by_backtracking = match(rule.pattern, subject, backtracked);
      const bool one_way = match_one_way(rule.pattern, subject, walked);
      ASSERT_EQ(one_way, by_backtracking) << rule.name << " on " << print(subject);
      if (!one_way) {
        EXPECT_EQ(walked.mark(), 0u) << "a failed match leaves bindings: " << rule.name;
        continue;
      }
      ++matches;
      EXPECT_EQ(described(walked), described(backtracked)) << rule.name << " on " << print(subject);
      EXPECT_EQ(instantiate(rule.replacement, walked), instantiate(rule.replacement, backtracked)) << rule.name;
    }
  }
  // The comparison means something only if most rules are one-way and many of them matched.
  EXPECT_GT(one_way_rules, rules.rules().size() / 2);
  EXPECT_GT(matches, 1000u);
}

// An acceptor that refuses leaves the bindings as they were; where it accepts, they are the match's.
TEST(OneWayMatch, ARefusedMatchLeavesTheBindingsAsTheyWere) {
  ParseOptions options;
  options.allow_pattern_variables = true;
  options.allow_unknown_functions = true;  // f(...)
  const Expr pattern = *parse("?c*?u...", options);
  const Expr term = *parse("2*x*y", {});
  Bindings b;
  b.push(Binding::plain(sym("?x"), sym("x")));
  EXPECT_FALSE(match_one_way(pattern, term, b, [](const Bindings&) { return false; }));
  EXPECT_EQ(b.mark(), 1u);
  EXPECT_TRUE(match_one_way(pattern, term, b, [](const Bindings& seen) { return seen.mark() == 3; }));
  EXPECT_EQ(b.find("?c")->value(), num(2));
  EXPECT_EQ(b.find("?u...")->segment.size(), 2u);
  // Repeated variables: the second ?u must be the first one's value.
  const Expr twice = *parse("?u + ?u", options);
  Bindings same, different;
  EXPECT_TRUE(match_one_way(twice, *parse("sin(x) + sin(x)", {}), same));
  EXPECT_FALSE(match_one_way(twice, *parse("sin(x) + cos(x)", {}), different));
  EXPECT_FALSE(leaves_no_choice(*parse("?a... + ?b...", options)));
  EXPECT_FALSE(leaves_no_choice(*parse("f(?a... * ?b)", options)));
  EXPECT_TRUE(leaves_no_choice(*parse("f(?b * ?a...) + ?c", options)));
}

}  // namespace
}  // namespace napier
