// Hash-consing (include/napier/expr.hpp): equal trees are one node, and node hashes spread, so that
// interning stays a short probe (a weak hash once put 1.6 nodes on each hash value of c*x^k).
#include <gtest/gtest.h>

#include <optional>
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
    // Read from CLN's word where it is a fixnum (detail::fixnum_value), from CLN otherwise: the same answers.
    EXPECT_TRUE(num(v).is_number(v)) << v;
    EXPECT_FALSE(num(v).is_number(v + 1)) << v;
    const bool fits = v < (long{1} << 62) && v > -(long{1} << 62);  // small_integer's range
    EXPECT_EQ(num(v).small_integer(), fits ? std::optional<long>(v) : std::nullopt) << v;
    EXPECT_EQ(num(v).is_negative_number(), v < 0) << v;
  }
  for (long v : {0L, -1L, 5L, (long{1} << 60) - 1, -(long{1} << 60)}) {  // fixnums, in and past 48 bits
    long read = v + 1;
    EXPECT_TRUE(detail::fixnum_value(cln::cl_RA(v), read)) << v;
    EXPECT_EQ(read, v);
  }
  long unread = 0;
  EXPECT_FALSE(detail::fixnum_value(cln::cl_RA(long{1} << 62), unread));  // a bignum
  EXPECT_FALSE(detail::fixnum_value(cln::cl_RA(1) / 3, unread));          // a fraction
  EXPECT_FALSE(num(1, 2).small_integer().has_value());
  EXPECT_FALSE(num(1, 2).is_number(0));
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

// Every node carries a summary of its subtree (expr.hpp): whether a d/dv(f) is in it, and which symbol occurs
// when only one does. The summary decides only what it can: several symbols, or a sum(...) inside (which
// binds its index), leave the question to a walk.
TEST(Expr, NodesSummariseTheirDerivativesAndTheirSymbol) {
  const Expr x = sym("x"), y = sym("y"), k = sym("k");
  const Expr f = mul(num(3), pow(x, num(2)));
  EXPECT_FALSE(f.holds_derivative());
  EXPECT_TRUE(derivative(f, x).holds_derivative());
  EXPECT_TRUE(add(num(1), mul(num(2), derivative(f, x))).holds_derivative());
  EXPECT_EQ(f.holds_symbol(x), std::optional<bool>(true));
  EXPECT_EQ(f.holds_symbol(y), std::optional<bool>(false));
  EXPECT_EQ(num(7).holds_symbol(x), std::optional<bool>(false));
  EXPECT_EQ(mul(constant("pi"), num(2)).holds_symbol(x), std::optional<bool>(false));
  EXPECT_EQ(x.holds_symbol(x), std::optional<bool>(true));
  EXPECT_EQ(add(f, y).holds_symbol(x), std::nullopt);  // two symbols: undecided
  EXPECT_EQ(add(f, call("sin", {x})).holds_symbol(x), std::optional<bool>(true));
  const Expr bound = call("sum", {pow(k, num(2)), k, num(1), num(10)});
  EXPECT_EQ(bound.holds_symbol(k), std::nullopt);
  EXPECT_EQ(mul(num(2), bound).holds_symbol(k), std::nullopt);
  EXPECT_EQ(sym("?u").holds_symbol(sym("?u")), std::optional<bool>(true));
  EXPECT_EQ(sym("?u").holds_symbol(x), std::optional<bool>(false));
  EXPECT_EQ(f.holds_symbol(mul(num(2), x)), std::nullopt);  // not a symbol: no answer
}

}  // namespace
}  // namespace napier
