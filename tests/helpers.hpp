// Scaffolding the unit tests share, written once: parsed trees and checked queries that fail the
// running test when the text is rejected, what diagnostics say, the documented AWS examples, and a
// typical instance to build fleets from. Header-only, like Catch2 itself.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/parse.hpp"

namespace ecsq::testing {

/// Beyond this many bytes a failure message shows only the start of an input (hostile inputs are huge).
inline constexpr std::size_t shown_input_bytes = 200;

/// `diagnostics` for a failure message: rendered as the CLI does for a short `source`, else one
/// "code: message" line each.
inline std::string diagnostics_text(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += source.size() <= shown_input_bytes ? render_text(d, source) : d.code + ": " + d.message + "\n";
  }
  return out;
}

/// The query `text` checks to, with default or given options; fails the running test if it has an error.
inline CheckedQuery checked(std::string_view text, const ParseOptions& parse_options = {},
                            const CheckOptions& options = {}) {
  CheckResult result = check(text, parse_options, options);
  INFO(text.substr(0, shown_input_bytes));
  INFO(diagnostics_text(result.diagnostics, text));
  REQUIRE(result.ok());
  return std::move(*result.query);
}

/// The tree `text` parses to; fails the running test if it has an error.
inline Ast parsed(std::string_view text) {
  ParseResult result = parse(text);
  INFO(text.substr(0, shown_input_bytes));
  INFO(diagnostics_text(result.diagnostics, text));
  REQUIRE(result.ok());
  return std::move(*result.ast);
}

/// The code of each diagnostic, in order.
inline std::vector<std::string> codes(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.code);
  return out;
}

/// The code of each diagnostic of a fleet read, in order.
inline std::vector<std::string> codes(const FleetReadResult& result) {
  std::vector<std::string> out;
  for (const FleetDiagnostic& d : result.diagnostics) out.push_back(d.diagnostic.code);
  return out;
}

/// The text of `source` that `d` points at.
inline std::string spanned(std::string_view source, const Diagnostic& d) {
  return std::string(source.substr(d.span.begin, d.span.size()));
}

/// The 20 expressions of the AWS documentation (tests/data/aws-documented.txt), in order.
inline std::vector<std::string> documented_examples() {
  std::ifstream file(ECSQ_TEST_DATA "/data/aws-documented.txt");
  REQUIRE(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line.front() != '#') lines.push_back(line);
  }
  return lines;
}

/// An instance `id` with agent 1.68.2, attribute ecs.instance-type = `type`, and `groups` as its task
/// groups (runningTasksCount counts them). Tests add the fields they are about.
inline Instance make_instance(std::string id, std::string type, std::vector<std::string> groups = {}) {
  Instance instance;
  instance.ec2_instance_id = std::move(id);
  instance.agent_version = "1.68.2";
  instance.set_attribute("ecs.instance-type", std::move(type));
  for (std::string& group : groups) instance.add_task_group(std::move(group));
  instance.running_tasks_count = static_cast<std::int64_t>(instance.task_groups().size());
  return instance;
}

}  // namespace ecsq::testing
