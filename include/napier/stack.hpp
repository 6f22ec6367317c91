// Running a body on a thread with a large stack. The CLI runs every command so (512 MiB): recursive walks over
// expressions nested up to the documented depth limits (docs/limits.md) then fit with room to spare, also
// under sanitizers, whose frames are larger. A library user differentiating very deep expressions (or
// running untrusted rule files) does the same. `body` must not throw.
//
// When that stack cannot be had (a limit on the address space, ulimit -v, leaves no room to reserve it),
// a smaller one is asked for, and at the last the body runs on the calling thread's own stack. The depth
// limits then shrink with the stack: inside run_with_stack the parser accepts nesting_limit() levels and the
// fast differentiator fast_path_depth_limit() derivatives, so deep input is refused with the limit's
// message instead of overflowing the stack.
#pragma once

#include <cstddef>
#include <functional>

namespace napier {

// (With `bytes` below 1 MiB, the smallest stack it asks for, the body runs on the calling thread at once.)
int run_with_stack(std::size_t bytes, const std::function<int()>& body);

// The stack one more level of nesting may take, at most, along every recursion napier makes over an
// expression (parse, print, the GiNaC conversion, GiNaC's own evaluation, the numeric evaluator, the
// differentiator). Measured on a Release build (docs/limits.md): 0.3-1.1 KiB per level for nested sin,
// sigmoid, sqrt, exp, -, ^, 1/(1 + ...), 3.1 KiB for log(x, log(x, ...)); four or five times that is asked
// for, and four times as much again under a sanitizer, whose frames are larger.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr std::size_t kStackPerLevel = std::size_t{64} << 10;
#else
inline constexpr std::size_t kStackPerLevel = std::size_t{16} << 10;
#endif
// What a command needs besides the levels (its own frames, GiNaC's and CLN's, the output).
inline constexpr std::size_t kStackReserve = std::size_t{256} << 10;
// The stack one derivative being worked out by the fast path takes, at most (derive.cpp; 0.4-0.8 KiB
// measured, docs/limits.md), with room to spare.
inline constexpr std::size_t kStackPerDerivative = std::size_t{4} << 10;

// The nesting depth a stack of `bytes` holds (kMaxNestingDepth at most), and the fast path's depth.
int nesting_limit_for(std::size_t bytes);
std::size_t fast_path_depth_for(std::size_t bytes);

// On the calling thread: what run_with_stack's stack holds, inside run_with_stack; kMaxNestingDepth and
// kMaxFastPathDepth on any other thread (whose stack its owner answers for, docs/limits.md).
int nesting_limit();
std::size_t fast_path_depth_limit();
// The stack run_with_stack runs the calling thread's body on, in bytes; 0 outside run_with_stack.
std::size_t worker_stack_bytes();

}  // namespace napier
