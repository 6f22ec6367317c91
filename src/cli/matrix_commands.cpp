#include "matrix_commands.hpp"

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "napier/print.hpp"
#include "napier/print_document.hpp"
#include "napier/verify.hpp"
#include "variables.hpp"

namespace napier::cli {
namespace {

using Json = nlohmann::ordered_json;

Style entry_style(Format format) {
  return format == Format::Unicode ? Style::Unicode : format == Format::Latex ? Style::Latex : Style::Plain;
}

// The printed width: code points, not bytes (σ, ·, ² are one column each).
std::size_t columns(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

const MatrixEntry& at(const MatrixExplanation& o, std::size_t i) { return o.entries[i]; }

std::string matrix_text(const MatrixExplanation& o, Style style) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : o.matrix) {
    cells.emplace_back();
    for (std::size_t i : row) cells.back().push_back(print(at(o, i).value, style));
  }
  std::string out;
  if (o.kind == MatrixKind::Gradient) {
    out = "[";
    for (std::size_t j = 0; j < cells[0].size(); ++j) out += (j ? ", " : "") + cells[0][j];
    return out + "]\n";
  }
  std::vector<std::size_t> width(cells.empty() ? 0 : cells[0].size(), 0);
  for (const auto& row : cells) {
    for (std::size_t j = 0; j < row.size(); ++j) width[j] = std::max(width[j], columns(row[j]));
  }
  for (const auto& row : cells) {
    out += "[";
    for (std::size_t j = 0; j < row.size(); ++j) {
      out += row[j];
      if (j + 1 < row.size()) out.append(1, ',').append(width[j] - columns(row[j]) + 1, ' ');
    }
    out += "]\n";
  }
  return out;
}

std::string matrix_latex(const MatrixExplanation& o) {
  std::string out = "\\begin{pmatrix}\n";
  const bool column = o.kind == MatrixKind::Gradient;
  for (const auto& row : o.matrix) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      out += (column || j == 0 ? "  " : " & ") + print(at(o, row[j]).value, Style::Latex);
      if (column) out += " \\\\\n";
    }
    if (!column) out += " \\\\\n";
  }
  return out + "\\end{pmatrix}\n";
}

std::string verdict_line(const MatrixVerdict& v) {
  if (!v.holds) return "GiNaC DISAGREES on " + v.first_refuted;
  std::string line = "GiNaC agrees on every entry: " + std::to_string(v.proved) + " proved symbolically";
  if (v.numeric) line += ", " + std::to_string(v.numeric) + " numerically (at 50 and 200 digits)";
  if (v.undecided) line += ", " + std::to_string(v.undecided) + " undecided";
  return line;
}

const char* command_name(MatrixKind kind) {
  return kind == MatrixKind::Gradient ? "grad" : kind == MatrixKind::Jacobian ? "jacobian" : "hessian";
}

Json outcome_json(const MatrixExplanation& o, const MatrixArgs& args) {
  Json out;
  out["command"] = command_name(o.kind);
  out["input"] = args.text;
  out["wrt"] = Json::array();
  for (Expr x : o.variables) out["wrt"].push_back(x.name());
  Json matrix = Json::array(), hows = Json::array();
  for (const auto& row : o.matrix) {
    Json r = Json::array(), h = Json::array();
    for (std::size_t i : row) {
      r.push_back(print(at(o, i).value, Style::Plain));
      h.push_back(how_name(at(o, i).check.how));
    }
    matrix.push_back(r);
    hows.push_back(h);
  }
  if (o.kind == MatrixKind::Gradient) {
    out["gradient"] = matrix[0];
    hows = hows[0];
  } else {
    out["matrix"] = matrix;
  }
  if (args.steps) {
    out["schema"] = "napier-derivation/1";
    Json document = document_json(o.document);
    out["document"] = std::move(document["document"]);
    out["lines"] = std::move(document["steps"]);  // the lines the document's blocks name by index
    Json list = Json::array();
    for (const MatrixEntry& e : o.entries) {
      Json item;
      item["entry"] = e.name;
      if (!e.about.empty()) item["of"] = e.about;
      item["result"] = print(e.value, Style::Plain);
      if (e.derivation) {
        item["steps"] = steps_json(*e.derivation);
      } else if (e.by_case) {
        item["case"] = e.reason;
      } else {
        item["same_as"] = e.same_as;
        item["reason"] = e.reason;
      }
      list.push_back(item);
    }
    out["steps"] = list;
  }
  const MatrixVerdict& v = o.verdict;
  out["check"] = {{"ginac", v.holds}, {"how", how_name(v.how)}, {"proved", v.proved}, {"numeric", v.numeric},
                  {"undecided", v.undecided}, {"entries", hows}};
  return out;
}

void print_outcome(const MatrixExplanation& o, const MatrixArgs& args, const LetBindings& lets) {
  const std::string head = o.kind == MatrixKind::Gradient ? "\\nabla f" : o.symbol;
  switch (args.format) {
    case Format::Json: {
      Json out = outcome_json(o, args);
      if (!lets.empty()) out["let"] = let_json(lets);
      if (o.matrix_form) out["matrix_form"] = *o.matrix_form;
      write(out.dump(2) + "\n");
      return;
    }
    case Format::Markdown:
      write((args.steps ? print_document_markdown(o.document) : std::string()) + "$$\n" + head + " = " +
            matrix_latex(o) + "$$\n\n*" + verdict_line(o.verdict) + "*\n");
      return;
    case Format::Latex:
      if (args.steps) {
        write(print_document_latex(o.document) + "\\begin{align*}\n" + head + " &= " + matrix_latex(o) +
              "\\end{align*}\n");
      } else {
        write(matrix_latex(o));
      }
      return;
    default: {
      const Style style = args.format == Format::Unicode ? Style::Unicode : Style::Text;
      if (args.steps) {
        for (const Block& entry : o.document.children) write(print_document(entry, style) + "\n");
        write("Result:\n");
      }
      write(matrix_text(o, entry_style(args.format)));
      // With --steps the fact closes the document, printed above; without, it follows the matrix.
      if (o.matrix_form && !args.steps) write("J = " + *o.matrix_form + " (every entry proved to fit it)\n");
      if (args.steps) write(verdict_line(o.verdict) + "\n");
    }
  }
}

}  // namespace

int matrix_command(const RuleSet& rules, MatrixKind kind, const MatrixArgs& args) {
  MatrixRequest request;
  request.kind = kind;
  request.lets = parse_lets(rules, args.lets);
  request.f = parse_or_throw(rules, args.text, false);
  refuse_captures(request.lets, args.lets, request.f);
  request.variables = resolve_variables(request.lets.expand(request.f), args.wrt, false);
  request.steps = args.steps || args.verify;
  Result<MatrixExplanation> o = explain_matrix(rules, request);
  if (!o) throw BadInput{o.error().message};
  if (args.verify) {
    // Every line of the steps document proved, as `napier verify` proves diff's.
    Json head;
    head["schema"] = "napier-verification/1";
    head["command"] = "verify";
    head["of"] = command_name(kind);
    head["input"] = args.text;
    std::string wrt;
    for (Expr x : request.variables) wrt += (wrt.empty() ? "" : ",") + x.name();
    head["wrt"] = wrt;
    const int failed =
        print_verification(verify_document(o->document, check_options(rules, request.lets)), args.format, std::move(head));
    return failed ? kExitFalse : kExitOk;
  }
  // Only true lines are printed, and no refuted entry (diff_command does the same).
  if (args.steps) {
    const std::vector<LineCheck> checks = verify_document(o->document, check_options(rules, request.lets));
    if (std::optional<std::string> wrong = first_false_line(checks)) throw WrongAnswer{*wrong};
  }
  if (!o->verdict.holds) {
    throw WrongAnswer{"GiNaC refutes " + o->verdict.first_refuted + "; the matrix is not printed (a rule is wrong)"};
  }
  print_outcome(*o, args, request.lets);
  return kExitOk;
}

}  // namespace napier::cli
