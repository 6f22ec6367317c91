// The input syntax, row by row from tests/data/parse.tsv: every valid row's tree and plain print, every
// invalid row's message and column; parse(print(e)) == e over every valid row; Unicode and LaTeX printing
// deterministic and non-empty. The limits of the reader are tested here, outside the table, because their
// inputs are megabytes long.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/syntax.hpp"

namespace napier {
namespace {

struct Row {
  int line = 0;  // in parse.tsv, for failure messages and test names
  bool valid = true;
  std::string input;
  std::string tree, plain;  // valid rows
  int column = 0;           // invalid rows
  std::string message;
};

// Readable in failure messages: the line of the table and the input with control bytes escaped.
std::string escaped(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c >= 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void PrintTo(const Row& row, std::ostream* os) {
  *os << "parse.tsv:" << row.line << " \"" << escaped(row.input) << "\"";
}

// \t \n \r \\ \xHH; anything else after a backslash is a mistake in the table.
std::string unescape(const std::string& field, int line) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\') {
      out += field[i];
      continue;
    }
    if (i + 1 >= field.size()) throw std::runtime_error("parse.tsv:" + std::to_string(line) + ": lone backslash");
    const char c = field[++i];
    if (c == 't') out += '\t';
    else if (c == 'n') out += '\n';
    else if (c == 'r') out += '\r';
    else if (c == '\\') out += '\\';
    else if (c == 'x' && i + 2 < field.size() && std::isxdigit(static_cast<unsigned char>(field[i + 1])) &&
             std::isxdigit(static_cast<unsigned char>(field[i + 2]))) {
      out += static_cast<char>(std::stoi(field.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      throw std::runtime_error("parse.tsv:" + std::to_string(line) + ": bad escape \\" + std::string(1, c));
    }
  }
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

// The table, read once. A malformed line is a test failure (TableIsWellFormed), not a crash.
struct Table {
  std::vector<Row> rows;
  std::vector<std::string> problems;
};

const Table& table() {
  static const Table t = [] {
    Table result;
    std::ifstream in(std::string(NAPIER_TEST_DATA) + "/parse.tsv", std::ios::binary);
    if (!in) {
      result.problems.push_back("cannot open " + std::string(NAPIER_TEST_DATA) + "/parse.tsv");
      return result;
    }
    std::string line;
    bool header_seen = false;
    for (int number = 1; std::getline(in, line); ++number) {
      if (line.empty() || line[0] == '#') continue;
      if (!header_seen) {  // the first non-comment line names the columns
        header_seen = true;
        continue;
      }
      const std::vector<std::string> f = split_tabs(line);
      try {
        if (f.size() != 4 || (f[0] != "ok" && f[0] != "err")) throw std::runtime_error("expected 4 fields, kind ok|err");
        Row row;
        row.line = number;
        row.valid = f[0] == "ok";
        row.input = unescape(f[1], number);
        if (row.valid) {
          row.tree = unescape(f[2], number);
          row.plain = unescape(f[3], number);
        } else {
          row.column = std::stoi(f[2]);
          row.message = unescape(f[3], number);
        }
        result.rows.push_back(row);
      } catch (const std::exception& e) {
        result.problems.push_back("parse.tsv:" + std::to_string(number) + ": " + e.what());
      }
    }
    return result;
  }();
  return t;
}

std::vector<Row> rows(bool valid) {
  std::vector<Row> out;
  for (const Row& r : table().rows) {
    if (r.valid == valid) out.push_back(r);
  }
  return out;
}

std::string row_name(const testing::TestParamInfo<Row>& info) { return "line_" + std::to_string(info.param.line); }

TEST(ParseTable, IsWellFormedAndLargeEnough) {
  for (const std::string& p : table().problems) ADD_FAILURE() << p;
  EXPECT_GE(rows(true).size(), 150u);
  EXPECT_GE(rows(false).size(), 60u);
}

class ValidRow : public testing::TestWithParam<Row> {};
class InvalidRow : public testing::TestWithParam<Row> {};

TEST_P(ValidRow, TreeAndPlainPrint) {
  const Row& row = GetParam();
  Result<Expr> e = parse(row.input);
  ASSERT_TRUE(e.ok()) << "parse.tsv:" << row.line << ": \"" << escaped(row.input)
                      << "\" should parse, got: " << e.error().to_string();
  EXPECT_EQ(print_tree(*e), row.tree) << "parse.tsv:" << row.line << ": tree of \"" << escaped(row.input) << "\"";
  EXPECT_EQ(print(*e), row.plain) << "parse.tsv:" << row.line << ": print of \"" << escaped(row.input) << "\"";
}

// The printer's promise: the plain form reads back as the very same (hash-consed) node.
TEST_P(ValidRow, PlainPrintParsesBackToTheSameNode) {
  const Row& row = GetParam();
  Result<Expr> e = parse(row.input);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  const std::string text = print(*e);
  Result<Expr> back = parse(text);
  ASSERT_TRUE(back.ok()) << "parse.tsv:" << row.line << ": print gave \"" << text
                         << "\", which does not parse: " << back.error().to_string();
  EXPECT_TRUE(*back == *e) << "parse.tsv:" << row.line << ": \"" << escaped(row.input) << "\" prints as \"" << text
                           << "\", which reads back as " << print_tree(*back) << " instead of " << print_tree(*e);
}

TEST_P(ValidRow, UnicodeAndLatexAreDeterministicAndNonEmpty) {
  const Row& row = GetParam();
  Result<Expr> e = parse(row.input);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  for (Style style : {Style::Text, Style::Unicode, Style::Latex}) {
    const std::string first = print(*e, style);
    EXPECT_FALSE(first.empty()) << "parse.tsv:" << row.line;
    EXPECT_EQ(first.find('\n'), std::string::npos) << "parse.tsv:" << row.line << ": one line: " << first;
    EXPECT_EQ(print(*e, style), first) << "parse.tsv:" << row.line;
    // Parsing the same text again yields the same node, so it must print the same bytes.
    Result<Expr> again = parse(row.input);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(print(*again, style), first) << "parse.tsv:" << row.line;
  }
}

TEST_P(InvalidRow, MessageAndColumn) {
  const Row& row = GetParam();
  Result<Expr> e = parse(row.input);
  ASSERT_FALSE(e.ok()) << "parse.tsv:" << row.line << ": \"" << escaped(row.input)
                       << "\" should be rejected, got " << print_tree(*e);
  EXPECT_EQ(e.error().message, row.message) << "parse.tsv:" << row.line << ": \"" << escaped(row.input) << "\"";
  EXPECT_EQ(e.error().column, row.column) << "parse.tsv:" << row.line << ": \"" << escaped(row.input) << "\"";
  EXPECT_EQ(e.error().line, 0) << "single-line input has no line number";
  EXPECT_EQ(e.error().message.find('\n'), std::string::npos) << "one line";
  EXPECT_EQ(e.error().to_string(), "column " + std::to_string(row.column) + ": " + row.message);
}

// Regression (fixed): the rows of parse.tsv marked "# BUG:" fail MessageAndColumn until napier is fixed:
//   "()", "sin(x+)", "log(x,)" say "unmatched ')'" for a ')' that closes an open '(' (want "unexpected ')'");
//   "softmax()" says "takes at least 1 arguments" (want "at least 1 argument").
INSTANTIATE_TEST_SUITE_P(Table, ValidRow, testing::ValuesIn(rows(true)), row_name);
INSTANTIATE_TEST_SUITE_P(Table, InvalidRow, testing::ValuesIn(rows(false)), row_name);

// Regression (fixed): -(-u) is built as the unflattened product (-1)*((-1)*u) so that both signs stay; inside a larger
// product the outer -1 is flattened in and the inner (-1)*u is left as a factor, which prints as "(-u)" and
// reads back flattened: a*--b is (mul a -1 (mul -1 b)), printed "a*(-1)*(-b)", read back as (mul a -1 -1 b).
TEST(ParseRoundTrip, DoubleNegationInsideAProduct) {
  for (const char* input : {"a*--b", "x*(--y)", "2*-(-2x)", "exp(x)*--x^2", "a/b*--c"}) {
    Result<Expr> e = parse(input);
    ASSERT_TRUE(e.ok()) << input;
    Result<Expr> back = parse(print(*e));
    ASSERT_TRUE(back.ok()) << input;
    EXPECT_TRUE(*back == *e) << input << " is " << print_tree(*e) << ", prints as " << print(*e)
                             << ", reads back as " << print_tree(*back);
  }
}

// -(-u) keeps both signs (expr.hpp); where it stands first in a product or alone it reads back fine.
TEST(ParseRoundTrip, DoubleNegationAloneOrFirst) {
  for (const char* input : {"--x", "--x*y", "a - -b", "a/--b", "-(-2x)", "---x"}) {
    Result<Expr> e = parse(input);
    ASSERT_TRUE(e.ok()) << input;
    Result<Expr> back = parse(print(*e));
    ASSERT_TRUE(back.ok()) << input;
    EXPECT_TRUE(*back == *e) << input << " prints as " << print(*e);
  }
}

// A few Unicode and LaTeX forms, as a reader expects them (print.hpp).
TEST(PrintStyles, UnicodeAndLatexExamples) {
  const struct {
    const char* input;
    const char* unicode;
    const char* latex;
  } cases[] = {
      {"1/(1+exp(-x))", "1/(1 + exp(\u2212x))", "\\frac{1}{1 + \\exp\\left(-x\\right)}"},
      {"sigmoid(x)*(1 - sigmoid(x))", "\u03c3(x)\u00b7(1 \u2212 \u03c3(x))",
       "\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)"},
      {"x^2 + pi*sqrt(x)", "x\u00b2 + \u03c0\u00b7\u221ax", "x^{2} + \\pi \\sqrt{x}"},
      {"x_1^-2", "x_1\u207b\u00b2", "x_{1}^{-2}"},
      {"log(x, 2)", "log(x, 2)", "\\log_{2}\\left(x\\right)"},
      {"sin(x)^2", "sin(x)\u00b2", "\\sin^{2}\\left(x\\right)"},
      {"diff(x^2, x)", "d/dx(x\u00b2)", "\\frac{d}{dx}\\left(x^{2}\\right)"},
      {"2*3", "2\u00b73", "2 \\cdot 3"},
  };
  for (const auto& c : cases) {
    Result<Expr> e = parse(c.input);
    ASSERT_TRUE(e.ok()) << c.input;
    EXPECT_EQ(print(*e, Style::Unicode), c.unicode) << c.input;
    EXPECT_EQ(print(*e, Style::Latex), c.latex) << c.input;
  }
  EXPECT_EQ(print(*parse("diff(x^2, x)"), Style::Text), "d/dx(x^2)");
}

// Regression (fixed): Unicode prints (sqrt(x))^2 as "√x²", which a reader takes for sqrt(x^2) (printed
// "√(x²)"); LaTeX prints x - (-y) as "x - -y" and -(-x) as "--x", where plain text has parentheses.
TEST(PrintStyles, NoAmbiguousForms) {
  EXPECT_EQ(print(*parse("sqrt(x)^2"), Style::Unicode), "(\u221ax)\u00b2");
  EXPECT_EQ(print(*parse("x - -y"), Style::Latex), "x - \\left(-y\\right)");
  EXPECT_EQ(print(*parse("--x"), Style::Latex), "-\\left(-x\\right)");
}

TEST(ParseSharing, EqualSubtreesAreOneNode) {
  Result<Expr> a = parse("sin(x)^2 + sin(x)");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE((*a)[0][0] == (*a)[1]);
  EXPECT_TRUE(*parse("x + 1") == *parse("x+1"));
  EXPECT_TRUE(*parse("ln(x)") == *parse("log(x)"));
  EXPECT_TRUE(*parse("0.5") == *parse("1/2"));
  EXPECT_FALSE(*parse("2/4") == *parse("1/2"));
}

// The parser remembers the leaves it has read by their text: a name read as a symbol must still be a call
// where parentheses follow it, a constant stays a constant, and a number keeps its value.
TEST(ParseSharing, ALeafReadBeforeIsTheSameNodeAndNeverACall) {
  ParseOptions unknown_functions;
  unknown_functions.allow_unknown_functions = true;
  Result<Expr> f = parse("f*f(x) + f + e + e^f + 2.5 + 2.5*x", unknown_functions);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, add({mul(sym("f"), call("f", {sym("x")})), sym("f"), constant("e"), pow(constant("e"), sym("f")),
                     num(5, 2), mul(num(5, 2), sym("x"))}));
  // sin without parentheses is refused each time, even after sin(x) was read.
  Result<Expr> sin_alone = parse("sin(x) + sin");
  ASSERT_FALSE(sin_alone.ok());
  EXPECT_EQ(sin_alone.error().column, 10);
  // Many names that share cache slots: every one is its own symbol.
  std::string text;
  std::vector<Expr> terms;
  for (int i = 0; i < 2000; ++i) {
    text += (i == 0 ? "" : " + ") + std::string("v") + std::to_string(i % 700);
    terms.push_back(sym("v" + std::to_string(i % 700)));
  }
  EXPECT_EQ(*parse(text), add(terms));
}

// The parser builds drafts and interns them at the end (interner.hpp, Drafting): what it returns is the
// interned node, the one the constructors give, and a parse that fails leaves nothing half-made behind.
TEST(ParseSharing, AParsedExpressionIsTheInternedOne) {
  const Expr x = sym("x");
  const Expr built = add({mul({num(3), pow(x, num(2)), call("sin", {mul(num(3), x)})}), neg(x)});
  EXPECT_EQ(*parse("3*x^2*sin(3*x) - x"), built);
  ASSERT_FALSE(parse("3*x^2*sin(3*x").ok());
  EXPECT_EQ(mul(num(3), x), (*parse("3x")));
  EXPECT_EQ(*parse("3*x^2*sin(3*x) - x"), built);
  // A text over 64 KiB is drafted and its interning pipelined: every term is the constructors' node, and a
  // long text that fails leaves the next parse unharmed.
  std::string text;
  std::vector<Expr> terms;
  for (long k = 1; k <= 8000; ++k) {
    text += (k == 1 ? "" : " + ") + std::to_string(k) + "*x^" + std::to_string(k) + "*sin(" + std::to_string(k) + "x)";
    terms.push_back(mul({num(k), pow(x, num(k)), call("sin", {mul(num(k), x)})}));
  }
  ASSERT_GT(text.size(), std::size_t{64} << 10);
  EXPECT_EQ(*parse(text), add(terms));
  EXPECT_FALSE(parse(text + " + (").ok());
  EXPECT_EQ(*parse(text + " - x"), add({add(terms), neg(x)}));
}

// Integer literals of up to 18 digits are read without CLN; longer ones, and decimals, by CLN.
TEST(ParseSharing, IntegerLiteralsHaveTheirExactValue) {
  for (const char* digits : {"0", "007", "140737488355327", "140737488355328", "999999999999999999",
                             "1000000000000000000", "123456789012345678901234567890"}) {
    Result<Expr> e = parse(digits);
    ASSERT_TRUE(e.ok()) << digits;
    EXPECT_EQ(e->number(), cln::cl_RA(cln::cl_I(digits))) << digits;
    EXPECT_EQ(*e, num(cln::cl_RA(cln::cl_I(digits)))) << digits;
  }
  EXPECT_EQ(*parse("2.50"), num(5, 2));
}

// The lexer reads as the parser goes; a character no token may hold is still reported before a syntax
// error earlier in the text, as when the whole text was read into tokens first.
TEST(ParseErrors, ABadCharacterIsReportedBeforeAnEarlierSyntaxError) {
  Result<Expr> e = parse("x ) + $");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "unexpected character '$'");
  EXPECT_EQ(e.error().column, 7);
  e = parse("(x + 1.2.3");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "invalid number '1.2.3'");
  EXPECT_EQ(e.error().column, 6);
  e = parse("x + y $");  // the parse itself would succeed on the text before the '$'
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().column, 7);
}

// Limits (syntax.hpp): the reader refuses, with a message, rather than crash or hang.
TEST(ParseLimits, NestingDepth) {
  const int limit = kMaxNestingDepth;
  const std::string message = "nesting deeper than " + std::to_string(limit) + " levels (limit)";
  const std::string ok = std::string(limit - 1, '(') + "x" + std::string(limit - 1, ')');
  Result<Expr> e = parse(ok);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(print(*e), "x");
  const std::string deep = std::string(limit + 5, '(') + "x" + std::string(limit + 5, ')');
  Result<Expr> bad = parse(deep);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, message);
  EXPECT_EQ(bad.error().column, limit + 1);  // the first '(' beyond the limit
  Result<Expr> signs = parse(std::string(limit + 5, '-') + "x");
  ASSERT_FALSE(signs.ok());
  EXPECT_EQ(signs.error().message, message);
  Result<Expr> calls = parse([&] {
    std::string s;
    for (int i = 0; i < limit + 5; ++i) s += "sin(";
    return s + "x" + std::string(limit + 5, ')');
  }());
  ASSERT_FALSE(calls.ok());
  EXPECT_EQ(calls.error().message, message);
  // A long flat sum or product is not deep.
  std::string sum = "x";
  for (int i = 0; i < 3 * limit; ++i) sum += i % 2 ? "+x" : "*y";
  EXPECT_TRUE(parse(sum).ok());
}

// Regression (fixed): exactly kMaxNestingDepth (2000) pairs of parentheses are refused with "nesting deeper than 2000
// levels": the top level counts as a level of its own, so only 1999 pairs fit.
TEST(ParseLimits, NestingExactlyAtTheLimitIsAccepted) {
  const int limit = kMaxNestingDepth;
  Result<Expr> e = parse(std::string(limit, '(') + "x" + std::string(limit, ')'));
  EXPECT_TRUE(e.ok()) << e.error().to_string();
}

TEST(ParseLimits, NumberLength) {
  const std::string longest(kMaxNumberDigits, '7');
  Result<Expr> e = parse(longest);
  ASSERT_TRUE(e.ok()) << e.error().to_string();
  EXPECT_EQ(print(*e), longest);
  EXPECT_TRUE(parse("0." + std::string(kMaxNumberDigits - 1, '5')).ok());
  Result<Expr> bad = parse("x + " + longest + "7");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "number longer than " + std::to_string(kMaxNumberDigits) + " digits (limit)");
  EXPECT_EQ(bad.error().column, 5);
}

TEST(ParseLimits, InputLength) {
  std::string text = "x";
  while (text.size() <= kMaxInputBytes) text += " ";
  Result<Expr> bad = parse(text);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "input longer than " + std::to_string(kMaxInputBytes) + " bytes (limit)");
  EXPECT_EQ(bad.error().column, 0);
  EXPECT_EQ(bad.error().to_string(), bad.error().message);  // no column to name
  text.resize(kMaxInputBytes);
  EXPECT_TRUE(parse(text).ok());
}

// A program may raise the limit for inputs it trusts, up to what a token can address, and lower it.
TEST(ParseLimits, InputLengthCanBeRaisedToTheCeilingAndLowered) {
  ParseOptions raised;
  raised.max_input_bytes = kMaxInputBytes + 100;
  std::string text = "x" + std::string(kMaxInputBytes + 50, ' ') + "+ y";
  Result<Expr> e = parse(text, raised);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, add(sym("x"), sym("y")));
  EXPECT_FALSE(parse(text).ok());
  ParseOptions lowered;
  lowered.max_input_bytes = 3;
  EXPECT_TRUE(parse("x+y", lowered).ok());
  EXPECT_EQ(parse("x + y", lowered).error().message, "input longer than 3 bytes (limit)");
  ParseOptions beyond;
  beyond.max_input_bytes = kMaxInputBytesCeiling * 4;
  std::string huge(kMaxInputBytesCeiling + 1, ' ');
  EXPECT_EQ(parse(huge, beyond).error().message,
            "input longer than " + std::to_string(kMaxInputBytesCeiling) + " bytes (limit)");
}

TEST(ParseOptionsTest, EquationsCanBeRefused) {
  ParseOptions options;
  options.allow_equation = false;
  EXPECT_TRUE(parse("x + 1", options).ok());
  Result<Expr> e = parse("x = 1", options);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().column, 3);
}

// Regression (fixed): where equations are refused (napier diff "x = 1", --at "x=1=2"), the message says "'=' may appear
// only once, at the top level", which is false of "x = 1": it appears once, at the top level.
TEST(ParseOptionsTest, RefusedEquationIsNotCalledASecondEquals) {
  ParseOptions options;
  options.allow_equation = false;
  Result<Expr> e = parse("x = 1", options);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message.find("only once"), std::string::npos) << e.error().message;
}

// Textbook notation (issue 20, item 4). A run of superscript digits, with at most one leading ⁻, is read as
// a power with that integer exponent, binding as ^ does (src/parse_hints.hpp).
TEST(ParseTextbook, SuperscriptsArePowers) {
  const struct {
    const char* superscript;
    const char* caret;
  } same[] = {
      {"x²", "x^2"},
      {"x³", "x^3"},
      {"x¹", "x^1"},
      {"x⁰", "x^0"},
      {"(x+1)²", "(x+1)^2"},
      {"x⁻¹", "x^-1"},
      {"x⁻²", "x^-2"},
      {"x¹⁰", "x^10"},
      {"x⁴⁵⁶⁷⁸⁹", "x^456789"},
      {"x²³", "x^23"},
      {"x ²", "x^2"},
      {"2²", "2^2"},
      {"2x²", "2x^2"},
      {"-x²", "-x^2"},
      {"1/x²", "1/x^2"},
      {"x^y²", "x^(y^2)"},
      {"x²^3", "(x^2)^3"},
      {"x²y", "x^2*y"},
      {"2²x", "2^2*x"},
      {"x²(x+1)", "x^2*(x+1)"},
      {"x² sin(x)", "x^2*sin(x)"},
      {"sin(x)²", "sin(x)^2"},
      {"x_1⁻²", "x_1^-2"},
      {"e^x²", "e^(x^2)"},
      {"x[1]²", "x[1]^2"},
      {"x² + y² = 1", "x^2 + y^2 = 1"},
      {"2·x", "2*x"},
      {"a×b×c", "a*b*c"},
      {"x·y²", "x*y^2"},
      {"x−y", "x-y"},
      {"−x", "-x"},
      {"x − −y", "x - -y"},
      {"−1/2", "-1/2"},
      {"x·(y − 1)", "x*(y - 1)"},
  };
  for (const auto& c : same) {
    Result<Expr> a = parse(c.superscript), b = parse(c.caret);
    ASSERT_TRUE(a.ok()) << c.superscript << ": " << a.error().to_string();
    ASSERT_TRUE(b.ok()) << c.caret << ": " << b.error().to_string();
    EXPECT_EQ(*a, *b) << c.superscript << " reads as " << print_tree(*a) << ", " << c.caret << " as "
                      << print_tree(*b);
  }
  EXPECT_EQ(*parse("x²"), pow(sym("x"), num(2)));
  EXPECT_EQ(*parse("x⁻¹"), pow(sym("x"), num(-1)));
  EXPECT_EQ(*parse("−1/2"), num(-1, 2));  // a literal, as -1/2 is
}

// What --format unicode prints of an expression of powers, products and differences reads back as it.
TEST(ParseTextbook, UnicodePrintOfPolynomialsReadsBack) {
  for (const char* input :
       {"x^2 - 2*x*y + y^2", "(x + 1)^3*(x - 1)^-2", "a*b - c^10", "-x^2*y^3", "x_1^-2 - 3"}) {
    const Expr e = *parse(input);
    const std::string unicode = print(e, Style::Unicode);
    Result<Expr> back = parse(unicode);
    ASSERT_TRUE(back.ok()) << input << " printed " << unicode << ": " << back.error().to_string();
    EXPECT_EQ(*back, e) << input << " printed " << unicode << " reads back as " << print_tree(*back);
  }
}

TEST(ParseTextbook, SuperscriptsThatAreNotAnExponent) {
  const struct {
    const char* input;
    int column;
    const char* message;
  } bad[] = {
      {"²x", 1, "superscript '²' has nothing before it to raise: write x² or x^2"},
      {"1 + ⁻¹", 5, "superscript '⁻¹' has nothing before it to raise: write x⁻¹ or x^-1"},
      {"(²)", 2, "superscript '²' has nothing before it to raise: write x² or x^2"},
      {"x⁻", 2, "superscript '⁻' is not a whole-number exponent (x⁻¹ is x^-1); write other powers with ^"},
      {"x²⁻¹", 2,
       "superscript '²⁻¹' is not a whole-number exponent (x⁻¹ is x^-1); write other powers with ^"},
      {"x⁻⁻¹", 2,
       "superscript '⁻⁻¹' is not a whole-number exponent (x⁻¹ is x^-1); write other powers with ^"},
      // Columns count bytes: ² is two.
      {"x² + $", 7, "unexpected character '$'"},
      {"x² y²)", 8, "unmatched ')'"},
      // Other non-ASCII characters, and cut-short sequences, are still refused by their first byte.
      {"xⁿ", 2, "non-ASCII character (byte 0xE2)"},
      {"x ÷ y", 3, "non-ASCII character (byte 0xC3)"},
      {"x\xC2", 2, "non-ASCII character (byte 0xC2)"},
      {"x\xE2\x81", 2, "non-ASCII character (byte 0xE2)"},
      {"x\xE2\x88", 2, "non-ASCII character (byte 0xE2)"},
      {"x ⁺¹", 3, "non-ASCII character (byte 0xE2)"},
      {"x²\ny", 5,
       "line 2: a second expression after a line break (napier reads one expression; write * to multiply)"},
  };
  for (const auto& c : bad) {
    Result<Expr> e = parse(c.input);
    ASSERT_FALSE(e.ok()) << c.input << " parsed as " << print_tree(*e);
    EXPECT_EQ(e.error().message, c.message) << c.input;
    EXPECT_EQ(e.error().column, c.column) << c.input;
  }
  std::string long_exponent = "x";
  for (std::size_t i = 0; i <= kMaxNumberDigits; ++i) long_exponent += "²";
  EXPECT_EQ(parse(long_exponent).error().to_string(),
            "column 2: number longer than " + std::to_string(kMaxNumberDigits) + " digits (limit)");
}

// arcsin, arccos, arctan are asin, acos, atan; the arc- and ar- names of the inverse hyperbolic functions
// are asinh, acosh, atanh, whichever of those the table has.
TEST(ParseTextbook, ArcNamesAreAliases) {
  EXPECT_EQ(*parse("arcsin(x)"), *parse("asin(x)"));
  EXPECT_EQ(*parse("arccos(x)"), *parse("acos(x)"));
  EXPECT_EQ(*parse("arctan(x)"), *parse("atan(x)"));
  EXPECT_EQ(*parse("arctan(x)"), call("atan", {sym("x")}));
  EXPECT_EQ(print(*parse("arcsin(x) + arccos(x)*arctan(x)")), "asin(x) + acos(x)*atan(x)");
  const struct {
    const char* alias;
    const char* name;
  } aliases[] = {{"ln", "log"},        {"arcsin", "asin"},   {"arccos", "acos"},   {"arctan", "atan"},
                 {"arcsinh", "asinh"}, {"arccosh", "acosh"}, {"arctanh", "atanh"}, {"arsinh", "asinh"},
                 {"arcosh", "acosh"},  {"artanh", "atanh"}};
  for (const auto& a : aliases) {
    EXPECT_EQ(FunctionTable::canonical_name(a.alias), a.name);
    const std::string call_text = std::string(a.alias) + "(x)";
    Result<Expr> e = parse(call_text);
    if (FunctionTable::builtin().find(a.name) != nullptr) {
      ASSERT_TRUE(e.ok()) << call_text << ": " << e.error().to_string();
      EXPECT_EQ(*e, *parse(std::string(a.name) + "(x)")) << call_text;
    } else {  // the error names the spelling written
      ASSERT_FALSE(e.ok()) << call_text;
      EXPECT_EQ(e.error().to_string(), "column 1: unknown function '" + std::string(a.alias) + "'");
    }
  }
  for (const char* name : {"asin", "sin", "a", "l", "lnx", "arc", "arcsinx", "arcsec", "x"}) {
    EXPECT_EQ(FunctionTable::canonical_name(name), name);
  }
  // Like ln, an alias of a function is not a variable; names that are no alias still are.
  EXPECT_EQ(parse("arcsin + 1").error().to_string(),
            "column 1: function 'arcsin' needs its arguments in parentheses");
  EXPECT_EQ(*parse("arcsinx + arc*ar"), add(sym("arcsinx"), mul(sym("arc"), sym("ar"))));
}

// A function name followed by its operand without parentheses: the message writes the call out when the
// operand is one name or number (with a '-' written against it) and nothing after it binds tighter.
TEST(ParseTextbook, AFunctionWithoutParenthesesSaysWhatToWrite) {
  const struct {
    const char* input;
    const char* name;
    int column;
    const char* hint;  // after "function 'F' needs its arguments in parentheses"
  } cases[] = {
      {"sin x", "sin", 1, ": write sin(x)"},
      {"log 2", "log", 1, ": write log(2)"},
      {"ln 2.5", "ln", 1, ": write ln(2.5)"},
      {"exp -x", "exp", 1, ": write exp(-x)"},
      {"exp −x", "exp", 1, ": write exp(−x)"},
      {"sin x + 1", "sin", 1, ": write sin(x)"},
      {"2 + cos y*y", "cos", 5, ": write cos(y)"},
      {"(tan t)", "tan", 2, ": write tan(t)"},
      {"sqrt pi", "sqrt", 1, ": write sqrt(pi)"},
      {"arcsin x", "arcsin", 1, ": write arcsin(x)"},
      {"softmax x", "softmax", 1, ": write softmax(x)"},
      {"sin x_1, y", "sin", 1, ": write sin(x_1)"},
      // Where the operand is not that plain, the message says only that parentheses are needed.
      {"sin", "sin", 1, ""},
      {"sin + 1", "sin", 1, ""},
      {"exp - x", "exp", 1, ""},
      {"exp-x", "exp", 1, ""},
      {"exp -x^2", "exp", 1, ""},
      {"sin 2x", "sin", 1, ""},
      {"sin x^2", "sin", 1, ""},
      {"sin x²", "sin", 1, ""},
      {"sin x(y)", "sin", 1, ""},
      {"sin cos x", "sin", 1, ""},
      {"sin cos", "sin", 1, ""},
      {"sin²(x)", "sin", 1, ""},
      {"sin\nx", "sin", 1, ""},
      {"diff x", "diff", 1, ""},
      {"sum k", "sum", 1, ""},
      {"2 exp", "exp", 3, ""},
      {"sin(x) + sin", "sin", 10, ""},
  };
  for (const auto& c : cases) {
    Result<Expr> e = parse(c.input);
    ASSERT_FALSE(e.ok()) << c.input << " parsed as " << print_tree(*e);
    EXPECT_EQ(e.error().message,
              std::string("function '") + c.name + "' needs its arguments in parentheses" + c.hint)
        << c.input;
    EXPECT_EQ(e.error().column, c.column) << c.input;
  }
  // A pattern variable (in a rule file) is an operand too.
  ParseOptions patterns;
  patterns.allow_pattern_variables = true;
  EXPECT_EQ(parse("sin ?u", patterns).error().message,
            "function 'sin' needs its arguments in parentheses: write sin(?u)");
  // Two names side by side where the first is no function are what they were.
  EXPECT_EQ(parse("x y").error().to_string(), "column 3: missing operator before 'y'");
  EXPECT_EQ(parse("sinx y").error().to_string(), "column 6: missing operator before 'y'");
}

}  // namespace
}  // namespace napier
