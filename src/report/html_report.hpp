// The self-contained HTML report of a placement (`ecsq place --format html`) or of a query's
// rejections (`ecsq explain --summary --format html`): one page, inline CSS and script, the data
// as one JSON blob the script renders into a grid of instances grouped by zone and type.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/placement.hpp"

namespace ecsq::detail {

/// What a placement report shows: the inputs and what plan() made of them.
struct PlacementReportInput {
  const Cluster& cluster;
  const TaskDemand& demand;
  const PlacementRequest& request;
  /// Run with PlacementOptions::record_first_failures (else no cell shows a reason).
  const PlacementResult& result;
  /// FleetData::resources, aligned with the cluster's instance ids; empty: CPU and memory are
  /// shown as what is left only (no registered amount to show what is in use).
  std::span<const InstanceResources> resources;
};

/// The placement report: the request, the fleet grid (cells coloured by the first failing filter
/// of PlacementResult::first_failures, marked with the tasks placed), failures and events.
[[nodiscard]] std::string placement_report_html(const PlacementReportInput& input);

/// The explain report: `query` (written as `expression`) over `instances`, each cell coloured by
/// whether it matches, with the summary of summarize_rejections and each instance's explanation.
[[nodiscard]] std::string explain_report_html(std::string_view expression, const CheckedQuery& query,
                                              std::span<const Instance> instances);

/// The report page with `data_json` (one JSON value) embedded for its script; every `<` in it is
/// written as \u003c so that no text in the data can close the script element.
[[nodiscard]] std::string report_page(std::string_view title, std::string_view data_json);

}  // namespace ecsq::detail
