// The seed derivations of ../shared/seeds/SUMMARY.md: each key form the documents print appears as a step
// of napier's derivation, in the documents' order, and every step is a true equation.
#include <gtest/gtest.h>

#include "napier/derive.hpp"
#include "napier/methods.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"
#include "napier/document.hpp"
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

// The document's blocks in order, with the groups opened: the lines a reader sees.
std::vector<const Block*> line_blocks(const Block& root) {
  std::vector<const Block*> out;
  for_each_line_block(root, [&](const Block& b) { out.push_back(&b); });
  return out;
}

// The first chain whose left side is `lhs` (dy/du: diff(y, u)).
const Block* chain_named(const Block& root, const std::string& lhs) {
  for (const Block* b : line_blocks(root)) {
    if (b->kind == BlockKind::Chain && !b->lhs.is_null() && b->lhs == P(lhs)) return b;
  }
  return nullptr;
}

// The right sides of the document's lines in order, each chain's forms included: what a reader sees after
// each "=".
std::vector<Expr> right_sides(const Block& root) {
  std::vector<Expr> out;
  for (const Block* b : line_blocks(root)) {
    if (b->kind == BlockKind::Equation) {
      out.push_back(b->lhs.is_null() ? b->rhs : equation(b->lhs, b->rhs));
      out.push_back(b->rhs);
    } else {
      if (!b->lhs.is_null() && !b->continues) out.push_back(equation(b->lhs, b->chain.start));
      for (Expr e : chain_exprs(b->chain)) out.push_back(e);
    }
  }
  return out;
}

// Every line of the document is proved or confirmed numerically.
void expect_every_line_true(const Block& root, std::size_t at_least) {
  const std::vector<LineCheck> checks = verify_document(root);
  EXPECT_GE(checks.size(), at_least);
  for (const LineCheck& c : checks) {
    EXPECT_TRUE(c.result.holds) << "[" << c.label << "]: " << print(c.lhs) << " = " << print(c.rhs) << ": "
                                << describe(c.result, c.lhs, c.rhs);
  }
}

TEST(Seeds, SigmoidSubstitutionStyleFollowsDocument000) {
  const Explanation d = derive_by_substitution(P("1/(1+exp(-x))"), sym("x"), rules());
  const std::vector<const Block*> lines = line_blocks(d.root);
  ASSERT_GE(lines.size(), 3u);
  // y = f; "Let u = 1 + exp(-x); then y = 1/u."
  EXPECT_EQ(lines[1]->rule, "substitute");
  ASSERT_EQ(lines[1]->sentence_before.size(), 3u);
  EXPECT_EQ(lines[1]->sentence_before[1].math, P("u = 1 + exp(-x)"));
  EXPECT_EQ(lines[1]->rhs, P("1/u"));
  const Block* dy_du = chain_named(d.root, "diff(y, u)");
  ASSERT_NE(dy_du, nullptr);
  EXPECT_EQ(dy_du->chain.result, P("-1/u^2"));  // dy/du = -1/u^2
  // let v = -x, one level down
  bool inner_let = false;
  for (const Block* b : lines) inner_let = inner_let || (b->rule == "substitute" && b->rhs == P("1 + exp(v)"));
  EXPECT_TRUE(inner_let);
  const Block* du_dx = chain_named(d.root, "diff(u, x)");
  ASSERT_NE(du_dx, nullptr);
  EXPECT_EQ(du_dx->chain.result, P("-exp(-x)"));  // du/dx = -exp(-x)
  const Block* dy_dx = chain_named(d.root, "diff(y, x)");
  ASSERT_NE(dy_dx, nullptr);
  expect_in_order(chain_exprs(dy_dx->chain), {"exp(-x)/(1 + exp(-x))^2", "(1 + exp(-x) - 1)/(1 + exp(-x))^2",
                                              "1/(1 + exp(-x)) - 1/(1 + exp(-x))^2", "sigmoid(x)*(1 - sigmoid(x))"});
  EXPECT_EQ(lines.back()->rhs, P("y*(1 - y)"));  // f'(x) = y(1 - y), in terms of y
  EXPECT_EQ(d.result, P("sigmoid(x)*(1 - sigmoid(x))"));
  expect_every_line_true(d.root, 20);
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
  Result<Explanation> d = derive_by_inverse(P("e^x"), sym("x"), rules());
  ASSERT_TRUE(d.ok()) << d.error().message;
  // x = log(y), dx/dy = 1/y, dy/dx = 1/(dx/dy) = 1/(1/y) = y = e^x: each its own line, in order.
  expect_in_order(right_sides(d->root), {"x = log(y)", "diff(x, y) = diff(log(y), y)", "1/y",
                                         "diff(y, x) = 1/diff(x, y)", "1/(1/y)", "y", "e^x"});
  EXPECT_EQ(chain_named(d->root, "diff(x, y)")->chain.result, P("1/y"));  // dx/dy = 1/y
  EXPECT_EQ(d->result, P("e^x"));
  expect_every_line_true(d->root, 5);
}

TEST(Seeds, PowerByLogarithmicDifferentiation) {
  Result<Explanation> d = derive_by_logdiff(P("a^x"), sym("x"), rules());
  ASSERT_TRUE(d.ok()) << d.error().message;
  // log y = x log a; (1/y) dy/dx = log a; dy/dx = y log a = a^x log a
  expect_in_order(right_sides(d->root), {"log(y) = log(a^x)", "x*log(a)", "1/y*diff(y, x) = log(a)",
                                         "diff(y, x) = y*log(a)", "a^x*log(a)"});
  EXPECT_EQ(d->result, P("a^x*log(a)"));
  expect_every_line_true(d->root, 8);
}

TEST(Seeds, TheInverseOfASquareIsRefusedNotMisused) {
  // y^(1/2) inverts x^2 for x >= 0 only: the method would answer 2|x|.
  Result<Explanation> d = derive_by_inverse(P("x^2"), sym("x"), rules());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("only on part of its domain"), std::string::npos) << d.error().message;
}

TEST(Seeds, AMethodEndsWhereItsResultEnds) {
  // The logdiff of a product of powers: the document's last line is its result, and it is the derivative.
  Result<Explanation> d = derive_by_logdiff(P("(x^2+1)^3*sqrt(x)/(x-1)"), sym("x"), rules());
  ASSERT_TRUE(d.ok()) << d.error().message;
  const std::vector<Expr> forms = right_sides(d->root);
  EXPECT_EQ(forms.back(), d->result);
  expect_every_line_true(d->root, 8);
}

TEST(Seeds, SoftmaxJacobianEntriesFoldToTheSigmoidShape) {
  const Expr s1 = P("softmax(x1, x2, x3)[1]"), s2 = P("softmax(x1, x2, x3)[2]");
  EXPECT_EQ(differentiate(s1, sym("x1"), rules()).result, P("softmax(x1, x2, x3)[1]*(1 - softmax(x1, x2, x3)[1])"));
  const Derivation off = differentiate(s2, sym("x1"), rules());
  EXPECT_EQ(off.result, P("-softmax(x1, x2, x3)[2]*softmax(x1, x2, x3)[1]"));
  expect_every_step_true(off);
}

TEST(Seeds, LogdiffRefusesAFunctionThatIsNeverPositive) {
  Result<Explanation> d = derive_by_logdiff(P("-exp(x)"), sym("x"), rules());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("not positive"), std::string::npos) << d.error().message;
}

TEST(Seeds, InverseRefusesAFunctionWithoutAKnownInverse) {
  Result<Explanation> d = derive_by_inverse(P("sin(x) + x"), sym("x"), rules());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("no inverse is known"), std::string::npos) << d.error().message;
}

}  // namespace
}  // namespace napier
