// The functions the input syntax knows, with their arities. The contract's functions are built in; rule
// files add more (a user-defined `swish(t) := t*sigmoid(t)` makes `swish` known to the parser).
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
  // The contract's functions: exp log ln sqrt abs sin cos tan cot sec csc asin acos atan sinh cosh tanh
  // sigmoid softplus softmax, diff(f, x) for an unevaluated derivative, and sum(body, k, lo, hi) and
  // delta(i, j) for vectors of symbolic length (indexed.hpp).
  static const FunctionTable& builtin();

  void add(FunctionInfo info);
  const FunctionInfo* find(std::string_view name) const;
  // ln is read as log: one name per function inside napier.
  static std::string_view canonical_name(std::string_view name);
  const std::map<std::string, FunctionInfo, std::less<>>& all() const { return functions_; }

 private:
  std::map<std::string, FunctionInfo, std::less<>> functions_;
};

}  // namespace napier
