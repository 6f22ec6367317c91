// napier::check_equal over the textbook identities of tests/data/identities.tsv: the verdict of every row,
// its kind where the row names one, and for every refutation a counterexample that really is one: both
// sides evaluated independently at the reported point differ.
#include <gtest/gtest.h>

#include <cln/float.h>
#include <cln/real.h>

#include <fstream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/piecewise.hpp"
#include "napier/rules.hpp"
#include "napier/ginac_bridge.hpp"
#include "napier/numeric.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"

namespace napier {
namespace {

struct Identity {
  int line = 0;
  std::string text;
  bool holds = false;
  std::string how;  // "" when the row leaves it open ("-")
  std::string source;
};

void PrintTo(const Identity& row, std::ostream* os) { *os << "identities.tsv:" << row.line << " \"" << row.text << "\""; }

struct Table {
  std::vector<Identity> rows;
  std::vector<std::string> problems;
};

const Table& table() {
  static const Table t = [] {
    Table result;
    const std::string path = std::string(NAPIER_TEST_DATA) + "/identities.tsv";
    std::ifstream in(path);
    if (!in) {
      result.problems.push_back("cannot open " + path);
      return result;
    }
    std::string line;
    bool header_seen = false;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.empty() || line[0] == '#') continue;
      if (!header_seen) {
        header_seen = true;
        continue;
      }
      std::vector<std::string> f;
      for (std::size_t start = 0;;) {
        const std::size_t tab = line.find('\t', start);
        f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
      }
      const std::string where = "identities.tsv:" + std::to_string(number) + ": ";
      if (f.size() < 2 || f.size() > 4) {
        result.problems.push_back(where + "expected 2 to 4 fields");
        continue;
      }
      Identity row;
      row.line = number;
      row.text = f[0];
      if (f[1] != "true" && f[1] != "false") result.problems.push_back(where + "holds must be true or false");
      row.holds = f[1] == "true";
      row.how = f.size() > 2 && f[2] != "-" ? f[2] : "";
      if (!row.how.empty() && row.how != "proved" && row.how != "numeric" && row.how != "refuted" &&
          row.how != "undecided") {
        result.problems.push_back(where + "unknown how '" + row.how + "'");
      }
      if (f.size() > 3) row.source = f[3];
      result.rows.push_back(row);
    }
    return result;
  }();
  return t;
}

// e with its unevaluated derivatives worked out by GiNaC, so that it can be evaluated at a point.
Expr without_derivatives(Expr e) {
  bool has = false;
  std::vector<Expr> stack{e};
  while (!stack.empty() && !has) {
    Expr top = stack.back();
    stack.pop_back();
    has = top.is(Kind::Derivative);
    for (Expr a : top.args()) stack.push_back(a);
  }
  if (!has) return e;
  // A piecewise function's derivative, piece by piece (piecewise.hpp): d/dx if(c, a, b) = if(c, a', b').
  if (e.is(Kind::Derivative) && has_pieces(RuleSet::shipped().expand_user_definitions(e[0]))) {
    const std::optional<Expr> d =
        derivative_by_pieces(RuleSet::shipped().expand_user_definitions(e[0]), e[1], without_derivatives);
    if (!d) throw std::runtime_error("too many pieces");
    return *d;
  }
  GinacContext context;
  Result<GiNaC::ex> g = to_ginac(e, context);
  if (!g) throw std::runtime_error(g.error().message);
  Result<Expr> back = from_ginac(*g);
  if (!back) throw std::runtime_error(back.error().message);
  return *back;
}

// Evaluated at 120 digits, different by far more than rounding: |a - b| > 1e-100 * max(1, |a|, |b|).
// (Fine enough for 10^50 + 1 against 10^50.)
constexpr int kDigits = 120;
bool really_different(const cln::cl_R& a, const cln::cl_R& b) {
  const cln::cl_R scale = cln::max(cln::cl_R(1), cln::max(cln::abs(a), cln::abs(b)));
  return cln::abs(a - b) > scale * (cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 100));
}

class IdentityRow : public testing::TestWithParam<Identity> {};

TEST(IdentityTable, IsWellFormedAndLargeEnough) {
  for (const std::string& p : table().problems) ADD_FAILURE() << p;
  int truths = 0, falsehoods = 0;
  for (const Identity& row : table().rows) (row.holds ? truths : falsehoods) += 1;
  EXPECT_GE(truths + falsehoods, 80);
  EXPECT_GE(truths, 40);
  EXPECT_GE(falsehoods, 20);
}

// Regression (fixed): rows marked "# BUG:" in the table fail until napier is fixed:
//   "1 + 10^(-45) = 1", "x + 10^(-50) = x": equal to 40 digits is taken for equal, although L - R is a
//   nonzero exact number (GiNaC's normal(L - R) is 10^-45, 10^-50).
TEST_P(IdentityRow, Verdict) {
  const Identity& row = GetParam();
  const std::string where = "identities.tsv:" + std::to_string(row.line) + ": " + row.text;
  Result<Expr> e = parse(row.text);
  ASSERT_TRUE(e.ok()) << where << ": " << e.error().to_string();
  ASSERT_TRUE(e->is(Kind::Equation)) << where;
  const Expr lhs = (*e)[0], rhs = (*e)[1];
  const CheckResult result = check_equal(lhs, rhs);
  const std::string verdict = describe(result, lhs, rhs);
  EXPECT_EQ(result.holds, row.holds) << where << "\n  napier: " << verdict;
  if (!row.how.empty()) {
    EXPECT_EQ(how_name(result.how), row.how) << where << "\n  napier: " << verdict;
  }
  EXPECT_EQ(result.holds, result.how == How::Proved || result.how == How::Numeric) << where;
  if (result.how == How::Numeric) {
    EXPECT_GE(result.points_agreed, 1) << where;
  }
  if (result.how != How::Refuted) {
    EXPECT_FALSE(result.counterexample.has_value()) << where;
    return;
  }
  ASSERT_TRUE(result.counterexample.has_value()) << where << ": refuted without a counterexample";
  const Counterexample& c = *result.counterexample;
  // The point assigns exactly the identity's symbols.
  std::vector<std::string> names;
  for (Expr s : free_symbols(*e)) names.push_back(s.name());
  std::vector<std::string> assigned;
  for (const auto& [name, value] : c.point) assigned.push_back(name);
  EXPECT_EQ(assigned, names) << where;
  // Evaluated here, independently of check_equal: the two sides differ at the point.
  const Expr l_expr = without_derivatives(lhs), r_expr = without_derivatives(rhs);
  const std::optional<cln::cl_R> l = evaluate(l_expr, c.point, {kDigits});
  const std::optional<cln::cl_R> r = evaluate(r_expr, c.point, {kDigits});
  // A counterexample is a point where both sides are defined (issue 19: never one where a side is not).
  ASSERT_TRUE(l.has_value()) << where << ": the left side is undefined at " << describe_point(c.point);
  ASSERT_TRUE(r.has_value()) << where << ": the right side is undefined at " << describe_point(c.point);
  EXPECT_TRUE(really_different(*l, *r)) << where << ": both sides are " << describe_value(*l) << " at "
                                        << describe_point(c.point);
}

std::string row_name(const testing::TestParamInfo<Identity>& info) {
  return "line_" + std::to_string(info.param.line);
}
INSTANTIATE_TEST_SUITE_P(Table, IdentityRow, testing::ValuesIn(table().rows), row_name);

Expr lhs_of(const char* text) { return (*parse(text))[0]; }
Expr rhs_of(const char* text) { return (*parse(text))[1]; }

// The one-line verdicts the CLI prints (README, check.hpp).
TEST(CheckDescribe, Refutation) {
  const char* text = "sqrt(x^2) = x";
  const CheckResult r = check_equal(lhs_of(text), rhs_of(text));
  ASSERT_EQ(r.how, How::Refuted);
  // -1 is the first simple point where the sides differ (1 agrees).
  EXPECT_EQ(describe_point(r.counterexample->point), "x = -1");
  EXPECT_EQ(describe(r, lhs_of(text), rhs_of(text)), "refuted at x = -1 (sqrt(x^2) = 1, x = -1)");
}

TEST(CheckDescribe, Proof) {
  const char* text = "sigmoid(x) + sigmoid(-x) = 1";
  const CheckResult r = check_equal(lhs_of(text), rhs_of(text));
  EXPECT_EQ(describe(r, lhs_of(text), rhs_of(text)), "proved (GiNaC: normal(L - R) = 0)");
}

TEST(CheckDescribe, NumericCountsPointsAndSkips) {
  const char* text = "sin(asin(x)) = x";  // asin is undefined outside [-1, 1]: such points are skipped
  CheckOptions options;
  options.try_symbolic = false;
  const CheckResult r = check_equal(lhs_of(text), rhs_of(text), options);
  ASSERT_EQ(r.how, How::Numeric);
  EXPECT_EQ(r.points_agreed, options.points);
  EXPECT_GT(r.points_skipped, 0);
  EXPECT_EQ(describe(r, lhs_of(text), rhs_of(text)),
            "numeric (equal at 20 points at 50 and 200 digits, " + std::to_string(r.points_skipped) +
                " skipped where a side is undefined; only where both sides are defined: at x = 2 only the right side is)");
}

// Regression (fixed): an identity without symbols is tested at one point and described as "equal at 1 points".
TEST(CheckDescribe, OnePointIsSingular) {
  const char* text = "log(8, 2) = 3";
  const CheckResult r = check_equal(lhs_of(text), rhs_of(text));
  ASSERT_EQ(r.how, How::Numeric);
  EXPECT_EQ(describe(r, lhs_of(text), rhs_of(text)), "numeric (equal at 1 point at 50 and 200 digits)");
}

// Regression (fixed): without symbols the point is empty and the line reads "refuted at  (2^(1/3) = ...": "at" names
// nothing and two spaces follow.
TEST(CheckDescribe, RefutationWithoutSymbols) {
  const char* text = "2^(1/3) = 1.26";
  const CheckResult r = check_equal(lhs_of(text), rhs_of(text));
  ASSERT_EQ(r.how, How::Refuted);
  EXPECT_TRUE(r.counterexample->point.empty());
  const std::string line = describe(r, lhs_of(text), rhs_of(text));
  EXPECT_EQ(line.find("at  ("), std::string::npos) << line;
  EXPECT_NE(line.find("2^(1/3) = 1.25992104989"), std::string::npos) << line;
}

TEST(CheckOptionsTest, WithoutSymbolicProofAProvedIdentityIsNumeric) {
  const char* text = "exp(a + b) = exp(a)*exp(b)";
  CheckOptions options;
  options.try_symbolic = false;
  EXPECT_EQ(check_equal(lhs_of(text), rhs_of(text)).how, How::Proved);
  EXPECT_EQ(check_equal(lhs_of(text), rhs_of(text), options).how, How::Numeric);
}

// Too few points where both sides are defined: neither true nor refuted.
TEST(CheckOptionsTest, UndecidedWhenNoPointIsDefined) {
  const char* text = "sqrt(-1 - x^2) = log(-1 - x^2)";
  const CheckResult r = check_equal(lhs_of(text), rhs_of(text));
  EXPECT_FALSE(r.holds);
  EXPECT_EQ(r.how, How::Undecided);
  EXPECT_FALSE(r.counterexample.has_value());
  EXPECT_EQ(r.points_agreed, 0);
}

// The same question gets the same answer, to the byte: points are seeded, not random per run.
TEST(CheckDeterminism, SameVerdictTwice) {
  for (const char* text : {"atan(x) + atan(1/x) = pi/2", "sin(x)^2 + cos(x)^2 = 1", "x^2 = 2^x"}) {
    const CheckResult a = check_equal(lhs_of(text), rhs_of(text));
    const CheckResult b = check_equal(lhs_of(text), rhs_of(text));
    EXPECT_EQ(describe(a, lhs_of(text), rhs_of(text)), describe(b, lhs_of(text), rhs_of(text))) << text;
  }
}

TEST(CheckDerivative, AgreesWithGinac) {
  EXPECT_TRUE(check_derivative(*parse("sigmoid(x)"), sym("x"), *parse("sigmoid(x)*(1 - sigmoid(x))")).holds);
  EXPECT_TRUE(check_derivative(*parse("x^3"), sym("x"), *parse("3x^2")).holds);
  const CheckResult wrong = check_derivative(*parse("x^3"), sym("x"), *parse("3x^3"));
  EXPECT_FALSE(wrong.holds);
  EXPECT_EQ(wrong.how, How::Refuted);
}

// A context keeps what it converted: the second conversion of a node (or of a larger expression holding it)
// converts only what is new, and gives the same GiNaC expression in the same symbols.
TEST(GinacBridge, AContextConvertsANodeOnce) {
  GinacContext context;
  const Expr f = *parse("sigmoid(x1) + sigmoid(x2) + x1*x2");
  Result<GiNaC::ex> first = to_ginac(f, context);
  ASSERT_TRUE(first);
  const std::size_t after_first = context.converted_count();
  // x1, x2, the product, the sum; each sigmoid goes in by its definition 1/(1 + exp(-t)) (rules/): the call,
  // the quotient, 1 + exp(-t), exp(-t) and -t, five nodes each; and the numbers 1 and -1 once.
  EXPECT_EQ(after_first, 16u);
  Result<GiNaC::ex> again = to_ginac(f, context);
  ASSERT_TRUE(again);
  EXPECT_EQ(context.converted_count(), after_first);
  EXPECT_TRUE(first->is_equal(*again));
  Result<GiNaC::ex> derivative = to_ginac(napier::derivative(f, sym("x1")), context);
  ASSERT_TRUE(derivative);
  EXPECT_EQ(context.converted_count(), after_first + 1);  // f and x1 were known: the d/dx1 node only
  // GiNaC's derivative in the same symbols: d/dx1 (sigmoid(x1) + x1*x2) - exp(-x1)/(1 + exp(-x1))^2 - x2 = 0
  const GiNaC::ex x1 = context.symbol("x1"), x2 = context.symbol("x2");
  EXPECT_TRUE(GiNaC::normal(*derivative - GiNaC::exp(-x1) / GiNaC::pow(1 + GiNaC::exp(-x1), 2) - x2).is_zero());
}

// A sum of many sigmoids: normal() would bring n different denominators over one (hours at n = 30), so the
// proof is not tried past the limit and the points decide; a wrong answer is still refuted.
TEST(CheckDerivative, ManyDifferentDenominatorsAreDecidedAtPoints) {
  std::string f = "sigmoid(x + 1)", right = "sigmoid(x + 1)*(1 - sigmoid(x + 1))";
  for (int k = 2; k <= 40; ++k) {
    const std::string s = "sigmoid(x + " + std::to_string(k) + ")";
    f += " + " + s;
    right += " + " + s + "*(1 - " + s + ")";
  }
  const CheckResult agreed = check_derivative(*parse(f), sym("x"), *parse(right));
  EXPECT_TRUE(agreed.holds);
  EXPECT_EQ(agreed.how, How::Numeric);
  EXPECT_EQ(agreed.note, "more than 12 different denominators: not handed to normal() (limit)");
  const CheckResult wrong = check_derivative(*parse(f), sym("x"), *parse(right + " + sigmoid(x)/1000"));
  EXPECT_FALSE(wrong.holds);
  EXPECT_EQ(wrong.how, How::Refuted);
  // Below the limit the proof is still GiNaC's.
  EXPECT_EQ(check_derivative(*parse("sigmoid(x + 1) + sigmoid(x + 2)"), sym("x"),
                             *parse("sigmoid(x + 1)*(1 - sigmoid(x + 1)) + sigmoid(x + 2)*(1 - sigmoid(x + 2))"))
                .how,
            How::Proved);
}

}  // namespace
// The values of calls are kept per point for the thread (numeric.cpp, KeptValues): a second evaluation at the
// same point takes them, and must still report what their evaluation met. Here the huge term 10^30 inside
// sin(...) makes the report's largest term (a sum that cancels it has no correct digit left), and exp of
// 10^7 is beyond what is evaluated: reported the first time, and again when the call's value is taken.
TEST(NumericReports, AKeptValueReportsWhatItsEvaluationMet) {
  const Expr y = sym("kept_y");
  const Expr huge = pow(num(10), num(30));
  const Expr absorbed = call("sin", {add({y, huge, neg(huge)})});
  const Expr too_large = call("exp", {mul(pow(num(10), num(7)), y)});
  const Point point{{"kept_y", cln::cl_RA(1) / 3}};
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round == 0 ? "computed" : "kept");
    EvalReport alone, inside;
    ASSERT_TRUE(evaluate(absorbed, point, {}, alone).has_value());
    EXPECT_GE(alone.largest_term, cln::cl_R(cln::expt_pos(cln::cl_I(10), 30)) / 2);
    ASSERT_TRUE(evaluate(mul(num(2), absorbed), point, {}, inside).has_value());
    EXPECT_GE(inside.largest_term, cln::cl_R(cln::expt_pos(cln::cl_I(10), 30)) / 2);
    bool beyond = false;
    EXPECT_FALSE(evaluate(add(num(1), too_large), point, {}, &beyond).has_value());
    EXPECT_TRUE(beyond);
    // The same call at another precision is another value: it is computed, not taken.
    const std::optional<cln::cl_R> fine = evaluate(absorbed, point, {120});
    ASSERT_TRUE(fine.has_value());
    EXPECT_GE(cln::float_digits(cln::the<cln::cl_F>(*fine)), 390u) << "bits of a 120-digit value";
  }
}

}  // namespace napier
