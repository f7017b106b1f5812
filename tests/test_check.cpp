// Checker: the operator table, typed literals, and every diagnostic code with its column and text.
#include <catch2/catch.hpp>

#include <string>
#include <variant>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/print.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::checked;
using ecsq::testing::spanned;

namespace {

const CheckedComparison& only(const CheckedQuery& query) {
  REQUIRE(query.comparisons.size() == 1);
  return query.comparisons.front();
}

// The single diagnostic with `code`; fails when there is none or more than one.
Diagnostic diagnostic(const CheckResult& result, std::string_view code) {
  std::vector<Diagnostic> found;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.code == code) found.push_back(d);
  }
  REQUIRE(found.size() == 1);
  return found.front();
}

std::uint32_t column(std::string_view text, const Diagnostic& d) { return line_column(text, d.span.begin).column; }

std::vector<Op> ops(std::initializer_list<Op> list) { return list; }

}  // namespace

TEST_CASE("allowed_operators follows the contract's table", "[check]") {
  using enum Op;
  CHECK(allowed_operators(SubjectKind::agent_connected) == ops({eq, ne, in, not_in, matches, not_matches}));
  CHECK(allowed_operators(SubjectKind::agent_version) == ops({eq, ne, gt, ge, lt, le}));
  CHECK(allowed_operators(SubjectKind::ec2_instance_id) == ops({eq, ne, in, not_in, matches, not_matches}));
  CHECK(allowed_operators(SubjectKind::registered_at) == ops({eq, ne, gt, ge, lt, le}));
  CHECK(allowed_operators(SubjectKind::running_tasks_count) == ops({eq, ne, gt, ge, lt, le}));
  CHECK(allowed_operators(SubjectKind::task_group) ==
        ops({eq, ne, exists, not_exists, in, not_in, matches, not_matches}));
  CHECK(allowed_operators(SubjectKind::attribute).size() == op_count);
}

TEST_CASE("E0201: an operator the subject does not allow", "[check]") {
  SECTION("symbol, with the allowed list") {
    const std::string text = "runningTasksCount =~ 1";
    const CheckResult r = check(text);
    REQUIRE_FALSE(r.ok());
    const Diagnostic d = diagnostic(r, "E0201");
    CHECK(d.severity == Severity::error);
    CHECK(d.message == "operator '=~' is not valid for runningTasksCount; use one of ==, !=, >, >=, <, <=");
    CHECK(column(text, d) == 19);
    CHECK(spanned(text, d) == "=~");
    CHECK(d.notes == std::vector<std::string>{"runningTasksCount is compared by value; use ordering operators for a range"});
  }
  SECTION("a word operator is quoted as written") {
    const std::string text = "agentConnected greater_than true";
    const Diagnostic d = diagnostic(check(text), "E0201");
    CHECK(d.message == "operator 'greater_than' is not valid for agentConnected; use one of ==, !=, in, !in, =~, !~");
    CHECK(spanned(text, d) == "greater_than");
  }
  SECTION("exists on a built-in subject") {
    const std::string text = "ec2InstanceId exists";
    const Diagnostic d = diagnostic(check(text), "E0201");
    CHECK(d.message == "operator 'exists' is not valid for ec2InstanceId; use one of ==, !=, in, !in, =~, !~");
    CHECK(column(text, d) == 15);
    CHECK(d.notes ==
          std::vector<std::string>{"every container instance has ec2InstanceId; exists tests task:group and attribute:NAME"});
  }
  SECTION("a list on a typed subject") {
    const std::string text = "agentVersion in [1.14.5, 1.15.0]";
    const Diagnostic d = diagnostic(check(text), "E0201");
    CHECK(d.message == "operator 'in' is not valid for agentVersion; use one of ==, !=, >, >=, <, <=");
    CHECK(d.notes == std::vector<std::string>{"to test several values, write (agentVersion == a or agentVersion == b)"});
  }
  SECTION("task:group lists its eight operators") {
    const std::string text = "not (task:group >= a)";
    const Diagnostic d = diagnostic(check(text), "E0201");
    CHECK(d.message == "operator '>=' is not valid for task:group; use one of ==, !=, exists, !exists, in, !in, =~, !~");
    CHECK(column(text, d) == 17);
  }
}

TEST_CASE("E0202: agentConnected takes true or false", "[check]") {
  const std::string text = "agentConnected in [true, 'maybe']";
  const CheckResult r = check(text);
  REQUIRE_FALSE(r.ok());
  const Diagnostic d = diagnostic(r, "E0202");
  CHECK(d.message == "expected true or false for agentConnected, found 'maybe'");
  CHECK(column(text, d) == 26);
  CHECK(spanned(text, d) == "'maybe'");
}

TEST_CASE("E0203: agentVersion takes a version", "[check]") {
  SECTION("a word") {
    const std::string text = "agentVersion >= latest";
    const Diagnostic d = diagnostic(check(text), "E0203");
    CHECK(d.message == "expected a version like 1.14.5 or 1.14.5-beta for agentVersion, found 'latest'");
    CHECK(column(text, d) == 17);
    CHECK(d.fixits.empty());
  }
  SECTION("a leading v gets a fix-it") {
    const std::string text = "agentVersion >= v1.14.5";
    const Diagnostic d = diagnostic(check(text), "E0203");
    REQUIRE(d.fixits.size() == 1);
    CHECK(d.fixits[0].replacement == "1.14.5");
    CHECK(d.fixits[0].span == d.span);
  }
}

TEST_CASE("E0204: registeredAt shows the accepted date forms", "[check]") {
  SECTION("a day-first date") {
    const std::string text = "registeredAt < 13/02/2018";
    const Diagnostic d = diagnostic(check(text), "E0204");
    CHECK(d.message ==
          "expected a date like 2018-06-18, 2018-06-18T22:28:28, 2018-06-18T22:28:28Z or 2018-06-18T22:28:28+00:00, "
          "found '13/02/2018'");
    CHECK(column(text, d) == 16);
    CHECK(spanned(text, d) == "13/02/2018");
  }
  SECTION("no such day") {
    const Diagnostic d = diagnostic(check("registeredAt < 2018-02-29"), "E0204");
    CHECK(d.message.ends_with("found '2018-02-29'"));
  }
  SECTION("epoch seconds get the ISO form as a fix-it") {
    const std::string text = "registeredAt < 1518480000";
    const Diagnostic d = diagnostic(check(text), "E0204");
    CHECK(d.notes == std::vector<std::string>{"epoch seconds are not accepted; 1518480000 is 2018-02-13T00:00:00Z"});
    REQUIRE(d.fixits.size() == 1);
    CHECK(d.fixits[0].replacement == "2018-02-13T00:00:00Z");
  }
}

TEST_CASE("E0205: runningTasksCount takes a non-negative integer", "[check]") {
  const std::string text = "runningTasksCount > many";
  const Diagnostic d = diagnostic(check(text), "E0205");
  CHECK(d.message == "expected a non-negative integer for runningTasksCount, found 'many'");
  CHECK(column(text, d) == 21);
  CHECK(diagnostic(check("runningTasksCount > -1"), "E0205").message ==
        "expected a non-negative integer for runningTasksCount, found '-1'");
  CHECK(diagnostic(check("runningTasksCount > 9223372036854775808"), "E0205").message ==
        "runningTasksCount value 9223372036854775808 is too large");
  CHECK(only(checked("runningTasksCount > 9223372036854775807")).count == INT64_MAX);
}

TEST_CASE("every error of an expression is reported, in source order", "[check]") {
  const std::string text = "runningTasksCount > many or agentVersion =~ x or registeredAt == soon";
  const CheckResult r = check(text);
  REQUIRE_FALSE(r.ok());
  std::vector<std::string> codes;
  for (const Diagnostic& d : r.diagnostics) codes.push_back(d.code);
  CHECK(codes == std::vector<std::string>{"E0205", "E0201", "E0204"});
}

TEST_CASE("regex errors point into the pattern", "[check][regex]") {
  const auto expect_inside = [](const std::string& text, std::uint32_t pattern_begin, std::string_view pattern) {
    INFO(text);
    const CheckResult r = check(text);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    const Diagnostic& d = r.diagnostics.front();
    const auto compiled = Regex::compile(pattern);
    REQUIRE(std::holds_alternative<RegexError>(compiled));
    const RegexError& e = std::get<RegexError>(compiled);
    CHECK(d.code == e.code);
    CHECK(d.code.starts_with("E03"));
    CHECK(d.message == e.message);
    CHECK(d.span.begin == pattern_begin + std::min<std::uint32_t>(e.offset, static_cast<std::uint32_t>(pattern.size())));
    CHECK(d.span.end <= pattern_begin + pattern.size());
    CHECK(d.span.begin <= d.span.end);
  };
  // Java rejects an unclosed group and a reversed range; ecsq also rejects a backreference.
  expect_inside("attribute:x =~ x[b-a]", 15, "x[b-a]");
  expect_inside("attribute:x =~ 'ab(c'", 16, "ab(c");
  expect_inside("attribute:x =~ \"(a)\\1\" or attribute:y exists", 16, "(a)\\1");
  expect_inside("task:group !~ (a)\\1", 14, "(a)\\1");

  SECTION("a backreference is underlined where it is") {
    const std::string text = "attribute:x matches '(a)\\1'";
    const Diagnostic d = check(text).diagnostics.front();
    CHECK(spanned(text, d).starts_with("\\1"));
    CHECK(column(text, d) == 25);
  }
  SECTION("regex options reach the compiler") {
    CheckOptions options;
    options.regex.max_pattern_bytes = 4;
    const CheckResult r = check("attribute:x =~ abcdef", {}, options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.diagnostics.front().code == "E0320");
    CHECK(check("attribute:x =~ abcdef").ok());
  }
}

TEST_CASE("W0201: an empty list", "[check]") {
  SECTION("in [] matches nothing") {
    const std::string text = "attribute:x in []";
    const CheckResult r = check(text);
    REQUIRE(r.ok());
    const Diagnostic d = diagnostic(r, "W0201");
    CHECK(d.severity == Severity::warning);
    CHECK(d.message == "an empty list matches no instance");
    CHECK(spanned(text, d) == "[]");
    CHECK(r.query->comparisons.front().strings.empty());
  }
  SECTION("!in [] matches everything") {
    const Diagnostic d = diagnostic(check("task:group !in [ ]"), "W0201");
    CHECK(d.message == "an empty list: '!in []' matches every instance");
  }
}

TEST_CASE("W0202: == or != on registeredAt with a date alone", "[check]") {
  const std::string text = "registeredAt == 2018-02-13";
  const CheckResult r = check(text);
  REQUIRE(r.ok());
  const Diagnostic d = diagnostic(r, "W0202");
  CHECK(d.severity == Severity::warning);
  CHECK(d.message == "'==' compares with the single instant 2018-02-13T00:00:00Z, not the whole day");
  CHECK(spanned(text, d) == text);
  CHECK(d.notes ==
        std::vector<std::string>{"for the whole day write (registeredAt >= 2018-02-13 and registeredAt < 2018-02-14)"});
  const Diagnostic ne = diagnostic(check("registeredAt != 2018-02-28"), "W0202");
  CHECK(ne.notes ==
        std::vector<std::string>{"for outside the day write (registeredAt < 2018-02-28 or registeredAt >= 2018-03-01)"});
  // A time, or an ordering, is what the user meant: no warning.
  CHECK(check("registeredAt == 2018-02-13T00:00:00Z").diagnostics.empty());
  CHECK(check("registeredAt < 2018-02-13").diagnostics.empty());
}

TEST_CASE("W0203: agentConnected values are normalised to lower case", "[check]") {
  const std::string text = "agentConnected in [TRUE, false, True]";
  const CheckResult r = check(text);
  REQUIRE(r.ok());
  std::vector<Diagnostic> notes;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.code == "W0203") notes.push_back(d);
  }
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].severity == Severity::note);
  CHECK(notes[0].message == "'TRUE' is written 'true' in canonical form");
  CHECK(column(text, notes[0]) == 20);
  REQUIRE(notes[1].fixits.size() == 1);
  CHECK(notes[1].fixits[0].replacement == "true");
  CHECK(r.query->comparisons.front().strings == std::vector<std::string>{"false", "true"});
}

TEST_CASE("E0290: a malformed hand-built tree is rejected, not evaluated", "[check]") {
  Ast ast;
  ast.source = "x";
  ast.nodes.push_back(Node{NodeKind::comparison, {}, 3, 0});  // no comparison 3
  ast.root = 0;
  CHECK(diagnostic(check(ast), "E0290").message == "malformed expression tree: a comparison node indexes no comparison");

  Ast cycle;
  cycle.nodes.push_back(Node{NodeKind::not_, {}, 0, 1});
  cycle.children.push_back(0);  // not -> itself
  cycle.root = 0;
  const CheckResult r = check(cycle);
  CHECK_FALSE(r.ok());
  CHECK(diagnostic(r, "E0290").message == "malformed expression tree: a node is reached twice (shared or on a cycle)");

  Ast shared;  // one comparison node under both sides of an `and`
  shared.comparisons.push_back(Comparison{Subject{SubjectKind::task_group, "", {}, false}, Op::exists, {}, {}, {}});
  shared.nodes.push_back(Node{NodeKind::and_, {}, 0, 2});
  shared.nodes.push_back(Node{NodeKind::comparison, {}, 0, 0});
  shared.children = {1, 1};
  shared.root = 0;
  CHECK(diagnostic(check(shared), "E0290").message ==
        "malformed expression tree: a node is reached twice (shared or on a cycle)");
  shared.nodes.push_back(Node{NodeKind::comparison, {}, 0, 0});
  shared.children = {1, 2};  // two nodes may share one comparison record
  CHECK(check(shared).ok());

  Ast unknown = shared;
  unknown.comparisons[0].op = static_cast<Op>(40);
  CHECK(diagnostic(check(unknown), "E0290").message ==
        "malformed expression tree: a comparison has an unknown operator or subject");

  Ast deep;  // 1100 nested nots: more than any stack-safe walk should take
  deep.comparisons.push_back(Comparison{Subject{SubjectKind::task_group, "", {}, false}, Op::exists, {}, {}, {}});
  for (std::uint32_t k = 0; k < 1100; ++k) {
    deep.nodes.push_back(Node{NodeKind::not_, {}, k, 1});
    deep.children.push_back(k + 1);
  }
  deep.nodes.push_back(Node{NodeKind::comparison, {}, 0, 0});
  deep.root = 0;
  CHECK(diagnostic(check(deep), "E0290").message == "malformed expression tree: the tree is deeper than 1024 levels");

  Ast arity;
  arity.comparisons.push_back(Comparison{Subject{SubjectKind::attribute, "a", {}, false}, Op::eq, {}, {}, {}});
  arity.nodes.push_back(Node{NodeKind::comparison, {}, 0, 0});
  arity.root = 0;
  CHECK(diagnostic(check(arity), "E0290").message == "malformed expression tree: '==' has 0 operands");
}

TEST_CASE("literals are parsed once into typed form", "[check]") {
  SECTION("versions") {
    const CheckedComparison c = only(checked("agentVersion >= 1.14.5-beta"));
    CHECK(c.subject == SubjectKind::agent_version);
    CHECK(c.op == Op::ge);
    REQUIRE(c.version.size == 3);
    CHECK(c.version.parts[1] == 14);
    CHECK(c.version.has_suffix);
    CHECK(c.version.suffix == "beta");
  }
  SECTION("instants in every form") {
    CHECK(only(checked("registeredAt < 2018-06-18T22:28:28+00:00")).instant.seconds == 1529360908);
    CHECK(only(checked("registeredAt < 2018-06-18T22:28:28Z")).instant.seconds == 1529360908);
    CHECK(only(checked("registeredAt < 2018-06-18T22:28:28")).instant.seconds == 1529360908);
    CHECK(only(checked("registeredAt < 2018-06-19T00:28:28+02:00")).instant.seconds == 1529360908);
    const CheckedComparison day = only(checked("registeredAt < 2018-06-18"));
    CHECK(day.instant.seconds == 1529280000);
    CHECK(day.date_only);
    CHECK_FALSE(only(checked("registeredAt < 2018-06-18T00:00:00")).date_only);
  }
  SECTION("counts") { CHECK(only(checked("runningTasksCount <= 007")).count == 7); }
  SECTION("booleans, normalised") {
    CHECK(only(checked("agentConnected != FALSE")).strings == std::vector<std::string>{"false"});
  }
  SECTION("lists: sorted and unique") {
    const CheckedComparison c = only(checked("attribute:az in [us-east-1b, 'us-east-1a', us-east-1b, \"z\"]"));
    CHECK(c.strings == std::vector<std::string>{"us-east-1a", "us-east-1b", "z"});
  }
  SECTION("attribute ordering keeps the literal text") {
    const CheckedComparison c = only(checked("attribute:memory > 1024.50"));
    CHECK(c.attribute == "memory");
    CHECK(c.strings == std::vector<std::string>{"1024.50"});
  }
  SECTION("regexes are compiled") {
    const CheckedComparison c = only(checked("attribute:ecs.instance-type =~ 't2.*'"));
    REQUIRE(c.regex.has_value());
    CHECK(c.regex->java_pattern() == "t2.*");
    CHECK(c.regex->full_match("t2.small"));
    CHECK_FALSE(c.regex->full_match("xt2.small"));
  }
  SECTION("strings stay as written, without quotes") {
    CHECK(only(checked("task:group == 'service:web'")).strings == std::vector<std::string>{"service:web"});
    CHECK(only(checked("ec2InstanceId != i-0abc")).strings == std::vector<std::string>{"i-0abc"});
  }
  SECTION("exists has no operand") {
    const CheckedComparison c = only(checked("attribute:ecs.capability.task-eni exists"));
    CHECK(c.strings.empty());
    CHECK_FALSE(c.regex.has_value());
  }
}

TEST_CASE("check(text) carries parse and check diagnostics, in that order", "[check]") {
  const std::string text = "ecs.os-type == linux AND registeredAt == 2018-02-13";
  const CheckResult r = check(text);
  REQUIRE(r.ok());
  std::vector<std::string> codes;
  for (const Diagnostic& d : r.diagnostics) codes.push_back(d.code);
  CHECK(codes == std::vector<std::string>{"W0101", "W0102", "W0202"});

  const CheckResult bad = check("attribute:x == ");
  CHECK_FALSE(bad.ok());
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics.front().code == "E0112");
}

TEST_CASE("a checked query owns its tree and literals", "[check]") {
  std::optional<CheckedQuery> query;
  {
    std::string text = "attribute:a =~ 'x.*' and task:group in [b, a]";
    query = checked(text);
    text.assign(text.size(), '#');  // the caller's buffer is gone
  }
  CHECK(query->ast.source == "attribute:a =~ 'x.*' and task:group in [b, a]");
  CHECK(to_string(query->ast) == "attribute:a =~ x.* and task:group in [b, a]");
  REQUIRE(query->comparisons.size() == query->ast.comparisons.size());
  CHECK(query->comparisons[0].regex->full_match("xyz"));
  CHECK(query->comparisons[1].strings == std::vector<std::string>{"a", "b"});
}

TEST_CASE("constraint forms check", "[check]") {
  CHECK(checked("distinctInstance").ast.form == ConstraintForm::distinct_instance);
  CHECK(checked("memberOf()").comparisons.empty());
  CHECK(checked("").ast.empty());
  CHECK(only(checked("memberOf(attribute:x exists)")).op == Op::exists);
}
