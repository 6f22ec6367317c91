// Errors as values: a Diagnostic names where the fault is (file, line, 1-based column) and what it is.
// Messages come from one catalogue (docs/errors.md); exceptions are used only at the CLI edge.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace napier {

struct Diagnostic {
  Diagnostic(std::string message_, int column_ = 0, int line_ = 0, std::string file_ = {})
      : message(std::move(message_)), column(column_), line(line_), file(std::move(file_)) {}

  std::string message;  // one line, no trailing newline
  int column = 0;       // 1-based; 0 when the fault has no column (a limit, a missing file)
  int line = 0;         // 1-based; 0 for single-line input
  std::string file;     // empty for command-line input

  // "file:line:col: message", "column N: message" or just "message".
  std::string to_string() const;
};

// A value or the diagnostic that explains why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Diagnostic error) : v_(std::move(error)) {}    // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  const Diagnostic& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Diagnostic> v_;
};

}  // namespace napier
