// Reading what napier is given — rule files and standard input — with a bound on the bytes actually read.
// No file can make napier wait or read without end: a FIFO, a device, a socket or a loop of symbolic links
// is refused at once with one line naming it; a link to /dev/zero or a growing file stops at the bound,
// whatever size the file system reports (a /proc file says 0 and has more).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "napier/diagnostic.hpp"

namespace napier {

// The contents of the regular file at `path`, at most `max_bytes` of them. The file is opened without
// blocking (O_NONBLOCK: a FIFO does not wait for a writer, a serial line for its carrier) and read only
// when what was opened is a regular file. The diagnostic names the file, what it is to the caller (`what`:
// "rule file") and why: "cannot read rule file d/f.rules: a FIFO, not a regular file", "... larger than
// 1048576 bytes (limit)", "... a loop of symbolic links".
Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes,
                                      std::string_view what);

// What an open descriptor holds (standard input, which may be a pipe, a terminal or a file), read to its
// end or until more than `max_bytes` have come: then exactly max_bytes + 1 bytes are returned, so that the
// caller can say the limit was passed without reading on. Waits for a slow writer, as reading a pipe must
// (also when the descriptor was left non-blocking by whoever opened it).
Result<std::string> read_stream(int fd, std::size_t max_bytes, std::string_view what);

}  // namespace napier
