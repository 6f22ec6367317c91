#include <gtest/gtest.h>

#include "napier/parse.hpp"
#include "napier/print.hpp"

TEST(Smoke, ParsesAndPrintsSigmoid) {
  auto e = napier::parse("1/(1+exp(-x))");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(napier::print_tree(*e), "(div 1 (add 1 (call exp (mul -1 x))))");
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(napier::print(*e), "1/(1 + exp(-x))");
}
