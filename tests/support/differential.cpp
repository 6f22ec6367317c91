#include "differential.hpp"

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/verify.hpp"

namespace napier::testing {

DifferentialOutcome differential_check(Expr f, const RuleSet& rules, bool verify) {
  DifferentialOutcome out;
  const Expr x = sym("x");
  Derivation d;
  set_deadline(std::chrono::steady_clock::now() + std::chrono::seconds(20));  // one expression's budget
  try {
    d = differentiate(f, x, rules);
  } catch (const std::exception& e) {
    out.detail = std::string("differentiate threw: ") + e.what();
    return out;
  }
  // The fast path without drafts and in drafts: the same node, or the same limit (the deadline aside).
  RewriteLimits drafting;
  drafting.draft_from_terms = 0;
  auto fast = [&](const RewriteLimits& limits) -> std::pair<Expr, std::string> {
    try {
      return {derivative_of(f, x, rules, limits), ""};
    } catch (const std::exception& e) {
      return {Expr(), e.what()};
    }
  };
  const auto [plain, plain_error] = fast(RewriteLimits{});
  const auto [drafted, drafted_error] = fast(drafting);
  const bool out_of_time = plain_error.find("out of time") != std::string::npos ||
                           drafted_error.find("out of time") != std::string::npos;
  if (!out_of_time && (plain != drafted || plain_error != drafted_error)) {
    out.drafts_agree = false;
    out.detail = "the fast path gives " + (plain.is_null() ? plain_error : print(plain)) + ", in drafts " +
                 (drafted.is_null() ? drafted_error : print(drafted)) + "; ";
  }
  const CheckResult c = check_derivative(f, x, d.result);
  out.agrees = c.holds;
  out.undecided = c.how == How::Undecided;
  if (!c.holds && !out.undecided) out.detail += "GiNaC disagrees: " + describe(c, d.result, derivative(f, x));
  if (verify) {
    for (const StepCheck& s : verify_steps(d)) {
      if (s.result.how == How::Refuted) {
        out.steps_ok = false;
        const Step& step = d.steps[s.index];
        out.detail += " step [" + step.label + "] " + print(step.redex) + " = " + print(step.contractum) + ": " +
                      describe(s.result, step.redex, step.contractum);
        break;
      }
    }
  }
  return out;
}

}  // namespace napier::testing
