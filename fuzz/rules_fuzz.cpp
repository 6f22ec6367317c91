// libFuzzer target: arbitrary bytes -> one rule file's text, loaded on top of the shipped rules.
//
// Loading either succeeds or gives one diagnostic, "fuzz.rules:LINE:COL: message" on a single line, with
// LINE a line of the text and COL a column of that line (or one past its end). A file that loads is put to
// work the way the CLI would use it: a few fixed expressions, and a call of every function the text defines
// or gives a derivative, are differentiated (with steps, and by the fast path without), simplified and
// taken through the inverse and logdiff methods. All of that runs under a deadline and small step limits,
// so a rule that loops (`match ?u rewrite ?u + 0`) ends as StepLimitExceeded, never as a hang; any other
// exception is what the CLI reports as an internal error, and fails here. Any broken promise abort()s, so
// libFuzzer keeps the input as a crash file.
// Run through scripts/fuzz; reproduce with build-rel-fuzz/fuzz/rules_fuzz FILE.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"
#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/methods.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"
#include "napier/stack.hpp"

namespace {

using napier::fuzz::escaped;

constexpr const char* kFile = "fuzz.rules";
// Far below the CLI's (100 000 steps, 60 s): the shipped rules need a few hundred steps for these
// expressions, and a looping rule must give up well inside libFuzzer's 10 s per input.
constexpr std::size_t kMaxSteps = 2000;
constexpr std::size_t kMaxNodes = 200000;
constexpr auto kDeadline = std::chrono::seconds(1);
constexpr std::size_t kMaxCallsTried = 3;  // functions of the text put to work

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr, "\nrules_fuzz: %s\n  input:  \"%s\"\n  %s\n", what, escaped(input).c_str(),
               escaped(detail).c_str());
  std::abort();
}

// The text's lines as the loader counts them (std::getline: a last line without '\n' counts).
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

void check_rejection(std::string_view input, const napier::Diagnostic& d) {
  const std::string shown = d.to_string();
  if (d.message.empty() || shown.find_first_of("\r\n") != std::string::npos) {
    fail("diagnostic is not one line", input, shown);
  }
  const std::string expected =
      std::string(kFile) + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message;
  if (d.file != kFile || shown != expected) fail("diagnostic is not FILE:LINE:COL: message", input, shown);
  const std::vector<std::string_view> lines = lines_of(input);
  if (d.line < 1 || static_cast<std::size_t>(d.line) > lines.size()) {
    fail("diagnostic line outside the text", input, shown);
  }
  if (d.column < 1 || static_cast<std::size_t>(d.column) > lines[d.line - 1].size() + 1) {
    fail("diagnostic column outside its line", input, shown);
  }
}

// A call of each function the text defined or gave a derivative (at most kMaxCallsTried): its
// parameters are x, x^2, x^3, ... so that the chain rule runs too.
std::vector<napier::Expr> calls_defined_by_text(const napier::RuleSet& rules) {
  using napier::Expr;
  const Expr x = napier::sym("x");
  std::vector<Expr> calls;
  auto add = [&](const napier::Definition& d) {
    if (d.source.file != kFile || calls.size() >= kMaxCallsTried) return;
    std::vector<Expr> args;
    for (std::size_t i = 0; i < d.parameters.size(); ++i) {
      args.push_back(i == 0 ? x : napier::pow(x, napier::num(static_cast<long>(i) + 1)));
    }
    calls.push_back(napier::call(d.name, std::move(args)));
  };
  for (const auto& [name, d] : rules.definitions()) add(d);
  for (const auto& [name, d] : rules.derivatives()) add(d);
  return calls;
}

// When the text only adds new functions (no rule of the derive, simplify or textbook phase, no derivative
// record, no shipped definition replaced), differentiating a call of one goes through its definition and the
// shipped rules alone, so the answer must be right: GiNaC checks it, as `napier diff` does. A refutation is
// a bug of napier; GiNaC failing to decide is not.
void cross_check(std::string_view input, const napier::RuleSet& shipped, const napier::RuleSet& rules,
                 const std::vector<napier::Expr>& calls) {
  using namespace napier;
  for (const Rule& rule : rules.rules()) {
    if (rule.source.file == kFile && rule.phase != Phase::Logarithm) return;
  }
  for (const auto& [name, d] : rules.derivatives()) {
    if (d.source.file == kFile) return;
  }
  for (const auto& [name, d] : rules.definitions()) {
    if (d.source.file == kFile && shipped.functions().find(name) != nullptr) return;
  }
  const Expr x = sym("x");
  CheckOptions options;
  options.expand_definitions = [&rules](Expr e) { return rules.expand_user_definitions(e); };
  DiffOptions diff;
  diff.limits.max_steps = kMaxSteps;
  diff.limits.max_nodes = kMaxNodes;
  for (Expr f : calls) {
    if (std::chrono::steady_clock::now() > current_deadline()) return;
    Expr result;
    try {
      result = differentiate(f, x, rules, diff).result;
    } catch (const StepLimitExceeded&) {
      continue;
    }
    const CheckResult check = check_derivative(f, x, result, options);
    if (check.how == How::Refuted) {
      fail("GiNaC refutes the derivative", input,
           "d/dx " + print(f) + " = " + print(result) + ": " + describe(check, result, derivative(f, x)));
    }
  }
}

void exercise(std::string_view input, const napier::RuleSet& shipped, const napier::RuleSet& rules) {
  using namespace napier;
  const Expr x = sym("x");
  ParseOptions options;
  options.functions = &rules.functions();
  std::vector<Expr> inputs;
  for (const char* text : {"x^2*sin(x)", "1/(1 + exp(-x))", "x^x", "log(x)*sigmoid(2*x)"}) {
    Result<Expr> e = parse(text, options);
    if (!e) fail("a fixed expression no longer parses", input, std::string(text) + ": " + e.error().to_string());
    inputs.push_back(*e);
  }
  for (Expr call : calls_defined_by_text(rules)) inputs.push_back(call);

  DiffOptions diff;
  diff.limits.max_steps = kMaxSteps;
  diff.limits.max_nodes = kMaxNodes;
  for (Expr f : inputs) {
    // Each part on its own: a limit in one does not hide faults in the next.
    auto guarded = [&](const char* what, auto&& work) {
      // Past the deadline every part would stop at its first check anyway (after up to 256 steps): skip.
      if (std::chrono::steady_clock::now() > current_deadline()) return;
      try {
        work();
      } catch (const StepLimitExceeded&) {
        // The clean way out of a looping rule: the CLI says "derivation stopped: ...", exit 2.
      } catch (const std::exception& e) {
        fail("unexpected exception (the CLI's internal error)", input,
             std::string(what) + " of " + print(f) + ": " + e.what());
      }
    };
    guarded("differentiate with steps", [&] {
      diff.record_steps = true;
      (void)differentiate(f, x, rules, diff);
    });
    guarded("differentiate, fast path", [&] {
      diff.record_steps = false;
      (void)differentiate(f, x, rules, diff);
    });
    guarded("the logarithm phase", [&] { (void)simplify(call("log", {f}), rules, Phase::Logarithm, nullptr, diff.limits); });
    guarded("the inverse method", [&] { (void)derive_by_inverse(f, x, rules); });
    guarded("the logdiff method", [&] { (void)derive_by_logdiff(f, x, rules); });
  }
  cross_check(input, shipped, rules, calls_defined_by_text(rules));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Loaded once; each input gets its own copy (the copy rebuilds the rule index, about as cheap as the
  // input's own load).
  static const napier::RuleSet shipped = [] {
    napier::Result<napier::RuleSet> rules = napier::RuleSet::load_default();
    if (!rules) fail("the shipped rules do not load", "", rules.error().to_string());
    return *rules;
  }();
  // The library recurses as deep as its nesting limit; the CLI gives it a 512 MiB stack, and so do we.
  napier::run_with_stack(std::size_t{1} << 29, [&] {
    napier::set_deadline(std::chrono::steady_clock::now() + kDeadline);
    napier::RuleSet rules = shipped;
    napier::Result<bool> ok = rules.add_text(input, kFile);
    if (ok) {
      exercise(input, shipped, rules);
    } else {
      check_rejection(input, ok.error());
    }
    return 0;
  });
  return 0;
}
