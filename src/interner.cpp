#include "interner.hpp"

#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <stdexcept>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace napier::detail {
namespace {

constexpr std::size_t kLine = 64;                      // every node starts on a cache line
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// A block carved from the front, for LastingMemory and for each thread's NodeArena.
struct Carving {
  std::byte* free_begin = nullptr;
  std::size_t free_bytes = 0;

  // `bytes` (a multiple of kLine, at most kHugePage) from this block, or from the Carving `refill` gives
  // (room for at least `bytes`) when this one is short.
  template <class Refill>
  std::byte* take(std::size_t bytes, const Refill& refill) {
    if (bytes > free_bytes) *this = refill(bytes);
    std::byte* at = free_begin;
    free_begin += bytes;
    free_bytes -= bytes;
    return at;
  }
};

// Memory that is never given back (nodes, and the interner's tables, which readers may still be probing
// after they were replaced): 2 MiB-aligned blocks offered to the kernel as huge pages. A lookup in a large
// interner is a random read; with 4 KiB pages each such read also missed the TLB, which a virtual machine
// pays twice (nested page tables). Requests below a block share one; larger ones get blocks of their own.
class LastingMemory {
 public:
  std::byte* allocate(std::size_t bytes) {
    bytes = (bytes + kLine - 1) / kLine * kLine;
    std::lock_guard lock(mutex_);
    if (bytes > kHugePage / 4) return new_block(bytes);
    return shared_.take(bytes, [this](std::size_t) { return Carving{new_block(kHugePage), kHugePage}; });
  }

  // A block for a thread's arena: the rest of one a thread that ended gave back, when one has room for
  // `bytes`, else a new one. (A program that runs each input on a thread of its own, as the fuzzers do,
  // took a new 2 MiB block per thread and ran out of memory after a few thousand.)
  Carving block_for_a_thread(std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < spare_.size(); ++i) {
        if (spare_[i].free_bytes >= bytes) {
          const Carving c = spare_[i];
          spare_[i] = spare_.back();
          spare_.pop_back();
          return c;
        }
      }
    }
    return Carving{allocate(kHugePage), kHugePage};
  }
  void give_back(const Carving& rest) {
    if (rest.free_bytes < kLine) return;
    std::lock_guard lock(mutex_);
    spare_.push_back(rest);
  }

 private:
  std::byte* new_block(std::size_t bytes) {
    blocks_.reserve(blocks_.size() + 1);  // before the block: a bad_alloc here loses nothing
    const std::size_t size = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    auto* block = static_cast<std::byte*>(std::aligned_alloc(kHugePage, size));
    if (block == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(block, size, MADV_HUGEPAGE);  // advice only: without huge pages the memory works the same
#endif
    blocks_.push_back(block);  // keeps every block reachable, for leak checkers
    return block;
  }
  std::mutex mutex_;
  std::vector<std::byte*> blocks_;
  Carving shared_;              // the block small requests share
  std::vector<Carving> spare_;  // what threads that ended left of their blocks
};

LastingMemory& lasting_memory() {
  static auto* memory = new LastingMemory();  // never destroyed: nodes outlive static destructors
  return *memory;
}

// Where nodes live: each thread carves the nodes it interns from blocks of its own, one after another.
// Nodes built together (one term of a sum, one derivative) are therefore neighbours in memory, and
// walking or rebuilding an expression again reads memory in about the order it was written, which the
// hardware prefetches. (Blocks per shard spread one term's nodes over as many places as it has nodes: a
// long sum parsed a second time took 40% longer.)
class NodeArena {
 public:
  std::byte* allocate(std::size_t bytes) {
    bytes = (bytes + kLine - 1) / kLine * kLine;
    if (bytes > kHugePage / 4) return lasting_memory().allocate(bytes);  // a long sum: a block of its own
    return own_.take(bytes, [](std::size_t need) { return lasting_memory().block_for_a_thread(need); });
  }
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  ~NodeArena() { lasting_memory().give_back(own_); }  // the thread ends: its block's rest serves the next

 private:
  Carving own_;
};
thread_local NodeArena node_arena;

bool same_node(const Node* node, const Key& key) {
  if (node->kind != key.kind || node->arg_count != key.args.size() || node->name != key.name) return false;
  if (!std::equal(key.args.begin(), key.args.end(), node->args())) return false;
  if (key.kind != Kind::Number) return true;
  if ((node->number_text == nullptr) != (key.number_text == nullptr)) return false;
  return key.number_text == nullptr ? node->number == *key.number : *node->number_text == *key.number_text;
}

// What a node with `children` children takes in its arena.
std::size_t node_bytes(std::size_t children) { return (sizeof(Node) + children * sizeof(Expr) + kLine - 1) / kLine * kLine; }

const Node* build(const Key& key) {
  // The text of a number is copied first: nothing is placed in the arena before the last allocation.
  std::unique_ptr<std::string> text =
      key.number_text == nullptr ? nullptr : std::make_unique<std::string>(*key.number_text);
  std::byte* at = node_arena.allocate(node_bytes(key.args.size()));
  Node* node = new (at) Node{key.hash, key.kind, key.flags, key.symbols, static_cast<std::uint32_t>(key.args.size()),
                             key.number == nullptr ? cln::cl_RA(0) : *key.number, text.release(), key.name};
  std::uninitialized_copy(key.args.begin(), key.args.end(), reinterpret_cast<Expr*>(node + 1));
  return node;
}

// Nodes split over shards so that threads interning unrelated nodes rarely wait. Each shard finds a node by
// open addressing over one-word slots: the node's address, whose low bits (always zero: nodes start on a
// cache line) carry a few bits of its hash, so that a probe reads the node only when those agree. The
// node's first cache line holds everything compared but the later children.
//
// A lookup that finds its node takes no lock. A slot is written once, with release order, after the node
// it points to is complete; a table that fills up is replaced by a larger one and kept, so a reader still
// probing the old one reads valid memory and, if it misses there, looks again under the lock. Taking the
// lock on every lookup made each lookup wait for the cache misses of the one before (a locked instruction
// is a full barrier on x86). (std::unordered_set chased a list node and then the Node for every entry of a
// bucket; a Node holding a std::vector of children and std::string names took three cache misses per
// lookup; docs/performance.md.)
class Interner {
  static constexpr int kShardBits = 6;
  static constexpr std::uintptr_t kTagMask = kLine - 1;  // the slot's low bits: hash bits, not address bits

 public:
  const Node* intern(const Key& key) {
    Shard& shard = shards_[key.hash & (shards_.size() - 1)];
    if (const Node* found = shard.table.load(std::memory_order_acquire)->find(key)) return found;
    std::lock_guard lock(shard.mutex);
    Table* table = shard.table.load(std::memory_order_relaxed);  // only this lock replaces it
    if (const Node* found = table->find(key)) return found;
    const std::size_t count = shard.count.load(std::memory_order_relaxed);
    // The table grows before the node is built: a bad_alloc there loses nothing.
    if (2 * (count + 1) > table->size()) table = shard.grow(*table);
    const Node* node = build(key);
    table->place(key.hash, node);
    shard.count.store(count + 1, std::memory_order_relaxed);
    shard.bytes.store(shard.bytes.load(std::memory_order_relaxed) + node_bytes(key.args.size()),
                      std::memory_order_relaxed);
    return node;
  }
  // Brings the first slot a lookup of `hash` reads into the cache.
  void prefetch_slot(std::size_t hash) const {
    const Table* table = shards_[hash & (shards_.size() - 1)].table.load(std::memory_order_acquire);
    __builtin_prefetch(&table->slots()[table->start(hash)]);
  }
  // Brings the node in that slot into the cache, when its tag agrees (the slot read should be in cache).
  void prefetch_node(std::size_t hash) const {
    const Table* table = shards_[hash & (shards_.size() - 1)].table.load(std::memory_order_acquire);
    const std::uintptr_t slot = table->slots()[table->start(hash)].load(std::memory_order_relaxed);
    if (slot != 0 && (slot & kTagMask) == Table::tag(hash)) __builtin_prefetch(reinterpret_cast<const void*>(slot & ~kTagMask));
  }
  std::size_t size() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) total += shard.count.load(std::memory_order_relaxed);
    return total;
  }
  std::size_t bytes() const {
    std::size_t total = 0;
    for (const Shard& shard : shards_) total += shard.bytes.load(std::memory_order_relaxed);
    return total;
  }

 private:
  // mask + 1 slots follow the header in the same lasting allocation. 0 is an empty slot.
  struct Table {
    std::size_t mask;  // a power of two minus one; the table is at most half full

    static Table* make(std::size_t n) {
      auto* t = new (lasting_memory().allocate(sizeof(Table) + n * sizeof(std::atomic<std::uintptr_t>)))
          Table{n - 1};
      for (std::size_t i = 0; i < n; ++i) new (&t->slots()[i]) std::atomic<std::uintptr_t>(0);
      return t;
    }
    std::atomic<std::uintptr_t>* slots() { return reinterpret_cast<std::atomic<std::uintptr_t>*>(this + 1); }
    const std::atomic<std::uintptr_t>* slots() const {
      return reinterpret_cast<const std::atomic<std::uintptr_t>*>(this + 1);
    }
    std::size_t size() const { return mask + 1; }
    // The slot sequence starts from bits above those that chose the shard; the tag is the hash's top bits.
    std::size_t start(std::size_t hash) const { return (hash >> kShardBits) & mask; }
    static std::uintptr_t tag(std::size_t hash) { return (hash >> 58) & kTagMask; }

    const Node* find(const Key& key) const {
      const std::uintptr_t tag = Table::tag(key.hash);
      for (std::size_t i = start(key.hash);; i = (i + 1) & mask) {
        const std::uintptr_t slot = slots()[i].load(std::memory_order_acquire);
        if (slot == 0) return nullptr;
        if ((slot & kTagMask) != tag) continue;
        const auto* node = reinterpret_cast<const Node*>(slot & ~kTagMask);
        if (node->hash == key.hash && same_node(node, key)) return node;
      }
    }
    void place(std::size_t hash, const Node* node) {  // under the shard's lock
      std::size_t i = start(hash);
      while (slots()[i].load(std::memory_order_relaxed) != 0) i = (i + 1) & mask;
      slots()[i].store(reinterpret_cast<std::uintptr_t>(node) | tag(hash), std::memory_order_release);
    }
  };
  static_assert(sizeof(Table) % alignof(std::atomic<std::uintptr_t>) == 0);

  struct Shard {
    Shard() : table(Table::make(64)) {}
    std::mutex mutex;
    std::atomic<Table*> table;          // replaced (never freed) when it grows, under the lock
    std::atomic<std::size_t> count{0};  // written under the lock only
    std::atomic<std::size_t> bytes{0};  // of its nodes in the arenas; written under the lock only

    // The new table is filled before readers are sent to it.
    Table* grow(const Table& old) {
      Table* bigger = Table::make(2 * old.size());
      for (std::size_t i = 0; i < old.size(); ++i) {
        const std::uintptr_t slot = old.slots()[i].load(std::memory_order_relaxed);
        if (slot == 0) continue;
        const auto* node = reinterpret_cast<const Node*>(slot & ~kTagMask);
        bigger->place(node->hash, node);
      }
      table.store(bigger, std::memory_order_release);
      return bigger;
    }
  };
  std::array<Shard, std::size_t{1} << kShardBits> shards_;
};

Interner& interner() {
  static auto* instance = new Interner();  // never destroyed: nodes outlive static destructors
  return *instance;
}

}  // namespace

const Node* intern(const Key& key) { return interner().intern(key); }
std::size_t interned_count() { return interner().size(); }
std::size_t interned_bytes() { return interner().bytes(); }

// The scratch memory of a thread's drafts, kept from one Drafting to the next (it stays in the cache).
// Each draft is preceded by its number in the order of making: [index][Node][children].
struct DraftArena {
  static constexpr std::size_t kBlockBytes = std::size_t{256} << 10;
  // Eight bytes, as the index alone took: a larger header made every draft larger, and parsing a long sum
  // (all drafts) 5% slower. (2^32 drafts would take more than 190 GB.)
  struct Header {
    std::uint32_t index;
    // Which children are drafts: bit i for child i < 31; bit 31 for "some child from 31 on may be one"
    // (ask it). Key::draft_children, worked out by make() from the children it reads for the hash, so that
    // finish() does not read an interned child (a cache miss in a large interner) to learn it.
    std::uint32_t draft_children;
  };
  static_assert(sizeof(Header) == 8);
  static constexpr std::uint32_t kMaskedChildren = 31;
  static const Header& header_of(const Node* draft) { return *(reinterpret_cast<const Header*>(draft) - 1); }
  // Is child k of this draft a draft?
  static bool child_is_draft(const Node* draft, std::uint32_t k) {
    const std::uint32_t mask = header_of(draft).draft_children;
    if (k < kMaskedChildren) return ((mask >> k) & 1) != 0;
    return (mask >> kMaskedChildren) != 0 && (draft->args()[k].node()->flags & Node::kDraft) != 0;
  }

  std::byte* allocate(std::size_t bytes) {
    bytes = (bytes + alignof(Node) - 1) / alignof(Node) * alignof(Node);
    if (bytes > kBlockBytes) {
      large.push_back(std::make_unique<std::byte[]>(bytes));
      return large.back().get();
    }
    if (block == blocks.size() || used + bytes > kBlockBytes) {  // on to the next block
      if (block < blocks.size()) ++block;
      if (block == blocks.size()) blocks.push_back(std::make_unique<std::byte[]>(kBlockBytes));
      used = 0;
    }
    std::byte* at = blocks[block].get() + used;
    used += bytes;
    ASAN_UNPOISON_MEMORY_REGION(at, bytes);
    return at;
  }
  static std::size_t index_of(const Node* draft) { return (reinterpret_cast<const Header*>(draft) - 1)->index; }
  // Under AddressSanitizer the blocks are poisoned until reused, so that a draft kept past its Drafting
  // (in a cache, say) is reported where it is read.
  void clear() {
    for (const auto& b : blocks) ASAN_POISON_MEMORY_REGION(b.get(), kBlockBytes);
    block = 0;
    used = 0;
    large.clear();
    texts.clear();
    order.clear();
  }

  std::vector<std::unique_ptr<std::byte[]>> blocks;  // reused
  std::size_t block = 0, used = 0;                    // the block being filled, and its bytes used
  std::vector<std::unique_ptr<std::byte[]>> large;    // drafts larger than a block (a long sum)
  std::deque<std::string> texts;                      // the number texts of drafts
  std::vector<const Node*> order;                     // the drafts, in the order made
  std::vector<const Node*> interned;                  // finish(): the node each draft the root reaches became
  std::vector<std::uint8_t> reached;                  // finish(): does the root reach draft i?
  std::vector<std::size_t> live;                      // finish(): the drafts it reaches, children first
};

constinit thread_local DraftArena* active_drafts = nullptr;

namespace {
DraftArena& thread_drafts() {
  thread_local DraftArena arena;
  return arena;
}
}  // namespace

const Node* draft(const Key& key) {
  DraftArena& arena = *active_drafts;
  const std::string* text = nullptr;
  if (key.number_text != nullptr) text = &arena.texts.emplace_back(*key.number_text);
  std::byte* at = arena.allocate(sizeof(DraftArena::Header) + sizeof(Node) + key.args.size() * sizeof(Expr));
  static_assert(DraftArena::kMaskedChildren == Key::kMaskedChildren);
  new (at) DraftArena::Header{static_cast<std::uint32_t>(arena.order.size()), key.draft_children};
  Node* node = new (at + sizeof(DraftArena::Header))
      Node{key.hash, key.kind, static_cast<std::uint8_t>(key.flags | Node::kDraft), key.symbols,
           static_cast<std::uint32_t>(key.args.size()), key.number == nullptr ? cln::cl_RA(0) : *key.number, text,
           key.name};
  std::uninitialized_copy(key.args.begin(), key.args.end(), reinterpret_cast<Expr*>(node + 1));
  arena.order.push_back(node);
  return node;
}

namespace {
thread_local std::uint64_t generation = 0;
}  // namespace
std::uint64_t drafting_generation() { return generation; }

Drafting::Drafting() {
  if (active_drafts != nullptr) throw std::logic_error("napier: Drafting inside Drafting");
  ++generation;
  thread_drafts().clear();
  active_drafts = &thread_drafts();
}

Drafting::~Drafting() {
  thread_drafts().clear();
  active_drafts = nullptr;
}

Expr Drafting::finish(Expr draft_root, Intern which) {
  DraftArena& arena = *active_drafts;
  active_drafts = nullptr;  // interning below builds real nodes
  if ((draft_root.node()->flags & Node::kDraft) == 0) return draft_root;
  const std::vector<const Node*>& order = arena.order;
  const std::size_t root = DraftArena::index_of(draft_root.node());
  std::vector<std::size_t>& live = arena.live;  // the drafts to intern, children first
  live.clear();
  if (which == Intern::All) {
    for (std::size_t i = 0; i <= root; ++i) live.push_back(i);
  } else {
    // A rule's intermediate results are drafts too (c*(c*x^k) made c*x^k before it was flattened into
    // c*c*x^k), and interning them was a lookup each, a cache miss in a large interner. Children are made
    // before their parents, so one sweep down from the root marks what it reaches.
    std::vector<std::uint8_t>& reached = arena.reached;
    reached.assign(root + 1, 0);
    reached[root] = 1;
    for (std::size_t i = root + 1; i-- > 0;) {
      if (reached[i] == 0) continue;
      live.push_back(i);
      const Node* d = order[i];
      if (DraftArena::header_of(d).draft_children == 0) continue;
      for (std::uint32_t k = 0; k < d->arg_count; ++k) {
        if (DraftArena::child_is_draft(d, k)) reached[DraftArena::index_of(d->args()[k].node())] = 1;
      }
    }
    std::reverse(live.begin(), live.end());
  }
  const std::size_t n = live.size();
  arena.interned.resize(root + 1);
  // Slots are fetched kAhead drafts ahead, and the nodes they hold kAhead / 2 ahead (by then their slot
  // has arrived): about kAhead / 2 misses in flight at once.
  constexpr std::size_t kAhead = 16;
  Interner& table = interner();
  for (std::size_t j = 0; j < std::min(kAhead, n); ++j) table.prefetch_slot(order[live[j]]->hash);
  for (std::size_t j = 0; j < n; ++j) {
    if (j + kAhead < n) table.prefetch_slot(order[live[j + kAhead]]->hash);
    if (j + kAhead / 2 < n) table.prefetch_node(order[live[j + kAhead / 2]]->hash);
    const std::size_t i = live[j];
    const Node* d = order[i];
    // The draft's children become the interned nodes in place (scratch memory, never const): the key is
    // then the draft's own list of children, with nothing copied.
    auto* children = const_cast<Expr*>(d->args());
    if (DraftArena::header_of(d).draft_children != 0) {
      for (std::uint32_t k = 0; k < d->arg_count; ++k) {
        // (Asked before the child is replaced: from 31 on the answer reads the child.)
        if (DraftArena::child_is_draft(d, k)) children[k] = Expr(arena.interned[DraftArena::index_of(children[k].node())]);
      }
    }
    const bool immediate = d->kind == Kind::Number && d->number_text == nullptr;
    const Key key{d->kind, d->hash, std::span<const Expr>(children, d->arg_count), d->name,
                  immediate ? &d->number : nullptr, d->number_text,
                  static_cast<std::uint8_t>(d->flags & ~Node::kDraft), d->symbols};
    arena.interned[i] = table.intern(key);
  }
  return Expr(arena.interned[root]);
}

}  // namespace napier::detail
