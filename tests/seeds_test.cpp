// The seed derivations of ../shared/seeds/SUMMARY.md: each key form the documents print appears as a step
// of napier's derivation, in the documents' order, and every step is a true equation.
#include <gtest/gtest.h>

#include "napier/derive.hpp"
#include "napier/methods.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"
#include "napier/substitution.hpp"
#include "napier/verify.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

const RuleSet& rules() { return testing::shipped_rules(); }

Expr P(const std::string& text) {
  ParseOptions options;
  options.functions = &rules().functions();
  Result<Expr> e = parse(text, options);
  if (!e) throw std::runtime_error(text + ": " + e.error().to_string());
  return *e;
}

// Each of `forms` is one of `lines`, in order (later forms after earlier ones).
void expect_in_order(const std::vector<Expr>& lines, const std::vector<std::string>& forms) {
  std::size_t at = 0;
  for (const std::string& form : forms) {
    const Expr wanted = P(form);
    std::size_t found = at;
    while (found < lines.size() && lines[found] != wanted) ++found;
    ASSERT_LT(found, lines.size()) << "the form " << form << " is not a step after line " << at;
    at = found + 1;
  }
}

std::vector<Expr> chain_exprs(const Derivation& d) {
  std::vector<Expr> out;
  for (const ChainLine& l : chain_lines(d)) out.push_back(l.expr);
  return out;
}

void expect_every_step_true(const Derivation& d) {
  for (const StepCheck& c : verify_steps(d)) {
    EXPECT_TRUE(c.result.holds) << "step " << c.index << " [" << d.steps[c.index].label
                                << "]: " << print(d.steps[c.index].redex) << " = " << print(d.steps[c.index].contractum);
  }
}

TEST(Seeds, SigmoidDefaultStepsShowEveryKeyFormOfSection3) {
  const Derivation d = differentiate(P("1/(1+exp(-x))"), sym("x"), rules());
  expect_in_order(chain_exprs(d), {
                                      "-1/(1 + exp(-x))^2*diff(1 + exp(-x), x)",  // outer derivative -1/u^2
                                      "-1/(1 + exp(-x))^2*(-1)*exp(-x)",          // times the inner -exp(-x)
                                      "exp(-x)/(1 + exp(-x))^2",                  // their product
                                      "(1 + exp(-x) - 1)/(1 + exp(-x))^2",        // add and subtract 1
                                      "(1 + exp(-x))/(1 + exp(-x))^2 - 1/(1 + exp(-x))^2",
                                      "1/(1 + exp(-x)) - 1/(1 + exp(-x))^2",      // split fraction, cancelled
                                      "1/(1 + exp(-x))*(1 - 1/(1 + exp(-x)))",
                                      "sigmoid(x)*(1 - sigmoid(x))",              // folded
                                  });
  EXPECT_EQ(d.result, P("sigmoid(x)*(1 - sigmoid(x))"));
  expect_every_step_true(d);
}

TEST(Seeds, SigmoidSubstitutionStyleFollowsDocument000) {
  const SubstitutionDerivation d = derive_by_substitution(P("1/(1+exp(-x))"), sym("x"), rules());
  EXPECT_EQ(d.name, sym("u"));
  EXPECT_EQ(d.inner, P("1 + exp(-x)"));
  EXPECT_EQ(d.outer, P("1/u"));
  EXPECT_EQ(d.outer_derivation.result, P("-1/u^2"));     // dy/du = -1/u^2
  ASSERT_NE(d.inner_derivation, nullptr);
  EXPECT_EQ(d.inner_derivation->name, sym("v"));         // let v = -x
  EXPECT_EQ(d.inner_derivation->inner, P("-x"));
  EXPECT_EQ(d.inner_derivation->result, P("-exp(-x)"));  // du/dx = -exp(-x)
  expect_in_order(chain_exprs(d.combined), {"exp(-x)/(1 + exp(-x))^2", "(1 + exp(-x) - 1)/(1 + exp(-x))^2",
                                            "1/(1 + exp(-x)) - 1/(1 + exp(-x))^2", "sigmoid(x)*(1 - sigmoid(x))"});
  EXPECT_EQ(d.in_terms_of_y, P("y*(1 - y)"));            // f'(x) = y(1 - y)
  expect_every_step_true(d.outer_derivation);
  expect_every_step_true(d.combined);
}

TEST(Seeds, SigmoidChainStyleFollowsDocument004) {
  DiffOptions options;
  options.definitions_first = true;
  const Derivation d = differentiate(P("sigmoid(x)"), sym("x"), rules(), options);
  expect_in_order(chain_exprs(d), {
                                      "diff(sigmoid(x), x)",
                                      "diff(1/(1 + exp(-x)), x)",                  // the definition
                                      "-1/(1 + exp(-x))^2*diff(1 + exp(-x), x)",
                                      "exp(-x)/(1 + exp(-x))^2",
                                      "(1 + exp(-x) - 1)/(1 + exp(-x))^2",
                                      "(1 + exp(-x))/(1 + exp(-x))^2 - 1/(1 + exp(-x))^2",
                                      "1/(1 + exp(-x)) - 1/(1 + exp(-x))^2",
                                      "1/(1 + exp(-x))*(1 - 1/(1 + exp(-x)))",
                                      "sigmoid(x)*(1 - sigmoid(x))",
                                  });
  expect_every_step_true(d);
}

TEST(Seeds, ExpByTheInverseFunctionRule) {
  Result<MethodDerivation> d = derive_by_inverse(P("e^x"), sym("x"), rules());
  ASSERT_TRUE(d.ok()) << d.error().message;
  ASSERT_GE(d->lines.size(), 4u);
  EXPECT_EQ(d->lines[1].lhs, sym("x"));
  EXPECT_EQ(d->lines[1].rhs, P("log(y)"));      // x = log y
  EXPECT_EQ(d->parts[0].result, P("1/y"));      // dx/dy = 1/y
  expect_in_order(d->lines[3].more, {"1/(1/y)", "y", "e^x"});
  EXPECT_EQ(d->result, P("e^x"));
}

TEST(Seeds, PowerByLogarithmicDifferentiation) {
  Result<MethodDerivation> d = derive_by_logdiff(P("a^x"), sym("x"), rules());
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->lines[1].lhs, P("log(y)"));
  expect_in_order(d->lines[1].more, {"x*log(a)"});  // log y = x log a
  EXPECT_EQ(d->parts[1].result, P("log(a)"));        // d(x log a)/dx = log a
  EXPECT_EQ(d->lines.back().rhs, P("y*log(a)"));     // y' = (log a) y
  EXPECT_EQ(d->result, P("a^x*log(a)"));
  expect_every_step_true(d->parts[1]);
}

TEST(Seeds, SoftmaxJacobianEntriesFoldToTheSigmoidShape) {
  const Expr s1 = P("softmax(x1, x2, x3)[1]"), s2 = P("softmax(x1, x2, x3)[2]");
  EXPECT_EQ(differentiate(s1, sym("x1"), rules()).result, P("softmax(x1, x2, x3)[1]*(1 - softmax(x1, x2, x3)[1])"));
  const Derivation off = differentiate(s2, sym("x1"), rules());
  EXPECT_EQ(off.result, P("-softmax(x1, x2, x3)[2]*softmax(x1, x2, x3)[1]"));
  expect_every_step_true(off);
}

TEST(Seeds, LogdiffRefusesAFunctionThatIsNeverPositive) {
  Result<MethodDerivation> d = derive_by_logdiff(P("-exp(x)"), sym("x"), rules());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("not positive"), std::string::npos) << d.error().message;
}

TEST(Seeds, InverseRefusesAFunctionWithoutAKnownInverse) {
  Result<MethodDerivation> d = derive_by_inverse(P("sin(x) + x"), sym("x"), rules());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("no inverse is known"), std::string::npos) << d.error().message;
}

}  // namespace
}  // namespace napier
