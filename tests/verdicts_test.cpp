// tests/data/verdicts.tsv: the verdict of napier check, exactly (true, false, undecided), for each row and for
// the row with its sides swapped; every counterexample is a point where both sides are defined and differ.
#include <gtest/gtest.h>

#include <cln/real.h>

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/numeric.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"

namespace napier {
namespace {

struct VerdictRow {
  int line = 0;
  std::string text, verdict;
};

void PrintTo(const VerdictRow& row, std::ostream* os) { *os << "verdicts.tsv:" << row.line << " \"" << row.text << "\""; }

std::vector<VerdictRow> rows() {
  std::vector<VerdictRow> out;
  std::ifstream in(std::string(NAPIER_TEST_DATA) + "/verdicts.tsv");
  std::string line;
  bool header_seen = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    const std::size_t tab = line.find('\t');
    const std::size_t tab2 = line.find('\t', tab + 1);
    out.push_back({number, line.substr(0, tab), line.substr(tab + 1, tab2 == std::string::npos ? tab2 : tab2 - tab - 1)});
  }
  return out;
}

// What napier check prints on its first line.
std::string verdict_word(const CheckResult& r) {
  return r.how == How::Undecided ? "undecided" : r.holds ? "true" : "false";
}

// Evaluated here at 400 digits: both sides defined at the point, and apart by more than rounding.
void expect_counterexample(Expr lhs, Expr rhs, const CheckResult& r, const std::string& where) {
  ASSERT_TRUE(r.counterexample.has_value()) << where;
  const Point& p = r.counterexample->point;
  const std::optional<cln::cl_R> l = evaluate(lhs, p, {400}), rr = evaluate(rhs, p, {400});
  ASSERT_TRUE(l.has_value()) << where << ": the left side is undefined at " << describe_point(p);
  ASSERT_TRUE(rr.has_value()) << where << ": the right side is undefined at " << describe_point(p);
  // Relative to the larger side: exp(-10^6*(x^2 + 1)) = 0 differs by 10^-434294, and that is a difference.
  const cln::cl_R scale = cln::max(cln::abs(*l), cln::abs(*rr));
  EXPECT_GT(cln::abs(*l - *rr), scale * (cln::cl_RA(1) / cln::expt_pos(cln::cl_I(10), 300)))
      << where << ": both sides are " << describe_value(*l) << " at " << describe_point(p);
}

class VerdictTable : public testing::TestWithParam<VerdictRow> {};

TEST(VerdictTableFile, HasTheRowsIssue19AsksFor) {
  int t = 0, f = 0, u = 0;
  for (const VerdictRow& row : rows()) {
    ASSERT_TRUE(row.verdict == "true" || row.verdict == "false" || row.verdict == "undecided")
        << "verdicts.tsv:" << row.line << ": verdict '" << row.verdict << "'";
    (row.verdict == "true" ? t : row.verdict == "false" ? f : u) += 1;
  }
  EXPECT_GE(t, 12);
  EXPECT_GE(f, 7);
  EXPECT_GE(u, 1);
}

TEST_P(VerdictTable, IsTheSameEitherWayRound) {
  const VerdictRow& row = GetParam();
  const std::string where = "verdicts.tsv:" + std::to_string(row.line) + ": " + row.text;
  const Result<Expr> e = parse(row.text);
  ASSERT_TRUE(e.ok() && e->is(Kind::Equation)) << where;
  const Expr lhs = (*e)[0], rhs = (*e)[1];
  const CheckResult forward = check_equal(lhs, rhs), backward = check_equal(rhs, lhs);
  EXPECT_EQ(verdict_word(forward), row.verdict) << where << "\n  napier: " << describe(forward, lhs, rhs);
  EXPECT_EQ(verdict_word(backward), row.verdict) << where << " (swapped)\n  napier: " << describe(backward, rhs, lhs);
  if (row.verdict == "false") {
    expect_counterexample(lhs, rhs, forward, where);
    expect_counterexample(rhs, lhs, backward, where + " (swapped)");
  }
}

std::string row_name(const testing::TestParamInfo<VerdictRow>& info) { return "line_" + std::to_string(info.param.line); }
INSTANTIATE_TEST_SUITE_P(Verdicts, VerdictTable, testing::ValuesIn(rows()), row_name);

}  // namespace
}  // namespace napier
