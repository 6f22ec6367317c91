// The interner behind every Expr constructor (expr.cpp's make): it finds the node equal to a key, or builds
// it. Internal to the library.
#pragma once

#include <cln/rational.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "napier/expr.hpp"

namespace napier::detail {

// A node to find or build. The hash is computed by the caller (from kind, name, number and the children's
// hashes), so that equal keys have equal hashes.
struct Key {
  Kind kind;
  std::size_t hash;
  std::span<const Expr> args;
  const InternedName* name;        // interned: names compare as pointers
  const cln::cl_RA* number;        // Number only: the value when it is immediate
  const std::string* number_text;  // Number only: the text of any other value
  std::uint8_t flags;              // Node::flags and Node::symbols, worked out from the children
  std::uint16_t symbols;
  // While drafting: which children are drafts, bit i for child i < 31 and bit 31 for any from 31 on (see
  // DraftArena::Header), worked out by make() as it reads the children for the hash.
  static constexpr std::uint32_t kMaskedChildren = 31;
  std::uint32_t draft_children = 0;
};

// The one node equal to key, built the first time. Thread-safe; a node that exists is found without a lock.
const Node* intern(const Key& key);

// Nodes interned so far, and the arena memory they take (snapshots while other threads intern).
std::size_t interned_count();
std::size_t interned_bytes();

// Drafting: while a Drafting lives on a thread, every node that thread makes is a draft, built in scratch
// memory and not interned; finish() then interns the drafts in the order they were made (children before
// parents), and gives the interned node of one of them. Each draft's hash is already the hash of the
// node it will be, so finish() can fetch the interner's slots some nodes ahead of the one it interns: their
// cache misses overlap instead of following one another. (The parser made a long sum's nodes one lookup
// after the other, each a miss in memory once the sum outgrew the cache: 64% of its time at 10^5 terms;
// the fast differentiator spent 41% of its time at 10^5 terms in such lookups.)
//
// A draft is a Node like any other for every reader (kind, children, number, name), so the Expr
// constructors work on drafts unchanged, and a draft's children may be interned nodes. Expr's == compares
// a draft by structure (equal hashes first), so pattern matching works on drafts. What drafting forbids:
// keeping a draft, or anything that points to one, past the Drafting (a thread-local cache, say), since
// the next Drafting reuses its memory; and ordering or keying anything that reaches the output by node
// address (structurally equal drafts are different nodes). A memo keyed by address only loses sharing.
class Drafting {
 public:
  Drafting();
  ~Drafting();
  Drafting(const Drafting&) = delete;
  Drafting& operator=(const Drafting&) = delete;

  // Which drafts finish() interns: those the root reaches (a differentiator's rules leave intermediate
  // results behind), or every one made before the root (the parser's are all reached, and the sweep that
  // finds them cost 15% of parsing a long sum).
  enum class Intern { Reached, All };
  Expr finish(Expr draft_root, Intern which = Intern::Reached);
};

const Node* draft(const Key& key);  // make()'s work while drafting

// While one lives, the thread interns again (drafting stops until it ends): for building a node kept past
// the Drafting (a cache's value) from nodes that are all interned.
class Undrafted {
 public:
  Undrafted() : saved_(active_drafts) { active_drafts = nullptr; }
  ~Undrafted() { active_drafts = saved_; }
  Undrafted(const Undrafted&) = delete;
  Undrafted& operator=(const Undrafted&) = delete;

 private:
  DraftArena* saved_;
};

// A number that changes with every Drafting of the thread: a cache of answers about drafts keeps them
// for one generation only (the next Drafting reuses the drafts' memory).
std::uint64_t drafting_generation();

}  // namespace napier::detail
