// The functions the input syntax knows, with their arities. The primitives (src/primitives.hpp: those GiNaC,
// CLN or Arb implement) and napier's own forms are built in; rule files add the rest: the shipped ones the
// contract's sigmoid, softplus, sec, csc and cot, a user's `define swish(t) := t*sigmoid(t)` its swish.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace napier {

struct FunctionInfo {
  std::string name;
  int min_arity = 1;
  int max_arity = 1;      // -1: any number (softmax)
  bool is_vector = false;  // returns a vector, indexed with [i] (softmax)
};

class FunctionTable {
 public:
  // The primitives, softmax, diff(f, x) for an unevaluated derivative, and sum(body, k, lo, hi) and
  // delta(i, j) for vectors of symbolic length (indexed.hpp). A function defined in rules/ is not here: the
  // parser knows it from the loaded rules (RuleSet::functions).
  static const FunctionTable& builtin();
  // builtin() and the functions of the shipped rules (rules/: sigmoid, sec, ...), loaded once: what the
  // parser knows when it is given no table. Defined with the rule loader (rules.cpp); builtin() alone if the
  // shipped rules cannot be loaded.
  static const FunctionTable& shipped();

  void add(FunctionInfo info);
  const FunctionInfo* find(std::string_view name) const;
  // ln is read as log: one name per function inside napier.
  static std::string_view canonical_name(std::string_view name);
  const std::map<std::string, FunctionInfo, std::less<>>& all() const { return functions_; }

 private:
  std::map<std::string, FunctionInfo, std::less<>> functions_;
};

}  // namespace napier
