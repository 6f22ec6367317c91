#include "napier/spellings.hpp"

#include <map>
#include <mutex>
#include <shared_mutex>

namespace napier {
namespace {

struct Table {
  std::shared_mutex mutex;
  std::map<std::string, Spelling, std::less<>> spellings;
};

Table& table() {
  static Table t;
  return t;
}

}  // namespace

void set_spelling(const std::string& function, const Spelling& spelling) {
  Table& t = table();
  std::unique_lock lock(t.mutex);
  Spelling& s = t.spellings[function];
  if (!spelling.latex.empty()) s.latex = spelling.latex;
  if (!spelling.unicode.empty()) s.unicode = spelling.unicode;
}

std::optional<Spelling> spelling(std::string_view function) {
  Table& t = table();
  std::shared_lock lock(t.mutex);
  auto it = t.spellings.find(function);
  if (it == t.spellings.end()) return std::nullopt;
  return it->second;
}

}  // namespace napier
