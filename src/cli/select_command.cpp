// `ecsq select [--fleet FILE]... [--format ids|json|table] [--constraint C]... [--group G] EXPR...`:
// the instances where every expression and constraint holds. The parts are compiled into one
// Matcher, as a scheduler compiles a task's constraints.
#include <span>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/json_writer.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "ecsq/print.hpp"
#include "expressions.hpp"
#include "fleet_input.hpp"
#include "query_input.hpp"

namespace ecsq::cli {

namespace {

std::string attribute_or_dash(const Instance& instance, std::string_view name) {
  const Attribute* attribute = instance.find_attribute(name);
  return attribute && attribute->value ? *attribute->value : std::string("-");
}

void print_table(const std::vector<const Instance*>& matched) {
  fmt::print("{:<21} {:<14} {:<12} {:<8} {:<7} {:<9} {:>5}\n", "EC2 INSTANCE", "TYPE", "ZONE", "OS", "ARCH",
             "AGENT", "TASKS");
  for (const Instance* instance : matched) {
    fmt::print("{:<21} {:<14} {:<12} {:<8} {:<7} {:<9} {:>5}{}\n", instance->ec2_instance_id,
               attribute_or_dash(*instance, "ecs.instance-type"), attribute_or_dash(*instance, "ecs.availability-zone"),
               attribute_or_dash(*instance, "ecs.os-type"), attribute_or_dash(*instance, "ecs.cpu-architecture"),
               instance->agent_version.empty() ? "-" : instance->agent_version, instance->running_tasks_count,
               instance->agent_connected ? "" : "  (agent disconnected)");
  }
}

void print_json(const LoadedQuery& query, const Fleet& fleet, const Bitset& matched) {
  detail::JsonWriter json;
  json.start_object()
      .member("expression", query.text)
      .member("canonical", to_string(query.combined.ast))
      .member("instances", fleet.size())
      .member("matched", matched.count());
  json.key("matches").start_array();
  for (const InstanceId id : matched) {
    json.start_object()
        .member("ec2InstanceId", fleet.ec2_instance_id(id))
        .member("containerInstanceArn", fleet.container_instance_arn(id))
        .end_object();
  }
  json.end_array().end_object();
  fmt::print("{}\n", json.str());
}

}  // namespace

void add_select_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> fleets;
    std::string format = "ids";
    QueryArguments query;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("select", "Print the instances of a fleet where every expression and constraint holds");
  command->add_option("--fleet", options->fleets,
                      "describe-container-instances JSON (with optional describe-tasks 'tasks'); repeatable; "
                      "default: the bundled sample fleet")
      ->allow_extra_args(false);  // one file per --fleet: the expressions follow
  command->add_option("--format", options->format, "ids (one ec2InstanceId per line), json or table")
      ->check(CLI::IsMember({"ids", "json", "table"}));
  add_query_arguments(*command, options->query);
  command->callback([options] {
    if (names_standard_input(options->query.expressions) && names_standard_input(options->fleets)) {
      usage_error("standard input can hold the expressions (-) or a fleet (--fleet -), not both");
    }
    const std::optional<LoadedQuery> query = load_query("select", options->query);
    if (!query) throw CLI::RuntimeError(exit_findings);
    // The fleet is read straight into the columnar store, and the compiled matcher scans it: the
    // path a scheduler uses. Instance ids are assigned in input order, so the bitset lists matches
    // in fleet order.
    const std::optional<Fleet> store = load_fleet_columns(options->fleets);
    if (!store) throw CLI::RuntimeError(exit_findings);
    std::vector<const CheckedQuery*> parts;
    for (const CheckedQuery& part : query->parts) parts.push_back(&part);
    const Matcher matcher = compile(std::span<const CheckedQuery* const>(parts), *store);
    const Bitset matched = matcher.select(*store);
    if (options->format == "json") {
      print_json(*query, *store, matched);
    } else if (options->format == "table") {
      std::vector<Instance> instances;
      for (const InstanceId id : matched) instances.push_back(*store->instance(id));
      std::vector<const Instance*> rows;
      for (const Instance& instance : instances) rows.push_back(&instance);
      print_table(rows);
    } else {
      for (const InstanceId id : matched) fmt::print("{}\n", store->ec2_instance_id(id));
    }
  });
}

}  // namespace ecsq::cli
