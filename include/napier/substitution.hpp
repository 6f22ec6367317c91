// The substitution style of source document 000: "let u = 1 + exp(-x); then y = 1/u", dy/du, then du/dx by
// the same method one level down ("let v = -x"), their product, u written back, and the textbook steps,
// ending with the answer in terms of y itself (y*(1 - y)) where the rules fold the result into f.
// It is built from ordinary Derivations (each sub-derivative is one), so every step still names a rule.
#pragma once

#include <memory>
#include <string>

#include "napier/derivation.hpp"
#include "napier/derive.hpp"
#include "napier/print.hpp"

namespace napier {

struct SubstitutionDerivation {
  Expr f, x, y;                // y = f(x)
  Expr name;                   // u; null when f is differentiated directly
  Expr inner;                  // u = inner(x)
  Expr outer;                  // y = outer(u)
  Derivation outer_derivation;                              // d/du outer(u)
  std::unique_ptr<SubstitutionDerivation> inner_derivation;  // du/dx, by substitution again
  Derivation direct;           // d/dx f when there is nothing to substitute
  Derivation combined;         // dy/du * du/dx -> u written back -> simplified -> textbook form
  Expr in_terms_of_y;          // the result with f's own value written y (null if it does not fold)
  Expr result;
};

SubstitutionDerivation derive_by_substitution(Expr f, Expr x, const RuleSet& rules);

std::string print_substitution(const SubstitutionDerivation& d, Style style = Style::Text);

}  // namespace napier
