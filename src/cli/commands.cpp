#include "commands.hpp"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "napier/derive.hpp"
#include "napier/parse.hpp"
#include "napier/print.hpp"
#include "napier/print_document.hpp"
#include "napier/rewrite.hpp"
#include "napier/verify.hpp"
#include "variables.hpp"

namespace napier::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string describe_exact(const ExactPoint& point) {
  std::string out;
  for (const auto& [name, value] : point) out += (out.empty() ? "" : ", ") + name + " = " + print(value);
  return out;
}

// The request the library explains, from the options as given.
DiffRequest diff_request(const RuleSet& rules, const DiffArgs& args, bool steps) {
  DiffRequest r;
  r.lets = parse_lets(rules, args.lets);
  r.assumptions = parse_assumptions(rules, args.assume);
  r.f = parse_or_throw(rules, args.text, false);
  refuse_captures(r.lets, args.lets, r.f);
  const Expr f = r.lets.expand(r.f);
  if (f.is(Kind::Vector) || (f.is(Kind::Call) && f.name() == "softmax")) {
    throw BadInput{"diff needs a scalar expression; use jacobian for a vector (or a component: softmax(...)[i])"};
  }
  if (std::optional<std::vector<std::string>> list = split_variables(args.wrt)) {
    std::string joined;
    for (const std::string& v : *list) joined += (joined.empty() ? "" : ",") + v;
    r.wrt = resolve_variables(f, joined, true);
  } else {
    r.wrt = {choose_variable(f, args.wrt)};
  }
  r.order = args.order;
  r.steps = steps;
  r.style = args.style;
  r.method = args.method;
  r.at = parse_point(rules, args.at, f);
  return r;
}

DiffExplanation explain_or_throw(const RuleSet& rules, const DiffRequest& request) {
  Result<DiffExplanation> e = explain_diff(rules, request);
  if (!e) throw BadInput{e.error().message};
  return std::move(e).value();
}

std::string wrt_text(const DiffRequest& r) {
  std::string out;
  for (Expr v : r.wrt) out += (out.empty() ? "" : ",") + print(v);
  return out;
}

Json diff_json(const DiffArgs& args, const DiffRequest& r, const DiffExplanation& e,
               const std::vector<LineCheck>* checks) {
  Json out;
  out["schema"] = "napier-derivation/1";
  out["command"] = "diff";
  out["input"] = args.text;
  out["wrt"] = wrt_text(r);
  if (r.wrt.size() > 1) {
    out["variables"] = Json::array();
    for (Expr v : r.wrt) out["variables"].push_back(print(v));
    out["partials"] = Json::array();  // d/dx f, then d/dy of that, ...: one group per variable
    for (const Block& g : e.document.root.children) out["partials"].push_back(print(g.children[0].chain.result));
  }
  out["order"] = r.wrt.size() > 1 ? static_cast<int>(r.wrt.size()) : r.order;
  out["style"] = args.style == StepStyle::Substitution ? "substitution" : args.style == StepStyle::Chain ? "chain" : "default";
  out["method"] = e.method == Method::Inverse ? "inverse" : e.method == Method::Logdiff ? "logdiff" : "direct";
  if (!r.lets.empty()) out["let"] = let_json(r.lets);
  out["result"] = print(e.result, Style::Plain);
  LineAnnotator annotate;
  std::map<std::pair<const void*, const void*>, const CheckResult*> by_line;
  if (checks) {
    for (const LineCheck& c : *checks) by_line[{c.block, c.step}] = &c.result;
    annotate = [&by_line](const Block& b, const Step* s) -> Json {
      const auto it = by_line.find({&b, s});
      if (it == by_line.end()) return nullptr;
      return {{"check", {{"holds", it->second->holds}, {"how", how_name(it->second->how)}}}};
    };
  }
  Json document = document_json(e.document.root, kMaxStepsBytes, annotate);
  out["steps"] = std::move(document["steps"]);
  out["document"] = std::move(document["document"]);
  out["check"] = verdict_json(e.verdict);
  if (!r.assumptions.empty()) {
    out["check"]["checked"] = print(e.checked, Style::Plain);  // GiNaC's verdict is on the result before --assume
    out["assume"] = args.assume;
  }
  if (e.value) out["value"] = print(*e.value, Style::Plain);
  if (!e.kinks.points.empty() || !e.kinks.unsolved.empty()) {
    Json& d = out["not_differentiable"] = Json::array();
    for (const Kink& k : e.kinks.points) d.push_back({{"at", print(k.at, Style::Plain)}, {"why", k.why}});
    for (Expr u : e.kinks.unsolved) d.push_back({{"where", print(u, Style::Plain)}, {"why", "may not be differentiable where the condition changes"}});
  }
  return out;
}

// "not differentiable at x = 0 (the derivative is 0 from the left and 1 from the right)", one line per point.
// In LaTeX the words go in \text{} and the point is mathematics; the lines form an align* of their own, as
// each block of a derivation does, so that KaTeX renders them.
std::string kink_lines(const DiffRequest& r, const DiffExplanation& e, Style style) {
  const bool latex = style == Style::Latex;
  auto words = [&](const std::string& w) { return latex ? "\\text{" + w + "}" : w; };
  std::string out;
  const std::string x = print(r.wrt[0], style);
  for (const Kink& k : e.kinks.points) {
    out += (latex ? "& " : "") + words("not differentiable at ") + x + " = " + print(k.at, style) + words(" (" + k.why + ")") +
           (latex ? " \\\\\n" : "\n");
  }
  for (Expr u : e.kinks.unsolved) {
    out += (latex ? "& " : "") + words("may not be differentiable where ") + print(u, style) + (latex ? " \\\\\n" : "\n");
  }
  if (latex && !out.empty()) out = "\\begin{align*}\n" + out + "\\end{align*}\n";
  return out;
}

}  // namespace

int diff_command(const RuleSet& rules, const DiffArgs& args) {
  const bool json = args.format == Format::Json;
  const DiffRequest request = diff_request(rules, args, args.steps || json);
  const DiffExplanation e = explain_or_throw(rules, request);
  // Only true lines are printed: each printed line is checked (verify's check), and a wrong result is not
  // printed as a result.
  std::vector<LineCheck> checks;
  if (args.steps) checks = verify_document(e.document.root, check_options(rules, request.lets));
  if (std::optional<std::string> wrong = first_false_line(checks)) throw WrongAnswer{*wrong};
  if (e.verdict.how == How::Refuted) {
    throw WrongAnswer{"GiNaC refutes napier's derivative " + print(e.checked) + " (" +
                      describe(e.verdict, e.checked, e.target) + "); it is not printed (a rule is wrong)"};
  }
  const std::string assumed =
      request.assumptions.empty() ? "" : " (on " + print(e.checked) + ", before the assumption)";
  switch (args.format) {
    case Format::Json: {
      write(diff_json(args, request, e, args.steps ? &checks : nullptr).dump(2) + "\n");
      break;
    }
    case Format::Latex:
      write(args.steps ? print_document_latex(e.document.root) : print(e.result, Style::Latex) + "\n");
      if (e.value) write(print(*e.value, Style::Latex) + "\n");
      write(kink_lines(request, e, Style::Latex));
      break;
    case Format::Markdown: {
      std::string out = "**Problem.** Differentiate $" + print(request.f, Style::Latex) + "$ with respect to $" +
                        wrt_text(request) + "$" + (request.order > 1 ? " " + std::to_string(request.order) + " times" : "") +
                        ".\n\n";
      if (args.steps) {
        out += "**Solution.**";
        for (const std::string& note : e.document.notes) out += " (" + note + ")";
        out += "\n\n" + print_document_markdown(e.document.root);
      }
      out += "**Answer.** $" + print(e.result, Style::Latex) + "$\n\n";
      if (e.value) out += "**At " + describe_exact(request.at) + ":** $" + print(*e.value, Style::Latex) + "$\n\n";
      out += "*" + verdict_line(e.verdict) + assumed + "*\n";
      if (const std::string k = kink_lines(request, e, Style::Plain); !k.empty()) out += "\n" + k;
      write(out);
      break;
    }
    case Format::Text:
    case Format::Plain:
    case Format::Unicode: {
      const Style style = args.format == Format::Unicode ? Style::Unicode : Style::Text;
      const Style plain = style == Style::Text ? Style::Plain : style;
      std::string out;
      if (args.steps) {
        for (const std::string& note : e.document.notes) out += "(" + note + ")\n";
        out += print_document(e.document.root, style);
        out += "\nResult: " + print(e.result, plain) + "\n" + verdict_line(e.verdict) + assumed + "\n";
      } else {
        out += print(e.result, plain) + "\n";
      }
      out += kink_lines(request, e, plain);
      if (e.value) out += (args.steps ? "At " + describe_exact(request.at) + ": " : "") + print(*e.value, plain) + "\n";
      write(out);
      break;
    }
  }
  return kExitOk;
}

int verify_command(const RuleSet& rules, const DiffArgs& args) {
  const DiffRequest request = diff_request(rules, args, true);
  const DiffExplanation e = explain_or_throw(rules, request);
  Json head;
  head["schema"] = "napier-verification/1";
  head["command"] = "verify";
  head["input"] = args.text;
  head["wrt"] = wrt_text(request);
  const int failed = print_verification(verify_document(e.document.root, check_options(rules, request.lets)),
                                        args.format, std::move(head));
  return failed ? kExitFalse : kExitOk;
}

int print_command(const RuleSet& rules, const std::string& text, Format format) {
  Expr e = parse_or_throw(rules, text, true);
  if (format == Format::Json) {
    write(print_json_tree(e, 2) + "\n");
  } else {
    const Style style = format == Format::Unicode ? Style::Unicode : format == Format::Latex ? Style::Latex : Style::Plain;
    write(print(e, style) + "\n");
  }
  return kExitOk;
}

}  // namespace napier::cli
