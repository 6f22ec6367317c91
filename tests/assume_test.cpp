// diff --assume "L = R": the derivative is derived and checked as usual, then L is written as R in a step of
// its own (labelled, and reported by verification as an assumption, not as a proved identity).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/run_napier.hpp"

namespace napier {
namespace {

using testing::Ran;
using testing::run_napier;
using Json = nlohmann::json;

const std::string kCrossEntropy = "-sum(t[k]*log(softmax(z)[k]), k, 1, n)";

TEST(Assume, CrossEntropyGradientUnderSumOfTargetsOne) {
  Ran r = run_napier({"diff", kCrossEntropy, "--wrt", "z[j]", "--assume", "sum(t[k], k, 1, n) = 1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "softmax(z)[j] - t[j]\n");
  // Without the assumption the same derivative keeps the sum.
  r = run_napier({"diff", kCrossEntropy, "--wrt", "z[j]"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "softmax(z)[j]*sum(t[k], k, 1, n) - t[j]\n");
}

TEST(Assume, JsonSaysWhatGinacCheckedAndMarksTheStep) {
  const Ran r = run_napier({"diff", kCrossEntropy, "--wrt", "z[j]", "--assume", "sum(t[k], k, 1, n) = 1", "--steps",
                            "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json out = Json::parse(r.out);
  EXPECT_EQ(out["result"], "softmax(z)[j] - t[j]");
  EXPECT_EQ(out["check"]["ginac"], true);
  EXPECT_EQ(out["check"]["checked"], "softmax(z)[j]*sum(t[k], k, 1, n) - t[j]");
  int assumed = 0;
  for (const Json& step : out["steps"]) {
    if (step["rule"] != "assumption") {
      EXPECT_EQ(step["check"]["holds"], true) << step.dump();  // every other step is a true equation
      continue;
    }
    ++assumed;
    EXPECT_EQ(step["label"], "assume sum(t[k], k, 1, n) = 1");
    EXPECT_EQ(step["check"]["how"], "undecided");  // said, not proved
  }
  EXPECT_EQ(assumed, 1);
}

TEST(Assume, AnAssumptionThatDoesNotOccurChangesNothing) {
  const Ran r = run_napier({"diff", "x^3", "--assume", "y = 2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3*x^2\n");
}

TEST(Assume, BadAssumptionsAreOneLineAndExitTwo) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"diff", "x", "--assume", "x"}, "napier: error: --assume x: expected L = R\n"},
      {{"diff", "x", "--assume", "1 = x"}, "napier: error: --assume 1 = x: the left side is a number: nothing to replace\n"},
      {{"diff", "x", "--assume", "x = ("}, "napier: error: --assume x = (: column 6: unexpected end of input\n"},
      {{"diff", "x^2", "--assume", "x = 2", "--at", "x=1"},
       "napier: error: --assume works with the default steps only (not with --at, --style substitution or --method)\n"},
  };
  for (const auto& [args, message] : cases) {
    const Ran r = run_napier(args);
    EXPECT_EQ(r.exit_code, 2) << args[3];
    EXPECT_EQ(r.err, message) << args[3];
  }
}

}  // namespace
}  // namespace napier
