// napier_bench: napier against GiNaC in one binary. Before timing anything it
//   1. probes, in a forked child, whether napier's d/dx sin(sin(...(x))) at depth 10^4 survives on the
//      default stack of the main thread (ulimit -s), and how much of it it uses (derivative_of recurses);
//   2. starts a thread with a 1 GiB stack (so that the deep inputs can be timed in either library), which
//      checks that both libraries agree on small instances of every benchmark (inputs.cpp), stopping if not,
//      and then runs the benchmarks.
// Own flags: --no_sanity, --no_stack_probe, --stack_probe_depth=N (default 10000). NAPIER_BENCH_FULL=1 in the
// environment adds the sizes that take minutes (softmax n = 300 in full, GiNaC's deeper inputs). See
// docs/performance.md.
#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "inputs.hpp"
#include "napier/derive.hpp"

namespace {

constexpr std::size_t kBigStack = std::size_t{1} << 30;

std::string stack_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_STACK, &limit) != 0) return "unknown";
  if (limit.rlim_cur == RLIM_INFINITY) return "unlimited";
  return std::to_string(limit.rlim_cur / 1024) + " KiB";
}

// The peak size of the main thread's stack so far (VmStk grows with use and never shrinks), in KiB.
long stack_used_kib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return -1;
  char line[256];
  long kib = -1;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmStk: %ld kB", &kib) == 1) break;
  }
  std::fclose(status);
  return kib;
}

// Runs fn in a forked child on the main thread's default stack; describes how the child ended and how much
// stack it had used by then.
template <class Fn>
std::string probe(Fn fn) {
  int channel[2];
  if (pipe(channel) != 0) return "pipe failed";
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    close(channel[0]);
    alarm(120);
    const long before = stack_used_kib();
    fn();
    const long after = stack_used_kib();
    const std::string used = std::to_string(before) + " -> " + std::to_string(after) + " KiB";
    (void)!write(channel[1], used.data(), used.size());
    _exit(0);
  }
  close(channel[1]);
  char buffer[128] = {};
  const ssize_t got = read(channel[0], buffer, sizeof buffer - 1);
  close(channel[0]);
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return "waitpid failed";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    return "ok, main-thread stack " + std::string(buffer, got > 0 ? static_cast<std::size_t>(got) : 0);
  }
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) return "did not finish in 120 s";
  if (WIFSIGNALED(status)) return std::string("crashed (") + strsignal(WTERMSIG(status)) + ")";
  return "unknown";
}

// GiNaC is not probed at depth 10^4: its d/dx of sin^1000(x) already takes over a second and the time grows
// with the cube of the depth (docs/performance.md), so a probe would time out rather than tell about stacks.
void stack_probes(std::size_t depth) {
  const bench::Single& s = bench::nested_sin(depth);
  const napier::RuleSet& rules = bench::rules();
  const std::string limit = stack_limit();
  const std::string napier_result = probe([&] { (void)napier::derivative_of(s.f, s.x, rules); });
  std::fprintf(stderr, "stack probe: napier d/dx sin^%zu(x) on the main thread (stack limit %s): %s\n", depth,
               limit.c_str(), napier_result.c_str());
  benchmark::AddCustomContext("stack_limit", limit);
  benchmark::AddCustomContext("probe_nested_sin_" + std::to_string(depth) + "_napier", napier_result);
}

struct Run {
  bool sanity = true;
  int status = 0;
};

// On the big-stack thread: the sanity checks first (which also warm this thread's allocator and both
// libraries' one-time set-up, so that the first timed call of a benchmark does not pay for them), then the
// benchmarks.
void* run_benchmarks(void* argument) {
  Run& run = *static_cast<Run*>(argument);
  if (run.sanity && !bench::sanity_checks()) {
    std::fprintf(stderr, "napier and GiNaC disagree: not timing wrong answers\n");
    run.status = 2;
    return nullptr;
  }
  benchmark::RunSpecifiedBenchmarks();
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  bool sanity = true, stack_probe = true;
  std::size_t probe_depth = 10000;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no_sanity") == 0) {
      sanity = false;
    } else if (std::strcmp(argv[i], "--no_stack_probe") == 0) {
      stack_probe = false;
    } else if (std::strncmp(argv[i], "--stack_probe_depth=", 20) == 0) {
      probe_depth = std::strtoul(argv[i] + 20, nullptr, 10);
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;

  // Forks: before any other thread exists.
  if (stack_probe) stack_probes(probe_depth);

  const char* full_env = std::getenv("NAPIER_BENCH_FULL");
  const bool full = full_env != nullptr && std::strcmp(full_env, "1") == 0;
  bench::register_parse_benchmarks(full);
  bench::register_diff_benchmarks(full);
  bench::register_loss_benchmarks(full);
  bench::register_softmax_folded_benchmarks(full);
  benchmark::AddCustomContext("benchmark_thread_stack", "1 GiB");

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kBigStack);
  pthread_t thread;
  Run run{sanity, 0};
  if (int err = pthread_create(&thread, &attr, run_benchmarks, &run); err != 0) {
    std::fprintf(stderr, "cannot start the benchmark thread: %s\n", std::strerror(err));
    return 1;
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  benchmark::Shutdown();
  return run.status;
}
