#include "napier/matrix.hpp"

#include <map>
#include <unordered_map>

#include "napier/derive.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/softmax_form.hpp"
#include "napier/verdict.hpp"

namespace napier {
namespace {

struct Refused {
  std::string message;
};

bool is_vector_call(const RuleSet& rules, Expr e) {
  if (!e.is(Kind::Call)) return false;
  const FunctionInfo* info = rules.functions().find(e.name());
  return info != nullptr && info->is_vector;
}

bool is_vector_valued(const RuleSet& rules, Expr e) { return e.is(Kind::Vector) || is_vector_call(rules, e); }

// A vector (a list, softmax(...)) somewhere in e other than as the thing an index picks a component of.
std::optional<Expr> bare_vector(const RuleSet& rules, Expr e) {
  if (e.is(Kind::Index)) {
    for (Expr a : e[0].args()) {
      if (std::optional<Expr> v = bare_vector(rules, a)) return v;
    }
    return bare_vector(rules, e[1]);
  }
  if (is_vector_valued(rules, e)) return e;
  for (Expr a : e.args()) {
    if (std::optional<Expr> v = bare_vector(rules, a)) return v;
  }
  return std::nullopt;
}

void require_scalar(const RuleSet& rules, Expr f, const std::string& command) {
  if (is_vector_valued(rules, f)) throw Refused{command + " needs a scalar expression; use jacobian for a vector"};
  if (std::optional<Expr> v = bare_vector(rules, f)) {
    throw Refused{command + ": " + print(*v) + " is a vector inside a scalar expression (pick a component with [i])"};
  }
}

void check_size(std::size_t rows, std::size_t columns) {
  if (rows * columns > kMaxMatrixEntries) {
    throw Refused{"a " + std::to_string(rows) + " x " + std::to_string(columns) + " matrix is above the limit of " +
                  std::to_string(kMaxMatrixEntries) + " entries"};
  }
}

class Entries {
 public:
  Entries(const RuleSet& rules, bool record, const LetBindings& lets) : rules_(rules), record_(record), lets_(lets) {}

  // d/dx(g), derived unless the same derivative was derived before. With `by_case`, derived without
  // recording steps, the reason naming the shown derivation it follows.
  std::size_t derive(std::string name, Expr g, Expr x, Expr target, std::string about = {}, std::string by_case = {}) {
    const Expr problem = derivative(g, x);
    MatrixEntry entry{std::move(name), std::move(about), Expr(), target, std::nullopt, {}, {}, false, {}};
    if (!by_case.empty()) {
      entry.value = derive_one(g, x, false).result;
      entry.reason = std::move(by_case);
      entry.by_case = true;
    } else if (const auto it = seen_.find(problem); it != seen_.end()) {
      entry.value = list[it->second].value;
      entry.same_as = list[it->second].name;
      entry.reason = "the same derivative";
    } else {
      entry.derivation = derive_one(g, x, record_);
      entry.value = entry.derivation->result;
      seen_.emplace(problem, list.size());
    }
    list.push_back(std::move(entry));
    return list.size() - 1;
  }

  std::size_t name_after(std::string name, std::size_t other, std::string reason, Expr target) {
    list.push_back(MatrixEntry{std::move(name), {}, list[other].value, target, std::nullopt, list[other].name,
                               std::move(reason), false, {}});
    return list.size() - 1;
  }

  // One verdict per (value, target) (a Hessian's mirrored entries are checked once), all in one bounded run.
  void check(const std::vector<std::vector<std::size_t>>& matrix) {
    std::map<std::pair<const Node*, const Node*>, std::size_t> distinct;
    std::vector<std::size_t> first;  // an entry of each distinct pair
    for (const auto& row : matrix) {
      for (std::size_t i : row) {
        if (distinct.emplace(std::make_pair(list[i].value.node(), list[i].target.node()), first.size()).second) {
          first.push_back(i);
        }
      }
    }
    const std::vector<CheckResult> results = bounded_checks(first.size(), [&](bool prove) {
      std::vector<CheckResult> out;
      for (std::size_t i : first) {
        Expr f = list[i].target;
        while (f.is(Kind::Derivative)) f = f[0];
        CheckOptions options = derivative_options(f, checking_options(rules_, lets_));
        options.try_symbolic = prove;
        out.push_back(check_equal(list[i].value, list[i].target, options));
      }
      return out;
    });
    for (const auto& row : matrix) {
      for (std::size_t i : row) list[i].check = results[distinct.at({list[i].value.node(), list[i].target.node()})];
    }
  }

  std::vector<MatrixEntry> list;

 private:
  const RuleSet& rules_;
  bool record_;
  const LetBindings& lets_;
  std::unordered_map<Expr, std::size_t> seen_;

  Derivation derive_one(Expr g, Expr x, bool record) {
    DiffOptions options;
    options.record_steps = record;
    return differentiate(g, x, rules_, options);
  }
};

MatrixVerdict summarize(const MatrixExplanation& o) {
  MatrixVerdict v;
  for (const auto& row : o.matrix) {
    for (std::size_t i : row) {
      const MatrixEntry& e = o.entries[i];
      switch (e.check.how) {
        case How::Proved: ++v.proved; break;
        case How::Numeric: ++v.numeric; break;
        case How::Undecided: ++v.undecided; break;
        case How::Refuted:
          v.holds = false;
          if (v.first_refuted.empty()) v.first_refuted = e.name + ": " + describe(e.check, e.value, e.target);
          break;
      }
    }
  }
  v.how = !v.holds ? How::Refuted : v.undecided ? How::Undecided : v.numeric ? How::Numeric : How::Proved;
  return v;
}

// The steps of every entry as one derivation document: an entry derived in full is a group titled with its
// name holding its chain; an entry that repeats a shown derivation (a softmax case) or equals an earlier
// entry is a group whose line claims its value, which verify checks against the derivative it stands for.
Block steps_document(const MatrixExplanation& o) {
  Block root = group_block("matrix");
  for (const MatrixEntry& e : o.entries) {
    if (e.derivation) {
      Block g = group_block("entry", {words(e.name + (e.about.empty() ? "" : " = " + e.about) + ":")});
      g.children.push_back(chain_block(*e.derivation));
      root.children.push_back(std::move(g));
      continue;
    }
    const bool by_case = e.by_case;
    Block g = group_block("entry", {words(by_case ? e.name + ": " + e.reason
                                                  : e.name + " = " + e.same_as + " (" + e.reason + ")")});
    g.children.push_back(equation_line(Expr(), e.value, by_case ? "by_case" : "same_entry", "",
                                       derivative_identity(e.target, e.value)));
    root.children.push_back(std::move(g));
  }
  // The closing fact, after the entries it sums up (every entry was proved to fit it).
  if (o.matrix_form) {
    const Expr s = sym("s");
    const Expr form = add({call("diag", {s}), mul(num(-1), mul(s, pow(s, sym("T"))))});
    root.children.push_back(group_block("fact", {words("In matrix form: "), math(equation(sym("J"), form)),
                                                 words(", with "), math(equation(s, o.input)),
                                                 words(" (every entry proved to fit it)")}));
  }
  return root;
}

MatrixExplanation explain(const RuleSet& rules, const MatrixRequest& request) {
  MatrixExplanation o;
  o.kind = request.kind;
  o.input = request.lets.expand(request.f);
  o.variables = request.variables;
  const Expr f = o.input;
  Entries entries(rules, request.steps, request.lets);
  bool softmax_cases = false;
  switch (request.kind) {
    case MatrixKind::Gradient: {
      require_scalar(rules, f, "grad");
      o.symbol = "grad";
      o.matrix.emplace_back();
      for (std::size_t j = 0; j < o.variables.size(); ++j) {
        const Expr x = o.variables[j];
        o.matrix[0].push_back(entries.derive("grad[" + std::to_string(j + 1) + "]", f, x, derivative(f, x)));
      }
      break;
    }
    case MatrixKind::Jacobian: {
      o.symbol = "J";
      std::vector<Expr> components;
      if (f.is(Kind::Vector)) {
        components.assign(f.args().begin(), f.args().end());
      } else if (is_vector_call(rules, f)) {
        for (std::size_t i = 1; i <= f.size(); ++i) components.push_back(index(f, num(static_cast<long>(i))));
      } else {
        throw Refused{"jacobian needs a vector: a list [f1, f2, ...] or softmax(x1, ..., xn) (for a scalar, use grad)"};
      }
      if (components.empty()) throw Refused{"jacobian: the list is empty"};
      for (std::size_t i = 0; i < components.size(); ++i) {
        if (std::optional<Expr> bare = bare_vector(rules, components[i])) {
          throw Refused{"jacobian: component " + std::to_string(i + 1) + " holds a vector, " + print(*bare) +
                        " (each component must be a scalar)"};
        }
      }
      check_size(components.size(), o.variables.size());
      // softmax by its own variables: with steps, one entry of each case is derived in full (document 000,
      // eq. 6), the others are named after it.
      softmax_cases = request.steps && is_softmax_of_its_variables(f, o.variables);
      for (std::size_t i = 0; i < components.size(); ++i) {
        o.matrix.emplace_back();
        for (std::size_t j = 0; j < o.variables.size(); ++j) {
          const std::string name = "J[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
          const Expr x = o.variables[j];
          const std::string by_case = softmax_cases ? softmax_case(i, j, o.variables) : std::string();
          o.matrix[i].push_back(entries.derive(name, components[i], x, derivative(components[i], x), {}, by_case));
        }
      }
      break;
    }
    case MatrixKind::Hessian: {
      require_scalar(rules, f, "hessian");
      o.symbol = "H";
      const std::size_t n = o.variables.size();
      check_size(n, n);
      std::vector<Expr> gradient;
      for (std::size_t i = 0; i < n; ++i) {
        const Expr x = o.variables[i];
        const std::size_t k = entries.derive("grad[" + std::to_string(i + 1) + "]", f, x, derivative(f, x));
        gradient.push_back(entries.list[k].value);
      }
      o.matrix.assign(n, std::vector<std::size_t>(n, 0));
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          const std::string name = "H[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
          const Expr target = derivative(derivative(f, o.variables[i]), o.variables[j]);
          if (j < i) {
            o.matrix[i][j] = entries.name_after(name, o.matrix[j][i], "symmetry of mixed partials", target);
          } else {
            const std::string about = "d/d" + o.variables[j].name() + "(grad[" + std::to_string(i + 1) + "])";
            o.matrix[i][j] = entries.derive(name, gradient[i], o.variables[j], target, about);
          }
        }
      }
      break;
    }
  }
  entries.check(o.matrix);
  if (softmax_cases) {
    std::vector<std::vector<Expr>> values;
    for (const auto& row : o.matrix) {
      values.emplace_back();
      for (std::size_t i : row) values.back().push_back(entries.list[i].value);
    }
    // A yes or no that may take long (n^2 checks): bounded like the entries' checks.
    const CheckResult fits = bounded_check([&](bool) {
      CheckResult r;
      r.holds = softmax_matrix_form(o.input, values, checking_options(rules, request.lets)).has_value();
      return r;
    });
    if (fits.holds) o.matrix_form = "diag(s) - s*s^T, s = " + print(o.input);
  }
  // Checked as derived; shown in the user's --let names.
  for (MatrixEntry& e : entries.list) {
    e.value = request.lets.fold(e.value);
    if (e.derivation) e.derivation = request.lets.fold(*e.derivation);
  }
  o.entries = std::move(entries.list);
  o.verdict = summarize(o);
  if (request.steps) o.document = steps_document(o);
  return o;
}

}  // namespace

Result<MatrixExplanation> explain_matrix(const RuleSet& rules, const MatrixRequest& request) {
  try {
    return explain(rules, request);
  } catch (const Refused& e) {
    return Diagnostic{e.message};
  } catch (const StepLimitExceeded& e) {
    return Diagnostic{std::string("derivation stopped: ") + e.what()};
  }
}

}  // namespace napier
