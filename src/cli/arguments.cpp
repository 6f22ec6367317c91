#include "arguments.hpp"

#include <unistd.h>

#include <iostream>
#include <set>

#include "commands.hpp"
#include "napier/read_file.hpp"
#include "napier/syntax.hpp"

namespace napier::cli {
namespace {

// Options that take a value, so that the value is not taken for the expression.
const std::set<std::string> kValueOptions = {"--wrt", "--order", "--format", "--at", "--let", "--style",
                                             "--method", "--rules", "--timeout", "--assume"};
const std::set<std::string> kCommands = {"print", "check", "diff", "verify", "grad", "jacobian", "hessian"};
}  // namespace

std::optional<std::string> take_expression(std::vector<std::string>& args) {
  std::size_t i = 0;
  bool seen_command = false;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!seen_command) {
      if (kCommands.count(a)) seen_command = true;
      else if (kValueOptions.count(a)) ++i;
      continue;
    }
    if (a == "-") break;
    if (a.rfind("--", 0) == 0) {
      if (a.find('=') == std::string::npos && kValueOptions.count(a)) ++i;
      continue;
    }
    if (a == "-h") continue;
    break;
  }
  if (!seen_command || i >= args.size()) return std::nullopt;
  std::string expr = args[i];
  args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
  return expr;
}

std::string read_input(const std::string& expr) {
  if (expr != "-") return expr;
  // A bounded read, so /dev/zero or an endless pipe stops at the limit. The limit is on the expression: the
  // line break that ends its line ("\r\n") may come on top; anything more past it is over the limit.
  const std::size_t line_end = 2;
  Result<std::string> read = read_stream(STDIN_FILENO, kMaxInputBytes + line_end, "standard input");
  if (!read) throw BadInput{read.error().message};
  std::string text = std::move(read).value();
  const bool over = text.size() > kMaxInputBytes + line_end;
  while (!over && !text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;  // parse() reports an input over the limit
}

// An error is one line on stderr, whatever the arguments it quotes hold (a --wrt or --rules value may
// carry a line break): tools read the first line as the whole message.
void report(const char* kind, std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::cerr << "napier: " << kind << ": " << message << "\n";
}
void report_bad_input(std::string message) { report("error", std::move(message)); }

}  // namespace napier::cli
