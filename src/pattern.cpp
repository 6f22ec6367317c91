#include "napier/pattern.hpp"

#include <cln/integer.h>
#include <cln/rational.h>

#include <stdexcept>

namespace napier {
namespace {

bool starts_with_question_mark(Expr e) { return e.is(Kind::Symbol) && !e.name().empty() && e.name()[0] == '?'; }

Expr rebuild_segment(Kind kind, const std::vector<Expr>& terms) {
  return kind == Kind::Add ? add(terms) : mul(terms);
}

bool match_sequence(std::span<const Expr> patterns, std::span<const Expr> terms, Kind kind, Bindings& b);

bool match_segment_at(std::span<const Expr> patterns, std::span<const Expr> terms, Kind kind, Bindings& b) {
  const Expr var = patterns[0];
  if (const Binding* bound = b.find(var.name())) {
    const std::size_t n = bound->segment.size();
    if (n > terms.size() || !std::equal(bound->segment.begin(), bound->segment.end(), terms.begin())) return false;
    return match_sequence(patterns.subspan(1), terms.subspan(n), kind, b);
  }
  // Shortest run first, so that a following pattern takes as early a term as it can.
  for (std::size_t n = 0; n <= terms.size(); ++n) {
    const std::size_t mark = b.mark();
    std::vector<Expr> run(terms.begin(), terms.begin() + static_cast<std::ptrdiff_t>(n));
    b.push({var.name(), rebuild_segment(kind, run), run, true});
    if (match_sequence(patterns.subspan(1), terms.subspan(n), kind, b)) return true;
    b.rewind(mark);
  }
  return false;
}

bool match_sequence(std::span<const Expr> patterns, std::span<const Expr> terms, Kind kind, Bindings& b) {
  if (patterns.empty()) return terms.empty();
  if (is_segment_variable(patterns[0])) return match_segment_at(patterns, terms, kind, b);
  if (terms.empty()) return false;
  const std::size_t mark = b.mark();
  if (match(patterns[0], terms[0], b) && match_sequence(patterns.subspan(1), terms.subspan(1), kind, b)) return true;
  b.rewind(mark);
  return false;
}

std::optional<cln::cl_RA> fold(Expr e) {
  switch (e.kind()) {
    case Kind::Number:
      return e.number();
    case Kind::Add: {
      cln::cl_RA total = 0;
      for (Expr t : e.args()) {
        auto v = fold(t);
        if (!v) return std::nullopt;
        total = total + *v;
      }
      return total;
    }
    case Kind::Mul: {
      cln::cl_RA product = 1;
      for (Expr f : e.args()) {
        auto v = fold(f);
        if (!v) return std::nullopt;
        product = product * *v;
      }
      return product;
    }
    case Kind::Div: {
      auto n = fold(e[0]), d = fold(e[1]);
      if (!n || !d || cln::zerop(*d)) return std::nullopt;
      return *n / *d;
    }
    case Kind::Pow: {
      auto base = fold(e[0]);
      auto exponent = fold(e[1]);
      if (!base || !exponent || cln::denominator(*exponent) != 1) return std::nullopt;
      const cln::cl_I k = cln::numerator(*exponent);
      if (cln::abs(k) > 10000) return std::nullopt;
      if (cln::zerop(*base) && cln::minusp(k)) return std::nullopt;
      return cln::expt(*base, k);
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> first_segment_variable(Expr e) {
  if (is_segment_variable(e)) return e.name();
  for (Expr a : e.args()) {
    if (auto found = first_segment_variable(a)) return found;
  }
  return std::nullopt;
}

}  // namespace

const Binding* Bindings::find(std::string_view name) const {
  // Latest first, so that each(...) can bind a segment variable to one element at a time.
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

bool is_pattern_variable(Expr e) { return starts_with_question_mark(e); }
bool is_segment_variable(Expr e) {
  return starts_with_question_mark(e) && e.name().size() > 3 && e.name().ends_with("...");
}

bool match(Expr pattern, Expr term, Bindings& b) {
  if (is_pattern_variable(pattern)) {
    if (const Binding* bound = b.find(pattern.name())) return bound->value == term;
    b.push({pattern.name(), term, {}, false});
    return true;
  }
  if (pattern == term) return true;
  if (pattern.kind() != term.kind()) return false;
  switch (pattern.kind()) {
    case Kind::Number:
    case Kind::Symbol:
    case Kind::Constant:
      return false;  // equal leaves are the same node, compared above
    case Kind::Add:
    case Kind::Mul:
      return match_sequence(pattern.args(), term.args(), pattern.kind(), b);
    case Kind::Call:
      if (pattern.name() != term.name()) return false;
      [[fallthrough]];
    case Kind::Div:
    case Kind::Pow:
    case Kind::Derivative:
    case Kind::Equation:
    case Kind::Vector:
    case Kind::Index: {
      if (pattern.size() != term.size()) return false;
      const std::size_t mark = b.mark();
      for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (!match(pattern[i], term[i], b)) {
          b.rewind(mark);
          return false;
        }
      }
      return true;
    }
  }
  return false;
}

Expr instantiate(Expr r, const Bindings& b) {
  if (is_pattern_variable(r)) {
    const Binding* bound = b.find(r.name());
    if (bound == nullptr) throw std::out_of_range("unbound pattern variable " + r.name());
    return bound->value;
  }
  if (r.size() == 0) return r;
  // -u in a replacement negates as the parser does, so that u = 1 gives -1 and u = 2*x gives -2*x.
  if (r.is(Kind::Mul) && r.size() == 2 && r[0].is_number(-1)) return neg(instantiate(r[1], b));
  if (r.is_call("eval") && r.size() == 1) {
    Expr inner = instantiate(r[0], b);
    std::optional<Expr> folded = fold_numbers(inner);
    return folded ? *folded : inner;
  }
  std::vector<Expr> args;
  for (Expr a : r.args()) {
    if ((r.is(Kind::Add) || r.is(Kind::Mul)) && a.is_call("each") && a.size() == 1) {
      // each(T): one term per element of the segment variable in T, T instantiated with that element.
      const std::optional<std::string> segment = first_segment_variable(a[0]);
      const Binding* bound = segment ? b.find(*segment) : nullptr;
      if (bound == nullptr) throw std::out_of_range("each(...) needs a bound segment variable");
      Bindings one = b;
      for (Expr element : std::vector<Expr>(bound->segment)) {
        const std::size_t mark = one.mark();
        one.push({*segment, element, {element}, true});
        args.push_back(instantiate(a[0], one));
        one.rewind(mark);
      }
      continue;
    }
    if ((r.is(Kind::Add) || r.is(Kind::Mul)) && is_segment_variable(a)) {
      const Binding* bound = b.find(a.name());
      if (bound == nullptr) throw std::out_of_range("unbound pattern variable " + a.name());
      args.insert(args.end(), bound->segment.begin(), bound->segment.end());
    } else {
      args.push_back(instantiate(a, b));
    }
  }
  return with_args(r, std::move(args));
}

std::optional<Expr> fold_numbers(Expr e) {
  std::optional<cln::cl_RA> v = fold(e);
  if (!v) return std::nullopt;
  return num(*v);
}

}  // namespace napier
