#include "napier/collect.hpp"

#include "napier/rewrite.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace napier {
namespace {

// c * a1^k1 * a2^k2 ...: the atoms in the order they were first met (that order is how the term prints).
struct Term {
  cln::cl_RA coefficient = 1;
  std::vector<std::pair<Expr, long>> powers;
};

using Polynomial = std::vector<Term>;  // a sum of terms, like terms not yet collected

// The identity of a monomial whatever the order of its factors: atoms sorted by node.
std::vector<std::pair<const Node*, long>> monomial_key(const Term& t) {
  std::vector<std::pair<const Node*, long>> key;
  for (const auto& [atom, k] : t.powers) key.emplace_back(atom.node(), k);
  std::sort(key.begin(), key.end());
  return key;
}

void multiply_into(Term& into, const Term& by) {
  into.coefficient = into.coefficient * by.coefficient;
  for (const auto& power : by.powers) {
    const Expr atom = power.first;
    auto it = std::find_if(into.powers.begin(), into.powers.end(), [&](const auto& p) { return p.first == atom; });
    if (it == into.powers.end()) {
      into.powers.push_back(power);
    } else {
      it->second += power.second;
      if (it->second == 0) into.powers.erase(it);
    }
  }
}

std::optional<Polynomial> product(const Polynomial& a, const Polynomial& b, const ExpansionLimits& limits) {
  if (a.size() * b.size() > limits.max_terms) return std::nullopt;
  Polynomial out;
  for (const Term& s : a) {
    for (const Term& t : b) {
      Term st = s;
      multiply_into(st, t);
      out.push_back(std::move(st));
    }
  }
  return out;
}

Polynomial atom(Expr e, long k = 1) { return {Term{1, {{e, k}}}}; }

// Exponents of atoms stay small: the printed form must not grow past what the rewriting limits expect.
constexpr long kMaxAtomPower = 1000;

std::optional<Polynomial> expand(Expr e, const ExpansionLimits& limits) {
  if (e.is_number()) return Polynomial{Term{e.number(), {}}};
  if (e.is(Kind::Add)) {
    Polynomial out;
    for (Expr t : e.args()) {
      std::optional<Polynomial> p = expand(t, limits);
      if (!p || out.size() + p->size() > limits.max_terms) return std::nullopt;
      out.insert(out.end(), p->begin(), p->end());
    }
    return out;
  }
  if (e.is(Kind::Mul)) {
    Polynomial out{Term{}};
    for (Expr f : e.args()) {
      std::optional<Polynomial> p = expand(f, limits);
      if (!p) return std::nullopt;
      std::optional<Polynomial> next = product(out, *p, limits);
      if (!next) return std::nullopt;
      out = std::move(*next);
    }
    return out;
  }
  if (e.is(Kind::Div) && e[1].is_number() && !cln::zerop(e[1].number())) {
    std::optional<Polynomial> p = expand(e[0], limits);
    if (p) {
      for (Term& t : *p) t.coefficient = t.coefficient / e[1].number();
    }
    return p;
  }
  if (e.is(Kind::Pow)) {
    const std::optional<long> k = e[1].small_integer();
    if (k && e[0].is(Kind::Add) && *k >= 2 && *k <= limits.max_power) {
      std::optional<Polynomial> base = expand(e[0], limits);
      if (!base) return std::nullopt;
      Polynomial out = *base;
      for (long i = 1; i < *k; ++i) {
        std::optional<Polynomial> next = product(out, *base, limits);
        if (!next) return std::nullopt;
        out = std::move(*next);
      }
      return out;
    }
    if (k && *k != 0 && !e[0].is(Kind::Add) && !e[0].is(Kind::Mul) && !e[0].is_number() && *k >= -kMaxAtomPower &&
        *k <= kMaxAtomPower) {
      return atom(e[0], *k);
    }
  }
  return atom(e);
}

// Equal atoms are one node, except drafts (a derive rule's expand(...) on the fast path, src/interner.hpp):
// two drafts of exp(x) are equal nodes at two addresses. While the thread drafts, each atom is replaced by
// the first equal atom met, so that the key by address still finds like terms.
class AtomRepresentatives {
 public:
  void apply(Term& t) {
    if (detail::active_drafts == nullptr) return;  // not drafting: equal atoms are the same node
    for (auto& [atom, k] : t.powers) {
      std::vector<Expr>& same_hash = by_hash_[atom.hash()];
      auto it = std::find(same_hash.begin(), same_hash.end(), atom);
      if (it == same_hash.end()) {
        same_hash.push_back(atom);
      } else {
        atom = *it;
      }
    }
  }

 private:
  std::unordered_map<std::size_t, std::vector<Expr>> by_hash_;
};

// Like terms added up; a term whose coefficient becomes 0 is dropped. Order: first appearance.
Polynomial collect(const Polynomial& p) {
  Polynomial out;
  std::map<std::vector<std::pair<const Node*, long>>, std::size_t> where;
  AtomRepresentatives representatives;
  for (Term t : p) {
    representatives.apply(t);
    auto [it, inserted] = where.emplace(monomial_key(t), out.size());
    if (inserted) {
      out.push_back(t);
    } else {
      out[it->second].coefficient = out[it->second].coefficient + t.coefficient;
    }
  }
  out.erase(std::remove_if(out.begin(), out.end(), [](const Term& t) { return cln::zerop(t.coefficient); }),
            out.end());
  return out;
}

Expr power_expr(Expr atom, long k) { return k == 1 ? atom : pow(atom, num(k)); }

Expr term_expr(const Term& t) {
  std::vector<Expr> factors;
  for (const auto& [a, k] : t.powers) factors.push_back(power_expr(a, k));
  if (factors.empty()) return num(t.coefficient);
  // p/q*x is written as a textbook does: p*x/q (x^4/24, -x^2/2, 3*x/2).
  const cln::cl_I p = cln::numerator(t.coefficient), q = cln::denominator(t.coefficient);
  if (cln::abs(p) != 1) factors.insert(factors.begin(), num(cln::abs(p)));
  Expr magnitude = mul(factors);
  if (q != 1) magnitude = div(magnitude, num(q));
  return cln::minusp(p) ? neg(magnitude) : magnitude;
}

// A sum that would start with a minus starts with its first positive term instead (-y + h is h - y).
template <class T, class Negative>
void lead_with_positive(std::vector<T>& terms, Negative negative) {
  if (terms.empty() || !negative(terms[0])) return;
  auto positive = std::find_if(terms.begin(), terms.end(), [&](const T& t) { return !negative(t); });
  if (positive != terms.end()) std::rotate(terms.begin(), positive, positive + 1);
}

// The symbol a polynomial is in when it is in one symbol only (x^4, 3*x, 1), else nothing.
std::optional<Expr> single_symbol(const Polynomial& p) {
  std::optional<Expr> symbol;
  for (const Term& t : p) {
    for (const auto& [a, k] : t.powers) {
      if (!a.is(Kind::Symbol) || k < 0 || (symbol && *symbol != a)) return std::nullopt;
      symbol = a;
    }
  }
  return symbol;
}

long degree(const Term& t) { return t.powers.empty() ? 0 : t.powers[0].second; }

Expr polynomial_expr(Polynomial p) {
  // A polynomial in one variable is written in falling powers (13*x^2 - 10*x + 3); anything else keeps the
  // order in which its terms first appeared.
  if (single_symbol(p)) {
    std::stable_sort(p.begin(), p.end(), [](const Term& a, const Term& b) { return degree(a) > degree(b); });
  }
  lead_with_positive(p, [](const Term& t) { return cln::minusp(t.coefficient); });
  std::vector<Expr> terms;
  for (const Term& t : p) terms.push_back(term_expr(t));
  return add(terms);
}

// A factor of a term as base^k with k a positive integer (x^2 is x twice); anything else counts once.
std::pair<Expr, long> as_power(Expr f) {
  if (f.is(Kind::Pow)) {
    const std::optional<long> k = f[1].small_integer();
    if (k && *k >= 1 && *k <= kMaxAtomPower) return {f[0], *k};
  }
  return {f, 1};
}

std::vector<Expr> factors_of(Expr t) {
  if (t.is(Kind::Mul)) return {t.args().begin(), t.args().end()};
  return {t};
}

}  // namespace

Expr expand_and_collect(Expr e, const ExpansionLimits& limits) {
  std::optional<Polynomial> p = expand(e, limits);
  if (!p) return e;
  Polynomial collected_terms = collect(*p);
  // Only a move that collects something: s*(1 - s) stays as it is, though s - s^2 is shorter.
  if (collected_terms.size() >= p->size()) return e;
  Expr collected = polynomial_expr(std::move(collected_terms));
  const std::size_t before = tree_size(e, 1u << 20);
  return tree_size(collected, before) < before ? collected : e;
}

Expr factor_common(Expr e) {
  if (!e.is(Kind::Add) || e.size() < 2) return e;
  // Candidates: the non-number factors of the first term, each with the least power any term has. Factors
  // with one base are one candidate (e^2*e is e^3): two entries for e let each term give up only one e while
  // the product took out both (scripts/fuzz-diff: 2*x^2*e^2*e + (x*e)^2*e came out with an e too many).
  std::vector<std::pair<Expr, long>> common;
  for (Expr f : factors_of(e[0])) {
    if (f.is_number()) continue;
    const std::pair<Expr, long> power = as_power(f);  // not a structured binding: clang cannot capture one
    auto same = std::find_if(common.begin(), common.end(), [&](const auto& c) { return c.first == power.first; });
    if (same != common.end()) {
      same->second += power.second;
    } else {
      common.push_back(power);
    }
  }
  for (std::size_t i = 1; i < e.size() && !common.empty(); ++i) {
    std::vector<std::pair<Expr, long>> kept;
    for (const auto& [base, k] : common) {
      long here = 0;
      for (Expr f : factors_of(e[i])) {
        const auto [b, j] = as_power(f);
        if (b == base) here += j;
      }
      if (here > 0) kept.emplace_back(base, std::min(k, here));
    }
    common = std::move(kept);
  }
  if (common.empty()) return e;
  // Each term with the common powers taken out, its other factors in their order.
  std::vector<Expr> rest;
  for (Expr t : e.args()) {
    std::vector<std::pair<Expr, long>> take = common;
    std::vector<Expr> left;
    for (Expr f : factors_of(t)) {
      const auto power = as_power(f);
      const Expr base = power.first;
      long k = power.second;
      auto it = std::find_if(take.begin(), take.end(), [&](const auto& c) { return c.first == base; });
      if (it != take.end() && it->second > 0) {
        const long out = std::min(k, it->second);
        it->second -= out;
        k -= out;
        if (k == 0) continue;
        left.push_back(power_expr(base, k));
        continue;
      }
      left.push_back(f);
    }
    // -1*x leaves -1, which reads better as the number it is.
    rest.push_back(left.empty() ? num(1) : left.size() == 1 ? left[0] : mul(left));
  }
  Expr left_over = add(rest);
  if (std::optional<Polynomial> p = expand(left_over, {}); p && single_symbol(*p) && collect(*p).size() == p->size()) {
    left_over = polynomial_expr(*p);  // in falling powers: (x + 2)*x*exp(x)
  } else {
    lead_with_positive(rest, [](Expr t) { return t.is_negative_number() || (t.is(Kind::Mul) && t[0].is_negative_number()); });
    left_over = add(rest);
  }
  std::vector<Expr> factors{left_over};
  for (const auto& [base, k] : common) factors.push_back(power_expr(base, k));
  Expr factored = mul(factors);
  // x + x*y is no clearer as (1 + y)*x: factor only when it saves writing.
  const std::size_t before = tree_size(e, 1u << 20);
  return tree_size(factored, before) < before ? factored : e;
}

Expr collect_powers(Expr e) {
  if (!e.is(Kind::Mul)) return e;
  // Each base with its total exponent, in the order of first appearance; a hash of the base to its slot keeps
  // a product of 20 000 factors linear. (Expr's equality compares drafts by structure.)
  std::vector<std::pair<Expr, long>> bases;
  std::unordered_map<Expr, std::size_t> slot;
  bool repeated = false;
  for (Expr f : e.args()) {
    std::pair<Expr, long> power{f, 1};
    if (f.is(Kind::Pow)) {
      // u^1 stays a factor of its own: it is the power rule's answer before simplifying, and x*d/dx(x^2)
      // must be derived alike whether d/dx(x^2) is worked out first (2*x^1: the fast path) or not.
      if (const std::optional<long> k = f[1].small_integer(); k && *k >= 2) power = {f[0], *k};
    }
    if (power.first.is_number()) {
      bases.emplace_back(f, 1);  // 2*2 is left to the arithmetic of the simplifier
      continue;
    }
    const auto [at, fresh] = slot.emplace(power.first, bases.size());
    if (fresh) {
      bases.push_back(power);
      continue;
    }
    repeated = true;
    long& total = bases[at->second].second;
    if (__builtin_add_overflow(total, power.second, &total)) return e;
  }
  if (!repeated) return e;
  std::vector<Expr> factors;
  factors.reserve(bases.size());
  for (const auto& [base, k] : bases) factors.push_back(power_expr(base, k));
  return mul(std::move(factors));
}

Expr derive_each_factor(Expr p, Expr x) {
  if (!p.is(Kind::Mul)) return derivative(p, x);
  std::vector<Expr> terms;
  std::vector<Expr> factors(p.args().begin(), p.args().end());
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const Expr u = factors[i];
    if (!depends_on(u, x)) continue;  // its term is u'*... = 0
    factors[i] = derivative(u, x);
    terms.push_back(mul(factors));
    factors[i] = u;
  }
  return add(std::move(terms));
}

}  // namespace napier
