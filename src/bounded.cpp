#include "napier/bounded.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace napier {
namespace {

std::atomic<bool> g_abandonable{false};

}  // namespace

void set_abandonable_work(bool on) { g_abandonable = on; }
bool abandonable_work() { return g_abandonable; }

ChildAnswer run_in_child(const std::function<std::string()>& work, std::chrono::steady_clock::time_point deadline) {
  int fds[2];
  if (::pipe(fds) != 0) return {ChildEnd::Died, {}};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {ChildEnd::Died, {}};
  }
  if (pid == 0) {
    ::close(fds[0]);
    int status = 1;
    try {
      status = write_all(fds[1], work()) ? 0 : 1;
    } catch (...) {
    }
    // _exit: no destructors, no atexit handlers, and no flush of the stdio buffers copied from the parent.
    ::_exit(status);
  }
  ::close(fds[1]);
  ChildAnswer answer{ChildEnd::Answered, {}};
  char buffer[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      answer.end = ChildEnd::TimedOut;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child closed its end: its answer is complete
    answer.text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (answer.end == ChildEnd::TimedOut) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (answer.end == ChildEnd::Answered && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) answer.end = ChildEnd::Died;
  return answer;
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace napier
