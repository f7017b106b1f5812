// ecsq_hostile: time and peak memory of the hostile inputs of tests/test_hostile.cpp, at full size
// (1 000 000 instances, 100 000-item lists, 100 KB values). Tests assert what each input ends in;
// this program measures what it costs, which a test must not assert on a shared machine.
//
//   ecsq_hostile [CASE...]      (default: every case; --list prints the names)
//
// Each case runs in a child process, so its peak memory (getrusage's ru_maxrss) is its own.
// Time covers the work only, not building the input; peak memory includes the input itself.
// Exits 1 if a case ends in something other than its expected outcome or dies.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/constraint.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/matcher.hpp"
#include "child_process.hpp"
#include "fleet_generator.hpp"

namespace {

using namespace ecsq;
using Clock = std::chrono::steady_clock;

// What a case reports: its outcome (a diagnostic code or an answer) and the seconds its work took.
struct Outcome {
  std::string result;
  double seconds = 0;
};

struct Case {
  const char* name;
  const char* input;     // what the input is, for the table
  const char* expected;  // the outcome it must end in
  std::function<Outcome()> run;
};

// Times `work` (which returns the outcome) after its input has been built.
template <typename Work>
Outcome timed(Work&& work) {
  const auto start = Clock::now();
  std::string result = work();
  return {std::move(result), std::chrono::duration<double>(Clock::now() - start).count()};
}

std::string first_error(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::error) return d.code;
  }
  return "no error";
}

Instance with_value(std::string value) {
  Instance instance;
  instance.ec2_instance_id = "i-1";
  instance.set_attribute("v", std::move(value));
  return instance;
}

// check → evaluate on one instance: the diagnostic code, or "match" / "no match".
std::string check_and_evaluate(std::string_view text, const Instance& instance, const ParseOptions& parse = {},
                               const CheckOptions& options = {}) {
  const CheckResult result = check(text, parse, options);
  if (!result.ok()) return first_error(result.diagnostics);
  return evaluate(*result.query, instance) ? "match" : "no match";
}

Outcome regex_case(const char* pattern, std::size_t length, char fill, std::string_view suffix) {
  const Instance instance = with_value(std::string(length, fill) + std::string(suffix));
  const std::string text = fmt::format("attribute:v =~ '{}'", pattern);
  return timed([&] { return check_and_evaluate(text, instance); });
}

// `count` generated instances as `aws ecs describe-container-instances` prints them, with their
// task groups as a describe-tasks array in the same document.
std::string fleet_json(std::size_t count) {
  std::string json = R"({"containerInstances":[)";
  std::string tasks;
  for (std::size_t i = 0; i < count; ++i) {
    const Instance instance = bench::generate_instance(42, i);
    if (i != 0) json += ',';
    json += fmt::format(R"({{"ec2InstanceId":{},"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/{}",)"
                        R"("agentConnected":{},"versionInfo":{{"agentVersion":{}}},"runningTasksCount":{},"attributes":[)",
                        json_quote(instance.ec2_instance_id), i, instance.agent_connected,
                        json_quote(instance.agent_version), instance.running_tasks_count);
    for (std::size_t a = 0; a < instance.attributes().size(); ++a) {
      const Attribute& attribute = instance.attributes()[a];
      json += fmt::format(R"({}{{"name":{})", a == 0 ? "" : ",", json_quote(attribute.name));
      if (attribute.value) json += fmt::format(R"(,"value":{})", json_quote(*attribute.value));
      json += '}';
    }
    json += "]}";
    for (const std::string& group : instance.task_groups()) {
      tasks += fmt::format(R"({}{{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/{}",)"
                           R"("group":{},"desiredStatus":"RUNNING"}})",
                           tasks.empty() ? "" : ",", i, json_quote(group));
    }
  }
  return json + R"(],"tasks":[)" + tasks + "]}";
}

Outcome read_and_select(std::size_t count) {
  const std::string json = fleet_json(count);
  return timed([&] {
    FleetReadResult read = read_fleet_json(json, "generated.json");
    if (!read.fleet) return read.diagnostics.empty() ? std::string("no fleet") : read.diagnostics[0].diagnostic.code;
    Fleet fleet(read.fleet->instances);
    const CheckResult query = check("attribute:ecs.os-type == linux and task:group != service:web");
    const std::size_t selected = compile(*query.query, fleet).count(fleet);
    return fmt::format("{} instances, {} selected", fleet.size(), selected > 0 ? "some" : "none");
  });
}

Outcome lint_case(std::string text, const char* file) {
  return timed([&] {
    std::vector<ConstraintDocument> documents;
    documents.push_back(read_constraint_document(text, file));
    if (documents[0].unreadable) return documents[0].diagnostics.at(0).diagnostic.code;
    const LintReport report = lint(std::move(documents));
    return fmt::format("{} findings", report.findings.size() > 0 ? "some" : "no");
  });
}

std::vector<Case> cases() {
  return {
      {"expression-64k", "64 KiB chain of 2 700 `or`s", "match", [] {
         std::string text = "attribute:v == v0";
         for (int i = 1; text.size() + 24 < 64 * 1024; ++i) text += fmt::format(" or attribute:v == v{}", i);
         const Instance instance = with_value("v2000");
         return timed([&] { return check_and_evaluate(text, instance); });
       }},
      {"nesting-10000", "10 000 `(`", "E0151", [] {
         const std::string text = std::string(10000, '(') + "a exists" + std::string(10000, ')');
         return timed([&] { return first_error(check(text).diagnostics); });
       }},
      {"list-100000", "`in` list of 100 000 items (1.1 MB)", "match", [] {
         std::string text = "attribute:v in [";
         for (int i = 0; i < 100000; ++i) text += fmt::format("{}item-{}", i == 0 ? "" : ", ", i);
         text += "]";
         ParseOptions roomy;
         roomy.max_input_bytes = 2 << 20;
         const Instance instance = with_value("item-99999");
         return timed([&] { return check_and_evaluate(text, instance, roomy); });
       }},
      {"regex-(a+)+$", "`(a+)+$` on 100 KB of a", "match", [] { return regex_case("(a+)+$", 100000, 'a', ""); }},
      {"regex-((a+)+)+b", "`((a+)+)+b` on 100 KB of a", "no match",
       [] { return regex_case("((a+)+)+b", 100000, 'a', ""); }},
      {"regex-(.*){1,1000}", "`(.*){1,1000}` on 100 KB of a", "match",
       [] { return regex_case("(.*){1,1000}", 100000, 'a', ""); }},
      {"regex-(a|aa)*c", "`(a|aa)*c` on 100 KB of a", "no match",
       [] { return regex_case("(a|aa)*c", 100000, 'a', ""); }},
      {"invalid-utf8", "a 0xff byte in a 64 KiB value", "E0152", [] {
         const std::string text = "attribute:v == " + std::string(60000, 'a') + "\xff";
         return timed([&] { return first_error(check(text).diagnostics); });
       }},
      {"fleet-100000", "100 000 instances, 27 attributes each (198 MB of JSON)", "100000 instances, some selected",
       [] { return read_and_select(100000); }},
      {"fleet-1000000", "1 000 000 instances, 27 attributes each (2.0 GB of JSON)", "1000000 instances, some selected",
       [] { return read_and_select(1000000); }},
      {"json-nested-100000", "100 000 nested `[`", "E0401", [] {
         const std::string json = std::string(100000, '[') + std::string(100000, ']');
         return timed([&] {
           const FleetReadResult read = read_fleet_json(json);
           return read.diagnostics.empty() ? std::string("no error") : read.diagnostics[0].diagnostic.code;
         });
       }},
      {"lint-8000-constraints", "a task definition with 8 000 constraints", "some findings", [] {
         std::string json = "[\n";
         for (int i = 0; i < 8000; ++i) json += fmt::format(R"({}{{"type":"memberOf","expression":"x"}})", i == 0 ? "" : ",\n");
         return lint_case(json + "\n]", "many.json");
       }},
      {"yaml-laughs-14", "YAML alias bomb, 14 levels (3^14 values)", "ECSQ-L001", [] {
         std::string yaml = "a0: &a0 [x, x, x]\n";
         for (int i = 1; i < 14; ++i) yaml += fmt::format("a{0}: &a{0} [*a{1}, *a{1}, *a{1}]\n", i, i - 1);
         return lint_case(yaml, "laughs.yaml");
       }},
  };
}

// `text` as one cell of a Markdown table.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// Runs `c` in a child; returns false if it died or ended in the wrong outcome.
bool run_case_in_child(const Case& c) {
  const bench::ChildRun run = bench::run_in_child([&] {
    const Outcome outcome = c.run();
    return fmt::format("{:.3f}\t{}", outcome.seconds, outcome.result);
  });
  const std::string& line = run.line;
  const double peak_mb = run.peak_mb;
  const std::size_t tab = line.find('\t');
  if (!run.exited_ok || tab == std::string::npos) {
    fmt::print("| {} | {} | died (status {}) | | {:.0f} MB |\n", cell(c.name), cell(c.input), run.status, peak_mb);
    return false;
  }
  const std::string result = line.substr(tab + 1);
  const bool as_expected = result == c.expected;
  fmt::print("| {} | {} | {}{} | {} s | {:.0f} MB |\n", cell(c.name), cell(c.input), result,
             as_expected ? "" : fmt::format(" (expected {})", c.expected), line.substr(0, tab), peak_mb);
  return as_expected;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<Case> all = cases();
  std::vector<std::string_view> wanted(argv + 1, argv + argc);
  if (wanted.size() == 1 && wanted[0] == "--list") {
    for (const Case& c : all) fmt::print("{}\n", c.name);
    return 0;
  }
  for (std::string_view name : wanted) {
    bool known = false;
    for (const Case& c : all) known = known || name == c.name;
    if (!known) {
      fmt::print(stderr, "ecsq_hostile: no case named '{}' (--list shows them)\n", name);
      return 2;
    }
  }
  fmt::print("| case | input | outcome | time | peak memory |\n|---|---|---|---|---|\n");
  bool ok = true;
  for (const Case& c : all) {
    bool selected = wanted.empty();
    for (std::string_view name : wanted) selected = selected || name == c.name;
    if (selected) ok = run_case_in_child(c) && ok;
  }
  return ok ? 0 : 1;
}
