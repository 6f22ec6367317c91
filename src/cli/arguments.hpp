// The command line before CLI11 reads it: EXPR taken out of the arguments (it may begin with '-'), EXPR read
// from standard input when it is "-", and errors reported as the one line tools read.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace napier::cli {

// An expression may begin with '-' (`-x^2`); CLI11 would read it as an option. So the first argument after
// the command that is not an option (or is "-") is taken out of `args` as EXPR before CLI11 sees the rest.
std::optional<std::string> take_expression(std::vector<std::string>& args);

// EXPR itself, or for "-" standard input read with a byte bound (the line break that ends it dropped); a
// read that fails throws BadInput.
std::string read_input(const std::string& expr);

// "napier: KIND: MESSAGE" on stderr, on one line whatever the message quotes (a --wrt or --rules value may
// carry a line break).
void report(const char* kind, std::string message);
void report_bad_input(std::string message);

}  // namespace napier::cli
