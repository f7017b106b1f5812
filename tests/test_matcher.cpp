#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
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
  const ecsq::Matcher matcher = compile_for("attribute:zone in [a, c]", fleet);
  CHECK(matcher.compiled_for(fleet));
  CHECK(ecsq::Matcher().compiled_for(fleet));  // no codes: fits any fleet

  Fleet copy(fleet);
  CHECK(matcher.compiled_for(copy));
  copy.add(instances[0]);
  CHECK(matcher.compiled_for(copy));
  CHECK(matcher.select(copy).to_vector() == std::vector<InstanceId>{0, 2});

  // A fleet built alike holds the same texts under codes of its own.
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

namespace {

// Live ids where `m` matches, one matches() call each.
std::vector<InstanceId> matching_ids(const ecsq::Matcher& m, const Fleet& fleet) {
  std::vector<InstanceId> out;
  for (InstanceId id = 0; id < fleet.slot_count(); ++id) {
    if (m.matches(fleet, id)) out.push_back(id);
  }
  return out;
}

// Ids where evaluate holds on the fleet's own record of each live instance.
std::vector<InstanceId> evaluated_ids(const ecsq::CheckedQuery& query, const Fleet& fleet) {
  std::vector<InstanceId> out;
  for (const InstanceId id : fleet.live()) {
    if (ecsq::evaluate(query, *fleet.instance(id))) out.push_back(id);
  }
  return out;
}

}  // namespace

TEST_CASE("matcher: compile reads a const fleet, unseen names and literals match once they appear", "[matcher][const]") {
  Fleet fleet(small_fleet());
  const Fleet& readonly = fleet;
  const std::size_t dictionaries = fleet.dictionary_size();
  for (const char* text :
       {"attribute:stack == canary", "attribute:stack exists", "attribute:stack !exists", "attribute:stack =~ 'can.*'",
        "attribute:stack > 'c'", "attribute:stack in [canary, blue, green]", "attribute:stack != canary",
        "attribute:ecs.instance-type == x9.large", "attribute:ecs.instance-type in [t2.small, x9.large]",
        "attribute:ecs.instance-type !in [t2.small, x9.large, y1, z2, w3]", "ec2InstanceId == i-later",
        "ec2InstanceId in [i-0000, i-later]", "task:group == 'service:later'", "not task:group in [database, 'service:later']",
        "attribute:ecs.os-type == linux and not attribute:stack == canary"}) {
    INFO(text);
    const ecsq::CheckedQuery query = checked(text);
    Fleet changing = fleet;
    const ecsq::Matcher m = ecsq::compile(query, static_cast<const Fleet&>(changing));
    CHECK(changing.dictionary_size() == dictionaries);  // nothing interned
    CHECK(m.select(changing).to_vector() == evaluated_ids(query, changing));
    CHECK(matching_ids(m, changing) == evaluated_ids(query, changing));
    // The names and values appear: first matches() on stale tables, then select() and refresh.
    changing.set_attribute(1, "stack", "canary");
    changing.set_attribute(2, "stack", "green");
    changing.set_attribute(3, "stack", std::nullopt);
    changing.set_attribute(4, "ecs.instance-type", "x9.large");
    const InstanceId later = changing.add(make("i-later", "t2.small", "us-east-1a"));
    changing.start_task(0, "service:later");
    changing.set_attribute(later, "stack", "blue");
    CHECK(matching_ids(m, changing) == evaluated_ids(query, changing));
    CHECK(m.select(changing).to_vector() == evaluated_ids(query, changing));
    CHECK(matching_ids(m, changing) == evaluated_ids(query, changing));
    changing.set_attribute(0, "stack", "canary");
    m.refresh(changing);
    CHECK(matching_ids(m, changing) == evaluated_ids(query, changing));
    CHECK(m.select(changing).to_vector() == evaluated_ids(query, changing));
  }
  CHECK(readonly.dictionary_size() == dictionaries);
}

TEST_CASE("matcher: compile under a shared lock while other threads select", "[matcher][const][threads]") {
  std::vector<Instance> instances;
  for (int i = 0; i < 3000; ++i) {
    instances.push_back(make("i-" + std::to_string(i), "t" + std::to_string(i % 40) + ".large", "z" + std::to_string(i % 3)));
  }
  const Fleet fleet(instances);
  const std::size_t dictionaries = fleet.dictionary_size();
  const std::vector<std::string> texts = {"attribute:ecs.instance-type =~ 't1.*'", "attribute:ecs.availability-zone == z1",
                                          "attribute:unknown == x or ec2InstanceId == i-9999999",
                                          "attribute:ecs.instance-type in [t1.large, t2.large, t3.large, t4.large, t5.large]",
                                          "not task:group == 'service:new'"};
  std::vector<ecsq::CheckedQuery> queries;
  std::vector<std::size_t> expected;
  for (const std::string& text : texts) {
    queries.push_back(checked(text));
    expected.push_back(evaluated_ids(queries.back(), fleet).size());
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const std::size_t q = static_cast<std::size_t>(t + round) % queries.size();
        const ecsq::Matcher m = ecsq::compile(queries[q], fleet);
        wrong += m.count(fleet) != expected[q];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(fleet.dictionary_size() == dictionaries);
}

TEST_CASE("matcher: distinctInstance with the task group excludes instances running it", "[matcher][distinct]") {
  Fleet fleet(small_fleet());
  const ecsq::CheckedQuery distinct = checked("distinctInstance");
  const ecsq::CheckedQuery zones = checked("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]");
  const ecsq::CompileOptions web{.task_group = "service:web"};

  // Without a group, distinctInstance matches everything (as evaluate says).
  CHECK(ecsq::compile(distinct, fleet).select(fleet).to_vector() == std::vector<InstanceId>{0, 1, 2, 3, 4});
  const ecsq::Matcher m = ecsq::compile({&zones, &distinct}, fleet, web);
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{0, 1, 3});

  // service:web is new to the fleet; tasks start and stop, with matches() before any refresh.
  CHECK(fleet.start_task(0, "service:web"));
  CHECK(fleet.start_task(0, "service:web"));
  CHECK(fleet.start_task(3, "service:web"));
  CHECK(matching_ids(m, fleet) == std::vector<InstanceId>{1});
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{1});
  CHECK(fleet.stop_task(0, "service:web"));  // one task of the group is left on instance 0
  CHECK(matching_ids(m, fleet) == std::vector<InstanceId>{1});
  CHECK(fleet.stop_task(0, "service:web"));
  CHECK(matching_ids(m, fleet) == std::vector<InstanceId>{0, 1});
  CHECK(m.select(fleet).to_vector() == std::vector<InstanceId>{0, 1});

  // Another group's tasks do not count; a group already running is known at compile time.
  CHECK(fleet.start_task(1, "service:api"));
  CHECK(matching_ids(m, fleet) == std::vector<InstanceId>{0, 1});
  const ecsq::Matcher api = ecsq::compile(distinct, fleet, ecsq::CompileOptions{.task_group = "service:api"});
  CHECK(api.select(fleet).to_vector() == std::vector<InstanceId>{0, 2, 3, 4});
  CHECK(matching_ids(api, fleet) == std::vector<InstanceId>{0, 2, 3, 4});
  // A group but no distinctInstance constraint: nothing excluded.
  CHECK(ecsq::compile(zones, fleet, web).select(fleet).to_vector() == std::vector<InstanceId>{0, 1, 3});
}

TEST_CASE("matcher: task-group tables survive the fleet renumbering its sets", "[matcher][compaction]") {
  std::vector<Instance> instances;
  for (int i = 0; i < 40; ++i) instances.push_back(make("i-" + std::to_string(i), "m5.large", "z", {"daemon"}));
  Fleet fleet(instances);
  const ecsq::CheckedQuery query = checked("task:group in [g1, g3, g5, g7, g9, daemon-x] or task:group =~ 'g[0-9]*5'");
  const ecsq::CheckedQuery distinct = checked("distinctInstance");
  const ecsq::Matcher m = ecsq::compile(query, fleet);
  const ecsq::Matcher not_g7 = ecsq::compile(distinct, fleet, ecsq::CompileOptions{.task_group = "g7"});
  CHECK(m.select(fleet).none());
  const std::uint32_t generation = fleet.task_group_set_generation();
  int checked_rounds = 0;
  for (int step = 0; step < 3000; ++step) {
    const InstanceId id = static_cast<InstanceId>(step % 40);
    if (step >= 40) REQUIRE(fleet.stop_task(id, "g" + std::to_string((step - 40) % 997)));
    REQUIRE(fleet.start_task(id, "g" + std::to_string(step % 997)));
    if (step % 97 == 0) {
      INFO("step " << step << ", set generation " << fleet.task_group_set_generation());
      // matches() first: the tables may be for an older generation.
      CHECK(matching_ids(m, fleet) == evaluated_ids(query, fleet));
      CHECK(m.select(fleet).to_vector() == evaluated_ids(query, fleet));
      CHECK(matching_ids(m, fleet) == evaluated_ids(query, fleet));
      std::vector<InstanceId> without_g7;
      for (const InstanceId i : fleet.live()) {
        if (fleet.task_count(i, "g7") == 0) without_g7.push_back(i);
      }
      CHECK(matching_ids(not_g7, fleet) == without_g7);
      CHECK(not_g7.select(fleet).to_vector() == without_g7);
      ++checked_rounds;
    }
  }
  CHECK(fleet.task_group_set_generation() > generation + 2);
  CHECK(checked_rounds == 31);
}

TEST_CASE("matcher: Fleet::compact() ends compiled_for, a new compile works", "[matcher][compaction]") {
  Fleet fleet(small_fleet());
  fleet.remove(1);
  const ecsq::CheckedQuery query = checked("attribute:ecs.instance-type =~ 'g2.*' or ec2InstanceId == i-2222");
  const ecsq::Matcher before = ecsq::compile(query, fleet);
  CHECK(before.compiled_for(fleet));
  fleet.compact();
  CHECK_FALSE(before.compiled_for(fleet));
  const ecsq::Matcher after = ecsq::compile(query, fleet);
  CHECK(after.compiled_for(fleet));
  CHECK(after.select(fleet).to_vector() == std::vector<InstanceId>{2, 3, 4});
  CHECK(matching_ids(after, fleet) == std::vector<InstanceId>{2, 3, 4});
}
