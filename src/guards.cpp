// The guard table (napier/guards.hpp): each guard's name, number of arguments and judgement, in one place.
// A new guard is one row here and one in docs/rules.md's table (tests/guards_test.cpp holds them together).
#include "napier/guards.hpp"

#include <algorithm>
#include <vector>

#include "napier/indexed.hpp"
#include "napier/rewrite.hpp"

namespace napier {

// -t, -2*t, -w*x - b: a form whose negation reads without a leading minus.
bool reads_negative(Expr e) {
  if (e.is(Kind::Add)) {
    for (Expr t : e.args()) {
      if (!reads_negative(t)) return false;
    }
    return true;
  }
  return e.is_negative_number() || (e.is(Kind::Mul) && e[0].is_negative_number());
}

// Two sums with the same terms in some order (tan(x) + sec(x) and sec(x) + tan(x)), or the same expression.
bool same_terms(Expr a, Expr b) {
  if (a == b) return true;
  if (!a.is(Kind::Add) || !b.is(Kind::Add) || a.size() != b.size()) return false;
  std::vector<const Node*> left, right;
  for (Expr t : a.args()) left.push_back(t.node());
  for (Expr t : b.args()) right.push_back(t.node());
  std::sort(left.begin(), left.end());
  std::sort(right.begin(), right.end());
  return left == right;
}

namespace {

using Args = std::span<const Expr>;

bool free_guard(Args g) { return !depends_on(g[0], g[1]); }
bool depends_guard(Args g) { return depends_on(g[0], g[1]); }
bool number_guard(Args g) { return g[0].is_number(); }
bool integer_guard(Args g) { return g[0].is_integer(); }
bool positive_integer_guard(Args g) { return g[0].is_integer() && cln::plusp(g[0].number()); }
bool negative_number_guard(Args g) { return g[0].is_negative_number(); }
bool not_number_guard(Args g) { return !g[0].is_number(); }
bool symbol_guard(Args g) { return g[0].is(Kind::Symbol); }
bool same_guard(Args g) { return g[0] == g[1]; }
bool same_terms_guard(Args g) { return same_terms(g[0], g[1]); }
bool less_guard(Args g) { return g[0].is_number() && g[1].is_number() && g[0].number() < g[1].number(); }
bool constant_guard(Args g) { return g[0].is(Kind::Constant); }
bool negative_guard(Args g) { return reads_negative(g[0]); }
bool in_range_guard(Args g) { return index_in_range(g[0], g[1], g[2]); }
bool outside_range_guard(Args g) { return index_outside_range(g[0], g[1], g[2]); }

// The order of the loader's message ("a guard is one of: ...").
constexpr Guard kGuards[] = {
    {"free", 2, free_guard},
    {"depends", 2, depends_guard},
    {"number", 1, number_guard},
    {"integer", 1, integer_guard},
    {"positive_integer", 1, positive_integer_guard},
    {"negative_number", 1, negative_number_guard},
    {"not_number", 1, not_number_guard},
    {"symbol", 1, symbol_guard},
    {"same", 2, same_guard},
    {"same_terms", 2, same_terms_guard},
    {"less", 2, less_guard},
    {"constant", 1, constant_guard},
    {"negative", 1, negative_guard},
    {"in_range", 3, in_range_guard},
    {"outside_range", 3, outside_range_guard},
    {"not", 1, nullptr},
};

static_assert(std::all_of(std::begin(kGuards), std::end(kGuards),
                          [](const Guard& g) { return g.arity <= kMaxGuardArity; }));

std::string unknown_guard_message() {
  std::string message = "a guard is one of: ";
  for (const Guard& g : kGuards) {
    if (&g != kGuards) message += ", ";
    message += g.name;
  }
  return message;
}

}  // namespace

std::span<const Guard> guard_table() { return kGuards; }

const Guard* find_guard(std::string_view name) {
  for (const Guard& g : kGuards) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

Result<GuardCall> resolve_guard(Expr g) {
  bool negated = false;
  for (;;) {
    const Guard* known = g.is(Kind::Call) ? find_guard(g.name()) : nullptr;
    if (known == nullptr) return Diagnostic(unknown_guard_message());
    if (g.size() != known->arity) {
      return Diagnostic("guard '" + g.name() + "' takes " + std::to_string(known->arity) + " argument" +
                        (known->arity == 1 ? "" : "s"));
    }
    if (known->holds != nullptr) return GuardCall{known, g, negated};
    negated = !negated;  // not(g): the guard inside, the other way round
    g = g[0];
  }
}

}  // namespace napier
