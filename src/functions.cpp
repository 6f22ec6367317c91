#include "napier/functions.hpp"

#include "primitives.hpp"

namespace napier {

const FunctionTable& FunctionTable::builtin() {
  static const FunctionTable table = [] {
    FunctionTable t;
    for (const Primitive& p : primitives()) t.add({std::string(p.name), p.min_arity, p.max_arity, false});
    t.add({"softmax", 1, -1, true});  // softmax(x1, ..., xn)[i]
    t.add({"if", 3, 3, false});       // if(condition, a, b): piecewise.hpp
    t.add({"diff", 2, 2, false});     // diff(f, x): the unevaluated derivative d/dx f
    t.add({"sum", 4, 4, false});      // sum(body, k, lo, hi): body summed over k = lo..hi (indexed.hpp)
    t.add({"delta", 2, 2, false});    // delta(i, j): the Kronecker delta, 1 if i = j else 0
    return t;
  }();
  return table;
}

void FunctionTable::add(FunctionInfo info) {
  std::string name = info.name;
  functions_.insert_or_assign(std::move(name), std::move(info));
}

const FunctionInfo* FunctionTable::find(std::string_view name) const {
  auto it = functions_.find(canonical_name(name));
  return it == functions_.end() ? nullptr : &it->second;
}

// Other spellings of a function's name, read as napier's own (and printed so): ln for log, and the arc- and
// ar- names of the inverse trigonometric and hyperbolic functions. An error names the spelling the user
// wrote (parse.cpp): arcsinh(x) is "unknown function 'arcsinh'" while asinh is not in the table.
std::string_view FunctionTable::canonical_name(std::string_view name) {
  struct Alias {
    std::string_view alias, canonical;
  };
  static constexpr Alias kAliases[] = {
      {"ln", "log"},        {"arcsin", "asin"},   {"arccos", "acos"},   {"arctan", "atan"},
      {"arcsinh", "asinh"}, {"arccosh", "acosh"}, {"arctanh", "atanh"}, {"arsinh", "asinh"},
      {"arcosh", "acosh"},  {"artanh", "atanh"},
  };
  if (name.size() < 2 || (name[0] != 'a' && name[0] != 'l')) return name;  // most names, at one compare
  for (const auto& [alias, canonical] : kAliases) {
    if (name == alias) return canonical;
  }
  return name;
}

}  // namespace napier
