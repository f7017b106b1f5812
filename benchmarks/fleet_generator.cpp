#include "fleet_generator.hpp"

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace ecsq::bench {

namespace {

template <class T>
struct Weighted {
  T value;
  double weight;
};

template <class T, std::size_t N>
const T& draw(std::mt19937_64& rng, const std::array<Weighted<T>, N>& table) {
  double total = 0;
  for (const auto& entry : table) total += entry.weight;
  double x = std::uniform_real_distribution<double>(0, total)(rng);
  for (const auto& entry : table) {
    if (x < entry.weight) return entry.value;
    x -= entry.weight;
  }
  return table.back().value;
}

struct InstanceType {
  std::string_view name;
  bool arm;
  bool gpu;
};

// Roughly what a mixed production account runs: mostly general purpose, a tail of GPU types.
const std::array<Weighted<InstanceType>, 16> instance_types = {{
    {{"m5.large", false, false}, 20},     {{"m5.xlarge", false, false}, 12}, {{"c5.xlarge", false, false}, 10},
    {{"c5.2xlarge", false, false}, 6},    {{"t2.small", false, false}, 7},   {{"t2.medium", false, false}, 7},
    {{"t3.medium", false, false}, 8},     {{"r5.large", false, false}, 6},   {{"m6g.large", true, false}, 6},
    {{"c6g.xlarge", true, false}, 4},     {{"t2.micro", false, false}, 4},  {{"g2.2xlarge", false, true}, 2},
    {{"g4dn.xlarge", false, true}, 3},    {{"p3.2xlarge", false, true}, 1},  {{"i3.large", false, false}, 3},
    {{"g2.8xlarge", false, true}, 1},
}};

const std::array<Weighted<std::string_view>, 6> zones = {{
    {"us-east-1a", 22}, {"us-east-1b", 22}, {"us-east-1c", 20}, {"us-east-1d", 16}, {"us-east-1e", 5}, {"us-east-1f", 15},
}};

const std::array<Weighted<std::string_view>, 5> windows_families = {{
    {"WINDOWS_SERVER_2019_FULL", 40}, {"WINDOWS_SERVER_2019_CORE", 25}, {"WINDOWS_SERVER_2022_FULL", 20},
    {"WINDOWS_SERVER_2022_CORE", 10}, {"WINDOWS_SERVER_2016_FULL", 5},
}};

// Agents lag behind releases: a few current versions dominate, with a long tail of old ones.
const std::array<Weighted<std::string_view>, 14> agent_versions = {{
    {"1.68.2", 25}, {"1.70.0", 15}, {"1.71.1", 12}, {"1.69.0", 10}, {"1.51.0", 8}, {"1.57.1", 6}, {"1.14.5", 3},
    {"1.9.0", 2}, {"1.29.0", 4}, {"1.44.4", 5}, {"1.61.3", 5}, {"1.72.0-beta", 1}, {"1.65.1", 3}, {"1.18.0", 1},
}};

const std::array<Weighted<std::string_view>, 3> stacks = {{{"prod", 60}, {"staging", 25}, {"dev", 15}}};

// Capability attributes carry no value; the agent reports the ones the host supports.
const std::array<std::string_view, 8> capabilities = {
    "ecs.capability.secrets.ssm.environment-variables", "ecs.capability.task-eni", "ecs.capability.efsAuth",
    "ecs.capability.execution-role-awslogs", "com.amazonaws.ecs.capability.logging-driver.awslogs",
    "com.amazonaws.ecs.capability.ecr-auth", "ecs.capability.container-health-check",
    "com.amazonaws.ecs.capability.task-iam-role",
};

constexpr int service_count = 300;

// Zipf(1) over services: a few services have tasks on most instances, most have few.
int draw_service(std::mt19937_64& rng) {
  static const std::vector<double> cumulative = [] {
    std::vector<double> c(service_count);
    double sum = 0;
    for (int i = 0; i < service_count; ++i) c[static_cast<std::size_t>(i)] = (sum += 1.0 / (i + 1));
    return c;
  }();
  const double x = std::uniform_real_distribution<double>(0, cumulative.back())(rng);
  return static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
}

}  // namespace

Instance generate_instance(std::uint64_t seed, std::size_t index) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + index);
  const auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  Instance instance;
  instance.ec2_instance_id = fmt::format("i-{:017x}", rng() & 0xfffffffffffffull);
  instance.container_instance_arn =
      fmt::format("arn:aws:ecs:us-east-1:123456789012:container-instance/prod/{:032x}", rng());
  instance.status = "ACTIVE";
  instance.agent_connected = chance(0.98);
  instance.agent_version = std::string(draw(rng, agent_versions));
  // Registered over the last six years (2018-01-01 .. 2024-01-01).
  instance.registered_at = Instant{1514764800 + static_cast<std::int64_t>(rng() % (6ull * 365 * 86400))};

  const InstanceType& type = draw(rng, instance_types);
  const bool windows = !type.arm && chance(0.08);
  instance.set_attribute("ecs.instance-type", std::string(type.name));
  instance.set_attribute("ecs.availability-zone", std::string(draw(rng, zones)));
  instance.set_attribute("ecs.os-type", windows ? "windows" : "linux");
  instance.set_attribute("ecs.os-family", windows ? std::string(draw(rng, windows_families)) : "LINUX");
  instance.set_attribute("ecs.cpu-architecture", type.arm ? "arm64" : "x86_64");
  instance.set_attribute("ecs.ami-id", fmt::format("ami-{:08x}{}", 0x5a0c0000u + rng() % 24, windows ? "w" : ""));
  instance.set_attribute("ecs.vpc-id", fmt::format("vpc-{:08x}", 0x1000u + rng() % 3));
  instance.set_attribute("ecs.subnet-id", fmt::format("subnet-{:08x}", 0x2000u + rng() % 18));
  instance.set_attribute("stack", std::string(draw(rng, stacks)));
  instance.set_attribute("team", fmt::format("team-{}", rng() % 12));
  if (chance(0.3)) instance.set_attribute("cost-center", fmt::format("cc-{}", 1000 + rng() % 40));
  if (type.gpu) instance.set_attribute("ecs.capability.gpu");
  for (const std::string_view capability : capabilities) {
    if (chance(0.85)) instance.set_attribute(std::string(capability));
  }
  for (int api = 17; api <= 44; api += 3) {
    instance.set_attribute(fmt::format("com.amazonaws.ecs.capability.docker-remote-api.1.{}", api));
  }

  // Task groups: a daemon on almost every instance, then a few services (Zipf), a database tier
  // on some hosts, and the odd family: group.
  if (chance(0.9)) instance.add_task_group("service:daemon-service");
  const int tasks = static_cast<int>(std::min<std::uint64_t>(std::poisson_distribution<int>(2.5)(rng), 12));
  for (int t = 0; t < tasks; ++t) {
    const int service = draw_service(rng);
    instance.add_task_group(service == 0 ? std::string("service:production") : fmt::format("service:svc-{}", service));
  }
  if (chance(0.05)) instance.add_task_group("database");
  if (chance(0.02)) instance.add_task_group("databases");
  if (chance(0.1)) instance.add_task_group(fmt::format("family:batch-{}", rng() % 20));
  instance.running_tasks_count = static_cast<std::int64_t>(instance.task_groups().size()) + static_cast<std::int64_t>(rng() % 3);
  return instance;
}

std::vector<Instance> generate_instances(std::size_t count, std::uint64_t seed) {
  std::vector<Instance> instances;
  instances.reserve(count);
  for (std::size_t i = 0; i < count; ++i) instances.push_back(generate_instance(seed, i));
  return instances;
}

Fleet generate_fleet(std::size_t count, std::uint64_t seed) {
  Fleet fleet;
  for (std::size_t i = 0; i < count; ++i) fleet.add(generate_instance(seed, i));
  return fleet;
}

}  // namespace ecsq::bench
