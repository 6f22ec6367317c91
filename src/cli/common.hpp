// Helpers every command shares: reading EXPR with the rule set's functions, and check options that expand
// the user's own functions.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "napier/check.hpp"
#include "napier/exact.hpp"
#include "napier/expr.hpp"
#include "napier/let.hpp"
#include "napier/verify.hpp"

namespace napier::cli {

// EXPR parsed with the functions of `rules` (user-defined ones included); a syntax error throws BadInput.
Expr parse_or_throw(const RuleSet& rules, const std::string& text, bool allow_equation);

// --at assignments ("x=0", "y = pi/2") for the variables of f; a bad one throws BadInput.
ExactPoint parse_point(const RuleSet& rules, const std::vector<std::string>& assignments, Expr f);

// --let "NAME = EXPR" definitions (repeatable), in order; a later one may use an earlier name. A bad one
// throws BadInput quoting it: "--let h = h + 1: 'h' is defined in terms of itself".
LetBindings parse_lets(const RuleSet& rules, const std::vector<std::string>& definitions);
// Throws BadInput when a definition written out into f would land in a sum that binds one of its symbols,
// quoting the definition as given: "--let h = k + 1: 'h' is used inside a sum over 'k', ...".
void refuse_captures(const LetBindings& lets, const std::vector<std::string>& definitions, Expr f);

// --assume "L = R" (repeatable): equations the result may use (sum(t[k], k, 1, n) = 1). A bad one throws
// BadInput quoting it.
std::vector<std::pair<Expr, Expr>> parse_assumptions(const RuleSet& rules, const std::vector<std::string>& texts);

// Check options whose definitions expander knows the user's functions (and the --let names, when given:
// a folded result such as (h - y)*x1 is checked as what it stands for).
CheckOptions check_options(const RuleSet& rules, const LetBindings& lets = {});

// Writes to standard output; a failed write (a full disk, a closed pipe) throws BadInput "cannot write output".
void write(const std::string& text);

// GiNaC's verdict on a derivative, one line: "GiNaC agrees: proved symbolically, normal(L - R) = 0".
std::string verdict_line(const CheckResult& c);
// The same as JSON: {"ginac": bool, "how": str, "points": int, "note"?: str, "instantiated"?: str}.
nlohmann::ordered_json verdict_json(const CheckResult& c);

// verify's report (text: each checked line numbered with its verdict under the line it belongs to, then the
// count; JSON: `head` with "steps": [...], "verified", "total"). Returns how many lines were not verified.
int print_verification(const std::vector<LineCheck>& checks, Format format,
                       nlohmann::ordered_json head = nlohmann::ordered_json::object());

// The first refuted line of a derivation, named for an error: "line 3 of the derivation is false:
// d/dx(sin(x)) = 2*cos(x) [chain rule] (refuted at x = 1 ...); nothing is printed". Nothing when every line
// holds or is undecided.
std::optional<std::string> first_false_line(const std::vector<LineCheck>& checks);

// The --let definitions as JSON: {"h": "sigmoid(w*x + b)"} (the "let" field of diff, grad, jacobian, hessian).
nlohmann::ordered_json let_json(const LetBindings& lets);

}  // namespace napier::cli
