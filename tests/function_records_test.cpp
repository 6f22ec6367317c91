// Function records (docs/rules.md, "Functions"): a function known by its derivative and a value, the
// `function` record with its fields, and redefinitions, which are faults unless the record says `override`.
#include <gtest/gtest.h>

#include <string>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"
#include "support/parse_with.hpp"
#include "napier/verdict.hpp"

namespace napier {
namespace {

// The shipped rules plus `text` as a user's file (not shipped); the error's text when it does not load.
Result<RuleSet> with_user_file(const std::string& text) {
  Result<RuleSet> shipped = RuleSet::load_default();
  if (!shipped) return shipped;
  RuleSet rules = *shipped;
  Result<bool> ok = rules.add_text(text, "user.rules");
  if (!ok) return ok.error();
  return rules;
}

std::string load_error(const std::string& text) {
  Result<RuleSet> rules = with_user_file(text);
  return rules ? "(loaded without error)" : rules.error().to_string();
}

using napier::testing::parse_with;

const char* const kLambertW =
    "# W'(t) = W(t)/(t*(1 + W(t))), W(0) = 0\n"
    "derivative W(t) := W(t)/(t*(1 + W(t)))\n"
    "  value W(0) = 0\n";

TEST(FunctionRecords, ADerivativeRecordDeclaresTheFunction) {
  Result<RuleSet> rules = with_user_file(kLambertW);
  ASSERT_TRUE(rules) << rules.error().to_string();
  const FunctionInfo* w = rules->functions().find("W");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->min_arity, 1);
  EXPECT_EQ(w->max_arity, 1);
  EXPECT_TRUE(rules->known_by_derivative("W"));
  EXPECT_EQ(rules->definition("W"), nullptr);
  EXPECT_FALSE(rules->known_by_derivative("sin"));
  EXPECT_FALSE(rules->known_by_derivative("sigmoid"));  // it has a definition
}

TEST(FunctionRecords, TheChainRuleUsesTheRecordsDerivative) {
  Result<RuleSet> rules = with_user_file(kLambertW);
  ASSERT_TRUE(rules);
  const Expr f = parse_with(*rules, "W(x^2)");
  const Derivation d = differentiate(f, sym("x"), *rules);
  // W'(x^2)*2x with W'(t) = W(t)/(t*(1 + W(t))): GiNaC, which knows W by name only, agrees once the record's
  // derivative stands in for its D[0](W).
  const CheckResult c = check_derivative(f, sym("x"), d.result, checking_options(*rules));
  EXPECT_TRUE(c.holds) << print(d.result) << ": " << how_name(c.how);
  EXPECT_EQ(c.how, How::Proved) << print(d.result);
  // and a wrong answer is refuted, not waved through
  const Expr wrong = parse_with(*rules, "W(x^2)/(x^2*(1 + W(x^2)))");
  EXPECT_FALSE(check_derivative(f, sym("x"), wrong, checking_options(*rules)).holds);
}

TEST(FunctionRecords, AValueIsASimplifyRule) {
  Result<RuleSet> rules = with_user_file(kLambertW);
  ASSERT_TRUE(rules);
  EXPECT_EQ(simplify(parse_with(*rules, "W(0) + x"), *rules, Phase::Simplify, nullptr), sym("x"));
  EXPECT_EQ(load_error("derivative V(t) := 1\n  value V(x) = 0\n"),
            "user.rules:2:9: a value is written V(number) = number, without variables");
}

TEST(FunctionRecords, TheFunctionRecordHoldsItsFields) {
  Result<RuleSet> rules = with_user_file(
      "function gauss(t)\n"
      "  define exp(-t^2)\n"
      "  latex \"\\operatorname{G}\"\n"
      "  unicode \"G\"\n"
      "  label \"the Gaussian\"\n");
  ASSERT_TRUE(rules) << rules.error().to_string();
  ASSERT_NE(rules->definition("gauss"), nullptr);
  EXPECT_EQ(rules->definition("gauss")->label, "the Gaussian");
  ASSERT_NE(rules->facts("gauss"), nullptr);
  EXPECT_EQ(rules->facts("gauss")->latex, "\\operatorname{G}");
  EXPECT_EQ(rules->facts("gauss")->unicode, "G");
  EXPECT_EQ(rules->facts("gauss")->declared.line, 1);
  EXPECT_FALSE(rules->facts("gauss")->shipped);
  EXPECT_EQ(load_error("function g(t)\n  latex \"g\"\n"), "user.rules:1:10: function 'g' needs a define or a derivative field");
  EXPECT_EQ(load_error("function g(t)\n  define t\n  colour \"red\"\n"),
            "user.rules:3:3: unknown field 'colour' (define, derivative, value, latex, unicode, label or override)");
  EXPECT_EQ(load_error("function g(t) := t\n"), "user.rules:1:15: a function record's definition is its 'define' field");
}

TEST(FunctionRecords, ARedefinitionNamesBothPlacesUnlessItSaysOverride) {
  EXPECT_EQ(load_error("define f(t) := t\ndefine f(t) := t^2\n"),
            "user.rules:2:1: the definition of f is already given at user.rules:1:1 (write 'override' below this "
            "record to replace it)");
  EXPECT_EQ(load_error("derivative f(t) := 1\nderivative f(t) := 2\n"),
            "user.rules:2:1: the derivative of f is already given at user.rules:1:1 (write 'override' below this "
            "record to replace it)");
  EXPECT_EQ(load_error("define f(t) := t\ndefine f(t) := t^2\n  override\n"), "(loaded without error)");
  EXPECT_EQ(load_error("define f(t) := t\n  override\n"), "user.rules:1:1: 'override', but there is nothing to replace");
  // a shipped definition too: softplus is defined in rules/40-activations.rules
  const std::string shipped = load_error("define softplus(t) := t\n");
  EXPECT_EQ(shipped.rfind("user.rules:1:1: ", 0), 0u) << shipped;
  EXPECT_NE(shipped.find("40-activations.rules:"), std::string::npos) << shipped;
}

TEST(FunctionRecords, AnOverriddenDefinitionTakesItsDerivativeAlong) {
  Result<RuleSet> rules = with_user_file("define f(t) := t^2\nderivative f(t) := 2*t\ndefine f(t) := t^3\n  override\n");
  ASSERT_TRUE(rules) << rules.error().to_string();
  EXPECT_EQ(rules->derivative("f"), nullptr);  // 2*t was the derivative of t^2
  ASSERT_NE(rules->definition("f"), nullptr);
  EXPECT_EQ(rules->definition("f")->body, parse_with(*rules, "t^3"));
}

TEST(FunctionRecords, ABuiltInFunctionCannotBeRedefinedByAUser) {
  const std::string e = load_error("define sin(t) := t\n");
  EXPECT_EQ(e.rfind("user.rules:1:1: 'sin' is built in", 0), 0u) << e;
  EXPECT_NE(e.find("give the function another name"), std::string::npos) << e;
  EXPECT_NE(load_error("define exp(t) := 1 + t\n  override\n").find("'exp' is built in"), std::string::npos);
}

TEST(FunctionRecords, AShippedFunctionIsRedefinedOnlyWithOverride) {
  // sigmoid is data (rules/40-activations.rules), not a primitive: a user's definition is a fault naming both
  // places, and with `override` it replaces the shipped one.
  const std::string e = load_error("define sigmoid(t) := t\n");
  EXPECT_EQ(e.rfind("user.rules:1:1: the definition of sigmoid is already given at ", 0), 0u) << e;
  EXPECT_NE(e.find("40-activations.rules:"), std::string::npos) << e;
  EXPECT_NE(e.find("(write 'override' below this record to replace it)"), std::string::npos) << e;
  Result<RuleSet> rules = with_user_file("define sigmoid(t) := t\n  override\n");
  ASSERT_TRUE(rules) << rules.error().to_string();
  EXPECT_EQ(rules->definition("sigmoid")->body, sym("t"));
  EXPECT_EQ(rules->derivative("sigmoid"), nullptr);  // sigmoid*(1 - sigmoid) was for the shipped definition
}

TEST(FunctionRecords, ErfIsKnownToGinacByItsRecordAndToTheNumbersByArb) {
  const RuleSet& rules = RuleSet::shipped();
  EXPECT_TRUE(rules.known_by_derivative("erf"));   // a primitive GiNaC lacks
  EXPECT_FALSE(rules.known_by_derivative("exp"));  // GiNaC's own
  // The exact GELU: x/2*(1 + erf(x/sqrt(2))) has derivative 1/2*(1 + erf(x/sqrt(2))) + x*exp(-x^2/2)/sqrt(2*pi)
  const Expr gelu = parse_with(rules, "x/2*(1 + erf(x/sqrt(2)))");
  const Expr textbook = parse_with(rules, "1/2*(1 + erf(x/sqrt(2))) + x*exp(-x^2/2)/sqrt(2*pi)");
  const CheckResult right = check_derivative(gelu, sym("x"), textbook, checking_options(rules));
  EXPECT_TRUE(right.holds);
  EXPECT_EQ(right.how, How::Proved);
  const Expr wrong = parse_with(rules, "1/2*(1 + erf(x/sqrt(2))) + x*exp(-x^2)/sqrt(2*pi)");
  EXPECT_FALSE(check_derivative(gelu, sym("x"), wrong, checking_options(rules)).holds);
  // The numeric test, which GiNaC does not help with here, sees erf through Arb: erf(x) + erfc(x) = 1 holds,
  // erf(x) = 1 - erfc(2x) does not.
  CheckOptions numeric_only = checking_options(rules);
  numeric_only.try_symbolic = false;
  const Expr erf_x = parse_with(rules, "erf(x)");
  EXPECT_EQ(check_equal(add(erf_x, parse_with(rules, "erfc(x)")), num(1), numeric_only).how, How::Numeric);
  EXPECT_EQ(check_equal(erf_x, sub(num(1), parse_with(rules, "erfc(2*x)")), numeric_only).how, How::Refuted);
}

TEST(FastPath, StandsForTheShippedConstantVariableAndSumRules) {
  EXPECT_TRUE(RuleSet::shipped().shortcuts_hold());
  // A rule set whose sum rule says otherwise (here: a wrong one, d/dx(u + v) = u' only) is differentiated by
  // its rules, with steps or without: the fast path does not answer for rules it does not apply.
  RuleSet wrong;
  ASSERT_TRUE(wrong.add_text("phase derive\n"
                             "rule constant\n  match diff(?c, ?x)\n  where free(?c, ?x)\n  rewrite 0\n  label \"c\"\n"
                             "rule variable\n  match diff(?x, ?x)\n  rewrite 1\n  label \"v\"\n"
                             "rule sum\n  match diff(?u + ?v..., ?x)\n  rewrite diff(?u, ?x)\n  label \"first term only\"\n",
                             "wrong.rules"));
  EXPECT_FALSE(wrong.shortcuts_hold());
  DiffOptions plain;
  plain.record_steps = false;
  plain.simplify = false;
  const Expr f = parse_with(wrong, "x + x");
  EXPECT_EQ(differentiate(f, sym("x"), wrong, plain).result, num(1));
  EXPECT_EQ(differentiate(f, sym("x"), wrong).result, num(1));  // the recorded path agrees
  // And with the shipped rules both paths give the same answers on the textbook inputs of this file.
  for (const char* text : {"x^3 + 2*x", "sigmoid(x) + x", "sin(x)*cos(x) + 1", "relu(x) + x^2", "erf(x) + x"}) {
    const Expr g = parse_with(RuleSet::shipped(), text);
    DiffOptions fast;
    fast.record_steps = false;
    EXPECT_EQ(print(differentiate(g, sym("x"), RuleSet::shipped(), fast).result),
              print(differentiate(g, sym("x"), RuleSet::shipped()).result))
        << text;
  }
}

}  // namespace
}  // namespace napier
