// One differential test: napier differentiates (with steps), GiNaC differentiates, and the two answers are
// compared (normal form, else numbers at real points); optionally every step is checked too. And the fast
// path is compared with itself in drafts.
#pragma once

#include <string>

#include "napier/rules.hpp"

namespace napier::testing {

struct DifferentialOutcome {
  bool agrees = false;      // GiNaC's derivative and napier's are equal (proved or numerically)
  bool undecided = false;   // too few real points where both are defined (e.g. asin(asin(x)) ...)
  bool steps_ok = true;     // every step verified (when asked)
  // The fast path (derivative_of) gives the very same node in drafts (as for a long sum,
  // RewriteLimits::draft_from_terms) as without, or throws both ways.
  bool drafts_agree = true;
  std::string detail;       // what went wrong
};

DifferentialOutcome differential_check(Expr f, const RuleSet& rules, bool verify_steps);

}  // namespace napier::testing
