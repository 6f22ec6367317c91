// What the fuzz harnesses share: an input written so that a report can be pasted into a test.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace napier::fuzz {

// Bytes as the inside of a C string literal: printable ASCII as is, \ and " escaped, the rest as \xHH.
inline std::string escaped(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace napier::fuzz
