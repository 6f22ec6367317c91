#include "napier/verify.hpp"

namespace napier {

std::vector<StepCheck> verify_steps(const Derivation& d, const CheckOptions& options) {
  std::vector<StepCheck> checks;
  for (std::size_t i = 0; i < d.steps.size(); ++i) {
    // The rewritten node alone carries the claim of the step; the rest of the expression is unchanged.
    // Checking redex = replacement is as strong and much cheaper than the whole expression.
    const Step& s = d.steps[i];
    // An assumption the user gave (--assume) is not an identity: it is said, not checked.
    if (s.rule == "assumption") {
      CheckResult assumed;
      assumed.how = How::Undecided;
      assumed.note = "an assumption (" + s.label + "), not an identity";
      checks.push_back({i, assumed});
      continue;
    }
    // A binding of a plain name (not a ?pattern variable) is a substitution the step relies on: u = 1 + exp(-x).
    Expr claim = s.redex;
    for (const auto& [name, value] : s.bindings) {
      if (!name.empty() && name[0] != '?') claim = replace_all(claim, sym(name), value);
    }
    // A derive step's sides hold d/dx(...) that GiNaC works out over the complex numbers, so a point where
    // only one side has a real value proves nothing there; rewriting steps must keep the domain.
    CheckOptions step_options = options;
    if (s.phase == Phase::Derive) step_options.left_domain_in_right = false;
    checks.push_back({i, check_equal(claim, s.contractum, step_options)});
  }
  return checks;
}

}  // namespace napier
