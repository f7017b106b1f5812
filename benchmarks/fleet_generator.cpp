#include "fleet_generator.hpp"

#include <algorithm>
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

// What placement needs of each instance type: vCPUs, the MiB an ECS agent registers (a little
// under the nominal memory) and GPUs.
struct TypeResources {
  std::string_view name;
  int vcpus;
  std::int64_t memory_mib;
  int gpus;
};
const std::array<TypeResources, 16> type_resources = {{
    {"m5.large", 2, 7680, 0},   {"m5.xlarge", 4, 15576, 0},  {"c5.xlarge", 4, 7680, 0},   {"c5.2xlarge", 8, 15576, 0},
    {"t2.small", 1, 1993, 0},   {"t2.medium", 2, 3943, 0},   {"t3.medium", 2, 3943, 0},   {"r5.large", 2, 15576, 0},
    {"m6g.large", 2, 7680, 0},  {"c6g.xlarge", 4, 7680, 0},  {"t2.micro", 1, 993, 0},    {"g2.2xlarge", 8, 15040, 1},
    {"g4dn.xlarge", 4, 15576, 1}, {"p3.2xlarge", 8, 61000, 1}, {"i3.large", 2, 15250, 0}, {"g2.8xlarge", 32, 60000, 4},
}};

constexpr int service_count = 300;

int draw_service(std::mt19937_64& rng) {
  static const Zipf popularity(service_count);
  return popularity(rng);
}

}  // namespace

Zipf::Zipf(int n) : cumulative_(static_cast<std::size_t>(n)) {
  double sum = 0;
  for (std::size_t i = 0; i < cumulative_.size(); ++i) cumulative_[i] = (sum += 1.0 / static_cast<double>(i + 1));
}

int Zipf::operator()(std::mt19937_64& rng) const {
  const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
  return static_cast<int>(std::lower_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
}

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

FleetData generate_fleet_data(std::size_t count, std::uint64_t seed, std::size_t first) {
  FleetData data;
  data.instances.reserve(count);
  data.resources.reserve(count);
  const std::vector<std::uint16_t> agent_ports = {22, 2375, 2376, 51678, 51679};
  for (std::size_t i = first; i < first + count; ++i) {
    Instance instance = generate_instance(seed, i);
    // A stream apart from generate_instance's, so the instances stay the matcher benchmark's.
    std::mt19937_64 rng((seed ^ 0x5deece66dull) * 0x9e3779b97f4a7c15ull + i);
    const std::string_view type_name = instance.attribute_value("ecs.instance-type").value_or("m5.large");
    const TypeResources* type = &type_resources[0];
    for (const TypeResources& candidate : type_resources) {
      if (candidate.name == type_name) type = &candidate;
    }
    InstanceResources resources;
    std::int64_t cpu_left = 1024LL * type->vcpus, memory_left = type->memory_mib;
    std::vector<std::uint16_t> tcp = agent_ports, udp;
    resources.registered.cpu = cpu_left;
    resources.registered.memory = memory_left;
    resources.registered.ports = agent_ports;
    resources.registered.ports_udp = std::vector<std::uint16_t>{};
    for (const std::string& group : instance.task_groups()) {
      FleetTask task;
      task.container_instance_arn = instance.container_instance_arn;
      task.instance = i - first;
      task.group = group;
      task.desired_status = "RUNNING";
      task.last_status = "RUNNING";
      // Small tasks, never more than the instance has left.
      task.cpu = std::min<std::int64_t>(cpu_left, 128 << (rng() % 3));
      task.memory = std::min<std::int64_t>(memory_left, 256 << (rng() % 3));
      cpu_left -= *task.cpu;
      memory_left -= *task.memory;
      if (group == "service:daemon-service") task.udp_ports = {8125};
      if (rng() % 10 == 0 && !std::binary_search(tcp.begin(), tcp.end(), std::uint16_t{80})) task.tcp_ports = {80};
      tcp.insert(tcp.end(), task.tcp_ports.begin(), task.tcp_ports.end());
      std::sort(tcp.begin(), tcp.end());
      udp.insert(udp.end(), task.udp_ports.begin(), task.udp_ports.end());
      data.tasks.push_back(std::move(task));
    }
    resources.remaining.cpu = cpu_left;
    resources.remaining.memory = memory_left;
    resources.remaining.ports = tcp;
    resources.remaining.ports_udp = udp;
    if (type->gpus > 0) {
      resources.registered.gpus = type->gpus;
      resources.remaining.gpus = type->gpus;
    }
    data.instances.push_back(std::move(instance));
    data.resources.push_back(std::move(resources));
  }
  return data;
}

}  // namespace ecsq::bench
