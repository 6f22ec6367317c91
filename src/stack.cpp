#include "napier/stack.hpp"

#include <pthread.h>
#include <sys/resource.h>

#include <algorithm>

#include "napier/rewrite.hpp"
#include "napier/syntax.hpp"

namespace napier {
namespace {

// The stack the body of run_with_stack runs on (0: not inside it). Thread-local: the body's thread is the
// one that parses and differentiates, and a process forked from it (the watchdog, the checker) keeps it.
thread_local std::size_t worker_stack = 0;

// The smallest thread stack worth asking for: below it the main thread's stack is as good.
constexpr std::size_t kMinWorkerStack = std::size_t{1} << 20;

struct Job {
  const std::function<int()>* body;
  std::size_t stack;
  int result = 0;
};

void* trampoline(void* arg) {
  auto* job = static_cast<Job*>(arg);
  worker_stack = job->stack;
  job->result = (*job->body)();
  return nullptr;
}

bool run_on_thread(std::size_t bytes, Job& job) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  pthread_t thread;
  job.stack = bytes;
  const bool made = pthread_attr_setstacksize(&attr, bytes) == 0 && pthread_create(&thread, &attr, trampoline, &job) == 0;
  pthread_attr_destroy(&attr);
  if (made) pthread_join(thread, nullptr);
  return made;
}

// The address space a stack may take from a limit on it (ulimit -v): a quarter, so that the heap keeps the
// rest (a stack reserved up to the limit leaves GiNaC no memory to work in).
std::size_t stack_room(std::size_t wanted) {
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur == RLIM_INFINITY) return wanted;
  return std::min<std::size_t>(wanted, static_cast<std::size_t>(as.rlim_cur / 4));
}

// The calling thread's own stack, when the body must run on it: the limit on the main thread's stack
// (ulimit -s), or 8 MiB, the usual default, when that is unlimited or unknown (growth is bounded by the
// address space then, which need not leave it more).
std::size_t own_stack() {
  rlimit st{};
  if (getrlimit(RLIMIT_STACK, &st) != 0 || st.rlim_cur == RLIM_INFINITY) return std::size_t{8} << 20;
  return static_cast<std::size_t>(st.rlim_cur);
}

}  // namespace

int nesting_limit_for(std::size_t bytes) {
  if (bytes <= kStackReserve) return 0;
  return static_cast<int>(std::min<std::size_t>(kMaxNestingDepth, (bytes - kStackReserve) / kStackPerLevel));
}

std::size_t fast_path_depth_for(std::size_t bytes) {
  if (bytes <= kStackReserve) return 1;
  return std::max<std::size_t>(1, std::min(kMaxFastPathDepth, (bytes - kStackReserve) / kStackPerDerivative));
}

int nesting_limit() { return worker_stack == 0 ? kMaxNestingDepth : nesting_limit_for(worker_stack); }
std::size_t fast_path_depth_limit() { return worker_stack == 0 ? kMaxFastPathDepth : fast_path_depth_for(worker_stack); }
std::size_t worker_stack_bytes() { return worker_stack; }

int run_with_stack(std::size_t bytes, const std::function<int()>& body) {
  Job job{&body, 0};
  // The stack is reserved, not committed; what fails is reserving it, under a limit on the address space.
  for (std::size_t ask = stack_room(bytes); ask >= kMinWorkerStack; ask /= 2) {
    if (run_on_thread(ask, job)) return job.result;
  }
  // No thread: the body runs here, with the limits of this stack, what is used of it so far taken off.
  const std::size_t saved = worker_stack;
  worker_stack = own_stack() - std::min(own_stack(), std::size_t{64} << 10);
  const int result = body();
  worker_stack = saved;
  return result;
}

}  // namespace napier
