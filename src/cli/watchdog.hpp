// The whole request in a child process, abandoned at its deadline. Rewriting checks the deadline itself and
// GiNaC's checks run where they can be abandoned (bounded.hpp), but a walk, a parse or a print that no check
// reaches could still run on: the parent process waits for the child's output until --timeout plus a grace
// (a twentieth of it, 0.2 to 0.5 s), then kills it and answers with one line and exit 2. The output is
// held until the child ends, so a stopped request prints nothing but the error; a write that fails (a full
// disk, a closed pipe) is "cannot write output", exit 2.
#pragma once

#include <functional>

namespace napier::cli {

int run_watched(double timeout_seconds, const std::function<int()>& body);

}  // namespace napier::cli
