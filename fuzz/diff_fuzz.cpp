// libFuzzer target: arbitrary bytes -> an expression -> its derivative, by both of napier's paths.
//
// Bytes that parse (at most 400 of them: the differentiator's cost, not the parser's, is under test) are
// differentiated with respect to x, or the first symbol when there is no x, under a deadline and small limits:
//   - the fast path (what `napier diff` runs) and the recorded path (what `--steps` runs), both simplified,
//     must reach the same derivative, node for node;
//   - the recorded derivation must print, and its result parse back to the same node;
//   - its result must agree with GiNaC's derivative at real points (check_equal, the numeric test alone,
//     at few points): a refutation where both are defined is a wrong derivative.
// StepLimitExceeded (a limit or the deadline) ends an input quietly; any other exception is what the CLI
// reports as an internal error, and fails here. Any broken promise abort()s, so libFuzzer keeps the input.
// Run through scripts/fuzz; reproduce with build-rel-fuzz/fuzz/diff_fuzz FILE.
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
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"
#include "napier/stack.hpp"

namespace {

using napier::fuzz::escaped;

constexpr std::size_t kMaxBytes = 400;

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr, "\ndiff_fuzz: %s\n  input:  \"%s\"\n%s\n", what, escaped(input).c_str(), detail.c_str());
  std::abort();
}

const napier::RuleSet& shipped() {
  static const napier::RuleSet rules = [] {
    napier::Result<napier::RuleSet> r = napier::RuleSet::load_default();
    if (!r) {
      std::fprintf(stderr, "diff_fuzz: the shipped rules do not load: %s\n", r.error().to_string().c_str());
      std::abort();
    }
    return std::move(r).value();
  }();
  return rules;
}

// x when it occurs, else the first symbol in print order; null for a constant.
napier::Expr variable_of(napier::Expr e) {
  const std::vector<napier::Expr> symbols = napier::free_symbols(e);  // sorted by name
  if (symbols.empty()) return {};
  for (napier::Expr s : symbols) {
    if (s.name() == "x") return s;
  }
  return symbols.front();
}

void differentiate_both_ways(std::string_view input, napier::Expr f, napier::Expr x) {
  const napier::RuleSet& rules = shipped();
  napier::RewriteLimits limits;
  limits.max_steps = 20000;
  limits.max_nodes = 400000;
  limits.max_depth = 4000;
  limits.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  napier::set_deadline(limits.deadline);

  napier::DiffOptions quick;  // `napier diff`: the fast path, simplified without recording
  quick.record_steps = false;
  quick.limits = limits;
  const napier::Expr fast = napier::differentiate(f, x, rules, quick).result;
  napier::DiffOptions full;  // `napier diff --steps`
  full.limits = limits;
  const napier::Derivation d = napier::differentiate(f, x, rules, full);
  if (d.result != fast) {
    fail("diff and diff --steps differ", input,
         "  without steps: " + napier::print(fast) + "\n  with steps:    " + napier::print(d.result));
  }
  (void)napier::print_chain(d, napier::Style::Text);
  const std::string printed = napier::print(d.result);
  napier::ParseOptions reread;
  reread.allow_unknown_functions = true;
  napier::Result<napier::Expr> again = napier::parse(printed, reread);
  if (!again || *again != d.result) {
    fail("the derivative does not parse back to itself", input,
         "  printed: " + printed + (again ? "\n  reparsed: " + napier::print(*again) : "\n  " + again.error().to_string()));
  }

  napier::CheckOptions numeric;
  numeric.try_symbolic = false;
  numeric.points = 4;
  numeric.max_attempts = 40;
  numeric.real_odd_roots = false;
  numeric.only_where_defined = f;
  const napier::CheckResult c = napier::check_equal(d.result, napier::derivative(f, x), numeric);
  if (c.how == napier::How::Refuted) {
    fail("GiNaC refutes the derivative", input,
         "  d/d" + x.name() + " = " + printed + "\n  " + napier::describe(c, d.result, napier::derivative(f, x)));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxBytes) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  napier::run_with_stack(std::size_t{1} << 29, [&] {
    napier::Result<napier::Expr> f = napier::parse(input);
    if (!f || f->is(napier::Kind::Equation) || f->is(napier::Kind::Vector)) return 0;
    const napier::Expr x = variable_of(*f);
    if (x.is_null()) return 0;
    try {
      differentiate_both_ways(input, *f, x);
    } catch (const napier::StepLimitExceeded&) {
      // a limit or the deadline: the CLI's exit 2
    } catch (const napier::StepsTooLong&) {
      // the printed steps' limit: the CLI's exit 2
    } catch (const std::exception& e) {
      fail("an exception escaped", input, std::string("  what: ") + e.what());
    }
    return 0;
  });
  return 0;
}
