// A Derivation is data: the steps from d/dx(f) to the answer, each naming its rule. Printers (text chain,
// substitution style, LaTeX, JSON) and verify read the same steps.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "napier/expr.hpp"
#include "napier/rules.hpp"

namespace napier {

struct Step {
  Phase phase = Phase::Derive;
  std::string rule;                   // the rule's name: "product", "chain", "definition", "fold_numbers", ...
  std::string label;                  // what a reader sees: "product rule"
  std::vector<std::size_t> position;  // child indices from the root to the rewritten node
  Expr before, after;                 // the whole expression before and after the step
  Expr redex, contractum;             // the rewritten node, before and after
  std::vector<std::pair<std::string, Expr>> bindings;  // pattern variable -> value
};

struct Derivation {
  Expr input;   // f
  Expr var;     // x
  Expr start;   // d/dx(f), where the chain begins
  std::vector<Step> steps;
  Expr result;  // the last step's `after` (start when there are no steps)
};

}  // namespace napier
