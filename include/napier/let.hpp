// Names for subexpressions: napier's --let "h = sigmoid(w1*x1 + w2*x2 + b)". Before differentiating, every
// name is replaced by what it stands for (h depends on w1, so d/dw1 sees through it); afterwards every
// occurrence of what a name stands for is written as the name again, so that a result reads as the user
// wrote the problem: (h - y)*x1, not (sigmoid(w1*x1 + w2*x2 + b) - y)*x1.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "napier/derivation.hpp"
#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"

namespace napier {

class LetBindings {
 public:
  // name := value. A name is bound once, and may not stand for something that mentions it, directly or
  // through other names (h = h + 1; a = b + 1 with b = 2*a): the diagnostic says which.
  Result<bool> add(Expr name, Expr value);

  // e with every bound name replaced by what it stands for, through names inside values. A sum's index is
  // its own: sum(k*x, k, 1, n) with k = 5 keeps its k (only the bounds see the outer name).
  Expr expand(Expr e) const;
  // Would expand() put a value inside a sum that binds one of its symbols (h = k + 1 used in
  // sum(h*x[k], k, 1, n))? The name and why ("'h' is used inside a sum over 'k', ..."), else nothing. The
  // CLI refuses such a request.
  struct Capture {
    Expr name;
    std::string message;
  };
  std::optional<Capture> capture_in(Expr e) const;
  // e with every occurrence of a binding's expanded value written as its name, the largest value first (so
  // that with z = w*x + b and h = sigmoid(z), sigmoid(w*x + b) becomes h, not sigmoid(z)); not inside a
  // sum that binds the name or a symbol of the value.
  Expr fold(Expr e) const;
  // Every expression of the derivation folded: its steps then read in the user's names too.
  Derivation fold(const Derivation& d) const;

  bool empty() const { return bindings_.empty(); }
  // (name, value as given), in the order they were added.
  const std::vector<std::pair<Expr, Expr>>& bindings() const { return bindings_; }

 private:
  std::vector<std::pair<Expr, Expr>> bindings_;
  std::vector<std::pair<Expr, Expr>> folds_;  // (value written out, name), largest value first
};

}  // namespace napier
