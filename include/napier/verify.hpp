// Replays a derivation and checks that every line is a true equation, each decided by check_equal
// (GiNaC's normal form, else numbers at high precision). A line that fails is a bug in a rule or a method.
//   verify_steps      a Derivation's steps: redex = replacement (with the step's substitution bindings)
//   verify_document   every line of a derivation document (document.hpp): each chain's steps, each
//                     equation's claim (x = log(y) as x = log(e^x); dy/dx = 1/(dx/dy) as d/dx e^x = 1/(1/e^x)),
//                     each named chain's start, checked where the line's condition holds (Block::where)
#pragma once

#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/derivation.hpp"
#include "napier/document.hpp"

namespace napier {

struct StepCheck {
  std::size_t index;  // into Derivation::steps
  CheckResult result;
};

std::vector<StepCheck> verify_steps(const Derivation& d, const CheckOptions& options = {});

struct LineCheck {
  const Block* block = nullptr;  // the Equation or Chain the line belongs to
  const Step* step = nullptr;    // the chain's step; null for an equation's claim or a chain's start
  std::string heading;           // printed before this line: the chain's start, where a chain begins
  Expr lhs, rhs;                 // what was checked
  std::string label;
  CheckResult result;
};

std::vector<LineCheck> verify_document(const Block& root, const CheckOptions& options = {});

}  // namespace napier
