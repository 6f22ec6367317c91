#include "napier/pattern.hpp"

#include <cln/integer.h>
#include <cln/rational.h>

#include <algorithm>
#include <array>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <type_traits>
#include <vector>

#include "napier/collect.hpp"
#include "napier/indexed.hpp"
#include "napier/syntax.hpp"

namespace napier {
namespace {

Expr rebuild_segment(Kind kind, std::span<const Expr> terms) {
  if (terms.size() == 1) return terms[0];  // ?u... bound to one factor (c*?u...): that factor, nothing built
  return kind == Kind::Add ? add(terms) : mul(terms);
}

// Matching with continuations: each choice (a segment's length, a variable's value) is followed by the rest
// of the match, so that a failure anywhere later (a sibling argument, a guard) backtracks into every choice
// made before it. A continuation is a lambda on the stack of the call that receives it and never outlives
// that call, so it is referred to, not owned: std::function put each one on the heap (its captures are
// larger than std::function's small buffer), a malloc and a free per choice point.
class Continuation {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, Continuation>)
  Continuation(const F& f)  // NOLINT(google-explicit-constructor): a lambda converts where one is expected
      : callable_(&f), call_([](const void* c) { return (*static_cast<const F*>(c))(); }) {}
  bool operator()() const { return call_(callable_); }

 private:
  const void* callable_;
  bool (*call_)(const void*);
};

bool match_k(Expr p, Expr t, Bindings& b, const Continuation& k);

// What matching p against t comes to, the part both matchers share: a pattern variable to bind or compare,
// the same node, no match, the terms of a sum or product in sequence, or the children pairwise.
enum class MatchCase { Variable, Same, Fails, Sequence, Pairwise };
MatchCase match_case(Expr p, Expr t) {
  if (is_pattern_variable(p)) return MatchCase::Variable;
  if (p == t) return MatchCase::Same;
  if (p.kind() != t.kind()) return MatchCase::Fails;
  switch (p.kind()) {
    case Kind::Number:
    case Kind::Symbol:
    case Kind::Constant:
      return MatchCase::Fails;  // equal leaves are the same node, compared above
    case Kind::Add:
    case Kind::Mul:
      return MatchCase::Sequence;
    case Kind::Call:
      if (p.name() != t.name()) return MatchCase::Fails;
      [[fallthrough]];
    case Kind::Div:
    case Kind::Pow:
    case Kind::Derivative:
    case Kind::Equation:
    case Kind::Vector:
    case Kind::Index:
      return p.size() == t.size() ? MatchCase::Pairwise : MatchCase::Fails;
  }
  return MatchCase::Fails;
}

bool match_pairwise(std::span<const Expr> ps, std::span<const Expr> ts, Bindings& b, const Continuation& k) {
  if (ps.empty()) return k();
  return match_k(ps[0], ts[0], b, [&] { return match_pairwise(ps.subspan(1), ts.subspan(1), b, k); });
}

bool match_sequence(std::span<const Expr> ps, std::span<const Expr> ts, Kind kind, Bindings& b,
                    const Continuation& k) {
  if (ps.empty()) return ts.empty() && k();
  if (is_segment_variable(ps[0])) {
    const Expr var = ps[0];
    if (const Binding* bound = b.find(var)) {
      const std::size_t n = bound->segment.size();
      if (n > ts.size() || !std::equal(bound->segment.begin(), bound->segment.end(), ts.begin())) return false;
      return match_sequence(ps.subspan(1), ts.subspan(n), kind, b, k);
    }
    if (ps.size() == 1) {  // a trailing segment takes all that is left: one way only
      const std::size_t mark = b.mark();
      b.push_segment(var, kind, ts);
      if (k()) return true;
      b.rewind(mark);
      return false;
    }
    // The shortest run first, so that a following pattern takes as early a term as it can.
    for (std::size_t n = 0; n <= ts.size(); ++n) {
      const std::size_t mark = b.mark();
      b.push_segment(var, kind, ts.first(n));
      if (match_sequence(ps.subspan(1), ts.subspan(n), kind, b, k)) return true;
      b.rewind(mark);
    }
    return false;
  }
  if (ts.empty()) return false;
  return match_k(ps[0], ts[0], b, [&] { return match_sequence(ps.subspan(1), ts.subspan(1), kind, b, k); });
}

bool match_k(Expr p, Expr t, Bindings& b, const Continuation& k) {
  switch (match_case(p, t)) {
    case MatchCase::Variable: {
      if (const Binding* bound = b.find(p)) return bound->value() == t && k();
      const std::size_t mark = b.mark();
      b.push_plain(p, t);
      if (k()) return true;
      b.rewind(mark);
      return false;
    }
    case MatchCase::Same:
      return k();
    case MatchCase::Fails:
      return false;
    case MatchCase::Sequence:
      return match_sequence(p.args(), t.args(), p.kind(), b, k);
    case MatchCase::Pairwise:
      return match_pairwise(p.args(), t.args(), b, k);
  }
  return false;
}

// A folded number must be one napier can print and read back: numerator and denominator within the reader's
// kMaxNumberDigits (33 219 bits, a little over 10 000 digits, is the bound in bits: log2(10) = 3.3219...).
// Past it the expression keeps its power or product unfolded (xz^((2^144)^433) would print 18 770 digits).
constexpr std::uintptr_t kMaxFoldedBits = kMaxNumberDigits * 33219 / 10000;

std::optional<cln::cl_RA> printable(const cln::cl_RA& v) {
  if (cln::integer_length(cln::numerator(v)) > kMaxFoldedBits ||
      cln::integer_length(cln::denominator(v)) > kMaxFoldedBits) {
    return std::nullopt;
  }
  return v;
}

// The exact value of a tree of numbers; with bindings, of a replacement's tree whose pattern variables are
// bound to numbers (eval(?n - 1) is folded from the bound ?n without building ?n - 1). Nothing when the value
// would be too long to print (printable).
std::optional<cln::cl_RA> fold(Expr e, const Bindings* b = nullptr) {
  switch (e.kind()) {
    case Kind::Number:
      return e.number();
    case Kind::Symbol: {
      const Binding* bound = b != nullptr && is_pattern_variable(e) ? b->find(e) : nullptr;
      if (bound == nullptr || bound->is_segment) return std::nullopt;
      return fold(bound->value());
    }
    case Kind::Add: {
      cln::cl_RA total = 0;
      for (Expr t : e.args()) {
        auto v = fold(t, b);
        if (!v) return std::nullopt;
        total = total + *v;
      }
      return printable(total);
    }
    case Kind::Mul: {
      cln::cl_RA product = 1;
      for (Expr f : e.args()) {
        auto v = fold(f, b);
        if (!v) return std::nullopt;
        product = product * *v;
        if (!printable(product)) return std::nullopt;
      }
      return product;
    }
    case Kind::Div: {
      auto n = fold(e[0], b), d = fold(e[1], b);
      if (!n || !d || cln::zerop(*d)) return std::nullopt;
      return printable(*n / *d);
    }
    case Kind::Call: {
      // numerator(q) and denominator(q) of an exact rational, in lowest terms.
      if (e.size() != 1 || (e.name() != "numerator" && e.name() != "denominator")) return std::nullopt;
      auto v = fold(e[0], b);
      if (!v) return std::nullopt;
      return cln::cl_RA(e.name() == "numerator" ? cln::numerator(*v) : cln::denominator(*v));
    }
    case Kind::Pow: {
      auto base = fold(e[0], b);
      auto exponent = fold(e[1], b);
      if (!base || !exponent || cln::denominator(*exponent) != 1) return std::nullopt;
      const cln::cl_I k = cln::numerator(*exponent);
      if (cln::abs(k) > 10000) return std::nullopt;
      if (cln::zerop(*base) && cln::minusp(k)) return std::nullopt;
      // The size before the power is taken: bits(base) * |k| bounds the bits of base^k.
      const std::uintptr_t bits =
          std::max(cln::integer_length(cln::numerator(*base)), cln::integer_length(cln::denominator(*base)));
      if (bits > 1 && (bits - 1) * cln::cl_I_to_ulong(cln::abs(k)) > kMaxFoldedBits) return std::nullopt;
      return printable(cln::expt(*base, k));
    }
    default:
      return std::nullopt;
  }
}

// fold() for the common case, a sum or product of integers that fit a machine word (eval(?n - 1) with ?n
// bound to 7), without CLN: true with the value in `value`, false where fold() has more to do (a fraction, a
// power, an overflow, a leaf that is no number), and fold() then decides. (The value is an out-parameter: a
// std::optional<long> returned through the recursion went through the stack in two stores and one load, a
// stall each, 9% of differentiating the 10^5-term sum.)
bool fold_small(Expr e, const Bindings* b, long& value) {
  switch (e.kind()) {
    case Kind::Number:
      if (e.node()->number_text == nullptr) return detail::fixnum_value(e.node()->number, value);
      if (const std::optional<long> v = e.small_integer()) {  // a large integer, kept as text
        value = *v;
        return true;
      }
      return false;
    case Kind::Symbol: {
      const Binding* bound = b != nullptr && is_pattern_variable(e) ? b->find(e) : nullptr;
      if (bound == nullptr || bound->is_segment) return false;
      return fold_small(bound->value(), nullptr, value);
    }
    case Kind::Add:
    case Kind::Mul: {
      const bool sum = e.is(Kind::Add);
      long total = sum ? 0 : 1;
      for (Expr t : e.args()) {
        long v = 0;
        if (!fold_small(t, b, v)) return false;
        if (sum ? __builtin_add_overflow(total, v, &total) : __builtin_mul_overflow(total, v, &total)) return false;
      }
      value = total;
      return true;
    }
    default:
      return false;
  }
}

std::optional<Expr> first_segment_variable(Expr e) {
  if (is_segment_variable(e)) return e;
  for (Expr a : e.args()) {
    if (auto found = first_segment_variable(a)) return found;
  }
  return std::nullopt;
}

}  // namespace

Binding Binding::plain(Expr variable, Expr value) { return Binding(variable, value); }

Binding Binding::of_segment(Expr variable, Kind kind, std::span<const Expr> terms) {
  return Binding(variable, kind, terms);
}

Expr Binding::segment_value() const {
  value_ = rebuild_segment(kind_, segment);
  return value_;
}

const Binding* Bindings::find(std::string_view name) const {
  const std::span<const Binding> all = items();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->name() == name) return &*it;
  }
  return nullptr;
}



std::size_t segment_variables(Expr pattern) {
  std::size_t most = 0, here = 0;
  for (Expr a : pattern.args()) {
    if (is_segment_variable(a)) ++here;
    most = std::max(most, segment_variables(a));
  }
  return std::max(most, (pattern.is(Kind::Add) || pattern.is(Kind::Mul)) ? here : std::size_t{0});
}

bool leaves_no_choice(Expr pattern) {
  if ((pattern.is(Kind::Add) || pattern.is(Kind::Mul))) {
    const std::span<const Expr> ps = pattern.args();
    for (std::size_t i = 0; i + 1 < ps.size(); ++i) {
      if (is_segment_variable(ps[i])) return false;
    }
  }
  return std::all_of(pattern.args().begin(), pattern.args().end(), leaves_no_choice);
}

namespace {

// match_k for a pattern that leaves no choice: the one way of matching, found in one walk, with no
// continuation to call back. On failure the bindings are left as they are (the caller rewinds them).
bool walk_one_way(Expr p, Expr t, Bindings& b) {
  const std::span<const Expr> ps = p.args(), ts = t.args();
  switch (match_case(p, t)) {
    case MatchCase::Variable:
      if (const Binding* bound = b.find(p)) return bound->value() == t;
      b.push_plain(p, t);
      return true;
    case MatchCase::Same:
      return true;
    case MatchCase::Fails:
      return false;
    case MatchCase::Sequence: {
      // At most a trailing segment variable, which takes all the terms the others leave.
      const bool trailing = !ps.empty() && is_segment_variable(ps.back());
      const std::size_t fixed = trailing ? ps.size() - 1 : ps.size();
      if (trailing ? ts.size() < fixed : ts.size() != fixed) return false;
      for (std::size_t i = 0; i < fixed; ++i) {
        if (!walk_one_way(ps[i], ts[i], b)) return false;
      }
      if (!trailing) return true;
      const std::span<const Expr> rest = ts.subspan(fixed);
      if (const Binding* bound = b.find(ps.back())) {
        return bound->segment.size() == rest.size() && std::equal(rest.begin(), rest.end(), bound->segment.begin());
      }
      b.push_segment(ps.back(), p.kind(), rest);
      return true;
    }
    case MatchCase::Pairwise:
      for (std::size_t i = 0; i < ps.size(); ++i) {
        if (!walk_one_way(ps[i], ts[i], b)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace

bool match_each_one_way(std::span<const Expr> patterns, std::span<const Expr> terms, Bindings& b, Acceptor accept) {
  if (patterns.size() != terms.size()) return false;
  const std::size_t mark = b.mark();
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (!walk_one_way(patterns[i], terms[i], b)) {
      b.rewind(mark);
      return false;
    }
  }
  if (!accept || accept(b)) return true;
  b.rewind(mark);
  return false;
}

bool match_one_way(Expr pattern, Expr term, Bindings& b, Acceptor accept) {
  return match_each_one_way(std::span<const Expr>(&pattern, 1), std::span<const Expr>(&term, 1), b, accept);
}

bool match(Expr pattern, Expr term, Bindings& b, Acceptor accept) {
  return match_k(pattern, term, b, [&] { return !accept || accept(b); });
}

bool match_each(std::span<const Expr> patterns, std::span<const Expr> terms, Bindings& b, Acceptor accept) {
  if (patterns.size() != terms.size()) return false;
  return match_pairwise(patterns, terms, b, [&] { return !accept || accept(b); });
}

namespace {

using DerivativeHook = std::function<Expr(Expr, Expr)>;

// The builtins of a replacement, by their interned names (instantiation asks every call node of every
// replacement instantiated).
struct BuiltinNames {
  Name eval{"eval"}, negate{"negate"}, expand{"expand"}, factor_common{"factor_common"},
      collect_powers{"collect_powers"}, derive_each_factor{"derive_each_factor"}, subst{"subst"}, each{"each"};
};
[[gnu::always_inline]] inline const BuiltinNames& builtin() {
  static const BuiltinNames names;
  return names;
}

bool is_builtin(Expr call) {
  const BuiltinNames& n = builtin();
  return call.is_call(n.eval) || call.is_call(n.negate) || call.is_call(n.expand) || call.is_call(n.factor_common) ||
         call.is_call(n.collect_powers) || call.is_call(n.derive_each_factor) || call.is_call(n.subst);
}

// The children of the nodes being rebuilt, innermost last: instantiate_with recurses, and each level pushes
// its children above those of the level that called it and takes them off when done. Kept per thread, not
// in each frame: the fast differentiator recurses through instantiation once per level of nesting, and a
// buffer in every frame took its stack from about 0.5 to 0.9 KiB per level.
class ChildrenStack {
 public:
  explicit ChildrenStack() : items_(stack()), base_(items_.size()) {}
  ~ChildrenStack() { items_.resize(base_); }  // also when a throw unwinds the level
  ChildrenStack(const ChildrenStack&) = delete;
  ChildrenStack& operator=(const ChildrenStack&) = delete;

  void push_back(Expr e) { items_.push_back(e); }
  void insert(std::span<const Expr> more) { items_.insert(items_.end(), more.begin(), more.end()); }
  // Valid until the next push on this thread.
  std::span<const Expr> view() const { return {items_.data() + base_, items_.size() - base_}; }

 private:
  static std::vector<Expr>& stack() {
    thread_local std::vector<Expr> items;
    return items;
  }
  std::vector<Expr>& items_;
  std::size_t base_;
};

Expr instantiate_with(Expr r, const Bindings& b, const DerivativeHook* derivative);

// each(T) inside a sum or product: one term per element of the segment variable in T, T instantiated with
// that element. Out of line: its copy of the bindings would otherwise sit in every instantiate_with frame.
[[gnu::noinline]] void instantiate_each(Expr r, Expr each, const Bindings& b, const DerivativeHook* derivative,
                                        ChildrenStack& args) {
  const std::optional<Expr> segment = first_segment_variable(each[0]);
  const Binding* bound = segment ? b.find(*segment) : nullptr;
  if (bound == nullptr) throw std::out_of_range("each(...) needs a bound segment variable");
  Bindings one = b;
  const std::span<const Expr> elements = bound->segment;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const std::size_t mark = one.mark();
    one.push_segment(*segment, r.kind(), elements.subspan(i, 1));
    const Expr term = instantiate_with(each[0], one, derivative);
    args.push_back(term);
    one.rewind(mark);
  }
}

// The value of a pattern variable (not a segment in a sum or product: those are spliced in).
Expr bound_value(Expr variable, const Bindings& b) {
  const Binding* bound = b.find(variable);
  if (bound == nullptr) throw std::out_of_range("unbound pattern variable " + variable.name());
  return bound->value();
}

// A call of a builtin (eval, negate, expand, factor_common, collect_powers, derive_each_factor, subst) with its arguments as written, d/dx(...)
// nodes included, as on the recorded path: the derivative hook's caller works those out afterwards
// (eval(3*d/dx(x)) stays 3*d/dx(x), then 3*1). Nothing when the call has the wrong number of arguments for
// its builtin: it is then instantiated as any call. Out of line: most replacements have none.
[[gnu::noinline]] std::optional<Expr> instantiate_builtin(Expr r, const Bindings& b) {
  auto instantiate = [&b](Expr e) { return instantiate_with(e, b, nullptr); };
  const BuiltinNames& builtins = builtin();
  if (r.is_call(builtins.negate) && r.size() == 1) return negated(instantiate(r[0]));
  if (r.is_call(builtins.expand) && r.size() == 1) return expand_and_collect(instantiate(r[0]));
  if (r.is_call(builtins.factor_common) && r.size() == 1) return factor_common(instantiate(r[0]));
  if (r.is_call(builtins.collect_powers) && r.size() == 1) return collect_powers(instantiate(r[0]));
  if (r.is_call(builtins.derive_each_factor) && r.size() == 2) {
    return derive_each_factor(instantiate(r[0]), instantiate(r[1]));
  }
  if (r.is_call(builtins.subst) && r.size() == 3) {
    return substitute_index(instantiate(r[0]), instantiate(r[1]), instantiate(r[2]));
  }
  if (r.is_call(builtins.eval) && r.size() == 1) {
    if (long value = 0; fold_small(r[0], &b, value)) return num(value);
    if (std::optional<cln::cl_RA> value = fold(r[0], &b)) return num(*value);
    Expr inner = instantiate(r[0]);
    std::optional<Expr> folded = fold_numbers(inner);
    return folded ? *folded : inner;
  }
  return std::nullopt;
}

// The cases by kind first: instantiation visits every node of every replacement a rule fits, and most are a
// pattern variable, a leaf or a plain sum, product or power.
Expr instantiate_with(Expr r, const Bindings& b, const DerivativeHook* derivative) {
  switch (r.kind()) {
    case Kind::Symbol:
      return r.is_pattern_variable() ? bound_value(r, b) : r;
    case Kind::Number:
    case Kind::Constant:
      return r;
    case Kind::Derivative:
      if (derivative != nullptr) {
        return (*derivative)(instantiate_with(r[0], b, derivative), instantiate_with(r[1], b, derivative));
      }
      break;
    case Kind::Call:
      if (is_builtin(r)) {
        if (std::optional<Expr> done = instantiate_builtin(r, b)) return *done;
        derivative = nullptr;  // a builtin's arguments as written, even where it is not applied
      }
      break;
    case Kind::Mul:
      // -u in a replacement negates as the parser does, so that u = 1 gives -1 and u = 2*x gives -2*x.
      if (r.size() == 2 && r[0].is_number(-1)) return neg(instantiate_with(r[1], b, derivative));
      break;
    default:
      break;
  }
  if (r.size() == 0) return r;
  const bool sequence = r.is(Kind::Add) || r.is(Kind::Mul);
  ChildrenStack args;
  for (Expr a : r.args()) {
    if (sequence && a.is_segment_variable()) {
      const Binding* bound = b.find(a);
      if (bound == nullptr) throw std::out_of_range("unbound pattern variable " + a.name());
      args.insert(bound->segment);
    } else if (sequence && a.is(Kind::Call) && a.is_call(builtin().each) && a.size() == 1) {
      instantiate_each(r, a, b, derivative, args);
    } else if (a.is_pattern_variable()) {  // the usual child, without a call for it
      args.push_back(bound_value(a, b));
    } else if (a.size() == 0) {
      args.push_back(a);
    } else {
      const Expr child = instantiate_with(a, b, derivative);  // pushes and takes off its own children first
      args.push_back(child);
    }
  }
  return with_args(r, args.view());
}

}  // namespace

Expr instantiate(Expr replacement, const Bindings& bindings) { return instantiate_with(replacement, bindings, nullptr); }
Expr instantiate(Expr replacement, const Bindings& bindings, const DerivativeHook& derivative) {
  return instantiate_with(replacement, bindings, &derivative);
}

Expr negated(Expr e) {
  if (e.is_number()) return num(-e.number());
  if (e.is(Kind::Add)) {
    std::vector<Expr> terms;
    for (Expr t : e.args()) terms.push_back(negated(t));
    return add(terms);
  }
  if (e.is(Kind::Mul) && e[0].is_negative_number()) {
    std::vector<Expr> factors(e.args().begin(), e.args().end());
    if (factors[0].is_number(-1)) {
      factors.erase(factors.begin());
    } else {
      factors[0] = num(-factors[0].number());
    }
    return mul(factors);
  }
  return neg(e);
}

std::optional<Expr> fold_numbers(Expr e) {
  std::optional<cln::cl_RA> v = fold(e);
  if (!v) return std::nullopt;
  return num(*v);
}

}  // namespace napier
