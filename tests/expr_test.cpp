// Hash-consing (include/napier/expr.hpp): equal trees are one node, and node hashes spread, so that
// interning stays a short probe (a weak hash once put 1.6 nodes on each hash value of c*x^k).
#include <gtest/gtest.h>

#include <unordered_set>
#include <vector>

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

// num(long) hashes a machine-word value itself instead of asking CLN (expr.cpp): it must reach the same node
// as the general constructor, on both sides of the bound where make() stops keeping values immediate.
TEST(Expr, SmallIntegersAreTheSameNodeWhicheverConstructorMadeThem) {
  const long bound = long{1} << 47;
  for (long v : {0L, 1L, -1L, 7L, -123456789L, bound - 1, -bound, bound, -bound - 1, 1L << 62}) {
    EXPECT_EQ(num(v), num(cln::cl_RA(v))) << v;
    EXPECT_EQ(num(v).number(), cln::cl_RA(v)) << v;
  }
  EXPECT_NE(num(bound - 1), num(bound));
}

// Enough distinct nodes that every shard's table is replaced by larger ones several times: a node built
// before the tables grew is still the node found after (a lookup reads the current table, never a stale one
// that would miss it and build a second copy).
TEST(Expr, NodesSurviveTheirTablesGrowing) {
  const Expr x = sym("x");
  std::vector<Expr> first;
  for (long k = 0; k < 200000; ++k) first.push_back(pow(x, num(k + 7000000)));
  for (long k = 0; k < 200000; ++k) ASSERT_EQ(pow(x, num(k + 7000000)), first[static_cast<std::size_t>(k)]) << k;
}

}  // namespace
}  // namespace napier
