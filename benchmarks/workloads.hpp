// The benchmark workloads: AWS's documented example expressions and a few heavier ones, each with
// a hand-written loop over the Fleet's columns for the same expression (the practical limit).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ecsq/fleet.hpp"

namespace ecsq::bench {

/// A prepared hand-written scan: writes the live matching instances into `out`.
using HandScan = std::function<void(const Fleet& fleet, Bitset& out)>;

struct Workload {
  std::string name;        ///< doc01.., heavy1..
  std::string expression;
  bool documented = false;
  /// Resolves names, values and per-value regex results for `fleet` (untimed, like compile()),
  /// returning the timed loop; empty when no hand-written loop exists for the expression.
  std::function<HandScan(const Fleet& fleet)> prepare_hand;
};

/// The documented expressions read from `documented_file` (one per line, '#' comments), then the
/// heavier ones.
[[nodiscard]] std::vector<Workload> load_workloads(const std::string& documented_file);

}  // namespace ecsq::bench
