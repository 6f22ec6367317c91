// The substitution style of source document 000, built as a derivation document (document.hpp): "let
// u = 1 + exp(-x); then y = 1/u", dy/du, then du/dx by the same method one level down ("let v = -x"), their
// product, u written back, and the textbook steps, ending with the answer in terms of y itself (y*(1 - y))
// where the rules fold the result into f. Each sub-derivative is a Chain block, so every step still names a
// rule; the "let" lines, the chain rule's product and the closing fact carry claims verify proves.
#pragma once

#include "napier/document.hpp"
#include "napier/rules.hpp"

namespace napier {

Explanation derive_by_substitution(Expr f, Expr x, const RuleSet& rules);

}  // namespace napier
