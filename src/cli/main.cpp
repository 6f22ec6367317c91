// The napier program: wires command-line options to the library, nothing more. Exit codes: 0 success (or an
// identity that holds), 1 an identity that does not hold, 2 bad input or a limit hit, 3 an internal error.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/syntax.hpp"
#include "stack.hpp"

namespace napier::cli {
namespace {

constexpr int kExitOk = 0, kExitFalse = 1, kExitBadInput = 2, kExitInternal = 3;

struct BadInput {
  std::string message;
};

// Options that take a value, so that the value is not taken for the expression.
const std::set<std::string> kValueOptions = {"--wrt", "--order", "--format", "--at", "--let", "--style",
                                             "--method", "--rules", "--timeout"};
const std::set<std::string> kCommands = {"print", "check"};

// An expression may begin with '-' (`-x^2`); CLI11 would read it as an option. So the first argument after
// the command that is not an option (or is "-") is taken out as EXPR before CLI11 sees the rest.
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
  std::string text;
  char buffer[65536];
  while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > kMaxInputBytes) break;  // parse() reports the limit
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

Expr parse_or_throw(const std::string& text, bool allow_equation) {
  ParseOptions options;
  options.allow_equation = allow_equation;
  Result<Expr> e = parse(text, options);
  if (!e) throw BadInput{e.error().to_string()};
  return *e;
}

int print_command(const std::string& text, const std::string& format) {
  Expr e = parse_or_throw(text, true);
  if (format == "json") {
    std::cout << print_json_tree(e, 2) << "\n";
  } else {
    const Style style = format == "unicode" ? Style::Unicode : format == "latex" ? Style::Latex : Style::Plain;
    std::cout << print(e, style) << "\n";
  }
  return kExitOk;
}

int check_command(const std::string& text, const std::string& format) {
  Expr e = parse_or_throw(text, true);
  if (!e.is(Kind::Equation)) throw BadInput{"check needs an identity of the form L = R"};
  CheckResult result = check_equal(e[0], e[1]);
  if (format == "json") {
    nlohmann::ordered_json out;
    out["input"] = text;
    out["holds"] = result.holds;
    out["how"] = how_name(result.how);
    if (result.counterexample) {
      nlohmann::ordered_json point;
      for (const auto& [name, value] : result.counterexample->point) {
        point[name] = rational_text(value);
      }
      out["counterexample"] = {{"point", point},
                               {"lhs", result.counterexample->lhs_value},
                               {"rhs", result.counterexample->rhs_value}};
    } else {
      out["counterexample"] = nullptr;
    }
    out["points"] = result.points_agreed;
    out["skipped"] = result.points_skipped;
    if (!result.note.empty()) out["note"] = result.note;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << (result.holds ? "true" : "false") << "\n" << describe(result, e[0], e[1]) << "\n";
  }
  return result.holds ? kExitOk : kExitFalse;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> expr = take_expression(args);

  CLI::App app{"napier: symbolic differentiation that shows its work and proves it"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "napier 0.1.0");
  std::string format = "plain";
  CLI::App* print_cmd = app.add_subcommand("print", "print an expression as parsed, unchanged");
  print_cmd->add_option("--format", format, "plain|unicode|latex|json")
      ->check(CLI::IsMember({"plain", "unicode", "latex", "json"}));
  std::string check_format = "text";
  CLI::App* check_cmd = app.add_subcommand("check", "is L = R an identity over the reals?");
  check_cmd->add_option("--format", check_format, "text|json")->check(CLI::IsMember({"text", "json"}));

  try {
    std::reverse(args.begin(), args.end());
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "napier: error: " << e.what() << "\n";
    return kExitBadInput;
  }
  try {
    if (!expr) throw BadInput{"missing EXPR (give an expression, or - to read standard input)"};
    const std::string text = read_input(*expr);
    if (print_cmd->parsed()) return print_command(text, format);
    if (check_cmd->parsed()) return check_command(text, check_format);
  } catch (const BadInput& e) {
    std::cerr << "napier: error: " << e.message << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "napier: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace
}  // namespace napier::cli

int main(int argc, char** argv) {
  return napier::cli::run_with_stack(std::size_t{1} << 29, [&] { return napier::cli::run(argc, argv); });
}
