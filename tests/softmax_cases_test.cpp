// The softmax Jacobian as document 000 §5.6 states it: with --steps one diagonal and one off-diagonal entry
// derived in full, the others named by their case, and the matrix form diag(s) - s*s^T printed only when
// every entry is proved to fit it. Every entry is still derived and checked against GiNaC.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "support/run_napier.hpp"

namespace napier {
namespace {

using testing::Ran;
using testing::run_napier;
using Json = nlohmann::json;

int occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(SoftmaxCases, TwoDerivationsSevenNamedEntriesAndTheMatrixForm) {
  const Ran r = run_napier({"jacobian", "softmax(x1,x2,x3)", "--wrt", "x1,x2,x3", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("J[1][1]:\nd/dx1(softmax(x1, x2, x3)[1])\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("J[1][2]:\nd/dx2(softmax(x1, x2, x3)[1])\n"), std::string::npos) << r.out;
  EXPECT_EQ(occurrences(r.out, "[quotient rule]"), 1) << r.out;  // J[1][1]; J[1][2] by the reciprocal rule
  EXPECT_EQ(occurrences(r.out, ": the case i = j: "), 2) << r.out;
  EXPECT_EQ(occurrences(r.out, ": the case i != j: "), 5) << r.out;
  EXPECT_NE(r.out.find("J[3][3]: the case i = j: the derivation of J[1][1] with x1 and x3 exchanged\n"
                       "  = softmax(x1, x2, x3)[3]*(1 - softmax(x1, x2, x3)[3])\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("In matrix form: J = diag(s) - s*s^T, with s = softmax(x1, x2, x3) (every entry proved to fit it)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("GiNaC agrees on every entry: 9 proved symbolically\n"), std::string::npos) << r.out;
}

TEST(SoftmaxCases, JsonSaysTheCaseOfEveryNamedEntry) {
  const Ran r = run_napier({"jacobian", "softmax(a,b)", "--wrt", "a,b", "--steps", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json out = Json::parse(r.out);
  EXPECT_EQ(out["matrix_form"], "diag(s) - s*s^T, s = softmax(a, b)");
  ASSERT_EQ(out["steps"].size(), 4u);
  EXPECT_TRUE(out["steps"][0].contains("steps"));
  EXPECT_TRUE(out["steps"][1].contains("steps"));
  EXPECT_EQ(out["steps"][2]["case"], "the case i != j: the derivation of J[1][2] with a, b written b, a");
  EXPECT_EQ(out["steps"][3]["case"], "the case i = j: the derivation of J[1][1] with a and b exchanged");
  EXPECT_EQ(out["check"]["ginac"], true);
}

TEST(SoftmaxCases, OnlyForASoftmaxByItsOwnVariablesInOrder) {
  // Another order of the variables, a list, or no --steps: every entry as before, no matrix form.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"jacobian", "softmax(x1,x2)", "--wrt", "x2,x1", "--steps"},
        std::vector<std::string>{"jacobian", "[x*y, x + y]", "--wrt", "x,y", "--steps"},
        std::vector<std::string>{"jacobian", "softmax(x1,x2)", "--wrt", "x1,x2"}}) {
    const Ran r = run_napier(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("the case"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("diag(s)"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace napier
