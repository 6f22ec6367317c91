// Expr <-> GiNaC::ex, for the cross-check. Symbols become GiNaC realsymbols (napier's variables are real).
// A primitive (src/primitives.hpp) goes in as its GiNaC function, log(x, b) as log(x)/log(b); every other
// function by its definition from rules/ (GinacContext::expand_definition: sec = 1/cos, sigmoid(t) =
// 1/(1+exp(-t))), softmax(x1..xn)[i] as exp(xi)/(exp(x1)+...+exp(xn)); e is exp(1). A function known only by its derivative
// (a rule file's `derivative erf(t) := ...` with no definition) is a GiNaC function of that name with no
// properties: GiNaC treats it as an unknown f(u), and its derivative D[0](f)(u) is replaced by the record's.
#pragma once

#include <ginac/ginac.h>

#include <functional>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>

#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"
#include "napier/known_derivative.hpp"

namespace napier {

class GinacContext {
 public:
  GinacContext() = default;
  // `known_by_derivative` names the functions GiNaC knows only by name, with their derivatives.
  explicit GinacContext(DerivativeLookup known_by_derivative) : known_by_derivative(std::move(known_by_derivative)) {}

  // The same name gives the same GiNaC symbol within one context.
  GiNaC::ex symbol(const std::string& name);
  // Expands a call GiNaC has no counterpart for (user-defined functions from rule files). Set it before the
  // first conversion: conversions are kept (below).
  std::function<std::optional<Expr>(Expr call)> expand_definition;
  DerivativeLookup known_by_derivative;

  // Every node converted in this context and its GiNaC form, for later to_ginac calls in the same context
  // (nodes are immutable): a gradient's n checks each hold the same n-term function.
  std::size_t converted_count() const { return converted_.size(); }

 private:
  friend class ToGinacAccess;
  std::map<std::string, GiNaC::realsymbol> symbols_;
  std::unordered_map<const Node*, GiNaC::ex> converted_;
};

Result<GiNaC::ex> to_ginac(Expr e, GinacContext& context);
Result<Expr> from_ginac(const GiNaC::ex& e);

}  // namespace napier
