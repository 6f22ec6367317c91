#include "napier/read_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace napier {
namespace {

std::string reason_for(int error) {
  switch (error) {
    case ELOOP: return "a loop of symbolic links";
    case ENOENT: return "no such file";
    case EACCES: return "permission denied";
    case EISDIR: return "a directory, not a regular file";
    case EAGAIN: return "it would block";
    case EBADF: return "it is closed";
    default: return std::strerror(error);
  }
}

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a file";
}

struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads fd into `out` until its end or until out holds max_bytes + 1 bytes; errno's reason on failure.
// `wait` says what EAGAIN means: for a regular file opened O_NONBLOCK it is a file that would block
// (some /proc and FUSE files), which is refused; for a stream it is a writer not yet heard from.
std::optional<std::string> read_bounded(int fd, std::size_t max_bytes, bool wait, std::string& out) {
  char buffer[1 << 16];
  while (out.size() <= max_bytes) {
    const std::size_t want = std::min(sizeof buffer, max_bytes + 1 - out.size());
    const ssize_t n = ::read(fd, buffer, want);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return std::nullopt;
    if (errno == EINTR) continue;
    if (errno == EAGAIN && wait) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, -1) < 0 && errno != EINTR) return reason_for(errno);
      continue;
    }
    return reason_for(errno);
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes,
                                      std::string_view what) {
  auto fault = [&](const std::string& why) {
    return Diagnostic{"cannot read " + std::string(what) + " " + path.string() + ": " + why};
  };
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
  if (file.fd < 0) return fault(reason_for(errno));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return fault(reason_for(errno));
  // What was opened, not what the name said before (a name can be replaced between a stat and an open).
  if (!S_ISREG(st.st_mode)) return fault(std::string(kind_of(st.st_mode)) + ", not a regular file");
  std::string text;
  if (std::optional<std::string> why = read_bounded(file.fd, max_bytes, false, text)) return fault(*why);
  if (text.size() > max_bytes) return fault("larger than " + std::to_string(max_bytes) + " bytes (limit)");
  return text;
}

Result<std::string> read_stream(int fd, std::size_t max_bytes, std::string_view what) {
  std::string text;
  if (std::optional<std::string> why = read_bounded(fd, max_bytes, true, text)) {
    return Diagnostic{"cannot read " + std::string(what) + ": " + *why};
  }
  return text;
}

}  // namespace napier
