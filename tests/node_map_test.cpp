// NodeMap, the open-addressing memo of the differentiator (src/node_map.hpp): every key found again after
// many growths, absent keys absent, and a second emplace keeping the first value as map::emplace does.
#include "../src/node_map.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace napier {
namespace {

TEST(NodeMap, FindsEveryKeyAfterGrowing) {
  std::vector<Expr> keys;
  for (long k = 0; k < 20000; ++k) keys.push_back(pow(sym("node_map_x"), num(k)));
  NodeMap<long> map;
  for (long k = 0; k < 20000; k += 2) map.emplace(keys[static_cast<std::size_t>(k)].node(), k);
  EXPECT_EQ(map.size(), 10000u);
  for (long k = 0; k < 20000; ++k) {
    const long* found = map.find(keys[static_cast<std::size_t>(k)].node());
    if (k % 2 == 0) {
      ASSERT_NE(found, nullptr) << k;
      EXPECT_EQ(*found, k);
    } else {
      EXPECT_EQ(found, nullptr) << k;
    }
  }
}

TEST(NodeMap, EmptyMapFindsNothingAndEmplaceKeepsTheFirstValue) {
  NodeMap<Expr> map;
  const Expr x = sym("node_map_y");
  EXPECT_EQ(map.find(x.node()), nullptr);
  map.emplace(x.node(), num(1));
  map.emplace(x.node(), num(2));
  EXPECT_EQ(map.size(), 1u);
  ASSERT_NE(map.find(x.node()), nullptr);
  EXPECT_EQ(*map.find(x.node()), num(1));
}

}  // namespace
}  // namespace napier
