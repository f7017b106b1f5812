// The worked examples of placement-research.md §12 that have an outcome (W1-W15, W18), each as
// the engine sees it: the fleet, task definition and request of the example, and what AWS (or the
// documentation) says happened.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"
#include "placement_fixtures.hpp"

using namespace ecsq;
using namespace ecsq::testing;
using Strings = std::vector<std::string>;

namespace {

TaskDemand demand_of(std::string text) {
  TaskDefinitionInput input = read_task_definition(std::move(text), "task-definition.json");
  for (const auto& d : input.diagnostics) INFO(render_text(d.diagnostic, input.document.text, input.document.origin));
  REQUIRE(input.diagnostics.empty());
  REQUIRE(input.demand);
  return *input.demand;
}

PlacementRequest request_of(std::string text) {
  RequestInput input = read_placement_request(std::move(text), "request.json");
  REQUIRE(input.diagnostics.empty());
  REQUIRE(input.request);
  return *input.request;
}

// n ACTIVE instances i-1..i-n with `cpu` units and `memory` MiB registered, as JSON.
std::string fleet_json(int n, std::int64_t cpu, std::int64_t memory, const std::string& type,
                       const std::string& extra_attributes = "", const std::string& tasks = "[]") {
  std::string out = R"({"containerInstances": [)";
  const char* zones[] = {"us-east-1a", "us-east-1b", "us-east-1c"};
  for (int i = 1; i <= n; ++i) {
    if (i > 1) out += ",";
    out += fmt::format(R"({{"ec2InstanceId": "i-{0}", "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/{0}",
      "status": "ACTIVE", "agentConnected": true,
      "attributes": [{{"name": "ecs.instance-type", "value": "{1}"}}, {{"name": "ecs.availability-zone", "value": "{2}"}},
                     {{"name": "ecs.subnet-id", "value": "subnet-{0}"}}, {{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.31"}},
                     {{"name": "ecs.capability.task-eni"}} {3}],
      "registeredResources": [{{"name": "CPU", "type": "INTEGER", "integerValue": {4}}},
                              {{"name": "MEMORY", "type": "INTEGER", "integerValue": {5}}},
                              {{"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2375", "2376", "51678", "51679"]}}]}})",
                       i, type, zones[(i - 1) % 3], extra_attributes, cpu, memory);
  }
  return out + R"(], "tasks": )" + tasks + "}";
}

}  // namespace

TEST_CASE("W1: instances of 1024 MiB and a task of 1000 MiB: one copy per instance", "[placement]") {
  const Cluster cluster = cluster_of_json(fleet_json(3, 4096, 1024, "t3.micro"));
  const PlacementResult r = plan_ok(cluster, task(0, 1000), service("web", 4));
  CHECK(placed_on(r) == Strings{"i-1", "i-2", "i-3"});
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].find("(container-instance 1) has insufficient memory available.") != std::string::npos);
}

TEST_CASE("W2: instances of 1024 CPU units and a task of 1000: one copy per instance", "[placement]") {
  const Cluster cluster = cluster_of_json(fleet_json(3, 1024, 8192, "m5.large"));
  const PlacementResult r = plan_ok(cluster, task(1000, 128), service("web", 4));
  CHECK(placed_on(r) == Strings{"i-1", "i-2", "i-3"});
  CHECK(failed(r) == Strings{"3:RESOURCE:CPU@i-1"});
  CHECK(r.events[0].find("has insufficient CPU units available") != std::string::npos);
}

TEST_CASE("W3: a single-core instance runs two 512-unit tasks (an exact fit fits)", "[placement]") {
  const Cluster cluster = cluster_of_json(fleet_json(1, 1024, 8192, "m5.large"));
  const TaskDemand demand =
      demand_of(R"({"family": "w3", "containerDefinitions": [{"name": "a", "cpu": 512, "memory": 128}]})");
  const PlacementResult r = plan_ok(cluster, demand, run_task(3));
  CHECK(placed_on(r) == Strings{"i-1", "i-1"});
  CHECK(failed(r) == Strings{"2:RESOURCE:CPU@i-1"});
}

TEST_CASE("W4: an m4.large registers 7985 MiB (Linux) or 8191 MiB (Windows): a task of 8192 MiB fits neither",
          "[placement]") {
  const TaskDemand demand =
      demand_of(R"({"family": "w4", "memory": "8192", "containerDefinitions": [{"name": "a"}]})");
  for (const std::int64_t registered : {7985, 8191, 7985 - 256}) {  // the last: ECS_RESERVED_MEMORY=256
    const Cluster cluster = cluster_of_json(fleet_json(1, 2048, registered, "m4.large"));
    CHECK(failed(plan_ok(cluster, demand, run_task(1))) == Strings{"0:RESOURCE:MEMORY@i-1"});
  }
  const Cluster bigger = cluster_of_json(fleet_json(1, 2048, 8192, "m4.large"));
  CHECK(placed_on(plan_ok(bigger, demand, run_task(1))) == Strings{"i-1"});
}

TEST_CASE("W5: placing awsvpc tasks on a c5.large: 2 fit, 10 with ENI trunking", "[placement]") {
  const TaskDemand demand = demand_of(
      R"({"family": "w5", "networkMode": "awsvpc", "containerDefinitions": [{"name": "a", "memory": 64}]})");
  const Cluster plain = cluster_of_json(fleet_json(1, 2048, 3904, "c5.large"));
  const PlacementResult r = plan_ok(plain, demand, run_task(10));
  CHECK(r.tasks.size() == 2);
  CHECK(r.failures.size() == 8);
  CHECK(r.failures[0].reason == "RESOURCE:ENI");
  const Cluster trunked = cluster_of_json(
      fleet_json(1, 2048, 3904, "c5.large", R"(, {"name": "ecs.awsvpc-trunk-id", "value": "eni-0a1b2c3d"})"));
  CHECK(plan_ok(trunked, demand, run_task(10)).tasks.size() == 10);
  PlacementRequest eleventh = run_task(1);
  eleventh.count_max = true;
  const PlacementResult max = plan_ok(trunked, demand, eleventh);
  CHECK(max.tasks.size() == 10);
  CHECK(failed(max) == Strings{"10:RESOURCE:ENI@i-1"});
}

TEST_CASE("W6: a static host port needs one instance per task, host mode never runs two copies on one instance",
          "[placement]") {
  const Cluster cluster = cluster_of_json(fleet_json(3, 4096, 8192, "m5.large"));
  const TaskDemand bridge = demand_of(R"({"family": "w6", "containerDefinitions": [{"name": "a", "memory": 64,
      "portMappings": [{"containerPort": 8080, "hostPort": 80}]}]})");
  const PlacementResult r = plan_ok(cluster, bridge, service("web", 4, {"binpack:memory"}));
  CHECK(placed_on(r) == Strings{"i-1", "i-2", "i-3"});
  REQUIRE(r.events.size() == 1);
  CHECK(r.events[0].find("(container-instance 1) is already using a port required by your task.") != std::string::npos);
  const TaskDemand host_mode = demand_of(R"({"family": "w6", "networkMode": "host", "containerDefinitions": [{"name": "a",
      "memory": 64, "portMappings": [{"containerPort": 8080}]}]})");
  CHECK(placed_on(plan_ok(cluster, host_mode, service("web", 3, {"binpack:memory"}))) ==
        Strings{"i-1", "i-2", "i-3"});
  // Dynamic host ports (hostPort 0 or absent in bridge mode) reserve nothing: any number fit.
  const TaskDemand dynamic = demand_of(R"({"family": "w6", "containerDefinitions": [{"name": "a", "memory": 64,
      "portMappings": [{"containerPort": 8080, "hostPort": 0}, {"containerPort": 9090}]}]})");
  CHECK(plan_ok(cluster, dynamic, service("web", 8, {"binpack:memory"})).tasks.size() == 8);
}

TEST_CASE("W8: memory is checked before ports: a t4g.large with 3717 MiB left reports RESOURCE:MEMORY", "[placement]") {
  const std::string running = R"([{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1",
      "group": "service:mediamtx", "desiredStatus": "RUNNING", "lastStatus": "RUNNING", "memory": "4096",
      "containers": [{"networkBindings": [{"hostPort": 1935}, {"hostPort": 8554}, {"hostPort": 8889},
        {"hostPort": 8890, "protocol": "udp"}, {"hostPort": 9996}, {"hostPort": 9997}, {"hostPort": 8189, "protocol": "udp"}]}]}])";
  const Cluster cluster = cluster_of_json(fleet_json(1, 2048, 7813, "t4g.large", "", running));
  CHECK(cluster.memory_left(0) == 3717);
  const TaskDemand demand = demand_of(R"({"family": "mediamtx", "networkMode": "host", "memory": "4096",
      "containerDefinitions": [{"name": "mediamtx", "portMappings": [{"containerPort": 1935}, {"containerPort": 8554},
        {"containerPort": 8889}, {"containerPort": 8890, "protocol": "udp"}, {"containerPort": 9996},
        {"containerPort": 9997}, {"containerPort": 8189, "protocol": "udp"}]}]})");
  const PlacementResult r = plan_ok(cluster, demand, service("mediamtx", 1));
  CHECK(failed(r) == Strings{"0:RESOURCE:MEMORY@i-1"});
  // With the memory there, the ports are the next thing in the way.
  const Cluster roomy = cluster_of_json(fleet_json(1, 2048, 16384, "t4g.large", "", running));
  CHECK(failed(plan_ok(roomy, demand, service("mediamtx", 1))) == Strings{"0:RESOURCE:PORTS@i-1"});
}

TEST_CASE("W9: memoryReservation is what a container takes from the instance, not its memory limit", "[placement]") {
  const Cluster cluster = cluster_of_json(fleet_json(1, 2048, 300, "t3.micro"));
  const TaskDemand demand = demand_of(R"({"family": "w9", "containerDefinitions": [{"name": "a", "memory": 300,
      "memoryReservation": 128}]})");
  CHECK(demand.memory == 128);
  const PlacementResult r = plan_ok(cluster, demand, run_task(3));
  CHECK(r.tasks.size() == 2);  // 300 / 128: two reservations fit, although one limit of 300 fills the instance
  CHECK(r.tasks[1].memory_left == 44);
}

TEST_CASE("W10: a REPLICA service without strategies goes to the zones with the fewest of its tasks, then to the "
          "instance with the fewest", "[placement]") {
  const std::string tasks = R"([{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/1",
      "group": "service:web", "desiredStatus": "RUNNING"},
    {"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/5",
      "group": "service:web", "desiredStatus": "RUNNING"}])";
  // i-1 (zone a, 1 task), i-2 (b), i-3 (c), i-4 (a), i-5 (b, 1 task), i-6 (c).
  const Cluster cluster = cluster_of_json(fleet_json(6, 4096, 8192, "m5.large", "", tasks));
  // Zones: a 1, b 1, c 0: the first task goes to zone c, whatever the seed; within c, i-3 and
  // i-6 tie at 0.
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const PlacementResult r = plan_ok(cluster, task(1, 1), service("web", 1), {.seed = seed});
    CHECK((placed_on(r) == Strings{"i-3"} || placed_on(r) == Strings{"i-6"}));
  }
  // Three more: zones tie at 1 each; in zone a the empty i-4 is preferred to i-1, in b i-2 to i-5.
  const PlacementResult r = plan_ok(cluster, task(1, 1), service("web", 4));
  CHECK(placed_on(r) == Strings{"i-3", "i-2", "i-4", "i-6"});
}

TEST_CASE("W11: distinctInstance counts the tasks already running (RunTask, one instance)", "[placement]") {
  const std::string fleet = R"({"containerInstances": [{"ec2InstanceId": "i-0game",
      "containerInstanceArn": "arn:aws:ecs:ap-south-1:677002189549:container-instance/9343a2bc91034510bddcebef0a29f3d9",
      "status": "ACTIVE", "agentConnected": true}],
    "tasks": [{"containerInstanceArn": "arn:aws:ecs:ap-south-1:677002189549:container-instance/9343a2bc91034510bddcebef0a29f3d9",
      "group": "family:LaunchGameserver", "desiredStatus": "RUNNING", "lastStatus": "RUNNING"}]})";
  const Cluster cluster = cluster_of_json(fleet);
  TaskDemand demand = task(0, 128);
  demand.family = "LaunchGameserver";
  const PlacementRequest request = request_of(R"({"taskDefinition": "LaunchGameserver", "launchType": "EC2",
      "count": 1, "placementConstraints": [{"type": "distinctInstance"}]})");
  const PlacementResult r = plan_ok(cluster, demand, request);
  CHECK(r.tasks.empty());
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].arn ==
        "arn:aws:ecs:ap-south-1:677002189549:container-instance/9343a2bc91034510bddcebef0a29f3d9");
  CHECK(r.failures[0].reason == "DistinctInstance placement constraint unsatisfied.");
  CHECK(r.events.empty());  // RunTask reports failures, not service events
}

TEST_CASE("W12: blue/green with distinctInstance: the old task set's tasks share the service: group and block the "
          "replacement", "[placement]") {
  std::string tasks = "[";
  for (int i = 1; i <= 3; ++i) {
    tasks += fmt::format(R"({}{{"containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/c/{}",
        "group": "service:web", "desiredStatus": "RUNNING", "taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/web:7"}})",
                         i > 1 ? "," : "", i);
  }
  tasks += "]";
  const Cluster cluster = cluster_of_json(fleet_json(3, 4096, 8192, "m5.large", "", tasks));
  PlacementRequest request = service("web", 3);
  request.constraints.push_back(constraint("distinctInstance"));
  const PlacementResult r = plan_ok(cluster, task(256, 512), request);
  CHECK(r.tasks.empty());
  REQUIRE(r.events.size() == 3);
  CHECK(r.events[0].find("The closest matching (container-instance 1) encountered error \"DistinctInstance placement "
                         "constraint unsatisfied.\"") != std::string::npos);
}

TEST_CASE("W13: distinctInstance with more tasks than instances: one task per instance, an event for each of the "
          "rest", "[placement]") {
  const Cluster cluster = cluster_of_json(fleet_json(5, 4096, 8192, "m5.large"));
  const PlacementRequest request = request_of(R"({"serviceName": "datadog_agent", "desiredCount": 1000,
      "placementConstraints": [{"type": "distinctInstance"}], "placementStrategy": [{"type": "spread", "field": "instanceId"}]})");
  const PlacementResult r = plan_ok(cluster, task(128, 256), request);
  CHECK(placed_on(r) == Strings{"i-1", "i-2", "i-3", "i-4", "i-5"});
  CHECK(r.failures.size() == 995);
  CHECK(r.events.size() == 995);
  CHECK(r.events[994].starts_with(
      "(service datadog_agent) was unable to place a task because no container instance met all of its requirements."));
  CHECK(r.failures[994].index == 999);
}

TEST_CASE("W14: memberOf that no instance satisfies, a disconnected instance reports AGENT first", "[placement]") {
  std::string fleet = fleet_json(2, 4096, 8192, "m5.large", R"(, {"name": "ecs.os-type", "value": "linux"},
      {"name": "ecs.os-family", "value": "LINUX"})");
  // The second instance's agent is disconnected.
  const std::size_t second = fleet.find("\"i-2\"");
  fleet.replace(fleet.find("\"agentConnected\": true", second), 22, "\"agentConnected\": false");
  const Cluster cluster = cluster_of_json(fleet);
  PlacementRequest request = run_task(1);
  request.constraints.push_back(constraint("attribute:ecs.os-type == linux"));
  request.constraints.push_back(constraint("attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL"));
  const PlacementResult r = plan_ok(cluster, task(128, 128), request);
  // One failure per task (a choice, docs/placement.md): the closest instance's reason. The
  // summary keeps the other instance's.
  CHECK(failed(r) == Strings{"0:MemberOf placement constraint unsatisfied.@i-1"});
  CHECK(rejected(r) == Strings{"AGENT=1", "MemberOf placement constraint unsatisfied.=1"});
}

TEST_CASE("W15: ecs-will-it-fit's integration expectations on two t2.small instances", "[placement]") {
  // t2.small: 1024 CPU units, 1978 MiB available; awsvpc tasks with task-level cpu and memory.
  const Cluster cluster = cluster_of_json(
      fleet_json(2, 1024, 1978, "t2.small", R"(, {"name": "my_attribute", "value": "awsome"},
          {"name": "my_2nd_attribute", "value": "awsome2"})"));
  const auto demand_with = [](int cpu, int memory) {
    return demand_of(fmt::format(R"({{"family": "willy", "networkMode": "awsvpc", "cpu": "{}", "memory": "{}",
        "containerDefinitions": [{{"name": "app", "portMappings": [{{"containerPort": 8125, "protocol": "udp"}},
          {{"containerPort": 8080, "protocol": "tcp"}}]}}]}})",
                                 cpu, memory));
  };
  const auto service_of = [](int desired, const std::string& constraints = "[]") {
    return request_of(fmt::format(R"({{"serviceName": "willy", "desiredCount": {}, "placementConstraints": {}}})", desired,
                                  constraints));
  };
  struct Row {
    int cpu, memory, desired;
    std::size_t running;
  };
  SECTION("memory") {
    for (const Row row : {Row{256, 128, 1, 1}, Row{256, 512, 2, 2}, Row{256, 1978, 1, 1}, Row{256, 1978, 2, 2},
                          Row{256, 2048, 1, 0}, Row{256, 1024, 3, 2}}) {
      INFO(row.cpu << ", " << row.memory << ", " << row.desired);
      const PlacementResult r = plan_ok(cluster, demand_with(row.cpu, row.memory), service_of(row.desired));
      CHECK(r.tasks.size() == row.running);
      if (row.running < static_cast<std::size_t>(row.desired)) {
        CHECK(r.events[0].find("has insufficient memory available") != std::string::npos);
      }
    }
  }
  SECTION("CPU") {
    for (const Row row : {Row{256, 128, 1, 1}, Row{256, 128, 2, 2}, Row{1024, 128, 1, 1}, Row{512, 128, 2, 2},
                          Row{2048, 128, 1, 0}, Row{1024, 128, 3, 2}}) {
      INFO(row.cpu << ", " << row.memory << ", " << row.desired);
      const PlacementResult r = plan_ok(cluster, demand_with(row.cpu, row.memory), service_of(row.desired));
      CHECK(r.tasks.size() == row.running);
      if (row.running < static_cast<std::size_t>(row.desired)) {
        CHECK(r.events[0].find("has insufficient CPU units available") != std::string::npos);
      }
    }
  }
  SECTION("attributes") {
    struct AttributeRow {
      int desired;
      std::string constraints;
      bool fits;
    };
    const auto member_of = [](const std::string& expression) {
      return R"([{"type": "memberOf", "expression": ")" + expression + R"("}])";
    };
    for (const AttributeRow& row : {
             AttributeRow{1, member_of("attribute:my_attribute==awsome"), true},
             AttributeRow{1, R"([{"type": "memberOf", "expression": "attribute:my_attribute==awsome"},
                 {"type": "memberOf", "expression": "attribute:my_2nd_attribute==awsome2"}])", true},
             AttributeRow{1, member_of("attribute:com.amazonaws.ecs.capability.docker-remote-api.1.31 exists"), true},
             AttributeRow{1, member_of("attribute:ecs.subnet-id in [subnet-1, subnet-2]"), true},
             AttributeRow{2, member_of("attribute:ecs.instance-type==t2.small"), true},
             AttributeRow{1, member_of("attribute:com.amazonaws.ecs.capability.docker-remote-api.9.31 exists"), false},
             AttributeRow{1, member_of("attribute:ecs.subnet-id in [subnet-12345, subnet-abcdef]"), false},
             AttributeRow{2, member_of("attribute:ecs.instance-type==t2.nano"), false}}) {
      INFO(row.constraints);
      const PlacementResult r = plan_ok(cluster, demand_with(256, 128), service_of(row.desired, row.constraints));
      if (row.fits) {
        CHECK(r.tasks.size() == static_cast<std::size_t>(row.desired));
      } else {
        CHECK(r.tasks.empty());
        REQUIRE_FALSE(r.events.empty());
        CHECK(r.events[0].find("MemberOf placement constraint unsatisfied") != std::string::npos);
      }
    }
  }
}

TEST_CASE("W18: binpack(memory) over 2, 4 and 6 GB left puts a 1 GB task on the 2 GB instance", "[placement]") {
  Cluster cluster;
  cluster.add(host("i-4gb"), left(4096, 4096));
  cluster.add(host("i-2gb"), left(4096, 2048));
  cluster.add(host("i-6gb"), left(4096, 6144));
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    CHECK(placed_on(plan_ok(cluster, task(0, 1024), run_task(1, {"binpack:memory"}), {.seed = seed})) ==
          Strings{"i-2gb"});
  }
}
