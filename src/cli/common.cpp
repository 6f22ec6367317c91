#include "common.hpp"

#include <algorithm>

#include "napier/numeric.hpp"
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

// "x=0" -> {x: 0}. The value is any closed expression (0, -1/2, pi/2).
ExactPoint parse_point(const RuleSet& rules, const std::vector<std::string>& assignments, Expr f) {
  ExactPoint point;
  for (const std::string& a : assignments) {
    const std::size_t eq = a.find('=');
    if (eq == std::string::npos) throw BadInput{"--at " + a + ": expected VAR=VALUE"};
    std::string name = a.substr(0, eq);
    name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
    bool occurs = false;
    for (Expr s : free_symbols(f)) occurs = occurs || s.name() == name;
    if (!occurs) throw BadInput{"--at " + a + ": the expression has no variable '" + name + "'"};
    ParseOptions options;
    options.functions = &rules.functions();
    options.allow_equation = false;
    Result<Expr> value = parse(a.substr(eq + 1), options);
    if (!value) throw BadInput{"--at " + a + ": " + value.error().to_string()};
    if (!free_symbols(*value).empty()) throw BadInput{"--at " + a + ": the value must be a number"};
    if (!evaluate(*value, {})) throw BadInput{"--at " + a + ": the value is undefined"};
    point[name] = *value;
  }
  return point;
}

}  // namespace napier::cli
