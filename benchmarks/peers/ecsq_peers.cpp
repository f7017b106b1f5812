// ecsq's side of the peer benchmark (benchmarks/peers/run.sh): writes the generated fleet as AWS
// JSON (what ecsq reads) and as flat JSON (what expr, cel-js and filtrex read), then times ecsq on
// the workloads of workloads.json. Every engine's driver writes the same files and one JSON line
// per workload, so compare.py can check the answers and print the ratios.
//
//   ecsq_peers fleet COUNT SEED AWS_JSON FLAT_JSON
//   ecsq_peers run AWS_JSON WORKLOADS_JSON OUT_DIR [REPETITIONS]
//
// Times are wall clock, the least over REPETITIONS (default 5), like the other drivers.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "fleet_generator.hpp"

namespace {

using namespace ecsq;
using Clock = std::chrono::steady_clock;

// Results the timed loops fold in, so the compiler cannot drop the work.
volatile std::size_t sink = 0;

// The least wall time of `repetitions` runs of `run`, in seconds.
template <class Run>
double least(int repetitions, Run run) {
  double best = 1e300;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = Clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

std::string arn(std::size_t index) { return fmt::format("arn:aws:ecs:us-east-1:1:container-instance/{}", index); }

int write_fleet(std::size_t count, std::uint64_t seed, const char* aws_path, const char* flat_path) {
  std::ofstream aws(aws_path), flat(flat_path);
  if (!aws || !flat) {
    std::fprintf(stderr, "ecsq_peers: cannot write %s or %s\n", aws_path, flat_path);
    return 2;
  }
  std::string tasks;
  aws << R"({"containerInstances":[)";
  flat << "[";
  for (std::size_t i = 0; i < count; ++i) {
    const Instance instance = bench::generate_instance(seed, i);
    const std::string registered =
        instance.registered_at ? std::to_string(instance.registered_at->seconds) : std::string("null");
    aws << (i ? ",\n" : "\n")
        << fmt::format(R"({{"ec2InstanceId":{},"containerInstanceArn":{},"agentConnected":{},)"
                       R"("versionInfo":{{"agentVersion":{}}},"registeredAt":{},"runningTasksCount":{},"attributes":[)",
                       json_quote(instance.ec2_instance_id), json_quote(arn(i)), instance.agent_connected,
                       json_quote(instance.agent_version), registered, instance.running_tasks_count);
    flat << (i ? ",\n" : "\n")
         << fmt::format(R"({{"ec2InstanceId":{},"agentConnected":{},"agentVersion":{},"registeredAt":{},)"
                        R"("runningTasksCount":{},"taskGroups":[)",
                        json_quote(instance.ec2_instance_id), instance.agent_connected,
                        json_quote(instance.agent_version), registered, instance.running_tasks_count);
    for (std::size_t g = 0; g < instance.task_groups().size(); ++g) {
      const std::string& group = instance.task_groups()[g];
      flat << (g ? "," : "") << json_quote(group);
      tasks += fmt::format(R"({}{{"containerInstanceArn":{},"group":{},"desiredStatus":"RUNNING","lastStatus":"RUNNING"}})",
                           tasks.empty() ? "\n" : ",\n", json_quote(arn(i)), json_quote(group));
    }
    flat << R"(],"attributes":{)";
    for (std::size_t a = 0; a < instance.attributes().size(); ++a) {
      const Attribute& attribute = instance.attributes()[a];
      const std::string value = attribute.value ? json_quote(*attribute.value) : std::string("null");
      aws << (a ? "," : "") << "{\"name\":" << json_quote(attribute.name);
      if (attribute.value) aws << ",\"value\":" << value;
      aws << '}';
      flat << (a ? "," : "") << json_quote(attribute.name) << ':' << value;
    }
    aws << "]}";
    flat << "}}";
  }
  aws << "],\n\"tasks\":[" << tasks << "]}\n";
  flat << "]\n";
  return aws && flat ? 0 : 2;
}

int run(const char* aws_path, const char* workloads_path, const std::string& out_dir, int repetitions) {
  const FleetReadResult read = read_fleet_files({aws_path});
  if (!read.fleet) {
    std::fprintf(stderr, "%s", render_diagnostics(read).c_str());
    return 2;
  }
  const Fleet fleet(read.fleet->instances);
  const std::size_t n = fleet.slot_count();

  simdjson::dom::parser parser;
  simdjson::dom::element workloads;
  if (parser.load(workloads_path).get(workloads)) {
    std::fprintf(stderr, "ecsq_peers: cannot read %s\n", workloads_path);
    return 2;
  }
  for (simdjson::dom::object workload : workloads.get_array()) {
    const std::string name(workload["name"].get_string().value());
    const std::string expression(workload["ecsq"].get_string().value());
    const CheckResult checked = check(expression);
    if (!checked.ok()) {
      std::fprintf(stderr, "ecsq_peers: %s does not check: %s\n", name.c_str(), expression.c_str());
      return 2;
    }
    const double compile_s = least(repetitions * 20, [&] {
      const CheckResult q = check(expression);
      sink = sink + compile(*q.query, fleet).size();
    });
    const Matcher matcher = compile(*checked.query, fleet);

    std::vector<std::uint32_t> ids;
    ids.reserve(n);
    std::size_t matched = 0;
    const double check_s = least(repetitions, [&] {
      std::size_t k = 0;
      for (InstanceId id = 0; id < n; ++id) k += matcher.matches(fleet, id);
      matched = k;
    });
    Bitset selected;
    const double bulk_s = least(repetitions, [&] { matcher.select(fleet, selected); });
    const InstanceId probe = static_cast<InstanceId>(n / 2);
    constexpr int one_loops = 1000000;
    const double one_s = least(repetitions, [&] {
      std::size_t k = 0;
      for (int i = 0; i < one_loops; ++i) {
        k += matcher.matches(fleet, probe);
        asm volatile("" : "+r"(k));  // one check per loop: no hoisting out of the loop
      }
      sink = sink + k;
    });
    for (InstanceId id = 0; id < n; ++id) {
      if (selected.test(id)) ids.push_back(id);
    }
    if (ids.size() != matched) {
      std::fprintf(stderr, "ecsq_peers: %s: matches found %zu, select %zu\n", name.c_str(), matched, ids.size());
      return 1;
    }
    std::ofstream out(out_dir + "/ecsq." + name + ".ids");
    for (const std::uint32_t id : ids) out << id << '\n';
    fmt::print(R"({{"engine":"ecsq","workload":{},"instances":{},"matched":{},"compile_us":{:.3f},)"
               R"("check_ns":{:.3f},"bulk_us":{:.3f},"one_ns":{:.3f}}})"
               "\n",
               json_quote(name), n, matched, compile_s * 1e6, check_s * 1e9 / static_cast<double>(n), bulk_s * 1e6,
               one_s * 1e9 / one_loops);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "fleet" && argc == 6) return write_fleet(std::stoull(argv[2]), std::stoull(argv[3]), argv[4], argv[5]);
  if (command == "run" && (argc == 5 || argc == 6)) return run(argv[2], argv[3], argv[4], argc == 6 ? std::stoi(argv[5]) : 5);
  std::fprintf(stderr,
               "usage: ecsq_peers fleet COUNT SEED AWS_JSON FLAT_JSON\n"
               "       ecsq_peers run AWS_JSON WORKLOADS_JSON OUT_DIR [REPETITIONS]\n");
  return 2;
}
