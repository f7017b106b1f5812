// The placement engine, one test per rule of the placement contract (§1-§6a): filters and their
// order, strategies, state changes, defaults, limits, failures, events and rejection counts.
// The worked examples of placement-research.md §12 are in test_placement_examples.cpp.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "ecsq/cluster.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/placement.hpp"
#include "placement_fixtures.hpp"

using namespace ecsq;
using namespace ecsq::testing;
using Strings = std::vector<std::string>;

// ---- §3.1 candidates ---------------------------------------------------------------------------

TEST_CASE("§3.1: only ACTIVE instances are candidates, others are skipped silently", "[placement]") {
  Cluster cluster;
  Instance draining = host("i-draining");
  draining.status = "DRAINING";
  cluster.add(draining, left(4096, 8192));
  Instance registering = host("i-registering");
  registering.status = "REGISTERING";
  cluster.add(registering, left(4096, 8192));
  cluster.add(host("i-active"), left(256, 512));
  const PlacementResult result = plan_ok(cluster, task(256, 512), run_task(2));
  CHECK(placed_on(result) == Strings{"i-active"});
  // The inactive instances are neither the closest match nor counted among the rejections.
  CHECK(failed(result) == Strings{"1:RESOURCE:CPU@i-active"});
  CHECK(rejected(result) == Strings{"RESOURCE:CPU=1"});
}

// ---- §3.2 filters, in order --------------------------------------------------------------------

TEST_CASE("§3.2: each filter rejects with its AWS reason", "[placement]") {
  const TaskDemand base = task(512, 1024);
  struct Case {
    std::string reason;
    Instance instance;
    InstanceCapacity capacity;
    TaskDemand demand;
    PlacementRequest request;
  };
  std::vector<Case> cases;
  {
    Case c{"AGENT", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.instance.agent_connected = false;
    cases.push_back(c);
  }
  {
    Case c{"ATTRIBUTE", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.demand.required_attributes.push_back({"com.amazonaws.ecs.capability.docker-remote-api.1.44", std::nullopt});
    cases.push_back(c);
  }
  cases.push_back(Case{"RESOURCE:CPU", host("i-1"), left(511, 8192), base, run_task(1)});
  cases.push_back(Case{"RESOURCE:MEMORY", host("i-1"), left(4096, 1023), base, run_task(1)});
  {
    Case c{"RESOURCE:PORTS", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.capacity.tcp_ports = {22, 80};
    c.demand.tcp_ports = {80};
    cases.push_back(c);
  }
  {
    Case c{"RESOURCE:PORTS_UDP", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.capacity.tcp_ports = {53};  // the TCP set does not hold UDP ports
    c.capacity.udp_ports = {53};
    c.demand.udp_ports = {53};
    cases.push_back(c);
  }
  {
    Case c{"RESOURCE:GPU", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.capacity.gpus = 1;
    c.demand.gpus = 2;
    cases.push_back(c);
  }
  {
    Case c{"RESOURCE:ENI", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.capacity.enis = 0;
    c.demand.network_mode = NetworkMode::awsvpc;
    c.demand.needs_eni = true;
    cases.push_back(c);
  }
  {
    Case c{"MemberOf placement constraint unsatisfied.", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.request.constraints.push_back(constraint("attribute:ecs.os-type == windows"));
    cases.push_back(c);
  }
  {
    Case c{"DistinctInstance placement constraint unsatisfied.", host("i-1"), left(4096, 8192), base, run_task(1)};
    c.instance.add_task_group("family:web");
    c.request.constraints.push_back(constraint("distinctInstance"));
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    SECTION(c.reason) {
      Cluster cluster;
      cluster.add(c.instance, c.capacity);
      const PlacementResult result = plan_ok(cluster, c.demand, c.request);
      CHECK(result.tasks.empty());
      CHECK(failed(result) == Strings{"0:" + c.reason + "@i-1"});
      CHECK(rejected(result) == Strings{c.reason + "=1"});
    }
  }
}

TEST_CASE("§3.2: an instance failing several filters is rejected by the first in contract order", "[placement]") {
  // Everything fails at once; removing the first failure each time reveals the next.
  Instance instance = host("i-1");
  instance.agent_connected = false;
  instance.add_task_group("family:web");
  InstanceCapacity capacity = left(100, 100);
  capacity.tcp_ports = {80};
  capacity.udp_ports = {53};
  capacity.gpus = 0;
  capacity.enis = 0;
  TaskDemand demand = task(512, 1024);
  demand.required_attributes.push_back({"needs-this", std::nullopt});
  demand.tcp_ports = {80};
  demand.udp_ports = {53};
  demand.gpus = 1;
  demand.network_mode = NetworkMode::awsvpc;
  demand.needs_eni = true;
  PlacementRequest request = run_task(1);
  request.constraints.push_back(constraint("attribute:ecs.os-type == windows"));
  request.constraints.push_back(constraint("distinctInstance"));

  Strings reasons;
  for (int step = 0; step < 11; ++step) {
    Cluster cluster;
    cluster.add(instance, capacity);
    const PlacementResult result = plan_ok(cluster, demand, request);
    reasons.push_back(result.failures.empty() ? "placed" : result.failures[0].reason);
    switch (step) {
      case 0: instance.agent_connected = true; break;
      case 1: instance.set_attribute("needs-this"); break;
      case 2: capacity.cpu = 512; break;
      case 3: capacity.memory = 1024; break;
      case 4: capacity.tcp_ports.clear(); break;
      case 5: capacity.udp_ports.clear(); break;
      case 6: capacity.gpus = 1; break;
      case 7: capacity.enis = 1; break;
      case 8: instance.set_attribute("ecs.os-type", "windows"); break;
      case 9: instance.remove_task_group("family:web"); break;
      default: break;
    }
  }
  CHECK(reasons == Strings{"AGENT", "ATTRIBUTE", "RESOURCE:CPU", "RESOURCE:MEMORY", "RESOURCE:PORTS",
                           "RESOURCE:PORTS_UDP", "RESOURCE:GPU", "RESOURCE:ENI",
                           "MemberOf placement constraint unsatisfied.",
                           "DistinctInstance placement constraint unsatisfied.", "placed"});
}

TEST_CASE("§3.2: fit is remaining >= need, so an exact fit fits", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(512, 1024));
  CHECK(placed_on(plan_ok(cluster, task(512, 1024), run_task(1))) == Strings{"i-1"});
  CHECK(failed(plan_ok(cluster, task(513, 1024), run_task(1))) == Strings{"0:RESOURCE:CPU@i-1"});
  CHECK(failed(plan_ok(cluster, task(512, 1025), run_task(1))) == Strings{"0:RESOURCE:MEMORY@i-1"});
}

TEST_CASE("§3.2: a port fails only when it is in the instance's port set of its protocol", "[placement]") {
  Cluster cluster;
  InstanceCapacity capacity = left(4096, 8192);
  capacity.tcp_ports = {22, 2375, 2376, 51678, 51679};
  cluster.add(host("i-1"), capacity);
  TaskDemand demand = task(128, 128);
  demand.tcp_ports = {8080};
  demand.udp_ports = {22};  // UDP 22 is free even though TCP 22 is taken
  CHECK(placed_on(plan_ok(cluster, demand, run_task(1))) == Strings{"i-1"});
  demand.tcp_ports = {22, 8080};
  CHECK(failed(plan_ok(cluster, demand, run_task(1))) == Strings{"0:RESOURCE:PORTS@i-1"});
}

TEST_CASE("§3.2: required attributes need the name, and the value when one is given", "[placement]") {
  Cluster cluster;
  Instance a = host("i-a");
  a.set_attribute("ecs.capability.task-eni");
  a.set_attribute("stack", "prod");
  cluster.add(a, left(4096, 8192));
  Instance b = host("i-b");
  b.set_attribute("stack", "test");
  cluster.add(b, left(4096, 8192));
  TaskDemand demand = task(128, 128);
  demand.required_attributes = {{"stack", std::string("prod")}};
  CHECK(placed_on(plan_ok(cluster, demand, run_task(2))) == Strings{"i-a", "i-a"});
  demand.required_attributes = {{"ecs.capability.task-eni", std::nullopt}};
  CHECK(placed_on(plan_ok(cluster, demand, run_task(1))) == Strings{"i-a"});
  demand.required_attributes = {{"stack", std::string("staging")}};
  const PlacementResult none = plan_ok(cluster, demand, run_task(1));
  CHECK(failed(none) == Strings{"0:ATTRIBUTE@i-a"});
  CHECK(rejected(none) == Strings{"ATTRIBUTE=2"});
}

TEST_CASE("§3.2: memberOf constraints of the task definition and the request are ANDed", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-a", "us-east-1a", "m5.large"), left(4096, 8192));
  cluster.add(host("i-b", "us-east-1b", "m5.large"), left(4096, 8192));
  cluster.add(host("i-c", "us-east-1b", "c5.large"), left(4096, 8192));
  TaskDemand demand = task(128, 128);
  demand.constraints.push_back(constraint("attribute:ecs.instance-type == m5.large"));
  PlacementRequest request = run_task(3);
  request.constraints.push_back(constraint("attribute:ecs.availability-zone == us-east-1b"));
  CHECK(placed_on(plan_ok(cluster, demand, request)) == Strings{"i-b", "i-b", "i-b"});
}

TEST_CASE("§3.2: distinctInstance sees RUNNING tasks of the group and tasks placed earlier in the request",
          "[placement]") {
  const std::string fleet = R"({
    "containerInstances": [
      {"ec2InstanceId": "i-1", "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "status": "ACTIVE"},
      {"ec2InstanceId": "i-2", "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/2", "status": "ACTIVE"},
      {"ec2InstanceId": "i-3", "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/3", "status": "ACTIVE"},
      {"ec2InstanceId": "i-4", "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/4", "status": "ACTIVE"}],
    "tasks": [
      {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "group": "service:web", "desiredStatus": "RUNNING", "lastStatus": "RUNNING"},
      {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/2", "group": "service:web", "desiredStatus": "STOPPED", "lastStatus": "RUNNING"},
      {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/3", "group": "service:api", "desiredStatus": "RUNNING", "lastStatus": "RUNNING"}]})";
  const Cluster cluster = cluster_of_json(fleet);
  PlacementRequest request = service("web", 4, {"spread:instanceId"});
  request.constraints.push_back(constraint("distinctInstance"));
  const PlacementResult result = plan_ok(cluster, task(0, 0), request);
  // i-1 runs a task of service:web; i-2's is stopping (desiredStatus STOPPED) and i-3's is
  // another group's, so both take one; then every instance holds one.
  CHECK(placed_on(result) == Strings{"i-2", "i-3", "i-4"});
  CHECK(failed(result) == Strings{"3:DistinctInstance placement constraint unsatisfied.@i-1"});
  CHECK(rejected(result) == Strings{"DistinctInstance placement constraint unsatisfied.=4"});
}

// ---- §3.3 strategies -----------------------------------------------------------------------------

TEST_CASE("§3.3: binpack puts the task where the least of the resource is left, unlimited last", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-unlimited"), left(std::nullopt, std::nullopt));
  cluster.add(host("i-6g"), left(4096, 6144));
  cluster.add(host("i-2g"), left(4096, 2048));
  cluster.add(host("i-4g"), left(1024, 4096));
  CHECK(placed_on(plan_ok(cluster, task(128, 1024), run_task(1, {"binpack:memory"}))) == Strings{"i-2g"});
  CHECK(placed_on(plan_ok(cluster, task(128, 1024), run_task(1, {"binpack:cpu"}))) == Strings{"i-4g"});
  // As remaining memory shrinks the same instance stays the tightest until it is full.
  CHECK(placed_on(plan_ok(cluster, task(128, 1024), run_task(4, {"binpack:memory"}))) ==
        Strings{"i-2g", "i-2g", "i-4g", "i-4g"});
  Cluster unlimited_only;
  unlimited_only.add(host("i-a"), left(std::nullopt, std::nullopt));
  unlimited_only.add(host("i-b"), left(std::nullopt, 1 << 20));
  CHECK(placed_on(plan_ok(unlimited_only, task(128, 1024), run_task(1, {"binpack:memory"}))) == Strings{"i-b"});
}

TEST_CASE("§3.3: spread counts the group's tasks per value over every ACTIVE instance, eligible or not",
          "[placement]") {
  Cluster cluster;
  // Zone a: one instance with 2 tasks of the group but no room, one with room.
  Instance full = host("i-a-full", "us-east-1a");
  cluster.add(full, left(0, 0));
  cluster.fleet().set_task_count(0, "service:web", 2);
  cluster.add(host("i-a-room", "us-east-1a"), left(4096, 8192));
  // Zone b: one task, on an instance with room.
  cluster.add(host("i-b", "us-east-1b"), left(4096, 8192));
  cluster.fleet().set_task_count(2, "service:web", 1);
  // Zone c: 5 tasks on a DRAINING instance (not counted) and an ACTIVE one with room.
  Instance draining = host("i-c-draining", "us-east-1c");
  draining.status = "DRAINING";
  cluster.add(draining, left(4096, 8192));
  cluster.fleet().set_task_count(3, "service:web", 5);
  cluster.add(host("i-c", "us-east-1c"), left(4096, 8192));
  const PlacementResult result =
      plan_ok(cluster, task(128, 128), service("web", 4, {"spread:attribute:ecs.availability-zone"}));
  // Counts a=2 (the full instance's tasks count), b=1, c=0 (the DRAINING instance's do not):
  // c; then b and c tie at 1 (fleet order: b); then c (1 against 2, 2); then all tie at 2 and
  // zone a's instance with room is first in fleet order.
  CHECK(placed_on(result) == Strings{"i-c", "i-b", "i-c", "i-a-room"});
}

TEST_CASE("§3.3: spread(instanceId) and spread(host) count the group's tasks on each instance", "[placement]") {
  for (const std::string_view field : {"spread:instanceId", "spread:host"}) {
    Cluster cluster;
    cluster.add(host("i-1"), left(4096, 8192));
    cluster.add(host("i-2"), left(4096, 8192));
    cluster.add(host("i-3"), left(4096, 8192));
    cluster.fleet().set_task_count(0, "family:web", 2);
    cluster.fleet().set_task_count(1, "family:other", 7);  // another group: not counted
    CHECK(placed_on(plan_ok(cluster, task(128, 128), run_task(5, {field}))) ==
          Strings{"i-2", "i-3", "i-2", "i-3", "i-1"});
  }
}

TEST_CASE("§3.3 + §6a: instances without the attribute, or with it but no value, share the value 'missing'",
          "[placement]") {
  Cluster cluster;
  Instance no_rack = host("i-none");
  cluster.add(no_rack, left(4096, 8192));
  Instance empty_rack = host("i-empty");
  empty_rack.set_attribute("rack");  // present without a value
  cluster.add(empty_rack, left(4096, 8192));
  Instance r1 = host("i-r1");
  r1.set_attribute("rack", "r1");
  cluster.add(r1, left(4096, 8192));
  // Tasks: 3 in "missing" (i-none 2 + i-empty 1), 2 on r1: r1 takes the first task, then tie
  // at 3: fleet order picks i-none.
  cluster.fleet().set_task_count(0, "family:web", 2);
  cluster.fleet().set_task_count(1, "family:web", 1);
  cluster.fleet().set_task_count(2, "family:web", 2);
  CHECK(placed_on(plan_ok(cluster, task(128, 128), run_task(3, {"spread:attribute:rack"}))) ==
        Strings{"i-r1", "i-none", "i-r1"});
}

TEST_CASE("§3.3: strategies rank lexicographically, the next only within the best class of the previous",
          "[placement]") {
  Cluster cluster;
  cluster.add(host("i-a-big", "us-east-1a"), left(4096, 8192));
  cluster.add(host("i-a-small", "us-east-1a"), left(4096, 2048));
  cluster.add(host("i-b-tiny", "us-east-1b"), left(4096, 1024));
  cluster.fleet().set_task_count(2, "family:web", 1);
  // Summing scores would pick the tiny instance (least memory); lexicographic order first keeps
  // zone a (no task there), then binpacks within it.
  CHECK(placed_on(plan_ok(cluster, task(128, 512),
                          run_task(1, {"spread:attribute:ecs.availability-zone", "binpack:memory"}))) ==
        Strings{"i-a-small"});
  // The other order: binpack first decides alone.
  CHECK(placed_on(plan_ok(cluster, task(128, 512),
                          run_task(1, {"binpack:memory", "spread:attribute:ecs.availability-zone"}))) ==
        Strings{"i-b-tiny"});
}

TEST_CASE("§3.3: random draws uniformly from the seeded generator, later strategies are moot", "[placement]") {
  Cluster cluster;
  for (int i = 0; i < 4; ++i) cluster.add(host("i-" + std::to_string(i)), left(std::nullopt, std::nullopt));
  std::map<std::string, int> hits;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    const PlacementResult result =
        plan_ok(cluster, task(1, 1), run_task(10, {"random", "binpack:memory"}), {.seed = seed});
    REQUIRE(result.tasks.size() == 10);
    for (const std::string& id : placed_on(result)) ++hits[id];
  }
  // 4000 draws over 4 instances: each near 1000 (binpack would have put all on one instance).
  REQUIRE(hits.size() == 4);
  for (const auto& [id, n] : hits) CHECK((n > 880 && n < 1120));
  // A random strategy after others draws within their best class only.
  cluster.fleet().set_task_count(0, "family:web", 1);
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const PlacementResult result = plan_ok(cluster, task(1, 1), run_task(1, {"spread:instanceId", "random"}), {.seed = seed});
    CHECK(placed_on(result) != Strings{"i-0"});
  }
}

TEST_CASE("§3.3: ties are broken by the seeded generator, or by fleet order with --ties fleet-order",
          "[placement]") {
  Cluster cluster;
  for (int i = 0; i < 6; ++i) cluster.add(host("i-" + std::to_string(i)), left(4096, 8192));
  const PlacementRequest request = run_task(3, {"binpack:memory"});
  // Fleet order: the first instance, which stays the tightest.
  CHECK(placed_on(plan_ok(cluster, task(128, 128), request, fleet_order)) == Strings{"i-0", "i-0", "i-0"});
  // Random ties: the same seed gives the same placements (on every machine: the generator is
  // fully specified); the seeds spread the first choice over the tied instances.
  std::set<std::string> first_choices;
  for (std::uint64_t seed = 0; seed < 60; ++seed) {
    const PlacementResult a = plan_ok(cluster, task(128, 128), request, {.seed = seed});
    const PlacementResult b = plan_ok(cluster, task(128, 128), request, {.seed = seed});
    CHECK(placed_on(a) == placed_on(b));
    CHECK(a.seed == seed);
    first_choices.insert(a.tasks[0].ec2_instance_id);
    // After the first, binpack keeps to it: no tie left.
    CHECK(a.tasks[1].ec2_instance_id == a.tasks[0].ec2_instance_id);
  }
  CHECK(first_choices.size() == 6);
}

TEST_CASE("§3.3: the generator is pinned: seed 0 and seed 42 place as recorded", "[placement]") {
  // splitmix64 from the seed, k = Lemire's bounded draw, the k-th candidate in fleet order: an
  // independent transcription in Python gives the same indexes. A change here means placements
  // differ from earlier releases for the same seed.
  Cluster cluster;
  for (int i = 0; i < 10; ++i) cluster.add(host("i-" + std::to_string(i)), left(std::nullopt, std::nullopt));
  CHECK(placed_on(plan_ok(cluster, task(1, 1), run_task(5), {.seed = 0})) ==
        Strings{"i-8", "i-4", "i-0", "i-9", "i-1"});
  CHECK(placed_on(plan_ok(cluster, task(1, 1), run_task(5), {.seed = 42})) ==
        Strings{"i-7", "i-1", "i-2", "i-3", "i-0"});
}

// ---- §3.4 state changes between tasks ------------------------------------------------------------

TEST_CASE("§3.4: each placement takes CPU, memory, GPUs, an ENI and the host ports before the next task",
          "[placement]") {
  Cluster cluster;
  InstanceCapacity capacity = left(1024, 2048);
  capacity.gpus = 2;
  capacity.enis = 3;
  cluster.add(host("i-1"), capacity);
  SECTION("CPU") {
    const PlacementResult r = plan_ok(cluster, task(400, 1), run_task(3));
    CHECK(placed_on(r) == Strings{"i-1", "i-1"});
    CHECK(r.tasks[0].cpu_left == 624);
    CHECK(r.tasks[1].cpu_left == 224);
    CHECK(failed(r) == Strings{"2:RESOURCE:CPU@i-1"});
  }
  SECTION("memory") {
    const PlacementResult r = plan_ok(cluster, task(1, 1000), run_task(3));
    CHECK(r.tasks.size() == 2);
    CHECK(r.tasks[1].memory_left == 48);
    CHECK(failed(r) == Strings{"2:RESOURCE:MEMORY@i-1"});
  }
  SECTION("GPUs") {
    TaskDemand demand = task(1, 1);
    demand.gpus = 1;
    CHECK(failed(plan_ok(cluster, demand, run_task(3))) == Strings{"2:RESOURCE:GPU@i-1"});
  }
  SECTION("ENIs") {
    TaskDemand demand = task(1, 1);
    demand.network_mode = NetworkMode::awsvpc;
    demand.needs_eni = true;
    CHECK(failed(plan_ok(cluster, demand, run_task(4))) == Strings{"3:RESOURCE:ENI@i-1"});
  }
  SECTION("TCP and UDP host ports") {
    TaskDemand demand = task(1, 1);
    demand.tcp_ports = {80};
    CHECK(failed(plan_ok(cluster, demand, run_task(2))) == Strings{"1:RESOURCE:PORTS@i-1"});
    demand.tcp_ports.clear();
    demand.udp_ports = {53};
    CHECK(failed(plan_ok(cluster, demand, run_task(2))) == Strings{"1:RESOURCE:PORTS_UDP@i-1"});
  }
}

TEST_CASE("§3.4 + §6a: task:group and runningTasksCount see the tasks placed earlier in the request",
          "[placement]") {
  Cluster cluster;
  Instance a = host("i-a");
  a.running_tasks_count = 2;
  cluster.add(a, left(std::nullopt, std::nullopt));
  Instance b = host("i-b");
  b.running_tasks_count = 0;
  cluster.add(b, left(std::nullopt, std::nullopt));
  SECTION("runningTasksCount: the field plus the tasks placed") {
    PlacementRequest request = run_task(4, {"spread:instanceId"});
    request.constraints.push_back(constraint("runningTasksCount < 3"));
    // i-a takes the first (fleet order) and, at 3 running, leaves the class; i-b takes the rest
    // while below 3: 1, 2, 3.
    const PlacementResult r = plan_ok(cluster, task(1, 1), request);
    CHECK(placed_on(r) == Strings{"i-a", "i-b", "i-b", "i-b"});
  }
  SECTION("task:group: an instance joins the group with its first task") {
    PlacementRequest request = run_task(2, {"spread:instanceId"});
    request.group = "batch";
    request.constraints.push_back(constraint("not(task:group == batch)"));
    const PlacementResult r = plan_ok(cluster, task(1, 1), request);
    CHECK(placed_on(r) == Strings{"i-a", "i-b"});
    const PlacementResult third = plan_ok(cluster, task(1, 1), run_task(1));  // a fresh request is not affected
    CHECK(third.tasks.size() == 1);
  }
}

TEST_CASE("§3.4: place() records the placements in the cluster, plan() leaves it untouched", "[placement]") {
  Cluster cluster;
  InstanceCapacity capacity = left(1024, 2048);
  capacity.tcp_ports = {22};
  capacity.enis = 2;
  cluster.add(host("i-1"), capacity);
  TaskDemand demand = task(256, 512);
  demand.network_mode = NetworkMode::host;
  demand.tcp_ports = {8080};
  const PlacementResult planned = plan(cluster, demand, run_task(1), fleet_order);
  CHECK(cluster.capacity(0) == capacity);
  CHECK(cluster.fleet().task_count(0, "family:web") == 0);
  const PlacementResult placed = place(cluster, demand, run_task(1), fleet_order);
  CHECK(placed_on(placed) == placed_on(planned));
  CHECK(cluster.cpu_left(0) == 768);
  CHECK(cluster.memory_left(0) == 1536);
  CHECK(std::vector<std::uint16_t>(cluster.tcp_ports(0).begin(), cluster.tcp_ports(0).end()) ==
        std::vector<std::uint16_t>{22, 8080});
  CHECK(cluster.fleet().task_count(0, "family:web") == 1);
  CHECK(cluster.fleet().running_tasks_count()[0] == 1);
  // The next request sees the port taken.
  CHECK(failed(plan_ok(cluster, demand, run_task(1))) == Strings{"0:RESOURCE:PORTS@i-1"});
  // stop_task gives everything back.
  CHECK(cluster.stop_task(0, demand, "family:web"));
  CHECK(cluster.capacity(0) == capacity);
  CHECK(cluster.fleet().task_count(0, "family:web") == 0);
}

// ---- §3.5 unplaced tasks -------------------------------------------------------------------------

TEST_CASE("§3.5: a task that cannot be placed fails, the rest of the request still runs", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(1024, 1024));
  cluster.add(host("i-2"), left(1024, 1024));
  const PlacementResult r = plan_ok(cluster, task(512, 1024), service("web", 4));
  CHECK(r.tasks.size() == 2);
  CHECK(failed(r) == Strings{"2:RESOURCE:MEMORY@i-1", "3:RESOURCE:MEMORY@i-1"});
  CHECK(r.events.size() == 2);
  CHECK(r.exit_code(service("web", 4)) == 1);
}

// ---- §4 defaults and modes -----------------------------------------------------------------------

TEST_CASE("§4: RunTask without strategies is random, --ties does not change that", "[placement]") {
  CHECK(effective_strategies(run_task(1)).size() == 1);
  CHECK(effective_strategies(run_task(1))[0].type == StrategyType::random);
  Cluster cluster;
  for (int i = 0; i < 5; ++i) cluster.add(host("i-" + std::to_string(i)), left(4096, 8192));
  // With fleet-order ties a non-random ranking would always start at i-0.
  std::set<std::string> first;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    first.insert(plan_ok(cluster, task(1, 1), run_task(1), {.seed = seed, .ties = TieBreak::fleet_order}).tasks[0].ec2_instance_id);
  }
  CHECK(first.size() == 5);
}

TEST_CASE("§4: a REPLICA service without strategies spreads over zones, then over instances", "[placement]") {
  const std::vector<StrategySpec> defaults = effective_strategies(service("web", 1));
  REQUIRE(defaults.size() == 2);
  CHECK(defaults[0].field == "attribute:ecs.availability-zone");
  CHECK(defaults[1].target == StrategyTarget::instance_id);
  Cluster cluster;
  cluster.add(host("i-a1", "us-east-1a"), left(4096, 8192));
  cluster.add(host("i-a2", "us-east-1a"), left(4096, 8192));
  cluster.add(host("i-b1", "us-east-1b"), left(4096, 8192));
  cluster.add(host("i-c1", "us-east-1c"), left(4096, 8192));
  const PlacementResult r = plan_ok(cluster, task(1, 1), service("web", 6));
  CHECK(placed_on(r) == Strings{"i-a1", "i-b1", "i-c1", "i-a2", "i-b1", "i-c1"});
}

TEST_CASE("§4 + §6a: a DAEMON service places one task on each ACTIVE instance that passes the filters and runs "
          "none of the service yet, strategies are ignored", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(4096, 8192));
  cluster.add(host("i-2"), left(4096, 8192));
  cluster.fleet().set_task_count(1, "service:agent", 1);  // already runs the daemon: not tried
  cluster.add(host("i-3"), left(100, 8192));              // too little CPU: counted, not a failure
  Instance draining = host("i-4");
  draining.status = "DRAINING";
  cluster.add(draining, left(4096, 8192));
  cluster.add(host("i-5"), left(4096, 8192));
  PlacementRequest request = service("agent", 0, {"binpack:memory"});
  request.kind = RequestKind::service_daemon;
  const PlacementResult r = plan_ok(cluster, task(256, 256), request);
  CHECK(placed_on(r) == Strings{"i-1", "i-5"});
  CHECK(r.tasks[1].index == 1);
  CHECK(r.failures.empty());
  CHECK(rejected(r) == Strings{"RESOURCE:CPU=1"});
  CHECK(r.exit_code(request) == 0);
  CHECK(std::find(r.notes.begin(), r.notes.end(),
                  "strategies are ignored for a DAEMON service: it places one task on each instance") != r.notes.end());
  SECTION("no eligible instance at all: one failure and exit 1") {
    PlacementRequest big = request;
    const PlacementResult none = plan_ok(cluster, task(8192, 256), big);
    CHECK(none.tasks.empty());
    CHECK(failed(none) == Strings{"0:RESOURCE:CPU@i-1"});
    CHECK(none.events.size() == 1);
    CHECK(none.exit_code(big) == 1);
    big.count_max = true;  // ignored by a DAEMON service, exit code included
    CHECK(none.exit_code(big) == 1);
  }
  SECTION("every instance already runs it: nothing to do, exit 0") {
    Cluster done;
    done.add(host("i-1"), left(4096, 8192));
    done.fleet().set_task_count(0, "service:agent", 1);
    const PlacementResult nothing = plan_ok(done, task(256, 256), request);
    CHECK(nothing.tasks.empty());
    CHECK(nothing.failures.empty());
    CHECK(nothing.exit_code(request) == 0);
  }
}

TEST_CASE("§4: limits are coded input errors and nothing is placed", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(4096, 8192));
  const auto codes_of = [&](const TaskDemand& demand, const PlacementRequest& request) {
    const PlacementResult r = plan(cluster, demand, request);
    CHECK(r.tasks.empty());
    CHECK(r.exit_code(request) == 1);
    Strings codes;
    for (const PlacementDiagnostic& d : r.diagnostics) codes.push_back(d.diagnostic.code);
    return codes;
  };
  CHECK(codes_of(task(1, 1), run_task(11)) == Strings{"E0509"});
  CHECK(codes_of(task(1, 1), run_task(0)) == Strings{"E0509"});
  CHECK(codes_of(task(1, 1), service("web", -1)) == Strings{"E0510"});
  CHECK(codes_of(task(1, 1), service("web", 100001)) == Strings{"E0517"});
  CHECK(codes_of(task(1, 1), run_task(1, {"random", "binpack:cpu", "binpack:memory", "spread:instanceId",
                                          "spread:host", "random"})) == Strings{"E0512"});
  PlacementRequest eleven = run_task(1);
  TaskDemand four = task(1, 1);
  for (int i = 0; i < 4; ++i) four.constraints.push_back(constraint("attribute:ecs.os-type == linux"));
  for (int i = 0; i < 7; ++i) eleven.constraints.push_back(constraint("attribute:ecs.os-type == linux"));
  CHECK(codes_of(four, eleven) == Strings{"E0513"});
  eleven.constraints.pop_back();
  CHECK(plan(cluster, four, eleven).diagnostics.empty());  // 10 is allowed
  TaskDemand distinct_in_definition = task(1, 1);
  distinct_in_definition.constraints.push_back(constraint("distinctInstance"));
  CHECK(codes_of(distinct_in_definition, run_task(1)) == Strings{"E0514"});
  PlacementRequest distinct_with_expression = run_task(1);
  ConstraintSpec c;
  c.kind = ConstraintSpec::Kind::distinct_instance;
  c.expression = "attribute:a == b";
  distinct_with_expression.constraints.push_back(c);
  CHECK(codes_of(task(1, 1), distinct_with_expression) == Strings{"E0514"});
  PlacementRequest long_expression = run_task(1);
  ConstraintSpec too_long;
  too_long.expression = "attribute:a in [" + std::string(1990, 'x') + "]";
  long_expression.constraints.push_back(too_long);
  CHECK(codes_of(task(1, 1), long_expression) == Strings{"E0515"});
  PlacementRequest bad_expression = run_task(1);
  ConstraintSpec bad;
  bad.expression = "attribute:stack = prod";
  bad_expression.constraints.push_back(bad);
  CHECK(codes_of(task(1, 1), bad_expression) == Strings{"E0105"});
  PlacementRequest bad_strategy = run_task(1);
  bad_strategy.strategies.push_back(StrategySpec{StrategyType::binpack, StrategyTarget::instance_id, "instanceId", "", {}, ""});
  CHECK(codes_of(task(1, 1), bad_strategy) == Strings{"E0516"});
}

TEST_CASE("§4: --count max places until the first task that fits nowhere and exits 0", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(1024, 4096));
  cluster.add(host("i-2"), left(2048, 4096));
  PlacementRequest request = service("web", 1, {"binpack:cpu"});
  request.count_max = true;
  const PlacementResult r = plan_ok(cluster, task(512, 128), request);
  CHECK(r.tasks.size() == 6);
  CHECK(failed(r) == Strings{"6:RESOURCE:CPU@i-1"});
  CHECK(r.events.size() == 1);
  CHECK(r.rejections_task == 6);
  CHECK(rejected(r) == Strings{"RESOURCE:CPU=2"});
  CHECK(r.exit_code(request) == 0);
  SECTION("RunTask too: the 1-10 limit does not apply to --count max") {
    PlacementRequest run = run_task(1);
    run.count_max = true;
    const PlacementResult rr = plan_ok(cluster, task(512, 128), run);
    CHECK(rr.tasks.size() == 6);
    CHECK(rr.events.empty());
  }
  SECTION("an instance that never fills stops at the limit, with a note") {
    Cluster endless;
    endless.add(host("i-1"), left(std::nullopt, std::nullopt));
    const PlacementResult rr = plan_ok(endless, task(1, 1), request);
    CHECK(rr.tasks.size() == 100000);
    CHECK(rr.failures.empty());
    CHECK(rr.notes.back().starts_with("--count max stopped at 100000 tasks"));
  }
}

// ---- §5 failures and messages --------------------------------------------------------------------

TEST_CASE("§5: the closest matching instance passed the most filters before its first failure, ties go to "
          "fleet order", "[placement]") {
  Cluster cluster;
  Instance disconnected = host("i-agent");
  disconnected.agent_connected = false;
  cluster.add(disconnected, left(8192, 8192));
  cluster.add(host("i-cpu"), left(100, 8192));
  cluster.add(host("i-memory-1"), left(4096, 100));
  cluster.add(host("i-memory-2"), left(4096, 100));
  cluster.add(host("i-cpu-2"), left(100, 100));
  const PlacementResult r = plan_ok(cluster, task(256, 256), run_task(1));
  CHECK(failed(r) == Strings{"0:RESOURCE:MEMORY@i-memory-1"});
  CHECK(r.failures[0].arn == "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/ci-i-memory-1");
  CHECK(r.failures[0].instance == 2U);
  CHECK(rejected(r) == Strings{"AGENT=1", "RESOURCE:CPU=2", "RESOURCE:MEMORY=2"});
}

TEST_CASE("§5: with no ACTIVE instance at all the arn is empty and the reason MISSING", "[placement]") {
  Cluster cluster;
  Instance draining = host("i-1");
  draining.status = "DRAINING";
  cluster.add(draining, left(4096, 8192));
  const Cluster empty;
  for (const Cluster* c : {static_cast<const Cluster*>(&cluster), &empty}) {
    const PlacementResult r = plan_ok(*c, task(1, 1), service("web", 1));
    REQUIRE(r.failures.size() == 1);
    CHECK(r.failures[0].arn.empty());
    CHECK(r.failures[0].reason == "MISSING");
    CHECK_FALSE(r.failures[0].filter);
    CHECK(rejected(r).empty());
    CHECK(r.events == Strings{"(service web) was unable to place a task because no container instance met all of "
                              "its requirements. For more information, see the Troubleshooting section of the "
                              "Amazon ECS Developer Guide."});
  }
}

TEST_CASE("§5: service event texts as AWS prints them", "[placement]") {
  PlacementFailure f;
  f.arn = "arn:aws:ecs:us-east-1:012345678910:container-instance/prod/3f4de1c5ffdd4954af7e75b4be0c8841";
  const std::string head = "(service web) was unable to place a task because no container instance met all of its "
                           "requirements. The closest matching (container-instance 3f4de1c5ffdd4954af7e75b4be0c8841) ";
  const std::string tail = ". For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";
  const std::vector<std::pair<PlacementFilter, std::string>> phrases = {
      {PlacementFilter::cpu, "has insufficient CPU units available"},
      {PlacementFilter::memory, "has insufficient memory available"},
      {PlacementFilter::ports, "is already using a port required by your task"},
      {PlacementFilter::ports_udp, "is already using a port required by your task"},
      {PlacementFilter::attribute, "is missing an attribute required by your task"},
      {PlacementFilter::agent, "encountered error \"AGENT\""},
      {PlacementFilter::gpu, "encountered error \"RESOURCE:GPU\""},
      {PlacementFilter::eni, "encountered error \"RESOURCE:ENI\""},
      {PlacementFilter::member_of, "encountered error \"MemberOf placement constraint unsatisfied.\""},
      {PlacementFilter::distinct_instance, "encountered error \"DistinctInstance placement constraint unsatisfied.\""},
  };
  for (const auto& [filter, phrase] : phrases) {
    f.filter = filter;
    f.reason = std::string(failure_reason(filter));
    CHECK(service_event("web", f) == head + phrase + tail);
  }
  // An ARN of the old form (no cluster segment) and an instance without an ARN.
  f.filter = PlacementFilter::memory;
  f.arn = "arn:aws:ecs:us-east-1:012345678910:container-instance/b1a73168-f8a6-4ed9-b69e-94adc7a0f1e0";
  CHECK(service_event("web", f).find("(container-instance b1a73168-f8a6-4ed9-b69e-94adc7a0f1e0)") != std::string::npos);
  f.arn.clear();
  f.ec2_instance_id = "i-0abc";
  CHECK(service_event("web", f).find("(container-instance i-0abc)") != std::string::npos);
}

TEST_CASE("§5 + §6a: rejections count each ACTIVE instance once, under its first failure, for the first "
          "unplaced task (the last task when all were placed)", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(1024, 1024));
  cluster.add(host("i-2"), left(1024, 1024));
  Instance disconnected = host("i-3");
  disconnected.agent_connected = false;
  cluster.add(disconnected, left(0, 0));  // AGENT, not CPU as well
  Instance draining = host("i-4");
  draining.status = "DRAINING";
  cluster.add(draining, left(0, 0));  // not counted
  SECTION("all placed: as the last task saw it") {
    const PlacementResult r = plan_ok(cluster, task(512, 512), run_task(3, {"binpack:cpu"}));
    CHECK(r.failures.empty());
    CHECK(r.rejections_task == 2);
    // Fleet order fills i-1 (512 + 512), so the third task, on i-2, found i-1 out of CPU.
    CHECK(placed_on(r) == Strings{"i-1", "i-1", "i-2"});
    CHECK(rejected(r) == Strings{"AGENT=1", "RESOURCE:CPU=1"});
  }
  SECTION("the first unplaced task") {
    const PlacementResult r = plan_ok(cluster, task(512, 512), run_task(6, {"binpack:cpu"}));
    CHECK(r.rejections_task == 4);
    CHECK(rejected(r) == Strings{"AGENT=1", "RESOURCE:CPU=2"});
  }
}

namespace {

// "ec2InstanceId:REASON" for each instance first_failures names, in fleet order.
Strings first_failures_of(const Cluster& cluster, const PlacementResult& result) {
  Strings out;
  for (InstanceId id = 0; id < result.first_failures.size(); ++id) {
    if (const auto filter = result.first_failures[id]) {
      out.push_back(std::string(cluster.fleet().ec2_instance_id(id)) + ":" + std::string(failure_reason(*filter)));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("record_first_failures names, per instance, the filter under which rejections counts it", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(1024, 1024));
  cluster.add(host("i-2"), left(1024, 1024));
  Instance disconnected = host("i-3");
  disconnected.agent_connected = false;
  cluster.add(disconnected, left(0, 0));
  Instance draining = host("i-4");
  draining.status = "DRAINING";
  cluster.add(draining, left(0, 0));  // not counted: no entry
  PlacementOptions options = fleet_order;
  options.record_first_failures = true;
  SECTION("off by default, and the placement is the same either way") {
    const PlacementResult without = plan_ok(cluster, task(512, 512), run_task(3, {"binpack:cpu"}));
    const PlacementResult with = plan_ok(cluster, task(512, 512), run_task(3, {"binpack:cpu"}), options);
    CHECK(without.first_failures.empty());
    CHECK(with.first_failures.size() == cluster.fleet().slot_count());
    CHECK(placed_on(with) == placed_on(without));
    CHECK(rejected(with) == rejected(without));
  }
  SECTION("all placed: as the last task saw them, before it went to i-2") {
    const PlacementResult r = plan_ok(cluster, task(512, 512), run_task(3, {"binpack:cpu"}), options);
    CHECK(placed_on(r) == Strings{"i-1", "i-1", "i-2"});
    CHECK(rejected(r) == Strings{"AGENT=1", "RESOURCE:CPU=1"});
    CHECK(first_failures_of(cluster, r) == Strings{"i-1:RESOURCE:CPU", "i-3:AGENT"});
  }
  SECTION("the first unplaced task") {
    const PlacementResult r = plan_ok(cluster, task(512, 512), run_task(6, {"binpack:cpu"}), options);
    CHECK(rejected(r) == Strings{"AGENT=1", "RESOURCE:CPU=2"});
    CHECK(first_failures_of(cluster, r) == Strings{"i-1:RESOURCE:CPU", "i-2:RESOURCE:CPU", "i-3:AGENT"});
  }
  SECTION("no task asked for (a service of desiredCount 0)") {
    const PlacementResult r = plan_ok(cluster, task(2048, 512), service("web", 0), options);
    CHECK(r.tasks.empty());
    CHECK(first_failures_of(cluster, r) == Strings{"i-1:RESOURCE:CPU", "i-2:RESOURCE:CPU", "i-3:AGENT"});
  }
  SECTION("DAEMON: the instances tried, as they were tried") {
    cluster.fleet().set_task_count(1, "service:agent", 1);  // i-2 already runs it: not tried
    cluster.add(host("i-5"), left(100, 8192));
    PlacementRequest request = service("agent", 0);
    request.kind = RequestKind::service_daemon;
    const PlacementResult r = plan_ok(cluster, task(512, 512), request, options);
    CHECK(placed_on(r) == Strings{"i-1"});
    CHECK(rejected(r) == Strings{"AGENT=1", "RESOURCE:CPU=1"});
    CHECK(first_failures_of(cluster, r) == Strings{"i-3:AGENT", "i-5:RESOURCE:CPU"});
  }
}

// ---- §1 and §6a: what an instance has left ------------------------------------------------------

namespace {

// A fleet of one instance i-1 with these resource lists and tasks.
Cluster one_instance(const std::string& registered, const std::string& remaining, const std::string& tasks,
                     const std::string& attributes = R"([{"name": "ecs.instance-type", "value": "c5.large"}])") {
  std::string instance = R"({"ec2InstanceId": "i-1", "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "status": "ACTIVE", "attributes": )" + attributes;
  if (!registered.empty()) instance += R"(, "registeredResources": )" + registered;
  if (!remaining.empty()) instance += R"(, "remainingResources": )" + remaining;
  instance += "}";
  return cluster_of_json(R"({"containerInstances": [)" + instance + R"(], "tasks": )" + (tasks.empty() ? "[]" : tasks) + "}");
}

const std::string registered_2048 = R"([{"name": "CPU", "type": "INTEGER", "integerValue": 2048},
  {"name": "MEMORY", "type": "INTEGER", "integerValue": 3904},
  {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2375", "2376", "51678", "51679"]},
  {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}])";

const std::string two_tasks = R"([
  {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "group": "service:web", "desiredStatus": "RUNNING", "lastStatus": "RUNNING", "cpu": "512", "memory": "1GB",
   "containers": [{"networkBindings": [{"hostPort": 8080, "protocol": "tcp"}, {"hostPort": 5353, "protocol": "udp"}]}],
   "attachments": [{"type": "ElasticNetworkInterface"}]},
  {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "group": "service:web", "desiredStatus": "STOPPED", "lastStatus": "RUNNING", "cpu": "1024", "memory": "1024",
   "containers": [{"networkBindings": [{"hostPort": 9090}]}], "attachments": [{"type": "ElasticNetworkInterface"}]}])";

}  // namespace

TEST_CASE("§1 + §6a: remainingResources is authoritative when it lists a resource", "[placement]") {
  const Cluster cluster = one_instance(registered_2048, R"([{"name": "CPU", "type": "INTEGER", "integerValue": 100},
      {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22"]}])", two_tasks);
  CHECK(cluster.cpu_left(0) == 100);                // remaining, not 2048 - 512
  CHECK(cluster.memory_left(0) == 3904 - 1024);     // MEMORY not in remaining: registered minus RUNNING tasks
  CHECK(std::vector<std::uint16_t>(cluster.tcp_ports(0).begin(), cluster.tcp_ports(0).end()) ==
        std::vector<std::uint16_t>{22});
}

TEST_CASE("§1 + §6a: without remainingResources, registered minus the RUNNING tasks", "[placement]") {
  const Cluster cluster = one_instance(registered_2048, "", two_tasks);
  CHECK(cluster.cpu_left(0) == 2048 - 512);  // the STOPPED task holds nothing
  CHECK(cluster.memory_left(0) == 3904 - 1024);
  CHECK(std::vector<std::uint16_t>(cluster.tcp_ports(0).begin(), cluster.tcp_ports(0).end()) ==
        std::vector<std::uint16_t>{22, 2375, 2376, 8080, 51678, 51679});
  CHECK(std::vector<std::uint16_t>(cluster.udp_ports(0).begin(), cluster.udp_ports(0).end()) ==
        std::vector<std::uint16_t>{5353});
  // ENI: a c5.large holds 2 awsvpc tasks; the RUNNING one with an ENI attachment takes one.
  CHECK(cluster.enis_left(0) == 1);
  // Task counts: the RUNNING task of service:web only.
  CHECK(cluster.fleet().task_count(0, "service:web") == 1);
}

TEST_CASE("§1 + §6a: a resource neither list gives is unlimited (CPU, MEMORY), empty (ports) or none (GPU), "
          "and the output says so once", "[placement]") {
  const Cluster cluster = one_instance("", "", "");
  CHECK_FALSE(cluster.cpu_left(0));
  CHECK_FALSE(cluster.memory_left(0));
  CHECK(cluster.tcp_ports(0).empty());
  CHECK(cluster.gpus_left(0) == 0);
  TaskDemand demand = task(100000, 100000);
  const PlacementResult r = plan_ok(cluster, demand, run_task(3));
  CHECK(r.tasks.size() == 3);
  CHECK_FALSE(r.tasks[0].cpu_left);
  CHECK(r.notes == Strings{
      "CPU is unlimited on 1 of 1 ACTIVE instance: neither remainingResources nor registeredResources lists it",
      "MEMORY is unlimited on 1 of 1 ACTIVE instance: neither remainingResources nor registeredResources lists it"});
  demand.gpus = 1;
  CHECK(failed(plan_ok(cluster, demand, run_task(1))) == Strings{"0:RESOURCE:GPU@i-1"});
}

TEST_CASE("§6a: GPU as INTEGER counts free GPUs, a STRINGSET lists free ids (remaining) or all ids (registered)",
          "[placement]") {
  CHECK(one_instance(R"([{"name": "GPU", "type": "INTEGER", "integerValue": 4}])",
                     R"([{"name": "GPU", "type": "INTEGER", "integerValue": 3}])", "")
            .gpus_left(0) == 3);
  CHECK(one_instance("", R"([{"name": "GPU", "type": "STRINGSET", "stringSetValue": ["GPU-a", "GPU-b"]}])", "")
            .gpus_left(0) == 2);
  const std::string gpu_task = R"([{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1",
      "group": "family:ml", "desiredStatus": "RUNNING", "containers": [{"gpuIds": ["GPU-b"]}]}])";
  CHECK(one_instance(R"([{"name": "GPU", "type": "STRINGSET", "stringSetValue": ["GPU-a", "GPU-b", "GPU-c"]}])", "",
                     gpu_task)
            .gpus_left(0) == 2);
  CHECK(one_instance(R"([{"name": "GPU", "type": "INTEGER", "integerValue": 4}])", "", gpu_task).gpus_left(0) == 3);
}

TEST_CASE("§2 + §6a: ENI capacity from the instance type (the trunk limit with ecs.awsvpc-trunk-id), minus "
          "the awsvpc tasks there, an unknown type is not limited and said once", "[placement]") {
  TaskDemand demand = task(1, 1);
  demand.network_mode = NetworkMode::awsvpc;
  demand.needs_eni = true;
  CHECK(one_instance("", "", "").enis_left(0) == 2);
  CHECK(one_instance("", "", "", R"([{"name": "ecs.instance-type", "value": "c5.large"},
      {"name": "ecs.awsvpc-trunk-id", "value": "eni-0123"}])").enis_left(0) == 10);
  const Cluster unknown = one_instance("", "", "", R"([{"name": "ecs.instance-type", "value": "x9.future"}])");
  CHECK_FALSE(unknown.enis_left(0));
  const PlacementResult r = plan_ok(unknown, demand, run_task(5));
  CHECK(r.tasks.size() == 5);
  CHECK(r.notes.back() == "ENI capacity is unknown for instance type x9.future (1 instance): not limited");
  // The note is about ENIs: a bridge-mode task does not get it.
  const PlacementResult bridge = plan_ok(unknown, task(1, 1), run_task(1));
  CHECK(std::none_of(bridge.notes.begin(), bridge.notes.end(), [](const std::string& n) { return n.starts_with("ENI"); }));
}

TEST_CASE("§2: the group is RunTask's group, else family:FAMILY, a service's tasks are service:NAME", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(4096, 8192));
  PlacementRequest request = run_task(1);
  CHECK(plan_ok(cluster, task(1, 1), request).tasks[0].group == "family:web");
  request.group = "batch:nightly";
  CHECK(plan_ok(cluster, task(1, 1), request).group == "batch:nightly");
  CHECK(plan_ok(cluster, task(1, 1), service("api", 1)).tasks[0].group == "service:api");
}

// ---- further choices (docs/placement.md §5) ----------------------------------------------------

TEST_CASE("choice: registered minus the RUNNING tasks never goes below 0", "[placement]") {
  const std::string overcommitted = R"([
    {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "group": "family:a", "desiredStatus": "RUNNING", "cpu": "2048", "memory": "4096"},
    {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1", "group": "family:a", "desiredStatus": "RUNNING", "cpu": "1024", "memory": "1024"}])";
  const Cluster cluster = one_instance(registered_2048, "", overcommitted);
  CHECK(cluster.cpu_left(0) == 0);
  CHECK(cluster.memory_left(0) == 0);
  CHECK(cluster.fleet().task_count(0, "family:a") == 2);
  CHECK(placed_on(plan_ok(cluster, task(0, 0), run_task(1))) == Strings{"i-1"});
}

TEST_CASE("choice: a request of no tasks reports the rejections the first task would meet", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-1"), left(100, 8192));
  cluster.add(host("i-2"), left(4096, 8192));
  const PlacementResult r = plan_ok(cluster, task(256, 256), service("web", 0));
  CHECK(r.tasks.empty());
  CHECK(r.failures.empty());
  CHECK(r.rejections_task == 0);
  CHECK(rejected(r) == Strings{"RESOURCE:CPU=1"});
  CHECK(r.exit_code(service("web", 0)) == 0);
}

TEST_CASE("choice: spread on an attribute no instance has puts every instance in 'missing'", "[placement]") {
  Cluster cluster;
  for (int i = 0; i < 3; ++i) cluster.add(host("i-" + std::to_string(i)), left(4096, 8192));
  // One value for all: the spread ranks nothing, the next strategy decides.
  CHECK(placed_on(plan_ok(cluster, task(128, 128), run_task(3, {"spread:attribute:rack", "spread:instanceId"}))) ==
        Strings{"i-0", "i-1", "i-2"});
}

TEST_CASE("choice: fleet order is the order instances were added, a removed slot's reuse included", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-first"), left(4096, 8192));
  const InstanceId second = cluster.add(host("i-second"), left(4096, 8192));
  cluster.add(host("i-third"), left(4096, 8192));
  CHECK(cluster.remove(second));
  CHECK(cluster.add(host("i-new"), left(4096, 8192)) == second);  // the freed id, so it ranks second
  CHECK(placed_on(plan_ok(cluster, task(128, 128), run_task(4, {"spread:instanceId"}))) ==
        Strings{"i-first", "i-new", "i-third", "i-first"});
}
