#include "random_expr.hpp"

namespace napier::testing {

Expr RandomExpressions::next(int depth) {
  made_.clear();
  Expr e = node(depth);
  // Every expression should depend on x, or its derivative is trivially 0.
  if (!contains(e, sym("x"))) e = add(e, sym("x"));
  return e;
}

Expr RandomExpressions::leaf() {
  switch (pick(8)) {
    case 0:
    case 1:
    case 2: return sym("x");
    case 3: return num(pick(5) + 1);
    case 4: return num(-(pick(3) + 1));
    case 5: return num(pick(3) + 1, pick(3) + 2);
    case 6: return sym("a");
    default: return pick(2) ? constant("pi") : constant("e");
  }
}

Expr RandomExpressions::node(int depth) {
  if (depth <= 0 || pick(5) == 0) return leaf();
  if (!made_.empty() && pick(6) == 0) return made_[static_cast<std::size_t>(pick(static_cast<int>(made_.size())))];
  static const char* const kFunctions[] = {"exp", "log", "sqrt", "abs", "sin", "cos", "tan", "cot", "sec", "csc",
                                           "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "softplus"};
  Expr e;
  switch (pick(9)) {
    case 0: e = add(node(depth - 1), node(depth - 1)); break;
    case 1: e = sub(node(depth - 1), node(depth - 1)); break;
    case 2: e = mul(node(depth - 1), node(depth - 1)); break;
    case 3: e = div(node(depth - 1), node(depth - 1)); break;
    case 4: e = pow(node(depth - 1), num(pick(4) + 1)); break;
    case 5: e = pow(node(depth - 1), pick(2) ? num(pick(3) + 1, pick(3) + 2) : num(-(pick(3) + 1))); break;
    case 6: e = pow(node(depth - 1), node(depth - 1)); break;
    case 7: e = call("log", {node(depth - 1), num(pick(3) + 2)}); break;
    default: e = call(kFunctions[pick(18)], {node(depth - 1)}); break;
  }
  made_.push_back(e);
  return e;
}

}  // namespace napier::testing
