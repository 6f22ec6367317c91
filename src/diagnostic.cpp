#include "napier/diagnostic.hpp"

namespace napier {

std::string Diagnostic::to_string() const {
  if (!file.empty()) {
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }
  if (column > 0) return "column " + std::to_string(column) + ": " + message;
  return message;
}

}  // namespace napier
