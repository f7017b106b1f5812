// ecsq_bench: parse+check, the reference evaluator, Matcher::matches and Matcher::select against
// a naive evaluator and hand-written column loops, on generated fleets of 1k, 100k and 1M
// instances. Prints a ratio summary and the targets met at the end.
//
//   ecsq_bench [--sizes=1000,100000,1000000] [--seed=N] [google benchmark flags]
//
// Exits 1 if any method disagrees with select() on how many instances match.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unistd.h>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "fleet_generator.hpp"
#include "least_reporter.hpp"
#include "naive.hpp"
#include "workloads.hpp"

namespace {

using namespace ecsq;
using namespace ecsq::bench;

// Above this size the per-Instance baselines (evaluate, naive) would need gigabytes.
constexpr std::size_t max_instance_baseline = 100000;

std::uint64_t seed = 42;
bool disagreement = false;

// One generated fleet in every representation the methods need, built on first use.
struct Environment {
  std::size_t size = 0;
  Fleet fleet;
  std::vector<Instance> instances;         // only up to max_instance_baseline
  std::vector<NaiveInstance> naive;        // likewise
};

Environment& environment(std::size_t size) {
  static std::map<std::size_t, std::unique_ptr<Environment>> cache;
  auto& slot = cache[size];
  if (!slot) {
    slot = std::make_unique<Environment>();
    slot->size = size;
    if (size <= max_instance_baseline) {
      slot->instances = generate_instances(size, seed);
      slot->fleet = Fleet(slot->instances);
      for (const Instance& instance : slot->instances) slot->naive.push_back(to_naive(instance));
    } else {
      slot->fleet = generate_fleet(size, seed);
    }
  }
  return *slot;
}

// Checked query and compiled matcher of a workload on one fleet (compile interns into the fleet).
struct Compiled {
  CheckedQuery query;
  Matcher matcher;
  std::size_t expected = 0;  // select's count: what every other method must reproduce
};

Compiled& compiled(const Workload& w, Environment& env) {
  static std::map<std::pair<std::string, std::size_t>, std::unique_ptr<Compiled>> cache;
  auto& slot = cache[{w.name, env.size}];
  if (!slot) {
    CheckResult checked = check(w.expression);
    if (!checked.ok()) throw std::runtime_error("does not check: " + w.expression);
    slot = std::make_unique<Compiled>(Compiled{std::move(*checked.query), {}, 0});
    slot->matcher = compile(slot->query, env.fleet);
    slot->expected = slot->matcher.count(env.fleet);
  }
  return *slot;
}

bool agrees(benchmark::State& state, std::size_t got, std::size_t expected) {
  if (got == expected) return true;
  disagreement = true;
  state.SkipWithError(fmt::format("matched {} instances, select matched {}", got, expected).c_str());
  return false;
}

// Rates are left to the summary: the "min" aggregate of a rate would be the slowest repetition.
void per_instance_counters(benchmark::State& state, std::size_t matched) {
  state.counters["matched"] = static_cast<double>(matched);
}

void bm_parse_check(benchmark::State& state, const Workload& w) {
  for (auto _ : state) {
    CheckResult result = check(w.expression);
    benchmark::DoNotOptimize(result);
  }
}

void bm_evaluate(benchmark::State& state, const Workload& w, std::size_t size) {
  Environment& env = environment(size);
  const Compiled& c = compiled(w, env);
  const auto run = [&] {
    std::size_t n = 0;
    for (const Instance& instance : env.instances) n += evaluate(c.query, instance);
    return n;
  };
  if (!agrees(state, run(), c.expected)) return;
  for (auto _ : state) benchmark::DoNotOptimize(run());
  per_instance_counters(state, c.expected);
}

void bm_naive(benchmark::State& state, const Workload& w, std::size_t size) {
  Environment& env = environment(size);
  const Compiled& c = compiled(w, env);
  const std::optional<NaiveQuery> query = naive_compile(w.expression);
  const auto run = [&] {
    std::size_t n = 0;
    for (const NaiveInstance& instance : env.naive) n += naive_evaluate(*query, instance);
    return n;
  };
  if (!agrees(state, run(), c.expected)) return;
  for (auto _ : state) benchmark::DoNotOptimize(run());
  per_instance_counters(state, c.expected);
}

void bm_matches(benchmark::State& state, const Workload& w, std::size_t size) {
  Environment& env = environment(size);
  const Compiled& c = compiled(w, env);
  const auto run = [&] {
    std::size_t n = 0;
    for (InstanceId id = 0; id < env.fleet.slot_count(); ++id) n += c.matcher.matches(env.fleet, id);
    return n;
  };
  if (!agrees(state, run(), c.expected)) return;
  for (auto _ : state) benchmark::DoNotOptimize(run());
  per_instance_counters(state, c.expected);
}

void bm_select(benchmark::State& state, const Workload& w, std::size_t size) {
  Environment& env = environment(size);
  const Compiled& c = compiled(w, env);
  Bitset out;
  for (auto _ : state) {
    c.matcher.select(env.fleet, out);
    benchmark::DoNotOptimize(out.words().data());
  }
  per_instance_counters(state, out.count());
}

void bm_hand(benchmark::State& state, const Workload& w, std::size_t size) {
  Environment& env = environment(size);
  const Compiled& c = compiled(w, env);
  const HandScan scan = w.prepare_hand(env.fleet);
  Bitset out;
  scan(env.fleet, out);
  if (!agrees(state, out.count(), c.expected)) return;
  for (auto _ : state) {
    scan(env.fleet, out);
    benchmark::DoNotOptimize(out.words().data());
  }
  per_instance_counters(state, c.expected);
}

std::string fmt_opt(std::optional<double> v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : std::string("-");
}

void print_summary(const LeastReporter& r, const std::vector<Workload>& workloads, const std::vector<std::size_t>& sizes) {
  fmt::print("\n== Summary: CPU time, least over repetitions. check = parse+check per expression; evaluate, naive,\n"
             "   matches in ns per instance; select and hand in us per call over the fleet ==\n");
  fmt::print("{:<8} {:>10} {:>8} {:>10} {:>10} {:>10} {:>12} {:>12} {:>11} {:>12} {:>12}\n", "workload", "check(us)",
             "size", "evaluate", "naive", "matches", "select(us)", "hand(us)", "select/hand", "naive/select",
             "Minst/s");
  struct Ratio {
    double worst = 0, log_sum = 0;
    int n = 0;
    std::string worst_name;
    void add(double v, const std::string& name) {
      if (v > worst) worst = v, worst_name = name;
      log_sum += std::log(v);
      ++n;
    }
    [[nodiscard]] double geomean() const { return n ? std::exp(log_sum / n) : 0; }
  };
  Ratio select_vs_hand;
  double min_naive_speedup = 1e300;
  std::string min_naive_name;
  std::map<std::size_t, std::pair<double, std::string>> max_doc_matches;  // by size: worst ns, workload
  double best_doc_select_1m = 1e300, worst_doc_select_1m = 0;
  std::string worst_doc_select_1m_name;
  for (const Workload& w : workloads) {
    for (const std::size_t size : sizes) {
      const std::string suffix = fmt::format("{}/{}", w.name, size);
      const double per = 1e9 / static_cast<double>(size);
      const auto evaluate_t = r.seconds("evaluate/" + suffix);
      const auto naive_t = r.seconds("naive/" + suffix);
      const auto matches_t = r.seconds("matches/" + suffix);
      const auto select_t = r.seconds("select/" + suffix);
      const auto hand_t = r.seconds("hand/" + suffix);
      if (!select_t) continue;
      std::optional<double> ratio_hand, ratio_naive;
      if (hand_t) {
        ratio_hand = *select_t / *hand_t;
        select_vs_hand.add(*ratio_hand, suffix);
      }
      if (naive_t) {
        ratio_naive = *naive_t / *select_t;
        if (size >= max_instance_baseline && *ratio_naive < min_naive_speedup) min_naive_speedup = *ratio_naive, min_naive_name = suffix;
      }
      if (matches_t && w.documented && *matches_t * per > max_doc_matches[size].first) {
        max_doc_matches[size] = {*matches_t * per, w.name};
      }
      if (w.documented && size == 1000000) {
        best_doc_select_1m = std::min(best_doc_select_1m, *select_t);
        if (*select_t > worst_doc_select_1m) worst_doc_select_1m = *select_t, worst_doc_select_1m_name = suffix;
      }
      const auto check_t = r.seconds("parse_check/" + w.name);
      fmt::print("{:<8} {:>10} {:>8} {:>10} {:>10} {:>10} {:>12.1f} {:>12} {:>11} {:>12} {:>12.0f}\n", w.name,
                 fmt_opt(check_t ? std::optional<double>(*check_t * 1e6) : std::nullopt, "{:.2f}"), size,
                 fmt_opt(evaluate_t ? std::optional<double>(*evaluate_t * per) : std::nullopt, "{:.1f}"),
                 fmt_opt(naive_t ? std::optional<double>(*naive_t * per) : std::nullopt, "{:.1f}"),
                 fmt_opt(matches_t ? std::optional<double>(*matches_t * per) : std::nullopt, "{:.1f}"),
                 *select_t * 1e6, fmt_opt(hand_t ? std::optional<double>(*hand_t * 1e6) : std::nullopt, "{:.1f}"),
                 fmt_opt(ratio_hand, "{:.2f}x"), fmt_opt(ratio_naive, "{:.0f}x"),
                 static_cast<double>(size) / *select_t / 1e6);
    }
  }
  fmt::print("\n== Targets ==\n");
  if (select_vs_hand.n) {
    fmt::print("select within 2x of the hand-written loop: worst {:.2f}x ({}), geometric mean {:.2f}x -> {}\n",
               select_vs_hand.worst, select_vs_hand.worst_name, select_vs_hand.geomean(),
               select_vs_hand.worst <= 2 ? "MET" : "NOT MET");
  }
  if (!min_naive_name.empty()) {
    fmt::print("select >= 100x faster than the naive evaluator at 100k: least {:.0f}x ({}) -> {}\n", min_naive_speedup,
               min_naive_name, min_naive_speedup >= 100 ? "MET" : "NOT MET");
  }
  for (const auto& [size, worst] : max_doc_matches) {
    if (size < max_instance_baseline) continue;  // the target is about fleets at scale
    fmt::print("matches <= 6 ns/instance on the documented examples at {}: worst {:.1f} ns ({}) -> {}\n", size,
               worst.first, worst.second, worst.first <= 6 ? "MET" : "NOT MET");
  }
  if (worst_doc_select_1m > 0) {
    fmt::print("1M-instance select of a documented example <= 2 ms: best {:.3f} ms, worst {:.3f} ms ({}) -> {}\n",
               best_doc_select_1m * 1e3, worst_doc_select_1m * 1e3, worst_doc_select_1m_name,
               worst_doc_select_1m <= 2e-3 ? "MET for every one" : best_doc_select_1m <= 2e-3 ? "MET for some" : "NOT MET");
  }
}

std::vector<std::size_t> parse_sizes(std::string_view text) {
  std::vector<std::size_t> sizes;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    sizes.push_back(std::stoull(std::string(text.substr(0, comma))));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return sizes;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes = {1000, 100000, 1000000};
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--sizes=")) {
      sizes = parse_sizes(arg.substr(8));
    } else if (arg.starts_with("--seed=")) {
      seed = std::stoull(std::string(arg.substr(7)));
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());

  static const std::vector<Workload> workloads = load_workloads(ECSQ_BENCH_DOCUMENTED);
  for (const Workload& w : workloads) {
    benchmark::AddCustomContext(w.name, w.expression);
    register_least("parse_check/" + w.name, bm_parse_check, w);
  }
  for (const Workload& w : workloads) {
    for (const std::size_t size : sizes) {
      const std::string suffix = fmt::format("{}/{}", w.name, size);
      if (size <= max_instance_baseline) {
        register_least("evaluate/" + suffix, bm_evaluate, w, size);
        register_least("naive/" + suffix, bm_naive, w, size);
      }
      register_least("matches/" + suffix, bm_matches, w, size);
      register_least("select/" + suffix, bm_select, w, size);
      if (w.prepare_hand) {
        register_least("hand/" + suffix, bm_hand, w, size);
      }
    }
  }
  benchmark::AddCustomContext("fleet seed", std::to_string(seed));
  LeastReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                               : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter, workloads, sizes);
  benchmark::Shutdown();
  if (disagreement) {
    std::fprintf(stderr, "error: some method disagreed with Matcher::select (see the skipped runs above)\n");
    return 1;
  }
  return 0;
}
