// The CLI runs its command on a thread with a large stack: recursive walks over expressions nested up to the
// documented depth limits (docs/limits.md) then fit with room to spare, also under sanitizers.
#pragma once

#include <cstddef>
#include <functional>

namespace napier::cli {

int run_with_stack(std::size_t bytes, const std::function<int()>& body);

}  // namespace napier::cli
