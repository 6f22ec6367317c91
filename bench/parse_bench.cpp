// 1. Parsing the long sum 1*x^1*sin(1*x) + ... + n*x^n*sin(n*x): napier::parse against GiNaC::parser (with
// a symbol table holding x). Reported: bytes_per_second, seconds per term (per_unit) for the linearity check,
// and the first parse of the text in the process (first_s; see bench_util.hpp).
#include <memory>
#include <stdexcept>

#include "bench_util.hpp"
#include "inputs.hpp"
#include "napier/parse.hpp"

namespace bench {
namespace {

Work parse_napier(std::size_t n) {
  const std::string& text = long_sum_text(n);
  return Work{[&text] {
                // 10^6 terms are 29 MB: over the 16 MiB a parse reads unless told otherwise (syntax.hpp).
                napier::ParseOptions options;
                options.max_input_bytes = napier::kMaxInputBytesCeiling;
                napier::Result<napier::Expr> e = napier::parse(text, options);
                if (!e) throw std::runtime_error("napier::parse: " + e.error().to_string());
                benchmark::DoNotOptimize(e->node());
              },
              static_cast<double>(n),
              static_cast<std::int64_t>(text.size()),
              {}};
}

Work parse_ginac(std::size_t n) {
  const std::string& text = long_sum_text(n);
  auto reader = std::make_shared<GiNaC::parser>(GiNaC::symtab{{"x", ginac_symbol("x")}}, /*strict=*/true);
  return Work{[&text, reader] {
                GiNaC::ex e = (*reader)(text);
                benchmark::DoNotOptimize(e);
              },
              static_cast<double>(n),
              static_cast<std::int64_t>(text.size()),
              {}};
}

}  // namespace

void register_parse_benchmarks(bool full) {
  // 10^6 terms (29 MB) take GiNaC about 8 s of CPU per parse: NAPIER_BENCH_FULL only.
  std::vector<std::int64_t> sizes{1000, 3000, 10000, 100000};
  if (full) sizes.push_back(1000000);
  register_sizes("parse", "napier", sizes, parse_napier);
  register_sizes("parse", "ginac", sizes, parse_ginac);
}

}  // namespace bench
