#include "watchdog.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "napier/bounded.hpp"

namespace napier::cli {

int run_watched(double timeout_seconds, const std::function<int()>& body) {
  using Clock = std::chrono::steady_clock;
  const double grace = std::clamp(timeout_seconds / 20, 0.2, 0.5);
  const Clock::time_point deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_seconds + grace));
  std::cout.flush();
  // A closed standard output or error would be reused by pipe() below: hold its number with /dev/null, and
  // remember that the answer cannot be delivered.
  bool stdout_closed = false;
  for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) != -1) continue;
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
    stdout_closed = stdout_closed || fd == STDOUT_FILENO;
  }
  int out[2], err[2];
  if (::pipe(out) != 0 || ::pipe(err) != 0) return body();  // no pipes: run unwatched rather than not at all
  const pid_t pid = ::fork();
  if (pid < 0) return body();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    int code = kExitInternal;
    try {
      code = body();
    } catch (...) {
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    ::_exit(code);
  }
  ::close(out[1]);
  ::close(err[1]);
  std::string held[2];
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open = 2;
  bool timed_out = false;
  char buffer[65536];
  while (open > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    const int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < 2 && ready > 0; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fds[k].fd, buffer, sizeof buffer);
      if (n > 0) {
        held[k].append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[k].fd);
        fds[k].fd = -1;
        --open;
      }
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) ::close(p.fd);
  }
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
    write_all(STDERR_FILENO, std::string("napier: error: stopped: out of time (--timeout ") + seconds +
                                 " s; docs/limits.md)\n");
    return kExitBadInput;
  }
  if ((stdout_closed && !held[0].empty()) || !write_all(STDOUT_FILENO, held[0])) {
    write_all(STDERR_FILENO, "napier: error: cannot write output\n");
    return kExitBadInput;
  }
  write_all(STDERR_FILENO, held[1]);
  if (WIFSIGNALED(status)) {
    write_all(STDERR_FILENO, "napier: internal error: stopped by signal " + std::to_string(WTERMSIG(status)) + "\n");
    return kExitInternal;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitInternal;
}

}  // namespace napier::cli
