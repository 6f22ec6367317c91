// Rules as data:
//   coverage   every rule of the shipped rule files and every `derivative` record takes part in at least one
//              derivation of the textbook rows (tests/data/derivatives*.tsv);
//   names      every step of those derivations names a rule that exists;
//   user rules a folder holding only `define swish(t) := t*sigmoid(t)` makes swish differentiable;
//   diagnostics broken rule files are reported as file:line:col: message;
//   matcher    napier::match and napier::instantiate (pattern.hpp) on segments, repeated variables,
//              backtracking, each(...) and eval(...).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/pattern.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"

namespace napier {
namespace {

// The variable column: a symbol, or a component x[j] of a vector of symbolic length (derivatives-indexed.tsv).
napier::Expr variable_of(const std::string& text) {
  napier::Result<napier::Expr> v = napier::parse(text);
  return v ? *v : napier::sym(text);
}

// ---------------------------------------------------------------------------------------------------------
// The derivations of the textbook rows

struct TextbookRow {
  std::string where, input, variable;
};

// The input and variable columns of tests/data/derivatives*.tsv (derivatives_test.cpp checks the rest).
std::vector<TextbookRow> textbook_rows() {
  std::vector<TextbookRow> rows;
  for (const char* name : {"derivatives.tsv", "derivatives-2.tsv", "derivatives-indexed.tsv"}) {
    std::ifstream in(std::string(NAPIER_TEST_DATA) + "/" + name);
    EXPECT_TRUE(in.good()) << "cannot open " << name;
    std::string line;
    bool header = true;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.empty() || line[0] == '#') continue;
      if (header) {  // the column names
        header = false;
        continue;
      }
      const std::size_t tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
      if (tab1 == std::string::npos || tab2 == std::string::npos) continue;
      rows.push_back({std::string(name) + ":" + std::to_string(number), line.substr(0, tab1),
                      line.substr(tab1 + 1, tab2 - tab1 - 1)});
    }
  }
  return rows;
}

const RuleSet& shipped_rules() {
  static const Result<RuleSet> rules = RuleSet::load_default();
  if (!rules) {
    ADD_FAILURE() << "the shipped rules do not load: " << rules.error().to_string();
    static const RuleSet empty;
    return empty;
  }
  return *rules;
}

struct Usage {
  std::map<std::string, std::string> rules;        // Step::rule -> first row where it fired
  std::map<std::string, std::string> derivatives;  // function with a `derivative` record -> first row using it
  std::map<std::string, std::string> logarithm;    // logarithm-phase rule -> first row where it fired
  std::map<std::string, std::string> identity;     // identity-phase rule -> first identities.tsv row it fired in
  std::vector<std::string> problems;
};

// The "L = R" column of tests/data/identities.tsv, for the identity phase (check --steps).
std::vector<std::pair<std::string, std::string>> identity_rows() {
  std::vector<std::pair<std::string, std::string>> rows;
  std::ifstream in(std::string(NAPIER_TEST_DATA) + "/identities.tsv");
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#' || line.rfind("identity\t", 0) == 0) continue;
    rows.emplace_back("identities.tsv:" + std::to_string(number), line.substr(0, line.find('\t')));
  }
  return rows;
}

// Every textbook row differentiated with steps; and, for the logarithm phase (used by --method logdiff,
// not by differentiate), log(f) of every row written out by the logarithm rules.
const Usage& usage() {
  static const Usage u = [] {
    Usage out;
    const RuleSet& rules = shipped_rules();
    for (const TextbookRow& row : textbook_rows()) {
      Result<Expr> f = parse(row.input);
      if (!f) {
        out.problems.push_back(row.where + ": " + row.input + " does not parse");
        continue;
      }
      try {
        const Derivation d = differentiate(*f, variable_of(row.variable), rules);
        for (const Step& s : d.steps) {
          out.rules.emplace(s.rule, row.where);
          if (s.rule.rfind("derivative.", 0) == 0) out.derivatives.emplace(s.rule.substr(11), row.where);
          // The chain rule names the function whose derivative record it used in its redex: d/dx(f(u)).
          if (s.rule == "chain" && s.redex.is(Kind::Derivative) && s.redex[0].is(Kind::Call)) {
            out.derivatives.emplace(s.redex[0].name(), row.where);
          }
        }
        std::vector<Step> steps;
        simplify(call("log", {*f}), rules, Phase::Logarithm, &steps);
        for (const Step& s : steps) out.logarithm.emplace(s.rule, row.where);
      } catch (const std::exception& e) {
        out.problems.push_back(row.where + ": " + row.input + " threw " + e.what());
      }
    }
    for (const auto& [where, text] : identity_rows()) {
      Result<Expr> e = parse(text);
      if (!e || !e->is(Kind::Equation)) continue;  // the check tests report rows that do not parse
      for (Expr side : {(*e)[0], (*e)[1]}) {
        std::vector<Step> steps;
        simplify(side, rules, Phase::Identity, &steps);
        for (const Step& s : steps) out.identity.emplace(s.rule, where);
      }
    }
    return out;
  }();
  return u;
}

// The rules (and `derivative` records) that fire in no derivation of the textbook rows.
std::vector<std::string> rules_that_never_fire() {
  const Usage& u = usage();
  std::vector<std::string> never;
  for (const Rule& rule : shipped_rules().rules()) {
    const auto& fired = rule.phase == Phase::Logarithm ? u.logarithm : rule.phase == Phase::Identity ? u.identity : u.rules;
    if (!fired.count(rule.name)) {
      never.push_back(phase_name(rule.phase) + " rule " + rule.name + " (" + rule.source.file + ":" +
                      std::to_string(rule.source.line) + ")");
    }
  }
  for (const auto& [name, record] : shipped_rules().derivatives()) {
    if (!u.derivatives.count(name)) {
      never.push_back("derivative " + name + "(t) (" + record.source.file + ":" + std::to_string(record.source.line) + ")");
    }
  }
  return never;
}

TEST(RuleCoverage, EveryRuleFiresInATextbookDerivation) {
  for (const std::string& p : usage().problems) ADD_FAILURE() << p;
  const std::vector<std::string> never = rules_that_never_fire();
  std::string list;
  for (const std::string& n : never) list += "\n  " + n;
  EXPECT_TRUE(never.empty()) << never.size() << " rules never fire in the derivations of tests/data/derivatives*.tsv "
                             << "(add a row that needs them):" << list;
}

TEST(RuleCoverage, EveryStepNamesARuleThatExists) {
  const RuleSet& rules = shipped_rules();
  std::set<std::string> names{"chain", "definition", "fold_softmax", "softmax_definition", "assumption", "component"};  // the built-in steps (derive.hpp, vector_functions.hpp)
  for (const Rule& rule : rules.rules()) names.insert(rule.name);
  for (const auto& [name, where] : usage().rules) {
    if (names.count(name)) continue;
    if (name.rfind("derivative.", 0) == 0 && rules.derivative(name.substr(11)) != nullptr) continue;
    ADD_FAILURE() << where << ": a step names rule '" << name << "', which no rule file defines";
  }
  EXPECT_GT(usage().rules.size(), 20u);
}

// ---------------------------------------------------------------------------------------------------------
// User rules: swish

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    char name[] = "/tmp/napier_rules_test_XXXXXX";
    const char* made = mkdtemp(name);
    if (made != nullptr) path = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& file, const std::string& text) const { std::ofstream(path / file) << text; }
};

// A shape flag of Rule (only_where_free, only_the_variable): which shipped derive rules have it, by name;
// and which of three rules of the user's have it.
std::map<std::string, bool> shipped_derive_rules_with(bool Rule::*flag) {
  std::map<std::string, bool> with;
  for (const Rule& rule : shipped_rules().rules()) {
    if (rule.phase == Phase::Derive) with[rule.name] = rule.*flag;
  }
  return with;
}

std::vector<bool> user_rules_with(bool Rule::*flag, const std::string& three_rules) {
  RuleSet mine;
  EXPECT_TRUE(mine.add_text("phase derive\n" + three_rules, "shapes.rules"));
  std::vector<bool> with;
  for (const Rule& rule : mine.rules()) with.push_back(rule.*flag);
  return with;
}

std::size_t count_true(const std::map<std::string, bool>& flags) {
  return static_cast<std::size_t>(std::count_if(flags.begin(), flags.end(), [](const auto& r) { return r.second; }));
}

// The fast path skips the rules that fit only what is free of the variable (it has asked that already):
// exactly the derive rules diff(?c, ?x) guarded by free(?c, ?x), whatever their name.
TEST(RuleShapes, OnlyTheConstantRuleShapeIsSkippedByTheFastPath) {
  std::map<std::string, bool> skipped = shipped_derive_rules_with(&Rule::only_where_free);
  ASSERT_TRUE(skipped.count("constant") && skipped.count("constant_multiple") && skipped.count("variable"));
  EXPECT_TRUE(skipped["constant"]);
  EXPECT_FALSE(skipped["constant_multiple"]);  // free(?c, ?x) of a factor, not of the whole subject
  EXPECT_FALSE(skipped["variable"]);
  EXPECT_EQ(count_true(skipped), 1u);
  EXPECT_EQ(user_rules_with(&Rule::only_where_free,
                            "rule zero\n  match   diff(?a, ?v)\n  where   free(?a, ?v)\n  rewrite 0\n"
                            "rule swapped\n  match   diff(?a, ?v)\n  where   free(?v, ?a)\n  rewrite 0\n"
                            "rule other\n  match   diff(?a, ?v)\n  where   number(?a)\n  rewrite 0\n"),
            (std::vector<bool>{true, false, false}));
}

// The variable rule's shape diff(?x, ?x) fits the variable only, and the fast path tries it on nothing else:
// only that shape, whatever the rule is called; a rule with the variable twice inside (?x*?x) is not it.
TEST(RuleShapes, OnlyTheVariableRuleShapeIsTriedOnTheVariableOnly) {
  std::map<std::string, bool> only_variable = shipped_derive_rules_with(&Rule::only_the_variable);
  ASSERT_TRUE(only_variable.count("variable") && only_variable.count("constant"));
  EXPECT_TRUE(only_variable["variable"]);
  EXPECT_EQ(count_true(only_variable), 1u);
  const std::string mine = "rule one\n  match   diff(?t, ?t)\n  rewrite 1\n"
                           "rule square\n  match   diff(?t*?t, ?t)\n  rewrite 2*?t\n"
                           "rule any\n  match   diff(?t, ?v)\n  where   symbol(?t)\n  rewrite 0\n";
  EXPECT_EQ(user_rules_with(&Rule::only_the_variable, mine), (std::vector<bool>{true, false, false}));
  // On the fast path: d/dx x is still 1, and d/dx (x*x) is still found by the square rule.
  RuleSet rules;
  ASSERT_TRUE(rules.add_text("phase derive\n" + mine, "shapes.rules"));
  const Expr x = sym("x");
  EXPECT_EQ(derivative_of(x, x, rules), num(1));
  EXPECT_EQ(derivative_of(mul(x, x), x, rules), mul(num(2), x));
}

TEST(UserRules, SwishFromAFolderOfItsOwn) {
  TempDir dir;
  ASSERT_FALSE(dir.path.empty());
  dir.write("swish.rules", "define swish(t) := t*sigmoid(t)\n");
  Result<RuleSet> loaded = RuleSet::load({NAPIER_RULES_DIR, dir.path});
  ASSERT_TRUE(loaded) << loaded.error().to_string();
  const RuleSet& rules = *loaded;

  ParseOptions options;
  options.functions = &rules.functions();
  Result<Expr> f = parse("swish(x)", options);
  ASSERT_TRUE(f) << f.error().to_string();
  const Expr x = sym("x");
  const Derivation d = differentiate(*f, x, rules);

  CheckOptions check;
  check.expand_definitions = [&rules](Expr e) { return rules.expand_user_definitions(e); };
  const CheckResult ginac = check_derivative(*f, x, d.result, check);
  EXPECT_TRUE(ginac.holds) << print(d.result) << ": " << describe(ginac, d.result, derivative(*f, x));

  Result<Expr> textbook = parse("sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))");
  ASSERT_TRUE(textbook);
  EXPECT_TRUE(check_equal(d.result, *textbook).holds) << print(d.result);
  EXPECT_EQ(print(d.result), "sigmoid(x) + x*sigmoid(x)*(1 - sigmoid(x))");
  ASSERT_FALSE(d.steps.empty());
  EXPECT_EQ(d.steps.front().rule, "definition");  // swish is opened up first
}

// A derive rule that never finishes ends as StepLimitExceeded on both paths, never as a stack overflow: the
// fast path (napier diff without --steps) recursed without bound (found by fuzz/rules_fuzz; seeds
// fuzz/corpus/rules/regress_fast_path_cycle and regress_fast_path_growth).
TEST(UserRules, LoopingDeriveRuleStopsOnBothPaths) {
  const char* loops[] = {
      "phase derive\nrule loop\n  match   diff(?u, ?x)\n  rewrite diff(?u, ?x) + 0\n",  // needs itself
      "define g(t) := t\nphase derive\nrule grow\n  match   diff(?u, ?x)\n  rewrite diff(g(?u), ?x)\n",  // deeper
  };
  for (const char* text : loops) {
    RuleSet rules = shipped_rules();
    Result<bool> ok = rules.add_text(text, "loop.rules");
    ASSERT_TRUE(ok) << ok.error().to_string();
    for (bool steps : {true, false}) {
      DiffOptions options;
      options.record_steps = steps;
      options.limits.max_steps = 2000;
      // The fast path recurses as deep as the limit before it stops: a small one here, so that the test
      // needs no large stack (the CLI runs on 512 MiB, napier/stack.hpp; under ASan 8 MiB does not hold
      // kMaxFastPathDepth, and unwinding an exception from a deep 512 MiB stack trips ASan's own checks).
      options.limits.max_depth = 300;
      EXPECT_THROW(differentiate(call("sin", {sym("x")}), sym("x"), rules, options), StepLimitExceeded)
          << text << (steps ? " with steps" : " on the fast path");
    }
  }
}

// The fast path (derivative_of) and the recorded path (differentiate without simplifying) must give the
// same derivative for user rules the shipped ones do not exercise. Three cases a review of the fast path's
// node-sparing instantiation found, each once different:
//  - a rule whose replacement is the node itself for one way of matching (the recorded path skips that
//    match; the fast path reported a loop);
//  - a builtin around a d/dx in the replacement (eval must see d/dx(x), as written, not its value);
//  - a d/dx the input itself holds, reached through a pattern variable (x*d/dx(x^2)).
// And one for the fast path's drafts (src/interner.hpp): `exp(?u)*exp(?u)` instantiates two different
// drafts of exp(x), which the square rule's ?v*?v must still find equal, as it finds the interned nodes;
// and expand(...) must add those two drafts up into 2*exp(x).
TEST(UserRules, FastPathAgreesWithTheRecordedPath) {
  struct Case {
    const char* rules;
    const char* input;
  };
  const Case cases[] = {
      {"phase derive\nrule constant\n  match   diff(?c, ?x)\n  where   free(?c, ?x)\n  rewrite 0\n"
       "rule variable\n  match   diff(?x, ?x)\n  rewrite 1\n"
       "rule commute\n  match   diff(?u*?v, ?x)\n  rewrite diff(?v*?u, ?x)\n"
       "rule product\n  match   diff(?u*?v, ?x)\n  rewrite diff(?u, ?x)*?v + ?u*diff(?v, ?x)\n",
       "x*x"},
      {"phase derive\nrule variable\n  match   diff(?x, ?x)\n  rewrite 1\n"
       "rule scaled\n  match   diff(?c*?u, ?x)\n  where   number(?c)\n  rewrite eval(?c*diff(?u, ?x))\n",
       "3*x"},
      {nullptr, "x*diff(x^2, x)"},
      {"define expsq(t) := exp(2*t)\nphase derive\nrule constant\n  match   diff(?c, ?x)\n  where   free(?c, ?x)\n"
       "  rewrite 0\nrule variable\n  match   diff(?x, ?x)\n  rewrite 1\n"
       "rule exponential\n  match   diff(exp(?u), ?x)\n  rewrite exp(?u)*diff(?u, ?x)\n"
       "rule square\n  match   diff(?v*?v, ?x)\n  rewrite 2*?v*diff(?v, ?x)\n"
       "rule expsq\n  match   diff(expsq(?u), ?x)\n  rewrite diff(exp(?u)*exp(?u), ?x)\n",
       "expsq(x)"},
      {"define twice(t) := 2*exp(t)\nphase derive\nrule constant\n  match   diff(?c, ?x)\n  where   free(?c, ?x)\n"
       "  rewrite 0\nrule variable\n  match   diff(?x, ?x)\n  rewrite 1\n"
       "rule constant_multiple\n  match   diff(?c*?u, ?x)\n  where   free(?c, ?x)\n  rewrite ?c*diff(?u, ?x)\n"
       "rule exponential\n  match   diff(exp(?u), ?x)\n  rewrite exp(?u)*diff(?u, ?x)\n"
       "rule twice\n  match   diff(twice(?u), ?x)\n  rewrite diff(expand(exp(?u) + exp(?u)), ?x)\n",
       "twice(x)"},
  };
  for (const Case& c : cases) {
    RuleSet rules;
    if (c.rules == nullptr) {
      rules = shipped_rules();
    } else {
      Result<bool> ok = rules.add_text(c.rules, "user.rules");
      ASSERT_TRUE(ok) << ok.error().to_string();
    }
    ParseOptions user_functions;
    user_functions.allow_unknown_functions = true;  // expsq and twice, defined by the cases' rules
    const Expr f = *parse(c.input, user_functions), x = sym("x");
    DiffOptions recorded;
    recorded.simplify = false;
    const Expr expected = differentiate(f, x, rules, recorded).result;
    EXPECT_EQ(print(derivative_of(f, x, rules)), print(expected)) << c.input;
    RewriteLimits drafting;  // in drafts, as a long sum is (RewriteLimits::draft_from_terms)
    drafting.draft_from_terms = 0;
    EXPECT_EQ(print(derivative_of(f, x, rules, drafting)), print(expected)) << c.input << " in drafts";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Diagnostics of broken rule files

std::string load_error(const std::string& text) {
  RuleSet rules;
  Result<bool> ok = rules.add_text(text, "broken.rules");
  if (ok) return "(loaded without error)";
  return ok.error().to_string();
}

TEST(RuleDiagnostics, SyntaxErrorInsideAMatchPointsIntoTheExpression) {
  // line 4, "  match   diff(?u + * ?v, ?x)": the '*' is column 21
  EXPECT_EQ(load_error("phase derive\n"
                       "\n"
                       "rule broken\n"
                       "  match   diff(?u + * ?v, ?x)\n"
                       "  rewrite 0\n"),
            "broken.rules:4:21: unexpected '*'");
}

TEST(RuleDiagnostics, AnUnclosedBracketInAGuardIsPlacedOnTheFilesOwnColumns) {
  // scripts/fuzz (rules_fuzz) found "where numbe[r(?u)": the guards were parsed as one list "[...]", so the
  // fault pointed past the end of the line at a '[' the file does not have
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + ?c\n"
                       "  where   free(?c, ?u), numbe[r(?c)\n"
                       "  rewrite ?u\n"),
            "broken.rules:4:36: missing ']' to close '[' at column 30");
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + (?c\n"
                       "  rewrite ?u\n"),
            "broken.rules:3:19: missing ')' to close '(' at column 16");
}

TEST(RuleDiagnostics, AnEmptyGuard) {
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + ?c\n"
                       "  where   free(?c, ?u),\n"
                       "  rewrite ?u\n"),
            "broken.rules:4:24: a guard is missing between commas");
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + ?c\n"
                       "  where\n"
                       "  rewrite ?u\n"),
            "broken.rules:4:8: a where field needs at least one guard");
}

TEST(RuleDiagnostics, UnknownField) {
  EXPECT_EQ(load_error("phase derive\n"
                       "rule r\n"
                       "  matches diff(?u, ?x)\n"
                       "  rewrite 0\n"),
            "broken.rules:3:3: unknown field 'matches' (match, rewrite, where or label)");
}

TEST(RuleDiagnostics, GuardWithTheWrongNumberOfArguments) {
  // free(?c) used to be accepted, and judging it read a second argument that was not there
  EXPECT_EQ(load_error("phase derive\n"
                       "rule r\n"
                       "  match   diff(?c, ?x)\n"
                       "  where   free(?c)\n"
                       "  rewrite 0\n"),
            "broken.rules:4:11: guard 'free' takes 2 arguments");
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + ?v\n"
                       "  where   not(number(?u, ?v))\n"
                       "  rewrite ?v + ?u\n"),
            "broken.rules:4:11: guard 'number' takes 1 argument");
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + ?v\n"
                       "  where   not(?u)\n"
                       "  rewrite ?v + ?u\n"),
            "broken.rules:4:11: a guard is one of: free, depends, number, integer, positive_integer, negative_number, "
            "not_number, symbol, same, same_terms, less, constant, negative, in_range, outside_range, not");
}

TEST(RuleDiagnostics, UnknownRecord) {
  EXPECT_EQ(load_error("phase derive\n"
                       "rules r\n"
                       "  match diff(?u, ?x)\n"),
            "broken.rules:2:1: unknown record 'rules' (phase, rule, function, define, derivative or inverse)");
}

TEST(RuleDiagnostics, RuleWithoutRewrite) {
  EXPECT_EQ(load_error("phase simplify\n"
                       "# a comment\n"
                       "rule lonely\n"
                       "  match   ?u + 0\n"),
            "broken.rules:3:1: rule 'lonely' has no rewrite field");
}

TEST(RuleDiagnostics, RewriteWithAnUnboundVariable) {
  const std::string error = load_error("phase simplify\n"
                                       "rule unbound\n"
                                       "  match   ?u + 0\n"
                                       "  rewrite ?u + ?w\n");
  // The location is checked by RuleDiagnosticsKnownBugs.UnboundVariableIsReportedWhereItIsUsed.
  EXPECT_EQ(error.substr(0, 13), "broken.rules:");
  EXPECT_NE(error.find(": rule 'unbound' uses ?w which its match does not bind"), std::string::npos) << error;
}

TEST(RuleDiagnostics, UnknownPhase) {
  EXPECT_EQ(load_error("phase simplfy\n"),
            "broken.rules:1:7: unknown phase 'simplfy' (derive, simplify, textbook, logarithm or identity)");
}

TEST(RuleDiagnostics, DefinitionThatCallsItself) {
  EXPECT_EQ(load_error("# recursion\n"
                       "define loop(t) := 1 + loop(t)\n"),
            "broken.rules:2:8: definition of 'loop' calls itself");
}

// A redefinition may close a loop through another definition; expand_user_definitions and the fast path
// went round it until the stack ran out (found by fuzz/rules_fuzz; seed regress_define_cycle).
TEST(RuleDiagnostics, DefinitionThatCallsItselfThroughAnother) {
  EXPECT_EQ(load_error("define ping(t) := t\n"
                       "define pong(t) := ping(t)\n"
                       "define ping(t) := 2*pong(t)\n"
                       "  override\n"),
            "broken.rules:3:8: definition of 'ping' calls itself through 'pong'");
  EXPECT_EQ(load_error("define a(t) := t\n"
                       "define b(t) := a(t)\n"
                       "define c(t) := b(t) + 1\n"
                       "define a(t) := c(t)\n"
                       "  override\n"),
            "broken.rules:4:8: definition of 'a' calls itself through 'c'");
  EXPECT_EQ(load_error("define a(t) := t\n"
                       "define b(t) := a(t)\n"
                       "define a(t) := t^2\n"
                       "  override\n"),  // a redefinition without a loop is fine
            "(loaded without error)");
}

// CRLF line ends: a line that is a keyword alone kept its '\r', which then broke the one-line message
// quoting it (found by fuzz/rules_fuzz; seed regress_cr_in_key).
TEST(RuleDiagnostics, CarriageReturns) {
  EXPECT_EQ(load_error("phase\r\n"), "broken.rules:1:6: unknown phase '' (derive, simplify, textbook, logarithm or identity)");
  EXPECT_EQ(load_error("phase derive\r\nrule r\r\n  match\r\n  rewrite 0\r\n"),
            "broken.rules:3:8: empty input");
  EXPECT_EQ(load_error("phase simplify\r\nrule r\r\n  match ?u*1\r\n  rewrite ?u\r\n  label \"one\"\r\n"),
            "(loaded without error)");
  EXPECT_EQ(load_error("rule\rx\n"), "broken.rules:1:1: unknown record 'rule x' (phase, rule, function, define, derivative or inverse)");
}

TEST(RuleDiagnostics, DuplicateRuleName) {
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule twice\n"
                       "  match   ?u*1\n"
                       "  rewrite ?u\n"
                       "\n"
                       "rule twice\n"
                       "  match   1*?u\n"
                       "  rewrite ?u\n"),
            "broken.rules:6:6: rule 'twice' is defined twice (first at broken.rules:2)");
}

TEST(RuleDiagnostics, UnquotedLabelAndUnknownGuard) {
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + 0\n"
                       "  rewrite ?u\n"
                       "  label   drop zero\n"),
            "broken.rules:5:11: a label is a \"quoted string\"");
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule r\n"
                       "  match   ?u + 0\n"
                       "  where   frob(?u)\n"
                       "  rewrite ?u\n"),
            "broken.rules:4:11: unknown function 'frob'");
}

TEST(RuleDiagnostics, ShippedRulesLoad) {
  Result<RuleSet> rules = RuleSet::load({NAPIER_RULES_DIR});
  ASSERT_TRUE(rules) << rules.error().to_string();
  EXPECT_GT(rules->rules().size(), 40u);
  EXPECT_NE(rules->derivative("sin"), nullptr);
  EXPECT_NE(rules->definition("sigmoid"), nullptr);
}

// A rewrite using a variable its match does not bind is reported where the variable is used: line 4,
// column 16 ("  rewrite ?u + ?w").
TEST(RuleDiagnostics, UnboundVariableIsReportedWhereItIsUsed) {
  EXPECT_EQ(load_error("phase simplify\n"
                       "rule unbound\n"
                       "  match   ?u + 0\n"
                       "  rewrite ?u + ?w\n"),
            "broken.rules:4:16: rule 'unbound' uses ?w which its match does not bind");
}

// ---------------------------------------------------------------------------------------------------------
// The pattern matcher

Expr pat(const std::string& text) {
  ParseOptions options;
  options.allow_pattern_variables = true;
  options.allow_unknown_functions = true;  // each(...), eval(...)
  options.allow_equation = false;
  Result<Expr> e = parse(text, options);
  if (!e) throw std::invalid_argument(text + ": " + e.error().to_string());
  return *e;
}

Expr ex(const std::string& text) {
  Result<Expr> e = parse(text);
  if (!e) throw std::invalid_argument(text + ": " + e.error().to_string());
  return *e;
}

std::string bound(const Bindings& b, const std::string& name) {
  const Binding* found = b.find(name);
  if (found == nullptr) return "(unbound)";
  if (!found->is_segment) return print(found->value());
  std::string out = "[";
  for (std::size_t i = 0; i < found->segment.size(); ++i) out += (i ? ", " : "") + print(found->segment[i]);
  return out + "]";
}

TEST(PatternMatcher, SegmentVariables) {
  Bindings b;
  ASSERT_TRUE(match(pat("?c * ?u..."), ex("2*x*y"), b));
  EXPECT_EQ(bound(b, "?c"), "2");
  EXPECT_EQ(bound(b, "?u..."), "[x, y]");
  EXPECT_EQ(b.find("?u...")->value(), ex("x*y"));  // a segment's value is the product of its terms

  // Matching keeps order: ?c * ?u... on x*2 binds ?c = x.
  Bindings order;
  ASSERT_TRUE(match(pat("?c * ?u..."), ex("x*2"), order));
  EXPECT_EQ(bound(order, "?c"), "x");

  // A segment may be empty: ?a... + 0 + ?b... on 0 + x.
  Bindings empty;
  ASSERT_TRUE(match(pat("?a... + 0 + ?b..."), ex("0 + x"), empty));
  EXPECT_EQ(bound(empty, "?a..."), "[]");
  EXPECT_EQ(bound(empty, "?b..."), "[x]");
  EXPECT_EQ(instantiate(pat("?a... + ?b..."), empty), ex("x"));  // a one-term sum is its term

  // The first segment takes as few terms as it can.
  Bindings shortest;
  ASSERT_TRUE(match(pat("?a... + ?b..."), ex("x + y + z"), shortest));
  EXPECT_EQ(bound(shortest, "?a..."), "[]");
  EXPECT_EQ(bound(shortest, "?b..."), "[x, y, z]");

  // Not a sum at all: no match, and the bindings are left as they were.
  Bindings none;
  EXPECT_FALSE(match(pat("?a... + 0 + ?b..."), ex("x*y"), none));
  EXPECT_TRUE(none.items().empty());
}

// Bindings keeps its first few in the object and the rest on the heap (pattern.hpp): whatever the mix of
// pushes and rewinds, items() is what was pushed since the last rewind, in order, and find() the latest.
TEST(PatternMatcher, BindingsPastTheInlineOnesAndRewound) {
  auto variable = [](int i) { return sym("?v" + std::to_string(i)); };
  Bindings b;
  std::vector<int> expected;
  auto push = [&](int i) {
    b.push(Binding::plain(variable(i), num(i)));
    expected.push_back(i);
  };
  auto check = [&](const char* when) {
    ASSERT_EQ(b.items().size(), expected.size()) << when;
    for (std::size_t k = 0; k < expected.size(); ++k) EXPECT_EQ(b.items()[k].value(), num(expected[k])) << when;
  };
  for (int i = 0; i < 10; ++i) push(i);
  check("ten pushed");
  b.rewind(3);
  expected.resize(3);
  check("rewound to three");
  for (int i = 20; i < 29; ++i) push(i);  // the inline ones change, then the count crosses over again
  check("nine more");
  EXPECT_EQ(b.find(variable(21))->value(), num(21));
  EXPECT_EQ(b.find(variable(5)), nullptr);
  const Bindings copy = b;
  ASSERT_EQ(copy.items().size(), b.items().size());
  EXPECT_EQ(copy.find(variable(28))->value(), num(28));
}

TEST(PatternMatcher, RepeatedVariables) {
  Bindings same;
  ASSERT_TRUE(match(pat("?u + ?u"), ex("x + x"), same));
  EXPECT_EQ(bound(same, "?u"), "x");
  Bindings different;
  EXPECT_FALSE(match(pat("?u + ?u"), ex("x + y"), different));
  EXPECT_TRUE(different.items().empty());

  // The repeated term is found wherever it stands: collect_same's pattern on y + x + z + x.
  Bindings spread;
  ASSERT_TRUE(match(pat("?a... + ?u + ?b... + ?u + ?c..."), ex("y + x + z + x"), spread));
  EXPECT_EQ(bound(spread, "?u"), "x");
  EXPECT_EQ(bound(spread, "?a..."), "[y]");
  EXPECT_EQ(bound(spread, "?b..."), "[z]");
  EXPECT_EQ(bound(spread, "?c..."), "[]");
  EXPECT_EQ(instantiate(pat("?a... + 2*?u + ?b... + ?c..."), spread), ex("y + 2*x + z"));

  // d/dx x = 1 binds ?x once and compares the second occurrence.
  Bindings var;
  EXPECT_TRUE(match(pat("diff(?x, ?x)"), ex("diff(x, x)"), var));
  Bindings other;
  EXPECT_FALSE(match(pat("diff(?x, ?x)"), ex("diff(y, x)"), other));
}

TEST(PatternMatcher, BacktrackingIntoSiblings) {
  // The split of the sum in the first argument is revised until the second argument matches too.
  Bindings b;
  ASSERT_TRUE(match(pat("[?a... + ?b..., ?b...]"), ex("[x + y + z, y + z]"), b));
  EXPECT_EQ(bound(b, "?a..."), "[x]");
  EXPECT_EQ(bound(b, "?b..."), "[y, z]");

  // A plain variable's choice is revised too: ?u is x in the first argument only when the second agrees.
  Bindings c;
  ASSERT_TRUE(match(pat("[?a... + ?u + ?b..., ?u]"), ex("[x + y + z, z]"), c));
  EXPECT_EQ(bound(c, "?u"), "z");
  EXPECT_EQ(bound(c, "?a..."), "[x, y]");

  // The acceptor (a rule's guards) takes part: the first match with two numbers side by side.
  auto two_numbers = [](const Bindings& candidate) {
    return candidate.find("?m")->value().is_number() && candidate.find("?n")->value().is_number();
  };
  Bindings d;
  ASSERT_TRUE(match(pat("?a... * ?m * ?n * ?b..."), ex("x*2*3*y"), d, two_numbers));
  EXPECT_EQ(bound(d, "?m"), "2");
  EXPECT_EQ(bound(d, "?n"), "3");
  EXPECT_EQ(bound(d, "?a..."), "[x]");
  Bindings e;
  EXPECT_FALSE(match(pat("?a... * ?m * ?n * ?b..."), ex("x*2*y*3"), e, two_numbers));
  EXPECT_TRUE(e.items().empty());
}

TEST(PatternMatcher, Each) {
  // The n-ary sum rule: diff(?u + ?v..., ?x) -> diff(?u, ?x) + each(diff(?v..., ?x)).
  Bindings b;
  ASSERT_TRUE(match(pat("diff(?u + ?v..., ?x)"), ex("diff(a + b + c, x)"), b));
  EXPECT_EQ(instantiate(pat("diff(?u, ?x) + each(diff(?v..., ?x))"), b),
            ex("diff(a, x) + diff(b, x) + diff(c, x)"));

  // distribute_minus: -1*(?u + ?v...) -> -?u + each(-?v...), negating as the parser does.
  Bindings m;
  ASSERT_TRUE(match(pat("-1*(?u + ?v...)"), ex("-(a + 2*b + c)"), m));
  EXPECT_EQ(instantiate(pat("-?u + each(-?v...)"), m), ex("-a - 2*b - c"));

  // An empty segment gives no terms: diff(a, x) alone.
  Bindings one;
  ASSERT_TRUE(match(pat("[?u + ?v..., ?x]"), ex("[a + b, x]"), one));
  Bindings lone = one;
  lone.push(Binding::of_segment(sym("?v..."), Kind::Add, {}));
  EXPECT_EQ(instantiate(pat("diff(?u, ?x) + each(diff(?v..., ?x))"), lone), ex("diff(a, x)"));
}

TEST(PatternMatcher, Eval) {
  Bindings three;
  ASSERT_TRUE(match(pat("diff(?x^?n, ?x)"), ex("diff(x^3, x)"), three));
  EXPECT_EQ(instantiate(pat("?n*?x^eval(?n - 1)"), three), ex("3*x^2"));

  Bindings half;
  ASSERT_TRUE(match(pat("diff(?x^?n, ?x)"), ex("diff(x^(1/2), x)"), half));
  EXPECT_EQ(instantiate(pat("?x^eval(?n - 1)"), half), ex("x^(-1/2)"));

  // Not all leaves are numbers: eval leaves the expression as it is.
  Bindings symbolic;
  ASSERT_TRUE(match(pat("diff(?x^?n, ?x)"), ex("diff(x^n, x)"), symbolic));
  EXPECT_EQ(instantiate(pat("?x^eval(?n - 1)"), symbolic), ex("x^(n - 1)"));

  // fold_numbers: exact, and nothing for a division by zero or a leaf that is not a number.
  EXPECT_EQ(fold_numbers(ex("2^10 - 3/4*(1 + 1)")), std::optional<Expr>(num(2045, 2)));
  EXPECT_FALSE(fold_numbers(ex("1/(2 - 2)")).has_value());
  EXPECT_FALSE(fold_numbers(ex("2*x")).has_value());
  EXPECT_FALSE(fold_numbers(ex("2^(1/2)")).has_value());
}

TEST(PatternMatcher, EvalFoldsFromTheBindingsOrFallsBack) {
  // ?n bound to a fraction: eval(?n*?n - 1) folds from the binding.
  Bindings q;
  ASSERT_TRUE(match(pat("?x^?n"), ex("x^(2/3)"), q));
  EXPECT_EQ(instantiate(pat("eval(?n*?n - 1)"), q), ex("-5/9"));
  // A division by zero does not fold: the instantiated expression stays, unevaluated.
  Bindings zero;
  ASSERT_TRUE(match(pat("?x^?n"), ex("x^0"), zero));
  EXPECT_EQ(instantiate(pat("eval(1/?n)"), zero), ex("1/0"));
  // A segment variable does not fold as a number; the instantiated sum is folded instead.
  Bindings segment;
  ASSERT_TRUE(match(pat("?a... + x"), ex("2 + 3 + x"), segment));
  EXPECT_EQ(instantiate(pat("eval(?a... + 1)"), segment), ex("6"));
}

// eval folds sums and products of machine-word integers without CLN (fold_small); where that would overflow
// a long, the exact fold must take over and give the exact value, not a wrapped one.
TEST(PatternMatcher, EvalPastAMachineWordIsExact) {
  Bindings low;
  ASSERT_TRUE(match(pat("?x^?n"), ex("x^(-9223372036854775808)"), low));  // -2^63, the least long
  EXPECT_EQ(instantiate(pat("eval(?n - 1)"), low), ex("-9223372036854775809"));
  EXPECT_EQ(instantiate(pat("eval(?n*?n)"), low), ex("85070591730234615865843651857942052864"));
  Bindings high;
  ASSERT_TRUE(match(pat("?x^?n"), ex("x^4611686018427387904"), high));  // 2^62: no CLN fixnum
  EXPECT_EQ(instantiate(pat("eval(?n + ?n - 1)"), high), ex("9223372036854775807"));
  EXPECT_EQ(instantiate(pat("eval(?n + ?n)"), high), ex("9223372036854775808"));
}

TEST(PatternMatcher, PatternVariablesAreKnownByTheirNodes) {
  EXPECT_TRUE(is_pattern_variable(sym("?u")));
  EXPECT_FALSE(is_segment_variable(sym("?u")));
  EXPECT_TRUE(is_pattern_variable(sym("?u...")));
  EXPECT_TRUE(is_segment_variable(sym("?u...")));
  EXPECT_FALSE(is_segment_variable(sym("?..")));
  EXPECT_FALSE(is_pattern_variable(sym("u")));
  EXPECT_FALSE(is_pattern_variable(call("f", {sym("?u")})));
  EXPECT_FALSE(is_pattern_variable(Expr()));
}

TEST(PatternMatcher, MatchEachMatchesSideBySide) {
  // A derive rule's diff(?c*?u..., ?x) against the pair (3*x^2, x), sharing ?x with the term.
  const Expr patterns[] = {pat("?c*?u..."), pat("?x")};
  const Expr terms[] = {ex("3*x^2"), ex("x")};
  Bindings b;
  ASSERT_TRUE(match_each(patterns, terms, b));
  EXPECT_EQ(bound(b, "?c"), "3");
  EXPECT_EQ(bound(b, "?x"), "x");
  // One variable bound twice must take one value: ?x = y in the first and x in the second fails.
  const Expr twice[] = {pat("?x^2"), pat("?x")};
  const Expr mismatched[] = {ex("y^2"), ex("x")};
  Bindings none;
  EXPECT_FALSE(match_each(twice, mismatched, none));
  EXPECT_TRUE(none.items().empty());
  // Spans of different lengths never match.
  EXPECT_FALSE(match_each(std::span<const Expr>(patterns, 1), terms, none));
}

TEST(PatternMatcher, InstantiateHandsEachDerivativeToTheCaller) {
  // The product rule's replacement: each d/dv(f) is replaced by what the caller answers for (f, v).
  Bindings b;
  ASSERT_TRUE(match(pat("diff(?u*?v, ?x)"), ex("diff(sin(x)*y, x)"), b));
  std::vector<std::string> asked;
  const std::function<Expr(Expr, Expr)> derivative = [&](Expr f, Expr v) {
    asked.push_back(print(f) + " wrt " + print(v));
    return call("cosh", {f});
  };
  EXPECT_EQ(instantiate(pat("diff(?u, ?x)*?v + ?u*diff(?v, ?x)"), b, derivative),
            ex("cosh(sin(x))*y + sin(x)*cosh(y)"));
  EXPECT_EQ(asked, (std::vector<std::string>{"sin(x) wrt x", "y wrt x"}));
  // Without the hook the same replacement keeps its d/dx nodes.
  EXPECT_EQ(instantiate(pat("diff(?u, ?x)*?v + ?u*diff(?v, ?x)"), b), ex("diff(sin(x), x)*y + sin(x)*diff(y, x)"));
}

TEST(PatternMatcher, UnboundVariableInAReplacementThrows) {
  Bindings b;
  ASSERT_TRUE(match(pat("?u + 0"), ex("x + 0"), b));
  EXPECT_EQ(instantiate(pat("?u*2"), b), ex("x*2"));
  EXPECT_THROW(instantiate(pat("?u + ?w"), b), std::out_of_range);
}

}  // namespace
}  // namespace napier

namespace napier {
namespace {

// A label reaches every printer, JSON included (which refuses bytes that are not UTF-8): it is checked when
// the file loads, and the fault names the byte's column. Well-formed UTF-8 (é, λ) loads.
TEST(RuleDiagnostics, ALabelThatIsNotUtf8IsAnErrorAtItsByte) {
  const std::string head = "phase derive\nrule r\n  match   diff(sin(?u), ?x)\n  rewrite cos(?u)*diff(?u, ?x)\n";
  // "  label   \"ab" puts the byte at column 14
  EXPECT_EQ(load_error(head + "  label   \"ab\xff\"\n"),
            "broken.rules:5:14: a label must be UTF-8 text (byte 0xFF is not)");
  EXPECT_EQ(load_error(head + "  label   \"ab\xc0\xaf\"\n"),  // an overlong '/'
            "broken.rules:5:14: a label must be UTF-8 text (byte 0xC0 is not)");
  EXPECT_EQ(load_error(head + "  label   \"ab\xed\xa0\x80\"\n"),  // a surrogate
            "broken.rules:5:14: a label must be UTF-8 text (byte 0xED is not)");
  EXPECT_EQ(load_error(head + "  label   \"ab\xe2\x82\"\n"),  // cut short
            "broken.rules:5:14: a label must be UTF-8 text (byte 0xE2 is not)");
  EXPECT_EQ(load_error("define g(t) := t^2\n  label \"x\xf5\"\n"),
            "broken.rules:2:11: a label must be UTF-8 text (byte 0xF5 is not)");
  EXPECT_EQ(load_error(head + "  label   \"caf\xc3\xa9 \xce\xbb \xf0\x9f\x98\x80\"\n"), "(loaded without error)");
}

}  // namespace
}  // namespace napier
