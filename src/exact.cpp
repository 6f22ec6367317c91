#include "napier/exact.hpp"

#include <cln/float.h>

#include "napier/ginac_bridge.hpp"
#include "napier/numeric.hpp"
#include "napier/print.hpp"

namespace napier {
namespace {

// The point's values as numbers, for the real-domain test.
std::optional<Point> numeric_point(const ExactPoint& point) {
  Point p;
  for (const auto& [name, value] : point) {
    std::optional<cln::cl_R> v = evaluate(value, {});
    if (!v) return std::nullopt;
    p[name] = cln::rational(*v);
  }
  return p;
}

}  // namespace

Result<Expr> evaluate_exact(Expr e, const ExactPoint& point, const DerivativeLookup& known_by_derivative) {
  std::string where;
  for (const auto& [name, value] : point) where += (where.empty() ? "" : ", ") + name + " = " + print(value);
  // Exact values of the point are tested by the real evaluator at a rational approximation only when they
  // are not rational themselves (pi): a pole exactly at pi/2 is then left to GiNaC.
  if (std::optional<Point> p = numeric_point(point)) {
    bool all_exact = true;
    for (const auto& [name, value] : point) all_exact = all_exact && value.is_number();
    EvalReport report;
    if (all_exact && !evaluate(e, *p, EvalOptions{}, report) && !report.unknown_function) {
      return Diagnostic{print(e) + " is undefined over the reals at " + where};
    }
  }
  GinacContext context(known_by_derivative);
  Result<GiNaC::ex> g = to_ginac(e, context);
  if (!g) return g.error();
  try {
    GiNaC::exmap substitution;
    for (const auto& [name, value] : point) {
      Result<GiNaC::ex> v = to_ginac(value, context);
      if (!v) return v.error();
      substitution[context.symbol(name)] = *v;
    }
    GiNaC::ex value = GiNaC::normal(g->subs(substitution));
    Result<Expr> back = from_ginac(value);
    if (!back) return back.error();
    return *back;
  } catch (const std::exception& ex) {
    return Diagnostic{print(e) + " is undefined at " + where + " (" + ex.what() + ")"};
  }
}

}  // namespace napier
