// How a function's name is written in Unicode text and in LaTeX, from its record in rules/ (`unicode "σ"`,
// `latex "\sigma"`). The printers read it; the rule loader writes it for each record that gives one. It is
// one table per process, like GiNaC's function registry: a name has one spelling, the last loaded record's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace napier {

struct Spelling {
  std::string latex;    // empty: the primitive's LaTeX command (\sin), else \operatorname{name}
  std::string unicode;  // empty: the name
};

// Thread-safe: rule sets may be loaded while another thread prints.
void set_spelling(const std::string& function, const Spelling& spelling);
std::optional<Spelling> spelling(std::string_view function);

}  // namespace napier
