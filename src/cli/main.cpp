// The napier program: wires command-line options to the commands, nothing more. Exit codes: 0 success (or an
// identity that holds), 1 an identity that does not hold, 2 bad input or a limit hit, 3 an internal error
// (including a derivative that GiNaC refutes: a bug in napier).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>


#include <chrono>
#include <iostream>
#include <iterator>
#include <deque>
#include <functional>
#include <map>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "commands.hpp"
#include "matrix_commands.hpp"
#include "napier/print_derivation.hpp"
#include "napier/rewrite.hpp"
#include "napier/rules.hpp"
#include "napier/syntax.hpp"
#include "napier/stack.hpp"
#include "napier/bounded.hpp"
#include "arguments.hpp"
#include "watchdog.hpp"

namespace napier::cli {
namespace {

const char* const kLetHelp =
    "NAME = EXPR (repeatable): NAME stands for EXPR in the input, and results are written with NAME";

// `watched`: the request runs in a child stopped at the deadline (the program); a harness that captures
// std::cout and std::cerr in memory (fuzz/cli_args_fuzz) runs it here, where its streams are.
int run(int argc, char** argv, bool watched = true) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> expr = take_expression(args);

  CLI::App app{"napier: symbolic differentiation that shows its work and proves it"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "napier 0.1.0");
  std::vector<std::string> rule_dirs;
  app.add_option("--rules", rule_dirs, "a folder of *.rules files to add (repeatable; also NAPIER_RULES_PATH)");
  double timeout_seconds = 60;
  app.add_option("--timeout", timeout_seconds,
                 "stop the request after this many seconds, 0.001 to 86400 (default 60); checked after parsing");
  app.fallthrough();  // --rules and --timeout may also follow the command
  const std::map<std::string, Format> formats = {{"text", Format::Text},   {"plain", Format::Plain},
                                                 {"unicode", Format::Unicode}, {"latex", Format::Latex},
                                                 {"markdown", Format::Markdown}, {"json", Format::Json}};
  // Each option's words are checked by CLI11 (IsMember, so that its message lists them) and read into the
  // enum after parsing: `words` keeps the word given for each option.
  std::vector<std::function<void()>> to_enums;
  std::deque<std::string> words;
  auto format_option = [&](CLI::App* cmd, Format& into, std::vector<std::string> names) {
    std::string help;
    for (const std::string& n : names) help += (help.empty() ? "" : "|") + n;
    std::string& word = words.emplace_back();
    cmd->add_option("--format", word, help)->check(CLI::IsMember(names));
    to_enums.push_back([&, &word = word, &into = into] {
      if (!word.empty()) into = formats.at(word);
    });
  };
  auto enum_option = [&](CLI::App* cmd, const char* name, auto& into, const auto& map, const std::string& help) {
    std::vector<std::string> names;
    for (const auto& [n, _] : map) names.push_back(n);
    std::string& word = words.emplace_back();
    cmd->add_option(name, word, help)->check(CLI::IsMember(names));
    to_enums.push_back([&, &word = word, &into = into, &map = map] {
      if (!word.empty()) into = map.at(word);
    });
  };
  Format format = Format::Plain;
  CLI::App* print_cmd = app.add_subcommand("print", "print an expression as parsed, unchanged");
  format_option(print_cmd, format, {"plain", "unicode", "latex", "json"});
  Format check_format = Format::Text;
  CLI::App* check_cmd = app.add_subcommand("check", "is L = R an identity over the reals?");
  format_option(check_cmd, check_format, {"text", "unicode", "latex", "markdown", "json"});
  bool check_steps = false;
  check_cmd->add_flag("--steps", check_steps, "first rewrite each side by the rules, to show why L = R");
  const std::map<std::string, StepStyle> styles = {{"chain", StepStyle::Chain}, {"substitution", StepStyle::Substitution}};
  const std::map<std::string, Method> methods = {{"auto", Method::Auto}, {"direct", Method::Direct},
                                                 {"inverse", Method::Inverse}, {"logdiff", Method::Logdiff}};
  // diff and verify take the same options: verify proves every line of the document diff prints.
  auto diff_options = [&](CLI::App* cmd, DiffArgs& args) {
    cmd->add_option("--wrt", args.wrt, "the variable (default: x, or the only variable); x,y: the mixed partial");
    cmd->add_option("--order", args.order, "how many times to differentiate (1..100)");
    cmd->add_option("--at", args.at, "also give the derivative's exact value at VAR=VALUE");
    enum_option(cmd, "--style", args.style, styles, "how --steps reads: chain (from the definitions) or substitution");
    enum_option(cmd, "--method", args.method, methods, "auto|direct|inverse|logdiff");
    cmd->add_option("--let", args.lets, kLetHelp);
    cmd->add_option("--assume", args.assume,
                    "L = R (repeatable): write L as R in the result, a step of its own (sum(t[k], k, 1, n) = 1)");
  };
  DiffArgs diff;
  CLI::App* diff_cmd = app.add_subcommand("diff", "differentiate, optionally showing every step");
  diff_options(diff_cmd, diff);
  diff_cmd->add_flag("--steps", diff.steps, "show the derivation step by step, each step naming its rule");
  format_option(diff_cmd, diff.format, {"text", "unicode", "latex", "markdown", "json"});
  DiffArgs verify;
  CLI::App* verify_cmd = app.add_subcommand("verify", "differentiate and prove every line of the derivation with GiNaC");
  diff_options(verify_cmd, verify);
  format_option(verify_cmd, verify.format, {"text", "json"});
  // grad, jacobian, hessian: --wrt x,y,... (none: every variable), --steps, --verify, --format, --let.
  struct MatrixCommand {
    CLI::App* app;
    MatrixKind kind;
    std::string wrt;
    MatrixArgs args;
  };
  MatrixCommand matrix_cmds[] = {
      {app.add_subcommand("grad", "the gradient of a scalar expression"), MatrixKind::Gradient, {}, {}},
      {app.add_subcommand("jacobian", "the Jacobian of a list [f1, f2, ...] or of softmax(x1, ..., xn)"),
       MatrixKind::Jacobian, {}, {}},
      {app.add_subcommand("hessian", "the Hessian of a scalar expression"), MatrixKind::Hessian, {}, {}},
  };
  for (MatrixCommand& m : matrix_cmds) {
    m.app->add_option("--wrt", m.wrt, "the variables, a comma list x,y,... (default: every variable)");
    m.app->add_flag("--steps", m.args.steps, "derive each distinct entry step by step; name repeated ones");
    m.app->add_flag("--verify", m.args.verify, "prove every line of the derivation with GiNaC, as verify does");
    format_option(m.app, m.args.format, {"text", "unicode", "latex", "markdown", "json"});
    m.app->add_option("--let", m.args.lets, kLetHelp);
  }

  // Extras are collected and reported here, in the order given (CLI11 lists them from its reversed queue).
  app.allow_extras();
  for (CLI::App* sub : app.get_subcommands({})) sub->allow_extras();
  try {
    std::reverse(args.begin(), args.end());
    app.parse(args);
    std::vector<std::string> extras = app.remaining(true);
    if (!extras.empty()) {
      std::string list;
      for (const std::string& a : extras) list += (list.empty() ? "" : " ") + a;
      throw CLI::ExtrasError(extras.size() == 1 ? "The following argument was not expected: " + list
                                                : "The following arguments were not expected: " + list,
                             CLI::ExitCodes::ExtrasError);
    }
    for (const auto& to_enum : to_enums) to_enum();
    // CLI11's range check lets NaN through (every comparison with it is false).
    if (!(timeout_seconds >= 0.001 && timeout_seconds <= 86400.0)) {
      throw CLI::ValidationError("--timeout", "must be a number of seconds from 0.001 to 86400");
    }
    for (CLI::App* cmd : {diff_cmd, verify_cmd}) {
      if (cmd->count("--wrt") > 0 && (cmd == diff_cmd ? diff.wrt : verify.wrt).find_first_not_of(' ') == std::string::npos) {
        throw CLI::ValidationError("--wrt", "is empty: give the variable (or leave --wrt out for the default)");
      }
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    report_bad_input(e.what());
    return kExitBadInput;
  }
  // From here on the request runs in a child process that is stopped at the deadline (watchdog.hpp), and
  // GiNaC's checks in grandchildren that are abandoned before it (bounded.hpp).
  set_abandonable_work(watched);
  const auto request = [&]() -> int {
  try {
    if (!expr) throw BadInput{"missing EXPR (give an expression, or - to read standard input)"};
    const std::string text = read_input(*expr);
    set_deadline(std::chrono::steady_clock::now() +
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(timeout_seconds)));
    Result<RuleSet> rules = RuleSet::load_default(rule_dirs);
    if (!rules) throw BadInput{rules.error().to_string()};
    if (print_cmd->parsed()) return print_command(*rules, text, format);
    if (check_cmd->parsed()) return check_command(*rules, text, check_format, check_steps);
    if (verify_cmd->parsed()) {
      verify.text = text;
      return verify_command(*rules, verify);
    }
    for (MatrixCommand& m : matrix_cmds) {
      if (!m.app->parsed()) continue;
      m.args.text = text;
      if (m.app->count("--wrt") > 0) m.args.wrt = m.wrt;
      if (m.args.verify && m.args.format != Format::Text && m.args.format != Format::Json) {
        throw BadInput{"--verify prints text or json (not --format latex, unicode or markdown)"};
      }
      return matrix_command(*rules, m.kind, m.args);
    }
    if (diff_cmd->parsed()) {
      diff.text = text;
      return diff_command(*rules, diff);
    }
  } catch (const BadInput& e) {
    report_bad_input(e.message);
    return kExitBadInput;
  } catch (const StepsTooLong& e) {
    report_bad_input(e.what());
    return kExitBadInput;
  } catch (const WrongAnswer& e) {
    report("internal error", e.message);
    return kExitInternal;
  } catch (const std::bad_alloc&) {
    // A limit of the machine rather than a fault of napier: the request asks for more memory than there is.
    report_bad_input("out of memory (the request needs more memory than this process may have; docs/limits.md)");
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "napier: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitInternal;
  };
  return watched ? run_watched(timeout_seconds, request) : request();
}

}  // namespace
}  // namespace napier::cli

int main(int argc, char** argv) {
  return napier::run_with_stack(std::size_t{1} << 29, [&] { return napier::cli::run(argc, argv); });
}
