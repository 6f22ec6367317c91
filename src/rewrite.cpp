#include "napier/rewrite.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "interner.hpp"
#include "napier/guards.hpp"
#include "node_map.hpp"

namespace napier {
namespace {

Expr replace_at(Expr e, std::span<const std::size_t> path, Expr replacement) {
  if (path.empty()) return replacement;
  std::vector<Expr> args(e.args().begin(), e.args().end());
  args[path[0]] = replace_at(args[path[0]], path.subspan(1), replacement);
  return with_args(e, std::move(args));
}

class RedexFinder {
 public:
  RedexFinder(Order order, const std::function<std::optional<Rewrite>(Expr)>& at, NodeMap<bool>& clean)
      : order_(order), at_(at), clean_(clean) {}

  std::optional<Rewrite> find(Expr e, std::vector<std::size_t>& path) {
    if (clean_.find(e.node()) != nullptr) return std::nullopt;
    if (order_ == Order::Outermost) {
      if (auto r = at_(e)) return r;
    }
    for (std::size_t i = 0; i < e.size(); ++i) {
      path.push_back(i);
      if (auto r = find(e[i], path)) return r;
      path.pop_back();
    }
    if (order_ == Order::Innermost) {
      if (auto r = at_(e)) return r;
    }
    clean_.emplace(e.node(), true);  // nodes are immutable: nothing here will ever be rewritable
    return std::nullopt;
  }

 private:
  Order order_;
  const std::function<std::optional<Rewrite>(Expr)>& at_;
  NodeMap<bool>& clean_;  // nodes where `at` finds nothing, at the node or below
};

// Innermost rewriting that records no steps: the same rewrites, in the same order, as repeating the
// RedexFinder's search from the root, but each node's normal form is worked out once, in place. The search
// finds the first redex in post-order; after a rewrite there, the nodes before it are clean, so the next
// search goes back down the same path: the rewritten node's own children first, then itself, then its later
// siblings, then its parent. That is: normalize the children left to right, then try the node, and start
// again at the node's replacement. Done that way a rewrite costs what its node costs, where the search from
// the root rebuilt every ancestor: a sum of n terms each with a redex cost n rebuilds of an n-term sum, and
// interned n of them (a 10^4-term sum took 3 s and 800 MB; 10^5 terms ran out of memory).
class InnermostNormalizer {
 public:
  InnermostNormalizer(const std::function<std::optional<Rewrite>(Expr)>& at, NodeMap<bool>& clean,
                      const std::function<void()>& before_step)
      : at_(at), clean_(clean), before_step_(before_step) {}

  Expr normal(Expr e) {
    if (clean_.find(e.node()) != nullptr) return e;
    if (const Expr* known = normal_.find(e.node())) return *known;
    Expr current = e;
    for (;;) {
      const Expr rebuilt = with_normal_children(current);
      std::optional<Rewrite> r = at_(rebuilt);
      if (!r) {
        clean_.emplace(rebuilt.node(), true);  // its children are normal and it is not a redex
        normal_.emplace(e.node(), rebuilt);
        return rebuilt;
      }
      before_step_();
      current = r->replacement;
    }
  }

 private:
  Expr with_normal_children(Expr e) {
    std::vector<Expr> args(e.args().begin(), e.args().end());
    bool changed = false;
    for (Expr& a : args) {
      const Expr normal_form = normal(a);
      changed = changed || normal_form != a;
      a = normal_form;
    }
    return changed ? with_args(e, std::move(args)) : e;
  }

  const std::function<std::optional<Rewrite>(Expr)>& at_;
  NodeMap<bool>& clean_;
  const std::function<void()>& before_step_;
  NodeMap<Expr> normal_;  // nodes met and their normal forms
};

// The clean nodes of each shared key, for this thread. A key belongs to one RuleSet generation, so the
// maps of rule sets that are gone are dead weight: past a few keys, all are dropped and relearnt, but only
// when no rewrite_fixpoint of this thread is using one (a rewrite started inside another's `at` would
// otherwise free the outer one's map). unordered_map keeps each map in place as others are added.
thread_local int fixpoints_running = 0;

NodeMap<bool>& shared_clean_nodes(std::uint64_t key) {
  thread_local std::unordered_map<std::uint64_t, NodeMap<bool>> by_key;
  constexpr std::size_t kMaxKeys = 16;
  if (by_key.size() >= kMaxKeys && fixpoints_running == 0 && by_key.find(key) == by_key.end()) by_key.clear();
  return by_key[key];
}

struct FixpointRunning {
  FixpointRunning() { ++fixpoints_running; }
  ~FixpointRunning() { --fixpoints_running; }
  FixpointRunning(const FixpointRunning&) = delete;
  FixpointRunning& operator=(const FixpointRunning&) = delete;
};

}  // namespace

namespace {
std::chrono::steady_clock::time_point& deadline_slot() {
  // One deadline per thread: a request's --timeout bounds that request only (a batch runs requests on
  // several threads, each with its own).
  thread_local std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  return deadline;
}
}  // namespace

void set_deadline(std::chrono::steady_clock::time_point deadline) { deadline_slot() = deadline; }
std::chrono::steady_clock::time_point current_deadline() { return deadline_slot(); }

bool depends_on_walk(Expr e, Expr v) {
  // x[k] may be the component x[j] (k and j are symbols that may take the same value), and softmax(x)
  // holds every component: with respect to x[j], what holds the vector's name x depends on it.
  if (v.is(Kind::Index) && v[0].is(Kind::Symbol) && e != v) return depends_on(e, v[0]);
  // One memo per variable (a gradient asks about a few variables, each about many nodes).
  thread_local std::unordered_map<const Node*, NodeMap<bool>> memos;
  thread_local const Node* last_variable = nullptr;  // a derivative asks about one variable many times
  thread_local NodeMap<bool>* last_memo = nullptr;    // (unordered_map keeps its values in place)
  if (e == v) return true;
  if (e.size() == 0) return false;
  // The node's summary of its symbols decides when at most one occurs (most expressions): no memo, no walk.
  if (v.is(Kind::Symbol)) {
    if (std::optional<bool> held = e.holds_symbol(v)) return *held;
  }
  // A draft's answers are kept for the Drafting it belongs to only: its memory is reused by the next one.
  thread_local std::uint64_t drafts_generation = 0;
  thread_local const Node* drafts_variable = nullptr;
  thread_local NodeMap<bool> drafts_memo;
  const bool draft = e.is_draft() || v.is_draft();
  if (draft && (drafts_generation != detail::drafting_generation() || drafts_variable != v.node())) {
    drafts_memo = NodeMap<bool>();
    drafts_generation = detail::drafting_generation();
    drafts_variable = v.node();
  }
  if (!draft && v.node() != last_variable) {
    last_memo = &memos[v.node()];
    last_variable = v.node();
  }
  NodeMap<bool>& memo = draft ? drafts_memo : *last_memo;
  if (const bool* known = memo.find(e.node())) return *known;
  bool result = false;
  // sum(body, k, lo, hi) binds k: it depends on k only through its bounds.
  const bool binds_v = e.is_call("sum") && e.size() == 4 && e[1] == v;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (binds_v && i < 2) continue;
    if (depends_on(e[i], v)) {
      result = true;
      break;
    }
  }
  memo.emplace(e.node(), result);  // still valid: unordered_map keeps its values in place as it grows
  return result;
}

// Rules are tried far more often than they fit: a guard's own call node is never built, only its arguments
// (usually a bound pattern variable, which costs nothing). The guard was resolved to its entry of the guard
// table when its rule loaded (guards.hpp): no name is compared here.
namespace {

[[gnu::always_inline]] inline bool judge(const GuardCall& g, const Bindings& bindings) {
  std::array<Expr, kMaxGuardArity> args;
  const Expr call = g.call;
  const std::size_t n = call.size();
  for (std::size_t i = 0; i < n; ++i) {
    // Usually a pattern variable: its value, without instantiating it.
    const Binding* bound = is_pattern_variable(call[i]) ? bindings.find(call[i]) : nullptr;
    args[i] = bound != nullptr ? bound->value() : instantiate(call[i], bindings);
  }
  return guard_call_holds(g, std::span<const Expr>(args.data(), n));
}

[[gnu::cold, gnu::noinline]] void unresolved_guards(const Rule& rule) {
  // The loader resolves every guard it reads (rules.cpp); a Rule built otherwise must fill guard_calls too.
  throw std::logic_error("rule '" + rule.name + "' (" + rule.source.file + ":" +
                         std::to_string(rule.source.line) + ") has guards that were not resolved against the "
                         "guard table");
}

}  // namespace

bool guard_holds(Expr guard, const Bindings& bindings) {
  Result<GuardCall> resolved = resolve_guard(guard);
  if (!resolved) throw std::logic_error("an unknown guard reached the rewriter: " + resolved.error().message);
  return judge(*resolved, bindings);
}

namespace {

bool guards_hold(const Rule& rule, const Bindings& bindings) {
  if (rule.guard_calls.size() != rule.guards.size()) [[unlikely]] unresolved_guards(rule);
  for (const GuardCall& g : rule.guard_calls) {
    if (!judge(g, bindings)) return false;
  }
  return true;
}

}  // namespace

Expr apply_derive_rules(const RuleSet& rules, Expr g, Expr x, const std::function<Expr(Expr f, Expr v)>& derivative) {
  const Expr subject[] = {g, x};
  Bindings b;  // empty again after each failed match
  for (const Rule* rule : rules.derive_candidates(g)) {
    if (rule->only_where_free) continue;  // g depends on x (the caller's precondition)
    if (rule->only_the_variable && g != x) continue;
    // Guards and progress take part in the match, as in apply_rules: a replacement can be d/dx(g) itself
    // only when it is a d/dx(...), and only then is it built to be compared.
    auto accept = [&](const Bindings& candidate) {
      if (!guards_hold(*rule, candidate)) return false;
      if (!rule->replacement.is(Kind::Derivative)) return true;
      const Expr replacement = instantiate(rule->replacement, candidate);
      return !(replacement.is(Kind::Derivative) && replacement[0] == g && replacement[1] == x);
    };
    const bool matched = rule->one_way ? match_each_one_way(rule->pattern.args(), subject, b, accept)
                                       : match_each(rule->pattern.args(), subject, b, accept);
    if (matched) return instantiate(rule->replacement, b, derivative);
  }
  return Expr();
}

namespace {
// The rule apply_rules last found to apply, for the tally of rewrite_fixpoint, which takes it as it counts
// the step (a limit then names the rules that ran away). One store per rewrite, none per rule tried.
constinit thread_local const Rule* last_applied = nullptr;
}  // namespace

std::optional<Rewrite> apply_rules(const RuleSet& rules, Phase phase, Expr node, bool describe) {
  if (phase == Phase::Derive && !node.is(Kind::Derivative)) return std::nullopt;
  for (const Rule* rule : rules.candidates(phase, node)) {
    if (rule->segments >= 3 && node.size() > kMaxTermsForQuadraticRules) continue;
    Bindings b;
    Expr replacement;
    // Guards and progress take part in the match: another way of matching may satisfy them.
    auto accept = [&](const Bindings& candidate) {
      if (!guards_hold(*rule, candidate)) return false;
      replacement = instantiate(rule->replacement, candidate);
      return replacement != node;
    };
    if (!(rule->one_way ? match_one_way(rule->pattern, node, b, accept) : match(rule->pattern, node, b, accept))) {
      continue;
    }
    last_applied = rule;
    if (!describe) return Rewrite{{}, {}, replacement, {}};
    Rewrite r{rule->name, rule->label, replacement, {}};
    for (const Binding& binding : b.items()) r.bindings.emplace_back(binding.name(), binding.value());
    return r;
  }
  return std::nullopt;
}

namespace {

// How often each rule applied in one rewrite_fixpoint, so that the step limit can name the rules that ran
// away (a user's ?a*?b -> ?b*?a, or two rules undoing each other). A run of one rule costs a compare per
// step, another rule a probe of a table on the stack: no allocation (an unordered_map's nodes were 1% of
// simplifying a logistic loss).
class RuleTally {
 public:
  void add(const Rule* rule) {
    if (rule == nullptr) return;  // a rewrite that is no rule's (a list's component)
    if (rule == last_) {
      ++*last_count_;
      return;
    }
    Slot* slot = find(rule);
    if (slot == nullptr) return;  // more rules than the table holds: the later ones are not counted
    last_ = rule;
    last_count_ = &slot->count;
    ++slot->count;
  }

  // ": rule swap (user.rules:3) applied 99998 times", and the next rules that took at least a tenth of the
  // steps counted (at most three in all), most first; nothing when no rule was counted. The rules live in
  // one RuleSet's vector, in load order, so their addresses order them.
  std::string describe() const {
    std::vector<Slot> most;
    std::size_t total = 0;
    for (std::size_t i = 0; i < kSlots; ++i) {
      if (!used(i)) continue;
      most.push_back(slots_[i]);
      total += slots_[i].count;
    }
    std::sort(most.begin(), most.end(), [](const Slot& a, const Slot& b) {
      // A tie goes to the rule loaded later: a user's rule comes after the shipped ones it fights.
      return a.count != b.count ? a.count > b.count : std::greater<const Rule*>()(a.rule, b.rule);
    });
    std::string out;
    for (std::size_t i = 0; i < most.size() && i < 3; ++i) {
      const Slot& slot = most[i];
      if (i > 0 && 10 * slot.count < total) break;
      out += (i == 0 ? ": rule " : ", rule ") + slot.rule->name + " (" + slot.rule->source.file + ":" +
             std::to_string(slot.rule->source.line) + ") applied " + std::to_string(slot.count) +
             (slot.count == 1 ? " time" : " times");
    }
    return out;
  }

 private:
  struct Slot {  // no initializers: see slots_
    const Rule* rule;
    std::size_t count;
  };
  static constexpr std::size_t kSlots = 256, kMaxRules = 192;  // open addressing, at most 3/4 full

  Slot* find(const Rule* rule) {
    const std::uint64_t h = reinterpret_cast<std::uintptr_t>(rule) * 0x9e3779b97f4a7c15ULL;
    for (std::size_t i = static_cast<std::size_t>(h >> 56);; i = (i + 1) % kSlots) {
      if (!used(i)) {
        if (used_ == kMaxRules) return nullptr;
        ++used_;
        occupied_[i / 64] |= std::uint64_t{1} << (i % 64);
        slots_[i] = Slot{rule, 0};
        return &slots_[i];
      }
      if (slots_[i].rule == rule) return &slots_[i];
    }
  }
  bool used(std::size_t i) const { return (occupied_[i / 64] >> (i % 64) & 1) != 0; }

  // Only the slots marked in occupied_ are read: the table is not cleared (a phase runs per simplification,
  // and most apply a few rules).
  std::array<Slot, kSlots> slots_;
  std::array<std::uint64_t, kSlots / 64> occupied_{};
  std::size_t used_ = 0;
  const Rule* last_ = nullptr;
  std::size_t* last_count_ = nullptr;
};

}  // namespace

Expr rewrite_fixpoint(Expr e, Order order, Phase phase, const std::function<std::optional<Rewrite>(Expr)>& at,
                      std::vector<Step>* steps, const RewriteLimits& limits, std::uint64_t shared_key) {
  NodeMap<bool> own;
  // (A thread that drafts keeps its clean nodes to itself: they may be drafts, whose memory is reused.)
  NodeMap<bool>& clean = shared_key == 0 || detail::active_drafts != nullptr ? own : shared_clean_nodes(shared_key);
  const FixpointRunning running;
  const std::size_t nodes_at_start = interned_node_count(), bytes_at_start = interned_node_bytes();
  std::size_t count = 0, max_steps = limits.max_steps;
  bool scaled = false;  // the step limit scaled to the expression, once reached (a walk over e)
  RuleTally tally;
  last_applied = nullptr;
  // Called before each rewrite: the limits of RewriteLimits.
  const std::function<void()> before_step = [&, start = e] {
    const Rule* applying = std::exchange(last_applied, nullptr);  // the rule of this rewrite, if a rule's
    if (count >= max_steps && !scaled) {
      scaled = true;
      max_steps = std::max(max_steps, RewriteLimits::kStepsPerNode * dag_size(start));
    }
    if (count >= max_steps) {
      throw StepLimitExceeded("more than " + std::to_string(max_steps) + " steps (limit)" + tally.describe());
    }
    tally.add(applying);
    if (count % 256 == 255) {
      if (std::chrono::steady_clock::now() > std::min(limits.deadline, current_deadline())) {
        throw StepLimitExceeded("out of time (--timeout)");
      }
      if (interned_node_count() - nodes_at_start > limits.max_nodes) {
        throw StepLimitExceeded("more than " + std::to_string(limits.max_nodes) + " expression nodes (limit)");
      }
      if (interned_node_bytes() - bytes_at_start > limits.max_node_bytes) {
        throw StepLimitExceeded("more than " + std::to_string(limits.max_node_bytes >> 20) +
                                " MiB of expression nodes (limit)");
      }
    }
    ++count;
  };
  if (steps == nullptr && order == Order::Innermost) return InnermostNormalizer(at, clean, before_step).normal(e);
  RedexFinder finder(order, at, clean);
  for (;;) {
    std::vector<std::size_t> path;
    std::optional<Rewrite> r = finder.find(e, path);
    if (!r) return e;
    before_step();
    Expr redex = e;
    for (std::size_t i : path) redex = redex[i];
    Expr next = replace_at(e, path, r->replacement);
    if (steps != nullptr) {
      steps->push_back(Step{phase, r->rule, r->label, path, e, next, redex, r->replacement, std::move(r->bindings)});
    }
    e = next;
  }
}

}  // namespace napier
