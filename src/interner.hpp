// The interner behind every Expr constructor (expr.cpp's make): it finds the node equal to a key, or builds
// it. Internal to the library.
#pragma once

#include <cln/rational.h>

#include <cstddef>
#include <span>
#include <string>

#include "napier/expr.hpp"

namespace napier::detail {

// A node to find or build. The hash is computed by the caller (from kind, name, number and the children's
// hashes), so that equal keys have equal hashes.
struct Key {
  Kind kind;
  std::size_t hash;
  std::span<const Expr> args;
  const std::string* name;         // interned: names compare as pointers
  const cln::cl_RA* number;        // Number only: the value when it is immediate
  const std::string* number_text;  // Number only: the text of any other value
};

// The one node equal to key, built the first time. Thread-safe; a node that exists is found without a lock.
const Node* intern(const Key& key);

// Nodes interned so far (a snapshot while other threads intern).
std::size_t interned_count();

}  // namespace napier::detail
