// check --steps: each side rewritten by the identity and textbook rules, to show why L = R (document 000:
// for n = 2 softmax is the sigmoid of x1 - x2, divide numerator and denominator by exp(x1)). Every step shown
// is itself a true equation; sides the rules cannot bring together are said to be so.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "napier/check.hpp"
#include "napier/parse.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

using testing::Ran;
using testing::run_napier;
using Json = nlohmann::json;

TEST(CheckSteps, TwoClassSoftmaxIsTheSigmoid) {
  const Ran r = run_napier({"check", "softmax(x1, x2)[1] = sigmoid(x1 - x2)", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "L: softmax(x1, x2)[1]\n"
            "  = exp(x1)/(exp(x1) + exp(x2))    [definition of softmax: exp(x_i)/sum exp(x_k)]\n"
            "  = 1/(1 + exp(x2)/exp(x1))    [divide numerator and denominator by exp(a)]\n"
            "  = 1/(1 + exp(-(x1 - x2)))    [exp(b)/exp(a) = exp(-(a - b))]\n"
            "  = sigmoid(x1 - x2)    [fold back: 1/(1 + exp(-t)) = sigmoid(t)]\n"
            "R: sigmoid(x1 - x2)\n"
            "Both sides reach sigmoid(x1 - x2).\n"
            "true\n"
            "proved (GiNaC: normal(L - R) = 0)\n");
}

TEST(CheckSteps, EveryStepShownIsATrueEquation) {
  for (const std::string identity : {"softmax(x1, x2)[1] = sigmoid(x1 - x2)", "softmax(a, b)[2] = sigmoid(b - a)"}) {
    const Ran r = run_napier({"check", identity, "--steps", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Json out = Json::parse(r.out);
    EXPECT_EQ(out["steps"]["meet"], true) << identity;
    EXPECT_GE(out["steps"]["lhs"].size(), 4u) << identity;
    for (const Json& step : out["steps"]["lhs"]) {
      Result<Expr> before = parse(step["redex"].get<std::string>()), after = parse(step["replacement"].get<std::string>());
      ASSERT_TRUE(before && after) << step.dump();
      EXPECT_TRUE(check_equal(*before, *after).holds) << step.dump();
    }
  }
}

TEST(CheckSteps, SidesTheRulesCannotJoinAreSaidSo) {
  // True, but no identity rule knows sin^2 + cos^2: the verdict still comes from GiNaC and the numbers.
  Ran r = run_napier({"check", "sin(x)^2 + cos(x)^2 = 1", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("The rules do not bring the two sides to one expression.\ntrue\n"), std::string::npos) << r.out;
  // False: the left side reaches sigmoid(x1 - x2), which is not the right side.
  r = run_napier({"check", "softmax(x1, x2)[1] = sigmoid(x1 + x2)", "--steps"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("  = sigmoid(x1 - x2)    [fold back"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("The rules do not bring the two sides to one expression.\nfalse\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace napier
