// Printers for test output and logs: the one-line diagnostic (render_line), operator<< for Instance,
// CheckedQuery, Explanation and Diagnostic, and the opt-in fmt formatters that print the same text.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include <fmt/format.h>

#include "ecsq/check.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fmt.hpp"
#include "ecsq/instance.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::checked;

namespace {

template <class T>
std::string streamed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// The first diagnostic `text` checks to.
Diagnostic first_diagnostic(std::string_view text) {
  const CheckResult result = check(text);
  REQUIRE_FALSE(result.diagnostics.empty());
  return result.diagnostics.front();
}

Instance web() {
  Instance i;
  i.ec2_instance_id = "i-web";
  i.container_instance_arn = "arn:aws:ecs:us-east-1:1:container-instance/c/1";
  i.status = "ACTIVE";
  i.agent_version = "1.14.5";
  i.registered_at = parse_instant("2018-02-12T10:00:00Z");
  i.running_tasks_count = 2;
  i.set_attribute("stack", "prod");
  i.set_attribute("ecs.capability.task-eni");
  i.add_task_group("service:web");
  i.add_task_group("family:web");
  return i;
}

}  // namespace

TEST_CASE("render_line: line:column, code, message and label on one line", "[printers][diagnostic]") {
  const std::string text = "attribute:ecs.instance-type t2.small";
  CHECK(render_line(first_diagnostic(text), text) ==
        "1:29 E0103 expected an operator after subject 'attribute:ecs.instance-type' — expected one of ==, !=, >, >=, "
        "<, <=, exists, !exists, in, !in, =~, !~");
}

TEST_CASE("render_line: a fix-it is shown as the corrected source, notes are left out", "[printers][diagnostic]") {
  const std::string text = "atribute:stack == prod";
  const Diagnostic d = first_diagnostic(text);
  REQUIRE_FALSE(d.notes.empty());
  CHECK(render_line(d, text) ==
        "1:1 E0106 unknown subject 'atribute:stack'; did you mean 'attribute:'? — not a subject "
        "(help: write 'attribute:stack == prod')");
}

TEST_CASE("render_line: a position past the first line, a multi-line fix and non-ASCII columns", "[printers][diagnostic]") {
  SECTION("a fix-it in a multi-line source is given by position") {
    const std::string text = "attribute:a == b and\nfoo == x";
    const CheckResult result = check(text);
    REQUIRE(result.ok());
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(render_line(result.diagnostics[0], text) ==
          "2:1 W0101 attribute 'foo' is written without the 'attribute:' prefix — read as 'attribute:foo' "
          "(help: at 2:1 write 'attribute:')");
  }
  SECTION("columns count characters") {
    const std::string text = "attribute:zone == 'é' and atribute:x == y";
    CHECK(render_line(first_diagnostic(text), text).starts_with("1:27 E0106 "));
  }
}

TEST_CASE("render_line and operator<< never break the line", "[printers][diagnostic]") {
  Diagnostic d;
  d.code = "E0999";
  d.message = "first line\nsecond line\r\n  third";
  d.label = "label\nwith a break\n";
  d.span = Span{2, 4};
  d.fixits.push_back(FixIt{Span{0, 1}, "x\ny"});
  const std::string source = "ab\ncd";
  const std::string line = render_line(d, source);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line == "1:3 E0999 first line second line third — label with a break (help: at 1:1 write 'x y')");
  const std::string printed = streamed(d);
  CHECK(printed == "E0999 first line second line third — label with a break [bytes 2..4)");
  // Other control characters are shown, not obeyed.
  d.message = "bell\a and escape\x1b[31m";
  CHECK(render_line(d, source).find_first_of("\a\x1b") == std::string::npos);
}

TEST_CASE("operator<< for a Diagnostic: code, message, label and byte span", "[printers][diagnostic]") {
  const Diagnostic d = first_diagnostic("runningTasksCount == abc");
  CHECK(streamed(d) == "E0205 expected a non-negative integer for runningTasksCount, found 'abc' — not a count [bytes 21..24)");
  Diagnostic bare;
  bare.code = "E0100";
  bare.message = "empty";
  CHECK(streamed(bare) == "E0100 empty [bytes 0..0)");
}

TEST_CASE("operator<< for an Instance: one line with every field a test may be about", "[printers][instance]") {
  Instance i = web();
  i.payload = 42;
  CHECK(streamed(i) ==
        "Instance{i-web, arn=arn:aws:ecs:us-east-1:1:container-instance/c/1, status=ACTIVE, payload=42, "
        "agentConnected=true, agentVersion=\"1.14.5\", registeredAt=2018-02-12T10:00:00Z, runningTasksCount=2, "
        "attributes={ecs.capability.task-eni, stack=\"prod\"}, task:group={family:web, service:web}}");
  Instance bare;
  bare.agent_connected = false;
  CHECK(streamed(bare) ==
        "Instance{(no ec2InstanceId), agentConnected=false, agentVersion=(missing), registeredAt=(missing), "
        "runningTasksCount=0, attributes={}, task:group={}}");
  Instance hostile;
  hostile.ec2_instance_id = "i-\n\x1b[2J";
  hostile.set_attribute("a\nb", "c\nd");
  const std::string printed = streamed(hostile);
  CHECK(printed.find_first_of("\n\x1b") == std::string::npos);
  CHECK(printed.find("a\xEF\xBF\xBD" "b=\"c\\nd\"") != std::string::npos);  // the name shown, the value JSON-escaped
}

TEST_CASE("operator<< for a CheckedQuery prints its canonical text", "[printers][check]") {
  CHECK(streamed(checked("ecs.os-type=='windows'  AND  not(task:group == service:web)")) ==
        "attribute:ecs.os-type == windows and not(task:group == service:web)");
  CHECK(streamed(checked("memberOf(attribute:stack == prod)")) == "memberOf(attribute:stack == prod)");
  CHECK(streamed(checked("distinctInstance")) == "distinctInstance");
  CHECK(streamed(checked("")).empty());
}

TEST_CASE("operator<< for an Explanation prints render_text", "[printers][explain]") {
  const CheckedQuery q = checked("attribute:stack == prod and runningTasksCount > 5");
  const Explanation e = explain(q, web());
  CHECK(streamed(e) == render_text(e));
  CHECK(streamed(e) ==
        "✗ and\n"
        "  ✓ attribute:stack == prod    saw \"prod\"\n"
        "  ✗ runningTasksCount > 5    saw 2\n");
}

TEST_CASE("ecsq/fmt.hpp formats the same four types as operator<< prints them", "[printers][fmt]") {
  const CheckedQuery q = checked("attribute:stack == prod");
  const Instance i = web();
  const Explanation e = explain(q, i);
  const Diagnostic d = first_diagnostic("atribute:stack == prod");
  CHECK(fmt::format("{}", q) == streamed(q));
  CHECK(fmt::format("{}", i) == streamed(i));
  CHECK(fmt::format("{}", e) == streamed(e));
  CHECK(fmt::format("{}", d) == streamed(d));
  CHECK(fmt::format("{}", q.ast) == "attribute:stack == prod");
  // String format specs apply.
  CHECK(fmt::format("[{:>25}]", q) == "[  attribute:stack == prod]");
  CHECK(fmt::format("[{:.9}]", q) == "[attribute]");
}
