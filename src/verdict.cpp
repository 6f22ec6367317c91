#include "napier/verdict.hpp"

#include <cln/rational_io.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "napier/bounded.hpp"
#include "napier/rewrite.hpp"

namespace napier {
namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json point_json(const Point& p) {
  nlohmann::json point = nlohmann::json::object();
  for (const auto& [name, value] : p) point[name] = rational_text(value);
  return point;
}

Point point_from_json(const nlohmann::json& j) {
  Point p;
  for (const auto& [name, value] : j.items()) p[name] = cln::cl_RA(value.get<std::string>().c_str());
  return p;
}

// A verdict as text and back, for the trip from the child process that computed it.
nlohmann::json to_json(const CheckResult& r) {
  nlohmann::json j = {{"holds", r.holds}, {"how", static_cast<int>(r.how)}, {"agreed", r.points_agreed},
                      {"skipped", r.points_skipped}, {"unreliable", r.points_unreliable},
                      {"one_sided", r.points_one_sided}, {"one_sided_left", r.one_sided_left},
                      {"note", r.note}, {"instantiated", r.instantiated}};
  if (r.one_sided_example) j["one_sided_example"] = point_json(*r.one_sided_example);
  if (r.counterexample) {
    j["counterexample"] = {{"point", point_json(r.counterexample->point)},
                           {"lhs", r.counterexample->lhs_value},
                           {"rhs", r.counterexample->rhs_value},
                           {"difference", r.counterexample->difference},
                           {"digits", r.counterexample->digits}};
  }
  return j;
}

CheckResult from_json(const nlohmann::json& j) {
  CheckResult r;
  r.holds = j.at("holds").get<bool>();
  r.how = static_cast<How>(j.at("how").get<int>());
  r.points_agreed = j.at("agreed").get<int>();
  r.points_skipped = j.at("skipped").get<int>();
  r.points_unreliable = j.at("unreliable").get<int>();
  r.points_one_sided = j.at("one_sided").get<int>();
  r.one_sided_left = j.at("one_sided_left").get<bool>();
  if (j.contains("one_sided_example")) r.one_sided_example = point_from_json(j["one_sided_example"]);
  r.note = j.at("note").get<std::string>();
  r.instantiated = j.at("instantiated").get<std::string>();
  if (j.contains("counterexample")) {
    Counterexample c;
    c.point = point_from_json(j["counterexample"]["point"]);
    c.lhs_value = j["counterexample"]["lhs"].get<std::string>();
    c.rhs_value = j["counterexample"]["rhs"].get<std::string>();
    c.difference = j["counterexample"]["difference"].get<std::string>();
    c.digits = j["counterexample"]["digits"].get<int>();
    r.counterexample = std::move(c);
  }
  return r;
}

// The time left to a check: the deadline less a reserve for printing what was found (a tenth of what is
// left, at most 0.25 s).
Clock::time_point check_deadline() {
  const Clock::time_point deadline = current_deadline();
  const Clock::time_point now = Clock::now();
  if (deadline <= now) return now;
  const auto left = deadline - now;
  return deadline - std::min<Clock::duration>(left / 10, std::chrono::milliseconds(250));
}

}  // namespace

CheckResult unchecked_time_limit() {
  CheckResult r;
  r.how = How::Undecided;
  r.note = "unchecked: time limit (the check did not finish within --timeout)";
  return r;
}

std::vector<CheckResult> bounded_checks(std::size_t count, const CheckWork& work) {
  if (!abandonable_work() || current_deadline() == Clock::time_point::max()) return work(true);
  auto in_child = [&](bool prove, Clock::time_point until) {
    return run_in_child(
        [&] {
          nlohmann::json all = nlohmann::json::array();
          for (const CheckResult& r : work(prove)) all.push_back(to_json(r));
          return all.dump();
        },
        until);
  };
  auto results = [](const ChildAnswer& answer) {
    std::vector<CheckResult> out;
    for (const nlohmann::json& j : nlohmann::json::parse(answer.text)) out.push_back(from_json(j));
    return out;
  };
  const Clock::time_point end = check_deadline();
  const Clock::time_point now = Clock::now();
  const ChildAnswer proved = in_child(true, now + (end - now) * 2 / 3);
  if (proved.end == ChildEnd::Answered) return results(proved);
  const ChildAnswer tested = proved.end == ChildEnd::TimedOut ? in_child(false, end) : proved;
  if (tested.end == ChildEnd::Answered) {
    std::vector<CheckResult> out = results(tested);
    for (CheckResult& r : out) {
      if (r.how == How::Numeric || r.how == How::Refuted) {
        r.note += std::string(r.note.empty() ? "" : "; ") + "GiNaC's proof did not finish within --timeout";
      }
    }
    return out;
  }
  CheckResult failed = unchecked_time_limit();
  if (tested.end == ChildEnd::Died) failed.note = "unchecked: the checker stopped (out of memory or a crash)";
  return std::vector<CheckResult>(count, failed);
}

CheckResult bounded_check(const std::function<CheckResult(bool prove)>& work) {
  return bounded_checks(1, [&](bool prove) { return std::vector<CheckResult>{work(prove)}; }).at(0);
}

CheckOptions checking_options(const RuleSet& rules, const LetBindings& lets) {
  CheckOptions options;
  options.expand_definitions = [&rules, lets](Expr e) { return rules.expand_user_definitions(lets.expand(e)); };
  options.known_by_derivative = rules.derivative_lookup();
  options.functions_key = rules.generation();
  return options;
}

CheckOptions derivative_options(Expr f, CheckOptions options) {
  options.real_odd_roots = false;
  options.only_where_defined = f;
  return options;
}

CheckResult check_derivative_value(Expr value, Expr target, Expr f, CheckOptions options) {
  options = derivative_options(f, std::move(options));
  return bounded_check([&](bool prove) {
    CheckOptions these = options;
    these.try_symbolic = these.try_symbolic && prove;
    return check_equal(value, target, these);
  });
}

}  // namespace napier
