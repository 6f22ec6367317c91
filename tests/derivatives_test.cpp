// The textbook derivatives of tests/data/derivatives.tsv and derivatives-2.tsv. For every row, napier's
// derivation with all phases must
//   (a) agree with GiNaC (check_derivative),
//   (b) equal the textbook answer of the row (check_equal: compared mathematically, not as text),
//   (c) take the number of steps the row gives (a regression guard on the length of the explanation),
//   (d) consist of true equations: before = after for every step (they may hold unevaluated diff(...)),
//   (e) agree with the fast path derivative_of,
//   (f) print an answer that parses back to the same expression,
//   (g) simplify the fast path's answer to the same node with steps recorded or not,
//   (h) give the same node on the fast path in drafts,
// and leave no unevaluated diff(...) in the answer. A row below a "# BUG:" comment has an answer that is right
// but not in textbook form: its step count is "-" and not checked, and DerivativesTable.KnownBugs lists it.
#include <gtest/gtest.h>

#include <iostream>

#include <cctype>
#include <exception>
#include <fstream>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/rules.hpp"

namespace napier {
namespace {

// The variable column: a symbol, or a component x[j] of a vector of symbolic length (derivatives-indexed.tsv).
napier::Expr variable_of(const std::string& text) {
  napier::Result<napier::Expr> v = napier::parse(text);
  return v ? *v : napier::sym(text);
}

const char* const kFiles[] = {"derivatives.tsv", "derivatives-2.tsv", "derivatives-indexed.tsv"};
const char* const kHeader = "input\tvariable\texpected\tsteps\tsource";

struct Row {
  std::string file;  // "derivatives.tsv"
  int line = 0;
  std::string input, variable, expected, source;
  int steps = -1;   // -1: "-", a known bug whose step count is not checked
  std::string bug;  // the text of the "# BUG:" line above the row, if any
};

std::string where(const Row& row) {
  return row.file + ":" + std::to_string(row.line) + ": d/d" + row.variable + " " + row.input;
}

void PrintTo(const Row& row, std::ostream* os) { *os << where(row); }

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> columns;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    columns.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return columns;
    start = tab + 1;
  }
}

struct Table {
  std::vector<Row> rows;
  std::vector<std::string> problems;  // malformed lines: the table itself is wrong
};

void read_file(const std::string& name, Table& table) {
  const std::string path = std::string(NAPIER_TEST_DATA) + "/" + name;
  std::ifstream in(path);
  if (!in) {
    table.problems.push_back("cannot open " + path);
    return;
  }
  std::string line, bug;
  int bug_line = 0;
  bool header_seen = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string at = name + ":" + std::to_string(number) + ": ";
    if (line.rfind("# BUG:", 0) == 0) {
      if (!bug.empty()) table.problems.push_back(at + "two BUG lines in a row");
      bug = line.substr(6);
      while (!bug.empty() && bug.front() == ' ') bug.erase(bug.begin());
      bug_line = number;
      continue;
    }
    if (line.empty() || line[0] == '#') {
      if (!bug.empty()) table.problems.push_back(name + ":" + std::to_string(bug_line) + ": a BUG line must stand right above its row");
      bug.clear();
      continue;
    }
    if (!header_seen) {
      if (line != kHeader) table.problems.push_back(at + "expected the header line '" + kHeader + "'");
      header_seen = true;
      continue;
    }
    const std::vector<std::string> c = split_tabs(line);
    if (c.size() != 5) {
      table.problems.push_back(at + "expected 5 tab-separated columns, found " + std::to_string(c.size()));
      bug.clear();
      continue;
    }
    Row row{name, number, c[0], c[1], c[2], c[4], -1, bug};
    if (c[3] == "-") {
      if (bug.empty()) table.problems.push_back(at + "steps '-' is only for a row below a BUG line");
    } else {
      bool digits = !c[3].empty();
      for (char ch : c[3]) digits = digits && std::isdigit(static_cast<unsigned char>(ch));
      if (!digits) table.problems.push_back(at + "steps must be a number or '-', not '" + c[3] + "'");
      else if (!bug.empty()) table.problems.push_back(at + "a BUG row has steps '-' (its count is not checked)");
      else row.steps = std::stoi(c[3]);
    }
    if (row.input.empty() || row.variable.empty() || row.expected.empty() || row.source.empty()) {
      table.problems.push_back(at + "an empty column");
    }
    table.rows.push_back(std::move(row));
    bug.clear();
  }
  if (!header_seen) table.problems.push_back(name + ": no header line");
}

const Table& table() {
  static const Table t = [] {
    Table result;
    for (const char* name : kFiles) read_file(name, result);
    return result;
  }();
  return t;
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

bool has_unevaluated_derivative(Expr e) {
  if (e.is(Kind::Derivative)) return true;
  for (Expr a : e.args()) {
    if (has_unevaluated_derivative(a)) return true;
  }
  return false;
}

struct Outcome {
  Derivation derivation;
  bool derived = false;
  std::vector<std::string> failures;  // one line per failed check
};

// Differentiates the row and runs every check; `with_count` includes (c).
Outcome run_row(const Row& row, bool with_count) {
  Outcome out;
  auto fail = [&](const std::string& what) { out.failures.push_back(what); };
  Result<Expr> f = parse(row.input);
  if (!f) {
    fail("input does not parse: " + f.error().to_string());
    return out;
  }
  Result<Expr> expected = parse(row.expected);
  if (!expected) fail("expected answer does not parse: " + expected.error().to_string());
  const Expr x = variable_of(row.variable);
  const RuleSet& rules = shipped_rules();
  try {
    out.derivation = differentiate(*f, x, rules);
    out.derived = true;
  } catch (const std::exception& e) {
    fail(std::string("differentiate threw: ") + e.what());
    return out;
  }
  const Derivation& d = out.derivation;
  const std::string answer = print(d.result);
  try {
    // (a) GiNaC agrees
    CheckResult a = check_derivative(*f, x, d.result);
    if (!a.holds) fail("(a) GiNaC disagrees with " + answer + ": " + describe(a, d.result, derivative(*f, x)));
    // (b) the textbook answer
    if (expected) {
      CheckResult b = check_equal(d.result, *expected);
      if (!b.holds) fail("(b) " + answer + " is not the textbook answer " + row.expected + ": " + describe(b, d.result, *expected));
    }
    // (c) the length of the explanation
    if (with_count && row.steps >= 0 && d.steps.size() != static_cast<std::size_t>(row.steps)) {
      fail("(c) " + std::to_string(d.steps.size()) + " steps, the row says " + std::to_string(row.steps));
    }
    // (d) every step is a true equation
    for (std::size_t i = 0; i < d.steps.size(); ++i) {
      const Step& s = d.steps[i];
      CheckResult step = check_equal(s.before, s.after);
      if (!step.holds) {
        fail("(d) step " + std::to_string(i + 1) + " [" + s.rule + "] is not an equation: " + print(s.before) + " = " +
             print(s.after) + ": " + describe(step, s.before, s.after));
      }
    }
    // (e) the fast path
    const Expr fast = derivative_of(*f, x, rules);
    CheckResult e = check_equal(fast, d.result);
    if (!e.holds) fail("(e) derivative_of gives " + print(fast) + ", not " + answer + ": " + describe(e, fast, d.result));
    // (h) the fast path in drafts (as for a long sum, RewriteLimits::draft_from_terms) gives the very same node
    RewriteLimits drafting;
    drafting.draft_from_terms = 0;
    const Expr drafted = derivative_of(*f, x, rules, drafting);
    if (drafted != fast) fail("(h) derivative_of in drafts gives " + print(drafted) + ", not " + print(fast));
    // (g) simplifying without recording steps (one pass, each node's normal form worked out once) rewrites as
    // the recorded search from the root does: the very same node
    std::vector<Step> recorded_steps;
    const Expr recorded = simplify(fast, rules, Phase::Simplify, &recorded_steps);
    const Expr unrecorded = simplify(fast, rules, Phase::Simplify, nullptr);
    if (recorded != unrecorded) {
      fail("(g) simplifying " + print(fast) + " gives " + print(unrecorded) + " unrecorded, " + print(recorded) +
           " recorded");
    }
  } catch (const std::exception& e) {
    fail(std::string("a check threw: ") + e.what());
  }
  // (f) the printed answer parses back to the same expression
  Result<Expr> back = parse(answer);
  if (!back) fail("(f) the answer " + answer + " does not parse back: " + back.error().to_string());
  else if (*back != d.result) fail("(f) the answer " + answer + " parses back as " + print_tree(*back) + ", not " + print_tree(d.result));
  if (has_unevaluated_derivative(d.result)) fail("the answer " + answer + " still holds an unevaluated derivative");
  return out;
}

TEST(DerivativesTable, Loads) {
  const Table& t = table();
  for (const std::string& p : t.problems) ADD_FAILURE() << p;
  EXPECT_GE(t.rows.size(), 300u);
  std::map<std::pair<std::string, std::string>, std::string> seen;
  for (const Row& row : t.rows) {
    auto [it, fresh] = seen.emplace(std::make_pair(row.input, row.variable), where(row));
    EXPECT_TRUE(fresh) << where(row) << ": the same row as " << it->second;
  }
}

class Derivatives : public ::testing::TestWithParam<Row> {};

TEST_P(Derivatives, Row) {
  const Row& row = GetParam();
  // A BUG row's answer is checked like any other (GiNaC, the textbook answer, every step); only its form
  // and step count are known not to be what a textbook prints yet.
  for (const std::string& failure : run_row(row, true).failures) ADD_FAILURE() << where(row) << ": " << failure;
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  std::string name = info.param.file.substr(0, info.param.file.find('.')) + "_L" + std::to_string(info.param.line);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Tsv, Derivatives, ::testing::ValuesIn(table().rows), row_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Derivatives);

// The rows marked "# BUG:" in the tables: answers that are right (their rows pass every check but the step
// count) but not yet in the form a textbook prints. Listed in the test's output; after a fix, remove the BUG
// line and set the row's step count (scripts/step-counts).
TEST(DerivativesTable, KnownBugs) {
  std::string report;
  int count = 0;
  for (const Row& row : table().rows) {
    if (row.bug.empty()) continue;
    ++count;
    Outcome out = run_row(row, false);
    report.append("\n").append(where(row)).append("\n    BUG: ").append(row.bug);
    if (out.derived) {
      report.append("\n    napier: ").append(print(out.derivation.result));
      report.append("  (").append(std::to_string(out.derivation.steps.size())).append(" steps)");
    }
    for (const std::string& failure : out.failures) report.append("\n    also fails: ").append(failure);
  }
  RecordProperty("known_bugs", count);
  std::cout << count << " answers not yet in textbook form:" << report << "\n";
  EXPECT_LT(count, 40) << "the list of answers not in textbook form grew";
}

}  // namespace
}  // namespace napier
