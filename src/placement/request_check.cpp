// The limits of contract §4 checked on what the engine is given (check_placement), and the
// command-line forms of strategies and constraints (parse_strategy, parse_constraint).
// Design: lint reports these problems in files with their positions; the checks here repeat them
// for what lint never sees (command-line flags, requests built in code), so the engine refuses the
// same inputs whichever way they arrive.
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "ecsq/check.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/placement.hpp"
#include "placement/engine.hpp"

namespace ecsq {

namespace {

constexpr std::size_t max_strategies = 5;
constexpr std::size_t max_constraints = 10;
constexpr std::size_t max_expression_characters = 2000;
constexpr std::int64_t max_run_task_count = 10;

Diagnostic error(std::string_view code, std::string message, Span span = {}, std::vector<std::string> notes = {}) {
  Diagnostic d;
  d.code = std::string(code);
  d.severity = Severity::error;
  d.message = std::move(message);
  d.span = span;
  d.notes = std::move(notes);
  return d;
}

PlacementDiagnostic at_constraint(Diagnostic d, const ConstraintSpec& c) {
  return PlacementDiagnostic{std::move(d), c.origin, c.at, {}};
}

PlacementDiagnostic at_strategy(Diagnostic d, const StrategySpec& s) {
  return PlacementDiagnostic{std::move(d), s.origin, s.at, {}};
}

void check_expression(const ConstraintSpec& c, std::vector<PlacementDiagnostic>& out) {
  if (character_count(c.expression) > max_expression_characters) {
    out.push_back(at_constraint(error(code::placement_expression_too_long,
                                      fmt::format("the memberOf expression has {} characters; AWS allows {}",
                                                  character_count(c.expression), max_expression_characters)),
                                c));
    return;
  }
  CheckResult checked = check(c.expression);
  if (checked.query && checked.query->ast.form == ConstraintForm::distinct_instance) {
    out.push_back(at_constraint(error(code::placement_misplaced_distinct_instance,
                                      "distinctInstance is a constraint type, not a memberOf expression"),
                                c));
    return;
  }
  for (Diagnostic& d : checked.diagnostics) {
    if (d.severity != Severity::error) continue;
    out.push_back(PlacementDiagnostic{std::move(d), c.origin, c.at, c.expression});
  }
}

// The strategy's target fits its type (what the readers and parse_strategy produce always does).
bool well_formed(const StrategySpec& s) {
  switch (s.type) {
    case StrategyType::random: return s.target == StrategyTarget::none;
    case StrategyType::binpack: return s.target == StrategyTarget::cpu || s.target == StrategyTarget::memory;
    case StrategyType::spread:
      return s.target == StrategyTarget::instance_id ||
             (s.target == StrategyTarget::attribute && !s.attribute.empty());
  }
  return false;
}

}  // namespace

std::vector<PlacementDiagnostic> check_placement(const TaskDemand& demand, const PlacementRequest& request) {
  std::vector<PlacementDiagnostic> out;
  if (request.kind == RequestKind::run_task && !request.count_max &&
      (request.count < 1 || request.count > max_run_task_count)) {
    out.push_back(PlacementDiagnostic{
        error(code::placement_count_out_of_range,
              fmt::format("RunTask places 1 to {} tasks, not {}", max_run_task_count, request.count),
              {}, {"for more tasks use a service, or `--count max` to find how many fit"}),
        {}, {}, {}});
  }
  if (request.kind == RequestKind::service_replica && request.count < 0) {
    out.push_back(PlacementDiagnostic{
        error(code::placement_negative_desired_count,
              fmt::format("desiredCount must not be negative, found {}", request.count)),
        {}, {}, {}});
  }
  if (request.kind == RequestKind::service_replica && request.count > detail::max_tasks_per_request) {
    out.push_back(PlacementDiagnostic{
        error(code::placement_too_many_tasks,
              fmt::format("{} tasks asked for; ecsq places at most {} per request", request.count,
                          detail::max_tasks_per_request)),
        {}, {}, {}});
  }
  if (request.strategies.size() > max_strategies) {
    out.push_back(at_strategy(error(code::placement_too_many_strategies,
                                    fmt::format("{} placement strategies; AWS allows {}", request.strategies.size(),
                                                max_strategies),
                                    {}, {"this is the first one past the limit"}),
                              request.strategies[max_strategies]));
  }
  for (const StrategySpec& s : request.strategies) {
    if (!well_formed(s)) {
      out.push_back(at_strategy(
          error(code::placement_invalid_strategy,
                fmt::format("'{}' is not a field strategy {} takes", s.field, to_string(s.type))),
          s));
    }
  }
  const std::size_t constraints = demand.constraints.size() + request.constraints.size();
  if (constraints > max_constraints) {
    const ConstraintSpec& first_past = max_constraints < demand.constraints.size()
                                           ? demand.constraints[max_constraints]
                                           : request.constraints[max_constraints - demand.constraints.size()];
    out.push_back(at_constraint(
        error(code::placement_too_many_constraints,
              fmt::format("{} placement constraints for one task (task definition {} + request {}); AWS allows {}",
                          constraints, demand.constraints.size(), request.constraints.size(), max_constraints),
              {}, {"this is the first one past the limit"}),
        first_past));
  }
  for (const ConstraintSpec& c : demand.constraints) {
    if (c.kind == ConstraintSpec::Kind::distinct_instance) {
      out.push_back(at_constraint(error(code::placement_misplaced_distinct_instance,
                                        "distinctInstance is allowed only in a request, not in a task definition"),
                                  c));
    } else {
      check_expression(c, out);
    }
  }
  for (const ConstraintSpec& c : request.constraints) {
    if (c.kind == ConstraintSpec::Kind::member_of) {
      check_expression(c, out);
    } else if (c.expression.find_first_not_of(" \t\r\n") != std::string::npos) {
      out.push_back(at_constraint(error(code::placement_misplaced_distinct_instance,
                                        "distinctInstance takes no expression"),
                                  c));
    }
  }
  return out;
}

SpecText<StrategySpec> parse_strategy(std::string_view text, std::string origin) {
  SpecText<StrategySpec> out;
  StrategySpec spec;
  spec.origin = origin;
  const std::size_t colon = text.find(':');
  const std::string_view type = text.substr(0, colon);
  const std::string_view field = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
  spec.field = std::string(field);
  const auto field_start = static_cast<std::uint32_t>(colon == std::string_view::npos ? text.size() : colon + 1);
  const Span field_span{field_start, static_cast<std::uint32_t>(text.size())};
  auto fail = [&](std::string message, Span span, std::string note) {
    Diagnostic d = error(code::placement_invalid_strategy, std::move(message), span, {std::move(note)});
    out.diagnostics.push_back(PlacementDiagnostic{std::move(d), origin, {}, std::string(text)});
    return out;
  };
  if (type == "random") {
    if (colon != std::string_view::npos) {
      return fail("random takes no field", Span{static_cast<std::uint32_t>(colon), static_cast<std::uint32_t>(text.size())},
                  "write --strategy random");
    }
    spec.type = StrategyType::random;
  } else if (type == "binpack") {
    spec.type = StrategyType::binpack;
    if (field == "cpu") spec.target = StrategyTarget::cpu;
    else if (field == "memory") spec.target = StrategyTarget::memory;
    else return fail(fmt::format("binpack ranks by cpu or memory, not '{}'", field), field_span,
                     "write --strategy binpack:cpu or --strategy binpack:memory");
  } else if (type == "spread") {
    spec.type = StrategyType::spread;
    if (field == "instanceId" || field == "host") {
      spec.target = StrategyTarget::instance_id;
    } else if (field.starts_with("attribute:") && field.size() > 10) {
      spec.target = StrategyTarget::attribute;
      spec.attribute = std::string(field.substr(10));
    } else {
      return fail(fmt::format("spread needs instanceId, host or attribute:NAME, not '{}'", field), field_span,
                  "e.g. --strategy spread:attribute:ecs.availability-zone or --strategy spread:instanceId");
    }
  } else {
    return fail(fmt::format("unknown strategy type '{}'", type), Span{0, static_cast<std::uint32_t>(type.size())},
                "the types are random, spread:FIELD and binpack:cpu|memory");
  }
  out.spec = std::move(spec);
  return out;
}

SpecText<ConstraintSpec> parse_constraint(std::string_view text, std::string origin) {
  SpecText<ConstraintSpec> out;
  // The text without surrounding blanks, and where it starts.
  const std::size_t first = std::min(text.size(), text.find_first_not_of(" \t\r\n"));
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  const std::string_view head = last == std::string_view::npos ? std::string_view{} : text.substr(first, last + 1 - first);
  if (head.starts_with("distinctInstance") && head != "distinctInstance") {
    Diagnostic d = error(code::placement_misplaced_distinct_instance, "distinctInstance takes no expression",
                         Span{static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(first + head.size())},
                         {"write --constraint distinctInstance, and exclude instances with a memberOf expression"});
    out.diagnostics.push_back(PlacementDiagnostic{std::move(d), origin, {}, std::string(text)});
    return out;
  }
  ConstraintSpec spec;
  spec.origin = std::move(origin);
  if (head == "distinctInstance") {
    spec.kind = ConstraintSpec::Kind::distinct_instance;
    out.spec = std::move(spec);
    return out;
  }
  spec.kind = ConstraintSpec::Kind::member_of;
  spec.expression = std::string(text);
  std::vector<PlacementDiagnostic> problems;
  check_expression(spec, problems);
  if (!problems.empty()) {
    out.diagnostics = std::move(problems);
    return out;
  }
  out.spec = std::move(spec);
  return out;
}

}  // namespace ecsq
