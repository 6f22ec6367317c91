// Guards and limits (napier issue 20, item 6):
//   the guard table   one registry (napier/guards.hpp) holds every guard's name, number of arguments and
//                     judgement; docs/rules.md's table lists the same guards with the same arguments; a rule
//                     file with an unknown guard or a wrong number of arguments does not load; each guard is
//                     resolved to its entry once, as its rule loads;
//   runaway rules     a phase past its step limit names the rules that took the steps, with file and line;
//   function names    a function may not be named like a variable (x, t, x1, w_2) or a constant (e, pi).
#include "napier/guards.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/pattern.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"
#include "support/parse_with.hpp"
#include "support/run_napier.hpp"

namespace napier {
namespace {

using napier::testing::run_napier;
using napier::testing::shipped_rules;

// The shipped rules plus `text` as a user's file named `file`; the error's text, or "(loaded without error)".
std::string load_error(const std::string& text, const std::string& file = "user.rules") {
  RuleSet rules = shipped_rules();
  Result<bool> ok = rules.add_text(text, file);
  return ok ? "(loaded without error)" : ok.error().to_string();
}

RuleSet with_user_file(const std::string& text, const std::string& file = "user.rules") {
  RuleSet rules = shipped_rules();
  Result<bool> ok = rules.add_text(text, file);
  EXPECT_TRUE(ok) << ok.error().to_string();
  return rules;
}

using napier::testing::parse_with;

// A folder of rule files for the program (--rules), removed with it.
struct Folder {
  std::filesystem::path path;
  Folder(const std::string& name, const std::string& text) {
    char dir[] = "/tmp/napier_guards_XXXXXX";
    if (mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp");
    path = dir;
    std::ofstream(path / name) << text;
  }
  ~Folder() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// ---------------------------------------------------------------------------------------------------------
// The guard table

// docs/rules.md's guard table: each `name(a, b)` of its first column, with its number of arguments.
std::map<std::string, std::size_t> documented_guards() {
  std::ifstream in(std::string(NAPIER_TEST_DATA) + "/../../docs/rules.md");
  EXPECT_TRUE(in.good()) << "cannot open docs/rules.md";
  std::map<std::string, std::size_t> guards;
  std::string line;
  bool inside = false;
  const std::regex call(R"(`([a-z_]+)\(([^`]*)\)`)");
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) inside = line == "## Guards";
    if (!inside || line.rfind("| `", 0) != 0) continue;
    const std::string first_column = line.substr(1, line.find('|', 1) - 1);
    for (std::sregex_iterator it(first_column.begin(), first_column.end(), call), end; it != end; ++it) {
      const std::string args = (*it)[2];
      std::size_t arity = args.empty() ? 0 : 1;
      for (char c : args) arity += c == ',' ? 1 : 0;
      EXPECT_EQ(guards.count((*it)[1]), 0u) << "documented twice: " << (*it)[1];
      guards[(*it)[1]] = arity;
    }
  }
  return guards;
}

TEST(GuardTable, EveryDocumentedGuardIsInTheTableWithItsArguments) {
  const std::map<std::string, std::size_t> documented = documented_guards();
  ASSERT_GE(documented.size(), 10u) << "docs/rules.md's guard table was not found";
  for (const auto& [name, arity] : documented) {
    const Guard* g = find_guard(name);
    ASSERT_NE(g, nullptr) << "docs/rules.md documents guard '" << name << "', which the table does not have";
    EXPECT_EQ(g->arity, arity) << "guard '" << name << "'";
  }
  // and the other way round: no guard the documentation leaves out
  for (const Guard& g : guard_table()) {
    EXPECT_EQ(documented.count(std::string(g.name)), 1u)
        << "guard '" << g.name << "' is not in docs/rules.md";
    EXPECT_LE(g.arity, kMaxGuardArity) << g.name;
    EXPECT_EQ(find_guard(g.name), &g);
    EXPECT_EQ(g.holds == nullptr, g.name == "not") << g.name;  // only `not` has no judgement of its own
  }
  EXPECT_EQ(find_guard("frob"), nullptr);
}

const std::string kUnknownGuard =
    "a guard is one of: free, depends, number, integer, positive_integer, negative_number, not_number, "
    "symbol, same, same_terms, less, constant, negative, in_range, outside_range, not";

std::string with_where(const std::string& guards) {
  return "phase simplify\nrule r\n  match   ?u + ?v\n  where   " + guards + "\n  rewrite ?v + ?u\n";
}

TEST(GuardTable, AnUnknownGuardDoesNotLoad) {
  // A name nothing knows is refused as the expression is read; a function's name or no call, by the table.
  EXPECT_EQ(load_error(with_where("frob(?u)"), "broken.rules"), "broken.rules:4:11: unknown function 'frob'");
  EXPECT_EQ(load_error(with_where("number(?u), not(frob(?u, ?v))"), "broken.rules"),
            "broken.rules:4:27: unknown function 'frob'");
  EXPECT_EQ(load_error(with_where("sin(?u)"), "broken.rules"), "broken.rules:4:11: " + kUnknownGuard);
  EXPECT_EQ(load_error(with_where("number(?u), not(sigmoid(?v))"), "broken.rules"),
            "broken.rules:4:23: " + kUnknownGuard);
  EXPECT_EQ(load_error(with_where("?u"), "broken.rules"), "broken.rules:4:11: " + kUnknownGuard);
  EXPECT_EQ(load_error(with_where("eval(?u)"), "broken.rules"), "broken.rules:4:11: " + kUnknownGuard);
}

TEST(GuardTable, AGuardWithTheWrongNumberOfArgumentsDoesNotLoad) {
  EXPECT_EQ(load_error(with_where("free(?u)"), "broken.rules"),
            "broken.rules:4:11: guard 'free' takes 2 arguments");
  EXPECT_EQ(load_error(with_where("symbol(?u, ?v)"), "broken.rules"),
            "broken.rules:4:11: guard 'symbol' takes 1 argument");
  EXPECT_EQ(load_error(with_where("in_range(?u, 1)"), "broken.rules"),
            "broken.rules:4:11: guard 'in_range' takes 3 arguments");
  EXPECT_EQ(load_error(with_where("not(not(less(?u)))"), "broken.rules"),
            "broken.rules:4:11: guard 'less' takes 2 arguments");
  EXPECT_EQ(load_error(with_where("not(number(?u), number(?v))"), "broken.rules"),
            "broken.rules:4:11: guard 'not' takes 1 argument");
}

TEST(GuardTable, EachGuardIsResolvedOnceAsItsRuleLoads) {
  const RuleSet rules = with_user_file(with_where("number(?u), not(not(symbol(?v))), not(same(?u, ?v))"));
  const Rule& rule = rules.rules().back();
  ASSERT_EQ(rule.name, "r");
  ASSERT_EQ(rule.guard_calls.size(), rule.guards.size());
  ASSERT_EQ(rule.guard_calls.size(), 3u);
  EXPECT_EQ(rule.guard_calls[0].guard, find_guard("number"));
  EXPECT_FALSE(rule.guard_calls[0].negated);
  EXPECT_EQ(rule.guard_calls[1].guard, find_guard("symbol"));  // not(not(g)) is g
  EXPECT_FALSE(rule.guard_calls[1].negated);
  EXPECT_EQ(print(rule.guard_calls[1].call), "symbol(?v)");
  EXPECT_EQ(rule.guard_calls[2].guard, find_guard("same"));
  EXPECT_TRUE(rule.guard_calls[2].negated);
  // and every shipped rule's guards are resolved, one for one
  for (const Rule& r : shipped_rules().rules()) {
    ASSERT_EQ(r.guard_calls.size(), r.guards.size()) << r.name;
    for (std::size_t i = 0; i < r.guards.size(); ++i) {
      Expr g = r.guards[i];
      while (g.is_call("not")) g = g[0];
      EXPECT_EQ(r.guard_calls[i].call, g) << r.name;
      EXPECT_EQ(r.guard_calls[i].guard->name, g.name()) << r.name;
    }
  }
}

// What each entry judges, on instantiated arguments (the rewriter's view).
TEST(GuardTable, WhatEachGuardJudges) {
  struct Case {
    const char* guard;
    std::vector<const char*> args;
    bool holds;
  };
  const Case cases[] = {
      {"free", {"2*y", "x"}, true},
      {"free", {"sin(x)", "x"}, false},
      {"depends", {"sin(x)", "x"}, true},
      {"number", {"3/4"}, true},
      {"number", {"pi"}, false},
      {"not_number", {"x"}, true},
      {"integer", {"-3"}, true},
      {"integer", {"1/2"}, false},
      {"positive_integer", {"3"}, true},
      {"positive_integer", {"0"}, false},
      {"negative_number", {"-1/2"}, true},
      {"negative_number", {"2"}, false},
      {"symbol", {"x"}, true},
      {"symbol", {"2*x"}, false},
      {"same", {"x + 1", "x + 1"}, true},
      {"same", {"x + 1", "1 + x"}, false},
      {"same_terms", {"x + 1", "1 + x"}, true},
      {"same_terms", {"x + 1", "x + 2"}, false},
      {"less", {"1", "2"}, true},
      {"less", {"2", "x"}, false},
      {"constant", {"e"}, true},
      {"constant", {"x"}, false},
      {"negative", {"-w*x - 2"}, true},
      {"negative", {"-w*x + 2"}, false},
      {"in_range", {"2", "1", "3"}, true},
      {"in_range", {"j", "1", "3"}, false},
      {"in_range", {"j", "1", "n"}, true},
      {"outside_range", {"4", "1", "3"}, true},
      {"outside_range", {"2", "1", "3"}, false},
  };
  for (const Case& c : cases) {
    const Guard* g = find_guard(c.guard);
    ASSERT_NE(g, nullptr) << c.guard;
    ASSERT_EQ(g->arity, c.args.size()) << c.guard;
    std::vector<Expr> args;
    for (const char* a : c.args) args.push_back(parse_with(shipped_rules(), a));
    EXPECT_EQ(g->holds(args), c.holds) << c.guard << "(" << c.args[0] << ", ...)";
    EXPECT_EQ(guard_call_holds(GuardCall{g, call(c.guard, args), true}, args), !c.holds)
        << "not(" << c.guard << ")";
  }
}

TEST(GuardTable, AnUnknownGuardNeverAnswersFalseQuietly) {
  // The loader keeps unknown guards out of every rule; a program that asks the rewriter itself about one gets
  // an internal error, not the `false` it used to get.
  Bindings none;
  EXPECT_THROW(guard_holds(call("frob", {sym("x")}), none), std::logic_error);
  EXPECT_THROW(guard_holds(call("free", {sym("x")}), none), std::logic_error);
  EXPECT_TRUE(guard_holds(call("not", {call("number", {sym("x")})}), none));
  EXPECT_FALSE(guard_holds(call("free", {sym("x"), sym("x")}), none));
}

TEST(GuardTable, ResolvedGuardsDecideAsBefore) {
  // not(not(number(?u))) is number(?u): 2 + x is swapped only where ?u is a number.
  const RuleSet rules = with_user_file(with_where("not(not(number(?u))), symbol(?v)"));
  const std::optional<Rewrite> swapped = apply_rules(rules, Phase::Simplify, add(num(2), sym("x")));
  ASSERT_TRUE(swapped);
  EXPECT_EQ(swapped->rule, "r");
  EXPECT_EQ(print(swapped->replacement), "x + 2");
  // y + x: no shipped rule and not r (y is no number)
  const std::optional<Rewrite> kept = apply_rules(rules, Phase::Simplify, add(sym("y"), sym("x")));
  EXPECT_FALSE(kept && kept->rule == "r");
}

TEST(GuardTable, TheProgramRefusesARulesFolderWithAnUnknownGuard) {
  const Folder folder("user.rules", with_where("sin(?u)"));
  const napier::testing::Ran ran = run_napier({"--rules", folder.path.string(), "diff", "x^2"});
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err,
            "napier: error: " + (folder.path / "user.rules").string() + ":4:11: " + kUnknownGuard + "\n");
}

// ---------------------------------------------------------------------------------------------------------
// A runaway rule is named in the limit's message

const char* const kSwap =
    "phase simplify\n"
    "\n"
    "rule swap\n"
    "  match   ?a*?b\n"
    "  rewrite ?b*?a\n";

TEST(RunawayRule, TheStepLimitNamesTheRuleAndItsLine) {
  const RuleSet rules = with_user_file(kSwap);
  RewriteLimits limits;
  limits.max_steps = 1000;
  for (bool steps : {false, true}) {
    std::vector<Step> recorded;
    try {
      simplify(mul(sym("x"), sym("y")), rules, Phase::Simplify, steps ? &recorded : nullptr, limits);
      ADD_FAILURE() << "no limit reached";
    } catch (const StepLimitExceeded& e) {
      // x*y -> y*x -> x*y ...: swap alone takes every step.
      EXPECT_EQ(std::string(e.what()),
                "more than 1000 steps (limit): rule swap (user.rules:3) applied 1000 times")
          << (steps ? "with steps" : "without steps");
    }
  }
}

TEST(RunawayRule, TwoRulesUndoingEachOtherAreBothNamed) {
  // 2*x -> x*2 (swap) -> 2*x (the shipped number_first) -> ...: both take half the steps; the user's rule,
  // loaded later, comes first on a tie.
  const RuleSet rules = with_user_file(kSwap);
  RewriteLimits limits;
  limits.max_steps = 1000;
  try {
    simplify(mul(num(2), sym("x")), rules, Phase::Simplify, nullptr, limits);
    ADD_FAILURE() << "no limit reached";
  } catch (const StepLimitExceeded& e) {
    const std::string what = e.what();
    EXPECT_EQ(
        what.rfind(
            "more than 1000 steps (limit): rule swap (user.rules:3) applied 500 times, rule number_first (",
            0),
        0u)
        << what;
    EXPECT_NE(what.find("50-simplify.rules:"), std::string::npos) << what;
    EXPECT_NE(what.find(") applied 500 times"), std::string::npos) << what;
  }
}

TEST(RunawayRule, ALoopingDeriveRuleIsNamedOnTheRecordedPath) {
  const RuleSet rules = with_user_file(
      "phase derive\n# d/dx u = d/dx u + 0, for ever\nrule loop\n"
      "  match   diff(?u, ?x)\n  rewrite diff(?u, ?x) + 0\n",
      "loop.rules");
  DiffOptions options;
  options.record_steps = true;
  options.limits.max_steps = 500;
  try {
    differentiate(call("sin", {sym("x")}), sym("x"), rules, options);
    ADD_FAILURE() << "no limit reached";
  } catch (const StepLimitExceeded& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("more than 500 steps (limit): rule loop (loop.rules:3) applied ", 0), 0u)
        << e.what();
  }
}

TEST(RunawayRule, AFinishingPhaseCountsNothingIntoTheNextMessage) {
  // A phase that ends leaves no count behind for the next one: the message counts its own phase only.
  const RuleSet rules = with_user_file(kSwap);
  EXPECT_EQ(print(simplify(parse_with(rules, "x + 0"), rules, Phase::Simplify, nullptr)), "x");
  RewriteLimits limits;
  limits.max_steps = 100;  // (at least 8 per node of x*y: RewriteLimits::kStepsPerNode)
  try {
    simplify(mul(sym("x"), sym("y")), rules, Phase::Simplify, nullptr, limits);
    ADD_FAILURE() << "no limit reached";
  } catch (const StepLimitExceeded& e) {
    EXPECT_EQ(std::string(e.what()),
              "more than 100 steps (limit): rule swap (user.rules:3) applied 100 times");
  }
}

TEST(RunawayRule, TheProgramNamesARunawayRuleOfARulesFolder) {
  const Folder folder("user.rules", kSwap);
  const napier::testing::Ran ran = run_napier({"--rules", folder.path.string(), "diff", "x^2"});
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_EQ(ran.err.rfind("napier: error: derivation stopped: more than 100000 steps (limit): rule swap (" +
                              (folder.path / "user.rules").string() + ":3) applied ",
                          0),
            0u)
      << ran.err;
  EXPECT_TRUE(ran.out.empty()) << ran.out;
}

// ---------------------------------------------------------------------------------------------------------
// Function names

TEST(FunctionNames, ANameThatReadsAsAVariableOrAConstantIsRefused) {
  const std::string one_letter =
      "one lower-case letter from i to z is a variable (f, g, h, a capital letter or a longer name may name "
      "a "
      "function)";
  const std::string with_digits = "a lower-case letter and digits (x1, w_2) is a variable";
  EXPECT_EQ(load_error("define x(t) := t^2\n"),
            "user.rules:1:8: a function may not be named 'x': " + one_letter);
  EXPECT_EQ(load_error("derivative x(t) := 2*t\n"),
            "user.rules:1:12: a function may not be named 'x': " + one_letter);
  EXPECT_EQ(load_error("function y(t)\n  define t^2\n"),
            "user.rules:1:10: a function may not be named 'y': " + one_letter);
  for (const char* name : {"i", "k", "n", "t", "z"}) {
    EXPECT_EQ(load_error(std::string("define ") + name + "(u) := u\n"),
              std::string("user.rules:1:8: a function may not be named '") + name + "': " + one_letter);
  }
  for (const char* name : {"x1", "w12", "x_1", "a0"}) {
    EXPECT_EQ(load_error(std::string("define ") + name + "(t) := t\n"),
              std::string("user.rules:1:8: a function may not be named '") + name + "': " + with_digits);
  }
  EXPECT_EQ(load_error("define e(t) := t\n"),
            "user.rules:1:8: a function may not be named 'e': it is the constant e");
  EXPECT_EQ(load_error("define pi(t) := t\n"),
            "user.rules:1:8: a function may not be named 'pi': it is the constant pi");
  // the message is the record's, even where an earlier record of the file writes x as a variable
  EXPECT_EQ(load_error("phase simplify\nrule r\n  match x*0\n  rewrite 0\ndefine x(t) := t\n"),
            "user.rules:5:8: a function may not be named 'x': " + one_letter);
}

TEST(FunctionNames, OtherNamesStayFunctions) {
  for (const char* record :
       {"define f(t) := t^2\n", "define g(t, u) := t*u\n", "define h(t) := t\n", "define a(t) := t\n",
        "derivative W(t) := W(t)/(t*(1 + W(t)))\n", "define W0(t) := t\n", "define F1(t) := t\n",
        "define x_i(t) := t\n", "define swish(t) := t*sigmoid(t)\n"}) {
    EXPECT_EQ(load_error(record), "(loaded without error)") << record;
  }
  // and x stays a variable next to them
  const RuleSet rules = with_user_file("define f(t) := t^2\n");
  EXPECT_EQ(print(differentiate(parse_with(rules, "f(x) + x^2"), sym("x"), rules).result), "4*x");
}

TEST(FunctionNames, TheProgramRefusesAFunctionNamedLikeAVariable) {
  const Folder folder("user.rules", "define x(t) := t^2\n");
  const napier::testing::Ran ran = run_napier({"--rules", folder.path.string(), "diff", "x^2"});
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err,
            "napier: error: " + (folder.path / "user.rules").string() +
                ":1:8: a function may not be named 'x': one lower-case letter from i to z is a variable (f, "
                "g, h, a capital letter or a longer name may name a function)\n");
}

}  // namespace
}  // namespace napier
