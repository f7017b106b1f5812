// A seeded generator of realistic ECS fleets for the benchmarks: instance types, zones, OS
// families, agent versions, capability and custom attributes, and task groups with a skewed
// (Zipf-like) service popularity. The same (seed, index) always gives the same instance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/instance.hpp"

namespace ecsq::bench {

/// Zipf(1) over 0..n-1 (i drawn with weight 1/(i+1)): service popularity, where a few services
/// have tasks on most instances and most have few.
class Zipf {
 public:
  explicit Zipf(int n);
  /// One draw, from one uniform real of `rng`.
  [[nodiscard]] int operator()(std::mt19937_64& rng) const;

 private:
  std::vector<double> cumulative_;
};

/// Instance number `index` of the fleet generated from `seed`.
[[nodiscard]] Instance generate_instance(std::uint64_t seed, std::size_t index);

/// Instances 0..count-1 of the fleet generated from `seed`.
[[nodiscard]] std::vector<Instance> generate_instances(std::size_t count, std::uint64_t seed);

/// The same fleet built straight into columns, without holding every Instance at once.
[[nodiscard]] Fleet generate_fleet(std::size_t count, std::uint64_t seed);

/// The same instances as placement reads them: each task group of an instance is one RUNNING
/// task (CPU, memory, a few host ports), and each instance lists registered and remaining CPU,
/// MEMORY, PORTS, PORTS_UDP (and GPU on GPU types) for its instance type, remaining = registered
/// minus its tasks. The resources come from a random stream of their own, so the instances are
/// exactly generate_instance's. With `first`, instances first..first+count-1 of that fleet (so a
/// large fleet can be written part by part); task `instance` indices are into the part.
[[nodiscard]] FleetData generate_fleet_data(std::size_t count, std::uint64_t seed, std::size_t first = 0);

}  // namespace ecsq::bench
