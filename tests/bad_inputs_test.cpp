// Hostile input through the built program (NAPIER_BINARY), one test per row of tests/data/bad_inputs.tsv.
// Every row: the expected exit code, no signal, under 5 seconds (steady clock; the child is killed at the
// limit), exactly one line on stderr when the exit code is 2 and nothing on stderr otherwise. The table's
// header explains its columns, escapes and generators. A row whose last column starts with `# BUG` is a known
// fault of napier: it is skipped, and the skip is printed with the row.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "napier/syntax.hpp"

namespace {

constexpr double kTimeLimitSeconds = 5.0;
constexpr std::size_t kCaptureLimit = std::size_t{64} << 20;  // bytes kept of each output stream

struct Row {
  int line = 0;
  std::string args, input, expect, bug;  // bug: the `# BUG: ...` column, or empty
  int exit = 0;
  bool malformed = false;  // then args holds the whole line, reported as a failure
};

// \\ \t \n \r \0 and \xHH; anything else stands for itself.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case '0':
        out += '\0';
        break;
      case 'x':
        if (i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
          out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
          i += 2;
          break;
        }
        [[fallthrough]];
      default:
        out += c;  // \\ and any other escaped character
    }
  }
  return out;
}

// A REPEAT count: digits, or one of the reader's limits with an optional +N or -N (kMaxInputBytes+1), so
// that rows at a limit follow it when it changes. The count, or nothing when `s` is not one.
std::optional<long> count_value(const std::string& s) {
  static const std::pair<std::string_view, long> kLimits[] = {
      {"kMaxInputBytes", static_cast<long>(napier::kMaxInputBytes)},
      {"kMaxNestingDepth", static_cast<long>(napier::kMaxNestingDepth)},
      {"kMaxNumberDigits", static_cast<long>(napier::kMaxNumberDigits)},
  };
  const auto all_digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (all_digits(s)) return std::stol(s);
  for (const auto& [name, value] : kLimits) {
    if (s.rfind(name, 0) != 0) continue;
    const std::string rest = s.substr(name.size());
    if (rest.empty()) return value;
    if ((rest[0] == '+' || rest[0] == '-') && all_digits(rest.substr(1))) {
      return rest[0] == '+' ? value + std::stol(rest.substr(1)) : value - std::stol(rest.substr(1));
    }
  }
  return std::nullopt;
}

// REPEAT(text,count) stands for count copies of text; text runs up to the first ",count)" (a comma written
// "\\," belongs to the text).
std::string expand(const std::string& s) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t start = s.find("REPEAT(", pos);
    if (start == std::string::npos) break;
    out += s.substr(pos, start - pos);
    const std::size_t body = start + 7;
    bool expanded = false;
    for (std::size_t comma = s.find(',', body); comma != std::string::npos && !expanded;
         comma = s.find(',', comma + 1)) {
      const std::size_t close = s.find(')', comma);
      if (s[comma - 1] == '\\' || close == std::string::npos) continue;
      const std::optional<long> count = count_value(s.substr(comma + 1, close - comma - 1));
      if (!count) continue;
      const std::string text = s.substr(body, comma - body);
      for (long k = 0; k < *count; ++k) out += text;
      pos = close + 1;
      expanded = true;
    }
    if (!expanded) {  // not a generator after all: keep it as text
      out += "REPEAT(";
      pos = body;
    }
  }
  return out + s.substr(pos);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    parts.push_back(s.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::vector<Row> load_rows() {
  const std::string path = std::string(NAPIER_TEST_DATA) + "/bad_inputs.tsv";
  std::ifstream in(path);
  std::vector<Row> rows;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text[0] == '#') continue;
    const std::vector<std::string> cols = split(text, '\t');
    Row row;
    row.line = line;
    const auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    if (cols.size() < 4 || cols.size() > 5 || cols[2].empty() ||
        !std::all_of(cols[2].begin(), cols[2].end(), is_digit) ||
        (cols.size() == 5 && cols[4].rfind("# BUG", 0) != 0)) {
      row.malformed = true;
      row.args = text;
      rows.push_back(row);
      continue;
    }
    row.args = cols[0];
    row.input = cols[1];
    row.exit = std::stoi(cols[2]);
    row.expect = cols[3];
    if (cols.size() == 5) row.bug = cols[4];
    rows.push_back(row);
  }
  if (rows.empty()) {
    Row missing;
    missing.malformed = true;
    missing.args = "cannot read " + path;
    rows.push_back(missing);
  }
  return rows;
}

struct Outcome {
  bool signaled = false, timed_out = false;
  int signal = 0, exit = -1;
  double seconds = 0;
  std::string out, err;
};

// Runs the program with argv, feeding `input` on stdin, reading both outputs as they come (no pipe can
// fill up and stall it), and killing it at the time limit.
Outcome run(const std::vector<std::string>& argv, const std::string& input) {
  signal(SIGPIPE, SIG_IGN);  // a program that exits before reading all its input must not kill the test
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe");
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  int in_fd = in_pipe[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  int fds[2] = {out_pipe[0], err_pipe[0]};
  std::string* sinks[2];
  Outcome o;
  sinks[0] = &o.out;
  sinks[1] = &o.err;
  std::size_t written = 0;
  const auto deadline = start + std::chrono::duration<double>(kTimeLimitSeconds);
  while (fds[0] >= 0 || fds[1] >= 0) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      kill(pid, SIGKILL);
      o.timed_out = true;
      break;
    }
    pollfd p[3];
    int n = 0;
    for (int k = 0; k < 2; ++k) {
      if (fds[k] >= 0) p[n++] = {fds[k], POLLIN, 0};
    }
    if (in_fd >= 0) p[n++] = {in_fd, POLLOUT, 0};
    const int wait_ms =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count()) + 1;
    if (poll(p, static_cast<nfds_t>(n), wait_ms) < 0 && errno != EINTR) break;
    for (int k = 0; k < n; ++k) {
      if (p[k].revents == 0) continue;
      if (p[k].fd == in_fd) {
        const ssize_t w = write(in_fd, input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 && errno != EAGAIN) written = input.size();  // EPIPE: the program stopped reading
        if (written == input.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      char buffer[65536];
      const ssize_t r = read(p[k].fd, buffer, sizeof buffer);
      const int which = p[k].fd == fds[0] ? 0 : 1;
      if (r <= 0) {
        close(fds[which]);
        fds[which] = -1;
      } else if (sinks[which]->size() < kCaptureLimit) {
        sinks[which]->append(buffer, static_cast<std::size_t>(r));
      }
    }
  }
  for (int fd : {in_fd, fds[0], fds[1]}) {
    if (fd >= 0) close(fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFSIGNALED(status)) {
    o.signaled = !o.timed_out;
    o.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    o.exit = WEXITSTATUS(status);
  }
  return o;
}

std::string shown(const std::string& s, std::size_t limit = 300) {
  std::string out;
  for (unsigned char c : s.substr(0, limit)) {
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return s.size() > limit ? out + "... (" + std::to_string(s.size()) + " bytes)" : out;
}

// What ctest shows beside the test's name (a skipped row reads "KNOWN BUG ..."): plain characters only.
void PrintTo(const Row& row, std::ostream* os) {
  std::string text = row.args + " " + row.input;
  if (text.size() > 48) text = text.substr(0, 45) + "...";
  constexpr std::string_view kPlain = " +-*/^(),.=_{}";
  for (char& c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && kPlain.find(c) == std::string_view::npos) c = '?';
  }
  *os << (row.bug.empty() ? "" : "KNOWN BUG ") << text;
}

class BadInput : public testing::TestWithParam<Row> {};

TEST_P(BadInput, Row) {
  const Row& row = GetParam();
  ASSERT_FALSE(row.malformed) << "tests/data/bad_inputs.tsv:" << row.line
                              << ": not args, input, exit, expect [, # BUG: ...]: " << row.args;
  const std::string where = "tests/data/bad_inputs.tsv:" + std::to_string(row.line) + ": " + row.args + "  " +
                            shown(row.input, 120);
  if (!row.bug.empty()) {
    std::cerr << "SKIPPED (known bug) " << where << "  " << row.bug << "\n";
    GTEST_SKIP() << "known bug, " << where << "  " << row.bug;
  }
  // `{}` is the input as one argument; a lone `-` sends it through stdin; other words are expanded too.
  const std::string input = unescape(expand(row.input));
  std::vector<std::string> argv{NAPIER_BINARY};
  std::string stdin_text;
  for (const std::string& word : split(row.args, ' ')) {
    if (word.empty()) continue;  // no arguments at all, or a doubled space
    if (word == "{}") {
      argv.push_back(input);
    } else {
      if (word == "-") stdin_text = input;
      argv.push_back(unescape(expand(word)));
    }
  }
  const Outcome o = run(argv, stdin_text);
  ASSERT_FALSE(o.timed_out) << where << "\n  killed after " << kTimeLimitSeconds << " s (a hang)";
  ASSERT_FALSE(o.signaled) << where << "\n  killed by signal " << o.signal << " (" << strsignal(o.signal)
                           << ")\n  stderr: " << shown(o.err, 2000);
  EXPECT_LT(o.seconds, kTimeLimitSeconds) << where;
  EXPECT_EQ(o.exit, row.exit) << where << "\n  stdout: " << shown(o.out)
                              << "\n  stderr: " << shown(o.err, 2000);
  const std::string expect = unescape(row.expect);
  if (row.exit == 2) {
    const bool one_line =
        !o.err.empty() && o.err.back() == '\n' && std::count(o.err.begin(), o.err.end(), '\n') == 1;
    EXPECT_TRUE(one_line) << where << "\n  stderr is not exactly one line: " << shown(o.err, 2000);
    EXPECT_NE(o.err.find(expect), std::string::npos)
        << where << "\n  stderr: " << shown(o.err, 2000) << "\n  expected to contain: " << shown(expect);
    EXPECT_TRUE(o.out.empty()) << where << "\n  stdout: " << shown(o.out);
  } else {
    EXPECT_TRUE(o.err.empty()) << where << "\n  stderr: " << shown(o.err, 2000);
    std::string out = o.out;
    if (!out.empty() && out.back() == '\n') out.pop_back();
    if (!expect.empty() && expect[0] == '=') {
      EXPECT_EQ(out, expect.substr(1)) << where;
    } else {
      EXPECT_NE(out.find(expect), std::string::npos)
          << where << "\n  stdout: " << shown(out) << "\n  expected to contain: " << shown(expect);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BadInputsTsv, BadInput, testing::ValuesIn(load_rows()),
                         [](const testing::TestParamInfo<Row>& info) {
                           return "line_" + std::to_string(info.param.line);
                         });

}  // namespace
