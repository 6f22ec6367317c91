#include "napier/ginac_bridge.hpp"

#include <cln/integer.h>

#include <map>
#include <mutex>
#include <unordered_map>

#include "napier/pattern.hpp"
#include "napier/rules.hpp"
#include "primitives.hpp"

namespace napier {

class ToGinacAccess {
 public:
  static std::unordered_map<const Node*, GiNaC::ex>& converted(GinacContext& c) { return c.converted_; }
};

namespace {

// GiNaC's names for napier's functions known by derivative: prefixed, so that none meets one of GiNaC's own
// (a user's `step` or `zeta`). Registered once per process, on first use (GiNaC's registry only grows).
constexpr std::string_view kOpaquePrefix = "napier:";

unsigned opaque_serial(const std::string& name, unsigned arity) {
  static std::mutex mutex;  // checks run on several threads (a gradient's entries); GiNaC's registry is one
  const std::lock_guard<std::mutex> lock(mutex);
  static std::map<std::pair<std::string, unsigned>, unsigned> serials;
  auto key = std::make_pair(name, arity);
  auto it = serials.find(key);
  if (it != serials.end()) return it->second;
  const unsigned serial =
      GiNaC::function::register_new(GiNaC::function_options(std::string(kOpaquePrefix) + name, arity));
  serials.emplace(key, serial);
  return serial;
}

class ToGinac {
 public:
  explicit ToGinac(GinacContext& context) : context_(context) {}

  // GiNaC signals trouble by exceptions; they stop at this boundary as Diagnostics.
  Result<GiNaC::ex> run(Expr e) {
    try {
      return convert(e);
    } catch (const Diagnostic& d) {
      return d;
    } catch (const std::exception& ex) {
      return Diagnostic{std::string("GiNaC: ") + ex.what()};
    }
  }

 private:
  GiNaC::ex convert(Expr e) {
    if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
    GiNaC::ex result = compute(e);
    memo_.emplace(e.node(), result);
    return result;
  }

  GiNaC::exvector converted(std::span<const Expr> items) {
    GiNaC::exvector out;
    out.reserve(items.size());
    for (Expr item : items) out.push_back(convert(item));
    return out;
  }

  GiNaC::ex compute(Expr e) {
    using namespace GiNaC;
    switch (e.kind()) {
      case Kind::Number:
        return numeric(cln::cl_N(e.number()));
      case Kind::Symbol:
        return context_.symbol(e.name());
      case Kind::Constant:
        return e.name() == "pi" ? ex(Pi) : exp(ex(1));
      // Built from all their operands at once: adding terms one at a time made a new GiNaC sum of all the
      // terms so far each time (a 10^4-term sum took seconds).
      case Kind::Add:
        return dynallocate<GiNaC::add>(converted(e.args()));
      case Kind::Mul:
        return dynallocate<GiNaC::mul>(converted(e.args()));
      case Kind::Div:
        return convert(e[0]) / convert(e[1]);
      case Kind::Pow: {
        // GiNaC evaluates a power of numbers exactly, however large: 2^(3^(4^5)) would never finish.
        const GiNaC::ex base = convert(e[0]), exponent = convert(e[1]);
        if (is_a<numeric>(base) && is_a<numeric>(exponent)) {
          const numeric& b = ex_to<numeric>(base);
          const numeric& x = ex_to<numeric>(exponent);
          const bool trivial = b.is_zero() || b.is_equal(numeric(1)) || b.is_equal(numeric(-1));
          if (!trivial && x.is_rational() && abs(x.numer()) > numeric(10000)) {
            throw Diagnostic{"a power of numbers too large to hand to GiNaC"};
          }
        }
        // (c*x)^n and (x^k)^n are multiplied out the same way: ((4/9)*x)^(2^30) computes (4/9)^(2^30) exactly;
        // and a sum's rational coefficients are taken out: (7/2 + x)^152587890624 computed 2^152587890624
        // (found by scripts/fuzz-diff). Only a symbol's huge power is left to GiNaC.
        if ((is_a<GiNaC::mul>(base) || is_a<GiNaC::power>(base) || is_a<GiNaC::add>(base)) && is_a<numeric>(exponent) &&
            ex_to<numeric>(exponent).is_rational() && abs(ex_to<numeric>(exponent).numer()) > numeric(10000)) {
          throw Diagnostic{"a power of numbers too large to hand to GiNaC"};
        }
        return GiNaC::pow(base, exponent);
      }
      case Kind::Call:
        return function(e);
      case Kind::Derivative: {
        ex var = convert(e[1]);
        return known_derivatives(convert(e[0]).diff(ex_to<GiNaC::symbol>(var)), 0);
      }
      case Kind::Index:
        return indexed(e);
      case Kind::Equation:
      case Kind::Vector:
        throw Diagnostic{"an equation or a vector has no scalar GiNaC counterpart"};
    }
    throw Diagnostic{"unknown node kind"};
  }

  GiNaC::ex function(Expr e) {
    using namespace GiNaC;
    const std::string& f = e.name();
    if (f == "softmax") throw Diagnostic{"softmax needs an index: softmax(...)[i]"};
    if (f == "if") throw Diagnostic{"a piecewise function has no GiNaC counterpart: it is checked piece by piece"};
    std::vector<ex> a;
    for (Expr arg : e.args()) a.push_back(convert(arg));
    const Primitive* p = primitive(f);
    if (p != nullptr && p->ginac != nullptr) return p->ginac(a);
    if (context_.expand_definition) {
      if (std::optional<Expr> body = context_.expand_definition(e)) return convert(*body);
    }
    // A function of the shipped rules (sigmoid, sec) goes in by its definition when no rules were given.
    if (const Definition* d = RuleSet::shipped().definition(f)) return convert(RuleSet::shipped().expand_call(e, *d));
    if (a.size() == 1 && known_by_derivative()(f)) {  // erf, a user's W
      return GiNaC::function(opaque_serial(f, 1), a[0]);
    }
    throw Diagnostic{"no GiNaC counterpart for function '" + f + "'"};
  }

  // e with each D[0,...,0](f)(u) of a function known by derivative replaced by the record's d/dt f(t),
  // differentiated once more per further 0, at t = u. `depth` bounds the derivatives of derivatives.
  GiNaC::ex known_derivatives(const GiNaC::ex& e, int depth) {
    using namespace GiNaC;
    if (is_a<fderivative>(e)) {
      const fderivative& d = ex_to<fderivative>(e);
      const std::string name = d.get_name();
      if (name.rfind(kOpaquePrefix, 0) != 0 || d.nops() != 1 || depth > 16) {
        throw Diagnostic{"GiNaC's derivative of '" + name + "' has no napier counterpart"};
      }
      std::optional<KnownDerivative> known = known_by_derivative()(name.substr(kOpaquePrefix.size()));
      if (!known) throw Diagnostic{"no derivative record for '" + name.substr(kOpaquePrefix.size()) + "'"};
      const ex t = convert(known->parameter);
      ex body = convert(known->body);
      for (std::size_t k = 1; k < d.derivatives().size(); ++k) {
        body = known_derivatives(body.diff(ex_to<GiNaC::symbol>(t)), depth + 1);
      }
      return known_derivatives(body, depth + 1).subs(t == known_derivatives(d.op(0), depth + 1));
    }
    if (e.nops() == 0) return e;
    struct Each : GiNaC::map_function {
      ToGinac& self;
      int depth;
      Each(ToGinac& s, int d) : self(s), depth(d) {}
      ex operator()(const ex& x) override { return self.known_derivatives(x, depth); }
    } each(*this, depth);
    return e.map(each);
  }

  // The context's functions known by derivative, or, when it was given none, the shipped rules' (erf).
  const DerivativeLookup& known_by_derivative() {
    if (context_.known_by_derivative) return context_.known_by_derivative;
    static const DerivativeLookup shipped = RuleSet::shipped().derivative_lookup();
    return shipped;
  }

  GiNaC::ex indexed(Expr e) {
    const Expr vec = e[0], i = e[1];
    if (!i.small_integer()) throw Diagnostic{"a symbolic index has no GiNaC counterpart"};
    const long k = *i.small_integer();
    if (k < 1 || static_cast<std::size_t>(k) > vec.size()) throw Diagnostic{"index out of range"};
    if (vec.is(Kind::Vector)) return convert(vec[static_cast<std::size_t>(k - 1)]);
    if (vec.is_call("softmax")) {
      GiNaC::exvector exps;
      for (Expr arg : vec.args()) exps.push_back(GiNaC::exp(convert(arg)));
      return GiNaC::exp(convert(vec[static_cast<std::size_t>(k - 1)])) / GiNaC::dynallocate<GiNaC::add>(exps);
    }
    throw Diagnostic{"only vectors and softmax can be indexed"};
  }

  GinacContext& context_;
  std::unordered_map<const Node*, GiNaC::ex>& memo_ = ToGinacAccess::converted(context_);
};

Expr from(const GiNaC::ex& e) {
  using namespace GiNaC;
  if (is_a<numeric>(e)) {
    const numeric& n = ex_to<numeric>(e);
    if (!n.is_rational()) throw Diagnostic{"GiNaC returned a number napier cannot hold exactly"};
    return num(cln::cl_RA(cln::the<cln::cl_RA>(n.to_cl_N())));
  }
  if (is_a<GiNaC::symbol>(e)) return sym(ex_to<GiNaC::symbol>(e).get_name());
  if (is_a<GiNaC::constant>(e)) {
    if (e.is_equal(Pi)) return constant("pi");
    throw Diagnostic{"GiNaC constant without a napier counterpart"};
  }
  std::vector<Expr> args;
  for (std::size_t i = 0; i < e.nops(); ++i) args.push_back(from(e.op(i)));
  if (is_a<GiNaC::add>(e)) return add(std::move(args));
  if (is_a<GiNaC::mul>(e)) return mul(std::move(args));
  if (is_a<power>(e)) return pow(args[0], args[1]);
  if (is_a<GiNaC::fderivative>(e)) throw Diagnostic{"GiNaC returned a derivative napier has no record of"};
  if (is_a<GiNaC::function>(e)) {
    std::string name = ex_to<GiNaC::function>(e).get_name();
    if (name.rfind(kOpaquePrefix, 0) == 0) name = name.substr(kOpaquePrefix.size());
    if (name == "exp" && args[0].is_number(1)) return constant("e");
    return call(name, std::move(args));
  }
  throw Diagnostic{"GiNaC expression without a napier counterpart"};
}

}  // namespace

GiNaC::ex GinacContext::symbol(const std::string& name) {
  auto it = symbols_.find(name);
  if (it == symbols_.end()) it = symbols_.emplace(name, GiNaC::realsymbol(name)).first;
  return it->second;
}

Result<GiNaC::ex> to_ginac(Expr e, GinacContext& context) { return ToGinac(context).run(e); }

Result<Expr> from_ginac(const GiNaC::ex& e) {
  try {
    return from(e);
  } catch (const Diagnostic& d) {
    return d;
  } catch (const std::exception& ex) {
    return Diagnostic{std::string("GiNaC: ") + ex.what()};
  }
}

}  // namespace napier
