#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "allocations.hpp"
#include "ecsq/fleet.hpp"
#include "helpers.hpp"

using ecsq::Bitset;
using ecsq::Dictionary;
using ecsq::Fleet;
using ecsq::Instance;
using ecsq::InstanceId;

namespace {

// A GPU instance registered at 2020-09-13T12:26:40Z.
Instance make(std::string id, std::string type, std::vector<std::string> groups = {}) {
  Instance instance = ecsq::testing::make_instance(std::move(id), std::move(type), std::move(groups));
  instance.registered_at = ecsq::Instant{1600000000};
  instance.set_attribute("ecs.capability.gpu");
  return instance;
}

std::string value_of(const Fleet& fleet, std::string_view attribute, InstanceId id) {
  const auto a = fleet.attribute_names().find(attribute);
  REQUIRE(a);
  const std::uint32_t code = fleet.attribute_code(*a, id);
  if (code == ecsq::missing_code) return "(missing)";
  if (code == ecsq::no_value_code) return "(no value)";
  return std::string(fleet.attribute_values(*a).text(code - ecsq::first_value_code));
}

}  // namespace

TEST_CASE("dictionary: ids are dense, stable, and survive copies", "[fleet]") {
  Dictionary d;
  CHECK(d.intern("b") == 0);
  CHECK(d.intern("a") == 1);
  CHECK(d.intern("b") == 0);
  CHECK(d.size() == 2);
  CHECK(d.find("a") == 1u);
  CHECK_FALSE(d.find("c"));
  Dictionary copy = d;
  d.intern("c");
  CHECK(copy.size() == 2);
  CHECK(copy.text(0) == "b");
  CHECK(copy.text(1) == "a");
  CHECK(copy.intern("z") == 2);
  CHECK(d.text(2) == "c");
}

TEST_CASE("bitset: counting, iteration and word operations", "[fleet]") {
  Bitset b(130);
  CHECK(b.count() == 0);
  CHECK(b.begin() == b.end());
  b.set(0);
  b.set(63);
  b.set(64);
  b.set(129);
  CHECK(b.count() == 4);
  CHECK(b.to_vector() == std::vector<InstanceId>{0, 63, 64, 129});
  Bitset c(130);
  c.set(63);
  c.set(100);
  Bitset both = b;
  both &= c;
  CHECK(both.to_vector() == std::vector<InstanceId>{63});
  Bitset either = b;
  either |= c;
  CHECK(either.count() == 5);
  b -= c;
  CHECK(b.to_vector() == std::vector<InstanceId>{0, 64, 129});
  b.resize(65);
  CHECK(b.to_vector() == std::vector<InstanceId>{0, 64});
  CHECK(b.words().size() == 2);
}

TEST_CASE("fleet: columns hold dictionary codes per instance", "[fleet]") {
  const std::vector<Instance> instances = {make("i-1", "t2.small", {"service:web"}), make("i-2", "m5.large"),
                                           make("i-3", "t2.small", {"service:web", "database"})};
  Fleet fleet(instances);
  CHECK(fleet.size() == 3);
  CHECK(fleet.slot_count() == 3);
  const auto type = fleet.attribute_names().find("ecs.instance-type");
  REQUIRE(type);
  CHECK(fleet.attribute_code(*type, 0) == fleet.attribute_code(*type, 2));
  CHECK(fleet.attribute_code(*type, 0) != fleet.attribute_code(*type, 1));
  CHECK(fleet.attribute_values(*type).size() == 2);  // each distinct value once
  CHECK(value_of(fleet, "ecs.capability.gpu", 1) == "(no value)");
  CHECK(fleet.agent_versions().size() == 2);           // "" for fresh slots, and 1.68.2
  CHECK(fleet.parsed_agent_version(fleet.agent_version_codes()[0]).has_value());
  // Task-group sets are interned: set 0 is empty, instances with the same groups share a code.
  CHECK(fleet.task_group_set_codes()[1] == 0);
  CHECK(fleet.task_group_set(fleet.task_group_set_codes()[2]).size() == 2);
  CHECK(fleet.find("i-2") == 1u);
  CHECK_FALSE(fleet.find("i-9"));
  const auto back = fleet.instance(2);
  REQUIRE(back);
  CHECK(back->ec2_instance_id == "i-3");
  CHECK(back->task_groups() == std::vector<std::string>{"database", "service:web"});
  CHECK(back->attributes().size() == 2);
  CHECK(back->registered_at == ecsq::Instant{1600000000});
}

TEST_CASE("fleet: incremental upkeep keeps ids stable and reuses tombstoned slots", "[fleet]") {
  Fleet fleet;
  const InstanceId a = fleet.add(make("i-a", "t2.small"));
  const InstanceId b = fleet.add(make("i-b", "t2.medium"));
  const InstanceId c = fleet.add(make("i-c", "g2.2xlarge"));
  CHECK(fleet.remove(b));
  CHECK_FALSE(fleet.remove(b));
  CHECK_FALSE(fleet.contains(b));
  CHECK(fleet.size() == 2);
  CHECK(fleet.slot_count() == 3);
  CHECK_FALSE(fleet.live().test(b));
  CHECK_FALSE(fleet.instance(b));
  CHECK_FALSE(fleet.set_attribute(b, "x", "y"));
  CHECK_FALSE(fleet.find("i-b"));
  CHECK(value_of(fleet, "ecs.instance-type", b) == "(missing)");  // reset cells

  const InstanceId d = fleet.add(make("i-d", "t2.small"));
  CHECK(d == b);  // the tombstoned slot is reused
  CHECK(fleet.find("i-d") == d);
  CHECK(fleet.find("i-a") == a);

  CHECK(fleet.set_attribute(c, "stack", "prod"));
  CHECK(value_of(fleet, "stack", c) == "prod");
  CHECK(value_of(fleet, "stack", a) == "(missing)");  // a new column starts missing everywhere
  CHECK(fleet.set_attribute(c, "stack", std::nullopt));
  CHECK(value_of(fleet, "stack", c) == "(no value)");
  CHECK(fleet.remove_attribute(c, "stack"));
  CHECK_FALSE(fleet.remove_attribute(c, "stack"));
  CHECK_FALSE(fleet.remove_attribute(c, "never-interned"));

  CHECK(fleet.add_task_group(a, "service:web"));
  CHECK_FALSE(fleet.add_task_group(a, "service:web"));
  CHECK(fleet.add_task_group(c, "service:web"));
  CHECK(fleet.task_group_set_codes()[a] == fleet.task_group_set_codes()[c]);
  CHECK(fleet.remove_task_group(a, "service:web"));
  CHECK_FALSE(fleet.remove_task_group(a, "service:web"));
  CHECK(fleet.task_group_set_codes()[a] == 0);
  const std::vector<std::string> groups = {"b", "a", "b"};
  CHECK(fleet.set_task_groups(a, groups));
  CHECK(fleet.instance(a)->task_groups() == std::vector<std::string>{"a", "b"});

  CHECK(fleet.set_agent_connected(a, false));
  CHECK(fleet.agent_connected()[a] == 0);
  CHECK(fleet.set_agent_version(a, "not a version"));
  CHECK_FALSE(fleet.parsed_agent_version(fleet.agent_version_codes()[a]).has_value());
  CHECK(fleet.set_registered_at(a, std::nullopt));
  CHECK(fleet.registered_at_known()[a] == 0);
  CHECK(fleet.set_running_tasks_count(a, 7));
  CHECK(fleet.running_tasks_count()[a] == 7);

  Instance replacement = make("i-z", "c5.large");
  CHECK(fleet.update(c, replacement));
  CHECK(fleet.find("i-c") == std::nullopt);
  CHECK(fleet.find("i-z") == c);
  CHECK(value_of(fleet, "ecs.instance-type", c) == "c5.large");
}

TEST_CASE("fleet: shared ec2InstanceIds, and a copy is independent", "[fleet]") {
  Fleet fleet;
  const InstanceId first = fleet.add(make("", "t2.small"));
  const InstanceId second = fleet.add(make("", "t2.small"));
  CHECK(fleet.find("") == first);
  fleet.remove(first);
  CHECK(fleet.find("") == second);

  Fleet copy = fleet;
  copy.set_attribute(second, "ecs.instance-type", "m5.large");
  CHECK(value_of(fleet, "ecs.instance-type", second) == "t2.small");
  CHECK(value_of(copy, "ecs.instance-type", second) == "m5.large");
}

TEST_CASE("fleet: rare attributes are sparse, common ones turn dense, answers are the same", "[fleet]") {
  Fleet fleet;
  std::vector<InstanceId> ids;
  for (int i = 0; i < 1000; ++i) {
    Instance instance = make("i-" + std::to_string(i), i % 2 ? "t2.small" : "m5.large");
    if (i % 100 == 7) instance.set_attribute("rare", "r" + std::to_string(i));
    instance.set_attribute("own-" + std::to_string(i), "x");  // a name no other instance has
    ids.push_back(fleet.add(instance));
  }
  const auto type = fleet.attribute_names().find("ecs.instance-type");
  const auto rare = fleet.attribute_names().find("rare");
  REQUIRE(type);
  REQUIRE(rare);
  CHECK(fleet.attribute_is_dense(*type));
  CHECK(fleet.attribute_codes(*type).size() == fleet.slot_count());
  CHECK_FALSE(fleet.attribute_is_dense(*rare));
  CHECK(fleet.attribute_codes(*rare).empty());
  CHECK(fleet.sparse_attribute(*rare).ids.size() == 10);
  CHECK(value_of(fleet, "rare", 107) == "r107");
  CHECK(value_of(fleet, "rare", 108) == "(missing)");
  CHECK(value_of(fleet, "own-500", 500) == "x");
  CHECK(value_of(fleet, "own-500", 501) == "(missing)");
  CHECK(fleet.instance(500)->attributes().size() == 3);

  // Updates on a sparse column, then growth past one instance in eight makes it dense.
  CHECK(fleet.remove_attribute(107, "rare"));
  CHECK(value_of(fleet, "rare", 107) == "(missing)");
  CHECK(fleet.sparse_attribute(*rare).ids.size() == 9);
  CHECK(fleet.remove(207));
  CHECK(fleet.sparse_attribute(*rare).ids.size() == 8);
  for (InstanceId id = 0; id < 200; ++id) fleet.set_attribute(id, "rare", std::nullopt);
  CHECK(fleet.attribute_is_dense(*rare));
  CHECK(value_of(fleet, "rare", 150) == "(no value)");
  CHECK(value_of(fleet, "rare", 307) == "r307");
  CHECK(value_of(fleet, "rare", 308) == "(missing)");
  const InstanceId added = fleet.add(make("i-new", "t2.small"));
  CHECK(added == 207);  // the tombstoned slot
  CHECK(value_of(fleet, "rare", added) == "(missing)");
  const InstanceId appended = fleet.add(make("i-new2", "t2.small"));
  CHECK(appended == 1000);
  CHECK(fleet.attribute_codes(*rare).size() == 1001);
  CHECK(value_of(fleet, "rare", appended) == "(missing)");
}

TEST_CASE("fleet: the interning API adds dictionary entries and changes no instance", "[fleet]") {
  Fleet fleet(std::vector<Instance>{make("i-1", "t2.small", {"web"}), make("i-2", "m5.large")});
  const std::optional<Instance> before = fleet.instance(0);

  const std::uint32_t type = fleet.intern_attribute("ecs.instance-type");
  CHECK(fleet.attribute_names().find("ecs.instance-type") == type);
  const std::uint32_t fresh = fleet.intern_attribute("never-set");
  CHECK(fresh == fleet.attribute_names().size() - 1);
  CHECK(fleet.intern_attribute("never-set") == fresh);
  CHECK(fleet.attribute_code(fresh, 0) == ecsq::missing_code);

  const std::uint32_t small = fleet.intern_attribute_value(type, "t2.small");
  CHECK(fleet.attribute_code(type, 0) == ecsq::first_value_code + small);
  const std::uint32_t huge = fleet.intern_attribute_value(type, "x1.32xlarge");
  CHECK(fleet.attribute_values(type).text(huge) == "x1.32xlarge");
  CHECK(fleet.intern_attribute_value(type, "x1.32xlarge") == huge);

  const std::uint32_t ec2 = fleet.intern_ec2_instance_id("i-3");
  CHECK(fleet.ec2_instance_ids().text(ec2) == "i-3");
  CHECK_FALSE(fleet.find("i-3"));  // a dictionary entry, not an instance
  CHECK(fleet.intern_ec2_instance_id("i-1") == fleet.ec2_instance_id_codes()[0]);

  const std::uint32_t group = fleet.intern_task_group("batch");
  CHECK(fleet.task_groups().text(group) == "batch");
  CHECK(fleet.intern_task_group("web") == fleet.task_group_set(fleet.task_group_set_codes()[0])[0]);

  CHECK(fleet.size() == 2);
  const std::optional<Instance> after = fleet.instance(0);
  REQUIRE(after);
  CHECK(after->ec2_instance_id == before->ec2_instance_id);
  CHECK(after->task_groups() == before->task_groups());
  REQUIRE(after->attributes().size() == before->attributes().size());
  for (std::size_t i = 0; i < after->attributes().size(); ++i) {
    CHECK(after->attributes()[i].name == before->attributes()[i].name);
    CHECK(after->attributes()[i].value == before->attributes()[i].value);
  }
}

TEST_CASE("fleet: a copy keeps the identity, another fleet and a moved-from one do not", "[fleet]") {
  Fleet fleet(std::vector<Instance>{make("i-1", "t2.small")});
  const std::uint64_t identity = fleet.identity();
  CHECK(Fleet().identity() != identity);
  CHECK(Fleet(std::vector<Instance>{make("i-1", "t2.small")}).identity() != identity);

  Fleet copy(fleet);
  CHECK(copy.identity() == identity);
  copy.add(make("i-2", "m5.large"));  // growing keeps it: codes handed out still mean the same
  CHECK(copy.identity() == identity);

  Fleet assigned;
  const std::uint64_t replaced = assigned.identity();
  assigned = fleet;  // now a copy of `fleet`: its own dictionaries are gone
  CHECK(assigned.identity() == identity);
  CHECK(assigned.identity() != replaced);
  const Fleet& same = assigned;
  assigned = same;  // self-assignment changes nothing
  CHECK(assigned.identity() == identity);

  Fleet moved(std::move(copy));
  CHECK(moved.identity() == identity);
  CHECK(copy.identity() != identity);  // NOLINT(bugprone-use-after-move): the identity is specified
  Fleet target;
  target = std::move(moved);
  CHECK(target.identity() == identity);
  CHECK(moved.identity() != identity);  // NOLINT(bugprone-use-after-move)
}

namespace {

// Every field an Instance holds, for comparisons that name the field that differs.
void check_same(const Instance& a, const Instance& b) {
  CHECK(a.ec2_instance_id == b.ec2_instance_id);
  CHECK(a.container_instance_arn == b.container_instance_arn);
  CHECK(a.status == b.status);
  CHECK(a.agent_connected == b.agent_connected);
  CHECK(a.agent_version == b.agent_version);
  CHECK(a.registered_at == b.registered_at);
  CHECK(a.running_tasks_count == b.running_tasks_count);
  CHECK(a.payload == b.payload);
  CHECK(a.task_groups() == b.task_groups());
  REQUIRE(a.attributes().size() == b.attributes().size());
  for (std::size_t i = 0; i < a.attributes().size(); ++i) {
    CHECK(a.attributes()[i].name == b.attributes()[i].name);
    CHECK(a.attributes()[i].value == b.attributes()[i].value);
  }
}

Instance identified(std::string ec2, std::string arn, std::string status, std::uint64_t payload) {
  Instance instance = make(std::move(ec2), "m5.large", {"service:web"});
  instance.container_instance_arn = std::move(arn);
  instance.status = std::move(status);
  instance.payload = payload;
  return instance;
}

// The group names of instance `id`'s set, from the set column.
std::vector<std::string> set_of(const Fleet& fleet, InstanceId id) {
  std::vector<std::string> out;
  for (const std::uint32_t g : fleet.task_group_set(fleet.task_group_set_codes()[id])) {
    out.emplace_back(fleet.task_groups().text(g));
  }
  return out;
}

}  // namespace

TEST_CASE("fleet: instance() returns every field it was given, identities included", "[fleet][identity]") {
  const std::string arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0f1e2d3c4b5a";
  Instance given = identified("i-0a1b2c", arn, "DRAINING", 0xfeedfacecafebeefull);
  given.agent_connected = false;
  given.running_tasks_count = 5;
  given.set_attribute("stack", "prod");
  Fleet fleet;
  const InstanceId id = fleet.add(given);
  const std::optional<Instance> back = fleet.instance(id);
  REQUIRE(back);
  check_same(*back, given);

  CHECK(fleet.ec2_instance_id(id) == "i-0a1b2c");
  CHECK(fleet.container_instance_arn(id) == arn);
  CHECK(fleet.status(id) == "DRAINING");
  CHECK(fleet.payload(id) == 0xfeedfacecafebeefull);
  CHECK(fleet.find("i-0a1b2c") == id);
  CHECK(fleet.find(arn) == id);
  CHECK_FALSE(fleet.find("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/other"));

  CHECK(fleet.set_status(id, "ACTIVE"));
  CHECK(fleet.set_payload(id, 7));
  CHECK(fleet.status(id) == "ACTIVE");
  CHECK(fleet.payload(id) == 7);
  CHECK(fleet.statuses().text(fleet.status_codes()[id]) == "ACTIVE");
  given.status = "ACTIVE";
  given.payload = 7;
  check_same(*fleet.instance(id), given);

  // update() replaces identities and the indexes that find them.
  Instance replacement = identified("i-new", "arn:new", "ACTIVE", 9);
  CHECK(fleet.update(id, replacement));
  CHECK_FALSE(fleet.find("i-0a1b2c"));
  CHECK_FALSE(fleet.find(arn));
  CHECK(fleet.find("arn:new") == id);
  check_same(*fleet.instance(id), replacement);

  // Removed and unknown ids: empty views, no payload, setters refuse.
  CHECK(fleet.remove(id));
  CHECK(fleet.ec2_instance_id(id).empty());
  CHECK(fleet.container_instance_arn(id).empty());
  CHECK(fleet.status(id).empty());
  CHECK(fleet.payload(id) == 0);
  CHECK(fleet.ec2_instance_id(12345).empty());
  CHECK_FALSE(fleet.set_status(id, "ACTIVE"));
  CHECK_FALSE(fleet.set_payload(id, 1));
  CHECK_FALSE(fleet.find("arn:new"));
}

TEST_CASE("fleet: find by ec2InstanceId or ARN, the lowest live id first", "[fleet][identity]") {
  Fleet fleet;
  const InstanceId a = fleet.add(identified("i-1", "arn:1", "ACTIVE", 1));
  const InstanceId b = fleet.add(identified("i-2", "arn:1", "ACTIVE", 2));  // mirrored input may repeat an ARN
  const InstanceId c = fleet.add(identified("i-3", "", "ACTIVE", 3));
  CHECK(fleet.find("arn:1") == a);
  fleet.remove(a);
  CHECK(fleet.find("arn:1") == b);
  CHECK(fleet.find("i-3") == c);
  CHECK(fleet.find("") == std::nullopt);  // no live instance has an empty ec2InstanceId; empty ARNs are not indexed
  // An ec2InstanceId wins over an ARN of the same text.
  const InstanceId d = fleet.add(identified("x", "arn:x", "ACTIVE", 4));
  const InstanceId e = fleet.add(identified("i-5", "x", "ACTIVE", 5));
  CHECK(fleet.find("x") == d);
  fleet.remove(d);
  CHECK(fleet.find("x") == e);
}

TEST_CASE("fleet: lookups of identities allocate nothing", "[fleet][identity][allocations]") {
  Fleet fleet;
  for (int i = 0; i < 100; ++i) {
    fleet.add(identified("i-" + std::to_string(i), "arn:aws:ecs:us-east-1:1:container-instance/c/" + std::to_string(i),
                         "ACTIVE", static_cast<std::uint64_t>(i)));
  }
  // Long texts: a std::string of them would allocate.
  const std::string ec2 = "i-57";
  const std::string arn = "arn:aws:ecs:us-east-1:1:container-instance/c/42";
  const std::string missing = "arn:aws:ecs:us-east-1:1:container-instance/c/does-not-exist";
  const long before = ecsq::testing::allocation_count.load();
  std::size_t seen = 0;
  for (int round = 0; round < 100; ++round) {
    seen += fleet.find(ec2).value_or(0);
    seen += fleet.find(arn).value_or(0);
    seen += fleet.find(missing).has_value();
    seen += fleet.ec2_instance_id(57).size() + fleet.container_instance_arn(42).size() + fleet.status(3).size();
    seen += fleet.payload(9);
    seen += fleet.task_count(3, "service:web");
  }
  CHECK(ecsq::testing::allocation_count.load() - before == 0);
  CHECK(seen == 100 * (57 + 42 + 4 + arn.size() + 6 + 9 + 1));
}

TEST_CASE("fleet: start_task and stop_task keep counts, the group set and runningTasksCount", "[fleet][tasks]") {
  Fleet fleet;
  const InstanceId id = fleet.add(ecsq::testing::make_instance("i-1", "m5.large"));
  const InstanceId other = fleet.add(ecsq::testing::make_instance("i-2", "m5.large"));
  CHECK(fleet.running_tasks_count()[id] == 0);

  CHECK(fleet.start_task(id, "service:web"));
  CHECK(fleet.start_task(id, "service:web"));  // two tasks of one group on one instance
  CHECK(fleet.start_task(id, "service:api"));
  CHECK(fleet.task_count(id, "service:web") == 2);
  CHECK(fleet.task_count(id, "service:api") == 1);
  CHECK(fleet.task_count(id, "never") == 0);
  CHECK(fleet.running_tasks_count()[id] == 3);
  CHECK(set_of(fleet, id) == std::vector<std::string>{"service:web", "service:api"});  // by group id
  CHECK(fleet.instance(id)->task_groups() == std::vector<std::string>{"service:api", "service:web"});
  REQUIRE(fleet.task_counts(id).size() == 2);
  CHECK(fleet.task_counts(id)[0].count == 2);

  CHECK(fleet.stop_task(id, "service:web"));
  CHECK(fleet.task_count(id, "service:web") == 1);
  CHECK(fleet.instance(id)->has_task_group("service:web"));  // one task of the group still runs
  CHECK(fleet.stop_task(id, "service:web"));
  CHECK_FALSE(fleet.instance(id)->has_task_group("service:web"));
  CHECK_FALSE(fleet.stop_task(id, "service:web"));  // nothing left to stop: no change
  CHECK_FALSE(fleet.stop_task(id, "never-started"));
  CHECK(fleet.running_tasks_count()[id] == 1);
  CHECK(fleet.stop_task(id, "service:api"));
  CHECK(fleet.task_group_set_codes()[id] == 0);
  CHECK(fleet.running_tasks_count()[id] == 0);
  CHECK(fleet.task_counts(id).empty());

  CHECK(fleet.task_count(other, "service:web") == 0);
  CHECK_FALSE(fleet.start_task(99, "service:web"));
  fleet.remove(other);
  CHECK_FALSE(fleet.start_task(other, "service:web"));
  CHECK_FALSE(fleet.stop_task(other, "service:web"));
  CHECK(fleet.task_count(other, "service:web") == 0);
}

TEST_CASE("fleet: raw setters mirror AWS state beside the task counts", "[fleet][tasks]") {
  Fleet fleet;
  const InstanceId id = fleet.add(ecsq::testing::make_instance("i-1", "m5.large", {"service:web"}));
  CHECK(fleet.task_count(id, "service:web") == 1);  // add(): each group with count 1
  CHECK(fleet.running_tasks_count()[id] == 1);

  // add_task_group on a group the instance has: false, count unchanged; then start_task adds one.
  CHECK_FALSE(fleet.add_task_group(id, "service:web"));
  CHECK(fleet.start_task(id, "service:web"));
  CHECK(fleet.task_count(id, "service:web") == 2);
  CHECK(fleet.running_tasks_count()[id] == 2);
  CHECK(fleet.stop_task(id, "service:web"));
  CHECK(fleet.instance(id)->has_task_group("service:web"));

  // set_task_count: a count from describe-tasks; runningTasksCount is the caller's.
  CHECK(fleet.set_task_count(id, "service:api", 4));
  CHECK(fleet.task_count(id, "service:api") == 4);
  CHECK(fleet.running_tasks_count()[id] == 1);
  CHECK(fleet.set_task_count(id, "service:api", 0));
  CHECK_FALSE(fleet.instance(id)->has_task_group("service:api"));
  CHECK(fleet.set_task_count(id, "never-seen", 0));  // nothing to do, and nothing interned
  CHECK_FALSE(fleet.task_groups().find("never-seen"));
  CHECK_FALSE(fleet.set_task_count(77, "service:api", 1));

  // remove_task_group and set_task_groups: membership, counts 0 or 1.
  CHECK(fleet.set_task_count(id, "service:web", 3));
  CHECK(fleet.remove_task_group(id, "service:web"));
  CHECK(fleet.task_count(id, "service:web") == 0);
  const std::vector<std::string> groups = {"b", "a", "b"};
  CHECK(fleet.set_task_groups(id, groups));
  CHECK(fleet.task_count(id, "a") == 1);
  CHECK(fleet.task_count(id, "b") == 1);
  CHECK(fleet.running_tasks_count()[id] == 1);

  // stop_task never takes runningTasksCount below zero, even after raw setters disagreed.
  CHECK(fleet.set_running_tasks_count(id, 0));
  CHECK(fleet.stop_task(id, "a"));
  CHECK(fleet.running_tasks_count()[id] == 0);
}

TEST_CASE("fleet: negative runningTasksCount is rejected", "[fleet][tasks]") {
  Fleet fleet;
  const InstanceId id = fleet.add(ecsq::testing::make_instance("i-1", "m5.large"));
  CHECK(fleet.set_running_tasks_count(id, 3));
  CHECK_FALSE(fleet.set_running_tasks_count(id, -1));
  CHECK(fleet.running_tasks_count()[id] == 3);
  CHECK(fleet.set_running_tasks_count(id, 0));
  // add() and update() cannot refuse: a negative count is stored as 0.
  Instance negative = ecsq::testing::make_instance("i-2", "m5.large");
  negative.running_tasks_count = -5;
  const InstanceId other = fleet.add(negative);
  CHECK(fleet.running_tasks_count()[other] == 0);
  CHECK(fleet.update(id, negative));
  CHECK(fleet.running_tasks_count()[id] == 0);
}

TEST_CASE("fleet: start_task and stop_task allocate nothing once a set has been seen", "[fleet][tasks][allocations]") {
  Fleet fleet;
  std::vector<InstanceId> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(fleet.add(ecsq::testing::make_instance("i-" + std::to_string(i), "m5.large", {"daemon"})));
  const std::string group = "service:a-group-name-longer-than-any-small-string-buffer";
  for (const InstanceId id : ids) {  // warm up: every set and every vector's capacity exists now
    fleet.start_task(id, group);
    fleet.start_task(id, group);
    fleet.stop_task(id, group);
    fleet.stop_task(id, group);
  }
  const std::uint32_t sets = fleet.task_group_set_count();
  const long before = ecsq::testing::allocation_count.load();
  for (int round = 0; round < 20; ++round) {
    for (const InstanceId id : ids) {
      fleet.start_task(id, group);
      fleet.start_task(id, group);
      fleet.stop_task(id, group);
      fleet.stop_task(id, group);
    }
  }
  CHECK(ecsq::testing::allocation_count.load() - before == 0);
  CHECK(fleet.task_group_set_count() == sets);
}

TEST_CASE("fleet: task-group sets that fall out of use are reclaimed", "[fleet][tasks][compaction]") {
  Fleet fleet;
  std::vector<InstanceId> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(fleet.add(ecsq::testing::make_instance("i-" + std::to_string(i), "m5.large", {"daemon"})));
  std::vector<std::vector<std::string>> expected(ids.size(), std::vector<std::string>{"daemon"});
  std::uint32_t most_sets = 0;
  // Every step gives one instance a set no instance had before, and drops its old one.
  for (int step = 0; step < 5000; ++step) {
    const InstanceId id = ids[static_cast<std::size_t>(step) % ids.size()];
    const std::string old_group = "g" + std::to_string(step - static_cast<int>(ids.size()));
    const std::string new_group = "g" + std::to_string(step);
    if (step >= static_cast<int>(ids.size())) REQUIRE(fleet.stop_task(id, old_group));
    REQUIRE(fleet.start_task(id, new_group));
    expected[id] = {"daemon", new_group};
    most_sets = std::max(most_sets, fleet.task_group_set_count());
  }
  CHECK(most_sets <= 256 + 1 + 2 * ids.size() + 2);
  CHECK(fleet.task_group_set_generation() > 0);
  CHECK(fleet.used_task_group_set_count() <= ids.size() + 2);
  for (const InstanceId id : ids) {
    std::vector<std::string> seen = set_of(fleet, id);
    std::sort(seen.begin(), seen.end());
    std::sort(expected[id].begin(), expected[id].end());
    CHECK(seen == expected[id]);
    CHECK(fleet.instance(id)->task_groups() == expected[id]);
  }
  // Removing every instance leaves only the empty set in use.
  for (const InstanceId id : ids) fleet.remove(id);
  CHECK(fleet.used_task_group_set_count() == 1);
}

TEST_CASE("fleet: compact() keeps live instances and ids, drops the rest, and renames the fleet", "[fleet][compaction]") {
  Fleet fleet;
  std::vector<std::optional<Instance>> model;
  // Churn: instances come and go with unique ids, ARNs and attribute values.
  for (int i = 0; i < 400; ++i) {
    Instance instance = identified("i-" + std::to_string(i), "arn:" + std::to_string(i), i % 3 ? "ACTIVE" : "DRAINING",
                                   static_cast<std::uint64_t>(i));
    instance.set_attribute("host", "h" + std::to_string(i));
    instance.set_attribute("one-off-" + std::to_string(i), "x");
    instance.set_task_groups({"service:s" + std::to_string(i % 7), "family:f" + std::to_string(i)});
    instance.agent_version = "1." + std::to_string(i) + ".0";
    const InstanceId id = fleet.add(instance);
    if (model.size() <= id) model.resize(id + 1);
    model[id] = instance;
    if (i % 4 != 3) {
      fleet.remove(id);
      model[id].reset();
    }
  }
  const std::size_t before = fleet.dictionary_size();
  const std::uint64_t identity = fleet.identity();
  const std::uint32_t slots = fleet.slot_count();
  const Fleet copy = fleet;
  fleet.compact();
  CHECK(fleet.identity() != identity);
  CHECK(copy.identity() == identity);  // the copy keeps the old dictionaries
  CHECK(fleet.slot_count() == slots);
  CHECK(fleet.size() == 100);
  CHECK(fleet.dictionary_size() < before / 2);
  CHECK(fleet.ec2_instance_ids().size() <= fleet.size() + 1);
  CHECK(fleet.attribute_names().size() <= fleet.size() + 3);
  for (InstanceId id = 0; id < model.size(); ++id) {
    INFO("instance " << id);
    REQUIRE(fleet.contains(id) == model[id].has_value());
    if (!model[id]) continue;
    check_same(*fleet.instance(id), *model[id]);
    CHECK(fleet.find(model[id]->ec2_instance_id) == id);
    CHECK(fleet.find(model[id]->container_instance_arn) == id);
    for (const std::string& group : model[id]->task_groups()) CHECK(fleet.task_count(id, group) == 1);
  }
  // The compacted fleet keeps working: updates, new instances, tasks.
  const InstanceId added = fleet.add(identified("i-new", "arn:new", "ACTIVE", 1));
  CHECK(fleet.find("arn:new") == added);
  CHECK(fleet.start_task(added, "service:s3"));
  CHECK(fleet.instance(added)->task_groups() == std::vector<std::string>{"service:s3", "service:web"});
  CHECK(fleet.set_attribute(added, "host", "h-new"));
  CHECK(value_of(fleet, "host", added) == "h-new");
}
