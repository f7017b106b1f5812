// Evaluator and explain: every subject × operator on hand-built instances, the missing-value
// rules, negations as complements, and explain's rendered output.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/testing/catch2.hpp"
#include "allocations.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::allocation_count;
using ecsq::testing::checked;
using ecsq::testing::Satisfies;

namespace {

Instant at(std::string_view text) {
  const auto instant = parse_instant(text);
  REQUIRE(instant);
  return *instant;
}

// A typical Linux instance running two tasks.
Instance web() {
  Instance i;
  i.ec2_instance_id = "i-web";
  i.agent_connected = true;
  i.agent_version = "1.14.5";
  i.registered_at = at("2018-02-12T10:00:00Z");
  i.running_tasks_count = 2;
  i.set_attribute("ecs.instance-type", "t2.small");
  i.set_attribute("ecs.availability-zone", "us-east-1d");
  i.set_attribute("stack", "prod");
  i.set_attribute("memory", "2048");
  i.set_attribute("ecs.capability.task-eni");
  i.add_task_group("service:web");
  i.add_task_group("family:web");
  return i;
}

// An instance where every field is absent: no id, version, time, attributes or tasks.
Instance bare() {
  Instance i;
  i.agent_connected = false;
  return i;
}

struct Row {
  const char* expression;
  bool on_web;
  bool on_bare;
};

}  // namespace

TEST_CASE("every subject × allowed operator on a full and an empty instance", "[evaluate]") {
  const Row rows[] = {
      // agentConnected: the text true/false
      {"agentConnected == true", true, false},
      {"agentConnected != true", false, true},
      {"agentConnected in [false]", false, true},
      {"agentConnected !in [false]", true, false},
      {"agentConnected =~ t.*", true, false},
      {"agentConnected !~ t.*", false, true},
      // agentVersion: numeric components; an empty version is missing
      {"agentVersion == 1.14.5", true, false},
      {"agentVersion != 1.14.5", false, true},
      {"agentVersion > 1.9.0", true, false},
      {"agentVersion >= 1.14.5.0", true, false},
      {"agentVersion < 1.14.10", true, false},
      {"agentVersion <= 1.14.4", false, false},
      // ec2InstanceId: an empty id is missing
      {"ec2InstanceId == i-web", true, false},
      {"ec2InstanceId != i-web", false, true},
      {"ec2InstanceId in [i-x, i-web]", true, false},
      {"ec2InstanceId !in [i-x]", true, true},
      {"ec2InstanceId =~ i-w.*", true, false},
      {"ec2InstanceId !~ i-w.*", false, true},
      // registeredAt: instants; a missing time satisfies no ordering
      {"registeredAt == 2018-02-12T10:00:00Z", true, false},
      {"registeredAt != 2018-02-12T11:00:00+01:00", false, true},
      {"registeredAt > 2018-02-12", true, false},
      {"registeredAt >= 2018-02-12T10:00:00", true, false},
      {"registeredAt < 2018-02-13", true, false},
      {"registeredAt <= 2018-02-12T09:59:59Z", false, false},
      // runningTasksCount
      {"runningTasksCount == 2", true, false},
      {"runningTasksCount != 0", true, false},
      {"runningTasksCount > 1", true, false},
      {"runningTasksCount >= 0", true, true},
      {"runningTasksCount < 2", false, true},
      {"runningTasksCount <= 2", true, true},
      // task:group: a set
      {"task:group == service:web", true, false},
      {"task:group != service:web", false, true},
      {"task:group exists", true, false},
      {"task:group !exists", false, true},
      {"task:group in [service:api, family:web]", true, false},
      {"task:group !in [service:api]", true, true},
      {"task:group =~ service:.*", true, false},
      {"task:group !~ family:.*", false, true},
      // attribute: all twelve
      {"attribute:stack == prod", true, false},
      {"attribute:stack != prod", false, true},
      {"attribute:memory > 1024", true, false},
      {"attribute:memory >= 2048.0", true, false},
      {"attribute:memory < 10000", true, false},  // numeric: as bytes "2048" > "10000"
      {"attribute:memory <= 999", false, false},  // numeric: as bytes "2048" < "999"
      {"attribute:stack exists", true, false},
      {"attribute:stack !exists", false, true},
      {"attribute:stack in [prod, dev]", true, false},
      {"attribute:stack !in [dev]", true, true},
      {"attribute:stack =~ pr.*", true, false},
      {"attribute:stack !~ pr.*", false, true},
      // a value-less attribute is missing for everything but exists
      {"attribute:ecs.capability.task-eni exists", true, false},
      {"attribute:ecs.capability.task-eni == ''", false, false},
      {"attribute:ecs.capability.task-eni != ''", true, true},
      {"attribute:ecs.capability.task-eni =~ .*", false, false},
      {"attribute:ecs.capability.task-eni > ''", false, false},
  };
  const Instance full = web();
  const Instance empty = bare();
  for (const Row& row : rows) {
    INFO(row.expression);
    const CheckedQuery query = checked(row.expression);
    CHECK(evaluate(query, full) == row.on_web);
    CHECK(evaluate(query, empty) == row.on_bare);
    CHECK(evaluate(query.comparisons.front(), full) == row.on_web);
    // Negations are exact complements for every subject.
    const CheckedQuery negated = checked(std::string("not(") + row.expression + ")");
    CHECK(evaluate(negated, full) != row.on_web);
    CHECK(evaluate(negated, empty) != row.on_bare);
    CHECK(explain(query, full).result == row.on_web);
  }
}

TEST_CASE("each negative operator is the complement of its positive on every instance", "[evaluate]") {
  const std::pair<const char*, const char*> pairs[] = {
      {"agentConnected == false", "agentConnected != false"},
      {"agentVersion == 1.14", "agentVersion != 1.14"},
      {"registeredAt == 2018-02-12T10:00:00Z", "registeredAt != 2018-02-12T10:00:00Z"},
      {"runningTasksCount == 0", "runningTasksCount != 0"},
      {"ec2InstanceId in [i-web]", "ec2InstanceId !in [i-web]"},
      {"ec2InstanceId =~ .*", "ec2InstanceId !~ .*"},
      {"task:group exists", "task:group !exists"},
      {"task:group in [family:web]", "task:group !in [family:web]"},
      {"task:group =~ .*", "task:group !~ .*"},
      {"attribute:ecs.capability.task-eni exists", "attribute:ecs.capability.task-eni !exists"},
      {"attribute:memory == 2048", "attribute:memory != 2048"},
      {"attribute:memory in ['2048']", "attribute:memory !in ['2048']"},
      {"attribute:memory =~ \\d+", "attribute:memory !~ \\d+"},
  };
  Instance odd = web();
  odd.agent_version = "not-a-version";
  odd.set_attribute("memory");
  odd.set_task_groups({});
  const Instance instances[] = {web(), bare(), odd};
  for (const auto& [positive, negative] : pairs) {
    const CheckedQuery p = checked(positive);
    const CheckedQuery n = checked(negative);
    for (const Instance& instance : instances) {
      INFO(positive << " on " << instance.ec2_instance_id);
      CHECK(evaluate(p, instance) != evaluate(n, instance));
    }
  }
}

TEST_CASE("agentVersion ordering agrees with compare(Version) for every pair", "[evaluate][version]") {
  const std::vector<std::string> versions = {"1.9.0", "1.14.5", "1.14", "1.14.0", "1.14.0.0", "1.14.5-beta",
                                             "1.14.5-rc.1", "1.15.0-1", "2", "0.0.1", "1.68.2", "18446744073709551615"};
  const char* ops[] = {"==", "!=", ">", ">=", "<", "<="};
  for (const std::string& seen : versions) {
    Instance instance;
    instance.agent_version = seen;
    for (const std::string& literal : versions) {
      const auto order = compare(*parse_version(seen), *parse_version(literal));
      const bool expected[] = {order == 0, order != 0, order > 0, order >= 0, order < 0, order <= 0};
      for (int k = 0; k < 6; ++k) {
        const std::string text = "agentVersion " + std::string(ops[k]) + " " + literal;
        INFO(seen << " vs " << text);
        CHECK(evaluate(checked(text), instance) == expected[k]);
      }
    }
  }
}

TEST_CASE("an agentVersion that is not a version behaves as missing", "[evaluate][version]") {
  for (const char* seen : {"", "banana", "v1.14.5", "1.14.", "1.2.3.4.5.6.7.8.9", "1.0-", "1.0-a b",
                           "1.0-with-a-very-long-suffix-that-would-not-fit-in-any-small-buffer", "99999999999999999999"}) {
    Instance instance;
    instance.agent_version = seen;
    INFO('"' << seen << '"');
    const bool parses = parse_version(seen).has_value();
    if (parses) {
      // The long suffix is a version; it must order like one.
      CHECK(evaluate(checked("agentVersion < 1.0"), instance));
      continue;
    }
    for (const char* text : {"agentVersion == 1.0", "agentVersion > 0", "agentVersion >= 0", "agentVersion < 99",
                             "agentVersion <= 99"}) {
      CHECK_FALSE(evaluate(checked(text), instance));
    }
    CHECK(evaluate(checked("agentVersion != 1.0"), instance));
  }
}

TEST_CASE("attribute ordering: numeric when both are decimals, else bytes", "[evaluate]") {
  const std::vector<std::string> values = {"10", "9", "-3", "2.50", "2.5", "+7", "abc", "0x10", "", "1e3", "Z", "007"};
  for (const std::string& seen : values) {
    Instance instance;
    instance.set_attribute("v", seen);
    for (const std::string& literal : values) {
      if (literal.empty()) continue;  // covered by quoted forms elsewhere
      const auto order = compare_attribute_values(seen, literal);
      INFO("'" << seen << "' vs '" << literal << "'");
      CHECK(evaluate(checked("attribute:v > '" + literal + "'"), instance) == (order > 0));
      CHECK(evaluate(checked("attribute:v >= '" + literal + "'"), instance) == (order >= 0));
      CHECK(evaluate(checked("attribute:v < '" + literal + "'"), instance) == (order < 0));
      CHECK(evaluate(checked("attribute:v <= '" + literal + "'"), instance) == (order <= 0));
      // == stays a byte comparison even where the numbers are equal.
      CHECK(evaluate(checked("attribute:v == '" + literal + "'"), instance) == (seen == literal));
    }
  }
  Instance instance;
  instance.set_attribute("v", "10");
  CHECK(evaluate(checked("attribute:v > 9"), instance));
  CHECK_FALSE(evaluate(checked("attribute:v > 9a"), instance));  // "10" < "9a" as bytes
}

TEST_CASE("registeredAt compares instants to the second", "[evaluate]") {
  Instance instance;
  instance.registered_at = at("2018-06-18T22:28:28Z");
  CHECK_THAT(instance, Satisfies("registeredAt == 2018-06-19T00:28:28+02:00"));
  CHECK_THAT(instance, Satisfies("registeredAt == 2018-06-18T18:28:28-04:00"));
  CHECK_THAT(instance, !Satisfies("registeredAt == 2018-06-18T22:28:29Z"));
  CHECK_THAT(instance, Satisfies("registeredAt > 2018-06-18"));
  CHECK_THAT(instance, Satisfies("registeredAt < 2018-06-19"));
  instance.registered_at.reset();
  CHECK_THAT(instance, !Satisfies("registeredAt < 2100-01-01"));
  CHECK_THAT(instance, !Satisfies("registeredAt > 1970-01-01"));
  CHECK_THAT(instance, Satisfies("registeredAt != 2018-06-18T22:28:28Z"));
}

TEST_CASE("task:group is a set of the instance's task groups", "[evaluate]") {
  Instance instance;
  for (const char* g : {"service:api", "service:web", "family:batch"}) instance.add_task_group(g);
  CHECK_THAT(instance, Satisfies("task:group == service:web"));
  CHECK_THAT(instance, Satisfies("task:group == family:batch"));
  CHECK_THAT(instance, !Satisfies("task:group == service"));
  CHECK_THAT(instance, Satisfies("task:group in [a, b, service:api, z]"));
  CHECK_THAT(instance, Satisfies("task:group in [family:batch]"));
  CHECK_THAT(instance, !Satisfies("task:group in [a, family:batc, service:webs]"));
  CHECK_THAT(instance, Satisfies("task:group =~ family:.*"));
  CHECK_THAT(instance, !Satisfies("task:group =~ service"));  // whole match, not find
  CHECK_THAT(instance, !Satisfies("task:group !~ service:.*"));
  CHECK_THAT(instance, Satisfies("task:group != service:db"));
  instance.set_task_groups({});
  CHECK_THAT(instance, !Satisfies("task:group exists"));
  CHECK_THAT(instance, Satisfies("task:group !~ .*"));
  CHECK_THAT(instance, Satisfies("task:group !in [a]"));
}

TEST_CASE("and, or and not over the tree", "[evaluate]") {
  const Instance i = web();
  CHECK_THAT(i, Satisfies("attribute:stack == prod and runningTasksCount == 2"));
  CHECK_THAT(i, !Satisfies("attribute:stack == prod and runningTasksCount == 3"));
  CHECK_THAT(i, Satisfies("attribute:stack == dev or runningTasksCount == 2"));
  CHECK_THAT(i, !Satisfies("attribute:stack == dev or runningTasksCount == 3 or agentConnected == false"));
  CHECK_THAT(i, Satisfies("not attribute:stack == dev and not runningTasksCount == 3"));
  // not > and > or
  CHECK_THAT(i, Satisfies("attribute:stack == prod or attribute:stack == dev and runningTasksCount == 9"));
  CHECK_THAT(i, !Satisfies("(attribute:stack == prod or attribute:stack == dev) and runningTasksCount == 9"));

  // The parser's deepest nesting evaluates.
  std::string deep;
  for (int k = 0; k < 63; ++k) deep += k % 2 == 0 ? "not(" : "(";
  deep += "attribute:stack == prod";
  deep += std::string(63, ')');
  CHECK_THAT(i, Satisfies(deep));  // 32 nots cancel out
  CHECK_THAT(i, !Satisfies("not " + deep));
}

TEST_CASE("the empty expression and distinctInstance hold everywhere", "[evaluate]") {
  for (const char* text : {"", "memberOf()", "distinctInstance"}) {
    const CheckedQuery query = checked(text);
    CHECK(evaluate(query, web()));
    CHECK(evaluate(query, bare()));
    const Explanation e = explain(query, bare());
    CHECK(e.result);
    CHECK(e.lines.empty());
    CHECK(render_text(e) == "✓ (no expression)\n");
  }
}

TEST_CASE("observed_value shows what each subject sees", "[explain]") {
  const Instance full = web();
  const Instance empty = bare();
  const auto seen = [](std::string_view text, const Instance& instance) {
    const CheckedQuery q = checked(text);
    return observed_value(q.comparisons.front(), instance);
  };
  CHECK(seen("attribute:ecs.instance-type exists", full) == "\"t2.small\"");
  CHECK(seen("attribute:ecs.capability.task-eni exists", full) == "(no value)");
  CHECK(seen("attribute:gpu exists", full) == "(missing)");
  CHECK(seen("agentConnected == true", full) == "true");
  CHECK(seen("agentConnected == true", empty) == "false");
  CHECK(seen("agentVersion > 1", full) == "\"1.14.5\"");
  CHECK(seen("agentVersion > 1", empty) == "(missing)");
  CHECK(seen("ec2InstanceId == x", full) == "\"i-web\"");
  CHECK(seen("ec2InstanceId == x", empty) == "(missing)");
  CHECK(seen("registeredAt > 2018-01-01", full) == "2018-02-12T10:00:00Z");
  CHECK(seen("registeredAt > 2018-01-01", empty) == "(missing)");
  CHECK(seen("runningTasksCount > 1", full) == "2");
  CHECK(seen("task:group exists", full) == "{family:web, service:web}");
  CHECK(seen("task:group exists", empty) == "(no tasks)");
  Instance odd;
  odd.agent_version = "weird";
  odd.set_attribute("quote", "say \"hi\"");
  CHECK(seen("agentVersion > 1", odd) == "\"weird\" (not a version)");
  CHECK(seen("attribute:quote exists", odd) == "\"say \\\"hi\\\"\"");
}

TEST_CASE("explain renders the documented example", "[explain]") {
  Instance i = web();
  i.set_attribute("ecs.availability-zone", "us-east-1d");
  const CheckedQuery q =
      checked("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d");
  const Explanation e = explain(q, i);
  CHECK_FALSE(e.result);
  CHECK(render_text(e) ==
        "✗ and\n"
        "  ✓ attribute:ecs.instance-type =~ t2.*    saw \"t2.small\"\n"
        "  ✗ attribute:ecs.availability-zone != us-east-1d    saw \"us-east-1d\"\n");
  REQUIRE(e.lines.size() == 3);
  CHECK(e.lines[0].node == q.ast.root);
  CHECK(e.lines[0].depth == 0);
  CHECK(e.lines[1].depth == 1);
  CHECK(e.lines[0].observed.empty());
}

TEST_CASE("explain evaluates every node without short-circuit", "[explain]") {
  const CheckedQuery q = checked(
      "not(task:group == service:api or agentVersion < 1.9.0) and "
      "(attribute:gpu exists or attribute:ecs.capability.task-eni == x or registeredAt > 2018-01-01)");
  SECTION("on an instance that matches") {
    const Explanation e = explain(q, web());
    CHECK(e.result);
    CHECK(render_text(e) ==
          "✓ and\n"
          "  ✓ not\n"
          "    ✗ or\n"
          "      ✗ task:group == service:api    saw {family:web, service:web}\n"
          "      ✗ agentVersion < 1.9.0    saw \"1.14.5\"\n"
          "  ✓ or\n"
          "    ✗ attribute:gpu exists    saw (missing)\n"
          "    ✗ attribute:ecs.capability.task-eni == x    saw (no value)\n"
          "    ✓ registeredAt > 2018-01-01    saw 2018-02-12T10:00:00Z\n");
  }
  SECTION("on an empty instance: the first false child does not hide the rest") {
    const Explanation e = explain(q, bare());
    CHECK_FALSE(e.result);
    CHECK(render_text(e) ==
          "✗ and\n"
          "  ✓ not\n"
          "    ✗ or\n"
          "      ✗ task:group == service:api    saw (no tasks)\n"
          "      ✗ agentVersion < 1.9.0    saw (missing)\n"
          "  ✗ or\n"
          "    ✗ attribute:gpu exists    saw (missing)\n"
          "    ✗ attribute:ecs.capability.task-eni == x    saw (missing)\n"
          "    ✗ registeredAt > 2018-01-01    saw (missing)\n");
    CHECK(e.result == evaluate(q, bare()));
  }
}

TEST_CASE("explain shows the built-in subjects as they are compared", "[explain]") {
  Instance i = web();
  i.agent_version = "weird";
  const CheckedQuery q = checked(
      "agentConnected == TRUE && runningTasksCount >= 3 || ec2InstanceId =~ 'i-w.*' && agentVersion != 1.0");
  CHECK(render_text(explain(q, i)) ==
        "✓ or\n"
        "  ✗ and\n"
        "    ✓ agentConnected == TRUE    saw true\n"
        "    ✗ runningTasksCount >= 3    saw 2\n"
        "  ✓ and\n"
        "    ✓ ec2InstanceId =~ i-w.*    saw \"i-web\"\n"
        "    ✓ agentVersion != 1.0    saw \"weird\" (not a version)\n");
}

TEST_CASE("evaluate allocates nothing", "[evaluate]") {
  const CheckedQuery q = checked(
      "(attribute:stack in [dev, prod] and attribute:memory >= 1024.5 and attribute:ecs.instance-type =~ t2.*) or "
      "not(task:group == service:api or task:group in [family:db, x] or task:group =~ service:.*) or "
      "agentVersion > 1.2.3-beta or registeredAt < 2018-02-13 or runningTasksCount != 0 or "
      "ec2InstanceId !in [i-1, i-2] or agentConnected =~ t.* or attribute:gpu !exists");
  Instance long_suffix = web();
  long_suffix.agent_version = "1.14.5-a-suffix-much-longer-than-any-small-string-buffer";
  const Instance instances[] = {web(), bare(), long_suffix};
  bool results[3] = {};
  for (int k = 0; k < 3; ++k) results[k] = evaluate(q, instances[k]);  // warm up the regex engine's caches
  const long before = allocation_count.load();
  for (int round = 0; round < 100; ++round) {
    for (int k = 0; k < 3; ++k) {
      if (evaluate(q, instances[k]) != results[k]) FAIL("evaluate is not deterministic");
      for (const CheckedComparison& c : q.comparisons) (void)evaluate(c, instances[k]);
    }
  }
  CHECK(allocation_count.load() - before == 0);
  CHECK(results[0]);
  CHECK(results[1]);  // no gpu attribute
}
