// Lint rules over single expressions: lint_expression, lint_query, the rule table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include <fmt/format.h>

#include "ecsq/lint.hpp"
#include "helpers.hpp"

namespace {

using ecsq::Diagnostic;
using ecsq::Severity;
using ecsq::testing::spanned;

std::vector<Diagnostic> with_rule(const std::vector<Diagnostic>& diagnostics, std::string_view rule) {
  std::vector<Diagnostic> out;
  std::copy_if(diagnostics.begin(), diagnostics.end(), std::back_inserter(out),
               [&](const Diagnostic& d) { return ecsq::lint_rule_of(d) == rule; });
  return out;
}

// The expression with every fix-it of `d` applied.
std::string fixed(std::string_view source, const Diagnostic& d) { return ecsq::with_fixits_applied(source, d.fixits); }

std::size_t contradictions(std::string_view expression) {
  return with_rule(ecsq::lint_expression(expression), "ECSQ-L028").size();
}

}  // namespace

TEST_CASE("lint rules: the table has unique, ordered ids with names and summaries", "[lint]") {
  const auto rules = ecsq::lint_rules();
  REQUIRE(rules.size() >= 20);
  std::set<std::string_view> ids;
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    CHECK(rules[i].id.starts_with("ECSQ-L"));
    CHECK(rules[i].id.size() == 9);
    CHECK(!rules[i].name.empty());
    CHECK(!rules[i].summary.empty());
    ids.insert(rules[i].id);
    names.insert(rules[i].name);
    if (i > 0) CHECK(rules[i - 1].id < rules[i].id);
  }
  CHECK(ids.size() == rules.size());
  CHECK(names.size() == rules.size());
  REQUIRE(ecsq::find_lint_rule("ECSQ-L020") != nullptr);
  CHECK(ecsq::find_lint_rule("ECSQ-L020")->name == "invalid-expression");
  CHECK(ecsq::find_lint_rule("ECSQ-L999") == nullptr);
}

TEST_CASE("lint rules: parse and check codes map onto rules", "[lint]") {
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::error, "E0103", "", {}, {}, {}, {}}) == "ECSQ-L020");
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::error, "E0301", "", {}, {}, {}, {}}) == "ECSQ-L020");
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::warning, "W0101", "", {}, {}, {}, {}}) == "ECSQ-L021");
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::warning, "W0102", "", {}, {}, {}, {}}) == "ECSQ-L021");
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::warning, "W0202", "", {}, {}, {}, {}}) == "ECSQ-L027");
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::warning, "W0201", "", {}, {}, {}, {}}) == "ECSQ-L022");
  CHECK(ecsq::lint_rule_of(Diagnostic{Severity::warning, "ECSQ-L025", "", {}, {}, {}, {}}) == "ECSQ-L025");
}

TEST_CASE("lint rules: closest_spelling", "[lint]") {
  constexpr std::array<std::string_view, 2> types{"memberOf", "distinctInstance"};
  CHECK(ecsq::closest_spelling("MemberOf", types) == "memberOf");
  CHECK(ecsq::closest_spelling("member_of", types) == "memberOf");
  CHECK(ecsq::closest_spelling("memberof", types) == "memberOf");
  CHECK(ecsq::closest_spelling("DistinctInstance", types) == "distinctInstance");
  CHECK(ecsq::closest_spelling("distinctInstnace", types) == "distinctInstance");
  CHECK(ecsq::closest_spelling("spread", types).empty());
  CHECK(ecsq::closest_spelling("", types).empty());
  constexpr std::array<std::string_view, 2> short_words{"ab", "cd"};
  CHECK(ecsq::closest_spelling("xy", short_words).empty());  // two edits from both: no guess
}

TEST_CASE("lint_expression: a clean expression has no findings", "[lint]") {
  CHECK(ecsq::lint_expression("attribute:ecs.os-type == linux and attribute:ecs.instance-type =~ t3\\..*").empty());
  CHECK(ecsq::lint_expression("attribute:ecs.capability.secrets.asm.environment-variables exists").empty());
  CHECK(ecsq::lint_expression("task:group != service:web and runningTasksCount < 5").empty());
  CHECK(ecsq::lint_expression("attribute:ecs.os-family in [LINUX, WINDOWS_SERVER_2022_CORE]").empty());
}

TEST_CASE("lint_expression: parse and check errors keep their codes (ECSQ-L020)", "[lint]") {
  const std::string expression = "attribute:ecs.instance-type t2.small";
  const auto found = ecsq::lint_expression(expression);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "E0103");
  CHECK(found[0].severity == Severity::error);
  CHECK(ecsq::lint_rule_of(found[0]) == "ECSQ-L020");
  CHECK(spanned(expression, found[0]) == "t2.small");

  const auto checked = ecsq::lint_expression("runningTasksCount > many");
  REQUIRE(!checked.empty());
  CHECK(checked[0].code == "E0205");
  CHECK(ecsq::lint_rule_of(checked[0]) == "ECSQ-L020");
}

TEST_CASE("lint_expression: distinctInstance in an expression field is an error", "[lint]") {
  const auto found = ecsq::lint_expression("distinctInstance");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "ECSQ-L020");
  CHECK(found[0].severity == Severity::error);
}

TEST_CASE("lint_expression: the 2000-character limit (ECSQ-L015)", "[lint]") {
  std::string expression = "attribute:a in [";
  while (expression.size() < 2100) expression += "value, ";
  expression += "last]";
  const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L015");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == Severity::error);
  CHECK(found[0].span.begin == 2000);
  CHECK(found[0].span.end == expression.size());

  // Characters, not bytes: 2000 two-byte characters are within the limit.
  std::string accented = "attribute:a == ";
  while (ecsq::character_count(accented) < 2000) accented += "\xC3\xA9";
  CHECK(ecsq::character_count(accented) == 2000);
  CHECK(with_rule(ecsq::lint_expression(accented), "ECSQ-L015").empty());
  CHECK(with_rule(ecsq::lint_expression(accented + "\xC3\xA9"), "ECSQ-L015").size() == 1);
}

TEST_CASE("lint_expression: non-canonical forms (ECSQ-L021)", "[lint]") {
  SECTION("bare attribute names and upper-case keywords keep the parser's codes") {
    const std::string expression = "ecs.os-type == linux AND attribute:stack == prod";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L021");
    REQUIRE(found.size() == 2);
    CHECK(found[0].code == "W0101");
    CHECK(found[1].code == "W0102");
    CHECK(fixed(expression, found[0]) == "attribute:ecs.os-type == linux AND attribute:stack == prod");
    CHECK(fixed(expression, found[1]) == "ecs.os-type == linux and attribute:stack == prod");
  }
  SECTION("memberOf(...) inside an expression field: the canonical inner text is the fix") {
    const std::string expression = "memberOf(ecs.os-type=='windows')";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L021");
    const auto wrapper = std::find_if(found.begin(), found.end(), [](const Diagnostic& d) { return d.code == "ECSQ-L021"; });
    REQUIRE(wrapper != found.end());
    CHECK(wrapper->severity == Severity::warning);
    CHECK(fixed(expression, *wrapper) == "attribute:ecs.os-type == windows");
  }
}

TEST_CASE("lint_expression: other checker warnings are ECSQ-L022", "[lint]") {
  const auto found = ecsq::lint_expression("attribute:a in []");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "W0201");
  CHECK(ecsq::lint_rule_of(found[0]) == "ECSQ-L022");
}

TEST_CASE("lint_expression: values built-in attributes never take (ECSQ-L023)", "[lint]") {
  SECTION("ecs.os-family == linux suggests LINUX") {
    const std::string expression = "attribute:ecs.os-family == linux";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L023");
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == Severity::warning);
    CHECK(found[0].message == "ecs.os-family is never 'linux'; did you mean 'LINUX'?");
    CHECK(fixed(expression, found[0]) == "attribute:ecs.os-family == LINUX");
  }
  SECTION("quoting is kept in the fix") {
    const std::string expression = "attribute:ecs.os-type == 'Windows'";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L023");
    REQUIRE(found.size() == 1);
    CHECK(fixed(expression, found[0]) == "attribute:ecs.os-type == 'windows'");
  }
  SECTION("architecture aliases") {
    const std::string expression = "attribute:ecs.cpu-architecture != aarch64";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L023");
    REQUIRE(found.size() == 1);
    CHECK(fixed(expression, found[0]) == "attribute:ecs.cpu-architecture != arm64");
  }
  SECTION("a prefix of several values names them all, without a fix") {
    const auto found = with_rule(ecsq::lint_expression("attribute:ecs.os-family == WINDOWS_SERVER_2019"), "ECSQ-L023");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "ecs.os-family is never 'WINDOWS_SERVER_2019'; did you mean 'WINDOWS_SERVER_2019_FULL' or "
          "'WINDOWS_SERVER_2019_CORE'?");
    CHECK(found[0].fixits.empty());
  }
  SECTION("each list item is checked") {
    const std::string expression = "attribute:ecs.os-type in [linux, macos, windows, Linux]";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L023");
    REQUIRE(found.size() == 2);
    CHECK(spanned(expression, found[0]) == "macos");
    CHECK(found[0].fixits.empty());
    CHECK(spanned(expression, found[1]) == "Linux");
  }
  SECTION("a pattern that matches no possible value") {
    CHECK(with_rule(ecsq::lint_expression("attribute:ecs.os-family =~ windows.*"), "ECSQ-L023").size() == 1);
    CHECK(with_rule(ecsq::lint_expression("attribute:ecs.os-family =~ WINDOWS.*"), "ECSQ-L023").empty());
    CHECK(with_rule(ecsq::lint_expression("attribute:ecs.os-type !~ (?i)LINUX"), "ECSQ-L023").empty());
  }
  SECTION("other attributes and operators are left alone") {
    CHECK(with_rule(ecsq::lint_expression("attribute:os-type == Linux"), "ECSQ-L023").empty());
    CHECK(with_rule(ecsq::lint_expression("attribute:ecs.os-type exists"), "ECSQ-L023").empty());
  }
}

TEST_CASE("lint_expression: misspelled built-in attributes (ECSQ-L024)", "[lint]") {
  const std::array<std::pair<std::string_view, std::string_view>, 6> cases{{
      {"ecs.instance_type", "ecs.instance-type"},
      {"ecs.os_type", "ecs.os-type"},
      {"ecs.availability_zone", "ecs.availability-zone"},
      {"ecs.ami_id", "ecs.ami-id"},
      {"ecs.instance-typ", "ecs.instance-type"},
      {"ECS.OS-TYPE", "ecs.os-type"},
  }};
  for (const auto& [written, meant] : cases) {
    const std::string expression = fmt::format("attribute:{} exists", written);
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L024");
    INFO(expression);
    REQUIRE(found.size() == 1);
    CHECK(spanned(expression, found[0]) == written);
    CHECK(fixed(expression, found[0]) == fmt::format("attribute:{} exists", meant));
  }
  // Shorthand spelling: the fix replaces only the name.
  const std::string shorthand = "ecs.instance_type == t3.large";
  const auto found = with_rule(ecsq::lint_expression(shorthand), "ECSQ-L024");
  REQUIRE(found.size() == 1);
  CHECK(fixed(shorthand, found[0]) == "ecs.instance-type == t3.large");
  // Custom attributes and the other ecs.* names are not guessed at.
  CHECK(with_rule(ecsq::lint_expression("attribute:instance_type exists"), "ECSQ-L024").empty());
  CHECK(with_rule(ecsq::lint_expression("attribute:ecs.awsvpc-trunk-id exists"), "ECSQ-L024").empty());
  CHECK(with_rule(ecsq::lint_expression("attribute:ecs.capability.ecr-auth exists"), "ECSQ-L024").empty());
}

TEST_CASE("lint_expression: regexes that look like globs (ECSQ-L025)", "[lint]") {
  const std::string expression = "attribute:ecs.availability-zone =~ us-east-1*";
  const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L025");
  REQUIRE(found.size() == 1);
  CHECK(found[0].message == "'us-east-1*' looks like a glob; did you mean 'us-east-1.*'?");
  CHECK(spanned(expression, found[0]) == "1*");
  CHECK(fixed(expression, found[0]) == "attribute:ecs.availability-zone =~ us-east-1.*");

  const std::string quoted = "attribute:ecs.instance-type !~ 'g4*'";
  const auto in_quotes = with_rule(ecsq::lint_expression(quoted), "ECSQ-L025");
  REQUIRE(in_quotes.size() == 1);
  CHECK(fixed(quoted, in_quotes[0]) == "attribute:ecs.instance-type !~ 'g4.*'");

  for (const char* fine : {"attribute:a =~ us-east-1.*", "attribute:a =~ (p[2,3]|g[3,4]).*", "attribute:a =~ \\d*",
                           "attribute:a =~ [a-z]*", "attribute:a == us-east-1*"}) {
    INFO(fine);
    CHECK(with_rule(ecsq::lint_expression(fine), "ECSQ-L025").empty());
  }
}

TEST_CASE("lint_expression: capability attributes compared with a value (ECSQ-L026)", "[lint]") {
  const std::string expression = "attribute:ecs.capability.secrets.asm.environment-variables == true";
  const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L026");
  REQUIRE(found.size() == 1);
  CHECK(spanned(expression, found[0]) == "== true");
  CHECK(fixed(expression, found[0]) == "attribute:ecs.capability.secrets.asm.environment-variables exists");

  const auto negative = with_rule(
      ecsq::lint_expression("attribute:com.amazonaws.ecs.capability.docker-remote-api.1.40 != x"), "ECSQ-L026");
  REQUIRE(negative.size() == 1);
  CHECK(negative[0].message.find("always true") != std::string::npos);
  CHECK(negative[0].fixits.empty());

  CHECK(with_rule(ecsq::lint_expression("attribute:ecs.capability.docker-plugin.local !exists"), "ECSQ-L026").empty());
  CHECK(with_rule(ecsq::lint_expression("attribute:ecs.capability.cni-plugin-version =~ 55b.*"), "ECSQ-L026").empty());
}

TEST_CASE("lint_expression: == on registeredAt with a date alone reuses the checker's W0202 (ECSQ-L027)", "[lint]") {
  const auto found = ecsq::lint_expression("registeredAt == 2024-03-01");
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == "W0202");
  CHECK(ecsq::lint_rule_of(found[0]) == "ECSQ-L027");
  CHECK(ecsq::lint_expression("registeredAt == 2024-03-01T00:00:00Z").empty());
}

TEST_CASE("lint_expression: provable contradictions (ECSQ-L028)", "[lint]") {
  SECTION("the message names both comparisons and points at the later one") {
    const std::string expression = "attribute:stack == prod and attribute:stack == dev";
    const auto found = with_rule(ecsq::lint_expression(expression), "ECSQ-L028");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "'attribute:stack == dev' contradicts 'attribute:stack == prod': no instance satisfies both");
    CHECK(spanned(expression, found[0]) == "attribute:stack == dev");
  }
  SECTION("contradictions") {
    for (const char* expression : {
             "attribute:a == x and attribute:a != x",
             "attribute:a == x and not(attribute:a == x)",
             "attribute:a in [x, y] and attribute:a == z",
             "attribute:a in [x, y] and attribute:a !in [y, x]",
             "attribute:a exists and attribute:a !exists",
             "attribute:a == x and not attribute:a exists",
             "attribute:a == x and attribute:a =~ y.*",
             "attribute:a == x and attribute:a !~ x",
             "attribute:a == 5 and attribute:a > 7",
             "attribute:a > 5 and attribute:a < 2",
             "runningTasksCount > 5 and runningTasksCount < 2",
             "runningTasksCount > 5 and runningTasksCount < 6",
             "runningTasksCount >= 5 and runningTasksCount <= 5 and runningTasksCount != 5",
             "runningTasksCount == 1 and runningTasksCount == 2",
             "agentVersion > 1.0 and agentVersion < 1.0.0",
             "agentVersion >= 1.60.0 and agentVersion <= 1.60 and agentVersion != 1.60.0.0",
             "agentConnected != true and agentConnected != false",
             "agentConnected == TRUE and agentConnected == false",
             "ec2InstanceId in [i-1, i-2] and ec2InstanceId =~ i-3.*",
             "registeredAt > 2024-01-01 and registeredAt < 2023-01-01",
             "task:group == web and task:group !exists",
             "attribute:b == y or (attribute:a == x and attribute:a == y)",
         }) {
      INFO(expression);
      CHECK(contradictions(expression) == 1);
    }
  }
  SECTION("three comparisons that only contradict together are all named") {
    const auto found =
        with_rule(ecsq::lint_expression("attribute:a in [x, y] and attribute:a != x and attribute:a != y"), "ECSQ-L028");
    REQUIRE(found.size() == 1);
    CHECK(found[0].message ==
          "'attribute:a != y' contradicts 'attribute:a in [x, y]' and 'attribute:a != x': no instance satisfies them "
          "all");
  }
  SECTION("never a false positive") {
    for (const char* expression : {
             "attribute:a == x or attribute:a == y",
             "attribute:a == x and attribute:b == y",
             "attribute:a != x and attribute:a != y",
             "attribute:a in [x, y] and attribute:a != x",
             "attribute:a == x and attribute:a == x",
             "attribute:a == x and attribute:a exists",
             "attribute:a != x and attribute:a !exists",
             "attribute:a > 10 and attribute:a < 9",  // byte-wise, "5x" is between them
             "attribute:a >= 5 and attribute:a <= 5",
             "attribute:a =~ x.* and attribute:a =~ .*y",
             "task:group == web and task:group == db",  // an instance runs tasks of many groups
             "task:group != web and task:group !exists",
             "runningTasksCount > 5 and runningTasksCount < 7",
             "runningTasksCount != 3 and runningTasksCount != 4",
             "agentVersion > 1.0 and agentVersion < 1.0.1",
             "agentVersion >= 1.0.0-beta and agentVersion < 1.0.0",
             "registeredAt >= 2024-01-01 and registeredAt < 2024-01-02",
             "not(attribute:a == x and attribute:a == y)",
             "not(attribute:a == x) and not(attribute:a == y)",
         }) {
      INFO(expression);
      CHECK(contradictions(expression) == 0);
    }
  }
  SECTION("an empty list is left to the checker's W0201") {
    const auto found = ecsq::lint_expression("attribute:a in [] and attribute:a == x");
    CHECK(with_rule(found, "ECSQ-L028").empty());
    CHECK(with_rule(found, "ECSQ-L022").size() == 1);
  }
}

TEST_CASE("lint_query: works on a checked query without any file", "[lint]") {
  const ecsq::CheckResult checked = ecsq::check("attribute:ecs.os_type == linux and attribute:ecs.os_type == windows");
  REQUIRE(checked.ok());
  const auto found = ecsq::lint_query(*checked.query);
  CHECK(with_rule(found, "ECSQ-L024").size() == 2);
  CHECK(with_rule(found, "ECSQ-L028").size() == 1);
}
