#include "napier/derive.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "napier/print.hpp"
#include "napier/stack.hpp"
#include "interner.hpp"
#include "node_map.hpp"
#include "napier/vector_functions.hpp"

namespace napier {
namespace {

// Which terms of a long sum hold a given variable, worked out once per (sum, variable) and kept for the
// thread (nodes are immutable and never freed). A Jacobian differentiates one n-term sum (softmax's
// denominator) with respect to each of its n variables in each of n rows: asking every term each time is
// n^3 questions over the Jacobian, remembering the answer per variable n^2. (An index of every symbol of
// every term, built at once, was tried first: a term with d symbols cost d^2, found in review.)
inline constexpr std::size_t kMinTermsForIndex = 16;

std::vector<std::uint32_t> terms_holding(Expr sum, Expr var) {
  auto ask = [&] {
    std::vector<std::uint32_t> holding;
    for (std::uint32_t i = 0; i < sum.size(); ++i) {
      if (depends_on(sum[i], var)) holding.push_back(i);
    }
    return holding;
  };
  if (sum.is_draft() || var.is_draft()) return ask();  // its memory is reused after this derivative
  thread_local std::unordered_map<const Node*, NodeMap<std::vector<std::uint32_t>>> by_variable;
  NodeMap<std::vector<std::uint32_t>>& by_sum = by_variable[var.node()];
  if (const std::vector<std::uint32_t>* known = by_sum.find(sum.node())) return *known;
  by_sum.emplace(sum.node(), ask());
  return *by_sum.find(sum.node());
}

// derive_at's second half, when no derive rule fits: softmax's component, a function's derivative fact
// (the chain rule) or its definition.
std::optional<Rewrite> derive_by_definition(const RuleSet& rules, Expr node, bool definitions_first, bool describe) {
  const Expr g = node[0], x = node[1];
  // Labels are made only when asked for: the fast path would print a derivative's body at every call node.
  auto rewrite = [describe](std::string rule, const auto& label, Expr replacement, decltype(Rewrite::bindings) bindings = {}) {
    if (!describe) return Rewrite{{}, {}, replacement, {}};
    return Rewrite{std::move(rule), label(), replacement, std::move(bindings)};
  };
  if (std::optional<Expr> component = expand_component(g)) {
    return rewrite("definition", [&] { return "definition of " + g[0].name() + ": exp(x_i)/sum exp(x_k)"; },
                   derivative(*component, x));
  }
  if (std::optional<Expr> component = list_component(g)) {
    return rewrite("component", [] { return "a component of a list: [f1, ..., fn][i] = fi"; },
                   derivative(*component, x));
  }
  if (!g.is(Kind::Call)) return std::nullopt;
  const Definition* definition = rules.definition(g.name());
  auto by_definition = [&] {
    return rewrite("definition", [&] { return definition->label.empty() ? "definition of " + g.name() : definition->label; },
                   derivative(rules.expand_call(g, *definition), x));
  };
  if (definitions_first && definition != nullptr) return by_definition();
  if (const Definition* d = rules.derivative(g.name()); d != nullptr && g.size() == 1) {
    const Expr outer = rules.expand_call(call(g.name(), {g[0]}), *d);
    auto fact = [&] { return "d/dt " + g.name() + "(t) = " + print(d->body, Style::Plain); };
    if (g[0] == x) {
      return rewrite("derivative." + g.name(), [&] { return d->label.empty() ? fact() : d->label; }, outer);
    }
    return rewrite("chain", [&] { return "chain rule, " + fact(); }, mul(outer, derivative(g[0], x)),
                   {{"?u", g[0]}});
  }
  if (definition != nullptr) return by_definition();
  return std::nullopt;
}

// The fast path recurses where rewrite_fixpoint loops, so a user's derive rule that never finishes
// (d/dx(u) -> d/dx(u) + 0, or d/dx(u) -> d/dx(2*u)/2) must be stopped here, before the stack runs out: a
// derivative that needs itself, a recursion deeper than kMaxFastPathDepth and the deadline (every 256 rule
// applications) end it with StepLimitExceeded, as the recorded path's limits do (docs/limits.md).
class FastDifferentiator {
 public:
  FastDifferentiator(const RuleSet& rules, Expr var, const RewriteLimits& limits)
      : rules_(rules), var_(var), limits_(limits), max_depth_(std::min(limits.max_depth, fast_path_depth_limit())),
        deadline_(std::min(limits.deadline, current_deadline())) {}

  // `depends`: g is known to hold the variable (a term from a sum's list), so the constant rule's question
  // is not asked again.
  Expr derive(Expr g, bool depends = false) {
    const bool remember = !cheaper_again(g);
    if (remember) {
      if (const Expr* known = memo_.find(g.node())) {
        // A null answer is a derivative being worked out further up: it needs itself.
        if (known->is_null()) throw StepLimitExceeded("the derive rules loop (a derivative needs itself)");
        return *known;
      }
      if (g.is_draft()) {
        if (const Expr* known = derived_draft(g)) return *known;
      }
    }
    if (++depth_ > max_depth_) {
      throw StepLimitExceeded("derivatives nested deeper than " + std::to_string(max_depth_) + " (limit)");
    }
    if (++computed_ % 256 == 0 && std::chrono::steady_clock::now() > deadline_) {
      throw StepLimitExceeded("out of time (--timeout)");
    }
    if (!remember) {
      const Expr result = compute(g, depends);
      --depth_;
      return result;
    }
    memo_.emplace(g.node(), Expr());  // in progress (a throw abandons the whole differentiator)
    const Expr result = compute(g, depends);
    --depth_;
    *memo_.find(g.node()) = result;  // found again: compute() may have grown the map
    if (g.is_draft()) drafts_by_hash_[g.hash()].emplace_back(g, result);
    return result;
  }

 private:
  Expr compute(Expr g, bool depends) {
    if (!depends && !depends_on(g, var_)) return num(0);  // the constant rule, decided without matching
    // The d/dv(f) that g holds are worked out first, as the recorded path does (x*d/dx(x^2)).
    if (const Expr inner = worked_out(g); inner != g) return derive(inner);
    if (g.is(Kind::Add)) {
      // The sum rule with its zeros left out: only the terms that hold x are differentiated, so a gradient of
      // an n-term sum costs O(terms with x) per variable, not O(n).
      std::vector<Expr> terms;
      if (g.size() >= kMinTermsForIndex) {
        const std::vector<std::uint32_t> holding = terms_holding(g, var_);
        for (std::uint32_t i : holding) terms.push_back(derive(g[i], /*depends=*/true));
        return add(std::move(terms));
      }
      for (Expr t : g.args()) {
        if (depends_on(t, var_)) terms.push_back(derive(t, /*depends=*/true));
      }
      return add(std::move(terms));
    }
    if (const Expr by_rule = apply_derive_rules(rules_, g, var_, inner_); !by_rule.is_null()) {
      // d/dx(...) from a builtin's argument are left to work out.
      return worked_out(by_rule);
    }
    const Expr node = derivative(g, var_);
    std::optional<Rewrite> r = derive_by_definition(rules_, node, /*definitions_first=*/false, /*describe=*/false);
    if (!r) return node;
    return worked_out(r->replacement);
  }

  // Is g's derivative worked out again wherever g occurs, rather than remembered? So for a leaf, and for a
  // sum, product, quotient or power of at most 3 parts, each a leaf or at most 3 leaves combined (k*x^k,
  // x^2 + 1): the rules for these recurse into the parts only, so working one out again costs a bounded
  // amount, while a memo entry is a cache miss for each term of a long sum (a quarter of the time of the
  // 10^5-term sum of k*x^k). A call is remembered: its definition may be large. A loop of derive rules
  // through such a node ends at max_depth rather than at its memo entry.
  static bool cheaper_again(Expr g) {
    if (g.size() == 0) return true;
    if (g.size() > 3 || g.holds_derivative()) return false;
    if (!g.is(Kind::Add) && !g.is(Kind::Mul) && !g.is(Kind::Div) && !g.is(Kind::Pow)) return false;
    for (Expr part : g.args()) {
      if (part.size() > 3) return false;
      for (Expr leaf : part.args()) {
        if (leaf.size() != 0) return false;
      }
    }
    return true;
  }

  // The derivative of a draft equal to g, worked out before. Equal drafts are different nodes (two
  // instantiations of h(n - 1, u) in one replacement), which the memo by address tells apart: a chain of n
  // such replacements took 2^n derivatives where interned nodes took n.
  const Expr* derived_draft(Expr g) const {
    auto it = drafts_by_hash_.find(g.hash());
    if (it == drafts_by_hash_.end()) return nullptr;
    for (const auto& [draft, derivative] : it->second) {
      if (draft == g) return &derivative;
    }
    return nullptr;
  }

  // e with each d/dv(f) in it worked out, for any variable v (memoized: e may be a DAG): an input's own
  // derivatives, and those a replacement leaves.
  Expr worked_out(Expr e) {
    if (!e.holds_derivative()) return e;
    if (const Expr* known = worked_.find(e.node())) return *known;
    Expr out;
    if (e.is(Kind::Derivative)) {
      const Expr f = worked_out(e[0]);
      out = e[1] == var_ ? derive(f) : derive_other(f, e[1]);
    } else {
      std::vector<Expr> args;
      for (Expr a : e.args()) args.push_back(worked_out(a));
      out = with_args(e, std::move(args));
    }
    worked_.emplace(e.node(), out);
    return out;
  }

  // d/dv(f) for a variable v other than this one's, by a differentiator of its own: out of line, so that its
  // state is not in every worked_out frame (the fast path recurses through two of them per level of nesting:
  // sin nested 10^4 deep needed 0.86 KiB of stack per level).
  [[gnu::noinline]] Expr derive_other(Expr f, Expr v) const { return FastDifferentiator(rules_, v, limits_).derive(f); }

  const RuleSet& rules_;
  Expr var_;
  RewriteLimits limits_;
  std::size_t max_depth_;
  std::chrono::steady_clock::time_point deadline_;
  // The derivatives a rule leaves, worked out as the rule is instantiated (no d/dx node is built for them).
  const std::function<Expr(Expr, Expr)> inner_ = [this](Expr f, Expr v) { return v == var_ ? derive(f) : derivative(f, v); };
  std::size_t depth_ = 0;  // the derivatives being worked out, one inside the other
  std::size_t computed_ = 0;
  NodeMap<Expr> memo_, worked_;
  std::unordered_map<std::size_t, std::vector<std::pair<Expr, Expr>>> drafts_by_hash_;  // derived drafts
};

}  // namespace

std::optional<Rewrite> derive_at(const RuleSet& rules, Expr node, bool definitions_first, bool describe) {
  if (!node.is(Kind::Derivative)) return std::nullopt;
  if (std::optional<Rewrite> r = apply_rules(rules, Phase::Derive, node, describe)) return r;
  return derive_by_definition(rules, node, definitions_first, describe);
}

// A long sum's derivative is worked out in drafts (interner.hpp) and interned at the end, where the lookups
// of its nodes overlap. (At 10^5 terms of k*x^k, 41% of the time was lookups, each a cache miss after the
// one before: 120 -> 75 ms.) limits.draft_from_terms says how long.
Expr derivative_of(Expr f, Expr var, const RuleSet& rules, const RewriteLimits& limits) {
  // The fast path applies the constant, variable and sum rules itself: with rules that say otherwise, the
  // rules decide, by the recorded path without its steps (RuleSet::shortcuts_hold).
  if (!rules.shortcuts_hold()) {
    auto at = [&](Expr node) { return derive_at(rules, node, false); };
    return rewrite_fixpoint(derivative(f, var), Order::Outermost, Phase::Derive, at, nullptr, limits);
  }
  const bool long_sum = f.is(Kind::Add) && f.size() >= limits.draft_from_terms;
  if (detail::active_drafts != nullptr || !(long_sum || limits.draft_from_terms == 0)) {  // (inside one: its own)
    return FastDifferentiator(rules, var, limits).derive(f);
  }
  detail::Drafting drafting;
  const Expr d = FastDifferentiator(rules, var, limits).derive(f);
  return drafting.finish(d);
}

Expr simplify(Expr e, const RuleSet& rules, Phase phase, std::vector<Step>* steps, const RewriteLimits& limits) {
  auto at = [&](Expr node) -> std::optional<Rewrite> {
    if (std::optional<Rewrite> r = apply_rules(rules, phase, node, steps != nullptr)) return r;
    if (phase == Phase::Simplify) {  // what the chain or product rule leaves of a list's component
      if (std::optional<Expr> element = list_component(node)) {
        return Rewrite{"component", "a component of a list: [f1, ..., fn][i] = fi", *element, {}};
      }
    }
    if (phase == Phase::Textbook) {
      if (std::optional<Expr> folded = fold_component(node)) {
        return Rewrite{"fold_softmax", "fold back: exp(x_i)/sum exp(x_k) = softmax(x)[i]", *folded, {}};
      }
    }
    if (phase == Phase::Identity) {  // a side of an identity starts from the definition of its softmax
      if (std::optional<Expr> expanded = expand_component(node)) {
        return Rewrite{"softmax_definition", "definition of softmax: exp(x_i)/sum exp(x_k)", *expanded, {}};
      }
    }
    return std::nullopt;
  };
  // Simplification cleans up bottom-up; a teacher's textbook moves look at the whole expression first.
  const Order order = phase == Phase::Simplify ? Order::Innermost : Order::Outermost;
  // The phase's `at` depends on the node and the rules only: its clean nodes are shared between calls.
  const std::uint64_t shared_key =
      rules.generation() == 0 ? 0 : rules.generation() * 8 + static_cast<std::uint64_t>(phase);
  return rewrite_fixpoint(e, order, phase, at, steps, limits, shared_key);
}

Derivation differentiate(Expr f, Expr var, const RuleSet& rules, const DiffOptions& options) {
  Derivation d;
  d.input = f;
  d.var = var;
  d.start = derivative(f, var);
  std::vector<Step>* steps = options.record_steps ? &d.steps : nullptr;
  Expr e;
  if (options.record_steps) {
    auto at = [&](Expr node) { return derive_at(rules, node, options.definitions_first); };
    e = rewrite_fixpoint(d.start, Order::Outermost, Phase::Derive, at, steps, options.limits);
  } else {
    e = derivative_of(f, var, rules, options.limits);
  }
  if (options.simplify) {
    e = simplify(e, rules, Phase::Simplify, steps, options.limits);
    if (options.textbook) e = simplify(e, rules, Phase::Textbook, steps, options.limits);
  }
  d.result = e;
  return d;
}

}  // namespace napier
