// The worker stack (include/napier/stack.hpp): run_with_stack's body runs with depth limits that fit the stack
// it got. When the 512 MiB stack cannot be reserved (a limit on the address space, ulimit -v), a smaller
// one is taken, and at the last the calling thread's own: the nesting limit shrinks with it, so input nested
// deeper is refused by the parser (exit 2) instead of overflowing the stack (issue 19: under
// `ulimit -v 400000; ulimit -s 1024` a 1990-deep sin(sin(...)) crashed).
#include <gtest/gtest.h>

#include <algorithm>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "napier/parse.hpp"
#include "napier/rewrite.hpp"
#include "napier/stack.hpp"
#include "napier/syntax.hpp"

namespace {

using namespace napier;

std::string nested_sin(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "sin(";
  return s + "x" + std::string(static_cast<std::size_t>(depth), ')');
}

TEST(WorkerStack, LimitsFollowTheStack) {
  EXPECT_EQ(nesting_limit_for(std::size_t{512} << 20), kMaxNestingDepth);
  EXPECT_EQ(fast_path_depth_for(std::size_t{512} << 20), kMaxFastPathDepth);
  const std::size_t small = std::size_t{4} << 20;
  EXPECT_EQ(nesting_limit_for(small), static_cast<int>((small - kStackReserve) / kStackPerLevel));
  EXPECT_LT(nesting_limit_for(small), nesting_limit_for(small * 2));
  EXPECT_EQ(nesting_limit_for(kStackReserve), 0);
  // Outside run_with_stack a thread's stack is its owner's business: the documented limits.
  EXPECT_EQ(worker_stack_bytes(), 0u);
  EXPECT_EQ(nesting_limit(), kMaxNestingDepth);
}

TEST(WorkerStack, TheBigStackKeepsTheDocumentedLimits) {
  rlimit as{};
  ASSERT_EQ(getrlimit(RLIMIT_AS, &as), 0);
  if (as.rlim_cur != RLIM_INFINITY) GTEST_SKIP() << "the address space is limited here";
  int limit = -1;
  std::size_t bytes = 0;
  run_with_stack(std::size_t{512} << 20, [&] {
    limit = nesting_limit();
    bytes = worker_stack_bytes();
    return 0;
  });
  EXPECT_EQ(bytes, std::size_t{512} << 20);
  EXPECT_EQ(limit, kMaxNestingDepth);
}

// Where no thread stack can be had the body runs on the calling thread's own stack (run_with_stack with
// less than the smallest stack it asks for goes there at once), with the nesting limit of that stack, and
// the parser stops there with the limit's message. The CLI test below reaches the same through ulimit -v.
TEST(WorkerStack, OnTheCallersOwnStackTheLimitShrinks) {
  rlimit stack{};
  ASSERT_EQ(getrlimit(RLIMIT_STACK, &stack), 0);
  const std::size_t own = stack.rlim_cur == RLIM_INFINITY ? std::size_t{8} << 20 : stack.rlim_cur;
  const std::size_t expected_bytes = own - (std::size_t{64} << 10);  // what main() and the test use is taken off
  const int expected = nesting_limit_for(expected_bytes);
  if (expected >= kMaxNestingDepth) GTEST_SKIP() << "the stack limit here holds every level";
  std::size_t bytes = 0;
  int limit = -1;
  bool at_limit_parses = false;
  std::string message;
  run_with_stack(0, [&] {
    bytes = worker_stack_bytes();
    limit = nesting_limit();
    at_limit_parses = static_cast<bool>(parse(nested_sin(limit)));
    const Result<Expr> deep = parse(nested_sin(limit + 1));
    message = deep ? "(parsed)" : deep.error().message;
    return 0;
  });
  EXPECT_EQ(bytes, expected_bytes);
  EXPECT_EQ(limit, expected);
  EXPECT_TRUE(at_limit_parses);
  EXPECT_EQ(message, "nesting deeper than " + std::to_string(expected) + " levels (limit, lowered to fit a stack of " +
                         std::to_string(expected_bytes >> 10) + " KiB)");
  EXPECT_EQ(worker_stack_bytes(), 0u);  // restored after the body
}

// ---------------------------------------------------------------------------------------------------------
// The program, under the limits

struct ShellRun {
  int exit_code = -1;
  std::string out;
};

ShellRun sh(const std::string& script, const std::string& input) {
  char name[] = "/tmp/napier_stack_test_XXXXXX";
  const int fd = mkstemp(name);
  ShellRun r;
  if (fd < 0 || write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size())) return r;
  close(fd);
  FILE* pipe = popen(("exec 2>&1 < " + std::string(name) + "; " + script).c_str(), "r");
  if (pipe != nullptr) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
    const int status = pclose(pipe);
    if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  }
  unlink(name);
  return r;
}

TEST(WorkerStackCli, DeepInputUnderASmallAddressSpace) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer reserves the address space a limit on it would take";
#endif
  const std::string napier = std::string("'") + NAPIER_BINARY + "'";
  // 1000 nested negative powers crashed on the 1 MiB main stack; a quarter of the 400 000 KiB is the stack now.
  std::string powers = std::string(1000, '(') + "x";
  for (int i = 0; i < 1000; ++i) powers += ")^-1";
  const ShellRun fits = sh("ulimit -v 400000; ulimit -s 1024; " + napier + " diff - > /dev/null; echo \"exit $?\"", powers);
  EXPECT_EQ(fits.out, "exit 0\n");
  // With 100 000 KiB the stack is 25 000 KiB, which holds fewer levels than the 1990 of sin(sin(...)).
  const int limit = nesting_limit_for(std::size_t{25000} << 10);
  ASSERT_LT(limit, 1990);
  const ShellRun refused = sh("ulimit -v 100000; ulimit -s 1024; " + napier + " diff -", nested_sin(1990));
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("nesting deeper than " + std::to_string(limit) +
                             " levels (limit, lowered to fit a stack of 25000 KiB)\n"),
            std::string::npos)
      << refused.out;
}

// Out of memory is a limit of the machine, not a fault of napier: a 1999-high power tower under a 400 MB
// address space is one line and exit 2 (it was "internal error: std::bad_alloc", exit 3), or an answer.
TEST(WorkerStackCli, OutOfMemoryIsALimitNotAnInternalError) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a sanitizer reserves the address space a limit on it would take";
#endif
  const std::string napier = std::string("'") + NAPIER_BINARY + "'";
  std::string tower;
  for (int i = 0; i < 1998; ++i) tower += "x^";
  tower += "x";
  const ShellRun r = sh("ulimit -v 400000; ulimit -s 1024; " + napier + " diff - > /dev/null", tower);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2) << r.exit_code << ": " << r.out;
  if (r.exit_code == 2) {
    EXPECT_EQ(r.out.rfind("napier: error: ", 0), 0u) << r.out;
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  }
}

}  // namespace
