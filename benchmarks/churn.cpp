// ecsq_churn: a scheduler's long run. About 300 live instances join and leave, tasks of 500
// services (Zipf popularity) start and stop, and every placement decision compiles a Matcher for
// the service's constraint (half of the services also have distinctInstance), selects, and starts
// the task on a random candidate. It prints, per window of decisions, the task-group set
// dictionary, all dictionaries, the resident memory, and compile and decision times (p50, p99,
// max), so a run shows whether memory and compile time stay proportional to the live fleet.
//
//   ecsq_churn [--decisions=150000] [--instances=300] [--window=10000] [--seed=42]
//              [--api=tasks|raw] [--compact=auto|never] [--check]
//
// --api=tasks uses Fleet::start_task/stop_task and CompileOptions::task_group for distinctInstance.
// --api=raw is the scaffolding callers wrote before those existed: their own per-(instance,
// group) counts, add_task_group/remove_task_group at 0<->1, set_running_tasks_count, and a holders
// bitset per group subtracted from select(). --compact=auto calls Fleet::compact() between
// decisions whenever dictionary_size() has doubled since the last one (task-group sets are
// reclaimed without it). --check verifies every decision against evaluate() and the fleet's
// bounds and exits 1 on a violation (the ctest smoke case).
//
// Built with -DECSQ_CHURN_RAW_ONLY, the program uses only the API that predates these features,
// so the same workload can be measured against an older library (benchmarks/RESULTS.md).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "fleet_generator.hpp"

namespace {

using namespace ecsq;
using Clock = std::chrono::steady_clock;

struct Options {
  std::size_t decisions = 150000;
  std::size_t instances = 300;
  std::size_t window = 10000;
  std::uint64_t seed = 42;
  bool raw = false;
  bool compact = true;
  bool check = false;
};

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&](std::string_view name) -> const char* {
      return arg.size() > name.size() && arg.substr(0, name.size()) == name ? argv[i] + name.size() : nullptr;
    };
    if (const char* v = value("--decisions=")) {
      options.decisions = std::strtoull(v, nullptr, 10);
    } else if (const char* v = value("--instances=")) {
      options.instances = std::strtoull(v, nullptr, 10);
    } else if (const char* v = value("--window=")) {
      options.window = std::max<std::size_t>(1, std::strtoull(v, nullptr, 10));
    } else if (const char* v = value("--seed=")) {
      options.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--api=tasks" || arg == "--api=raw") {
      options.raw = arg == "--api=raw";
    } else if (arg == "--compact=auto" || arg == "--compact=never") {
      options.compact = arg == "--compact=auto";
    } else if (arg == "--check") {
      options.check = true;
    } else {
      std::fprintf(stderr, "ecsq_churn: unknown argument %s\n", argv[i]);
      return false;
    }
  }
#if defined(ECSQ_CHURN_RAW_ONLY)
  options.raw = true;
  options.compact = false;
#endif
  return true;
}

// Resident set size in KiB, from /proc/self/statm (0 where there is none).
std::size_t resident_kib() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0;
  std::size_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) / 1024;
}

constexpr int service_count = 500;

// Zipf(1) over services: a few have tasks everywhere, most have few.
int draw_service(std::mt19937_64& rng) {
  static const bench::Zipf popularity(service_count);
  return popularity(rng);
}

// The constraint of each service (service % size); task-group ones read the set dictionary.
const std::vector<std::string> constraint_texts = {
    "attribute:ecs.os-type == linux",
    "attribute:ecs.instance-type =~ '(m5|c5|t3)\\..*'",
    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b, us-east-1c]",
    "attribute:ecs.cpu-architecture == x86_64 and attribute:stack != dev",
    "not task:group in ['service:svc-1', 'service:svc-2']",
    "attribute:ecs.os-type == linux and not task:group == database",
};

struct Task {
  InstanceId id;
  int service;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

class Simulation {
 public:
  explicit Simulation(const Options& options) : options_(options), rng_(options.seed) {
    for (int s = 0; s < service_count; ++s) groups_.push_back(fmt::format("service:svc-{}", s));
    for (const std::string& text : constraint_texts) {
      CheckResult result = check(text);
      if (!result.ok()) std::abort();
      constraints_.push_back(std::move(*result.query));
    }
    distinct_ = std::move(*check("distinctInstance").query);
    holders_.resize(service_count);
    for (std::size_t i = 0; i < options_.instances; ++i) join();
  }

  int run() {
    fmt::print("ecsq_churn: {} decisions, {} live instances, {} services, api={}, compact={}, seed {}\n",
               options_.decisions, options_.instances, service_count, options_.raw ? "raw" : "tasks",
               options_.compact ? "auto" : "never", options_.seed);
    fmt::print("{:>9} {:>6} {:>6} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "decisions", "live",
               "tasks", "sets", "sets used", "dict", "RSS KiB", "cmp p50", "cmp p99", "cmp max", "dec p50", "dec p99",
               "dec max");
    for (std::size_t d = 1; d <= options_.decisions; ++d) {
      step();
      if (failures_ > 0) return 1;
      if (d % options_.window == 0 || d == options_.decisions) report(d);
    }
    fmt::print("unplaced decisions (no candidate): {}; compactions: {} (longest {:.0f} us)\n", unplaced_, compactions_,
               longest_compaction_us_);
    return failures_ > 0 ? 1 : 0;
  }

 private:
  const std::string& group(int service) const { return groups_[static_cast<std::size_t>(service)]; }

  void join() {
    Instance instance = bench::generate_instance(options_.seed, next_index_++);
    instance.set_task_groups({});
    instance.running_tasks_count = 0;
    const InstanceId id = fleet_.add(instance);
    live_.push_back(id);
    if (counts_.size() <= id) counts_.resize(id + 1);
  }

  void leave() {
    const std::size_t k = rng_() % live_.size();
    const InstanceId id = live_[k];
    live_[k] = live_.back();
    live_.pop_back();
    // Its tasks go with it.
    std::erase_if(tasks_, [id](const Task& t) { return t.id == id; });
    for (const auto& [service, count] : counts_[id]) holders_[static_cast<std::size_t>(service)].set(id, false);
    counts_[id].clear();
    fleet_.remove(id);
  }

  void start(InstanceId id, int service) {
    tasks_.push_back({id, service});
    if (!options_.raw) {
#if !defined(ECSQ_CHURN_RAW_ONLY)
      fleet_.start_task(id, group(service));
#endif
      return;
    }
    if (counts_[id][service]++ == 0) {
      fleet_.add_task_group(id, group(service));
      Bitset& holders = holders_[static_cast<std::size_t>(service)];
      if (holders.size() < fleet_.slot_count()) holders.resize(fleet_.slot_count());
      holders.set(id);
    }
    fleet_.set_running_tasks_count(id, fleet_.running_tasks_count()[id] + 1);
  }

  void stop_random_task() {
    const std::size_t k = rng_() % tasks_.size();
    const Task task = tasks_[k];
    tasks_[k] = tasks_.back();
    tasks_.pop_back();
    if (!options_.raw) {
#if !defined(ECSQ_CHURN_RAW_ONLY)
      fleet_.stop_task(task.id, group(task.service));
#endif
      return;
    }
    if (--counts_[task.id][task.service] == 0) {
      counts_[task.id].erase(task.service);
      fleet_.remove_task_group(task.id, group(task.service));
      holders_[static_cast<std::size_t>(task.service)].set(task.id, false);
    }
    fleet_.set_running_tasks_count(task.id, fleet_.running_tasks_count()[task.id] - 1);
  }

  void step() {
    // Instances come and go; the fleet size stays put.
    if (std::bernoulli_distribution(0.01)(rng_)) {
      leave();
      join();
    }
    while (tasks_.size() >= live_.size() * 5) stop_random_task();

    const int service = draw_service(rng_);
    const CheckedQuery& constraint = constraints_[static_cast<std::size_t>(service) % constraints_.size()];
    const bool distinct = service % 2 == 0;
    const auto started = Clock::now();
    const Matcher matcher = compile_for(constraint, distinct, service);
    const auto compiled = Clock::now();
    matcher.select(fleet_, candidates_);
    if (distinct && options_.raw) {
      Bitset& holders = holders_[static_cast<std::size_t>(service)];
      if (holders.size() < candidates_.size()) holders.resize(candidates_.size());
      candidates_ -= holders;
    }
    const std::size_t count = candidates_.count();
    if (count == 0) {
      ++unplaced_;
    } else {
      std::size_t k = rng_() % count;
      InstanceId chosen = 0;
      for (const InstanceId id : candidates_) {
        if (k-- == 0) {
          chosen = id;
          break;
        }
      }
      if (options_.check) verify(matcher, constraint, distinct, service, chosen);
      start(chosen, service);
    }
    const auto decided = Clock::now();
    compile_us_.push_back(std::chrono::duration<double, std::micro>(compiled - started).count());
    decision_us_.push_back(std::chrono::duration<double, std::micro>(decided - started).count());
    maybe_compact();
  }

  Matcher compile_for(const CheckedQuery& constraint, bool distinct, int service) {
    if (!distinct || options_.raw) return compile(constraint, fleet_);
#if defined(ECSQ_CHURN_RAW_ONLY)
    (void)service;
    return compile(constraint, fleet_);
#else
    return compile({&constraint, &distinct_}, fleet_, CompileOptions{.task_group = group(service)});
#endif
  }

  void maybe_compact() {
#if !defined(ECSQ_CHURN_RAW_ONLY)
    if (!options_.compact) return;
    if (compacted_size_ == 0) compacted_size_ = fleet_.dictionary_size();
    if (fleet_.dictionary_size() < 2 * compacted_size_) return;
    const auto started = Clock::now();
    fleet_.compact();
    longest_compaction_us_ =
        std::max(longest_compaction_us_, std::chrono::duration<double, std::micro>(Clock::now() - started).count());
    compacted_size_ = fleet_.dictionary_size();
    ++compactions_;
#endif
  }

  void fail(const std::string& what) {
    fmt::print(stderr, "ecsq_churn --check: {}\n", what);
    ++failures_;
  }

  // The chosen instance satisfies the constraint by evaluate() too, and runs no task of the group
  // when distinctInstance applies; the set dictionary stays within its bound.
  void verify(const Matcher& matcher, const CheckedQuery& constraint, bool distinct, int service, InstanceId chosen) {
    const std::optional<Instance> instance = fleet_.instance(chosen);
    if (!instance || !evaluate(constraint, *instance) || !matcher.matches(fleet_, chosen)) {
      fail(fmt::format("instance {} does not satisfy {}", chosen, constraint.ast.source));
    }
    if (distinct && instance->has_task_group(group(service))) {
      fail(fmt::format("instance {} already runs {} (distinctInstance)", chosen, group(service)));
    }
#if !defined(ECSQ_CHURN_RAW_ONLY)
    const std::size_t used = fleet_.used_task_group_set_count();
    const std::size_t bound = used + std::max<std::size_t>({256, used, fleet_.slot_count() / 8}) + 1;
    if (fleet_.task_group_set_count() > bound) {
      fail(fmt::format("{} task-group sets for {} in use (bound {})", fleet_.task_group_set_count(), used, bound));
    }
    std::uint32_t counted = 0;
    for (const TaskCount& c : fleet_.task_counts(chosen)) counted += c.count;
    if (!options_.raw && static_cast<std::int64_t>(counted) != fleet_.running_tasks_count()[chosen]) {
      fail(fmt::format("instance {}: task counts {} but runningTasksCount {}", chosen, counted,
                       fleet_.running_tasks_count()[chosen]));
    }
#endif
  }

  void report(std::size_t decisions) {
#if defined(ECSQ_CHURN_RAW_ONLY)
    const std::string used = "-";
    const std::string dictionary = "-";
#else
    const std::string used = std::to_string(fleet_.used_task_group_set_count());
    const std::string dictionary = std::to_string(fleet_.dictionary_size());
#endif
    fmt::print("{:>9} {:>6} {:>6} {:>9} {:>9} {:>10} {:>9} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f} {:>9.1f}\n",
               decisions, fleet_.size(), tasks_.size(), fleet_.task_group_set_count(), used, dictionary, resident_kib(),
               percentile(compile_us_, 0.5), percentile(compile_us_, 0.99),
               *std::max_element(compile_us_.begin(), compile_us_.end()), percentile(decision_us_, 0.5),
               percentile(decision_us_, 0.99), *std::max_element(decision_us_.begin(), decision_us_.end()));
    std::fflush(stdout);
    compile_us_.clear();
    decision_us_.clear();
  }

  Options options_;
  std::mt19937_64 rng_;
  Fleet fleet_;
  std::vector<std::string> groups_;
  std::vector<CheckedQuery> constraints_;
  CheckedQuery distinct_;
  std::vector<InstanceId> live_;
  std::vector<Task> tasks_;
  std::size_t next_index_ = 0;
  // --api=raw: the caller's own task counts per instance, and holders per service.
  std::vector<std::unordered_map<int, std::uint32_t>> counts_;
  std::vector<Bitset> holders_;
  Bitset candidates_;
  std::vector<double> compile_us_;
  std::vector<double> decision_us_;
  std::size_t unplaced_ = 0;
  std::size_t compactions_ = 0;
  std::size_t compacted_size_ = 0;
  double longest_compaction_us_ = 0;
  int failures_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) return 2;
  Simulation simulation(options);
  return simulation.run();
}
