// Helpers every command shares: reading EXPR with the rule set's functions, and check options that expand
// the user's own functions.
#pragma once

#include <string>

#include "commands.hpp"
#include "napier/check.hpp"
#include "napier/expr.hpp"

namespace napier::cli {

// EXPR parsed with the functions of `rules` (user-defined ones included); a syntax error throws BadInput.
Expr parse_or_throw(const RuleSet& rules, const std::string& text, bool allow_equation);

// Check options whose definitions expander knows the user's functions.
CheckOptions check_options(const RuleSet& rules);

}  // namespace napier::cli
