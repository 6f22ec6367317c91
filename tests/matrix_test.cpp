// Many variables: napier grad, jacobian, hessian and diff --wrt x,y (the mixed partial). Every entry the
// program prints is parsed back (the input syntax is re-parsable), compared with the library's own
// differentiate(), and checked against GiNaC's derivative of the input; Hessians are symmetric (the lower
// triangle derived independently and proved equal to the upper), softmax Jacobian rows sum to zero, and bad
// input is one line on stderr with exit code 2. Rows: tests/data/multivariable.tsv.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "napier/check.hpp"
#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/rules.hpp"
#include "support/run_napier.hpp"

namespace {

using napier::Expr;
using Json = nlohmann::json;

using napier::testing::Ran;
using napier::testing::run_napier;

const napier::RuleSet& rules() { return napier::testing::shipped_rules(); }

napier::CheckOptions check_options() {
  napier::CheckOptions options;
  options.expand_definitions = [](Expr e) { return rules().expand_user_definitions(e); };
  return options;
}

Expr parse_text(const std::string& text) {
  napier::ParseOptions options;
  options.functions = &rules().functions();
  options.allow_equation = false;
  napier::Result<Expr> e = napier::parse(text, options);
  if (!e) throw std::runtime_error("cannot parse '" + text + "': " + e.error().to_string());
  return *e;
}

Expr derived(Expr f, Expr x) {
  napier::DiffOptions options;
  options.record_steps = false;
  return napier::differentiate(f, x, rules(), options).result;
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + sep.size()) {
    parts.push_back(s.substr(start, at - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::vector<Expr> symbols_of(const std::string& wrt) {
  std::vector<Expr> vars;
  for (const std::string& name : split(wrt, ",")) vars.push_back(napier::sym(name));
  return vars;
}

// A list's items, or softmax(x1..xn)'s components softmax(...)[i].
std::vector<Expr> components(Expr v) {
  if (v.is(napier::Kind::Vector)) return {v.args().begin(), v.args().end()};
  std::vector<Expr> out;
  for (std::size_t i = 1; i <= v.size(); ++i) out.push_back(napier::index(v, napier::num(static_cast<long>(i))));
  return out;
}

// `entry` (as printed) parses back, is what the library derives, and is GiNaC's derivative `target`.
void expect_entry(const std::string& where, const std::string& entry, Expr library, Expr target) {
  const Expr e = parse_text(entry);
  EXPECT_EQ(napier::print(e), entry) << where << ": not printed in the input syntax";
  EXPECT_EQ(e, library) << where << ": the program says " << entry << ", the library " << napier::print(library);
  const napier::CheckResult c = napier::check_equal(e, target, check_options());
  EXPECT_TRUE(c.holds) << where << ": " << entry << " is not " << napier::print(target) << ": "
                       << napier::describe(c, e, target);
}

struct Row {
  int line = 0;
  std::string command, expr, wrt, expected;
};

std::vector<Row> load_rows() {
  std::ifstream in(std::string(NAPIER_TEST_DATA) + "/multivariable.tsv");
  std::vector<Row> rows;
  std::string text;
  for (int line = 1; std::getline(in, text); ++line) {
    if (text.empty() || text[0] == '#') continue;
    const std::vector<std::string> f = split(text, "\t");
    if (f.size() < 3) throw std::runtime_error("multivariable.tsv:" + std::to_string(line) + ": 3 columns needed");
    rows.push_back({line, f[0], f[1], f[2], f.size() > 3 ? f[3] : ""});
  }
  return rows;
}

class Multivariable : public ::testing::TestWithParam<Row> {};

TEST_P(Multivariable, EveryEntryAgreesWithGinac) {
  const Row& row = GetParam();
  const std::string where = "multivariable.tsv:" + std::to_string(row.line);
  const Ran r = run_napier({row.command, row.expr, "--wrt", row.wrt, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << where << "\n" << r.err;
  const Json out = Json::parse(r.out);
  const Expr f = parse_text(row.expr);
  const std::vector<Expr> vars = symbols_of(row.wrt);
  std::vector<std::string> printed;  // row-major
  if (row.command == "grad") {
    ASSERT_EQ(out["gradient"].size(), vars.size()) << where;
    for (std::size_t j = 0; j < vars.size(); ++j) {
      const std::string entry = out["gradient"][j];
      printed.push_back(entry);
      expect_entry(where + " grad[" + std::to_string(j + 1) + "]", entry, derived(f, vars[j]),
                   napier::derivative(f, vars[j]));
    }
  } else if (row.command == "jacobian") {
    const std::vector<Expr> rows_of = components(f);
    ASSERT_EQ(out["matrix"].size(), rows_of.size()) << where;
    for (std::size_t i = 0; i < rows_of.size(); ++i) {
      ASSERT_EQ(out["matrix"][i].size(), vars.size()) << where;
      for (std::size_t j = 0; j < vars.size(); ++j) {
        const std::string entry = out["matrix"][i][j];
        printed.push_back(entry);
        const napier::CheckResult c = napier::check_derivative(rows_of[i], vars[j], parse_text(entry), check_options());
        EXPECT_TRUE(c.holds) << where << " J[" << i + 1 << "][" << j + 1 << "] = " << entry;
        expect_entry(where + " J[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]", entry,
                     derived(rows_of[i], vars[j]), napier::derivative(rows_of[i], vars[j]));
      }
    }
  } else if (row.command == "hessian") {
    const std::size_t n = vars.size();
    ASSERT_EQ(out["matrix"].size(), n) << where;
    for (std::size_t i = 0; i < n; ++i) {
      const Expr g = derived(f, vars[i]);
      for (std::size_t j = 0; j < n; ++j) {
        const std::string entry = out["matrix"][i][j];
        printed.push_back(entry);
        const std::string name = where + " H[" + std::to_string(i + 1) + "][" + std::to_string(j + 1) + "]";
        const Expr target = napier::derivative(napier::derivative(f, vars[i]), vars[j]);
        if (j >= i) {
          expect_entry(name, entry, derived(g, vars[j]), target);
        } else {
          // The lower triangle is named after the upper; derived on its own it must be proved equal to it.
          EXPECT_EQ(entry, out["matrix"][j][i]) << name;
          expect_entry(name, entry, parse_text(out["matrix"][j][i]), target);
          const Expr upper = parse_text(out["matrix"][j][i]);
          const napier::CheckResult sym = napier::check_equal(derived(g, vars[j]), upper, check_options());
          EXPECT_TRUE(sym.holds) << name << ": not symmetric";
        }
      }
    }
  } else if (row.command == "diff") {
    Expr library = f, target = f;
    for (Expr x : vars) {
      library = derived(library, x);
      target = napier::derivative(target, x);
    }
    EXPECT_EQ(out["wrt"], row.wrt) << where;
    EXPECT_EQ(out["variables"].size(), vars.size()) << where;
    printed.push_back(out["result"]);
    expect_entry(where + " mixed partial", out["result"], library, target);
  } else {
    FAIL() << where << ": unknown command " << row.command;
  }
  EXPECT_EQ(out["check"]["ginac"], true) << where;
  if (!row.expected.empty()) {
    std::string joined;
    for (const std::string& p : printed) joined += (joined.empty() ? "" : " ; ") + p;
    EXPECT_EQ(joined, row.expected) << where;
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, Multivariable, ::testing::ValuesIn(load_rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.command + "_line" + std::to_string(info.param.line);
                         });

TEST(MultivariableData, HasAtLeastFiftyRowsOfEveryKind) {
  const std::vector<Row> rows = load_rows();
  EXPECT_GE(rows.size(), 50u);
  for (const std::string kind : {"grad", "jacobian", "hessian", "diff"}) {
    EXPECT_GE(std::count_if(rows.begin(), rows.end(), [&](const Row& r) { return r.command == kind; }), 5) << kind;
  }
}

TEST(Jacobian, SoftmaxJsonIsTheContractShapeWithFoldedEntries) {
  const Ran r = run_napier({"jacobian", "softmax(x1,x2,x3)", "--wrt", "x1,x2,x3", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  const Json out = Json::parse(r.out);
  EXPECT_EQ(out["input"], "softmax(x1,x2,x3)");
  EXPECT_EQ(out["wrt"], Json({"x1", "x2", "x3"}));
  ASSERT_TRUE(out["matrix"].is_array());
  ASSERT_EQ(out["matrix"].size(), 3u);
  const std::string s = "softmax(x1, x2, x3)";
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(out["matrix"][i].size(), 3u);
    for (int j = 0; j < 3; ++j) {
      const std::string entry = out["matrix"][i][j];
      const std::string si = s + "[" + std::to_string(i + 1) + "]", sj = s + "[" + std::to_string(j + 1) + "]";
      if (i == j) {
        EXPECT_EQ(entry, si + "*(1 - " + si + ")");
      } else {
        EXPECT_TRUE(entry == "-" + si + "*" + sj || entry == "-" + sj + "*" + si) << entry;
      }
      EXPECT_EQ(out["check"]["entries"][i][j], "proved");
    }
  }
  EXPECT_EQ(out["check"]["ginac"], true);
  EXPECT_EQ(out["check"]["proved"], 9);
}

TEST(Jacobian, SoftmaxRowsSumToZero) {
  for (const std::string input : {"softmax(x1, x2)", "softmax(x1, x2, x3)", "softmax(x1, x2, x3, x4)"}) {
    const Expr v = parse_text(input);
    const Ran r = run_napier({"jacobian", input, "--format", "json"});  // no --wrt: every variable, in order
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Json out = Json::parse(r.out);
    EXPECT_EQ(out["wrt"].size(), v.size()) << input;
    for (const Json& row : out["matrix"]) {
      std::vector<Expr> terms;
      for (const Json& entry : row) terms.push_back(parse_text(entry));
      const Expr sum = napier::add(terms);
      EXPECT_TRUE(napier::check_equal(sum, napier::num(0), check_options()).holds) << napier::print(sum);
    }
  }
}

TEST(Hessian, StepsNameTheSymmetricEntriesInsteadOfDerivingThem) {
  const Ran r = run_napier({"hessian", "x^2*y^3", "--wrt", "x,y", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("H[2][1] = H[1][2] (symmetry of mixed partials)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("H[2][1]:"), std::string::npos) << r.out;  // not derived
  for (const char* derived_entry : {"grad[1]:", "grad[2]:", "H[1][1] = d/dx(grad[1]):", "H[1][2] = d/dy(grad[1]):",
                                    "H[2][2] = d/dy(grad[2]):"}) {
    EXPECT_NE(r.out.find(derived_entry), std::string::npos) << derived_entry << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("Result:\n[2*y^3,   6*x*y^2]\n[6*x*y^2, 6*x^2*y]\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("GiNaC agrees on every entry: 4 proved symbolically\n"), std::string::npos) << r.out;
}

TEST(Hessian, ThreeVariablesNameEveryLowerEntry) {
  const Ran r = run_napier({"hessian", "x*y*z", "--steps", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json out = Json::parse(r.out);
  int named = 0;
  for (const Json& s : out["steps"]) {
    if (s.contains("same_as") && s["reason"] == "symmetry of mixed partials") ++named;
  }
  EXPECT_EQ(named, 3);  // H[2][1], H[3][1], H[3][2]
  EXPECT_EQ(out["matrix"], Json::parse(R"([["0","z","y"],["z","0","x"],["y","x","0"]])"));
}

TEST(Jacobian, RepeatedDerivativesAreNamedNotRederived) {
  const Ran r = run_napier({"jacobian", "[x*y, x*y, x + y]", "--wrt", "x,y", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("J[2][1] = J[1][1] (the same derivative)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("J[2][2] = J[1][2] (the same derivative)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Result:\n[y, x]\n[y, x]\n[1, 1]\n"), std::string::npos) << r.out;
}

TEST(Grad, TextIsOneReparsableList) {
  const Ran r = run_napier({"grad", "log(exp(x1) + exp(x2) + exp(x3))", "--wrt", "x1,x2,x3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "[softmax(x1, x2, x3)[1], softmax(x1, x2, x3)[2], softmax(x1, x2, x3)[3]]\n");
  EXPECT_TRUE(parse_text(r.out.substr(0, r.out.size() - 1)).is(napier::Kind::Vector));
}

TEST(Matrix, LatexIsAPmatrix) {
  Ran r = run_napier({"hessian", "x^2*y^3", "--wrt", "x,y", "--format", "latex"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "\\begin{pmatrix}\n  2 y^{3} & 6 x y^{2} \\\\\n  6 x y^{2} & 6 x^{2} y \\\\\n\\end{pmatrix}\n");
  r = run_napier({"grad", "x^2 + y^2", "--format", "latex"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "\\begin{pmatrix}\n  2 x \\\\\n  2 y \\\\\n\\end{pmatrix}\n");
  r = run_napier({"jacobian", "softmax(x1,x2)", "--format", "latex", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("J &= \\begin{pmatrix}"), std::string::npos) << r.out;
  // KaTeX renders align* and pmatrix; it refuses \noindent, and \[ \] is no environment of an align block.
  EXPECT_EQ(r.out.find("\\noindent"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\\["), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\begin{align*}"), std::string::npos) << r.out;
}

TEST(MixedPartial, CommaListDifferentiatesInTurn) {
  Ran r = run_napier({"diff", "x^2*y^3", "--wrt", "x,y"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "6*x*y^2\n");
  r = run_napier({"diff", "exp(x*y)", "--wrt", "x, y", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json out = Json::parse(r.out);
  EXPECT_EQ(out["wrt"], "x,y");
  EXPECT_EQ(out["variables"], Json({"x", "y"}));
  EXPECT_EQ(out["partials"].size(), 2u);
  EXPECT_EQ(out["partials"][1], out["result"]);
  EXPECT_EQ(out["check"]["ginac"], true);
  r = run_napier({"diff", "exp(x*y)", "--wrt", "x,y", "--steps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("With respect to x:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("With respect to y:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Result: (x*y + 1)*exp(x*y)\nGiNaC agrees: proved symbolically"), std::string::npos) << r.out;
  r = run_napier({"diff", "exp(x*y)", "--wrt", "x,y", "--at", "x=1", "--at", "y=0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "(x*y + 1)*exp(x*y)\n1\n");
}

int line_count(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(MatrixErrors, BadInputIsOneLineAndExitTwo) {
  std::vector<std::vector<std::string>> cases = {
      {"jacobian", "softmax(x1,x2)", "--wrt", "x1,x1"},    // repeated
      {"grad", "x*y", "--wrt", "x,y,x"},                    // repeated
      {"hessian", "x*y", "--wrt", "y,y"},                   // repeated
      {"jacobian", "[x*y, x]", "--wrt", "x,z"},             // unknown
      {"grad", "x*y", "--wrt", "w"},                        // unknown
      {"hessian", "x^2", "--wrt", "x,y"},                   // unknown
      {"jacobian", "x*y", "--wrt", "x,y"},                  // not a vector
      {"jacobian", "sigmoid(x)", "--wrt", "x"},             // not a vector
      {"jacobian", "[x*y, x]", "--wrt", ""},                // empty
      {"grad", "x*y", "--wrt", " "},                        // empty
      {"hessian", "x*y", "--wrt", ","},                     // empty names
      {"grad", "x*y", "--wrt", "x,,y"},                     // an empty name
      {"grad", "x*y", "--wrt", "x,2y"},                     // not a name
      {"grad", "x*pi", "--wrt", "x,pi"},                    // a constant
      {"grad", "[x, y]", "--wrt", "x,y"},                   // a vector to grad
      {"hessian", "softmax(x, y)", "--wrt", "x,y"},         // a vector to hessian
      {"grad", "1 + softmax(x, y)", "--wrt", "x"},          // a vector inside
      {"jacobian", "[[x], [y]]", "--wrt", "x,y"},           // nested lists
      {"jacobian", "[x*y, x", "--wrt", "x,y"},              // syntax
      {"grad", "5", "--format", "json"},                    // no variable
      {"jacobian", "[x, y]", "--format", "html"},           // unknown format
      {"diff", "x*y", "--wrt", "x,,y"},                     // mixed partial: an empty name
      {"diff", "x*y", "--wrt", "x,z"},                      // mixed partial: unknown
      {"diff", "x*y", "--wrt", "x,y", "--order", "2"},      // mixed partial with --order
  };
  std::string many = "softmax(x1";  // 33 x 33 entries: above the limit
  for (int i = 2; i <= 33; ++i) many += ", x" + std::to_string(i);
  cases.push_back({"jacobian", many + ")"});
  for (const std::vector<std::string>& args : cases) {
    std::string context;
    for (const std::string& a : args) context += "'" + a + "' ";
    const Ran r = run_napier(args);
    EXPECT_EQ(r.exit_code, 2) << context << "\n" << r.err;
    EXPECT_EQ(line_count(r.err), 1) << context << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << context << "\n" << r.out;
  }
}

TEST(MatrixErrors, MessagesNameTheFault) {
  Ran r = run_napier({"jacobian", "softmax(x1,x2)", "--wrt", "x1,x1"});
  EXPECT_EQ(r.err, "napier: error: --wrt x1,x1: the variable 'x1' is repeated\n");
  r = run_napier({"grad", "x*y", "--wrt", "x,z"});
  EXPECT_EQ(r.err, "napier: error: --wrt x,z: the expression has no variable 'z'\n");
  r = run_napier({"jacobian", "x*y", "--wrt", "x,y"});
  EXPECT_NE(r.err.find("jacobian needs a vector"), std::string::npos) << r.err;
  r = run_napier({"hessian", "x*y", "--wrt", ""});
  EXPECT_NE(r.err.find("--wrt is empty"), std::string::npos) << r.err;
}

}  // namespace
