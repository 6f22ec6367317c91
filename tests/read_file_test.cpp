// Bounded reading (include/napier/read_file.hpp): rule files and standard input are read with a bound on
// the bytes actually read, without blocking, and only from a regular file (standard input may be a pipe).
// A FIFO, a device, a symbolic link loop or a link to /dev/zero in a --rules folder is one line and exit 2
// within a second; so is /dev/zero on standard input, at the input limit.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "napier/read_file.hpp"
#include "napier/rules.hpp"
#include "napier/syntax.hpp"

namespace {

using namespace napier;
namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char name[] = "/tmp/napier_read_test_XXXXXX";
    if (const char* made = mkdtemp(name)) path = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path sub(const std::string& name) const {
    fs::create_directory(path / name);
    return path / name;
  }
};

std::string message(const Result<std::string>& r) { return r ? "(read " + std::to_string(r->size()) + " bytes)" : r.error().message; }

TEST(ReadFile, ARegularFileUpToTheBound) {
  TempDir t;
  std::ofstream(t.path / "a.rules") << "phase derive\n";
  const Result<std::string> ok = read_regular_file(t.path / "a.rules", 13, "rule file");
  ASSERT_TRUE(ok) << message(ok);
  EXPECT_EQ(*ok, "phase derive\n");
  // One byte over: refused, by the bytes read.
  const Result<std::string> over = read_regular_file(t.path / "a.rules", 12, "rule file");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, "cannot read rule file " + (t.path / "a.rules").string() + ": larger than 12 bytes (limit)");
}

// What stat says is not trusted: /proc files report size 0 and have more; /dev/zero reports 0 and never ends.
TEST(ReadFile, TheBoundIsOnTheBytesRead) {
  const Result<std::string> status = read_regular_file("/proc/self/status", 1 << 20, "rule file");
  ASSERT_TRUE(status) << message(status);
  EXPECT_NE(status->find("Name:"), std::string::npos);
  const Result<std::string> cut = read_regular_file("/proc/self/status", 10, "rule file");
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().message, "cannot read rule file /proc/self/status: larger than 10 bytes (limit)");
}

TEST(ReadFile, OnlyARegularFile) {
  TempDir t;
  ASSERT_EQ(mkfifo((t.path / "fifo.rules").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", t.path / "zero.rules");
  fs::create_symlink("loop.rules", t.path / "loop.rules");
  fs::create_symlink("missing", t.path / "dangling.rules");
  fs::create_directory(t.path / "dir.rules");
  const struct {
    const char* name;
    const char* why;
  } rows[] = {
      {"fifo.rules", "a FIFO, not a regular file"},    {"zero.rules", "a character device, not a regular file"},
      {"loop.rules", "a loop of symbolic links"},      {"dangling.rules", "no such file"},
      {"dir.rules", "a directory, not a regular file"},
  };
  for (const auto& row : rows) {
    const auto start = std::chrono::steady_clock::now();
    const Result<std::string> r = read_regular_file(t.path / row.name, 1 << 20, "rule file");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1)) << row.name;
    ASSERT_FALSE(r) << row.name;
    EXPECT_EQ(r.error().message, "cannot read rule file " + (t.path / row.name).string() + ": " + row.why);
  }
}

TEST(ReadStream, APipeIsReadToItsEndOrOneBytePastTheBound) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "x^2 + 1\n", 8), 8);
  close(fds[1]);
  const Result<std::string> all = read_stream(fds[0], 100, "standard input");
  close(fds[0]);
  ASSERT_TRUE(all) << message(all);
  EXPECT_EQ(*all, "x^2 + 1\n");

  const int zero = open("/dev/zero", O_RDONLY);
  ASSERT_GE(zero, 0);
  const Result<std::string> endless = read_stream(zero, 1000, "standard input");
  close(zero);
  ASSERT_TRUE(endless) << message(endless);
  EXPECT_EQ(endless->size(), 1001u);

  const Result<std::string> closed = read_stream(-1, 10, "standard input");
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().message, "cannot read standard input: it is closed");
}

// A rules folder holding a FIFO stops the loader at once (it would wait for a writer forever), naming it.
TEST(ReadFile, RulesFolderWithAFifoOrALinkToDevZero) {
  TempDir t;
  const fs::path fifo = t.sub("fifo"), zero = t.sub("zero"), big = t.sub("big");
  ASSERT_EQ(mkfifo((fifo / "f.rules").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", zero / "f.rules");
  std::ofstream(big / "f.rules") << std::string(kMaxRuleFileBytes, '#') << "\n";
  for (const fs::path& dir : {fifo, zero, big}) {
    const auto start = std::chrono::steady_clock::now();
    const Result<RuleSet> r = RuleSet::load({dir});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1)) << dir;
    ASSERT_FALSE(r) << dir;
    EXPECT_EQ(r.error().to_string().rfind("cannot read rule file " + (dir / "f.rules").string() + ": ", 0), 0u)
        << r.error().to_string();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The program

struct ShellRun {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
  double seconds = 0;
};

ShellRun sh(const std::string& script) {
  ShellRun r;
  const auto start = std::chrono::steady_clock::now();
  FILE* pipe = popen(("exec 2>&1; " + script).c_str(), "r");
  if (pipe == nullptr) return r;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) r.out.append(buffer, n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

const std::string kNapier = std::string("'") + NAPIER_BINARY + "'";

TEST(ReadCli, RulesThatAreNoFilesAreOneLineAndExitTwo) {
  TempDir t;
  const fs::path fifo = t.sub("fifo"), zero = t.sub("zero"), loop = t.sub("loop");
  ASSERT_EQ(mkfifo((fifo / "f.rules").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", zero / "f.rules");
  fs::create_symlink("f.rules", loop / "f.rules");
  const struct {
    fs::path dir;
    const char* why;
  } rows[] = {{fifo, "a FIFO, not a regular file"},
              {zero, "a character device, not a regular file"},
              {loop, "a loop of symbolic links"}};
  for (const auto& row : rows) {
    const ShellRun r = sh(kNapier + " --rules '" + row.dir.string() + "' diff 'x^2'");
    EXPECT_EQ(r.exit_code, 2) << row.dir;
    EXPECT_EQ(r.out, "napier: error: cannot read rule file " + (row.dir / "f.rules").string() + ": " + row.why + "\n");
    EXPECT_LT(r.seconds, 1.0) << row.dir;
  }
}

TEST(ReadCli, StandardInputIsBounded) {
  const ShellRun zero = sh(kNapier + " print - < /dev/zero");
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_EQ(zero.out, "napier: error: input longer than " + std::to_string(kMaxInputBytes) + " bytes (limit)\n");
  EXPECT_LT(zero.seconds, 5.0);
  const ShellRun endless = sh("yes x | " + kNapier + " print -");  // a pipe that never ends
  EXPECT_EQ(endless.exit_code, 2);
  EXPECT_EQ(endless.out, "napier: error: input longer than " + std::to_string(kMaxInputBytes) + " bytes (limit)\n");
  const ShellRun closed = sh(kNapier + " print - <&-");
  EXPECT_EQ(closed.exit_code, 2);
  EXPECT_EQ(closed.out, "napier: error: cannot read standard input: it is closed\n");
  const ShellRun piped = sh("printf 'x^2\\r\\n' | " + kNapier + " diff -");
  EXPECT_EQ(piped.exit_code, 0);
  EXPECT_EQ(piped.out, "2*x\n");
}

}  // namespace
