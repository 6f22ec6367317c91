// Pattern matching and instantiation, the machinery under every rule.
//
// In a pattern, ?u matches any expression (the same one wherever ?u recurs) and ?u... matches a run of zero or
// more terms of a sum or factors of a product (a segment variable). Matching is syntactic and keeps order:
// `?c * ?u...` matches 2*x*y with ?c = 2, ?u... = [x, y], but not x*2 with ?c = 2 — the strategy (and other
// rules) decides when terms are reordered, and each reordering is a step of its own.
//
// In a replacement, ?u... inside a sum or product is spliced in; elsewhere it stands for the sum or product
// of its terms (0 or 1 when empty). each(T) inside a sum or product stands for one term per element of the
// segment variable in T (diff(?u, ?x) + each(diff(?v..., ?x)) is the n-ary sum rule). eval(E) folds E to a
// number when all its leaves are numbers. negate(E) is -E with the signs worked in (negated()). expand(E) and
// factor_common(E) are the algebra of collect.hpp (multiplied out with like terms collected; a common factor
// taken out), each E itself unless the result is shorter. subst(E, k, v) is E with the symbol k replaced by v
// (indexed.hpp: the sifting property of delta).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "napier/expr.hpp"

namespace napier {

class Binding {
 public:
  // `variable` is the pattern variable's symbol (?u, ?u...); interning makes it one node wherever it is
  // written, so a binding is found by comparing nodes, not names.
  static Binding plain(Expr variable, Expr value);
  // A segment's terms, inside a sum (kind Add) or a product (Mul): a view of the matched node's own
  // arguments (nodes are immutable and never freed, so the view stays valid).
  static Binding of_segment(Expr variable, Kind kind, std::span<const Expr> terms);

  Expr variable;
  std::string_view name() const { return variable.name(); }  // "?u" or "?u..."
  std::span<const Expr> segment;   // a segment variable's terms
  bool is_segment = false;

  // A plain variable's value; a segment's terms as one sum or product, built on first use: matching tries
  // a segment of every length at every place, and most are never looked at (building each would intern
  // O(n^2) nodes for one match against an n-term sum).
  Expr value() const { return value_.is_null() && is_segment ? segment_value() : value_; }

  // The same as plain(...) and of_segment(...), for constructing in place: the matcher binds in Bindings'
  // own slots (a Binding built aside and copied in went through the stack in a way that stalls).
  Binding() = default;
  Binding(Expr var, Expr value) : variable(var), value_(value) {}
  Binding(Expr var, Kind kind, std::span<const Expr> terms)
      : variable(var), segment(terms), is_segment(true), kind_(kind) {}

 private:
  Expr segment_value() const;

  Kind kind_ = Kind::Add;
  mutable Expr value_;
};

// The variables a match has bound, latest last. The first few live in the object itself: a rule has a
// handful of variables, and a Bindings is made for every rule tried (a heap block each time was a tenth of
// differentiating a long sum).
class Bindings {
 public:
  Bindings() = default;
  Bindings(const Bindings& other) { *this = other; }
  Bindings& operator=(const Bindings& other) {
    if (this != &other) {
      rewind(0);
      for (const Binding& b : other.items()) push(b);
    }
    return *this;
  }

  // The matcher's lookup, by node; latest first, so that each(...) can bind a segment variable to one
  // element at a time.
  const Binding* find(Expr variable) const {
    const std::span<const Binding> all = items();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->variable == variable) return &*it;
    }
    return nullptr;
  }
  const Binding* find(std::string_view name) const;  // by name ("?u"), for callers that have only the name
  void push_plain(Expr variable, Expr value) {
    if (size_ < kInline) {
      std::construct_at(slots() + size_++, variable, value);
      return;
    }
    push_past_inline(Binding::plain(variable, value));
  }
  void push_segment(Expr variable, Kind kind, std::span<const Expr> terms) {
    if (size_ < kInline) {
      std::construct_at(slots() + size_++, variable, kind, terms);
      return;
    }
    push_past_inline(Binding::of_segment(variable, kind, terms));
  }
  void push(const Binding& b) {
    if (size_ < kInline) {
      std::construct_at(slots() + size_++, b);
      return;
    }
    push_past_inline(b);
  }
  std::size_t mark() const { return size_; }
  void rewind(std::size_t mark) { size_ = std::min(size_, mark); }
  std::span<const Binding> items() const {
    return size_ <= kInline ? std::span<const Binding>(slots(), size_)
                            : std::span<const Binding>(more_.data(), size_);
  }

 private:
  // Past the inline ones: all of them in more_, copied afresh each time the count crosses over (the inline
  // ones may have changed since the last time).
  [[gnu::noinline]] void push_past_inline(const Binding& b) {
    const Binding copy = b;  // b may be one of more_'s, which the resize below may move
    if (size_ == kInline) {
      more_.assign(slots(), slots() + kInline);
    } else {
      more_.resize(size_);
    }
    more_.push_back(copy);
    ++size_;
  }

  static constexpr std::size_t kInline = 4;
  static_assert(std::is_trivially_destructible_v<Binding>);  // slots are reused without destroying them
  // Raw memory, each slot constructed when pushed: a Bindings is made for every rule tried, and four
  // Bindings zeroed each time (a `rep stos`) was half of trying the derive rules on a term of a long sum.
  Binding* slots() { return std::launder(reinterpret_cast<Binding*>(inline_)); }
  const Binding* slots() const { return std::launder(reinterpret_cast<const Binding*>(inline_)); }
  alignas(Binding) std::byte inline_[kInline * sizeof(Binding)];
  std::size_t size_ = 0;
  std::vector<Binding> more_;  // all of them, once there are more than kInline
};

// A reference to a callable that owns nothing: the matcher's `accept`. A std::function allocated for every
// rule tried (a lambda holding three references does not fit its small buffer). The callable must outlive
// the call it is passed to, as a lambda written in the argument list does.
template <class Signature>
class FunctionRef;
template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  FunctionRef(std::nullptr_t = nullptr) {}  // NOLINT(google-explicit-constructor): "no acceptor"
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> && std::is_invocable_r_v<R, const F&, Args...>)
  FunctionRef(const F& f)  // NOLINT(google-explicit-constructor): a lambda converts where one is expected
      : callable_(&f), call_([](const void* c, Args... args) -> R {
          return (*static_cast<const F*>(c))(std::forward<Args>(args)...);
        }) {}
  explicit operator bool() const { return call_ != nullptr; }
  R operator()(Args... args) const { return call_(callable_, std::forward<Args>(args)...); }

 private:
  const void* callable_ = nullptr;
  R (*call_)(const void*, Args...) = nullptr;
};
using Acceptor = FunctionRef<bool(const Bindings&)>;

inline bool is_pattern_variable(Expr e) { return !e.is_null() && e.is_pattern_variable(); }  // ?u or ?u...
inline bool is_segment_variable(Expr e) { return !e.is_null() && e.is_segment_variable(); }  // ?u...
// The most segment variables among the arguments of any one sum or product in the pattern. Matching a
// sequence with k of them against n terms can take n^(k-1) tries.
std::size_t segment_variables(Expr pattern);

// Extends `bindings` so that pattern instantiated with them is `term` and `accept` (when given) approves
// them; every way of matching is tried (backtracking) until one is accepted. On failure, bindings is
// unchanged.
bool match(Expr pattern, Expr term, Bindings& bindings, Acceptor accept = nullptr);
// The same for patterns and terms side by side (patterns[i] against terms[i]; the spans have one size):
// a derive rule's diff(P, ?x) is matched against (g, x) without building the node d/dx(g).
bool match_each(std::span<const Expr> patterns, std::span<const Expr> terms, Bindings& bindings,
                Acceptor accept = nullptr);

// Does matching `pattern` leave no choice: has each sum and product in it at most one segment variable, and
// that one last? Then there is at most one way of matching, and the _one_way functions below find it in one
// walk, with the same bindings and answer as match and match_each but no backtracking machinery (the rules
// that differentiate and simplify are nearly all of this kind; RuleSet records which, Rule::one_way).
bool leaves_no_choice(Expr pattern);
bool match_one_way(Expr pattern, Expr term, Bindings& bindings, Acceptor accept = nullptr);
bool match_each_one_way(std::span<const Expr> patterns, std::span<const Expr> terms, Bindings& bindings,
                        Acceptor accept = nullptr);

// The replacement with every pattern variable replaced by its value (throws std::out_of_range naming an
// unbound variable; rule loading makes sure that cannot happen).
Expr instantiate(Expr replacement, const Bindings& bindings);
// The same with each d/dv(f) of the replacement (f and v instantiated) replaced by derivative(f, v): the
// fast differentiator works out the derivatives a rule leaves as it instantiates the rule, instead of
// building each d/dv(f) node and then replacing it. Not inside the builtins (eval, negate, expand,
// factor_common, subst), which see their argument as written; nor in the values of pattern variables (a
// d/dv(f) the matched term held). The result may hold d/dv(f) nodes from those two.
Expr instantiate(Expr replacement, const Bindings& bindings, const std::function<Expr(Expr f, Expr v)>& derivative);

// Exact arithmetic on a tree of numbers (+ - * / and integer powers with |exponent| <= 10000); nullopt when
// a leaf is not a number, a division is by zero, or a power is too large.
std::optional<Expr> fold_numbers(Expr e);

// -e with its signs worked in: -(-w*x - b) is w*x + b, -(-2*t) is 2*t, -(u) is -u. In a replacement,
// negate(E) stands for it.
Expr negated(Expr e);

}  // namespace napier
