// The strategy half of the rule engine: where and how often rules apply. The rule files say what is true;
// this says in which order a phase applies them. Every application can be recorded as a Step.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "napier/derivation.hpp"
#include "napier/rules.hpp"

namespace napier {

// One rule application at one node.
struct Rewrite {
  std::string rule, label;
  Expr replacement;
  std::vector<std::pair<std::string, Expr>> bindings;
};

// Try the rules of `phase` from `rules` at `node` (the first whose match and guards succeed and whose
// replacement differs from the node). A rule whose pattern has three or more segment variables in one
// sum or product (like terms, x^a*x^b: quadratic matching) is not tried on a sum or product of more than
// kMaxTermsForQuadraticRules terms (docs/limits.md). With `describe` false only the replacement is filled
// in (no rule name, label or bindings): the paths that record no steps skip building those strings.
inline constexpr std::size_t kMaxTermsForQuadraticRules = 64;
std::optional<Rewrite> apply_rules(const RuleSet& rules, Phase phase, Expr node, bool describe = true);

// The derive rules at d/dx(g), for the fast path, which calls it only for a g that depends on x (the rules
// that fit only where g does not, Rule::only_where_free, are not tried): the replacement of the first rule whose match and guards
// succeed and whose replacement is not d/dx(g) itself, instantiated with each d/dv(f) it leaves handed to
// `derivative` (see instantiate, also for the d/dv(f) the result may still hold). Neither d/dx(g) nor the
// rule's own d/dv(f) nodes are built, except a replacement that is a d/dx(...), to compare it with d/dx(g).
// The null Expr when no rule fits (not a std::optional, which GCC returned through the stack in a way that
// stalls: a few percent of differentiating a long sum).
Expr apply_derive_rules(const RuleSet& rules, Expr g, Expr x, const std::function<Expr(Expr f, Expr v)>& derivative);

// Does the guard of a rule (a call such as free(?c, ?x)) hold for these bindings? Its arguments are
// instantiated, the call itself is not.
bool guard_holds(Expr guard, const Bindings& bindings);

// Memoized "does e contain v" over the DAG; nodes are immutable and never freed, so the answer is cached
// for the life of the thread. Inline where the node's summary decides (a symbol v, at most one symbol in
// e): the rules ask it of nearly every node they match.
bool depends_on_walk(Expr e, Expr v);
inline bool depends_on(Expr e, Expr v) {
  if (e.node() == v.node()) return true;
  if (v.is(Kind::Symbol)) {
    if (const std::optional<bool> held = e.holds_symbol(v)) return *held;
  }
  return depends_on_walk(e, v);
}

enum class Order {
  Outermost,  // pre-order: the first rewritable node from the root (differentiation: d/dx(...) outside in)
  Innermost,  // post-order: children before parents (simplification: bottom-up)
};

inline constexpr std::size_t kMaxFastPathDepth = 20000;  // derivatives being worked out at once (derive.hpp)

struct RewriteLimits {
  // Rule applications in one phase: max_steps, or kStepsPerNode per distinct node of the expression the phase
  // starts from, whichever is more (a sum of 10^5 terms has a redex or two in every term).
  static constexpr std::size_t kStepsPerNode = 8;
  std::size_t max_steps = 100000;
  std::size_t max_depth = kMaxFastPathDepth;  // the fast path's nesting of derivatives (a looping derive rule)
  std::size_t max_nodes = 4000000;      // new expression nodes one phase may create (about 150 bytes each)
  // The memory of the new nodes one phase may create: a recorded step rebuilds the path from the root to its
  // redex, so each step under a sum of 10^5 terms makes a node of 800 KB.
  std::size_t max_node_bytes = std::size_t{1} << 30;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Not a limit but a threshold of the fast path (derivative_of): the derivative of a sum of at least this
  // many terms is worked out in drafts (src/interner.hpp), so that the lookups of its many new nodes overlap
  // (10^5 terms: 35% less time). Below it, drafting costs more than it saves (up to 10% on a softmax row, 36%
  // on sin nested 1000 deep, whose wide products drafting copies and translates). 0: every derivative.
  std::size_t draft_from_terms = std::size_t{1} << 14;
};

// The deadline all rewriting in this thread honours (set by the CLI's --timeout); checked every 256 steps.
void set_deadline(std::chrono::steady_clock::time_point deadline);
std::chrono::steady_clock::time_point current_deadline();

// A limit of RewriteLimits was reached: the message names it (docs/limits.md).
class StepLimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Rewrites `e` with `at` (which proposes a Rewrite for a node, or nothing) until no node can be rewritten.
// Appends a Step per rewrite to `steps` when it is not null. Throws StepLimitExceeded past the limit.
// Innermost without steps works out each node's normal form once (children left to right, then the node,
// then its replacement): the same rewrites, in the same order, as searching from the root after each one,
// in time and memory that grow with the expression rather than with steps times its size.
// `shared_key`, when not 0, names what `at` is (see RuleSet::generation): calls with the same key share, in
// this thread, what they learn of the nodes where `at` finds nothing, at the node or below it. That is
// only sound when `at` is a pure function of the node, as a phase of one unchanged RuleSet is: then a
// Jacobian's n^2 entries simplify softmax's n-term denominator once, not n^2 times.
Expr rewrite_fixpoint(Expr e, Order order, Phase phase, const std::function<std::optional<Rewrite>(Expr)>& at,
                      std::vector<Step>* steps, const RewriteLimits& limits = {}, std::uint64_t shared_key = 0);

}  // namespace napier
