// napier check "L = R": the verdict (true, false, undecided: exit 0, 1, 4), and with --steps each side rewritten by the rules.
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "common.hpp"
#include "napier/print.hpp"
#include "napier/print_document.hpp"
#include "napier/verdict.hpp"

namespace napier::cli {

int check_command(const RuleSet& rules, const std::string& text, Format format, bool steps) {
  Expr e = parse_or_throw(rules, text, true);
  if (!e.is(Kind::Equation)) throw BadInput{"check needs an identity of the form L = R"};
  const CheckOptions options = check_options(rules);
  CheckResult result = bounded_check([&](bool prove) {
    CheckOptions these = options;
    these.try_symbolic = prove;
    return check_equal(e[0], e[1], these);
  });
  std::optional<Explanation> why;
  if (steps) {
    Result<Explanation> x = explain_identity(e[0], e[1], rules);
    if (!x) throw BadInput{x.error().message};
    why = std::move(x).value();
  }
  const bool meet = why && !why->result.is_null();
  auto side = [&](int k) -> const Block& { return why->root.children[static_cast<std::size_t>(k)].children[0]; };
  if (format == Format::Json) {
    nlohmann::ordered_json out;
    out["command"] = "check";
    out["input"] = text;
    // Undecided is neither: "holds" is null, "how" says "undecided" and "note" why.
    const bool undecided = result.how == How::Undecided;
    out["holds"] = undecided ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(result.holds);
    out["how"] = how_name(result.how);
    if (result.counterexample) {
      nlohmann::ordered_json point;
      for (const auto& [name, value] : result.counterexample->point) point[name] = rational_text(value);
      out["counterexample"] = {{"point", point},
                               {"lhs", result.counterexample->lhs_value},
                               {"rhs", result.counterexample->rhs_value},
                               {"difference", result.counterexample->difference}};
    } else {
      out["counterexample"] = nullptr;
    }
    out["points"] = result.points_agreed;
    out["skipped"] = result.points_skipped;
    out["unreliable"] = result.points_unreliable;
    if (why) {
      out["schema"] = "napier-derivation/1";
      out["steps"] = {{"lhs", steps_json(side(0).chain)}, {"rhs", steps_json(side(1).chain)}, {"meet", meet}};
      nlohmann::ordered_json document = document_json(why->root);
    out["document"] = std::move(document["document"]);
    out["lines"] = std::move(document["steps"]);  // the lines the document's blocks name by index
    }
    if (!result.note.empty()) out["note"] = result.note;
    if (!result.instantiated.empty()) out["instantiated"] = result.instantiated;
    write(out.dump(2) + "\n");
  } else {
    std::string out;
    if (why) {
      if (format == Format::Latex || format == Format::Markdown) {
        out += format == Format::Latex ? print_document_latex(why->root) : print_document_markdown(why->root);
      } else {
        const Style style = format == Format::Unicode ? Style::Unicode : Style::Text;
        out += "L: " + print_document(side(0), style) + "R: " + print_document(side(1), style);
      }
      out += meet ? "Both sides reach " + print(why->result) + ".\n"
                  : std::string("The rules do not bring the two sides to one expression.\n");
    }
    const char* verdict = result.how == How::Undecided ? "undecided" : result.holds ? "true" : "false";
    out += std::string(verdict) + "\n" + describe(result, e[0], e[1]) + "\n";
    write(out);
  }
  if (result.how == How::Undecided) return kExitUndecided;
  return result.holds ? kExitOk : kExitFalse;
}

}  // namespace napier::cli
