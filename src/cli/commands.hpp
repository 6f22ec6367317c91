// The napier commands, each a function from parsed options to output and an exit code. Thrown BadInput
// becomes a one-line error and exit code 2 in main.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "napier/explain.hpp"
#include "napier/rules.hpp"

namespace napier::cli {

inline constexpr int kExitOk = 0, kExitFalse = 1, kExitBadInput = 2, kExitInternal = 3;
// check only: the identity is neither proved nor refuted (neither true nor false).
inline constexpr int kExitUndecided = 4;

struct BadInput {
  std::string message;
};

// A derivation napier would print is wrong (a line of it refuted, or its result refuted by GiNaC): a bug in a
// rule or a method. Nothing is printed on standard output; main.cpp prints "napier: internal error: "
// and the message on stderr and exits 3.
struct WrongAnswer {
  std::string message;
};

// How a command prints (--format): CLI11 maps the option's words onto these.
enum class Format { Text, Plain, Unicode, Latex, Markdown, Json };

// diff's and verify's options as given on the command line.
struct DiffArgs {
  std::string text;
  std::string wrt;  // empty: x if it occurs, else the only free symbol; "x,y": the mixed partial
  int order = 1;
  bool steps = false;
  Format format = Format::Text;
  std::vector<std::string> at;  // "x=0": also print the derivative's exact value there
  StepStyle style = StepStyle::Default;
  Method method = Method::Auto;
  std::vector<std::string> lets;    // "h = sigmoid(w*x + b)": names expanded before, folded back after
  std::vector<std::string> assume;  // "sum(t[k], k, 1, n) = 1": applied to the result, as a step of its own
};

int print_command(const RuleSet& rules, const std::string& text, Format format);
// With `steps`, each side is first rewritten by the identity and textbook rules, to show why L = R (text: the
// two chains; JSON: "steps": {"lhs": [...], "rhs": [...], "meet": bool}).
int check_command(const RuleSet& rules, const std::string& text, Format format, bool steps = false);
int diff_command(const RuleSet& rules, const DiffArgs& args);
// Differentiates with steps and checks every line of the document; exit 0 when all are proved or confirmed
// numerically.
int verify_command(const RuleSet& rules, const DiffArgs& args);

}  // namespace napier::cli
