#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "helpers.hpp"

using ecsq::Bitset;
using ecsq::Fleet;
using ecsq::Instance;
using ecsq::InstanceId;
using ecsq::testing::checked;

namespace {

// A Linux instance in availability zone `zone`.
Instance make(std::string id, std::string type, std::string zone, std::vector<std::string> groups = {}) {
  Instance instance = ecsq::testing::make_instance(std::move(id), std::move(type), std::move(groups));
  instance.set_attribute("ecs.availability-zone", std::move(zone));
  instance.set_attribute("ecs.os-type", "linux");
  return instance;
}

std::vector<Instance> small_fleet() {
  return {make("i-abcd1234", "t2.small", "us-east-1a", {"service:production"}),
          make("i-wxyx7890", "t2.medium", "us-east-1b"),
          make("i-0000", "g2.2xlarge", "us-east-1d", {"database"}),
          make("i-1111", "g2.8xlarge", "us-east-1a", {"service:production", "database"}),
          make("i-2222", "m5.large", "us-east-1c")};
}

std::vector<InstanceId> select_ids(std::string_view text, Fleet& fleet) {
  const ecsq::CheckedQuery query = checked(text);
  return ecsq::compile(query, fleet).select(fleet).to_vector();
}

}  // namespace

TEST_CASE("matcher: documented examples select the expected instances", "[matcher]") {
  Fleet fleet(small_fleet());
  CHECK(select_ids("attribute:ecs.instance-type == t2.small", fleet) == std::vector<InstanceId>{0});
  CHECK(select_ids("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", fleet) ==
        std::vector<InstanceId>{0, 1, 3});
  CHECK(select_ids("attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d", fleet) ==
        std::vector<InstanceId>{3});
  CHECK(select_ids("task:group == service:production", fleet) == std::vector<InstanceId>{0, 3});
  CHECK(select_ids("not(task:group == database)", fleet) == std::vector<InstanceId>{0, 1, 4});
  CHECK(select_ids("runningTasksCount == 1", fleet) == std::vector<InstanceId>{0, 2});
  CHECK(select_ids("ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", fleet) == std::vector<InstanceId>{0, 1});
  CHECK(select_ids("memberOf(ecs.os-type=='windows')", fleet).empty());
  CHECK(select_ids("agentVersion < 1.14.5", fleet).empty());
  CHECK(select_ids("agentVersion >= 1.68", fleet).size() == 5);
  CHECK(select_ids("task:group exists and not task:group =~ 'data.*'", fleet) == std::vector<InstanceId>{0});
  CHECK(select_ids("attribute:ecs.gpu !exists or attribute:nothing exists", fleet).size() == 5);
}

TEST_CASE("matcher: empty expression and distinctInstance match every live instance", "[matcher]") {
  Fleet fleet(small_fleet());
  fleet.remove(2);
  for (const char* text : {"", "memberOf()", "distinctInstance"}) {
    const ecsq::Matcher m = ecsq::compile(checked(text), fleet);
    CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{0, 1, 3, 4});
    CHECK(m.count(fleet) == 4);
    CHECK(m.matches(fleet, 0));
    CHECK_FALSE(m.matches(fleet, 2));
    CHECK_FALSE(m.matches(fleet, 99));
  }
  CHECK(ecsq::Matcher().count(fleet) == 4);
}

TEST_CASE("matcher: several constraints in one call, and distinctInstance applied by the caller", "[matcher]") {
  Fleet fleet(small_fleet());
  const ecsq::CheckedQuery task_definition = checked("memberOf(attribute:ecs.instance-type =~ t2.* or attribute:ecs.instance-type =~ g2.*)");
  const ecsq::CheckedQuery service = checked("attribute:ecs.availability-zone in [us-east-1a, us-east-1d]");
  const ecsq::CheckedQuery placement = checked("not(task:group == database)");
  const ecsq::Matcher all = ecsq::compile({&task_definition, &service, &placement}, fleet);
  CHECK(all.select(fleet).to_vector() == std::vector<InstanceId>{0});
  CHECK(all.size() == 4);
  const std::vector<const ecsq::CheckedQuery*> two = {&task_definition, &service};
  const ecsq::Matcher pair = ecsq::compile(two, fleet);
  Bitset candidates = pair.select(fleet);
  CHECK(candidates.to_vector() == std::vector<InstanceId>{0, 2, 3});
  // distinctInstance: drop the instances already running the task being placed.
  Bitset holders(fleet.slot_count());
  holders.set(3);
  candidates -= holders;
  CHECK(candidates.to_vector() == std::vector<InstanceId>{0, 2});
}

TEST_CASE("matcher: incremental updates, then re-select, with values interned after compile", "[matcher]") {
  Fleet fleet(small_fleet());
  const ecsq::CheckedQuery query = checked(
      "attribute:ecs.instance-type =~ 'g[0-9]\\..*' and agentVersion >= 1.70 and not task:group in [database, batch]");
  const ecsq::Matcher m = ecsq::compile(query, fleet);
  CHECK(m.select(fleet).none());

  // New values the matcher has never seen: an instance type, an agent version, a task group.
  const InstanceId added = fleet.add(make("i-new", "g5.xlarge", "us-east-1f", {"service:new"}));
  fleet.set_agent_version(added, "1.71.0");
  fleet.set_agent_version(2, "1.70.1");  // g2.2xlarge, but in the database group
  fleet.set_agent_version(3, "2.0.0");
  fleet.remove_task_group(3, "database");  // g2.8xlarge, now only service:production

  // matches() before any refresh evaluates the new values directly; the answers are already right.
  std::vector<InstanceId> before;
  for (InstanceId id = 0; id < fleet.slot_count(); ++id) {
    if (m.matches(fleet, id)) before.push_back(id);
  }
  CHECK(before == std::vector<InstanceId>{3, added});
  const Bitset selected = m.select(fleet);  // extends the tables
  CHECK(selected.to_vector() == before);
  for (InstanceId id = 0; id < fleet.slot_count(); ++id) CHECK(m.matches(fleet, id) == selected.test(id));

  fleet.add_task_group(added, "batch");
  fleet.set_attribute(0, "ecs.instance-type", "g6.xlarge");
  fleet.set_agent_version(0, "1.80.0-beta");
  m.refresh(fleet);
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{0, 3});
  CHECK(m.matches(fleet, 0));
  CHECK_FALSE(m.matches(fleet, added));

  fleet.remove(3);
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{0});
  CHECK_FALSE(m.matches(fleet, 3));
  const InstanceId reused = fleet.add(make("i-again", "g3.4xlarge", "us-east-1a"));
  fleet.set_agent_version(reused, "1.70");
  CHECK(reused == 3);
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{0, 3});
  for (InstanceId id = 0; id < fleet.slot_count(); ++id) {
    const auto instance = fleet.instance(id);
    CHECK(m.matches(fleet, id) == (instance && ecsq::evaluate(query, *instance)));
  }
}

TEST_CASE("matcher: literals unknown to the fleet at compile time match once instances take them", "[matcher]") {
  Fleet fleet(small_fleet());
  const ecsq::CheckedQuery query = checked(
      "attribute:stack == canary or ec2InstanceId == i-later or task:group == 'service:later' or attribute:stack > 'z'");
  const ecsq::Matcher m = ecsq::compile(query, fleet);
  CHECK(m.select(fleet).none());
  fleet.set_attribute(1, "stack", "canary");
  fleet.add(make("i-later", "t2.small", "us-east-1a"));
  fleet.add_task_group(4, "service:later");
  fleet.set_attribute(2, "stack", "zz");
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{1, 2, 4, 5});
}

TEST_CASE("matcher: select covers many blocks and partial words", "[matcher]") {
  std::vector<Instance> instances;
  for (int i = 0; i < 10000 + 37; ++i) {
    instances.push_back(make("i-" + std::to_string(i), i % 3 == 0 ? "t2.small" : "m5.large", "us-east-1a"));
    instances.back().running_tasks_count = i % 7;
  }
  Fleet fleet(instances);
  const ecsq::CheckedQuery query = checked("attribute:ecs.instance-type == t2.small and runningTasksCount > 3");
  const ecsq::Matcher m = ecsq::compile(query, fleet);
  const Bitset selected = m.select(fleet);
  std::size_t expected = 0;
  for (int i = 0; i < static_cast<int>(instances.size()); ++i) {
    const bool hit = i % 3 == 0 && i % 7 > 3;
    expected += hit;
    if (selected.test(static_cast<std::size_t>(i)) != hit) FAIL("instance " << i);
  }
  CHECK(selected.count() == expected);
  CHECK(m.count(fleet) == expected);
  Bitset reused;
  m.select(fleet, reused);
  CHECK(reused == selected);
}

TEST_CASE("matcher: concurrent readers while the tables grow", "[matcher][threads]") {
  std::vector<Instance> instances;
  for (int i = 0; i < 2000; ++i) instances.push_back(make("i-" + std::to_string(i), "t" + std::to_string(i % 50) + ".large", "z"));
  Fleet fleet(instances);
  const ecsq::CheckedQuery query = checked("attribute:ecs.instance-type =~ 't[0-9]*5\\..*' or ec2InstanceId =~ '.*7'");
  const ecsq::Matcher m = ecsq::compile(query, fleet);
  // Values interned after compile: every reader below races to extend or read the tables.
  for (InstanceId id = 0; id < fleet.slot_count(); id += 3) {
    fleet.set_attribute(id, "ecs.instance-type", "t" + std::to_string(100 + id) + ".large");
  }
  std::vector<char> expected(fleet.slot_count());
  for (InstanceId id = 0; id < fleet.slot_count(); ++id) expected[id] = ecsq::evaluate(query, *fleet.instance(id));

  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        if ((t + round) % 2 == 0) {
          const Bitset selected = m.select(fleet);
          for (InstanceId id = 0; id < fleet.slot_count(); ++id) wrong += selected.test(id) != static_cast<bool>(expected[id]);
        } else {
          for (InstanceId id = 0; id < fleet.slot_count(); ++id) wrong += m.matches(fleet, id) != static_cast<bool>(expected[id]);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
}

TEST_CASE("matcher: sparse attribute columns across many blocks agree with evaluate", "[matcher]") {
  std::vector<Instance> instances;
  for (int i = 0; i < 9000; ++i) {
    instances.push_back(make("i-" + std::to_string(i), "m5.large", "us-east-1a"));
    if (i % 997 == 3) instances.back().set_attribute("rare", "v" + std::to_string(i % 5));
    if (i % 1499 == 0) instances.back().set_attribute("flag");
  }
  Fleet fleet(instances);
  REQUIRE_FALSE(fleet.attribute_is_dense(*fleet.attribute_names().find("rare")));
  for (const char* text : {"attribute:rare exists", "attribute:rare !exists", "attribute:rare == v3",
                           "attribute:rare != v3", "attribute:rare =~ 'v[0-2]'", "attribute:rare !in [v0, v1, v4]",
                           "attribute:rare in [v0, v1, v2, v3, v4, v5]", "attribute:rare >= v2 or attribute:flag exists",
                           "attribute:flag == x", "not attribute:flag exists and attribute:never.seen !exists"}) {
    const ecsq::CheckedQuery query = checked(text);
    const ecsq::Matcher m = ecsq::compile(query, fleet);
    const Bitset selected = m.select(fleet);
    std::size_t wrong = 0;
    for (InstanceId id = 0; id < fleet.slot_count(); ++id) {
      const bool expected = ecsq::evaluate(query, instances[id]);
      wrong += (selected.test(id) != expected) + (m.matches(fleet, id) != expected);
    }
    INFO(text);
    CHECK(wrong == 0);
  }
}

TEST_CASE("matcher: compiled_for its fleet and copies of it, not another fleet or one assigned over", "[matcher]") {
  const auto compile_for = [](std::string_view text, Fleet& fleet) {
    const ecsq::CheckResult result = ecsq::check(text);
    REQUIRE(result.ok());
    return ecsq::compile(*result.query, fleet);
  };
  std::vector<Instance> instances(2);
  instances[0].set_attribute("zone", "a");
  instances[1].set_attribute("zone", "b");
  Fleet fleet(instances);
  // "c" is interned by compile(): a code `fleet` has and a fleet built alike does not.
  const ecsq::Matcher matcher = compile_for("attribute:zone in [a, c]", fleet);
  CHECK(matcher.compiled_for(fleet));
  CHECK(ecsq::Matcher().compiled_for(fleet));  // no codes: fits any fleet

  Fleet copy(fleet);
  CHECK(matcher.compiled_for(copy));
  copy.add(instances[0]);
  CHECK(matcher.compiled_for(copy));
  CHECK(matcher.select(copy).to_vector() == std::vector<InstanceId>{0, 2});

  Fleet other(instances);
  CHECK_FALSE(matcher.compiled_for(other));
  CHECK(compile_for("attribute:zone in [a, c]", other).compiled_for(other));

  Fleet assigned(instances);
  const ecsq::Matcher before = compile_for("attribute:zone == b", assigned);
  assigned = other;  // its dictionaries are now other's: `before`'s codes mean nothing there
  CHECK_FALSE(before.compiled_for(assigned));
  assigned = fleet;  // a copy of `fleet`, made by assignment
  CHECK(matcher.compiled_for(assigned));
  CHECK(matcher.count(assigned) == 1);

  Fleet moved(std::move(copy));
  CHECK(matcher.compiled_for(moved));
  CHECK_FALSE(matcher.compiled_for(copy));  // NOLINT(bugprone-use-after-move): emptied, so another fleet
}
