// The README's code, compiled and run here so it cannot rot: the scheduler example of "Compiled
// matcher and fleet store" sits between the markers below, and a test checks that the README
// shows exactly these lines.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ecsq/ecsq.hpp"

namespace {

// The lines of `path`.
std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream file(path);
  REQUIRE(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  return lines;
}

// The first ```cpp block after `heading` in the README, without its #include line and the blank
// line after it.
std::vector<std::string> readme_block(const std::string& heading) {
  const std::vector<std::string> lines = read_lines(ECSQ_SOURCE_DIR "/README.md");
  std::vector<std::string> block;
  bool in_section = false;
  bool in_block = false;
  for (const std::string& line : lines) {
    if (line == heading) in_section = true;
    if (!in_section) continue;
    if (!in_block && line == "```cpp") {
      in_block = true;
      continue;
    }
    if (in_block && line == "```") break;
    if (in_block && line.rfind("#include", 0) != 0 && !(block.empty() && line.empty())) block.push_back(line);
  }
  return block;
}

// The lines of this file between the markers `// README: <name>` and `// README end`, one level
// of indentation (two spaces) removed.
std::vector<std::string> marked_block(const std::string& name) {
  const std::vector<std::string> lines = read_lines(ECSQ_SOURCE_DIR "/tests/test_readme_examples.cpp");
  std::vector<std::string> block;
  bool in_block = false;
  for (const std::string& line : lines) {
    if (line == "  // README: " + name) {
      in_block = true;
      continue;
    }
    if (in_block && line == "  // README end") break;
    if (in_block) block.push_back(line.substr(std::min<std::size_t>(2, line.size())));
  }
  return block;
}

}  // namespace

TEST_CASE("readme: the scheduler example places a task with distinctInstance and records it", "[readme]") {
  // README: scheduler
  ecsq::Fleet fleet;
  for (const std::string zone : {"us-east-1a", "us-east-1b", "us-east-1c"}) {
    ecsq::Instance instance;
    instance.ec2_instance_id = "i-" + zone;
    instance.container_instance_arn = "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/" + zone;
    instance.status = "ACTIVE";
    instance.set_attribute("ecs.availability-zone", zone);
    fleet.add(instance);
  }
  const ecsq::CheckedQuery zones = *ecsq::check("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]").query;
  const ecsq::CheckedQuery distinct = *ecsq::check("distinctInstance").query;

  // One placement of a service:web task: compile, select, start.
  const ecsq::Matcher web = ecsq::compile({&zones, &distinct}, fleet, ecsq::CompileOptions{.task_group = "service:web"});
  const ecsq::Bitset candidates = web.select(fleet);  // the instances in us-east-1a and us-east-1b
  const ecsq::InstanceId chosen = *candidates.begin();
  fleet.start_task(chosen, "service:web");            // runningTasksCount 1, task:group service:web
  const bool again = web.matches(fleet, chosen);      // false now: distinctInstance

  // ECS events name instances by ec2InstanceId or ARN.
  if (const auto id = fleet.find("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/us-east-1a")) {
    fleet.stop_task(*id, "service:web");              // back to runningTasksCount 0
    fleet.set_status(*id, "DRAINING");
  }
  // README end

  // What the comments say.
  CHECK(candidates.to_vector() == std::vector<ecsq::InstanceId>{0, 1});
  CHECK(chosen == 0);
  CHECK_FALSE(again);
  CHECK(web.select(fleet).to_vector() == std::vector<ecsq::InstanceId>{0, 1});  // the task stopped
  CHECK(fleet.running_tasks_count()[chosen] == 0);
  CHECK(fleet.task_count(chosen, "service:web") == 0);
  CHECK(fleet.status(chosen) == "DRAINING");
  CHECK(fleet.status(1) == "ACTIVE");
  CHECK(fleet.ec2_instance_id(2) == "i-us-east-1c");
}

TEST_CASE("readme: the scheduler example is the README's code", "[readme]") {
  const std::vector<std::string> readme = readme_block("## Compiled matcher and fleet store");
  const std::vector<std::string> tested = marked_block("scheduler");
  REQUIRE(tested.size() > 10);
  CHECK(readme == tested);
}
