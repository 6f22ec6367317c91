// Vectors of symbolic length (indexed.hpp, rules/45-indexed.rules): sum(body, k, lo, hi) and delta(i, j) in
// the syntax, differentiation with respect to a component x[j], the softmax derivation with a symbolic n,
// and the check by instantiation at n = 2..4. The derivatives of tests/data/derivatives-indexed.tsv are
// checked by derivatives_test.cpp; here: what those rows cannot say.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/indexed.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"
#include "napier/verify.hpp"

namespace {

using namespace napier;

Expr p(const std::string& text) {
  Result<Expr> e = parse(text);
  EXPECT_TRUE(e) << text << ": " << (e ? "" : e.error().to_string());
  return e ? *e : sym("parse_error");
}

const RuleSet& rules() {
  static const Result<RuleSet> r = RuleSet::load_default();
  EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
  static const RuleSet empty;
  return r ? *r : empty;
}

// ---------------------------------------------------------------------------------------------------------
// Syntax

TEST(IndexedSyntax, RoundTrips) {
  for (const char* text : {"sum(exp(x[k]), k, 1, n)", "delta(i, j)", "softmax(x)[i]*(delta(i, j) - softmax(x)[j])",
                           "sum(sum(a[k]*b[m], m, 1, k), k, 1, n - 1)", "diff(x[k]^2, x[j])", "diff(x[2], x[1])"}) {
    const Expr e = p(text);
    EXPECT_EQ(print(e), text);
    EXPECT_EQ(p(print(e)), e) << text;
  }
  const Expr s = p("sum(exp(x[k]), k, 1, n)");
  ASSERT_TRUE(s.is_call("sum"));
  EXPECT_EQ(s[1], sym("k"));
  EXPECT_EQ(s[0], call("exp", {index(sym("x"), sym("k"))}));
  EXPECT_EQ(p("diff(x[k], x[j])"), derivative(index(sym("x"), sym("k")), index(sym("x"), sym("j"))));
}

struct BadRow {
  const char* text;
  int column;
  const char* message;
};

TEST(IndexedSyntax, BadInputsNameTheColumn) {
  const BadRow rows[] = {
      {"sum(x, 1, 1, n)", 1, "sum(body, k, lo, hi) needs a symbol as its index variable k"},
      {"2 + sum(x[k], 2*k, 1, n)", 5, "sum(body, k, lo, hi) needs a symbol as its index variable k"},
      {"sum(x[k], k, 1)", 1, "function 'sum' takes 4 arguments, got 3"},
      {"delta(i)", 1, "function 'delta' takes 2 arguments, got 1"},
      {"x + delta(i, j, k)", 5, "function 'delta' takes 2 arguments, got 3"},
      {"diff(x[k], x[1.5])", 14, "an index must be a positive integer (indices start at 1)"},
      {"diff(x[k], x[j + 1])", 1, "diff(f, x) needs a symbol as its second argument"},
      {"sum + 1", 1, "function 'sum' needs its arguments in parentheses"},
  };
  for (const BadRow& row : rows) {
    Result<Expr> e = parse(row.text);
    ASSERT_FALSE(e) << row.text << " parsed as " << print(*e);
    EXPECT_EQ(e.error().message, row.message) << row.text;
    EXPECT_EQ(e.error().column, row.column) << row.text;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Structure: what depends on x[j], substitution, instantiation

TEST(Indexed, ComponentsDependOnEveryComponent) {
  const Expr xj = p("x[j]");
  EXPECT_TRUE(depends_on(p("x[k]"), xj));  // k may be j
  EXPECT_TRUE(depends_on(p("softmax(x)[i]"), xj));
  EXPECT_TRUE(depends_on(p("sum(exp(x[k]), k, 1, n)"), xj));
  EXPECT_FALSE(depends_on(p("delta(i, j)"), xj));
  EXPECT_FALSE(depends_on(p("y[j]*n"), xj));
  EXPECT_FALSE(depends_on(p("x[k]"), p("y[j]")));
}

// A sum binds its index: what holds it depends on the index only through the bounds, however deep the sum
// is (the node summaries that answer depends_on without a walk leave every sum to the walk).
TEST(Indexed, ASumsIndexIsBoundInside) {
  const Expr k = sym("k"), n = sym("n");
  EXPECT_FALSE(depends_on(p("sum(k^2, k, 1, 10)"), k));
  EXPECT_FALSE(depends_on(p("2*sum(k^2, k, 1, 10) + 1"), k));
  EXPECT_TRUE(depends_on(p("sum(k^2, k, 1, k)"), k));
  EXPECT_TRUE(depends_on(p("2*sum(k, k, 1, n)"), n));
  EXPECT_TRUE(depends_on(p("k*sum(k, k, 1, 10)"), k));
  EXPECT_FALSE(depends_on(p("3*x^2"), n));
  EXPECT_TRUE(depends_on(p("3*n^2"), n));
}

TEST(Indexed, SubstitutionLeavesARebindingSumAlone) {
  EXPECT_EQ(substitute_index(p("exp(x[k])*delta(k, j)"), sym("k"), sym("j")), p("exp(x[j])*delta(j, j)"));
  // The inner sum binds k again: only its bounds see the outer k.
  EXPECT_EQ(substitute_index(p("x[k] + sum(x[k], k, 1, k)"), sym("k"), sym("j")), p("x[j] + sum(x[k], k, 1, j)"));
}

TEST(Indexed, Instantiation) {
  EXPECT_EQ(instantiate_indexed(p("sum(x[k]^2, k, 1, n)"), {{"n", 3}}), p("x_1^2 + x_2^2 + x_3^2"));
  EXPECT_EQ(instantiate_indexed(p("delta(i, j)*x[j]"), {{"i", 2}, {"j", 2}}), p("1*x_2"));
  EXPECT_EQ(instantiate_indexed(p("delta(i, j)"), {{"i", 1}, {"j", 2}}), num(0));
  EXPECT_EQ(instantiate_indexed(p("softmax(x)[i]"), {{"n", 2}, {"i", 2}}), p("softmax(x_1, x_2)[2]"));
  EXPECT_EQ(instantiate_indexed(p("diff(x[i], x[j])"), {{"i", 1}, {"j", 1}}), derivative(sym("x_1"), sym("x_1")));
  EXPECT_THROW(instantiate_indexed(p("sum(x[k], k, 1, m)"), {{"n", 2}}), std::invalid_argument);

  const IndexSymbols s = index_symbols({p("softmax(x)[i]*(delta(i, j) - softmax(x)[j])")});
  EXPECT_EQ(s.lengths, std::vector<std::string>{"n"});
  EXPECT_EQ(s.indices, (std::vector<std::string>{"i", "j"}));
  EXPECT_EQ(instances(s).size(), 4u + 9u + 16u);  // n = 2, 3, 4 and every i, j in 1..n
  // The summation index is bound: not an index symbol of its own.
  EXPECT_TRUE(index_symbols({p("sum(x[k], k, 1, n)")}).indices.empty());
}

TEST(Indexed, CheckByInstantiation) {
  const CheckResult yes = check_equal(p("sum(delta(k, j), k, 1, n)"), num(1));
  EXPECT_TRUE(yes.holds);
  EXPECT_EQ(yes.how, How::Proved);
  EXPECT_EQ(yes.instantiated, "n = 2..4, j = 1..n: 9 instances");

  // True at n = 2 for i = j only: refuted, and the instance is part of the counterexample.
  const CheckResult no = check_equal(p("softmax(x)[i]*(1 - softmax(x)[j])"),
                                     derivative(p("softmax(x)[i]"), p("x[j]")));
  EXPECT_FALSE(no.holds);
  ASSERT_EQ(no.how, How::Refuted);
  ASSERT_TRUE(no.counterexample);
  EXPECT_EQ(no.counterexample->point.count("n"), 1u);
  EXPECT_NE(no.counterexample->point.at("i"), no.counterexample->point.at("j"));

  // softmax(x1, x2)[1] = sigmoid(x1 - x2): fixed n, GiNaC directly, no instances.
  const CheckResult fixed = check_equal(p("softmax(x1, x2)[1]"), p("sigmoid(x1 - x2)"));
  EXPECT_TRUE(fixed.holds);
  EXPECT_TRUE(fixed.instantiated.empty());
  // softmax(x)[1] with a plain x keeps its meaning: a vector of one element.
  EXPECT_TRUE(check_equal(p("softmax(x)[1]"), num(1)).holds);
}

// Sifting is taken only where lo <= j <= hi is known (numbers) or is the assumption an index lies in 1..n.
TEST(Indexed, SiftingRange) {
  const struct {
    const char *j, *lo, *hi;
    bool in, out;
  } rows[] = {
      {"2", "1", "3", true, false},  {"1", "1", "3", true, false}, {"3", "1", "3", true, false},
      {"5", "1", "3", false, true},  {"1", "2", "n", false, true}, {"1", "2", "4", false, true},
      {"3", "1", "n", true, false},  {"j", "1", "n", true, false}, {"j", "1", "3", false, false},
      {"j", "2", "n", false, false}, {"j", "m", "n", false, false}, {"j", "j", "n", true, false},
      {"j", "0", "m", true, false},  {"4", "2", "n - 1", false, false},
  };
  for (const auto& row : rows) {
    const std::string where = std::string(row.j) + " in " + row.lo + ".." + row.hi;
    EXPECT_EQ(index_in_range(p(row.j), p(row.lo), p(row.hi)), row.in) << where;
    EXPECT_EQ(index_outside_range(p(row.j), p(row.lo), p(row.hi)), row.out) << where;
  }
}

// The instances read the derivative's domain (its f) too: a wrong sifting is refuted at the index it misses,
// not left undecided because no point lay in a domain written with a sum.
TEST(Indexed, AWrongSiftingIsRefuted) {
  const struct {
    const char *f, *wrt;
    const char* index;  // j at the counterexample ("" when the variable is a number)
  } rows[] = {
      {"sum(x[k], k, 2, n)", "x[1]", ""}, {"sum(x[k], k, 2, n)", "x[j]", "1"}, {"sum(x[k], k, 1, 3)", "x[j]", "4"},
      {"sum(x[k], k, 1, 3)", "x[5]", ""}, {"sum(x[k]^2, k, 2, 4)", "x[1]", ""},
  };
  for (const auto& row : rows) {
    const Expr f = p(row.f), x = p(row.wrt);
    const CheckResult c = check_derivative(f, x, num(1));  // what sifting without the range test gave
    EXPECT_EQ(c.how, How::Refuted) << row.f << " by " << row.wrt << ": " << describe(c, num(1), derivative(f, x));
    if (c.counterexample && *row.index != '\0') {
      EXPECT_EQ(c.counterexample->point.at("j"), cln::cl_RA(std::stol(row.index))) << row.f;
    }
  }
}

// An instance that stays undecided is named once, in `instantiated`; the note is the instance's own.
TEST(Indexed, UndecidedInstanceIsNamedOnce) {
  const CheckResult c = check_equal(p("sum(sqrt(-1 - x[k]^2), k, 1, n)"), num(0));
  EXPECT_EQ(c.how, How::Undecided);
  EXPECT_EQ(c.note, "only 0 of 400 points have both sides defined");
  EXPECT_EQ(c.instantiated, "n = 2, one of n = 2..4: 3 instances");
  const CheckResult big = check_equal(p("sum(x[k], k, 1, 2000)"), num(0));
  EXPECT_EQ(big.how, How::Undecided);
  EXPECT_EQ(big.note, "a sum of more than 1000 terms");
  EXPECT_EQ(big.instantiated, "its one instance (no symbolic length or index)");
}

// ---------------------------------------------------------------------------------------------------------
// The softmax derivation

TEST(IndexedDerivation, SoftmaxWithSymbolicN) {
  const Expr f = p("softmax(x)[i]"), xj = p("x[j]");
  const Derivation d = differentiate(f, xj, rules());
  EXPECT_EQ(print(d.result), "softmax(x)[i]*(delta(i, j) - softmax(x)[j])");

  std::vector<std::string> names;
  for (const Step& s : d.steps) names.push_back(s.rule);
  const std::vector<std::string> expected = {"softmax_symbolic", "quotient", "chain", "kronecker", "sum_inside",
                                             "chain", "kronecker", "sift", "factor_quotient_delta",
                                             "fold_softmax_symbolic", "fold_softmax_symbolic"};
  EXPECT_EQ(names, expected);
  // The steps a reader looks for, with their labels.
  EXPECT_EQ(print(d.steps[0].contractum), "diff(exp(x[i])/sum(exp(x[k]), k, 1, n), x[j])");
  EXPECT_EQ(print(d.steps[3].redex), "diff(x[i], x[j])");
  EXPECT_EQ(print(d.steps[3].contractum), "delta(i, j)");
  EXPECT_NE(d.steps[3].label.find("Kronecker"), std::string::npos);
  EXPECT_EQ(print(d.steps[7].redex), "sum(exp(x[k])*delta(k, j), k, 1, n)");
  EXPECT_EQ(print(d.steps[7].contractum), "exp(x[j])");
  EXPECT_NE(d.steps[7].label.find("sifting"), std::string::npos);
  EXPECT_NE(d.steps[7].label.find("lo <= j <= hi"), std::string::npos);

  // Every step is a true equation, whole expression before = after, at every instance.
  for (std::size_t k = 0; k < d.steps.size(); ++k) {
    const CheckResult c = check_equal(d.steps[k].before, d.steps[k].after);
    EXPECT_TRUE(c.holds) << "step " << k + 1 << " [" << d.steps[k].rule << "]: " << describe(c, d.steps[k].before, d.steps[k].after);
    EXPECT_FALSE(c.instantiated.empty());
  }
  for (const StepCheck& c : verify_steps(d)) EXPECT_TRUE(c.result.holds) << "step " << c.index + 1;

  const CheckResult verdict = check_derivative(f, xj, d.result);
  EXPECT_TRUE(verdict.holds);
  EXPECT_EQ(verdict.how, How::Proved);
  EXPECT_EQ(verdict.instantiated, "n = 2..4, i, j = 1..n: 29 instances");
  // The fast path agrees.
  EXPECT_TRUE(check_equal(derivative_of(f, xj, rules()), d.result).holds);
}

struct DerivativeRow {
  const char* input;
  const char* wrt;
  const char* result;  // napier's answer, as printed
};

TEST(IndexedDerivation, MoreDerivatives) {
  const DerivativeRow rows[] = {
      {"sum(x[k]^2, k, 1, n)", "x[j]", "2*x[j]"},
      {"log(sum(exp(x[k]), k, 1, n))", "x[j]", "softmax(x)[j]"},
      {"sum(w[k]*x[k], k, 1, n)", "x[j]", "w[j]"},
      {"sum(x[k], k, 1, n)^2", "x[j]", "2*sum(x[k], k, 1, n)"},
      {"x[2]", "x[1]", "0"},
      {"x[1]^2", "x[1]", "2*x[1]"},
      {"exp(x[j])", "x[j]", "exp(x[j])"},
      {"softmax(x)[i]", "x[2]", "softmax(x)[i]*(delta(i, 2) - softmax(x)[2])"},
  };
  for (const DerivativeRow& row : rows) {
    const Expr f = p(row.input), x = p(row.wrt);
    const Derivation d = differentiate(f, x, rules());
    EXPECT_EQ(print(d.result), row.result) << row.input;
    const CheckResult c = check_derivative(f, x, d.result);
    EXPECT_TRUE(c.holds) << row.input << ": " << describe(c, d.result, derivative(f, x));
  }
}

// ---------------------------------------------------------------------------------------------------------
// The program

struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun napier_run(const std::string& args) {
  CliRun r;
  const std::string command = std::string("'") + NAPIER_BINARY + "' " + args + " 2>&1 </dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

TEST(IndexedCli, DiffWithRespectToAComponent) {
  const CliRun plain = napier_run("diff 'softmax(x)[i]' --wrt 'x[j]'");
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.out, "softmax(x)[i]*(delta(i, j) - softmax(x)[j])\n");

  const CliRun steps = napier_run("diff 'softmax(x)[i]' --wrt 'x[j]' --steps");
  EXPECT_EQ(steps.exit_code, 0);
  EXPECT_NE(steps.out.find("  = d/dx[j](exp(x[i])/sum(exp(x[k]), k, 1, n))    [definition of softmax"), std::string::npos);
  EXPECT_NE(steps.out.find("sifting: sum(f(k)*delta(k, j), k, lo, hi) = f(j), for lo <= j <= hi (an index lies in "
                           "1..n)]"),
            std::string::npos)
      << steps.out;
  EXPECT_NE(steps.out.find("GiNaC agrees: proved symbolically, normal(L - R) = 0 at every instance (instantiated at "
                           "n = 2..4, i, j = 1..n: 29 instances)"),
            std::string::npos)
      << steps.out;

  const CliRun json = napier_run("diff 'softmax(x)[i]' --wrt 'x[j]' --format json");
  ASSERT_EQ(json.exit_code, 0);
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["wrt"], "x[j]");
  EXPECT_EQ(j["check"]["ginac"], true);
  EXPECT_EQ(j["check"]["how"], "proved");
  EXPECT_EQ(j["check"]["instantiated"], "n = 2..4, i, j = 1..n: 29 instances");
}

TEST(IndexedCli, BadComponents) {
  const struct {
    const char* args;
    const char* message;
  } rows[] = {
      {"diff 'softmax(x)[i]' --wrt 'x[1.5]'",
       "napier: error: --wrt x[1.5]: not a variable name or a component x[j] (j a symbol or a positive integer)\n"},
      {"diff 'softmax(x)[i]' --wrt 'x[j+1]'",
       "napier: error: --wrt x[j+1]: not a variable name or a component x[j] (j a symbol or a positive integer)\n"},
      {"diff 'softmax(x)[i]' --wrt 'y[j]'", "napier: error: --wrt y[j]: the expression has no vector 'y'\n"},
      {"diff 'softmax(x)[i]'", "napier: error: 'x' is a vector here: differentiate by a component, --wrt \"x[j]\"\n"},
      {"print 'sum(x, 1, 1, n)'", "napier: error: column 1: sum(body, k, lo, hi) needs a symbol as its index variable k\n"},
      {"print 'delta(i)'", "napier: error: column 1: function 'delta' takes 2 arguments, got 1\n"},
  };
  for (const auto& row : rows) {
    const CliRun r = napier_run(row.args);
    EXPECT_EQ(r.exit_code, 2) << row.args;
    EXPECT_EQ(r.out, row.message) << row.args;
  }
}

TEST(IndexedCli, CheckSaysHow) {
  const CliRun fixed = napier_run("check 'softmax(x1, x2)[1] = sigmoid(x1 - x2)'");
  EXPECT_EQ(fixed.exit_code, 0);
  EXPECT_EQ(fixed.out, "true\nproved (GiNaC: normal(L - R) = 0)\n");
  const CliRun wrong = napier_run("check 'sum(x[k], k, 1, n) = n*x[1]'");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.out.rfind("false\nrefuted at n = 2, ", 0), 0u) << wrong.out;
}

}  // namespace
