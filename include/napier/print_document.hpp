// A derivation document (document.hpp) as a reader sees it, in every format napier prints. Each printer
// walks the same tree: Group titles as lines of words, Equation blocks as "lhs = rhs    [label]" (a
// continuation "= rhs" aligned under the left side above it), Chain blocks line by line as chain_lines
// groups their steps. Printed expressions count against a byte budget (kMaxStepsBytes, StepsTooLong).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "napier/document.hpp"
#include "napier/print.hpp"
#include "napier/print_derivation.hpp"

namespace napier {

// e with each derivative of a symbol by a symbol written as Leibniz did: diff(y, x) as the name dy/dx (in a
// method's equations y stands for f(x)).
Expr leibniz_form(Expr e);

// Text (Style::Text) or Unicode (Style::Unicode): one line per line of the document.
std::string print_document(const Block& root, Style style = Style::Text, std::size_t max_bytes = kMaxStepsBytes);

// LaTeX that KaTeX renders: one align* environment per top-level block (`environment` "aligned" gives the
// same rows inside $$ ... $$ for Markdown), titles as \text{} rows, rule labels typeset as mathematics where
// they state a formula (\text{chain rule, } \frac{d}{dt}\exp(t) = \exp(t)).
std::string print_document_latex(const Block& root, std::size_t max_bytes = kMaxStepsBytes,
                                 const std::string& environment = "align*");

// Markdown: a worked solution a teacher can paste; each top-level block as $$\begin{aligned} ... $$.
std::string print_document_markdown(const Block& root, std::size_t max_bytes = kMaxStepsBytes);

// A rule label as LaTeX: its prose in \text{}, the formula it states (the part after ": " or ", ", or all
// of it, when that parses as an equation, d/dt f(t) = ... included) as mathematics.
std::string label_latex(const std::string& label);

// The document as JSON (docs/derivation.schema.json): {"steps": [...], "document": {...}}. "steps" is the flat
// list of the lines a reader sees, each with "rule", "label", "expr" (input syntax, re-parsable: an equation
// for a method's line) and "text" (as a reader writes it: dx/dy = 1/y); a chain's steps keep steps_json's
// fields. "document" is the tree of blocks, each naming its lines by index ("lines": [first, end)).
// `annotate`, when given, adds fields to each line (a verdict): called with the block and the chain's step
// (null for an equation or a chain's start), its answer merged into the line unless null.
using LineAnnotator = std::function<nlohmann::ordered_json(const Block&, const Step*)>;
nlohmann::ordered_json document_json(const Block& root, std::size_t max_bytes = kMaxStepsBytes,
                                     const LineAnnotator& annotate = {});

}  // namespace napier
