// fuzz-diff N [SEED]: differentiates N random expressions with napier and GiNaC and reports disagreements,
// and every expression that took more than 2 s (a slow case is a limit to understand, or a hang to fix).
// One that takes more than NAPIER_FUZZ_HANG_SECONDS (default 120) is a hang: a watchdog prints it as
// "HANG #i d/dx ..." and ends the run with exit code 3 (GiNaC's calls cannot be interrupted from inside).
// NAPIER_FUZZ_TRACE=1 prints each expression before it is tried.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

#include "napier/print.hpp"
#include "support/differential.hpp"
#include "support/random_expr.hpp"

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 1000;
  const unsigned long seed = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20261124;
  napier::Result<napier::RuleSet> rules = napier::RuleSet::load_default();
  if (!rules) {
    std::cerr << rules.error().to_string() << "\n";
    return 2;
  }
  napier::testing::RandomExpressions generator(seed);
  const bool trace = std::getenv("NAPIER_FUZZ_TRACE") != nullptr;  // each expression before it is tried
  const char* hang_env = std::getenv("NAPIER_FUZZ_HANG_SECONDS");
  const long hang_seconds = hang_env != nullptr ? std::atol(hang_env) : 120;

  // The watchdog: the expression being tried and since when.
  std::mutex current_mutex;
  std::string current;
  std::atomic<long> current_index{-1};
  std::atomic<std::int64_t> current_start{0};
  auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  std::thread([&] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      const long i = current_index.load();
      if (i >= 0 && now_ms() - current_start.load() > hang_seconds * 1000) {
        std::lock_guard lock(current_mutex);
        std::printf("HANG #%ld (over %ld s) d/dx %s\n", i, hang_seconds, current.c_str());
        std::fflush(stdout);
        std::_Exit(3);
      }
    }
  }).detach();

  long agreed = 0, undecided = 0, failed = 0;
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < n; ++i) {
    const napier::Expr f = generator.next(4);
    if (trace) std::cout << "START #" << i << " d/dx " << napier::print(f) << std::endl;
    {
      std::lock_guard lock(current_mutex);
      current = napier::print(f);
    }
    current_start = now_ms();
    current_index = i;
    const auto one_start = std::chrono::steady_clock::now();
    const auto o = napier::testing::differential_check(f, *rules, true);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - one_start).count();
    if (took > 2) std::cout << "SLOW #" << i << " (" << took << " s) d/dx " << napier::print(f) << "\n";
    if (o.drafts_agree && o.undecided) {
      ++undecided;
    } else if (o.drafts_agree && o.agrees && o.steps_ok) {
      ++agreed;
    } else {
      ++failed;
      std::cout << "DISAGREE #" << i << " d/dx " << napier::print(f) << ": " << o.detail << "\n";
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << agreed << " passed, " << failed << " failed, " << undecided << " undecided (seed " << seed << ", "
            << seconds << " s)\n";
  return failed == 0 ? 0 : 1;
}
