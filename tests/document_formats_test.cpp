// The seed derivations of ../shared/seeds/SUMMARY.md §1-3, as the program prints them in every format: the
// key forms of each appear in order in the text, in the JSON lines (each its own line, with its rule), in
// LaTeX and in Markdown; --style and --method are never dropped for a format. Run through NAPIER_BINARY.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_napier.hpp"

namespace napier {
namespace {

using testing::run_napier;

// Each of `forms` occurs in `text` after the one before it.
void expect_in_order(const std::string& text, const std::vector<std::string>& forms, const std::string& what) {
  std::size_t at = 0;
  for (const std::string& form : forms) {
    const std::size_t found = text.find(form, at);
    ASSERT_NE(found, std::string::npos) << what << ": '" << form << "' is missing after offset " << at << " in\n"
                                        << text;
    at = found + form.size();
  }
}

// The JSON lines' "text" (as a reader writes each line), one per line, for expect_in_order.
std::string json_lines(const std::vector<std::string>& args, std::size_t* count = nullptr) {
  std::vector<std::string> a = args;
  a.insert(a.end(), {"--steps", "--format", "json"});
  const testing::Ran r = run_napier(a);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "napier-derivation/1");
  std::string out;
  for (const auto& line : j["steps"]) {
    EXPECT_FALSE(line["rule"].get<std::string>().empty()) << line.dump();
    out += (line.contains("text") ? line["text"] : line["expr"]).get<std::string>() + "\n";
  }
  if (count) *count = j["steps"].size();
  return out;
}

std::string printed(std::vector<std::string> args, const std::string& format) {
  args.insert(args.end(), {"--steps", "--format", format});
  const testing::Ran r = run_napier(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

const std::vector<std::string> kInverse = {"diff", "--method", "inverse", "e^x"};
const std::vector<std::string> kLogdiff = {"diff", "--method", "logdiff", "a^x"};
const std::vector<std::string> kSubstitution = {"diff", "--style", "substitution", "1/(1+exp(-x))"};

TEST(DocumentFormats, TheInverseFunctionRuleInEveryFormat) {
  expect_in_order(printed(kInverse, "text"),
                  {"x = log(y)", "dx/dy = d/dy(log(y))", "= 1/y", "dy/dx = 1/(dx/dy)", "= 1/(1/y)", "= y", "= e^x",
                   "Result: e^x"},
                  "text");
  expect_in_order(json_lines(kInverse), {"x = log(y)\n", "dx/dy = 1/y\n", "dy/dx = 1/(dx/dy)\n", "dy/dx = 1/(1/y)\n",
                                         "dy/dx = y\n", "dy/dx = e^x\n"},
                  "json");
  const std::vector<std::string> latex = {"x &= \\log\\left(y\\right)", "\\frac{dx}{dy} &= ", "&= \\frac{1}{y}",
                                          "\\frac{dy}{dx} &= \\frac{1}{\\frac{dx}{dy}}", "&= y", "&= e^{x}"};
  expect_in_order(printed(kInverse, "latex"), latex, "latex");
  const std::string markdown = printed(kInverse, "markdown");
  expect_in_order(markdown, {"$$\n\\begin{aligned}"}, "markdown");
  expect_in_order(markdown, latex, "markdown");
  expect_in_order(markdown, {"**Answer.** $e^{x}$"}, "markdown");
}

TEST(DocumentFormats, LogarithmicDifferentiationInEveryFormat) {
  expect_in_order(printed(kLogdiff, "text"),
                  {"log(y) = log(a^x)", "= x*log(a)", "1/y*dy/dx = log(a)", "dy/dx = y*log(a)", "= a^x*log(a)"}, "text");
  expect_in_order(json_lines(kLogdiff),
                  {"log(y) = x*log(a)\n", "1/y*dy/dx = log(a)\n", "dy/dx = y*log(a)\n", "dy/dx = a^x*log(a)\n"}, "json");
  const std::vector<std::string> latex = {"\\log\\left(y\\right) &= \\log\\left(a^{x}\\right)", "&= x \\log\\left(a\\right)",
                                          "\\frac{1}{y} \\cdot \\frac{dy}{dx} &= \\log\\left(a\\right)",
                                          "\\frac{dy}{dx} &= y \\log\\left(a\\right)"};
  expect_in_order(printed(kLogdiff, "latex"), latex, "latex");
  expect_in_order(printed(kLogdiff, "markdown"), latex, "markdown");
}

TEST(DocumentFormats, TheSubstitutionStyleInEveryFormat) {
  expect_in_order(printed(kSubstitution, "text"),
                  {"Let u = 1 + exp(-x); then y = 1/u.", "dy/du = d/du(1/u)", "= -1/u^2", "du/dx", "= -exp(-x)",
                   "= exp(-x)/(1 + exp(-x))^2", "[add and subtract 1]", "[split the fraction]",
                   "= sigmoid(x)*(1 - sigmoid(x))", "In terms of y itself: dy/dx = y*(1 - y)"},
                  "text");
  expect_in_order(json_lines(kSubstitution),
                  {"Let u = 1 + exp(-x); then y = 1/u.\n", "dy/du = -1/u^2\n", "du/dx = -exp(-x)\n",
                   "dy/dx = exp(-x)/(1 + exp(-x))^2\n", "dy/dx = (1 + exp(-x) - 1)/(1 + exp(-x))^2\n",
                   "dy/dx = (1 + exp(-x))/(1 + exp(-x))^2 - 1/(1 + exp(-x))^2\n", "dy/dx = sigmoid(x)*(1 - sigmoid(x))\n",
                   "In terms of y itself: dy/dx = y*(1 - y)\n"},
                  "json");
  const std::vector<std::string> latex = {"\\text{Let }u = 1 + \\exp\\left(-x\\right)\\text{; then }y = \\frac{1}{u}",
                                          "\\frac{dy}{du} &= ", "&= \\frac{-1}{u^{2}}",
                                          "&= \\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)",
                                          "\\frac{dy}{dx} = y \\left(1 - y\\right)"};
  expect_in_order(printed(kSubstitution, "latex"), latex, "latex");
  expect_in_order(printed(kSubstitution, "markdown"), latex, "markdown");
}

TEST(DocumentFormats, AStyleOrMethodIsNeverDroppedByAFormat) {
  // The JSON of a method or style is that derivation, not the direct one: the steps differ.
  const std::string direct_e = json_lines({"diff", "e^x"});
  EXPECT_NE(json_lines(kInverse), direct_e);
  EXPECT_NE(json_lines(kLogdiff), json_lines({"diff", "a^x"}));
  EXPECT_NE(json_lines(kSubstitution), json_lines({"diff", "1/(1+exp(-x))"}));
  EXPECT_NE(printed(kInverse, "latex"), printed({"diff", "e^x"}, "latex"));
}

TEST(DocumentFormats, VerifyProvesEveryLineOfEachSeed) {
  for (const auto& args : {kInverse, kLogdiff, kSubstitution}) {
    std::vector<std::string> a = args;
    a[0] = "verify";
    const testing::Ran r = run_napier(a);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    // "N of N steps verified"
    const std::size_t of = r.out.rfind(" of ");
    ASSERT_NE(of, std::string::npos) << r.out;
    const std::size_t line = r.out.rfind('\n', of) + 1;
    const int verified = std::stoi(r.out.substr(line)), total = std::stoi(r.out.substr(of + 4));
    EXPECT_EQ(verified, total) << r.out;
    EXPECT_GE(total, 6) << r.out;
  }
  const testing::Ran j = run_napier({"jacobian", "softmax(x1,x2,x3)", "--verify"});
  EXPECT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NE(j.out.find("32 of 32 steps verified"), std::string::npos) << j.out;
}

TEST(DocumentFormats, OneVerdictForOneDerivativeInEveryCommand) {
  // f is not real at x < 0, where GiNaC's complex-branch derivative differs: points there say nothing, and
  // diff, grad and hessian give the same verdict for the same derivative.
  auto verdict = [](std::vector<std::string> args) {
    args.insert(args.end(), {"--format", "json"});
    const testing::Ran r = run_napier(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    return nlohmann::json::parse(r.out)["check"];
  };
  const nlohmann::json diff = verdict({"diff", "abs(x^(3/2))^2"});
  EXPECT_TRUE(diff["ginac"].get<bool>()) << diff.dump();
  EXPECT_EQ(verdict({"grad", "abs(x^(3/2))^2", "--wrt", "x"})["how"], diff["how"]);
  EXPECT_EQ(verdict({"hessian", "abs(x^(3/2))^2", "--wrt", "x"})["how"], verdict({"diff", "abs(x^(3/2))^2", "--order", "2"})["how"]);
  // The mixed partial is never "refuted" (exit 3 is for a real disagreement).
  EXPECT_NE(verdict({"diff", "abs(x^(3/2))^2*y", "--wrt", "x,y"})["how"], "refuted");
}

}  // namespace
}  // namespace napier
