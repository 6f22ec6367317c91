#include "napier/diagnostic.hpp"

namespace napier {

std::string Diagnostic::to_string() const {
  // Built with append: GCC 12 warns (-Wrestrict, a known false positive) on chains of operator+ here.
  std::string out;
  if (!file.empty()) {
    out.append(file).append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
    out.append(": ").append(message);
    return out;
  }
  if (column > 0) {
    out.append("column ").append(std::to_string(column)).append(": ").append(message);
    return out;
  }
  return message;
}

}  // namespace napier
