// The guards of the rule language (docs/rules.md, "Guards"): one table holding, for each guard, its name, its
// number of arguments and what it judges. The loader checks a `where` field against it and resolves each
// guard to its entry once, when the rule loads (Rule::guard_calls); the rewriter then judges the entry on
// the instantiated arguments, with no name to look up, so an unknown guard cannot reach the rewriter.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"

namespace napier {

struct Guard {
  std::string_view name;
  std::size_t arity;
  // Does it hold for these arguments (already instantiated, `arity` of them)? Null for `not` alone, which
  // resolve_guard works into the guard it wraps (GuardCall::negated).
  bool (*holds)(std::span<const Expr> args);
};

// No guard takes more arguments (the rewriter instantiates them into an array of this size).
inline constexpr std::size_t kMaxGuardArity = 3;

// Every guard, in the order the loader's message lists them, `not` last.
std::span<const Guard> guard_table();
// The entry named `name`, or null.
const Guard* find_guard(std::string_view name);

// A guard of a rule, resolved when the rule loads: the call whose arguments are instantiated (free(?c, ?x)
// of not(free(?c, ?x))), its entry, and whether it is wrapped in not(...) an odd number of times.
struct GuardCall {
  const Guard* guard = nullptr;
  Expr call;
  bool negated = false;
};

// g (as a `where` field writes it) resolved against the table, or the loader's message: a name the table
// does not have ("a guard is one of: ..."), or the wrong number of arguments, inside not(...) too. The
// diagnostic has no place; the loader gives it one.
Result<GuardCall> resolve_guard(Expr g);

// Does the resolved guard hold for its instantiated arguments?
inline bool guard_call_holds(const GuardCall& g, std::span<const Expr> args) {
  return g.guard->holds(args) != g.negated;
}

}  // namespace napier
