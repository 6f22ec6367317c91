// A Derivation as a reader sees it. The equality-chain style (source document 004): the start line, then one
// "= expr   [rule]" line per step, with d/dx(...) standing inside the expression until it is worked out.
// Consecutive simplification steps share one line that names every rule they applied (the clean-up inside
// the parts first, then the clean-up of the whole, as two lines); textbook steps
// (add and subtract 1, fold back, ...) keep a line each, as the documents show them.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "napier/derivation.hpp"
#include "napier/print.hpp"

namespace napier {

// Printed steps are whole expressions, one per step: under a sum of n terms, n steps print n^2 terms (1000
// sigmoids: 150 MB of text, 500 MB of JSON). Past kMaxStepsBytes of printed expressions the printers below
// stop with StepsTooLong instead of filling the memory (each takes the limit as its last argument).
inline constexpr std::size_t kMaxStepsBytes = std::size_t{256} << 20;
class StepsTooLong : public std::length_error {
 public:
  explicit StepsTooLong(std::size_t max_bytes)
      : std::length_error("the steps would print more than " + std::to_string(max_bytes >> 20) +
                          " MiB (limit); without --steps (text) only the result is printed") {}
};

struct ChainLine {
  Expr expr;
  std::string label;  // empty for the first line
};

std::vector<ChainLine> chain_lines(const Derivation& d);

// Text (Style::Text or Style::Unicode): one line per ChainLine.
std::string print_chain(const Derivation& d, Style style = Style::Text, std::size_t max_bytes = kMaxStepsBytes);

// LaTeX: an align* environment, one line per ChainLine, the rule as a \text{} tag.
// A rule's label as LaTeX text mode: _ & % # $ { } escaped, ^ ~ \ spelled out (inside \text{...}).
std::string latex_text(const std::string& label);

std::string print_chain_latex(const Derivation& d, std::size_t max_bytes = kMaxStepsBytes);

// The steps as JSON objects: {"rule", "label", "phase", "expr", "before", "redex", "replacement", "position"}.
nlohmann::ordered_json steps_json(const Derivation& d, std::size_t max_bytes = kMaxStepsBytes);

}  // namespace napier
