#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
