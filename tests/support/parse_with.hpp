// Parsing with a rule set's functions in a test: the expression, or a failed expectation naming the text (and 0).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "napier/parse.hpp"
#include "napier/rules.hpp"

namespace napier::testing {

inline Expr parse_with(const RuleSet& rules, const std::string& text) {
  ParseOptions options;
  options.functions = &rules.functions();
  Result<Expr> e = parse(text, options);
  EXPECT_TRUE(e) << text << ": " << e.error().to_string();
  return e ? *e : num(0);
}

}  // namespace napier::testing
