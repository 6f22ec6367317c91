// Rule files -> RuleSet. The language is described in docs/rules.md; in short, a file is a list of records,
// each starting at column 1, with indented fields below it:
//
//   phase derive                          # the phase this file's `rule` records join: derive|simplify|textbook
//
//   # d/dx (u*v) = u'*v + u*v'
//   rule product
//     match   diff(?u * ?v..., ?x)
//     rewrite diff(?u, ?x)*?v... + ?u*diff(?v..., ?x)
//     label   "product rule"
//
//   # sigma(t) = 1/(1 + e^-t)
//   define sigmoid(t) := 1/(1 + exp(-t))
//
//   # sigma'(t) = sigma(t)(1 - sigma(t))
//   derivative sigmoid(t) := sigmoid(t)*(1 - sigmoid(t))
//
//   # y = e^t  <=>  t = log(y)
//   inverse e^t := log(t)
//
// `where` fields hold guards (free(?c, ?x), number(?n), ...); see docs/rules.md for the list. A fault in a
// file is reported as file:line:col: message.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "napier/diagnostic.hpp"
#include "napier/expr.hpp"
#include "napier/functions.hpp"
#include "napier/guards.hpp"
#include "napier/known_derivative.hpp"
#include "napier/pattern.hpp"

namespace napier {

enum class Phase {
  Derive,     // d/dx(...) rules
  Simplify,   // clean-up after differentiating
  Textbook,   // the teacher's moves and fold-back
  Logarithm,  // log(u*v) = log(u) + log(v), ...: taking logs for logarithmic differentiation
  Identity,   // the moves that show why an identity holds (check --steps): divide through by exp(a), ...
};

struct SourceLocation {
  std::string file;
  int line = 0;
};

struct Rule {
  std::string name;   // unique within its phase
  Phase phase = Phase::Derive;
  Expr pattern;
  Expr replacement;
  std::vector<Expr> guards;  // calls such as free(?c, ?x)
  std::string label;         // what a reader sees beside the step
  SourceLocation source;
  std::size_t segments = 0;  // segment_variables(pattern), for the matching cost limit
  // A derive rule of the form diff(?c, ?x) where free(?c, ?x) (the constant rule): it fits only what does not
  // depend on the variable, which the fast path has decided before it tries rules (apply_derive_rules).
  bool only_where_free = false;
  // A derive rule of the form diff(?x, ?x) (the variable rule): it fits only the variable itself, so the fast
  // path does not match it against anything else (a failed match per node of a long sum).
  bool only_the_variable = false;
  // leaves_no_choice(pattern): matched by match_one_way, without backtracking.
  bool one_way = false;
  // `guards` resolved against the guard table as the rule loads, one for one (guards.hpp): what the
  // rewriter judges.
  std::vector<GuardCall> guard_calls = {};
};

// f(t1, ..., tn) := body
struct Definition {
  std::string name;
  std::vector<Expr> parameters;  // symbols
  Expr body;
  std::string label;
  SourceLocation source;
};

// What a rule file says of a function besides its definition and derivative (a `function` record, or the
// fields of a `define` or `derivative` record; docs/rules.md).
struct FunctionFacts {
  std::string latex;     // its name in LaTeX (\sigma); empty: \operatorname{name}
  std::string unicode;   // its name in Unicode text (σ); empty: the name
  SourceLocation declared;  // the record that made it known (for a built-in: where its facts are)
  bool shipped = false;     // declared in napier's own rules/
};

// A rule file holds at most this many bytes (read_file.hpp counts the bytes read, not the size reported).
inline constexpr std::size_t kMaxRuleFileBytes = std::size_t{1} << 20;

class RuleSet {
 public:
  RuleSet() = default;
  // The index points into rules_: a copy rebuilds it, a move keeps the vector's elements where they are.
  RuleSet(const RuleSet& other);
  RuleSet& operator=(const RuleSet& other);
  RuleSet(RuleSet&&) noexcept = default;
  RuleSet& operator=(RuleSet&&) noexcept = default;

  // The rules shipped in rules/ (found next to the program, in NAPIER_RULES_DIR at build time, or in the
  // folders of NAPIER_RULES_PATH), plus `extra_dirs` (from --rules).
  static Result<RuleSet> load_default(const std::vector<std::string>& extra_dirs = {});
  // Every *.rules file of the folders, in folder order and file-name order within a folder. A definition
  // or derivative given twice is a fault unless the later record says `override`; napier's built-in
  // functions (FunctionTable::builtin) take theirs from NAPIER_RULES_DIR only (docs/rules.md).
  static Result<RuleSet> load(const std::vector<std::filesystem::path>& dirs);
  // load_default(), once per process (an empty set if that fails): what a parse or a check given no rules
  // uses, so that sigmoid means the same to every caller.
  static const RuleSet& shipped();
  // One file's text (for tests and fuzzing); `file` names it in diagnostics.
  Result<bool> add_text(std::string_view text, const std::string& file, bool shipped = false);

  // A number that names these rules as they are now: unique in the process, new after every change (and
  // after a copy). Memos of what the rules do may be keyed by it (rewrite_fixpoint's shared_key).
  std::uint64_t generation() const { return generation_.value; }

  const FunctionTable& functions() const { return functions_; }
  // Are the first derive rules the constant, variable and sum rules as rules/10-basic.rules writes them? Plain
  // diff's fast path (derive.cpp) applies these three itself, without matching; where a rule set says
  // otherwise, it differentiates by the rules.
  bool shortcuts_hold() const { return shortcuts_hold_; }
  const std::vector<Rule>& rules() const { return rules_; }
  // Rules of `phase` that may match `e` (by node kind and function name), in file order.
  const std::vector<const Rule*>& candidates(Phase phase, Expr e) const;
  // The derive rules that may match d/dx(g), from g alone.
  const std::vector<const Rule*>& derive_candidates(Expr g) const { return candidates_by_subject(Phase::Derive, g); }
  const Definition* definition(std::string_view function) const;
  const Definition* derivative(std::string_view function) const;  // d/dt f(t), for the chain rule
  // y = f(x) solved for x: the inverse's body with t := y, for f(x) matching an `inverse` record's pattern
  // with t := x (e^x -> log(y), x^(1/n) -> y^n); nothing when no record fits.
  std::optional<Expr> inverse_of(Expr f, Expr x, Expr y) const;
  const std::map<std::string, Definition, std::less<>>& definitions() const { return definitions_; }
  const FunctionFacts* facts(std::string_view function) const;
  // A function with a derivative record but no definition, which GiNaC has no counterpart for (erf, a user's
  // Lambert W): GiNaC knows it by name only, and its derivative from the record (ginac_bridge.hpp).
  bool known_by_derivative(std::string_view function) const;
  // known_by_derivative's functions with their derivatives, for the GiNaC bridge (the set must outlive it).
  DerivativeLookup derivative_lookup() const;
  const std::map<std::string, Definition, std::less<>>& derivatives() const { return derivatives_; }

  // e with every call of a user-defined function (one GiNaC and the evaluator do not know) replaced by its
  // definition, repeatedly.
  Expr expand_user_definitions(Expr e) const;
  // The definition of f instantiated at the call's arguments.
  Expr expand_call(Expr call, const Definition& d) const;

 private:
  friend class RuleLoader;
  const std::vector<const Rule*>& candidates_by_subject(Phase phase, Expr subject) const;
  void build_index();

  FunctionTable functions_ = FunctionTable::builtin();
  std::vector<Rule> rules_;
  std::map<std::string, Definition, std::less<>> definitions_;
  std::map<std::string, Definition, std::less<>> derivatives_;
  std::vector<Rule> inverses_;  // pattern (in t) -> inverse body (in t)
  std::map<std::string, FunctionFacts, std::less<>> facts_;
  bool shortcuts_hold_ = false;
  // See generation(). A moved-from set gets 0 (share nothing): its rules went with the move.
  struct Generation {
    std::uint64_t value = 0;
    Generation() = default;
    Generation(const Generation&) = default;
    Generation& operator=(const Generation&) = default;
    Generation(Generation&& other) noexcept : value(std::exchange(other.value, 0)) {}
    Generation& operator=(Generation&& other) noexcept {
      value = std::exchange(other.value, 0);
      return *this;
    }
  };
  Generation generation_;
  // Index, per phase: the candidate rules for a subject of each kind, or of each call name; a rule whose
  // subject is a pattern variable is a candidate for all (in file order with the others). Looked up on
  // every node of every rewrite, so by array and by name, never by building a key.
  struct PhaseIndex {
    std::array<std::vector<const Rule*>, static_cast<std::size_t>(Kind::Index) + 1> by_kind;
    std::map<std::string, std::vector<const Rule*>, std::less<>> by_call;
    std::vector<const Rule*> wildcard;  // a call with no rules of its own
  };
  std::array<PhaseIndex, static_cast<std::size_t>(Phase::Identity) + 1> index_;
};

std::string phase_name(Phase phase);

}  // namespace napier
