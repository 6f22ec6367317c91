// Vectors of symbolic length: components x[k] of a vector x with n elements, sums sum(body, k, lo, hi) and
// the Kronecker delta delta(i, j). `softmax(x)[i]` for a bare symbol x is exp(x[i])/sum(exp(x[k]), k, 1, n)
// (rules/45-indexed.rules). The rules do the calculus; this file gives the rest of napier what it needs to
// trust them:
//   - which expressions are of this kind (GiNaC has no symbolic n, so the checker must not hand them over);
//   - instantiation: n, i, j set to numbers, x[k] -> the symbol x_k, sum -> its terms, delta -> 0 or 1;
//   - check_instantiated: L = R checked by check_equal at every n = 2..4 and every index value in 1..n.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/expr.hpp"

namespace napier {

// x[j]: a symbol indexed by a symbol or a positive integer (a variable one may differentiate by).
bool is_indexed_variable(Expr e);

// Is the symbol v used as a vector in e: indexed (v[k]) or the argument of softmax(v)[i]?
bool used_as_vector(Expr e, Expr v);

// Does e hold a sum, a delta, a component x[k] of a symbol x, softmax(x)[i] with a bare x and a symbolic i,
// or a derivative with respect to a component? Such an expression has no GiNaC counterpart as it stands.
bool has_symbolic_length(Expr e);

// Is lo <= j <= hi known, for an index j and the bounds of a sum (the guards in_range and outside_range of
// the sifting rules)? Numbers are compared. Where a side is symbolic, the assumption of a textbook is made,
// and the checker's instances make it too: an index lies in 1..n, n being any length symbol, so lo <= j is
// known for a number lo <= 1 and j <= hi for a symbol hi. A symbolic j is never known to lie between number
// bounds that do not reach from 1 to a length: sum(f(k)*delta(k, j), k, 1, 3) is not f(j) when j may be 4.
bool index_in_range(Expr j, Expr lo, Expr hi);
// Is j known to lie outside lo..hi: a number below a number lo or above a number hi?
bool index_outside_range(Expr j, Expr lo, Expr hi);

// e with the symbol k replaced by `value`, except inside a sum that binds k again (the sifting property's
// f(k) -> f(j)). In a rule's replacement, subst(E, k, v) stands for it.
Expr substitute_index(Expr e, Expr k, Expr value);

// The symbols of L and R that count lengths (the bounds of sums, and n for softmax(x)[i]) and those that
// index (i, j: indices, delta's arguments, the component differentiated by), bound summation indices left out.
inline constexpr long kMinInstanceLength = 2, kMaxInstanceLength = 4;
struct IndexSymbols {
  std::vector<std::string> lengths, indices;  // sorted; a name is in at most one list (a length wins)
  // The lengths tried: from kMinInstanceLength, or from the largest number index of a component or a delta
  // (x[5], delta(k, 5): n >= 5, since an index lies in 1..n), over as many lengths as kMin..kMaxInstanceLength.
  long min_length = kMinInstanceLength;
  long max_length() const;
};
IndexSymbols index_symbols(const std::vector<Expr>& exprs);

// The values one instance gives: every length symbol n, every index symbol i in 1..n.
using IndexValues = std::map<std::string, long, std::less<>>;

// e at one instance: symbols of `values` become numbers, x[k] the symbol x_k (k a number after that),
// softmax(x) with a bare x the call softmax(x_1, ..., x_n), sum(...) its terms, delta(a, b) 1 or 0. Throws
// std::invalid_argument when something stays symbolic (a bound that is not a number).
Expr instantiate_indexed(Expr e, const IndexValues& values);

// Every instance check_instantiated tries: n = 2, 3, 4 (or from min_length) for all length symbols together
// and, for each, every index symbol in 1..n; one instance when there is neither.
inline long IndexSymbols::max_length() const { return min_length + (kMaxInstanceLength - kMinInstanceLength); }
std::vector<IndexValues> instances(const IndexSymbols& symbols);

// L = R at every instance, each by check_equal. Holds when every instance holds; `how` is Proved when every
// instance was proved by GiNaC, else Numeric; the first instance that fails is the answer (its index values
// join the counterexample's point). CheckResult::instantiated says which instances were tried.
CheckResult check_instantiated(Expr lhs, Expr rhs, const CheckOptions& options);

}  // namespace napier
