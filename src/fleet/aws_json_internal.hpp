// What the two fleet readers share: loading fleet files into sources, the record-building read
// that produces every diagnostic, and the timestamp clean-up both apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/aws_json.hpp"

namespace ecsq::detail {

/// Loads `paths` ("-" is standard input) into `result.sources`, each text with simdjson's padding
/// reserved; a file that cannot be read gets an E0405 and `false` in the returned list.
std::vector<bool> load_fleet_sources(const std::vector<std::string>& paths, FleetReadResult& result);

/// The record-building reader (simdjson DOM): fills `result.fleet` and every diagnostic.
void read_fleet_records(FleetReadResult& result, const std::vector<bool>& readable);

/// The columnar reader's one On-Demand pass alone: the Fleet when it accepts every source, else
/// nullopt (it accepts nothing the record reader would report; the caller then runs that reader).
std::optional<Fleet> read_fleet_columns_fast(const std::vector<FleetSource>& sources);

/// Each diagnostic rendered by render_text against its own source and origin.
std::string render_fleet_diagnostics(const std::vector<FleetSource>& sources,
                                     const std::vector<FleetDiagnostic>& diagnostics);

/// The AWS CLI (v2) prints 2024-03-01T10:00:00.123000+00:00; parse_instant takes whole seconds.
std::string without_fractional_seconds(std::string_view text);

/// A byte-order mark, which both readers skip at the start of a document.
inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// A PORTS / PORTS_UDP item ("8080") as a port number: 0 to 65535 in plain decimal digits, else nullopt.
inline std::optional<std::uint16_t> port_number(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/// Years 0000 to 9999: the instants parse_instant produces and to_string prints as ISO text.
inline constexpr std::int64_t min_epoch_seconds = -62167219200;
inline constexpr std::int64_t max_epoch_seconds = 253402300799;

}  // namespace ecsq::detail
