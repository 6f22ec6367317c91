// --let definitions (include/napier/let.hpp, the CLI's --let): names expanded before differentiating and
// folded back after, cycles refused; the logistic-loss gradient written as (h - y)*x_i, every entry
// the program prints checked against GiNaC's derivative of the loss with h written out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/let.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/rules.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

using testing::Ran;
using testing::run_napier;
using Json = nlohmann::json;

Expr expr(const std::string& text) {
  Result<Expr> e = parse(text);
  if (!e) throw std::runtime_error(text + ": " + e.error().to_string());
  return *e;
}

const RuleSet& rules() { return testing::shipped_rules(); }

TEST(LetBindings, ExpandThroughNamesAndFoldLargestFirst) {
  LetBindings lets;
  ASSERT_TRUE(lets.add(sym("z"), expr("w*x + b")));
  ASSERT_TRUE(lets.add(sym("h"), expr("sigmoid(z)")));
  EXPECT_EQ(lets.expand(expr("h*(1 - h) + z")), expr("sigmoid(w*x + b)*(1 - sigmoid(w*x + b)) + w*x + b"));
  // sigmoid(w*x + b) is h (the larger value first), not sigmoid(z)
  EXPECT_EQ(lets.fold(expr("sigmoid(w*x + b)*(1 - sigmoid(w*x + b))*x")), expr("h*(1 - h)*x"));
  EXPECT_EQ(lets.fold(expr("exp(w*x + b)")), expr("exp(z)"));
  // folding and expanding are inverse on what the names stand for
  const Expr e = expr("log(1 - sigmoid(w*x + b)) + (w*x + b)^2");
  EXPECT_EQ(lets.expand(lets.fold(e)), e);
}

TEST(LetBindings, FoldsASumInsideALargerSum) {
  LetBindings lets;
  ASSERT_TRUE(lets.add(sym("h"), expr("w1*x1 + w2*x2 + b")));
  EXPECT_EQ(lets.fold(expr("(w1*x1 + w2*x2 + b - y)*x1")), expr("(h - y)*x1"));
  EXPECT_EQ(lets.fold(expr("-y + b + w2*x2 + w1*x1")), expr("-y + h"));  // any order: h where b stood
  EXPECT_EQ(lets.fold(expr("w1*x1 + w2*x2 - y")), expr("w1*x1 + w2*x2 - y"));  // not all of h's terms
  EXPECT_EQ(lets.fold(expr("2*(w1*x1 + w2*x2 + b) + w1*x1 + w2*x2 + b + 1")), expr("2*h + h + 1"));
}

TEST(LetBindings, RefusesCyclesRedefinitionsAndNonNames) {
  LetBindings lets;
  Result<bool> self = lets.add(sym("h"), expr("h + 1"));
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().message, "'h' is defined in terms of itself");
  ASSERT_TRUE(lets.add(sym("a"), expr("b + 1")));
  Result<bool> loop = lets.add(sym("b"), expr("2*a"));
  ASSERT_FALSE(loop);
  EXPECT_EQ(loop.error().message, "'b' is defined in terms of itself (through another definition)");
  Result<bool> again = lets.add(sym("a"), expr("3"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, "'a' is already defined");
  EXPECT_FALSE(lets.add(expr("2"), expr("x")));
  EXPECT_FALSE(lets.add(call("exp", {sym("x")}), expr("x")));
}

// A sum's index is its own: a definition of the same name is not written into the sum's body (only its
// bounds), and a value is not folded where the sum rebinds its symbols or the name.
TEST(LetBindings, ASumKeepsItsIndex) {
  LetBindings five;
  ASSERT_TRUE(five.add(sym("k"), expr("5")));
  EXPECT_EQ(five.expand(expr("k*sum(k*x, k, 1, k)")), expr("5*sum(k*x, k, 1, 5)"));
  EXPECT_EQ(five.expand(expr("sum(sum(k*j, j, 1, k), i, 1, n)")), expr("sum(sum(5*j, j, 1, 5), i, 1, n)"));
  EXPECT_FALSE(five.capture_in(expr("sum(k*x, k, 1, n)")));

  LetBindings square;
  ASSERT_TRUE(square.add(sym("h"), expr("x[k]^2")));
  EXPECT_EQ(square.fold(expr("x[k]^2 + sum(x[k]^2, k, 1, n)")), expr("h + sum(x[k]^2, k, 1, n)"));

  LetBindings named_k;
  ASSERT_TRUE(named_k.add(sym("k"), expr("y + 1")));
  EXPECT_EQ(named_k.fold(expr("(y + 1)*sum((y + 1)*x[k], k, 1, y + 1)")), expr("k*sum((y + 1)*x[k], k, 1, k)"));

  // Written out, h = k + 1 would become the sum's own k: refused, wherever the sum is.
  LetBindings shifted;
  ASSERT_TRUE(shifted.add(sym("h"), expr("k + 1")));
  const std::optional<LetBindings::Capture> captured = shifted.capture_in(expr("2 + exp(sum(h*x[k], k, 1, n))"));
  ASSERT_TRUE(captured);
  EXPECT_EQ(captured->name, sym("h"));
  EXPECT_EQ(captured->message, "'h' is used inside a sum over 'k', which its value holds; rename the sum's index");
  EXPECT_FALSE(shifted.capture_in(expr("h*sum(x[k], k, 1, n)")));
  EXPECT_FALSE(shifted.capture_in(expr("sum(h*x[m], m, 1, n)")));
}

TEST(LetBindings, FoldsEveryExpressionOfADerivation) {
  LetBindings lets;
  ASSERT_TRUE(lets.add(sym("s"), expr("sigmoid(x)")));
  DiffOptions options;
  const Derivation d = lets.fold(differentiate(expr("sigmoid(x)^2"), sym("x"), rules(), options));
  EXPECT_EQ(d.result, expr("2*s^2*(1 - s)")) << print(d.result);
  for (const Step& s : d.steps) {
    EXPECT_FALSE(contains(s.after, expr("sigmoid(x)"))) << print(s.after);
  }
}

// The example: each printed entry parses, is (h - y)*x_i, and with h written out is GiNaC's
// derivative of the loss.
TEST(LetCli, LogisticLossGradientIsFolded) {
  const std::string loss = "-y*log(h) - (1-y)*log(1-h)";
  const std::string h = "sigmoid(w1*x1 + w2*x2 + b)";
  Ran r = run_napier({"grad", loss, "--let", "h = " + h, "--wrt", "w1,w2,b", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json out = Json::parse(r.out);
  EXPECT_EQ(out["let"]["h"], h);
  EXPECT_EQ(out["check"]["ginac"], true);
  const std::vector<std::string> expected = {"(h - y)*x1", "(h - y)*x2", "h - y"};
  const std::vector<std::string> wrt = {"w1", "w2", "b"};
  LetBindings lets;
  ASSERT_TRUE(lets.add(sym("h"), expr(h)));
  const Expr f = lets.expand(expr("-y*log(h) - (1 - y)*log(1 - h)"));
  ASSERT_EQ(out["gradient"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::string entry = out["gradient"][i];
    EXPECT_EQ(entry, expected[i]);
    const CheckResult c = check_derivative(f, sym(wrt[i]), lets.expand(expr(entry)));
    EXPECT_TRUE(c.holds) << entry << ": " << describe(c, expr(entry), derivative(f, sym(wrt[i])));
  }
  r = run_napier({"grad", loss, "--let", "h = " + h, "--wrt", "w1,w2,b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[(h - y)*x1, (h - y)*x2, h - y]\n");
}

TEST(LetCli, MeanSquaredErrorGradientIsFolded) {
  const Ran r = run_napier({"grad", "(h - y)^2/2", "--let", "h = w1*x1 + w2*x2 + b", "--wrt", "w1,w2,b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[(h - y)*x1, (h - y)*x2, h - y]\n");
}

TEST(LetCli, TanhUnitAndGeluAreFoldedAndAgreeWithGinac) {
  Ran r = run_napier({"grad", "(a - y)^2/2", "--let", "a = tanh(w*x + b)", "--wrt", "w,b", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json out = Json::parse(r.out);
  EXPECT_EQ(out["gradient"], Json({"(a - y)*(1 - a^2)*x", "(a - y)*(1 - a^2)"}));
  EXPECT_EQ(out["check"]["ginac"], true);
  // GELU, tanh form: 0.5*x*(1 + tanh(u)), u = sqrt(2/pi)*(x + 0.044715*x^3); decimals are exact rationals
  r = run_napier({"diff", "0.5*x*(1 + tanh(u))", "--let", "u = sqrt(2/pi)*(x + 0.044715*x^3)", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = Json::parse(r.out);
  EXPECT_EQ(out["result"], "1/2*(1 + tanh(u) + x*(1 - tanh(u)^2)*sqrt(2/pi)*(1 + 26829/200000*x^2))");
  EXPECT_EQ(out["check"]["ginac"], true);
}

TEST(LetCli, StepsReadInTheUsersNamesAndAreVerified) {
  const std::vector<std::string> args = {"-y*log(h) - (1-y)*log(1-h)", "--let", "h = sigmoid(w*x + b)", "--wrt", "w"};
  std::vector<std::string> diff = {"diff"};
  diff.insert(diff.end(), args.begin(), args.end());
  diff.push_back("--steps");
  Ran r = run_napier(diff);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("d/dw(h)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[expand and collect like terms]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Result: (h - y)*x\nGiNaC agrees"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("sigmoid(w*x + b)"), std::string::npos) << r.out;
  std::vector<std::string> verify = {"verify"};
  verify.insert(verify.end(), args.begin(), args.end());
  r = run_napier(verify);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // every step, read with h expanded, is a true equation
}

TEST(LetCli, HessianAndMixedPartialFoldToo) {
  Ran r = run_napier({"hessian", "log(1 + exp(z))", "--let", "z = w*x + b", "--wrt", "w,b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[sigmoid(z)*(1 - sigmoid(z))*x^2, sigmoid(z)*(1 - sigmoid(z))*x]\n"
                   "[sigmoid(z)*(1 - sigmoid(z))*x,   sigmoid(z)*(1 - sigmoid(z))]\n");
  r = run_napier({"diff", "u^3", "--let", "u = x*y", "--wrt", "x,y", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json out = Json::parse(r.out);
  EXPECT_EQ(out["check"]["ginac"], true);
  EXPECT_EQ(out["let"]["u"], "x*y");
}

TEST(LetCli, BadDefinitionsAreOneLineAndExitTwo) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"h = h + 1", "napier: error: --let h = h + 1: 'h' is defined in terms of itself\n"},
      {"h", "napier: error: --let h: expected NAME = EXPR\n"},
      {"2 = x", "napier: error: --let 2 = x: the left side of a definition must be a name\n"},
      {"h = (", "napier: error: --let h = (: column 6: unexpected end of input\n"},
  };
  for (const auto& [let, message] : cases) {
    const Ran r = run_napier({"diff", "h*x", "--let", let});
    EXPECT_EQ(r.exit_code, 2) << let;
    EXPECT_EQ(r.err, message) << let;
  }
  const Ran captured = run_napier({"grad", "sum(h*x[k], k, 1, n)", "--let", "h = k + 1", "--wrt", "x[j]"});
  EXPECT_EQ(captured.exit_code, 2);
  EXPECT_EQ(captured.err, "napier: error: --let h = k + 1: 'h' is used inside a sum over 'k', which its value holds; "
                          "rename the sum's index\n");
  const Ran twice = run_napier({"grad", "a*x", "--let", "a = b + 1", "--let", "b = 2*a"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.err, "napier: error: --let b = 2*a: 'b' is defined in terms of itself (through another definition)\n");
}

}  // namespace
}  // namespace napier
