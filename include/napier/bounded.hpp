// Work that cannot be interrupted where it runs — inside GiNaC's normal() or expand(), CLN's arithmetic on
// huge numbers — done where it can be abandoned: in a child process forked for it, killed at the deadline.
// The child shares the parent's memory as it was at the fork (its Exprs are valid there) and sends back
// only its answer, as text, through a pipe.
//
// fork() copies only the calling thread, so a program that checks from several threads must not turn this
// on: it is off unless set_abandonable_work(true) (the CLI, single-threaded, turns it on).
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace napier {

void set_abandonable_work(bool on);
bool abandonable_work();

enum class ChildEnd {
  Answered,  // the child wrote its answer and exited
  TimedOut,  // the deadline passed first: the child was killed
  Died,      // the child ended without an answer (a signal, an exception, out of memory)
};

struct ChildAnswer {
  ChildEnd end = ChildEnd::Died;
  std::string text;
};

// Writes all of text to fd, again after an interrupted write; false when the write fails.
bool write_all(int fd, const std::string& text);

// Runs work() in a forked child and returns what it returned, unless the deadline passes first.
ChildAnswer run_in_child(const std::function<std::string()>& work, std::chrono::steady_clock::time_point deadline);

}  // namespace napier
