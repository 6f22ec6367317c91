// A seeded random expression generator for differential testing: every function of the input syntax,
// nesting, rational exponents, and shared subterms (a subexpression reused within one expression).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "napier/expr.hpp"

namespace napier::testing {

class RandomExpressions {
 public:
  explicit RandomExpressions(std::uint64_t seed) : rng_(seed) {}

  // An expression in x (and sometimes the parameter a) of at most `depth` levels.
  Expr next(int depth = 4);

 private:
  Expr leaf();
  Expr node(int depth);
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::mt19937_64 rng_;
  std::vector<Expr> made_;  // subterms of the current expression, for sharing
};

}  // namespace napier::testing
