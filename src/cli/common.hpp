// Helpers every command shares: reading EXPR with the rule set's functions, and check options that expand
// the user's own functions.
#pragma once

#include <string>
#include <vector>

#include "commands.hpp"
#include "napier/check.hpp"
#include "napier/exact.hpp"
#include "napier/expr.hpp"

namespace napier::cli {

// EXPR parsed with the functions of `rules` (user-defined ones included); a syntax error throws BadInput.
Expr parse_or_throw(const RuleSet& rules, const std::string& text, bool allow_equation);

// --at assignments ("x=0", "y = pi/2") for the variables of f; a bad one throws BadInput.
ExactPoint parse_point(const RuleSet& rules, const std::vector<std::string>& assignments, Expr f);

// Check options whose definitions expander knows the user's functions.
CheckOptions check_options(const RuleSet& rules);

}  // namespace napier::cli
