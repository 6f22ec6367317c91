// NodeMap<V>: a map from interned nodes to values, for the memos of one walk over a DAG (derive.cpp).
//
// Nodes are compared by address, which interning makes exact, so the map never reads a node: a lookup is a
// multiplication and, usually, one slot. std::unordered_map allocated a list node per entry and chased it
// on every lookup; a derivative of an n-term sum fills three such memos with about n entries each.
// Open addressing with linear probing, at most half full; entries are never removed.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "napier/expr.hpp"

namespace napier {

template <class V>
class NodeMap {
 public:
  // The value stored for `key`, or null.
  const V* find(const Node* key) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = start(key);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[i];
      if (slot.key == key) return &slot.value;
      if (slot.key == nullptr) return nullptr;
    }
  }

  V* find(const Node* key) { return const_cast<V*>(std::as_const(*this).find(key)); }

  // Stores `value` for `key` unless the key has one already (then that one is kept, as map::emplace does).
  void emplace(const Node* key, V value) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    if (place(key, std::move(value))) ++size_;
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    const Node* key = nullptr;
    V value{};
  };

  // Fibonacci hashing of the address: interned nodes sit at regular strides, which the multiplication
  // spreads over the high bits that pick the slot.
  std::size_t start(const Node* key) const {
    const std::uint64_t h = reinterpret_cast<std::uintptr_t>(key) * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::size_t>(h >> shift_);
  }

  bool place(const Node* key, V&& value) {
    for (std::size_t i = start(key);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.key == key) return false;
      if (slot.key == nullptr) {
        slot.key = key;
        slot.value = std::move(value);
        return true;
      }
    }
  }

  void grow() {  // allocated before anything moves: a bad_alloc leaves the map as it was
    std::vector<Slot> bigger(slots_.empty() ? 16 : 2 * slots_.size());
    std::swap(slots_, bigger);
    shift_ = 64 - static_cast<int>(std::countr_zero(slots_.size()));
    for (Slot& slot : bigger) {
      if (slot.key != nullptr) place(slot.key, std::move(slot.value));
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  int shift_ = 64;
};

}  // namespace napier
