// How every benchmark is run. A benchmark is named "<topic>/<library>/<size>", library = napier or ginac, so
// that bench/ratios.py can pair the two on the same input. For each size a benchmark prepares its input
// (built directly in its library, cached, untimed) and returns a Work: one unit of work to time.
//
// The first call of the work in the process is timed on its own (CPU time of the thread, as the loop), before
// the timed loop, and reported as the counter first_s. It matters for napier: its nodes are interned and
// never freed, so the first call allocates every node of its answer while later calls find them made (and its
// depends_on memo, per thread, is warm). The timed loop therefore measures repeated calls, and first_s the
// first one.
#pragma once

#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bench {

struct Work {
  std::function<void()> run;  // one iteration; throws std::exception if the library refuses the input
  double units = 1;           // terms, entries or levels in one iteration (per_unit = time / units)
  std::int64_t bytes = 0;     // input bytes read by one iteration (parsing), for bytes_per_second
  std::map<std::string, double> counters;  // extra figures about the input
};

// CPU time of the calling thread, as the timed loop measures it (the machine may be shared).
inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Registers make(n) as "<topic>/<library>/<n>" for each n, timed in milliseconds. Counters: per_unit (seconds
// per unit, shown as e.g. "per_unit=1.2u" for 1.2 microseconds), first_s, bytes_per_second, Work::counters.
template <class Make>
void register_sizes(const std::string& topic, const std::string& library,
                    const std::vector<std::int64_t>& sizes, Make make) {
  static auto* first_seconds = new std::map<std::string, double>();
  static auto* first_errors = new std::map<std::string, std::string>();
  for (std::int64_t n : sizes) {
    const std::string name = topic + "/" + library + "/" + std::to_string(n);
    benchmark::RegisterBenchmark(name.c_str(), [name, make, n](benchmark::State& state) {
      Work work = make(static_cast<std::size_t>(n));
      if (!first_seconds->count(name)) {
        const double start = thread_cpu_seconds();
        try {
          work.run();
        } catch (const std::exception& e) {
          (*first_errors)[name] = e.what();
        }
        (*first_seconds)[name] = thread_cpu_seconds() - start;
      }
      if (auto error = first_errors->find(name); error != first_errors->end()) {
        state.SkipWithError(error->second.c_str());
        return;
      }
      for (auto _ : state) work.run();
      state.counters["per_unit"] = benchmark::Counter(
          work.units, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
      state.counters["first_s"] = (*first_seconds)[name];
      if (work.bytes > 0) state.SetBytesProcessed(state.iterations() * work.bytes);
      for (const auto& [key, value] : work.counters) state.counters[key] = value;
    })->Unit(benchmark::kMillisecond);
  }
}

// full: also the sizes that take minutes (NAPIER_BENCH_FULL=1).
void register_parse_benchmarks(bool full);
void register_diff_benchmarks(bool full);
void register_loss_benchmarks(bool full);
void register_softmax_folded_benchmarks(bool full);

}  // namespace bench
