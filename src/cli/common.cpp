#include "common.hpp"

#include "napier/parse.hpp"

namespace napier::cli {

Expr parse_or_throw(const RuleSet& rules, const std::string& text, bool allow_equation) {
  ParseOptions options;
  options.functions = &rules.functions();
  options.allow_equation = allow_equation;
  Result<Expr> e = parse(text, options);
  if (!e) throw BadInput{e.error().to_string()};
  return *e;
}

CheckOptions check_options(const RuleSet& rules) {
  CheckOptions options;
  options.expand_definitions = [&rules](Expr e) { return rules.expand_user_definitions(e); };
  return options;
}

}  // namespace napier::cli
