// `ecsq place [--fleet FILE]... --task-definition FILE [--run-task FILE | --service FILE] [--count N|max]
// [--group NAME] [--constraint C]... [--strategy S]... [--seed N] [--ties random|fleet-order]
// [--format text|json|html]`: where the tasks go (placement contract §7). Inputs are checked the way
// `ecsq lint` checks them (its errors, with file, path, line and column, are input errors), then
// by the placement readers (E05xx) and the engine's limits; flags add to (constraints) or replace
// (strategies, count, group) what the request file says. Exit 0 every task placed (and for
// --count max), 1 a task not placed or an input error, 2 bad usage or an unreadable input. The
// html format is the page of src/report/, drawn from the same plan() run as the other formats.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/json_writer.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/placement.hpp"
#include "expressions.hpp"
#include "fleet_input.hpp"
#include "report/html_report.hpp"

namespace ecsq::cli {

namespace {

struct PlaceOptions {
  std::vector<std::string> fleets;
  std::string task_definition;
  std::string run_task;
  std::string service;
  std::string count;
  std::optional<std::string> group;
  std::vector<std::string> constraints;
  std::vector<std::string> strategies;
  std::uint64_t seed = 0;
  std::string ties = "random";
  std::string format = "text";
};

// The documents the inputs came from, to show a diagnostic's line.
struct Inputs {
  std::vector<const ConstraintDocument*> documents;

  [[nodiscard]] const ConstraintDocument* named(std::string_view origin) const {
    for (const ConstraintDocument* d : documents) {
      if (d->origin == origin) return d;
    }
    return nullptr;
  }
};

// Problems found before placing: printed to stderr as they come, remembered for the exit code.
class Problems {
 public:
  void reader(const ConstraintDocument& document, const std::vector<PlacementInputDiagnostic>& diagnostics) {
    for (const PlacementInputDiagnostic& d : diagnostics) {
      fmt::print(stderr, "{}", render_text(d.diagnostic, document.text, document.origin));
      errors_ = errors_ || d.diagnostic.severity == Severity::error;
    }
  }

  // An engine or command-line diagnostic: in its expression, in its file, or on its own.
  void placement(const PlacementDiagnostic& d, const Inputs& inputs) {
    errors_ = errors_ || d.diagnostic.severity == Severity::error;
    if (!d.expression.empty()) {
      fmt::print(stderr, "{}", render_text(d.diagnostic, d.expression, d.origin));
      return;
    }
    if (const ConstraintDocument* document = inputs.named(d.origin)) {
      Diagnostic located = d.diagnostic;
      located.span = Span{d.at.offset, d.at.offset + d.at.length};
      if (!d.at.path.empty()) located.message = d.at.path + ": " + located.message;
      fmt::print(stderr, "{}", render_text(located, document->text, document->origin));
      return;
    }
    fmt::print(stderr, "{}[{}]: {}\n", to_string(d.diagnostic.severity), d.diagnostic.code, d.diagnostic.message);
    for (const std::string& note : d.diagnostic.notes) fmt::print(stderr, "  = note: {}\n", note);
  }

  void fail() { errors_ = true; }
  [[nodiscard]] bool any() const noexcept { return errors_; }

 private:
  bool errors_ = false;
};

// Lint's errors over the task definition and the request, in lint's own text form.
bool lint_errors(const std::vector<const ConstraintDocument*>& documents) {
  std::vector<ConstraintDocument> copies;
  for (const ConstraintDocument* d : documents) copies.push_back(*d);
  LintReport report = lint(std::move(copies));
  std::erase_if(report.findings, [](const LintFinding& f) { return f.diagnostic.severity != Severity::error; });
  if (report.findings.empty()) return false;
  fmt::print(stderr, "{}", render_lint_text(report, false));
  return true;
}

// --count N or max into the request; a word that is neither is bad usage.
void apply_count(const std::string& text, PlacementRequest& request) {
  if (text.empty()) return;
  if (text == "max") {
    request.count_max = true;
    return;
  }
  std::int64_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc{} || end != text.data() + text.size()) {
    usage_error(fmt::format("--count takes a number of tasks or 'max', not '{}'", text));
  }
  request.count = count;
  request.count_given = true;
}

std::string amount(const std::optional<std::int64_t>& left) { return left ? std::to_string(*left) : "unlimited"; }

std::string describe(const StrategySpec& s) {
  if (s.type == StrategyType::random) return "random";
  return fmt::format("{}({})", to_string(s.type), s.field);
}

void print_text(const PlacementResult& result, const PlacementRequest& request, const Cluster& cluster) {
  const Fleet& fleet = cluster.fleet();
  std::size_t active = 0;
  for (const InstanceId id : fleet.live()) active += fleet.status(id) == "ACTIVE";
  std::string strategies;
  for (const StrategySpec& s : result.strategies) strategies += (strategies.empty() ? "" : ", ") + describe(s);
  const std::size_t asked = result.tasks.size() + result.failures.size();
  fmt::print("{} {} of {} {} ({}, group {}; strategies: {}; seed {})\n",
             request.count_max ? "Fitted" : "Placed", result.tasks.size(), asked,
             asked == 1 ? "task" : "tasks", to_string(request.kind), result.group,
             strategies.empty() ? "none" : strategies, result.seed);
  if (!result.tasks.empty()) {
    fmt::print("{:<5} {:<21} {:<14} {:<13} {:>9} {:>11}\n", "TASK", "INSTANCE", "ZONE", "TYPE", "CPU LEFT",
               "MEMORY LEFT");
    for (const PlacedTask& t : result.tasks) {
      const std::optional<Instance> instance = fleet.instance(t.instance);
      const auto attribute = [&](std::string_view name) {
        const auto value = instance ? instance->attribute_value(name) : std::nullopt;
        return value ? std::string(*value) : std::string("-");
      };
      fmt::print("{:<5} {:<21} {:<14} {:<13} {:>9} {:>11}\n", t.index, t.ec2_instance_id,
                 attribute("ecs.availability-zone"), attribute("ecs.instance-type"), amount(t.cpu_left),
                 amount(t.memory_left));
    }
  }
  if (!result.failures.empty()) {
    fmt::print("{}:\n", request.count_max ? "The next task does not fit" : "Not placed");
    for (std::size_t i = 0; i < result.failures.size(); ++i) {
      const PlacementFailure& f = result.failures[i];
      const std::string closest = f.instance ? fmt::format(" (closest matching: {})", f.ec2_instance_id) : "";
      fmt::print("  task {}: {}{}\n", f.index, f.reason, closest);
      if (i < result.events.size()) fmt::print("    {}\n", result.events[i]);
    }
  }
  fmt::print("Rejected when task {} was tried ({} ACTIVE {}):", result.rejections_task, active,
             active == 1 ? "instance" : "instances");
  bool any = false;
  for (std::size_t f = 0; f < placement_filter_count; ++f) {
    if (result.rejections[f] == 0) continue;
    fmt::print("\n  {:<52} {}", failure_reason(static_cast<PlacementFilter>(f)), result.rejections[f]);
    any = true;
  }
  fmt::print("{}\n", any ? "" : " none");
  for (const std::string& note : result.notes) fmt::print("note: {}\n", note);
}

// A block array, or [] when there is nothing to list.
void start_list(detail::JsonWriter& json, bool empty) {
  json.start_array(empty ? std::optional(detail::JsonLayout::compact) : std::nullopt);
}

void print_json(const PlacementResult& result) {
  detail::JsonWriter json(detail::JsonStyle{detail::JsonLayout::block, 2});
  json.start_object();
  json.key("tasks");
  start_list(json, result.tasks.empty());
  for (const PlacedTask& t : result.tasks) {
    json.start_object(detail::JsonLayout::compact)
        .member("index", t.index)
        .member("containerInstanceArn", t.container_instance_arn)
        .member("ec2InstanceId", t.ec2_instance_id)
        .member("group", t.group)
        .end_object();
  }
  json.end_array();
  json.key("failures");
  start_list(json, result.failures.empty());
  for (const PlacementFailure& f : result.failures) {
    json.start_object(detail::JsonLayout::compact)
        .member("index", f.index)
        .member("arn", f.arn)
        .member("reason", f.reason)
        .end_object();
  }
  json.end_array();
  json.key("events");
  start_list(json, result.events.empty());
  for (const std::string& event : result.events) json.value(event);
  json.end_array();
  json.key("rejections").start_object();
  for (std::size_t f = 0; f < placement_filter_count; ++f) {
    json.member(failure_reason(static_cast<PlacementFilter>(f)), result.rejections[f]);
  }
  json.end_object();
  json.member("seed", result.seed);
  json.end_object();
  fmt::print("{}\n", json.str());
  // The contract fixes the JSON's members; what the text output says in notes goes to stderr.
  for (const std::string& note : result.notes) fmt::print(stderr, "note: {}\n", note);
}

void run(const PlaceOptions& options) {
  if (!options.service.empty() && options.group) {
    usage_error("--group cannot be combined with --service: a service's tasks are always in group service:NAME");
  }
  std::vector<std::string> standard_input = options.fleets;
  for (const std::string* path : {&options.task_definition, &options.run_task, &options.service}) {
    if (!path->empty()) standard_input.push_back(*path);
  }
  if (std::count(standard_input.begin(), standard_input.end(), "-") > 1) {
    usage_error("standard input (-) can hold one input, not several");
  }

  Problems problems;
  Inputs inputs;
  TaskDefinitionInput definition = read_task_definition_file(options.task_definition);
  inputs.documents.push_back(&definition.document);
  std::optional<RequestInput> request_file;
  const std::string& request_path = options.service.empty() ? options.run_task : options.service;
  if (!request_path.empty()) {
    request_file = read_placement_request_file(request_path);
    inputs.documents.push_back(&request_file->document);
  }
  if (lint_errors(inputs.documents)) problems.fail();
  for (const ConstraintDocument* document : inputs.documents) {
    if (document->unreadable) throw CLI::RuntimeError(exit_usage);
  }
  problems.reader(definition.document, definition.diagnostics);
  if (request_file) problems.reader(request_file->document, request_file->diagnostics);
  if (request_file && request_file->request) {
    const bool service_file = request_file->request->kind != RequestKind::run_task;
    if (service_file != !options.service.empty()) {
      usage_error(fmt::format("'{}' is {}; give it with {}", request_path,
                              service_file ? "a CreateService request" : "a RunTask request",
                              service_file ? "--service" : "--run-task"));
    }
  }

  bool fleet_unreadable = false;
  const std::optional<FleetData> fleet = load_fleet_data(options.fleets, fleet_unreadable);
  if (!fleet && fleet_unreadable) throw CLI::RuntimeError(exit_usage);
  if (!fleet) problems.fail();

  PlacementRequest request;
  if (request_file && request_file->request) request = *request_file->request;
  if (request.kind == RequestKind::service_daemon && !options.count.empty()) {
    fmt::print(stderr, "note: --count is ignored for a DAEMON service: it places one task on each instance\n");
  } else {
    apply_count(options.count, request);
  }
  if (options.group) request.group = *options.group;
  for (const std::string& text : options.constraints) {
    SpecText<ConstraintSpec> parsed = parse_constraint(text, "--constraint");
    for (const PlacementDiagnostic& d : parsed.diagnostics) problems.placement(d, inputs);
    if (parsed.spec) request.constraints.push_back(std::move(*parsed.spec));
  }
  if (!options.strategies.empty()) request.strategies.clear();
  for (const std::string& text : options.strategies) {
    SpecText<StrategySpec> parsed = parse_strategy(text, "--strategy");
    for (const PlacementDiagnostic& d : parsed.diagnostics) problems.placement(d, inputs);
    if (parsed.spec) request.strategies.push_back(std::move(*parsed.spec));
  }
  if (!definition.demand || (request_file && !request_file->request) || problems.any()) {
    throw CLI::RuntimeError(exit_findings);
  }

  const Cluster cluster(*fleet);
  PlacementOptions placement_options;
  placement_options.seed = options.seed;
  placement_options.ties = options.ties == "fleet-order" ? TieBreak::fleet_order : TieBreak::random;
  placement_options.record_first_failures = options.format == "html";
  const PlacementResult result = plan(cluster, *definition.demand, request, placement_options);
  for (const PlacementDiagnostic& d : result.diagnostics) problems.placement(d, inputs);
  if (result.has_errors()) throw CLI::RuntimeError(exit_findings);
  if (options.format == "json") {
    print_json(result);
  } else if (options.format == "html") {
    fmt::print("{}", detail::placement_report_html({cluster, *definition.demand, request, result, fleet->resources}));
    for (const std::string& note : result.notes) fmt::print(stderr, "note: {}\n", note);
  } else {
    print_text(result, request, cluster);
  }
  std::fflush(stdout);
  if (const int code = result.exit_code(request); code != exit_ok) throw CLI::RuntimeError(code);
}

}  // namespace

void add_place_command(CLI::App& app) {
  auto options = std::make_shared<PlaceOptions>();
  CLI::App* command = app.add_subcommand(
      "place", "Place the tasks of a RunTask or service on a fleet as ECS would, and say why any did not fit");
  command->add_option("--fleet", options->fleets,
                      "describe-container-instances JSON with resources (and describe-tasks 'tasks'); repeatable; "
                      "default: the bundled sample fleet")
      ->allow_extra_args(false);
  command->add_option("--task-definition", options->task_definition,
                      "RegisterTaskDefinition input or describe-task-definition output (JSON or YAML)")
      ->required();
  CLI::Option* run_task = command->add_option("--run-task", options->run_task, "RunTask input (JSON or YAML)");
  CLI::Option* service = command->add_option("--service", options->service, "CreateService input (JSON or YAML)");
  run_task->excludes(service);
  command->add_option("--count", options->count,
                      "tasks to place (replaces the request's count); 'max': until one does not fit");
  command->add_option("--group", options->group, "the task group of a RunTask (replaces the request's)");
  command->add_option("--constraint", options->constraints,
                      "distinctInstance, memberOf(EXPR) or EXPR; adds to the task definition's and the request's")
      ->allow_extra_args(false);
  command->add_option("--strategy", options->strategies,
                      "random, spread:FIELD or binpack:cpu|memory; repeatable; replaces the request's")
      ->allow_extra_args(false);
  command->add_option("--seed", options->seed, "seeds random strategies and random ties (default 0)");
  command->add_option("--ties", options->ties, "how ties left after the strategies are broken")
      ->check(CLI::IsMember({"random", "fleet-order"}));
  command->add_option("--format", options->format, "text, json, or html (a self-contained page: the fleet as a grid)")
      ->check(CLI::IsMember({"text", "json", "html"}));
  command->callback([options] { run(*options); });
}

}  // namespace ecsq::cli
