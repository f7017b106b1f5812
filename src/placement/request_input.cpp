// RunTask and CreateService documents into a PlacementRequest (contract §1, §4). Counts, group,
// service name and scheduling strategy are read from the lint reader's tree; constraints and
// strategies from its ConstraintSet, keeping only what lint accepts, since lint reports the rest.
#include <utility>

#include <fmt/format.h>

#include "ecsq/codes.hpp"
#include "ecsq/placement.hpp"
#include "common/text.hpp"
#include "placement/input_reader.hpp"

namespace ecsq {

namespace {

using detail::InputReader;
using detail::Tree;

constexpr std::int64_t max_run_task_count = 10;

std::vector<ConstraintSpec> request_constraints(const ConstraintSet& set, const std::string& origin) {
  std::vector<ConstraintSpec> out;
  for (const PlacementConstraint& c : set.constraints) {
    if (!c.computed.empty() || !c.computed_expression.empty() || !c.type || !c.placeholders.empty() || c.if_branch != 0) continue;
    const bool blank = !c.expression || c.expression->find_first_not_of(" \t\r\n") == std::string::npos;
    if (*c.type == "distinctInstance" && blank) {
      out.push_back(ConstraintSpec{ConstraintSpec::Kind::distinct_instance, {}, c.at, origin, std::nullopt});
    } else if (*c.type == "memberOf" && !blank) {
      out.push_back(ConstraintSpec{ConstraintSpec::Kind::member_of, *c.expression, c.expression_at, origin,
                                   c.expression_text_offset});
    }
  }
  return out;
}

// The strategy as placement uses it, or nullopt for what lint rejects (unknown type or field).
std::optional<StrategySpec> strategy_spec(const PlacementStrategy& s, const std::string& origin) {
  if (s.computed || !s.type) return std::nullopt;
  StrategySpec spec;
  spec.at = s.at;
  spec.origin = origin;
  const std::string field = s.field.value_or("");
  if (*s.type == "random") {
    spec.type = StrategyType::random;
    return spec;
  }
  spec.field = field;
  if (*s.type == "binpack") {
    spec.type = StrategyType::binpack;
    // AWS accepts and returns CPU and MEMORY too (CDK writes them so since 2022).
    if (detail::ascii_lower(field) == "cpu") spec.target = StrategyTarget::cpu;
    else if (detail::ascii_lower(field) == "memory") spec.target = StrategyTarget::memory;
    else return std::nullopt;
    return spec;
  }
  if (*s.type == "spread") {
    spec.type = StrategyType::spread;
    if (field == "instanceId" || field == "host") {
      spec.target = StrategyTarget::instance_id;
    } else if (field.starts_with("attribute:") && field.size() > 10) {
      spec.target = StrategyTarget::attribute;
      spec.attribute = field.substr(10);
    } else {
      return std::nullopt;
    }
    return spec;
  }
  return std::nullopt;
}

void read_run_task(const Tree& root, InputReader& in, PlacementRequest& request) {
  request.kind = RequestKind::run_task;
  if (const Tree* count = InputReader::field(root, "count")) {
    if (const auto value = in.integer(*count, "count")) {
      if (*value < 1 || *value > max_run_task_count) {
        in.report(code::placement_count_out_of_range, "count", *count,
                  fmt::format("RunTask places 1 to {} tasks, not {}", max_run_task_count, *value),
                  {"for more tasks use several requests or a service; `ecsq place --count max` finds how many fit"});
      } else {
        request.count = *value;
        request.count_given = true;
      }
    }
  }
  if (const Tree* group = InputReader::field(root, "group")) {
    // An empty group is the same as none: AWS then uses family:FAMILY.
    if (auto text = in.string(*group, "group"); text && !text->empty()) request.group = std::move(*text);
  }
}

void read_create_service(const Tree& root, InputReader& in, PlacementRequest& request) {
  request.kind = RequestKind::service_replica;
  if (const Tree* name = InputReader::field(root, "serviceName")) {
    if (auto text = in.string(*name, "serviceName")) request.service_name = std::move(*text);
  }
  if (const Tree* strategy = InputReader::field(root, "schedulingStrategy")) {
    if (const auto text = in.string(*strategy, "schedulingStrategy")) {
      if (*text == "DAEMON") {
        request.kind = RequestKind::service_daemon;
      } else if (*text != "REPLICA") {
        in.report(code::placement_unknown_scheduling_strategy, "schedulingStrategy", *strategy,
                  fmt::format("unknown scheduling strategy \"{}\"", *text),
                  {"the scheduling strategies are REPLICA (the default) and DAEMON, in upper case"});
      }
    }
  }
  if (const Tree* count = InputReader::field(root, "desiredCount")) {
    if (const auto value = in.integer(*count, "desiredCount")) {
      if (*value < 0) {
        in.report(code::placement_negative_desired_count, "desiredCount", *count,
                  fmt::format("desiredCount must not be negative, found {}", *value));
      } else {
        request.count = *value;
        request.count_given = true;
      }
    }
  }
}

RequestInput read(detail::DocumentTree read) {
  RequestInput result;
  result.document = std::move(read.document);
  if (!read.tree) return result;  // not JSON or YAML: the document's ECSQ-L001 says why
  InputReader in(result.document, result.diagnostics);
  const Tree& root = *read.tree;
  PlacementRequest request;
  switch (result.document.kind) {
    case DocumentKind::run_task: read_run_task(root, in, request); break;
    case DocumentKind::create_service: read_create_service(root, in, request); break;
    default:
      in.report(code::placement_not_request, "", root,
                fmt::format("expected a RunTask or CreateService request, found {}", to_string(result.document.kind)),
                {"a RunTask request names its taskDefinition ({\"taskDefinition\": \"web\", \"count\": 2}); a "
                 "CreateService request has a serviceName ({\"serviceName\": \"web\", \"desiredCount\": 3})"});
      return result;
  }
  if (const Tree* task_definition = InputReader::field(root, "taskDefinition")) {
    if (auto text = in.string(*task_definition, "taskDefinition")) request.task_definition = std::move(*text);
  }
  for (const ConstraintSet& set : result.document.sets) {
    for (ConstraintSpec& c : request_constraints(set, result.document.origin)) request.constraints.push_back(std::move(c));
    for (const PlacementStrategy& s : set.strategies) {
      if (auto spec = strategy_spec(s, result.document.origin)) request.strategies.push_back(std::move(*spec));
    }
  }
  if (!in.failed() && !detail::has_reading_error(result.document)) result.request = std::move(request);
  return result;
}

}  // namespace

RequestInput read_placement_request(std::string text, std::string origin) {
  return read(detail::read_document_tree(std::move(text), std::move(origin)));
}

RequestInput read_placement_request_file(const std::string& path) { return read(detail::read_document_tree_file(path)); }

std::string_view to_string(StrategyType type) noexcept {
  switch (type) {
    case StrategyType::random: return "random";
    case StrategyType::spread: return "spread";
    case StrategyType::binpack: return "binpack";
  }
  return "random";
}

std::string_view to_string(RequestKind kind) noexcept {
  switch (kind) {
    case RequestKind::run_task: return "RunTask";
    case RequestKind::service_replica: return "REPLICA service";
    case RequestKind::service_daemon: return "DAEMON service";
  }
  return "RunTask";
}

}  // namespace ecsq
