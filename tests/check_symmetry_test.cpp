// The verdict never depends on which side is which (issue 19): check_equal(A, B) and check_equal(B, A) give
// the same verdict, and a refutation the same point, over 10^4 seeded random pairs. The pairs are of three
// kinds, so that every verdict occurs: two unrelated expressions (mostly refuted), an expression against
// GiNaC's evaluated form of it (equal over C, often on different real domains: the asymmetric case), and an
// expression against itself plus a tiny number (refuted only at the finer precision).
#include <gtest/gtest.h>

#include <map>

#include "napier/check.hpp"
#include "napier/ginac_bridge.hpp"
#include "napier/print.hpp"
#include "support/random_expr.hpp"

namespace napier {
namespace {

// GiNaC's own form of e (its automatic evaluation only: sqrt(x)^2 becomes x), or e when GiNaC cannot.
Expr ginac_form(Expr e, GinacContext& context) {
  const Result<GiNaC::ex> g = to_ginac(e, context);
  if (!g) return e;
  const Result<Expr> back = from_ginac(*g);
  return back ? *back : e;
}

TEST(CheckSymmetry, TenThousandRandomPairsGetOneVerdictEitherWayRound) {
  testing::RandomExpressions random(19);
  GinacContext context;
  // Few points per check, so that 2 * 10^4 checks stay fast: symmetry is about the procedure, which is the
  // same at every point. GiNaC's proof is tried on every tenth pair (it is the slow part).
  CheckOptions fast;
  fast.points = 4;
  fast.max_attempts = 8;
  fast.fine_points = 2;
  std::map<std::string, int> seen;  // verdicts met, so that the test is known to cover each
  for (int i = 0; i < 10000; ++i) {
    const Expr a = random.next(3);
    Expr b;
    switch (i % 5) {
      case 0:
      case 1: b = random.next(3); break;
      case 2:
      case 3: b = ginac_form(a, context); break;
      default: b = add(a, pow(num(10), num(-60))); break;
    }
    CheckOptions options = fast;
    options.try_symbolic = i % 10 == 0;
    const CheckResult forward = check_equal(a, b, options), backward = check_equal(b, a, options);
    const std::string where = print(a) + " = " + print(b);
    ASSERT_EQ(how_name(forward.how), how_name(backward.how))
        << where << "\n  forward: " << describe(forward, a, b) << "\n  backward: " << describe(backward, b, a);
    ASSERT_EQ(forward.holds, backward.holds) << where;
    if (forward.counterexample) {
      ASSERT_TRUE(backward.counterexample.has_value()) << where;
      EXPECT_EQ(describe_point(forward.counterexample->point), describe_point(backward.counterexample->point)) << where;
      EXPECT_EQ(forward.counterexample->lhs_value, backward.counterexample->rhs_value) << where;
    }
    ++seen[how_name(forward.how)];
  }
  for (const char* how : {"proved", "numeric", "refuted", "undecided"}) EXPECT_GT(seen[how], 0) << how;
  for (const auto& [how, count] : seen) RecordProperty(how, count);
}

}  // namespace
}  // namespace napier
