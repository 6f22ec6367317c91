#include "napier/print_derivation.hpp"

#include <algorithm>

namespace napier {

std::vector<ChainLine> chain_lines(const Derivation& d) {
  std::vector<ChainLine> lines{{d.start, ""}};
  for (std::size_t i = 0; i < d.steps.size();) {
    const Step& s = d.steps[i];
    if (s.phase != Phase::Simplify) {
      // The same textbook rule at several places (sigmoid folded twice) is one line, as a reader writes it.
      std::size_t j = i + 1;
      while (s.phase == Phase::Textbook && j < d.steps.size() && d.steps[j].phase == Phase::Textbook &&
             d.steps[j].rule == s.rule) {
        ++j;
      }
      lines.push_back({d.steps[j - 1].after, s.label});
      i = j;
      continue;
    }
    // One line per simplified region: the clean-up inside a part (the inner derivative -exp(-x)) is a line
    // of its own before the clean-up of the whole (their product), as a reader works.
    std::vector<std::string> labels;
    std::size_t j = i;
    for (; j < d.steps.size() && d.steps[j].phase == Phase::Simplify; ++j) {
      if (j > i && d.steps[j].position.empty() && !d.steps[j - 1].position.empty()) break;
      if (std::find(labels.begin(), labels.end(), d.steps[j].label) == labels.end()) {
        labels.push_back(d.steps[j].label);
      }
    }
    std::string label = "simplify: ";
    for (std::size_t k = 0; k < labels.size(); ++k) label += (k ? ", " : "") + labels[k];
    lines.push_back({d.steps[j - 1].after, label});
    i = j;
  }
  return lines;
}

namespace {

// The printed expressions of one derivation, counted against kMaxStepsBytes.
class StepsBudget {
 public:
  explicit StepsBudget(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  const std::string& take(const std::string& printed) {
    used_ += printed.size();
    if (used_ > max_bytes_) throw StepsTooLong(max_bytes_);
    return printed;
  }

 private:
  std::size_t max_bytes_, used_ = 0;
};

}  // namespace

std::string print_chain(const Derivation& d, Style style, std::size_t max_bytes) {
  std::string out;
  StepsBudget budget(max_bytes);
  for (const ChainLine& line : chain_lines(d)) {
    if (line.label.empty()) {
      out += budget.take(print(line.expr, style)) + "\n";
    } else {
      out += "  = " + budget.take(print(line.expr, style)) + "    [" + line.label + "]\n";
    }
  }
  return out;
}

std::string latex_text(const std::string& label) {
  std::string out;
  for (char c : label) {
    switch (c) {
      case '_': case '&': case '%': case '#': case '$': case '{': case '}':
        out += '\\';
        out += c;
        break;
      case '^': out += "\\textasciicircum{}"; break;
      case '~': out += "\\textasciitilde{}"; break;
      case '\\': out += "\\textbackslash{}"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// A rule label inside \text{}: the characters TeX gives a meaning there are escaped.

}  // namespace

std::string print_chain_latex(const Derivation& d, std::size_t max_bytes) {
  std::string out = "\\begin{align*}\n";
  bool first = true;
  StepsBudget budget(max_bytes);
  for (const ChainLine& line : chain_lines(d)) {
    if (first) {
      out += "& " + budget.take(print(line.expr, Style::Latex)) + " \\\\\n";
      first = false;
    } else {
      out += "&= " + budget.take(print(line.expr, Style::Latex)) + " && \\text{" + latex_text(line.label) + "} \\\\\n";
    }
  }
  return out + "\\end{align*}\n";
}

nlohmann::ordered_json steps_json(const Derivation& d, std::size_t max_bytes) {
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  StepsBudget budget(max_bytes);
  for (const Step& s : d.steps) {
    nlohmann::ordered_json j;
    j["rule"] = s.rule;
    j["label"] = s.label;
    j["phase"] = phase_name(s.phase);
    j["expr"] = budget.take(print(s.after, Style::Plain));
    j["before"] = budget.take(print(s.before, Style::Plain));
    j["redex"] = budget.take(print(s.redex, Style::Plain));
    j["replacement"] = budget.take(print(s.contractum, Style::Plain));
    j["position"] = s.position;
    steps.push_back(j);
  }
  return steps;
}

}  // namespace napier
