// The rule-file loader, inside the library: rules.cpp reads records and loads `phase`, `rule` and `inverse`;
// function_records.cpp loads what a file says of a function (`function`, `define`, `derivative`). Hand-written:
// the format is line-based and tiny, and its diagnostics must point at file:line:col inside expressions, which
// the expression parser already reports by column.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "napier/rules.hpp"

namespace napier {

struct Field {
  std::string key, value;
  int line = 0, value_column = 0;  // 1-based
};

struct Record {
  std::string keyword, head;
  int line = 0, head_column = 0;
  std::vector<Field> fields;
};

std::string trim(std::string_view s);
void collect_calls(Expr e, std::set<std::string>& out);
void collect_variables(Expr e, std::set<std::string>& out);  // pattern variables

class RuleLoader {
 public:
  // `shipped`: the file is one of napier's own (rules/), whose functions a user's folder may not redefine
  // without saying `override`.
  RuleLoader(RuleSet& set, std::string file, bool shipped)
      : set_(set), file_(std::move(file)), shipped_(shipped) {}

  Result<bool> load(std::string_view text);

 private:
  Diagnostic fail(int line, int column, std::string message) const;
  Result<Expr> expression(const std::string& text, int line, int column, bool patterns);
  Result<bool> record(const Record& r);
  static std::optional<std::string> quoted(const std::string& value);
  std::optional<Diagnostic> label_fault(const Field& f, const std::string& label) const;
  Result<bool> rule(const Record& r);
  Result<bool> inverse(const Record& r);

  // function_records.cpp
  void declare_functions(const std::vector<Record>& records);
  Result<bool> function_record(const Record& r);
  std::optional<std::string> reaches(const std::set<std::string>& calls, const std::string& name) const;
  Diagnostic redefinition_fault(const Record& r, const std::string& what, const SourceLocation& first) const;
  Result<bool> value_field(const std::string& name, const Field& f);

  RuleSet& set_;
  std::string file_;
  bool shipped_ = false;
  Phase phase_ = Phase::Derive;
};

}  // namespace napier
