#include "napier/expr.hpp"

#include <cln/integer.h>
#include <cln/rational_io.h>

#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <limits>
#include <new>
#include <stdexcept>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "interner.hpp"

namespace napier {
namespace {

using detail::interned_count;
using detail::intern;
using detail::Key;

// splitmix64's finalizer: every input bit flips about half of the output bits.
constexpr std::uint64_t avalanche(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Order-sensitive combination (mix(mix(s, a), b) != mix(mix(s, b), a)). boost::hash_combine's shifts and
// xor were used first: small integers and their powers collided (c*x^k over 10^5 terms gave 1.6 nodes per
// hash and a shard 10 times fuller than another; interning took 36% of differentiating the sum).
constexpr std::size_t mix(std::size_t seed, std::size_t value) {
  return avalanche(seed + 0x9e3779b97f4a7c15ULL * (value + 1));
}

// An integer's low 64 bits and its length (cln::equal_hashcode gives 1..10^5 only 50 517 distinct values).
std::size_t integer_hash(const cln::cl_I& n) {
  if (cln::integer_length(n) < 63) return mix(static_cast<std::size_t>(cln::cl_I_to_long(n)), 0);  // the usual case
  const cln::cl_I low = cln::ldb(cln::abs(n), cln::cl_byte(64, 0));
  const std::uint64_t bits = (static_cast<std::uint64_t>(cln::cl_I_to_UL(cln::ldb(low, cln::cl_byte(32, 32)))) << 32) |
                             cln::cl_I_to_UL(cln::ldb(low, cln::cl_byte(32, 0)));
  return mix(mix(bits, cln::integer_length(n)), cln::minusp(n) ? 1 : 0);
}

std::size_t number_hash(const cln::cl_RA& q) {
  return mix(integer_hash(cln::numerator(q)), integer_hash(cln::denominator(q)));
}

// FNV-1a, computed once per distinct name (kept in its InternedName).
constexpr std::size_t name_hash(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

// The names of symbols, constants and calls, one entry each for the process: a node holds a pointer, so
// comparing two names while interning is comparing two pointers. Never freed, like the nodes.
class NameTable {
 public:
  NameTable() { entries_.push_back(InternedName{"", name_hash(""), 0}); }

  const InternedName* find_or_add(std::string_view text) {
    if (text.empty()) return &entries_.front();
    // The names this thread asked for last, by a cheap hash of their text: a parse names sin and x over and
    // over, and the lock and the set's lookup cost more than the interning of the node they name.
    thread_local std::array<const InternedName*, 16> recent{};
    const InternedName*& last = recent[(text.size() * 7 + static_cast<unsigned char>(text.front()) +
                                        3 * static_cast<unsigned char>(text.back())) & 15];
    if (last != nullptr && last->text == text) return last;
    std::lock_guard lock(mutex_);
    auto it = index_.find(text);
    if (it == index_.end()) {
      // A deque keeps its elements in place as it grows: the index's keys view their texts.
      entries_.push_back(InternedName{std::string(text), name_hash(text), static_cast<std::uint32_t>(entries_.size())});
      it = index_.emplace(entries_.back().text, &entries_.back()).first;
    }
    last = it->second;
    return last;
  }
  const InternedName* empty() const { return &entries_.front(); }

 private:
  std::mutex mutex_;
  std::deque<InternedName> entries_;
  std::unordered_map<std::string_view, const InternedName*> index_;
};

NameTable& names() {
  static NameTable* table = new NameTable();  // never destroyed: nodes point into it
  return *table;
}

// Node::symbols of a symbol named `name`: its id + 1, or "several" for ids past what 16 bits hold (the
// summary then decides nothing, and depends_on walks).
std::uint16_t symbol_code(const InternedName* name) {
  return name->id + 1 < Node::kSeveralSymbols ? static_cast<std::uint16_t>(name->id + 1) : Node::kSeveralSymbols;
}

// Node::kPatternVariable and kSegmentVariable for a symbol of this name (?u, ?u...; pattern.hpp).
std::uint8_t pattern_variable_flags(std::string_view name) {
  if (!name.starts_with('?')) return 0;
  return name.size() > 3 && name.ends_with("...") ? Node::kPatternVariable | Node::kSegmentVariable
                                                  : Node::kPatternVariable;
}

Expr make(Kind kind, std::span<const Expr> args, const InternedName* name, const cln::cl_RA& number = 0) {
  if (args.size() > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("node with too many children");
  std::size_t h = mix(static_cast<std::size_t>(kind) + 1, name->hash);
  if (kind == Kind::Number) h = mix(h, number_hash(number));
  // The summaries of Node (flags, symbols) from the children's, read while their hashes are.
  std::uint8_t flags = kind == Kind::Derivative ? Node::kHoldsDerivative : 0;
  if (kind == Kind::Symbol) flags |= pattern_variable_flags(name->text);
  std::uint16_t symbols = kind == Kind::Symbol ? symbol_code(name) : Node::kNoSymbol;
  std::uint32_t draft_children = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Node* a = args[i].node();
    h = mix(h, a->hash);
    flags |= a->flags & Node::kHoldsDerivative;
    if ((a->flags & Node::kDraft) != 0) {
      draft_children |= std::uint32_t{1} << std::min<std::size_t>(i, detail::Key::kMaskedChildren);
    }
    const std::uint16_t s = a->symbols;
    if (s != Node::kNoSymbol) symbols = symbols == Node::kNoSymbol || symbols == s ? s : Node::kSeveralSymbols;
  }
  static const InternedName* const sum_name = names().find_or_add("sum");
  if (kind == Kind::Call && name == sum_name) symbols = Node::kSeveralSymbols;  // binds its index
  Key key{kind, h, args, name, nullptr, nullptr, flags, symbols, draft_children};
  std::string text;
  if (kind == Kind::Number) {
    // Only integers well inside a machine word are immediate in CLN (no heap object, no reference count).
    if (cln::denominator(number) == 1 && cln::integer_length(cln::numerator(number)) < 48) {
      key.number = &number;
    } else {
      std::ostringstream out;
      cln::fprint(out, number);
      text = out.str();
      key.number_text = &text;
    }
  }
  return Expr(detail::active_drafts != nullptr ? detail::draft(key) : intern(key));
}
Expr make(Kind kind, std::span<const Expr> args) { return make(kind, args, names().empty()); }
Expr make(Kind kind, std::initializer_list<Expr> args) {
  return make(kind, std::span<const Expr>(args.begin(), args.size()));
}

// -(-u) as neg() builds it: (-1)*((-1)*u), kept apart so that both signs stay (and print back the same).
bool is_double_negation(Expr e) {
  return e.is(Kind::Mul) && e.size() == 2 && e[0].is_number(-1) && e[1].is(Kind::Mul) && e[1][0].is_negative_number();
}

// A sum or product of items, nested ones of the same kind spliced in; one item is itself, none is `empty`.
Expr associative(Kind kind, std::span<const Expr> items, long empty) {
  auto flattens = [kind](Expr e) { return e.is(kind) && !(kind == Kind::Mul && is_double_negation(e)); };
  if (std::none_of(items.begin(), items.end(), flattens)) {
    if (items.empty()) return num(empty);
    return items.size() == 1 ? items[0] : make(kind, items);
  }
  // The flattened items on the stack when few (c*(c*x^k) once per term of a long sum: a heap block each
  // time was a tenth of the instructions of differentiating it), else on the heap.
  std::size_t count = 0;
  for (Expr e : items) count += flattens(e) ? e.size() : 1;
  constexpr std::size_t kOnStack = 8;
  std::array<Expr, kOnStack> few;
  std::vector<Expr> many;
  if (count > kOnStack) many.resize(count);
  Expr* flat = count > kOnStack ? many.data() : few.data();
  std::size_t at = 0;
  for (Expr e : items) {
    if (flattens(e)) {
      at = std::copy(e.args().begin(), e.args().end(), flat + at) - flat;
    } else {
      flat[at++] = e;
    }
  }
  return count == 1 ? flat[0] : make(kind, std::span<const Expr>(flat, count));  // a nested node has two items or more
}

}  // namespace

// These run on every rule match: an immediate number is read in place, a number kept as text (a fraction, a
// bignum; see Node::number_text) is judged from its text where it can be, without making a CLN object.
bool Expr::is_integer() const {
  return is_number() && (node_->number_text == nullptr || node_->number_text->find('/') == std::string::npos);
}
bool Expr::is_number_slow(long value) const {
  return node_->number_text == nullptr ? node_->number == value : number() == value;
}
bool Expr::is_negative_number() const {
  if (!is_number()) return false;
  if (node_->number_text == nullptr) {
    if (long v = 0; detail::fixnum_value(node_->number, v)) return v < 0;
    return cln::minusp(node_->number);
  }
  return (*node_->number_text)[0] == '-';
}
bool Expr::is_call(std::string_view fn) const { return is(Kind::Call) && name() == fn; }
Name::Name(std::string_view text) : interned_(names().find_or_add(text)) {}
std::optional<long> Expr::small_integer_slow() const {
  if (!is_integer()) return std::nullopt;
  const cln::cl_I n = cln::numerator(node_->number_text == nullptr ? node_->number : number());
  if (cln::integer_length(n) > 62) return std::nullopt;
  return cln::cl_I_to_long(n);
}

namespace detail {
bool equal_with_drafts(const Node* a, const Node* b) {
  if (((a->flags | b->flags) & Node::kDraft) == 0) return false;  // two interned nodes, not the same one
  if (a->kind != b->kind || a->name != b->name || a->arg_count != b->arg_count) return false;
  if (a->kind == Kind::Number) {
    if ((a->number_text == nullptr) != (b->number_text == nullptr)) return false;
    return a->number_text == nullptr ? a->number == b->number : *a->number_text == *b->number_text;
  }
  return std::equal(a->args(), a->args() + a->arg_count, b->args());
}
}  // namespace detail

bool structurally_less(Expr a, Expr b) {
  if (a == b) return false;
  if (a.kind() != b.kind()) return a.kind() < b.kind();
  if (a.is_number()) return a.number() < b.number();
  if (a.name() != b.name()) return a.name() < b.name();
  if (a.size() != b.size()) return a.size() < b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return structurally_less(a[i], b[i]);
  }
  return false;
}

constexpr long kImmediateNumber = long{1} << 47;  // the values make() keeps immediate (integer_length < 48)

Expr num(const cln::cl_RA& value) {
  // A value that num(long) hashes without CLN (it hands any other back here).
  if (long v = 0; detail::fixnum_value(value, v) && v >= -kImmediateNumber && v < kImmediateNumber) return num(v);
  return make(Kind::Number, {}, names().empty(), value);
}
Expr num(long value) {
  // A value well inside a machine word (counts, exponents, most literals) is hashed without asking CLN
  // about it, to the hash make() gives it: mix(seed, number_hash), number_hash = mix(mix(n, 0), mix(1, 0)).
  if (value < -kImmediateNumber || value >= kImmediateNumber) return make(Kind::Number, {}, names().empty(), value);
  constexpr std::size_t kSeed = mix(static_cast<std::size_t>(Kind::Number) + 1, name_hash(""));
  constexpr std::size_t kDenominatorOne = mix(1, 0);
  const cln::cl_RA q(value);
  const std::size_t h = mix(kSeed, mix(mix(static_cast<std::size_t>(value), 0), kDenominatorOne));
  const Key key{Kind::Number, h, {}, names().empty(), &q, nullptr, 0, Node::kNoSymbol};
  return Expr(detail::active_drafts != nullptr ? detail::draft(key) : intern(key));
}
Expr num(long numerator, long denominator) { return num(cln::cl_RA(numerator) / cln::cl_RA(denominator)); }
Expr sym(std::string_view name) { return make(Kind::Symbol, {}, names().find_or_add(name)); }
Expr constant(std::string_view name) { return make(Kind::Constant, {}, names().find_or_add(name)); }

Expr add(std::span<const Expr> terms) { return associative(Kind::Add, terms, 0); }
Expr mul(std::span<const Expr> factors) { return associative(Kind::Mul, factors, 1); }
Expr add(std::vector<Expr> terms) { return add(std::span<const Expr>(terms)); }
Expr mul(std::vector<Expr> factors) { return mul(std::span<const Expr>(factors)); }
Expr add(Expr a, Expr b) {
  const Expr terms[] = {a, b};
  return add(std::span<const Expr>(terms));
}
Expr mul(Expr a, Expr b) {
  const Expr factors[] = {a, b};
  return mul(std::span<const Expr>(factors));
}
Expr div(Expr numerator, Expr denominator) { return make(Kind::Div, {numerator, denominator}); }
Expr pow(Expr base, Expr exponent) { return make(Kind::Pow, {base, exponent}); }
Expr call(std::string_view name, std::span<const Expr> args) {
  return make(Kind::Call, args, names().find_or_add(name));
}
Expr vector(std::span<const Expr> items) { return make(Kind::Vector, items); }
Expr call(std::string_view name, std::vector<Expr> args) {
  return make(Kind::Call, args, names().find_or_add(name));
}
Expr derivative(Expr f, Expr var) { return make(Kind::Derivative, {f, var}); }
Expr equation(Expr lhs, Expr rhs) { return make(Kind::Equation, {lhs, rhs}); }
Expr vector(std::vector<Expr> items) { return make(Kind::Vector, items); }
Expr index(Expr vec, Expr i) { return make(Kind::Index, {vec, i}); }

Expr neg(Expr e) {
  if (e.is_number()) return num(-e.number());
  if (e.is(Kind::Mul) && e[0].is_number() && cln::plusp(e[0].number())) {
    std::vector<Expr> factors(e.args().begin(), e.args().end());
    factors[0] = num(-factors[0].number());
    return mul(std::move(factors));
  }
  // -(-x) keeps both signs: flattening would print as -1*(-1)*x, cancelling them would change the form.
  if (e.is(Kind::Mul) && e[0].is_negative_number()) return make(Kind::Mul, {num(-1), e});
  return mul(num(-1), e);
}
Expr sub(Expr a, Expr b) { return add(a, neg(b)); }

Expr with_args(Expr e, std::vector<Expr> args) { return with_args(e, std::span<const Expr>(args)); }
Expr with_args(Expr e, std::span<const Expr> args) {
  switch (e.kind()) {
    case Kind::Number:
    case Kind::Symbol:
    case Kind::Constant:
      return e;
    case Kind::Add:
      return add(args);
    case Kind::Mul:
      return mul(args);
    case Kind::Div:
      return div(args[0], args[1]);
    case Kind::Pow:
      return pow(args[0], args[1]);
    case Kind::Call:
      return make(Kind::Call, args, e.node()->name);  // the name is interned already
    case Kind::Derivative:
      return derivative(args[0], args[1]);
    case Kind::Equation:
      return equation(args[0], args[1]);
    case Kind::Vector:
      return make(Kind::Vector, args);
    case Kind::Index:
      return index(args[0], args[1]);
  }
  return e;
}

Expr transform(Expr e, const std::function<std::optional<Expr>(Expr)>& before,
               const std::function<Expr(Expr)>& after) {
  std::unordered_map<const Node*, Expr> memo;
  std::function<Expr(Expr)> walk = [&](Expr x) -> Expr {
    if (auto it = memo.find(x.node()); it != memo.end()) return it->second;
    Expr out;
    if (std::optional<Expr> replaced = before ? before(x) : std::nullopt) {
      out = *replaced;
    } else {
      std::vector<Expr> args;
      for (Expr a : x.args()) args.push_back(walk(a));
      out = x.size() == 0 ? x : with_args(x, std::move(args));
      if (after) out = after(out);
    }
    memo.emplace(x.node(), out);
    return out;
  };
  return walk(e);
}

Expr replace_all(Expr e, Expr from, Expr to) {
  return transform(e, [&](Expr x) { return x == from ? std::optional<Expr>(to) : std::nullopt; });
}

bool contains(Expr haystack, Expr needle) {
  std::unordered_set<const Node*> seen;
  std::vector<Expr> stack{haystack};
  while (!stack.empty()) {
    Expr e = stack.back();
    stack.pop_back();
    if (e == needle) return true;
    if (!seen.insert(e.node()).second) continue;
    for (Expr a : e.args()) stack.push_back(a);
  }
  return false;
}

bool free_of(Expr e, Expr var) { return !contains(e, var); }

std::size_t dag_size(Expr e) {
  std::unordered_set<const Node*> seen;
  std::vector<Expr> stack{e};
  while (!stack.empty()) {
    Expr top = stack.back();
    stack.pop_back();
    if (!seen.insert(top.node()).second) continue;
    for (Expr a : top.args()) stack.push_back(a);
  }
  return seen.size();
}

std::size_t tree_size(Expr e, std::size_t cap) {
  std::size_t count = 0;
  std::vector<Expr> stack{e};
  while (!stack.empty() && count < cap) {
    Expr top = stack.back();
    stack.pop_back();
    ++count;
    for (Expr a : top.args()) stack.push_back(a);
  }
  return count;
}

std::size_t depth(Expr e) {
  std::unordered_map<const Node*, std::size_t> memo;
  std::vector<std::pair<Expr, bool>> stack{{e, false}};
  while (!stack.empty()) {
    auto [top, children_done] = stack.back();
    stack.pop_back();
    if (memo.count(top.node())) continue;
    if (!children_done) {
      stack.push_back({top, true});
      for (Expr a : top.args()) {
        if (!memo.count(a.node())) stack.push_back({a, false});
      }
      continue;
    }
    std::size_t d = 0;
    for (Expr a : top.args()) d = std::max(d, memo[a.node()]);
    memo[top.node()] = d + 1;
  }
  return memo[e.node()];
}

std::vector<Expr> free_symbols(Expr e) {
  std::unordered_set<const Node*> seen;
  std::vector<Expr> symbols;
  std::vector<Expr> stack{e};
  while (!stack.empty()) {
    Expr top = stack.back();
    stack.pop_back();
    if (!seen.insert(top.node()).second) continue;
    if (top.is(Kind::Symbol)) symbols.push_back(top);
    for (Expr a : top.args()) stack.push_back(a);
  }
  std::sort(symbols.begin(), symbols.end(), [](Expr a, Expr b) { return a.name() < b.name(); });
  return symbols;
}

std::size_t interned_node_count() { return interned_count(); }
std::size_t interned_node_bytes() { return detail::interned_bytes(); }

}  // namespace napier
