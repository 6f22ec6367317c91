// Running a body on a thread with a large stack. The CLI runs every command so (512 MiB): recursive walks over
// expressions nested up to the documented depth limits (docs/limits.md) then fit with room to spare, also
// under sanitizers, whose frames are larger. A library user differentiating very deep expressions (or
// running untrusted rule files) does the same. `body` must not throw.
#pragma once

#include <cstddef>
#include <functional>

namespace napier {

int run_with_stack(std::size_t bytes, const std::function<int()>& body);

}  // namespace napier
