#include "inputs.hpp"

#include <cln/real.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>

#include "napier/derive.hpp"
#include "napier/numeric.hpp"
#include "napier/parse.hpp"

namespace bench {
namespace {

using napier::Expr;

// A per-size cache whose entries are never destroyed (see inputs.hpp).
template <class T, class Build>
const T& cached(std::size_t n, Build build) {
  static auto* cache = new std::map<std::size_t, std::unique_ptr<T>>();
  auto it = cache->find(n);
  if (it == cache->end()) it = cache->emplace(n, std::make_unique<T>(build(n))).first;
  return *it->second;
}

std::string var_name(std::size_t i) {
  std::string name = "x";
  name += std::to_string(i);
  return name;
}

// ---- numeric agreement -----------------------------------------------------------------------------------

struct Assignment {
  napier::Point point;
  GiNaC::exmap map;
  void set(const std::string& name, long num, long den) {
    point[name] = cln::cl_RA(num) / cln::cl_RA(den);
    map[ginac_symbol(name)] = GiNaC::numeric(num, den);
  }
};

double napier_value(Expr e, const Assignment& a) {
  std::optional<cln::cl_R> v = napier::evaluate(e, a.point, {.digits = 40});
  return v ? cln::double_approx(*v) : std::numeric_limits<double>::quiet_NaN();
}

double ginac_value(const GiNaC::ex& e, const Assignment& a) {
  GiNaC::ex v = GiNaC::evalf(e.subs(a.map));
  if (!GiNaC::is_a<GiNaC::numeric>(v)) return std::numeric_limits<double>::quiet_NaN();
  const GiNaC::numeric& n = GiNaC::ex_to<GiNaC::numeric>(v);
  if (!n.is_real()) return std::numeric_limits<double>::quiet_NaN();
  return n.to_double();
}

int failures = 0;

void expect_agree(const std::string& what, Expr napier_answer, const GiNaC::ex& ginac_answer,
                  const std::vector<Assignment>& points) {
  for (const Assignment& a : points) {
    const double u = napier_value(napier_answer, a), v = ginac_value(ginac_answer, a);
    const double tolerance = 1e-9 * std::max({1.0, std::abs(u), std::abs(v)});
    if (!(std::abs(u - v) <= tolerance)) {  // also catches NaN
      std::fprintf(stderr, "sanity: %s: napier %.17g, GiNaC %.17g: DISAGREE\n", what.c_str(), u, v);
      ++failures;
      return;
    }
  }
}

// x = a/b and x = c/d for one variable.
std::vector<Assignment> two_points(const std::string& name, long a, long b, long c, long d) {
  std::vector<Assignment> points(2);
  points[0].set(name, a, b);
  points[1].set(name, c, d);
  return points;
}

// x1..xn at two spreads of values.
std::vector<Assignment> vector_points(std::size_t n) {
  std::vector<Assignment> points(2);
  for (std::size_t i = 1; i <= n; ++i) {
    points[0].set(var_name(i), static_cast<long>(i) + 2, 7);
    points[1].set(var_name(i), 5 - 3 * static_cast<long>(i), 11);
  }
  return points;
}

}  // namespace

const napier::RuleSet& rules() {
  static const napier::RuleSet* set = [] {
    napier::Result<napier::RuleSet> loaded = napier::RuleSet::load_default();
    if (!loaded) throw std::runtime_error("cannot load the rules: " + loaded.error().to_string());
    return new napier::RuleSet(std::move(loaded).value());
  }();
  return *set;
}

napier::DiffOptions folded() {
  napier::DiffOptions options;
  options.record_steps = false;
  return options;
}

const GiNaC::realsymbol& ginac_symbol(const std::string& name) {
  static auto* table = new std::map<std::string, GiNaC::realsymbol>();
  auto it = table->find(name);
  if (it == table->end()) it = table->emplace(name, GiNaC::realsymbol(name)).first;
  return it->second;
}

const std::string& long_sum_text(std::size_t n) {
  return cached<std::string>(n, [](std::size_t count) {
    std::string text;
    for (std::size_t k = 1; k <= count; ++k) {
      const std::string s = std::to_string(k);
      if (k > 1) text += " + ";
      text += s + "*x^" + s + "*sin(" + s + "*x)";
    }
    return text;
  });
}

const SigmoidSum& sigmoid_sum(std::size_t n) {
  return cached<SigmoidSum>(n, [](std::size_t count) {
    SigmoidSum s;
    std::vector<Expr> terms;
    GiNaC::exvector gterms;
    for (std::size_t i = 1; i <= count; ++i) {
      s.xs.push_back(napier::sym(var_name(i)));
      terms.push_back(napier::call("sigmoid", {s.xs.back()}));
      s.gxs.push_back(ginac_symbol(var_name(i)));
      gterms.push_back(1 / (1 + GiNaC::exp(-s.gxs.back())));
    }
    s.f = napier::add(std::move(terms));
    s.gf = GiNaC::add(gterms);
    return s;
  });
}

const Softmax& softmax(std::size_t n) {
  return cached<Softmax>(n, [](std::size_t count) {
    Softmax s;
    GiNaC::exvector exps;
    for (std::size_t i = 1; i <= count; ++i) {
      s.xs.push_back(napier::sym(var_name(i)));
      s.gxs.push_back(ginac_symbol(var_name(i)));
      exps.push_back(GiNaC::exp(s.gxs.back()));
    }
    const Expr vec = napier::call("softmax", s.xs);
    const GiNaC::ex total = GiNaC::add(exps);
    for (std::size_t i = 1; i <= count; ++i) {
      s.components.push_back(napier::index(vec, napier::num(static_cast<long>(i))));
      s.gcomponents.push_back(GiNaC::exp(s.gxs[i - 1]) / total);
    }
    return s;
  });
}

const Single& power_sum(std::size_t n) {
  return cached<Single>(n, [](std::size_t count) {
    const Expr x = napier::sym("x");
    const GiNaC::realsymbol& gx = ginac_symbol("x");
    std::vector<Expr> terms;
    GiNaC::exvector gterms;
    for (std::size_t k = 1; k <= count; ++k) {
      const long kk = static_cast<long>(k);
      terms.push_back(napier::mul(napier::num(kk), napier::pow(x, napier::num(kk))));
      gterms.push_back(kk * GiNaC::pow(gx, kk));
    }
    return Single{napier::add(std::move(terms)), x, GiNaC::add(gterms), gx};
  });
}

const Single& nested_sin(std::size_t depth) {
  return cached<Single>(depth, [](std::size_t d) {
    const Expr x = napier::sym("x");
    const GiNaC::realsymbol& gx = ginac_symbol("x");
    Expr f = x;
    GiNaC::ex gf = gx;
    for (std::size_t k = 0; k < d; ++k) {
      f = napier::call("sin", {f});
      gf = GiNaC::sin(gf);
    }
    return Single{f, x, gf, gx};
  });
}

const Single& shared_dag(std::size_t depth) {
  return cached<Single>(depth, [](std::size_t d) {
    const Expr x = napier::sym("x");
    const GiNaC::realsymbol& gx = ginac_symbol("x");
    Expr f = x;
    GiNaC::ex gf = gx;
    for (std::size_t k = 0; k < d; ++k) {
      f = napier::add(napier::mul(f, f), f);
      gf = gf * gf + gf;
    }
    return Single{f, x, gf, gx};
  });
}

bool sanity_checks() {
  failures = 0;
  const napier::RuleSet& r = rules();
  int checks = 0;

  {  // parsing: the same text read by both parsers
    const std::string& text = long_sum_text(30);
    napier::Result<Expr> mine = napier::parse(text);
    GiNaC::symtab table{{"x", ginac_symbol("x")}};
    GiNaC::parser reader(table);
    const GiNaC::ex theirs = reader(text);
    if (!mine) {
      std::fprintf(stderr, "sanity: parse: napier rejected the text: %s\n", mine.error().to_string().c_str());
      ++failures;
    } else {
      expect_agree("parse 30 terms", *mine, theirs, two_points("x", 3, 10, 11, 10));
    }
    ++checks;
  }
  {  // (a) sigmoid gradient
    const SigmoidSum& s = sigmoid_sum(5);
    for (std::size_t i = 0; i < s.xs.size(); ++i, ++checks) {
      expect_agree("d/dx" + std::to_string(i + 1) + " sum sigmoid(x_i), n = 5",
                   napier::derivative_of(s.f, s.xs[i], r), s.gf.diff(s.gxs[i]), vector_points(5));
    }
  }
  {  // (b) softmax Jacobian
    const Softmax& s = softmax(4);
    for (std::size_t i = 0; i < 4; ++i) {
      for (std::size_t j = 0; j < 4; ++j, ++checks) {
        expect_agree("d softmax(x)[" + std::to_string(i + 1) + "]/dx" + std::to_string(j + 1) + ", n = 4",
                     napier::derivative_of(s.components[i], s.xs[j], r), s.gcomponents[i].diff(s.gxs[j]),
                     vector_points(4));
      }
    }
  }
  {  // (c) sum k*x^k
    const Single& s = power_sum(20);
    expect_agree("d/dx sum k*x^k, n = 20", napier::derivative_of(s.f, s.x, r), s.gf.diff(s.gx),
                 two_points("x", 3, 10, -9, 10));
    ++checks;
  }
  {  // (d) nested sin
    const Single& s = nested_sin(30);
    expect_agree("d/dx sin^30(x)", napier::derivative_of(s.f, s.x, r), s.gf.diff(s.gx),
                 two_points("x", 7, 10, -3, 2));
    ++checks;
  }
  {  // (e) the shared DAG
    for (std::size_t depth : {1, 2, 3, 6}) {
      const Single& s = shared_dag(depth);
      expect_agree("d/dx dag depth " + std::to_string(depth), napier::derivative_of(s.f, s.x, r),
                   s.gf.diff(s.gx), two_points("x", 3, 10, -1, 5));
      ++checks;
    }
  }
  std::fprintf(stderr, "sanity: %d checks, %d disagreements\n", checks, failures);
  return failures == 0;
}

}  // namespace bench
