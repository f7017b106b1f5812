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

void print_json(const LoadedQuery& query, std::size_t total, const std::vector<const Instance*>& matched) {
  detail::JsonWriter json;
  json.start_object()
      .member("expression", query.text)
      .member("canonical", to_string(query.combined.ast))
      .member("instances", total)
      .member("matched", matched.size());
  json.key("matches").start_array();
  for (const Instance* instance : matched) {
    json.start_object()
        .member("ec2InstanceId", instance->ec2_instance_id)
        .member("containerInstanceArn", instance->container_instance_arn)
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
    const std::optional<std::vector<Instance>> fleet = load_fleet(options->fleets);
    if (!fleet) throw CLI::RuntimeError(exit_findings);
    // The compiled matcher over the columnar store: the path a scheduler uses. Instance ids are
    // assigned in input order, so the bitset lists matches in fleet order.
    Fleet store(*fleet);
    std::vector<const CheckedQuery*> parts;
    for (const CheckedQuery& part : query->parts) parts.push_back(&part);
    const Matcher matcher = compile(std::span<const CheckedQuery* const>(parts), store);
    std::vector<const Instance*> matched;
    for (const InstanceId id : matcher.select(store)) matched.push_back(&(*fleet)[id]);
    if (options->format == "json") {
      print_json(*query, fleet->size(), matched);
    } else if (options->format == "table") {
      print_table(matched);
    } else {
      for (const Instance* instance : matched) fmt::print("{}\n", instance->ec2_instance_id);
    }
  });
}

}  // namespace ecsq::cli
