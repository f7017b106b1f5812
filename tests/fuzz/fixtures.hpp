// Fixed instances the harnesses evaluate queries against: between them they give every subject a
// present, a missing and an odd value, so evaluation reaches every branch of every comparison.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/matcher.hpp"

namespace ecsq::fuzz {

inline std::vector<Instance> fixed_instances() {
  std::vector<Instance> out(3);

  Instance& linux_box = out[0];
  linux_box.ec2_instance_id = "i-0123456789abcdef0";
  linux_box.agent_connected = true;
  linux_box.agent_version = "1.68.2";
  linux_box.registered_at = Instant{1529360908};  // 2018-06-18T22:28:28Z
  linux_box.running_tasks_count = 3;
  linux_box.set_attribute("ecs.os-type", "linux");
  linux_box.set_attribute("ecs.os-family", "LINUX");
  linux_box.set_attribute("ecs.cpu-architecture", "x86_64");
  linux_box.set_attribute("ecs.instance-type", "t2.micro");
  linux_box.set_attribute("ecs.availability-zone", "us-east-1a");
  linux_box.set_attribute("ecs.ami-id", "ami-595abc");
  linux_box.set_attribute("ecs.capability.task-eni");
  linux_box.set_attribute("stack", "prod");
  linux_box.set_attribute("weight", "10.5");
  linux_box.set_attribute("a", "");
  linux_box.add_task_group("service:web");
  linux_box.add_task_group("database");

  Instance& windows_box = out[1];
  windows_box.ec2_instance_id = "i-1";
  windows_box.agent_connected = false;
  windows_box.agent_version = "1.9.0-beta";
  windows_box.registered_at = Instant{-62135596800};  // 0001-01-01: the far end of the range
  windows_box.running_tasks_count = 0;
  windows_box.set_attribute("ecs.os-type", "windows");
  windows_box.set_attribute("ecs.os-family", "WINDOWS_SERVER_2022_CORE");
  windows_box.set_attribute("ecs.cpu-architecture", "arm64");
  windows_box.set_attribute("ecs.instance-type", "g4dn.xlarge");
  windows_box.set_attribute("stack", "caf\xc3\xa9");
  windows_box.set_attribute("weight", "-3");
  windows_box.add_task_group("family:web");

  // Everything empty or odd: no registration time, an agent version that is no version,
  // no attributes, no tasks, a huge task count.
  Instance& odd_box = out[2];
  odd_box.agent_version = "not a version";
  odd_box.running_tasks_count = 9223372036854775807;
  return out;
}

/// Checks that the compiled matcher agrees with the reference evaluator on every instance of
/// `fleet` (built from `instances` in order); aborts with a message if not.
inline void expect_matcher_agrees(const CheckedQuery& query, const std::vector<Instance>& instances, Fleet& fleet,
                                  const char* what) {
  const Matcher matcher = compile(query, fleet);
  const Bitset hits = matcher.select(fleet);
  for (std::size_t i = 0; i < instances.size(); ++i) {
    const bool expected = evaluate(query, instances[i]);
    const auto id = static_cast<InstanceId>(i);
    if (hits.test(i) != expected || matcher.matches(fleet, id) != expected) {
      std::fprintf(stderr, "%s: matcher and evaluate disagree on instance %zu (evaluate says %d)\n", what, i,
                   static_cast<int>(expected));
      std::abort();
    }
  }
}

}  // namespace ecsq::fuzz
