// Running the napier program from a test: NAPIER_BINARY (set by tests/CMakeLists.txt) with arguments and
// no shell, so nothing needs quoting; standard input from a string (empty by default), output and errors
// captured. Also the shipped rules, loaded once per test program.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <stdexcept>
#include <vector>

#include "napier/rules.hpp"

namespace napier::testing {

// rules/ as the program loads it, once (moved, not copied: the rule index points into the rules it owns).
inline const RuleSet& shipped_rules() {
  static const RuleSet set = [] {
    Result<RuleSet> r = RuleSet::load_default();
    if (!r) throw std::runtime_error(r.error().to_string());
    return std::move(r).value();
  }();
  return set;
}

struct Ran {
  int exit_code = -1;  // -1: no normal exit (a crash)
  std::string out, err;
};

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Ran run_napier(const std::vector<std::string>& args, const std::string& input = "") {
  char in_name[] = "/tmp/napier_test_in_XXXXXX", out_name[] = "/tmp/napier_test_out_XXXXXX",
       err_name[] = "/tmp/napier_test_err_XXXXXX";
  const int in_fd = mkstemp(in_name), out = mkstemp(out_name), err = mkstemp(err_name);
  Ran run;
  if (in_fd < 0 || out < 0 || err < 0) return run;
  const bool written = input.empty() || write(in_fd, input.data(), input.size()) == static_cast<ssize_t>(input.size());
  close(in_fd);
  if (!written) return run;
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = open(in_name, O_RDONLY);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(NAPIER_BINARY)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(NAPIER_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  close(out);
  close(err);
  run.out = read_whole_file(out_name);
  run.err = read_whole_file(err_name);
  unlink(in_name);
  unlink(out_name);
  unlink(err_name);
  return run;
}

}  // namespace napier::testing
