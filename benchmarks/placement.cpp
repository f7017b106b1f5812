// ecsq_place_bench: the placement engine (ecsq::place) against the reference placer of the test
// suite (tests/placement_reference.hpp: every filter on every instance, a full sort per task) on
// fleets from benchmarks/fleet_generator with resources and running tasks, in one run:
//   scale_out  a REPLICA service scaling out by 1,000 tasks, [spread(attribute:ecs.availability-zone),
//              binpack(memory)], two memberOf constraints and distinctInstance, 5,000 instances;
//   ten_tasks  10 tasks of the same service on 100,000 instances (reported per task);
//   count_max  `--count max` of a service on 5,000 instances (tasks placed, total time).
// Ties in fleet order, so the engine's result must equal the reference's: it is compared before
// timing (count_max only by --check: at full size the reference needs minutes) and the program
// exits 1 on any difference. Prints the targets at the end.
//
//   ecsq_place_bench [--check] [--scale-size=N] [--large-size=N] [--seed=N] [google benchmark flags]
//
// --check runs no benchmark: the three workloads at small size (1,000 / 5,000 / 300 instances),
// engine against reference, for ctest.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"
#include "fleet_generator.hpp"
#include "least_reporter.hpp"
#include "placement_reference.hpp"

namespace {

using namespace ecsq;

std::uint64_t seed = 42;
std::size_t scale_size = 5000;
std::size_t large_size = 100000;
bool disagreement = false;

const reference::EniTable& eni_table() {
  static const reference::EniTable table = reference::load_eni_table(ECSQ_BENCH_ENI_TABLE);
  return table;
}

StrategySpec spread_zone() {
  StrategySpec spec;
  spec.type = StrategyType::spread;
  spec.target = StrategyTarget::attribute;
  spec.field = "attribute:ecs.availability-zone";
  spec.attribute = "ecs.availability-zone";
  return spec;
}

StrategySpec binpack_memory() {
  StrategySpec spec;
  spec.type = StrategyType::binpack;
  spec.target = StrategyTarget::memory;
  spec.field = "memory";
  return spec;
}

ConstraintSpec member_of(std::string expression) {
  ConstraintSpec spec;
  spec.expression = std::move(expression);
  return spec;
}

// One workload: what is placed, and on how large a generated fleet.
struct Workload {
  std::string name;
  TaskDemand demand;
  PlacementRequest request;
};

Workload scale_out(std::int64_t count) {
  Workload w;
  w.name = count == 1000 ? "scale_out" : "ten_tasks";
  w.demand.family = "web";
  w.demand.cpu = 256;
  w.demand.memory = 512;
  w.request.kind = RequestKind::service_replica;
  w.request.service_name = "web-bench";
  w.request.count = count;
  w.request.constraints = {member_of("attribute:ecs.os-type == linux"), member_of("attribute:stack != dev")};
  ConstraintSpec distinct;
  distinct.kind = ConstraintSpec::Kind::distinct_instance;
  w.request.constraints.push_back(distinct);
  w.request.strategies = {spread_zone(), binpack_memory()};
  return w;
}

Workload count_max() {
  Workload w;
  w.name = "count_max";
  w.demand.family = "batch";
  w.demand.cpu = 512;
  w.demand.memory = 1024;
  w.request.kind = RequestKind::service_replica;
  w.request.service_name = "fill-bench";
  w.request.count_max = true;
  w.request.strategies = {spread_zone(), binpack_memory()};
  return w;
}

const PlacementOptions fleet_order{0, TieBreak::fleet_order};

// A generated fleet as the engine's Cluster and as the reference's, built once per size.
struct Environment {
  Cluster cluster;
  reference::ReferenceCluster reference;
};

Environment& environment(std::size_t size) {
  static std::map<std::size_t, std::unique_ptr<Environment>> cache;
  auto& slot = cache[size];
  if (!slot) {
    const FleetData data = bench::generate_fleet_data(size, seed);
    slot = std::make_unique<Environment>(Environment{Cluster(data), reference::build_cluster(data, eni_table())});
  }
  return *slot;
}

// The engine's result equals the reference's, and both leave the same cluster behind.
std::optional<std::string> difference(const Workload& w, std::size_t size) {
  const Environment& env = environment(size);
  Cluster cluster = env.cluster;
  reference::ReferenceCluster expected = env.reference;
  const PlacementResult result = place(cluster, w.demand, w.request, fleet_order);
  const reference::ReferenceResult wanted = reference::reference_place(expected, w.demand, w.request);
  if (auto d =
          reference::first_difference(reference::result_lines(result), reference::result_lines(wanted), "the result")) {
    return d;
  }
  return reference::first_difference(reference::state_lines(cluster), reference::state_lines(expected),
                                     "the cluster afterwards");
}

void bm_engine(benchmark::State& state, const Workload& w, std::size_t size, TieBreak ties) {
  Environment& env = environment(size);
  // --count max fills the fleet (about 20,000 tasks at 5,000 instances), which takes the reference
  // minutes: that workload is compared at small size (--check) only.
  if (ties == TieBreak::fleet_order && !w.request.count_max) {
    if (const auto d = difference(w, size)) {
      disagreement = true;
      state.SkipWithError(("engine and reference differ: " + *d).c_str());
      return;
    }
  }
  std::size_t placed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Cluster cluster = env.cluster;
    state.ResumeTiming();
    const PlacementResult result = place(cluster, w.demand, w.request, {1, ties});
    placed = result.tasks.size();
    state.PauseTiming();
    {
      const Cluster discard = std::move(cluster);  // freed untimed
    }
    state.ResumeTiming();
  }
  state.counters["tasks"] = static_cast<double>(placed);
}

void bm_plan(benchmark::State& state, const Workload& w, std::size_t size) {
  const Environment& env = environment(size);
  std::size_t placed = 0;
  for (auto _ : state) {
    const PlacementResult result = plan(env.cluster, w.demand, w.request, fleet_order);
    placed = result.tasks.size();
  }
  state.counters["tasks"] = static_cast<double>(placed);
}

void bm_reference(benchmark::State& state, const Workload& w, std::size_t size) {
  const Environment& env = environment(size);
  std::size_t placed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    reference::ReferenceCluster cluster = env.reference;
    state.ResumeTiming();
    const reference::ReferenceResult result = reference::reference_place(cluster, w.demand, w.request);
    placed = result.tasks.size();
    state.PauseTiming();
    { const reference::ReferenceCluster discard = std::move(cluster); }
    state.ResumeTiming();
  }
  state.counters["tasks"] = static_cast<double>(placed);
}

// In milliseconds: a placement run takes that long.
template <class... Args>
benchmark::internal::Benchmark* register_benchmark(const std::string& name, Args&&... args) {
  return bench::register_least(name, std::forward<Args>(args)...)->Unit(benchmark::kMillisecond);
}

void print_summary(const bench::LeastReporter& r) {
  const std::string scale = fmt::format("scale_out/{}", scale_size), ten = fmt::format("ten_tasks/{}", large_size),
                    fill = fmt::format("count_max/{}", scale_size);
  fmt::print("\n== Summary: CPU time, least over repetitions ==\n");
  const auto line = [&](const std::string& name, const char* what) {
    if (const auto t = r.seconds(name)) {
      const double tasks = r.counter(name, "tasks");
      fmt::print("{:<38} {:>10.3f} ms  {:>7.0f} tasks  {:>9.2f} us/task  {}\n", name, *t * 1e3, tasks,
                 tasks > 0 ? *t * 1e6 / tasks : 0.0, what);
    }
  };
  line("engine/" + scale, "place(), ties in fleet order");
  line("engine_random_ties/" + scale, "place(), random ties");
  line("plan/" + scale, "plan() (dry run)");
  line("reference/" + scale, "reference placer");
  line("engine/" + ten, "place()");
  line("reference/" + ten, "reference placer");
  line("engine/" + fill, "place(), --count max");
  line("plan/" + fill, "plan(), --count max");

  fmt::print("\n== Targets ==\n");
  const auto engine = r.seconds("engine/" + scale), reference = r.seconds("reference/" + scale);
  if (engine) {
    fmt::print("1,000-task scale-out on {} instances <= 10 ms: {:.2f} ms -> {}\n", scale_size, *engine * 1e3,
               *engine <= 10e-3 ? "MET" : "NOT MET");
  }
  if (engine && reference) {
    fmt::print(">= 50x faster than the reference placer: {:.0f}x -> {}\n", *reference / *engine,
               *reference / *engine >= 50 ? "MET" : "NOT MET");
  }
  if (const auto t = r.seconds("engine/" + ten)) {
    const double per_task = *t / std::max(1.0, r.counter("engine/" + ten, "tasks"));
    fmt::print("10 tasks on {} instances <= 1 ms per task: {:.3f} ms per task -> {}\n", large_size, per_task * 1e3,
               per_task <= 1e-3 ? "MET" : "NOT MET");
  }
  if (const auto t = r.seconds("engine/" + fill)) {
    fmt::print("--count max on {} instances: {:.0f} tasks in {:.2f} ms (report only)\n", scale_size,
               r.counter("engine/" + fill, "tasks"), *t * 1e3);
  }
}

// The ctest smoke case: every workload at small size, engine against reference.
int check() {
  const std::vector<std::pair<Workload, std::size_t>> cases = {
      {scale_out(1000), 1000}, {scale_out(10), 5000}, {count_max(), 300}};
  int status = 0;
  for (const auto& [w, size] : cases) {
    const auto d = difference(w, size);
    fmt::print("{}/{}: {}\n", w.name, size, d ? "engine and reference DIFFER: " + *d : "engine = reference");
    if (d) status = 1;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  bool check_only = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--check") {
      check_only = true;
    } else if (arg.starts_with("--scale-size=")) {
      scale_size = std::stoull(std::string(arg.substr(13)));
    } else if (arg.starts_with("--large-size=")) {
      large_size = std::stoull(std::string(arg.substr(13)));
    } else if (arg.starts_with("--seed=")) {
      seed = std::stoull(std::string(arg.substr(7)));
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (eni_table().empty()) {
    std::fprintf(stderr, "error: cannot read %s\n", ECSQ_BENCH_ENI_TABLE);
    return 1;
  }
  if (check_only) return check();
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());

  static const Workload scale = scale_out(1000), ten = scale_out(10), fill = count_max();
  const std::string scale_suffix = fmt::format("/{}", scale_size), large_suffix = fmt::format("/{}", large_size);
  register_benchmark("engine/scale_out" + scale_suffix, bm_engine, scale, scale_size, TieBreak::fleet_order);
  register_benchmark("engine_random_ties/scale_out" + scale_suffix, bm_engine, scale, scale_size, TieBreak::random);
  register_benchmark("plan/scale_out" + scale_suffix, bm_plan, scale, scale_size);
  // The reference takes seconds: one iteration per repetition.
  register_benchmark("reference/scale_out" + scale_suffix, bm_reference, scale, scale_size)->Iterations(1);
  register_benchmark("engine/ten_tasks" + large_suffix, bm_engine, ten, large_size, TieBreak::fleet_order);
  register_benchmark("reference/ten_tasks" + large_suffix, bm_reference, ten, large_size)->Iterations(1);
  register_benchmark("engine/count_max" + scale_suffix, bm_engine, fill, scale_size, TieBreak::fleet_order);
  register_benchmark("plan/count_max" + scale_suffix, bm_plan, fill, scale_size);

  benchmark::AddCustomContext("fleet seed", std::to_string(seed));
  bench::LeastReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                               : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  benchmark::Shutdown();
  if (disagreement) {
    std::fprintf(stderr, "error: the engine and the reference placer differ (see the skipped runs above)\n");
    return 1;
  }
  return 0;
}
