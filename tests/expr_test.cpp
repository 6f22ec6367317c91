// Hash-consing (include/napier/expr.hpp): equal trees are one node, and node hashes spread, so that
// interning stays a short probe (a weak hash once put 1.6 nodes on each hash value of c*x^k).
#include <gtest/gtest.h>

#include <unordered_set>

#include "napier/expr.hpp"

namespace napier {
namespace {

TEST(Expr, EqualTreesAreOneNode) {
  const Expr x = sym("x");
  EXPECT_EQ(mul(num(3), pow(x, num(2))), mul(num(3), pow(sym("x"), num(2))));
  EXPECT_NE(mul(num(3), pow(x, num(2))), mul(pow(x, num(2)), num(3)));  // order is kept
  EXPECT_NE(num(1, 2), num(2, 4 + 1));
  EXPECT_EQ(num(1, 2), num(2, 4));  // rationals in lowest terms
}

TEST(Expr, HashesOfSimilarNodesAreDistinct) {
  const Expr x = sym("x");
  std::unordered_set<std::size_t> hashes;
  std::size_t nodes = 0;
  auto note = [&](Expr e) {
    hashes.insert(e.hash());
    ++nodes;
  };
  for (long k = 1; k <= 20000; ++k) {
    note(num(k));
    note(num(-k));
    note(num(1, k + 1));
    note(pow(x, num(k)));
    note(mul(num(k), pow(x, num(k - 1))));
  }
  note(num(cln::expt_pos(cln::cl_I(2), 200)));
  note(num(cln::expt_pos(cln::cl_I(2), 200) + 1));
  // All distinct nodes, so a 64-bit hash has no business colliding here.
  EXPECT_EQ(hashes.size(), nodes);
}

}  // namespace
}  // namespace napier
