#include "napier/verdict.hpp"

namespace napier {

CheckOptions checking_options(const RuleSet& rules, const LetBindings& lets) {
  CheckOptions options;
  options.expand_definitions = [&rules, lets](Expr e) { return rules.expand_user_definitions(lets.expand(e)); };
  return options;
}

CheckResult check_derivative_value(Expr value, Expr target, Expr f, CheckOptions options) {
  options.left_domain_in_right = false;
  options.real_odd_roots = false;
  options.only_where_defined = f;
  return check_equal(value, target, options);
}

}  // namespace napier
