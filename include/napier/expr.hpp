// Expressions: immutable, hash-consed nodes behind a small value handle.
//
// Building an expression never simplifies it: `1 + exp(-x) - 1` stays exactly as written until a named rule
// rewrites it. The only normalisations done on construction are the ones the printed form cannot show:
// nested sums and products are flattened (a + (b + c) prints as a + b + c anyway), and a one-element sum or
// product is its element.
//
// Equal subtrees are one node, so equality is a pointer compare and a DAG of shared subterms costs its size,
// not the size of its printed tree. Interning is thread-safe. Nodes live until the process ends (an arena):
// napier is a short-lived program and a library whose expressions are small next to memory.
#pragma once

#include <cln/rational.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace napier {

enum class Kind : std::uint8_t {
  Number,      // exact rational (cln::cl_RA); decimals are read exactly (0.5 is 1/2)
  Symbol,      // x, x1, w_3
  Constant,    // e, pi
  Add,         // n-ary sum; a - b is a + (-1)*b, a - 2 is a + (-2)
  Mul,         // n-ary product
  Div,         // a / b, kept apart from a * b^-1 because textbooks show both forms
  Pow,         // base ^ exponent
  Call,        // name(args...): exp, log, sin, sigmoid, softmax, user-defined functions
  Derivative,  // d/dvar (f), unevaluated: args = {f, var}
  Equation,    // lhs = rhs
  Vector,      // [a, b, c]
  Index,       // v[i], 1-based: args = {v, i}
};

class Node;

namespace detail {
// The value of a CLN fixnum (an integer held in the object's own word, |n| < 2^61 on 64-bit machines) read
// from that word, without a call into CLN: true and the value in `value`; false for any other number. Every
// number a node keeps immediate is one (Node::number), so the questions asked of numbers on every rule match
// cost a few instructions. (An out-parameter, not a std::optional<long>: GCC moved the optional through the
// stack in two stores and one wider load, which stalls, a few percent of differentiating a long sum.)
inline bool fixnum_value(const cln::cl_RA& q, long& value) {
  if (cln::cl_tag(q.word) != cl_FN_tag) return false;
  value = static_cast<long>(static_cast<std::intptr_t>(q.word) >> cl_value_shift);  // arithmetic: keeps the sign
  return true;
}
struct DraftArena;
// The thread's Drafting (src/interner.hpp), if any: while one lives, new nodes are drafts, not interned yet.
extern constinit thread_local DraftArena* active_drafts;
bool equal_with_drafts(const Node* a, const Node* b);  // non-null, equal hashes: equal by structure, drafts?
}  // namespace detail

// A name as the interner keeps it: once per distinct text, with its hash and a number of its own (the
// first is the empty name, 0). Nodes point to it, so names compare as pointers.
struct InternedName {
  std::string text;
  std::size_t hash;
  std::uint32_t id;
};

// A name looked up once, for code that asks many nodes whether they call one function: is_call(Name)
// compares one pointer where is_call(string_view) compares the strings.
class Name {
 public:
  explicit Name(std::string_view text);
  const InternedName* interned() const { return interned_; }

 private:
  const InternedName* interned_;
};

class Expr {
 public:
  Expr() = default;  // the null handle; only for containers and "not yet set"
  explicit Expr(const Node* node) : node_(node) {}

  bool is_null() const { return node_ == nullptr; }
  const Node* node() const { return node_; }
  Kind kind() const;
  std::size_t hash() const;
  std::span<const Expr> args() const;
  std::size_t size() const { return args().size(); }
  const Expr& operator[](std::size_t i) const { return args()[i]; }
  const std::string& name() const;       // Symbol, Constant, Call
  cln::cl_RA number() const;             // Number (each call its own CLN object: see Node::number_text)

  bool is(Kind k) const { return node_ != nullptr && kind() == k; }
  bool is_number() const { return is(Kind::Number); }
  bool is_integer() const;
  bool is_number(long value) const;      // is this the number `value`? (inline: asked on every rule match)
  bool is_negative_number() const;
  bool is_call(std::string_view fn) const;
  bool is_call(const Name& fn) const;
  // Facts the interner records in every node, read without walking it:
  bool holds_derivative() const;  // is a d/dv(f) node anywhere in it (itself included)?
  bool is_pattern_variable() const;  // a symbol named ?u or ?u... (pattern.hpp)
  bool is_segment_variable() const;  // a symbol named ?u...
  // Does the symbol `s` occur in it? Decided when at most one symbol occurs and no sum(...) is inside
  // (which binds its index: depends_on's business); otherwise, or when s is no symbol, nothing (walk it).
  std::optional<bool> holds_symbol(Expr s) const;
  // The value of an integer number that fits a long (|n| < 2^62), else nothing.
  std::optional<long> small_integer() const;

  // Interning makes equal expressions one node, so equality is one comparison of addresses; a draft (a node
  // made while the thread drafts, not interned yet) is compared by structure instead.
  friend bool operator==(Expr a, Expr b);
  friend bool operator!=(Expr a, Expr b) { return !(a == b); }
  // Is it a draft? Only while the thread drafts; a draft must not be kept past that (interner.hpp).
  bool is_draft() const;
  // A stable order (by structure, never by address), for deterministic output.
  friend bool structurally_less(Expr a, Expr b);

 private:
  bool is_number_slow(long value) const;  // the cases fixnum_value does not decide
  std::optional<long> small_integer_slow() const;
  const Node* node_ = nullptr;
};

// A node is laid out for the interner's lookup, which runs for every node built: hash, kind, arity, name and
// the first children share the node's first cache line (the arena starts every node on one), and the
// children follow the node itself rather than living in a separate allocation.
class Node {
 public:
  static constexpr std::uint8_t kHoldsDerivative = 1;
  static constexpr std::uint8_t kDraft = 2;  // not interned yet (interner.hpp's Drafting)
  // A symbol named ?u (a pattern variable), and one named ?u... (a segment variable): the matcher asks every
  // pattern node, and reading a flag costs less than reading the name's text.
  static constexpr std::uint8_t kPatternVariable = 4, kSegmentVariable = 8;
  // symbols: which symbols occur, for Expr::holds_symbol: none, one (its name's id + 1), or any other case.
  static constexpr std::uint16_t kNoSymbol = 0, kSeveralSymbols = 0xFFFF;

  std::size_t hash;
  Kind kind;
  std::uint8_t flags;     // kHoldsDerivative, kDraft, kPatternVariable, kSegmentVariable
  std::uint16_t symbols;  // kNoSymbol, a symbol's name id + 1, or kSeveralSymbols
  std::uint32_t arg_count;
  // A number that fits a machine word is stored as is (CLN keeps it in the pointer: copies share nothing).
  // Any other (a fraction, a bignum) is kept as its text, and Expr::number() makes each reader a fresh CLN
  // object from it: CLN's reference counts are not atomic, so one heap object read by several threads
  // would be a data race (and a lost count a use after free).
  cln::cl_RA number;               // Number only, when number_text is null
  const std::string* number_text;  // Number only: "p/q" or a big integer
  const InternedName* name;        // Symbol, Constant, Call; the empty name for the rest

  // The children, in order: stored right after the node.
  const Expr* args() const { return std::launder(reinterpret_cast<const Expr*>(this + 1)); }
};

inline bool operator==(Expr a, Expr b) {
  if (a.node_ == b.node_) return true;
  if (detail::active_drafts == nullptr || a.node_ == nullptr || b.node_ == nullptr) return false;
  return a.node_->hash == b.node_->hash && detail::equal_with_drafts(a.node_, b.node_);
}
inline Kind Expr::kind() const { return node_->kind; }
inline std::size_t Expr::hash() const { return node_->hash; }
inline std::span<const Expr> Expr::args() const { return {node_->args(), node_->arg_count}; }
inline const std::string& Expr::name() const { return node_->name->text; }
inline bool Expr::is_draft() const { return (node_->flags & Node::kDraft) != 0; }
inline bool Expr::holds_derivative() const { return (node_->flags & Node::kHoldsDerivative) != 0; }
inline bool Expr::is_pattern_variable() const { return (node_->flags & Node::kPatternVariable) != 0; }
inline bool Expr::is_segment_variable() const { return (node_->flags & Node::kSegmentVariable) != 0; }
inline std::optional<bool> Expr::holds_symbol(Expr s) const {
  if (!s.is(Kind::Symbol)) return std::nullopt;
  if (node_->symbols == Node::kSeveralSymbols || s.node_->symbols == Node::kSeveralSymbols) return std::nullopt;
  return node_->symbols != Node::kNoSymbol && node_->symbols == s.node_->symbols;
}
inline bool Expr::is_number(long value) const {
  if (!is_number()) return false;
  if (node_->number_text == nullptr) {
    if (long v = 0; detail::fixnum_value(node_->number, v)) return v == value;
  }
  return is_number_slow(value);
}
inline std::optional<long> Expr::small_integer() const {
  if (is_number() && node_->number_text == nullptr) {
    if (long v = 0; detail::fixnum_value(node_->number, v)) return v;
  }
  return small_integer_slow();
}
inline bool Expr::is_call(const Name& fn) const { return is(Kind::Call) && node_->name == fn.interned(); }
inline cln::cl_RA Expr::number() const {
  return node_->number_text == nullptr ? node_->number : cln::cl_RA(node_->number_text->c_str());
}

// Construction. None of these simplifies (see the file comment for the two normalisations).
Expr num(const cln::cl_RA& value);
Expr num(long value);
Expr num(long numerator, long denominator);
Expr sym(std::string_view name);
Expr constant(std::string_view name);  // "e" or "pi"
Expr add(std::vector<Expr> terms);     // empty: 0
Expr mul(std::vector<Expr> factors);   // empty: 1
Expr add(std::span<const Expr> terms);  // the same, for items held elsewhere (no vector to build)
Expr mul(std::span<const Expr> factors);
Expr add(Expr a, Expr b);
Expr mul(Expr a, Expr b);
Expr div(Expr numerator, Expr denominator);
Expr pow(Expr base, Expr exponent);
Expr call(std::string_view name, std::vector<Expr> args);
Expr call(std::string_view name, std::span<const Expr> args);
Expr derivative(Expr f, Expr var);
Expr equation(Expr lhs, Expr rhs);
Expr vector(std::vector<Expr> items);
Expr vector(std::span<const Expr> items);
Expr index(Expr vec, Expr i);
// -e as the parser reads it: a number negated, c*rest as (-c)*rest for a positive number c, else (-1)*e.
Expr neg(Expr e);
Expr sub(Expr a, Expr b);  // a + neg(b)

// The same node kind with other children (args must suit the kind).
Expr with_args(Expr e, std::vector<Expr> args);
Expr with_args(Expr e, std::span<const Expr> args);

// A memoized bottom-up rebuild over the DAG: `before` may replace a node outright (its children are then
// not visited); otherwise the node is rebuilt from its transformed children and `after` maps the result.
Expr transform(Expr e, const std::function<std::optional<Expr>(Expr)>& before,
               const std::function<Expr(Expr)>& after = nullptr);

// e with every occurrence of the node `from` replaced by `to`.
Expr replace_all(Expr e, Expr from, Expr to);

// Structure queries.
bool contains(Expr haystack, Expr needle);     // does needle occur in haystack? (memoized over the DAG)
bool free_of(Expr e, Expr var);                // !contains(e, var)
std::size_t dag_size(Expr e);                  // distinct nodes
std::size_t tree_size(Expr e, std::size_t cap);// nodes of the printed tree, counting stops at cap
std::size_t depth(Expr e);                     // longest root-to-leaf path (iterative)
std::vector<Expr> free_symbols(Expr e);        // sorted by name
std::size_t interned_node_count();             // nodes alive in the arena
std::size_t interned_node_bytes();             // the arena memory they take (a sum of n terms: about 8n bytes)

}  // namespace napier

template <>
struct std::hash<napier::Expr> {
  std::size_t operator()(napier::Expr e) const noexcept { return e.hash(); }
};
