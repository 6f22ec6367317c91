// The napier program as outside tools see it (../shared/cli-contract.md): exit codes, standard output,
// one-line errors on standard error that name the column. Each test runs the built binary directly
// (fork/exec, no shell, so no quoting), with standard input from a file and the outputs captured in files.
#include <gtest/gtest.h>

#include "napier/syntax.hpp"
#include "support/run_napier.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Outcome = napier::testing::Ran;

// Runs NAPIER_BINARY with `args`, feeding `input` on standard input.
Outcome napier(const std::vector<std::string>& args, const std::string& input = "") {
  return ::napier::testing::run_napier(args, input);
}

int lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// The contract's error form: exactly one line on standard error, nothing on standard output.
void expect_one_line_error(const Outcome& r, const std::string& context) {
  EXPECT_EQ(r.exit_code, 2) << context << "\nstderr: " << r.err;
  EXPECT_EQ(lines(r.err), 1) << context << "\nstderr: " << r.err;
  EXPECT_FALSE(r.err.empty() || r.err.back() != '\n') << context;
  EXPECT_TRUE(r.out.empty()) << context << "\nstdout: " << r.out;
}

TEST(CliCheck, IdentityThatHoldsExitsZero) {
  const Outcome r = napier({"check", "sigmoid(x) + sigmoid(-x) = 1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true\nproved (GiNaC: normal(L - R) = 0)\n");
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliCheck, IdentityThatFailsExitsOne) {
  const Outcome r = napier({"check", "sqrt(x^2) = x"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "false\nrefuted at x = -1 (sqrt(x^2) = 1, x = -1)\n");
  EXPECT_TRUE(r.err.empty()) << r.err;
}

// Undecided is its own verdict: neither true (0) nor false (1), exit 4; in JSON "holds" is null.
TEST(CliCheck, UndecidedIsNeitherTrueNorFalse) {
  const Outcome r = napier({"check", "sqrt(-1 - x^2) = log(-1 - x^2)"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(r.out, "undecided\nundecided (only 0 of 400 points have both sides defined)\n");
  const Outcome j = napier({"check", "--format", "json", "sqrt(-1 - x^2) = log(-1 - x^2)"});
  EXPECT_EQ(j.exit_code, 4) << j.err;
  EXPECT_NE(j.out.find("\"holds\": null"), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"how\": \"undecided\""), std::string::npos) << j.out;
}

// A refutation whose two values print alike says by how much they differ (issue 19: it was "true").
TEST(CliCheck, ATinyDifferenceIsRefutedWithItsSize) {
  const Outcome r = napier({"check", "sin(x) + exp(-200) = sin(x)"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "false\nrefuted at x = 1 (sin(x) + exp(-200) = 0.841470984808, sin(x) = 0.841470984808; "
                   "L - R = 1.38389652674e-87 at 200 and 400 digits)\n");
}

TEST(CliCheck, SyntaxErrorExitsTwoAndNamesTheColumn) {
  const Outcome r = napier({"check", "sin(x"});
  expect_one_line_error(r, "check sin(x");
  EXPECT_NE(r.err.find("column 6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing ')' to close '(' at column 4"), std::string::npos) << r.err;
}

TEST(CliCheck, UnknownFunctionAndArityExitTwo) {
  Outcome r = napier({"check", "x + foo(x) = 1"});
  expect_one_line_error(r, "unknown function");
  EXPECT_NE(r.err.find("column 5: unknown function 'foo'"), std::string::npos) << r.err;
  r = napier({"check", "sin(x, y) = 1"});
  expect_one_line_error(r, "arity");
  EXPECT_NE(r.err.find("column 1: function 'sin' takes 1 argument, got 2"), std::string::npos) << r.err;
}

TEST(CliCheck, NotAnEquationExitsTwo) {
  const Outcome r = napier({"check", "sin(x)^2 + cos(x)^2"});
  expect_one_line_error(r, "check without '='");
}

TEST(CliCheck, JsonVerdict) {
  const Outcome r = napier({"check", "--format", "json", "sqrt(x^2) = x"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("\"holds\": false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"how\": \"refuted\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"x\": \"-1\""), std::string::npos) << r.out;
}

TEST(CliPrint, PrintsAndExitsZero) {
  Outcome r = napier({"print", "1/(1+exp(-x))"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1/(1 + exp(-x))\n");
  EXPECT_TRUE(r.err.empty()) << r.err;
  r = napier({"print", "--format", "unicode", "1/(1+exp(-x))"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1/(1 + exp(\xE2\x88\x92x))\n");  // U+2212 MINUS SIGN
}

TEST(CliPrint, SyntaxErrorExitsTwo) {
  const Outcome r = napier({"print", "2 +"});
  expect_one_line_error(r, "print 2 +");
  EXPECT_NE(r.err.find("column 4: unexpected end of input"), std::string::npos) << r.err;
}

TEST(CliPrint, BadBytesAreAnErrorNotACrash) {
  Outcome r = napier({"print", "-"}, std::string("x + \x01", 5));
  expect_one_line_error(r, "control byte");
  EXPECT_NE(r.err.find("column 5: control character (byte 0x01)"), std::string::npos) << r.err;
  r = napier({"print", "x \xC3\xA9"});
  expect_one_line_error(r, "non-ASCII");
  EXPECT_NE(r.err.find("column 3: non-ASCII character (byte 0xC3)"), std::string::npos) << r.err;
}

TEST(CliPrint, DeepNestingIsAnErrorNotACrash) {
  const Outcome r = napier({"print", "-"}, std::string(100000, '(') + "x" + std::string(100000, ')'));
  expect_one_line_error(r, "deep nesting");
  EXPECT_NE(r.err.find("nesting deeper than"), std::string::npos) << r.err;
}

TEST(CliPrint, InputOverTheLimitIsAnErrorWithoutColumn) {
  const Outcome r = napier({"print", "-"}, "x" + std::string(napier::kMaxInputBytes + 1, ' '));
  expect_one_line_error(r, "more than the limit on stdin");
  EXPECT_EQ(r.err, "napier: error: input longer than " + std::to_string(napier::kMaxInputBytes) + " bytes (limit)\n");
}

// The same input prints the same bytes in every run (no pointer order, no unordered iteration).
TEST(CliPrint, OutputIsTheSameInEveryRun) {
  for (const char* format : {"plain", "unicode", "latex", "json"}) {
    for (const char* input : {"sigmoid(x)*(1 - sigmoid(x))", "softmax(x1, x2, x3)[2] + x_1^-2", "[a, b][1] = c"}) {
      const Outcome first = napier({"print", "--format", format, input});
      const Outcome second = napier({"print", "--format", format, input});
      EXPECT_EQ(first.exit_code, 0) << format << " " << input << ": " << first.err;
      EXPECT_GT(first.out.size(), 1u) << format << " " << input;
      EXPECT_EQ(first.out, second.out) << format << " " << input;
    }
  }
}

// An EXPR that starts with '-' is an expression, not an option.
TEST(CliExpression, LeadingMinusIsAnExpression) {
  Outcome r = napier({"print", "-x^2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "-x^2\n");
  r = napier({"print", "--format", "plain", "-2x"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "-2*x\n");
  r = napier({"check", "-x^2 = -(x^2)"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("true\n", 0), 0u) << r.out;
}

// "-" as EXPR reads the expression from standard input (a final newline is not part of it).
TEST(CliExpression, DashReadsStandardInput) {
  Outcome r = napier({"print", "-"}, "x+1\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "x + 1\n");
  r = napier({"check", "-"}, "sin(x)^2 + cos(x)^2 = 1\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("true\n", 0), 0u) << r.out;
  r = napier({"check", "-"}, "sin(x\n");
  expect_one_line_error(r, "stdin syntax error");
  EXPECT_NE(r.err.find("column 6"), std::string::npos) << r.err;
  r = napier({"print", "-"}, "");
  expect_one_line_error(r, "empty stdin");
  EXPECT_NE(r.err.find("empty input"), std::string::npos) << r.err;
}

TEST(CliOptions, UnknownOptionExitsTwoWithOneLine) {
  const Outcome r = napier({"print", "--frobnicate", "x"});
  expect_one_line_error(r, "unknown option");
  EXPECT_NE(r.err.find("--frobnicate"), std::string::npos) << r.err;
}

TEST(CliOptions, BadOptionValueExitsTwo) {
  const Outcome r = napier({"print", "--format", "xml", "x"});
  expect_one_line_error(r, "--format xml");
  EXPECT_NE(r.err.find("xml"), std::string::npos) << r.err;
}

TEST(CliOptions, UnknownCommandOrNoCommandExitsTwo) {
  expect_one_line_error(napier({"frobnicate", "x"}), "unknown command");
  expect_one_line_error(napier({}), "no command");
}

TEST(CliOptions, MissingExpressionExitsTwo) {
  const Outcome r = napier({"print"});
  expect_one_line_error(r, "print without EXPR");
  EXPECT_NE(r.err.find("missing EXPR"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// Runs `napier ARGS` through /bin/sh with `redirect` after it; the exit code and standard error.
std::pair<int, std::string> napier_redirected(const std::string& args, const std::string& redirect) {
  const std::string err = ::testing::TempDir() + "napier_redirect_err";
  const std::string command = std::string(NAPIER_BINARY) + " " + args + " " + redirect + " 2>" + err;
  const int status = std::system(command.c_str());
  std::ifstream in(err);
  std::stringstream s;
  s << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, s.str()};
}

}  // namespace

TEST(CliOutput, AWriteThatFailsIsAnErrorNotSuccess) {
  // A full disk and a closed standard output: the answer was not delivered, so exit 2 with one line.
  for (const char* redirect : {">/dev/full", ">&-"}) {
    const auto [code, err] = napier_redirected("diff 'x^3'", redirect);
    EXPECT_EQ(code, 2) << redirect << ": " << err;
    EXPECT_EQ(err, "napier: error: cannot write output\n") << redirect;
  }
}

TEST(CliOutput, AnEmptyWrtIsAnErrorNotTheDefault) {
  const auto r = ::napier::testing::run_napier({"diff", "x^2*y", "--wrt", ""});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--wrt: is empty"), std::string::npos) << r.err;
}
