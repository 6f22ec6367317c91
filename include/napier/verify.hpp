// Replays a Derivation and checks that every step is a true equation: before = after, each decided by
// check_equal (GiNaC's normal form, else numbers at 40 digits). A step that fails is a bug in a rule.
#pragma once

#include <vector>

#include "napier/check.hpp"
#include "napier/derivation.hpp"

namespace napier {

struct StepCheck {
  std::size_t index;  // into Derivation::steps
  CheckResult result;
};

std::vector<StepCheck> verify_steps(const Derivation& d, const CheckOptions& options = {});

}  // namespace napier
