// ecsq_read_bench: reading a generated fleet file (benchmarks/RESULTS.md, "Reading fleets"). Writes
// the fleet as describe-container-instances + describe-tasks JSON, then times, each step in a
// child process of its own (so getrusage's ru_maxrss is that step's peak): simdjson's DOM parse
// alone, simdjson's On-Demand API touching every value alone, the record reader (read_fleet_sources,
// then Fleet from its instances: what select did before), the columnar reader (read_fleet_columns),
// and `ecsq select` end to end on the file.
//
//   ecsq_read_bench [--instances=N]... [--dir=DIR] [--ecsq=PATH] [--skip-records] [--keep]
//
// Every step but select loads the file into memory first (not timed); peak memory includes it.
// Times are CPU seconds (user + system) of the step; ratios are to the DOM parse of the same run.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/fleet.hpp"
#include "child_process.hpp"
#include "fleet_generator.hpp"
#include "placement_reference.hpp"

namespace {

using namespace ecsq;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t seed = 20261130;
constexpr std::size_t part_size = 10000;

// Writes instances 0..count-1 as one document, part by part: fleet_json of each part, its
// instance list and its task list spliced into one containerInstances and one tasks array.
void write_fleet(const std::string& path, std::size_t count) {
  const std::string tasks_path = path + ".tasks";
  std::ofstream out(path, std::ios::binary);
  std::ofstream tasks(tasks_path, std::ios::binary);
  constexpr std::string_view head = "{\"containerInstances\": [\n  ";
  constexpr std::string_view middle = "],\n \"tasks\": [\n  ";
  out << head;
  bool any_task = false;
  for (std::size_t first = 0; first < count; first += part_size) {
    const std::string json = reference::fleet_json(bench::generate_fleet_data(std::min(part_size, count - first), seed, first));
    const std::size_t split = json.find(middle);
    const std::string_view whole(json);
    const std::string_view instances = whole.substr(head.size(), split - head.size());
    std::string_view task_list = whole.substr(split + middle.size());
    task_list.remove_suffix(3);  // "]}\n"
    out << (first ? ",\n  " : "") << instances;
    if (!task_list.empty()) {
      tasks << (any_task ? ",\n  " : "") << task_list;
      any_task = true;
    }
  }
  tasks.close();
  out << middle;
  std::ifstream in(tasks_path, std::ios::binary);
  out << in.rdbuf();
  out << "]}\n";
  std::filesystem::remove(tasks_path);
}

// The file as the readers load it: simdjson's padding reserved.
std::string load(const std::string& path) {
  const std::size_t size = std::filesystem::file_size(path);
  std::string text;
  text.reserve(size + simdjson::SIMDJSON_PADDING);
  text.resize(size);
  std::ifstream(path, std::ios::binary).read(text.data(), static_cast<std::streamsize>(size));
  return text;
}

bool touch(simdjson::ondemand::value value) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object object;
      if (value.get_object().get(object)) return false;
      for (auto field : object) {
        std::string_view key;
        simdjson::ondemand::value child;
        if (field.unescaped_key().get(key) || field.value().get(child) || !touch(child)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array array;
      if (value.get_array().get(array)) return false;
      for (auto element : array) {
        simdjson::ondemand::value child;
        if (element.get(child) || !touch(child)) return false;
      }
      return true;
    }
    case simdjson::ondemand::json_type::string: return !value.get_string().error();
    case simdjson::ondemand::json_type::number: return !value.get_number().error();
    case simdjson::ondemand::json_type::boolean: return !value.get_bool().error();
    case simdjson::ondemand::json_type::null: return !value.is_null().error();
  }
  return false;
}

struct Step {
  std::string name;
  // Returns the seconds its timed part took and a short result ("100000 instances"), or an error.
  std::function<std::pair<double, std::string>(std::string& text)> run;
};

// CPU seconds of this process (user + system): the machine is shared, so wall time says more
// about the neighbours than about the reader.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

template <class Work>
std::pair<double, std::string> timed(Work&& work) {
  const double start = cpu_seconds();
  std::string result = work();
  return {cpu_seconds() - start, std::move(result)};
}

std::vector<Step> steps() {
  return {
      {"simdjson DOM parse", [](std::string& text) {
         return timed([&] {
           simdjson::dom::parser parser;
           simdjson::dom::element root;
           if (parser.parse(text.data(), text.size(), false).get(root)) return std::string("parse error");
           simdjson::dom::array list;
           if (root["containerInstances"].get_array().get(list)) return std::string("no list");
           return fmt::format("{} instances", list.size());
         });
       }},
      {"simdjson On-Demand, every value touched", [](std::string& text) {
         return timed([&] {
           simdjson::ondemand::parser parser;
           simdjson::ondemand::document document;
           if (parser.iterate(text.data(), text.size(), text.capacity()).get(document)) return std::string("iterate error");
           simdjson::ondemand::value root;
           if (document.get_value().get(root) || !touch(root)) return std::string("walk error");
           return std::string("ok");
         });
       }},
      {"record reader + Fleet(instances) (before)", [](std::string& text) {
         return timed([&] {
           std::vector<FleetSource> sources;
           sources.push_back(FleetSource{"fleet.json", std::move(text)});
           const FleetReadResult result = read_fleet_sources(std::move(sources));
           if (!result.fleet) return std::string("diagnostics");
           const Fleet fleet(result.fleet->instances);
           return fmt::format("{} instances", fleet.size());
         });
       }},
      {"columnar reader (read_fleet_columns)", [](std::string& text) {
         return timed([&] {
           std::vector<FleetSource> sources;
           sources.push_back(FleetSource{"fleet.json", std::move(text)});
           const FleetColumnsResult result = read_fleet_columns(std::move(sources));
           if (!result.fleet) return std::string("diagnostics");
           return fmt::format("{} instances", result.fleet->size());
         });
       }},
  };
}

struct Measured {
  bool ok = false;
  double seconds = 0;  // CPU
  double wall = 0;
  double peak_mb = 0;
  std::string result;
};

// Runs `work` in a child; its peak RSS comes from wait4.
Measured in_child(const std::function<std::string()>& work) {
  const bench::ChildRun run = bench::run_in_child(work);
  Measured out;
  out.wall = run.wall_seconds;
  out.peak_mb = run.peak_mb;
  const std::size_t tab = run.line.find('\t');
  out.ok = run.exited_ok && tab != std::string::npos;
  if (out.ok) {
    out.seconds = std::stod(run.line.substr(0, tab));
    out.result = run.line.substr(tab + 1);
  } else {
    out.result = fmt::format("died (status {})", run.status);
  }
  return out;
}

// `ecsq select` on the file, stdout discarded; timed from fork to exit.
Measured select_in_child(const std::string& ecsq, const std::string& path) {
  std::fflush(stdout);
  const auto start = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::FILE* null = std::freopen("/dev/null", "w", stdout);
    (void)null;
    execl(ecsq.c_str(), ecsq.c_str(), "select", "--fleet", path.c_str(),
          "attribute:ecs.os-type == linux and task:group != service:web", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Measured out;
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  out.seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  out.wall = std::chrono::duration<double>(Clock::now() - start).count();
  out.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  out.ok = WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
  out.result = fmt::format("exit {}", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  std::string dir = "/tmp";
  std::string ecsq = ECSQ_READ_BENCH_CLI;
  bool skip_records = false;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--instances=")) {
      sizes.push_back(std::stoul(std::string(arg.substr(12))));
    } else if (arg.starts_with("--dir=")) {
      dir = arg.substr(6);
    } else if (arg.starts_with("--ecsq=")) {
      ecsq = arg.substr(7);
    } else if (arg == "--skip-records") {
      skip_records = true;
    } else if (arg == "--keep") {
      keep = true;
    } else {
      fmt::print(stderr, "usage: ecsq_read_bench [--instances=N]... [--dir=DIR] [--ecsq=PATH] [--skip-records] [--keep]\n");
      return 2;
    }
  }
  if (sizes.empty()) sizes = {100000};
  bool all_ok = true;
  for (const std::size_t count : sizes) {
    const std::string path = fmt::format("{}/ecsq-read-bench-{}.json", dir, count);
    const Measured written = in_child([&] {
      const auto start = Clock::now();
      write_fleet(path, count);
      return fmt::format("{:.3f}\twritten", std::chrono::duration<double>(Clock::now() - start).count());
    });
    if (!written.ok) {
      fmt::print("writing {} failed: {}\n", path, written.result);
      return 1;
    }
    const double document_mb = static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
    fmt::print("\n{} instances: {} ({:.0f} MB), written in {:.1f} s\n\n", count, path, document_mb, written.seconds);
    fmt::print("| step | CPU time | ÷ DOM parse | peak RSS | ÷ document | result | (child's wall time) |\n"
               "|---|---:|---:|---:|---:|---|---:|\n");
    double dom_seconds = 0;
    for (const Step& step : steps()) {
      if (skip_records && step.name.starts_with("record reader")) continue;
      const Measured m = in_child([&] {
        std::string text = load(path);
        const auto [seconds, result] = step.run(text);
        return fmt::format("{:.3f}\t{}", seconds, result);
      });
      if (dom_seconds == 0 && m.ok) dom_seconds = m.seconds;
      all_ok = all_ok && m.ok;
      fmt::print("| {} | {:.2f} s | {:.2f}× | {:.0f} MB | {:.2f}× | {} | {:.1f} s |\n", step.name, m.seconds,
                 dom_seconds > 0 ? m.seconds / dom_seconds : 0.0, m.peak_mb, m.peak_mb / document_mb, m.result, m.wall);
    }
    if (!ecsq.empty()) {
      const Measured m = select_in_child(ecsq, path);
      all_ok = all_ok && m.ok;
      fmt::print("| `ecsq select` end to end (reads the file itself) | {:.2f} s | {:.2f}× | {:.0f} MB | {:.2f}× | {} | {:.1f} s |\n",
                 m.seconds, dom_seconds > 0 ? m.seconds / dom_seconds : 0.0, m.peak_mb, m.peak_mb / document_mb, m.result,
                 m.wall);
    }
    if (!keep) std::filesystem::remove(path);
  }
  return all_ok ? 0 : 1;
}
