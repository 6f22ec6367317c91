#include "variables.hpp"

#include <algorithm>
#include <cctype>

#include "napier/indexed.hpp"
#include "napier/parse.hpp"

namespace napier::cli {
namespace {

std::string trim(std::string s) {
  s.erase(0, std::min(s.find_first_not_of(' '), s.size()));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

void validate_name(const std::string& wrt, const std::string& name) {
  if (name.empty()) throw BadInput{"--wrt " + wrt + ": an empty variable name (write --wrt x,y)"};
  if (name == "e" || name == "pi") throw BadInput{"--wrt " + wrt + ": cannot differentiate with respect to a constant"};
  bool valid = std::isalpha(static_cast<unsigned char>(name[0])) != 0;
  for (char c : name) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!valid) throw BadInput{"--wrt " + wrt + ": '" + name + "' is not a variable name"};
}

// "x10" after "x9": digit runs compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string da = a.substr(i, ei - i), db = b.substr(j, ej - j);
      da.erase(0, std::min(da.find_first_not_of('0'), da.size()));
      db.erase(0, std::min(db.find_first_not_of('0'), db.size()));
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      i = ei, j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

// The variables of --wrt as symbols of f. `wrt` empty (no --wrt): every free symbol, in natural order.
Expr choose_symbol(Expr f, const std::string& wrt);

Expr choose_component(Expr f, const std::string& wrt) {
  ParseOptions options;
  options.allow_equation = false;
  Result<Expr> v = parse(wrt, options);
  if (!v || !is_indexed_variable(*v)) {
    throw BadInput{"--wrt " + wrt + ": not a variable name or a component x[j] (j a symbol or a positive integer)"};
  }
  if (!used_as_vector(f, (*v)[0])) {
    throw BadInput{"--wrt " + wrt + ": the expression has no vector '" + (*v)[0].name() + "'"};
  }
  return *v;
}

Expr choose_symbol(Expr f, const std::string& wrt) {
  const std::vector<Expr> symbols = free_symbols(f);
  if (!wrt.empty()) {
    if (wrt == "e" || wrt == "pi") throw BadInput{"--wrt " + wrt + ": cannot differentiate with respect to a constant"};
    bool valid = std::isalpha(static_cast<unsigned char>(wrt[0])) != 0;
    for (char c : wrt) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!valid) throw BadInput{"--wrt " + wrt + ": not a variable name"};
    for (Expr s : symbols) {
      if (s.name() == wrt) return s;
    }
    throw BadInput{"--wrt " + wrt + ": the expression has no variable '" + wrt + "'"};
  }
  for (Expr s : symbols) {
    if (s.name() == "x") return s;
  }
  if (symbols.size() == 1) return symbols[0];
  if (symbols.empty()) throw BadInput{"the expression has no variable to differentiate by (give --wrt)"};
  std::string names;
  for (Expr s : symbols) names += (names.empty() ? "" : ", ") + s.name();
  throw BadInput{"more than one variable (" + names + "): say which with --wrt"};
}

}  // namespace

std::vector<Expr> resolve_variables(Expr f, const std::optional<std::string>& wrt, bool allow_repeats) {
  std::vector<Expr> symbols = free_symbols(f);
  if (!wrt) {
    if (symbols.empty()) throw BadInput{"the expression has no variable to differentiate by (give --wrt)"};
    std::sort(symbols.begin(), symbols.end(), [](Expr a, Expr b) { return natural_less(a.name(), b.name()); });
    return symbols;
  }
  std::vector<std::string> names;
  if (std::optional<std::vector<std::string>> list = split_variables(*wrt)) {
    names = *list;
  } else {
    std::string name = trim(*wrt);
    if (name.empty()) throw BadInput{"--wrt is empty: give the variables, e.g. --wrt x,y"};
    validate_name(*wrt, name);
    names.push_back(name);
  }
  std::vector<Expr> variables;
  for (const std::string& name : names) {
    const auto it = std::find_if(symbols.begin(), symbols.end(), [&](Expr s) { return s.name() == name; });
    if (it == symbols.end()) throw BadInput{"--wrt " + *wrt + ": the expression has no variable '" + name + "'"};
    if (!allow_repeats && std::find(variables.begin(), variables.end(), *it) != variables.end()) {
      throw BadInput{"--wrt " + *wrt + ": the variable '" + name + "' is repeated"};
    }
    variables.push_back(*it);
  }
  return variables;
}


// --wrt x[j]: a component of a vector x of symbolic length (indexed.hpp), j a symbol or a positive integer.
Expr choose_variable(Expr f, const std::string& wrt) {
  if (wrt.find('[') != std::string::npos) return choose_component(f, wrt);
  const Expr x = choose_symbol(f, wrt);
  if (used_as_vector(f, x)) {
    throw BadInput{"'" + x.name() + "' is a vector here: differentiate by a component, --wrt \"" + x.name() + "[j]\""};
  }
  return x;
}

std::optional<std::vector<std::string>> split_variables(const std::string& wrt) {
  if (wrt.find(',') == std::string::npos) return std::nullopt;
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    const std::size_t comma = wrt.find(',', start);
    names.push_back(trim(wrt.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    validate_name(wrt, names.back());
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

}  // namespace napier::cli
