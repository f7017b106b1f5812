// `ecsq select [--fleet FILE]... [--format ids|json|table] EXPR`: the instances where EXPR holds.
#include <fmt/format.h>

#include "commands.hpp"
#include "common/json_writer.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "ecsq/print.hpp"
#include "fleet_input.hpp"

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

void print_json(const std::string& expression, const CheckedQuery& query, std::size_t total,
                const std::vector<const Instance*>& matched) {
  detail::JsonWriter json;
  json.start_object()
      .member("expression", expression)
      .member("canonical", to_string(query.ast))
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
    std::string expression;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("select", "Print the instances of a fleet where an expression holds");
  command->add_option("--fleet", options->fleets,
                      "describe-container-instances JSON (with optional describe-tasks 'tasks'); repeatable; "
                      "default: the bundled sample fleet");
  command->add_option("--format", options->format, "ids (one ec2InstanceId per line), json or table")
      ->check(CLI::IsMember({"ids", "json", "table"}));
  command->add_option("expression", options->expression, "Expression or memberOf(...) constraint")->required();
  command->callback([options] {
    const std::optional<CheckedQuery> query = load_query(options->expression);
    if (!query) throw CLI::RuntimeError(exit_findings);
    const std::optional<std::vector<Instance>> fleet = load_fleet(options->fleets);
    if (!fleet) throw CLI::RuntimeError(exit_findings);
    // The compiled matcher over the columnar store: the path a scheduler uses. Instance ids are
    // assigned in input order, so the bitset lists matches in fleet order.
    Fleet store(*fleet);
    const Matcher matcher = compile(*query, store);
    std::vector<const Instance*> matched;
    for (const InstanceId id : matcher.select(store)) matched.push_back(&(*fleet)[id]);
    if (options->format == "json") {
      print_json(options->expression, *query, fleet->size(), matched);
    } else if (options->format == "table") {
      print_table(matched);
    } else {
      for (const Instance* instance : matched) fmt::print("{}\n", instance->ec2_instance_id);
    }
  });
}

}  // namespace ecsq::cli
