#include "napier/indexed.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "napier/pattern.hpp"
#include "napier/print.hpp"

namespace napier {
namespace {

bool is_sum(Expr e) { return e.is_call("sum") && e.size() == 4; }
bool is_delta(Expr e) { return e.is_call("delta") && e.size() == 2; }
// softmax(x) with one bare symbol: the vector x of length n (with a number index it is also read so inside
// an expression of symbolic length).
bool is_vector_softmax(Expr e) { return e.is_call("softmax") && e.size() == 1 && e[0].is(Kind::Symbol); }

struct Collector {
  std::set<std::string> lengths, indices;
  long largest_component = 0;  // the largest number index (of a component or a delta): n is at least it

  void free_symbols_into(Expr e, const std::set<std::string>& bound, std::set<std::string>& out) {
    for (Expr s : free_symbols(e)) {
      if (!bound.count(s.name())) out.insert(s.name());
    }
  }

  void walk(Expr e, std::set<std::string>& bound) {
    if (is_sum(e)) {
      free_symbols_into(e[2], bound, lengths);
      free_symbols_into(e[3], bound, lengths);
      const std::string k = e[1].name();
      const bool was_bound = bound.count(k) > 0;
      bound.insert(k);
      walk(e[0], bound);
      if (!was_bound) bound.erase(k);
      return;
    }
    if (is_delta(e)) {
      free_symbols_into(e, bound, indices);
      for (Expr a : e.args()) {
        if (std::optional<long> c = a.small_integer()) largest_component = std::max(largest_component, *c);
      }
      return;
    }
    if (e.is(Kind::Index) && (e[0].is(Kind::Symbol) || is_vector_softmax(e[0]))) {
      if (is_vector_softmax(e[0])) lengths.insert("n");
      if (std::optional<long> c = e[1].small_integer()) largest_component = std::max(largest_component, *c);
      free_symbols_into(e[1], bound, indices);
      return;
    }
    for (Expr a : e.args()) walk(a, bound);
  }
};

long integer_or_throw(Expr e, const char* what) {
  std::optional<Expr> folded = fold_numbers(e);
  std::optional<long> v = folded ? folded->small_integer() : std::nullopt;
  if (!v) throw std::invalid_argument(std::string(what) + " " + print(e) + " is not a number at this instance");
  return *v;
}

Expr component(const std::string& vector, long k) { return sym(vector + "_" + std::to_string(k)); }

Expr instantiate_in(Expr e, IndexValues& values) {
  if (e.is(Kind::Symbol)) {
    auto it = values.find(e.name());
    return it == values.end() ? e : num(it->second);
  }
  if (is_sum(e)) {
    const long lo = integer_or_throw(instantiate_in(e[2], values), "the lower bound");
    const long hi = integer_or_throw(instantiate_in(e[3], values), "the upper bound");
    if (hi - lo > 1000) throw std::invalid_argument("a sum of more than 1000 terms");
    const std::string k = e[1].name();
    const auto saved = values.find(k) == values.end() ? std::nullopt : std::optional<long>(values[k]);
    std::vector<Expr> terms;
    for (long v = lo; v <= hi; ++v) {
      values[k] = v;
      terms.push_back(instantiate_in(e[0], values));
    }
    if (saved) values[k] = *saved;
    else values.erase(k);
    return add(std::move(terms));
  }
  if (is_delta(e)) {
    const long a = integer_or_throw(instantiate_in(e[0], values), "the index");
    const long b = integer_or_throw(instantiate_in(e[1], values), "the index");
    return num(a == b ? 1 : 0);
  }
  if (e.is(Kind::Index) && (e[0].is(Kind::Symbol) || is_vector_softmax(e[0]))) {
    const long k = integer_or_throw(instantiate_in(e[1], values), "the index");
    if (k < 1) throw std::invalid_argument("the index " + std::to_string(k) + " is below 1");
    if (e[0].is(Kind::Symbol)) return component(e[0].name(), k);
    auto n = values.find("n");
    if (n == values.end()) throw std::invalid_argument("softmax(x) needs the length n");
    if (k > n->second) throw std::invalid_argument("the index " + std::to_string(k) + " is above n");
    std::vector<Expr> xs;
    for (long m = 1; m <= n->second; ++m) xs.push_back(component(e[0][0].name(), m));
    return index(call("softmax", std::move(xs)), num(k));
  }
  if (e.size() == 0) return e;
  std::vector<Expr> args;
  for (Expr a : e.args()) args.push_back(instantiate_in(a, values));
  return with_args(e, std::move(args));
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

bool is_indexed_variable(Expr e) {
  if (!e.is(Kind::Index) || !e[0].is(Kind::Symbol)) return false;
  const Expr i = e[1];
  return i.is(Kind::Symbol) || (i.is_integer() && cln::plusp(i.number()));
}

bool used_as_vector(Expr e, Expr v) {
  if (e.is(Kind::Index) && (e[0] == v || (is_vector_softmax(e[0]) && e[0][0] == v && !e[1].is_number()))) {
    return true;
  }
  for (Expr a : e.args()) {
    if (used_as_vector(a, v)) return true;
  }
  return false;
}

bool has_symbolic_length(Expr e) {
  if (is_sum(e) || is_delta(e)) return true;
  if (e.is(Kind::Index)) {
    if (e[0].is(Kind::Symbol)) return true;
    if (is_vector_softmax(e[0]) && !e[1].is_number()) return true;
  }
  if (e.is(Kind::Derivative) && e[1].is(Kind::Index)) return true;
  for (Expr a : e.args()) {
    if (has_symbolic_length(a)) return true;
  }
  return false;
}

bool index_in_range(Expr j, Expr lo, Expr hi) {
  const bool above_lo = lo == j || (lo.is_number() && (j.is_number() ? lo.number() <= j.number() : lo.number() <= 1));
  const bool below_hi = hi == j || (hi.is_number() ? j.is_number() && j.number() <= hi.number() : hi.is(Kind::Symbol));
  return above_lo && below_hi;
}

bool index_outside_range(Expr j, Expr lo, Expr hi) {
  if (!j.is_number()) return false;
  return (lo.is_number() && j.number() < lo.number()) || (hi.is_number() && hi.number() < j.number());
}

Expr substitute_index(Expr e, Expr k, Expr value) {
  if (e == k) return value;
  if (e.size() == 0) return e;
  if (is_sum(e) && e[1] == k) {  // k is bound again inside: only the bounds see the outer k
    return call("sum", {e[0], e[1], substitute_index(e[2], k, value), substitute_index(e[3], k, value)});
  }
  std::vector<Expr> args;
  for (Expr a : e.args()) args.push_back(substitute_index(a, k, value));
  return with_args(e, std::move(args));
}

IndexSymbols index_symbols(const std::vector<Expr>& exprs) {
  Collector c;
  for (Expr e : exprs) {
    std::set<std::string> bound;
    c.walk(e, bound);
  }
  IndexSymbols out;
  out.lengths.assign(c.lengths.begin(), c.lengths.end());
  for (const std::string& i : c.indices) {
    if (!c.lengths.count(i)) out.indices.push_back(i);
  }
  out.min_length = std::max(kMinInstanceLength, c.largest_component);
  return out;
}

Expr instantiate_indexed(Expr e, const IndexValues& values) {
  IndexValues copy = values;
  return instantiate_in(e, copy);
}

std::vector<IndexValues> instances(const IndexSymbols& symbols) {
  std::vector<IndexValues> out;
  if (symbols.lengths.empty() && symbols.indices.empty()) return {IndexValues{}};  // every length alike
  for (long n = symbols.min_length; n <= symbols.max_length(); ++n) {
    IndexValues base;
    for (const std::string& l : symbols.lengths) base[l] = n;
    // Every index symbol in 1..n: an odometer over the index symbols.
    std::vector<long> digits(symbols.indices.size(), 1);
    while (true) {
      IndexValues v = base;
      for (std::size_t d = 0; d < digits.size(); ++d) v[symbols.indices[d]] = digits[d];
      out.push_back(std::move(v));
      std::size_t d = 0;
      while (d < digits.size() && digits[d] == n) digits[d++] = 1;
      if (d == digits.size()) break;
      ++digits[d];
    }
  }
  return out;
}

CheckResult check_instantiated(Expr lhs, Expr rhs, const CheckOptions& options) {
  const IndexSymbols symbols = index_symbols({lhs, rhs});
  const std::vector<IndexValues> all = instances(symbols);
  std::string described;
  if (symbols.lengths.empty() && symbols.indices.empty()) {
    described = "its one instance (no symbolic length or index)";
  } else {
    const std::string lengths = symbols.lengths.empty() ? "length" : join(symbols.lengths) + " =";
    described = lengths + " " + std::to_string(symbols.min_length) + ".." + std::to_string(symbols.max_length()) +
                (symbols.indices.empty() ? "" : ", " + join(symbols.indices) + " = 1..n") + ": " +
                std::to_string(all.size()) + " instances";
  }
  CheckResult total;
  bool all_proved = true;
  for (const IndexValues& values : all) {
    std::string at;
    for (const auto& [name, v] : values) at += (at.empty() ? "" : ", ") + name + " = " + std::to_string(v);
    CheckResult one;
    try {
      // The domain (a derivative's f) is of symbolic length too: it must be read at the same instance, or
      // no point is inside it and a wrong answer goes undecided instead of refuted.
      CheckOptions at_instance = options;
      if (!options.only_where_defined.is_null()) {
        at_instance.only_where_defined = instantiate_indexed(options.only_where_defined, values);
      }
      one = check_equal(instantiate_indexed(lhs, values), instantiate_indexed(rhs, values), at_instance);
    } catch (const std::invalid_argument& e) {
      one.holds = false;
      one.how = How::Undecided;
      one.note = std::string(e.what());
    }
    if (!one.holds) {
      // Said once, in `instantiated` (the printers add it to the note): "n = 2, one of n = 2..4: 3 instances".
      one.instantiated = at.empty() ? described : at + ", one of " + described;
      if (one.counterexample) {
        for (const auto& [name, v] : values) one.counterexample->point[name] = cln::cl_RA(v);
      }
      return one;
    }
    all_proved = all_proved && one.how == How::Proved;
    total.points_agreed += one.points_agreed;
    total.points_skipped += one.points_skipped;
    total.points_unreliable += one.points_unreliable;
  }
  total.holds = true;
  total.how = all_proved ? How::Proved : How::Numeric;
  total.note = all_proved ? "GiNaC: normal(L - R) = 0 at every instance" : "";
  total.instantiated = described;
  return total;
}

}  // namespace napier
