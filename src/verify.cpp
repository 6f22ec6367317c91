#include "napier/verify.hpp"

#include "napier/print.hpp"
#include "napier/print_document.hpp"
#include "napier/verdict.hpp"

namespace napier {
namespace {

// One equation to check, decided later with the others in one bounded run (verdict.hpp).
struct Task {
  Expr lhs, rhs;
  CheckOptions options;
  std::string assumption;  // non-empty: said, not checked
};

std::vector<CheckResult> run_tasks(const std::vector<Task>& tasks) {
  return bounded_checks(tasks.size(), [&](bool prove) {
    std::vector<CheckResult> out;
    out.reserve(tasks.size());
    for (const Task& t : tasks) {
      if (!t.assumption.empty()) {
        CheckResult r;
        r.how = How::Undecided;
        r.note = "an assumption (" + t.assumption + "), not an identity";
        out.push_back(r);
      } else {
        CheckOptions options = t.options;
        options.try_symbolic = options.try_symbolic && prove;
        out.push_back(check_equal(t.lhs, t.rhs, options));
      }
    }
    return out;
  });
}

// The checks of a derivation's steps: redex = replacement, with the step's substitution bindings.
std::vector<Task> step_tasks(const Derivation& d, const CheckOptions& options) {
  std::vector<Task> tasks;
  for (const Step& s : d.steps) {
    // An assumption the user gave (--assume) is not an identity: it is said, not checked.
    if (s.rule == "assumption") {
      tasks.push_back({s.redex, s.contractum, options, s.label});
      continue;
    }
    // The rewritten node alone carries the claim of the step; the rest of the expression is unchanged.
    // Checking redex = replacement is as strong and much cheaper than the whole expression.
    // A binding of a plain name (not a ?pattern variable) is a substitution the step relies on: u = 1 + exp(-x).
    Expr claim = s.redex;
    for (const auto& [name, value] : s.bindings) {
      if (!name.empty() && name[0] != '?') claim = replace_all(claim, sym(name), value);
    }
    // Like every check, a step is compared where both its sides are defined (check.hpp).
    tasks.push_back({claim, s.contractum, options, {}});
  }
  return tasks;
}

// The options for a line that holds where `where` is real; a claim between derivatives is compared as
// derivatives are (two derivatives may differ at removable singularities; GiNaC works them out over C).
CheckOptions line_options(const CheckOptions& base, Expr where, bool derivatives, Expr lhs) {
  // A line of a method or a substitution claims equality where both sides are defined (as every check does):
  // its domain is the document's business (stated in its conditions), not the line's.
  CheckOptions o = base;
  if (!where.is_null()) o.only_where_defined = where;
  if (derivatives) {
    o.real_odd_roots = false;
    if (o.only_where_defined.is_null() && lhs.is(Kind::Derivative)) o.only_where_defined = lhs[0];
  }
  return o;
}

class DocumentVerifier {
 public:
  explicit DocumentVerifier(const CheckOptions& options) : options_(options) {}
  std::vector<LineCheck> checks;  // results filled in from `tasks`, one each, in order
  std::vector<Task> tasks;

  void walk(const Block& b, bool leibniz = false) {
    leibniz = leibniz || b.leibniz;
    switch (b.kind) {
      case BlockKind::Group:
        // A title (an entry's name, a method's) heads the first check inside the group.
        if (!b.title.empty()) titles_.push_back(words(b.title));
        for (const Block& c : b.children) walk(c, leibniz);
        return;
      case BlockKind::Equation:
        // A line without a claim (the function, a rule's statement) still heads the checks that follow it.
        if (!b.lhs.is_null()) lhs_ = b.lhs;
        pending_ = words(b.sentence_before) + shown(lhs_.is_null() ? b.rhs : equation(lhs_, b.rhs), leibniz) +
                   words(b.sentence_after);
        claim(b, b.claim, b.label);
        return;
      case BlockKind::Chain: {
        if (!b.continues) {
          lhs_ = b.lhs;
          pending_ = shown(b.lhs.is_null() ? b.chain.start : equation(b.lhs, b.chain.start), leibniz);
        }
        if (b.start_claim.kind != Claim::Kind::None) claim(b, b.start_claim, b.label.empty() ? "the chain rule" : b.label);
        CheckOptions o = options_;
        if (!b.where.is_null()) {
          // log(a^x) = x*log(a) holds where both sides are real (a > 0): the chain's condition says so.
          o.only_where_defined = b.where;
        }
        std::vector<Task> steps = step_tasks(b.chain, o);
        for (std::size_t i = 0; i < steps.size(); ++i) {
          const Step& s = b.chain.steps[i];
          checks.push_back({&b, &s, take_heading(), s.redex, s.contractum, s.label, {}});
          tasks.push_back(std::move(steps[i]));
        }
        return;
      }
    }
  }

 private:
  const CheckOptions& options_;
  Expr lhs_;             // the left side continuation lines stand under
  std::string pending_;  // the line that heads the next check, not printed yet
  std::vector<std::string> titles_;  // group titles above it, not printed yet

  std::string take_heading() {
    std::string heading;
    for (const std::string& t : titles_) heading += (heading.empty() ? "" : "\n") + t;
    if (!pending_.empty()) heading += (heading.empty() ? "" : "\n") + pending_;
    titles_.clear();
    pending_.clear();
    return heading;
  }

  // Method lines read in Leibniz's notation (dy/dx) where the document prints them so.
  // (A left side is always read so: dy/du = ..., the chain rule's dy/dx.)
  static std::string shown(Expr e, bool leibniz) {
    if (e.is(Kind::Equation)) return shown(e[0], true) + " = " + shown(e[1], leibniz);
    return print(leibniz ? leibniz_form(e) : e, Style::Text);
  }
  static std::string words(const std::vector<Phrase>& phrases) {
    std::string out;
    for (const Phrase& p : phrases) out += p.math.is_null() ? p.words : print(p.math, Style::Text);
    return out;
  }

  void claim(const Block& b, const Claim& c, const std::string& label) {
    if (c.kind == Claim::Kind::None) return;
    checks.push_back({&b, nullptr, take_heading(), c.lhs, c.rhs, label, {}});
    tasks.push_back({c.lhs, c.rhs, line_options(options_, b.where, c.derivatives, c.lhs),
                     c.kind == Claim::Kind::Assumption ? label : std::string()});
  }
};

}  // namespace

std::vector<StepCheck> verify_steps(const Derivation& d, const CheckOptions& options) {
  const std::vector<CheckResult> results = run_tasks(step_tasks(d, options));
  std::vector<StepCheck> checks;
  for (std::size_t i = 0; i < results.size(); ++i) checks.push_back({i, results[i]});
  return checks;
}

std::vector<LineCheck> verify_document(const Block& root, const CheckOptions& options) {
  DocumentVerifier v(options);
  v.walk(root);
  const std::vector<CheckResult> results = run_tasks(v.tasks);
  for (std::size_t i = 0; i < results.size(); ++i) v.checks[i].result = results[i];
  return std::move(v.checks);
}

}  // namespace napier
