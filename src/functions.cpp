#include "napier/functions.hpp"

#include "primitives.hpp"

namespace napier {

const FunctionTable& FunctionTable::builtin() {
  static const FunctionTable table = [] {
    FunctionTable t;
    for (const Primitive& p : primitives()) t.add({std::string(p.name), p.min_arity, p.max_arity, false});
    t.add({"softmax", 1, -1, true});  // softmax(x1, ..., xn)[i]
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

std::string_view FunctionTable::canonical_name(std::string_view name) { return name == "ln" ? "log" : name; }

}  // namespace napier
