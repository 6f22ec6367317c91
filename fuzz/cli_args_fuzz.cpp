// libFuzzer target: arbitrary command lines -> the napier program, in process.
//
// Input format: argv elements separated by NUL bytes (argv[0] "napier" is implied); after a double NUL, the
// rest is standard input (for `-` as EXPR). The contract checked: the exit code is 0 or 2 (bad input) and
// never 3 (internal error); with exit code 2, standard error is exactly one line. Sanitizers catch the rest.
//
// The CLI is compiled into this file unchanged: its main() is renamed, and run() is called as main() does
// (option handling, the big-stack worker thread, the printers) but unwatched: the watchdog's child process
// would write to the real descriptors, past the streams this harness captures. Standard input is a
// temporary file on descriptor 0, which the CLI reads with its byte bound.
//
// The commands that call GiNaC (check, diff, verify, grad, jacobian, hessian) are replaced by `print`:
// GiNaC's normal() and CLN's floats are too slow per run for fuzzing and have known hangs on tiny inputs
// (docs/limits.md, rows marked BUG in tests/data/bad_inputs.tsv). Option handling, which this target
// explores, is shared by all commands; the differentiator has a target of its own (diff_fuzz.cpp).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

// Everything outside napier that main.cpp includes comes first, so that the renaming below cannot reach it.
#define main napier_cli_main
#include "fuzz_util.hpp"
#include "../src/cli/main.cpp"
#undef main

namespace {

using napier::fuzz::escaped;

struct Invocation {
  std::vector<std::string> args;  // without argv[0]
  std::string stdin_text;
};

Invocation decode(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  Invocation call;
  const std::size_t split = bytes.find(std::string("\0\0", 2));
  const std::string argv_part = bytes.substr(0, split);
  if (split != std::string::npos) call.stdin_text = bytes.substr(split + 2);
  std::size_t start = 0;
  while (start <= argv_part.size() && call.args.size() < 64) {
    std::size_t end = argv_part.find('\0', start);
    if (end == std::string::npos) end = argv_part.size();
    call.args.push_back(argv_part.substr(start, end - start));
    start = end + 1;
  }
  static const std::set<std::string> kSlowCommands = {"check", "diff",     "verify",
                                                      "grad",  "jacobian", "hessian"};
  for (std::string& a : call.args) {
    if (kSlowCommands.count(a) > 0) a = "print";
  }
  return call;
}

[[noreturn]] void fail(const char* what, const Invocation& call, int code, const std::string& err) {
  std::string line = "napier";
  for (const std::string& a : call.args) line += " \"" + escaped(a) + "\"";
  std::fprintf(stderr,
               "\ncli_args_fuzz: %s\n  command: %s\n  stdin:   \"%s\"\n  exit:    %d\n  stderr:  \"%s\"\n",
               what, line.c_str(), escaped(call.stdin_text).c_str(), code, escaped(err).c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Invocation call = decode(data, size);
  std::vector<std::string> storage{"napier"};
  storage.insert(storage.end(), call.args.begin(), call.args.end());
  std::vector<char*> argv;
  for (std::string& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);

  // Standard input is read from file descriptor 0 (with its byte bound): a temporary file in its place.
  std::FILE* in = std::tmpfile();
  if (in == nullptr) return 0;
  std::fwrite(call.stdin_text.data(), 1, call.stdin_text.size(), in);
  std::fflush(in);
  std::rewind(in);
  const int saved_stdin = ::dup(STDIN_FILENO);
  ::dup2(::fileno(in), STDIN_FILENO);
  std::ostringstream out, err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  // Unwatched: the watchdog's child would write to the real descriptors, past these streams.
  const int code = napier::run_with_stack(std::size_t{1} << 29, [&] {
    return napier::cli::run(static_cast<int>(storage.size()), argv.data(), /*watched=*/false);
  });
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  ::dup2(saved_stdin, STDIN_FILENO);
  ::close(saved_stdin);
  std::fclose(in);

  const std::string message = err.str();
  if (code != 0 && code != 2) fail("exit code is neither 0 nor 2", call, code, message);
  if (code == 2) {
    const bool one_line =
        !message.empty() && message.back() == '\n' && std::count(message.begin(), message.end(), '\n') == 1;
    if (!one_line) fail("exit code 2 without a one-line message", call, code, message);
  }
  return 0;
}
