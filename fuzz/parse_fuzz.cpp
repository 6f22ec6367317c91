// libFuzzer target: arbitrary bytes -> napier::parse.
//
// A rejected input must come back as one diagnostic: a single line, a column inside the input (or 0 for a
// limit). An accepted input must survive the printers: parse(print(e)) is the same node as e (hash-consing
// makes that a pointer compare), the Text, Unicode, LaTeX and tree printers run, and the JSON tree is valid
// JSON. Any broken promise abort()s, so libFuzzer keeps the input as a crash file.
// Run through scripts/fuzz; reproduce with build-rel-fuzz/fuzz/parse_fuzz FILE.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_util.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/stack.hpp"

namespace {

using napier::fuzz::escaped;

[[noreturn]] void fail(const char* what, std::string_view input, const std::string& detail) {
  std::fprintf(stderr, "\nparse_fuzz: %s\n  input:  \"%s\"\n%s\n", what, escaped(input).c_str(),
               detail.c_str());
  std::abort();
}

void check_rejection(std::string_view input, const napier::Diagnostic& d) {
  if (d.message.empty() || d.message.find('\n') != std::string::npos ||
      d.message.find('\r') != std::string::npos) {
    fail("diagnostic is not one line", input, "  message: \"" + escaped(d.message) + "\"");
  }
  if (d.column < 0 || static_cast<std::size_t>(d.column) > input.size() + 1) {
    fail("diagnostic column outside the input", input, "  " + d.to_string());
  }
}

void check_expression(std::string_view input, napier::Expr e) {
  using napier::Style;
  const std::string plain = napier::print(e);
  napier::Result<napier::Expr> again = napier::parse(plain);
  if (!again) {
    fail("printed form does not parse", input,
         "  printed: \"" + escaped(plain) + "\"\n  error:   " + again.error().to_string() +
             "\n  tree:    " + napier::print_tree(e));
  }
  if (*again != e) {
    fail("parse(print(e)) != e", input,
         "  printed: \"" + escaped(plain) + "\"\n  before:  " + napier::print_tree(e) +
             "\n  after:   " + napier::print_tree(*again));
  }
  for (Style style : {Style::Text, Style::Unicode, Style::Latex}) {
    if (napier::print(e, style).empty()) fail("a printer returned nothing", input, "  printed: " + plain);
  }
  (void)napier::print_tree(e);
  for (int indent : {-1, 2}) {
    const std::string json = napier::print_json_tree(e, indent);
    if (!nlohmann::json::accept(json)) fail("print_json_tree is not valid JSON", input, "  json: " + json);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The library recurses as deep as its nesting limit; the CLI gives it a 512 MiB stack, and so do we.
  napier::run_with_stack(std::size_t{1} << 29, [&] {
    napier::Result<napier::Expr> e = napier::parse(input);
    if (e) {
      check_expression(input, *e);
    } else {
      check_rejection(input, e.error());
    }
    return 0;
  });
  return 0;
}
