// differentiate(f, x) -> Derivation: d/dx(f) rewritten outside-in by the derive rules of rules/, one named
// step per rule application, then simplified by the simplify and textbook rules (also recorded).
//
// At a node d/dx(g) the derive phase tries, in order:
//   1. the derive rules of the rule files whose match fits (file order; indexed by the kind of g);
//   2. for a call f(u) with a `derivative f(t) := ...` record: that derivative, times d/dx(u) by the chain
//      rule unless u is x itself;
//   3. for a call with a `define f(...) := ...` record: the definition, differentiated in its place.
// A node none of these fits stays as an unevaluated d/dx(g).
#pragma once

#include <optional>

#include "napier/derivation.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"

namespace napier {

struct DiffOptions {
  bool record_steps = true;
  bool simplify = true;   // run the simplify and textbook phases after differentiating
  bool textbook = true;   // the textbook phase (fold-back to sigmoid, etc.)
  // Expand a function's definition before using its derivative record (the chain style of document 004
  // differentiates sigmoid(x) through 1/(1 + exp(-x))).
  bool definitions_first = false;
  RewriteLimits limits;
};

Derivation differentiate(Expr f, Expr var, const RuleSet& rules, const DiffOptions& options = {});

// The derive phase's rewrite at a node d/dx(g) (nothing for other nodes, or when no rule fits). With
// `describe` false only the replacement is filled in (see apply_rules).
std::optional<Rewrite> derive_at(const RuleSet& rules, Expr node, bool definitions_first = false,
                                 bool describe = true);

// The fast path: the same rules, no steps recorded, memoized per node (but the smallest, which are cheaper to
// work out again) so that the cost grows with the shared DAG, not with the printed tree; not simplified. It recurses, so a derive rule that never finishes
// is stopped by a depth limit and by the deadline (limits.deadline or set_deadline's): StepLimitExceeded.
Expr derivative_of(Expr f, Expr var, const RuleSet& rules, const RewriteLimits& limits = {});

// Simplify `e` with the rules of `phase`, recording steps: Simplify innermost first (bottom-up clean-up),
// Textbook outermost first (a teacher's moves look at the whole expression before its parts).
Expr simplify(Expr e, const RuleSet& rules, Phase phase, std::vector<Step>* steps, const RewriteLimits& limits = {});

}  // namespace napier
