// What the benchmark programs share about reporting: each benchmark's least repetition (on a
// shared machine the least disturbed one is the best estimate of the cost), printed and kept with
// its counters for the summary a program prints at the end.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ecsq::bench {

/// Prints one line per benchmark (with --benchmark_repetitions=N the "min" aggregate) and keeps its
/// CPU time per iteration and its counters.
class LeastReporter : public benchmark::ConsoleReporter {
 public:
  explicit LeastReporter(OutputOptions options) : ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> shown;
    for (const Run& run : runs) {
      const bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
      const bool least = run.run_type == Run::RT_Aggregate && run.aggregate_name == "min";
      if (!single && !least && !run.error_occurred) continue;
      shown.push_back(run);
      if (!run.error_occurred && run.iterations > 0) {
        const std::string& name = run.run_name.function_name;
        seconds_[name] = run.cpu_accumulated_time / static_cast<double>(run.iterations);
        for (const auto& [counter, value] : run.counters) counters_[name][counter] = value.value;
      }
    }
    if (!shown.empty()) ConsoleReporter::ReportRuns(shown);
  }

  /// CPU seconds per iteration of benchmark `name`, if it ran.
  [[nodiscard]] std::optional<double> seconds(const std::string& name) const {
    const auto it = seconds_.find(name);
    return it == seconds_.end() ? std::nullopt : std::optional<double>(it->second);
  }

  /// Counter `counter` of benchmark `name` (0 if either is unknown).
  [[nodiscard]] double counter(const std::string& name, const std::string& counter) const {
    const auto it = counters_.find(name);
    if (it == counters_.end()) return 0;
    const auto value = it->second.find(counter);
    return value == it->second.end() ? 0 : value->second;
  }

 private:
  std::map<std::string, double> seconds_;
  std::map<std::string, std::map<std::string, double>> counters_;
};

/// The least of a benchmark's repetitions: the "min" statistic.
inline double least(const std::vector<double>& values) { return *std::min_element(values.begin(), values.end()); }

/// Registers a benchmark whose repetitions also report their least time (the "min" aggregate).
template <class... Args>
benchmark::internal::Benchmark* register_least(const std::string& name, Args&&... args) {
  return benchmark::RegisterBenchmark(name.c_str(), std::forward<Args>(args)...)->ComputeStatistics("min", least);
}

}  // namespace ecsq::bench
