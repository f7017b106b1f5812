#include <catch2/catch.hpp>

#include <algorithm>

#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/matcher.hpp"
#include "helpers.hpp"

using ecsq::Instance;

namespace {

std::vector<std::string> attribute_names(const Instance& instance) {
  std::vector<std::string> names;
  for (const auto& attribute : instance.attributes()) names.push_back(attribute.name);
  return names;
}

}  // namespace

TEST_CASE("set_attribute keeps attributes sorted and unique", "[instance]") {
  Instance instance;
  instance.set_attribute("stack", "prod");
  instance.set_attribute("ecs.os-type", "linux");
  instance.set_attribute("ecs.capability.task-eni");
  instance.set_attribute("ECS.upper", "x");  // upper case sorts first bytewise
  instance.set_attribute("team", "payments");
  CHECK(attribute_names(instance) ==
        std::vector<std::string>{"ECS.upper", "ecs.capability.task-eni", "ecs.os-type", "stack", "team"});

  instance.set_attribute("stack", "staging");
  REQUIRE(instance.attributes().size() == 5);
  const auto* stack = instance.find_attribute("stack");
  REQUIRE(stack != nullptr);
  CHECK(stack->value == "staging");

  // Replacing with no value turns it into a value-less (capability-style) attribute.
  instance.set_attribute("stack");
  REQUIRE(instance.find_attribute("stack") != nullptr);
  CHECK_FALSE(instance.find_attribute("stack")->value.has_value());
  CHECK(std::is_sorted(instance.attributes().begin(), instance.attributes().end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST_CASE("find_attribute distinguishes missing from value-less", "[instance]") {
  Instance instance;
  CHECK(instance.find_attribute("anything") == nullptr);
  instance.set_attribute("ecs.capability.secrets.asm.environment-variables");
  instance.set_attribute("disk", "ssd");
  instance.set_attribute("empty", "");

  const auto* capability = instance.find_attribute("ecs.capability.secrets.asm.environment-variables");
  REQUIRE(capability != nullptr);
  CHECK_FALSE(capability->value);
  const auto* empty = instance.find_attribute("empty");
  REQUIRE(empty != nullptr);
  CHECK(empty->value == std::string{});  // an empty value is still a value
  CHECK(instance.find_attribute("disk")->value == "ssd");
  CHECK(instance.find_attribute("Disk") == nullptr);  // names are case-sensitive
  CHECK(instance.find_attribute("dis") == nullptr);   // no prefix matches
  CHECK(instance.find_attribute("disks") == nullptr);
}

TEST_CASE("remove_attribute reports whether it removed", "[instance]") {
  Instance instance;
  instance.set_attribute("a", "1");
  instance.set_attribute("b", "2");
  instance.set_attribute("c", "3");
  CHECK(instance.remove_attribute("b"));
  CHECK_FALSE(instance.remove_attribute("b"));
  CHECK_FALSE(instance.remove_attribute("zzz"));
  CHECK(attribute_names(instance) == std::vector<std::string>{"a", "c"});
  CHECK(instance.find_attribute("b") == nullptr);
  CHECK(instance.find_attribute("c")->value == "3");
}

TEST_CASE("task groups stay sorted and unique", "[instance]") {
  Instance instance;
  CHECK_FALSE(instance.has_task_group("service:production"));
  instance.add_task_group("service:production");
  instance.add_task_group("databases");
  instance.add_task_group("family:web");
  instance.add_task_group("databases");
  CHECK(instance.task_groups() == std::vector<std::string>{"databases", "family:web", "service:production"});
  CHECK(instance.has_task_group("databases"));
  CHECK_FALSE(instance.has_task_group("database"));  // not a prefix match
  CHECK_FALSE(instance.has_task_group("Databases"));

  CHECK(instance.remove_task_group("family:web"));
  CHECK_FALSE(instance.remove_task_group("family:web"));
  CHECK(instance.task_groups() == std::vector<std::string>{"databases", "service:production"});
  CHECK(instance.remove_task_group("databases"));
  CHECK(instance.remove_task_group("service:production"));
  CHECK(instance.task_groups().empty());
}

TEST_CASE("a default instance is connected and empty", "[instance]") {
  const Instance instance;
  CHECK(instance.agent_connected);
  CHECK(instance.running_tasks_count == 0);
  CHECK_FALSE(instance.registered_at);
  CHECK(instance.attributes().empty());
  CHECK(instance.task_groups().empty());
}

TEST_CASE("bulk setters sort their input, so evaluate always agrees with the matcher", "[instance][evaluate]") {
  // Before attributes and task groups were private, a caller could push them unsorted and evaluate's
  // binary searches then missed them while the Fleet (which re-sorts) found them.
  Instance instance;
  instance.ec2_instance_id = "i-1";
  instance.set_attributes({{"zeta", "1"}, {"ecs.os-type", "linux"}, {"alpha", std::nullopt}, {"zeta", "2"}});
  instance.set_task_groups({"service:web", "database", "service:web", "family:batch"});
  CHECK(attribute_names(instance) == std::vector<std::string>{"alpha", "ecs.os-type", "zeta"});
  CHECK(instance.attribute_value("zeta") == "2");  // the later of two equal names wins
  CHECK_FALSE(instance.attribute_value("alpha"));  // present without a value
  CHECK_FALSE(instance.attribute_value("missing"));
  CHECK(instance.task_groups() == std::vector<std::string>{"database", "family:batch", "service:web"});

  const std::vector<std::string> expressions = {
      "attribute:zeta == 2", "attribute:ecs.os-type == linux", "attribute:alpha exists", "task:group == database",
      "task:group == service:web and attribute:zeta != 1", "task:group in [family:batch, x]"};
  ecsq::Fleet fleet(std::span<const Instance>(&instance, 1));
  for (const std::string& text : expressions) {
    INFO(text);
    const ecsq::CheckedQuery query = ecsq::testing::checked(text);
    CHECK(ecsq::evaluate(query, instance));
    CHECK(ecsq::compile(query, fleet).matches(fleet, 0));
  }
}
