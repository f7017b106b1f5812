// Placement constraints as found in files: task definitions, services, RunTask requests, EventBridge
// and Scheduler targets, ecs-params.yml, Terraform JSON and CloudFormation templates, each
// constraint with where it sits in its file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/diagnostic.hpp"

namespace ecsq {

/// Where a value sits in a file.
struct FileLocation {
  std::string path;          ///< JSON/YAML path, e.g. Resources.Web.Properties.PlacementConstraints[1].Expression
  std::uint32_t offset = 0;  ///< byte offset of the value's first character (a quote, tag or bracket)
  std::uint32_t length = 1;  ///< bytes of its first token: a whole scalar with its quotes, or one bracket
  LineColumn position;       ///< line and column of `offset` (1-based, columns in characters)
};

/// A field written in a constraint other than its type and expression (AWS rejects these).
struct ExtraField {
  std::string name;
  FileLocation at;  ///< the field's name
};

/// One placement constraint as written. A field built by a CloudFormation intrinsic function
/// (`!Sub`, `{"Fn::Join": ...}`, `!If` ...) is not evaluated: its text stays empty and
/// `computed_*` names the function.
struct PlacementConstraint {
  FileLocation at;                          ///< the constraint object
  std::optional<std::string> type;          ///< literal type; nullopt when absent, null or computed
  std::optional<std::string> expression;    ///< literal expression; nullopt when absent, null or computed
  FileLocation type_at;                     ///< the type's value (the constraint when absent)
  FileLocation expression_at;               ///< the expression's value (the constraint when absent)
  std::string computed_type;                ///< "Fn::Sub", "Ref", ... when the type is computed
  std::string computed_expression;          ///< likewise for the expression
  /// Byte offset in the file of the expression's first character when the file holds the expression
  /// verbatim from there (no escapes, no folding): expression offset k is file offset start + k.
  std::optional<std::uint32_t> expression_text_offset;
  std::vector<ExtraField> extra_fields;
  std::string computed;  ///< the whole entry is built by this function (e.g. "Fn::If"): nothing else is read
  /// 1 or 2 when the constraint is written in the first or second branch of a CloudFormation
  /// `Fn::If` (only one branch applies at deploy time); 0 when it always applies.
  std::uint8_t if_branch = 0;
  /// The `${...}` placeholders of an expression written with `Fn::Sub`, as spans into `expression`
  /// (which holds the template as written); empty for a literal expression.
  std::vector<Span> placeholders;
};

/// One placement strategy of a service or RunTask request, as written (`placementStrategy` in the
/// API, `PlacementStrategies` in CloudFormation). Computed parts are left empty.
struct PlacementStrategy {
  FileLocation at;
  std::optional<std::string> type;   ///< random, spread or binpack when valid
  std::optional<std::string> field;  ///< spread: instanceId, host or attribute:NAME; binpack: cpu or memory
  FileLocation type_at;
  FileLocation field_at;
  bool computed = false;             ///< the entry, its type or its field is built by an intrinsic function
  std::vector<ExtraField> extra_fields;  ///< fields other than the type and field (AWS rejects them)
};

/// What a list of constraints belongs to; decides which rules apply (§7).
enum class ConstraintOwner : std::uint8_t { task_definition, service, run_task, unknown };

/// The constraints of one task definition, service or RunTask request.
struct ConstraintSet {
  ConstraintOwner owner = ConstraintOwner::unknown;
  std::string name;            ///< family, service name or CloudFormation logical id; may be empty
  std::string resource;        ///< CloudFormation: the logical id of the resource
  std::string family;          ///< task definitions: the family when written literally
  std::string task_definition; ///< services and RunTask: the task definition as written (family[:revision] or ARN)
  std::string task_definition_resource;  ///< CloudFormation services: the logical id named by Ref
  FileLocation at;             ///< the constraint list, or the owner when it has none
  std::vector<PlacementConstraint> constraints;
  std::string computed_list;   ///< the intrinsic function that builds the whole list, if any
  std::vector<PlacementStrategy> strategies;  ///< services and RunTask requests
  FileLocation strategies_at;  ///< the strategy list, when there is one
  std::optional<std::string> launch_type;  ///< `launchType` / `LaunchType` / `launch_type` when written literally
  FileLocation launch_type_at;
  std::optional<std::int64_t> desired_count;  ///< services: `desiredCount` / `DesiredCount` / `desired_count`
  FileLocation desired_count_at;
};

/// How a file was recognised, from its content (never from its name).
enum class DocumentKind : std::uint8_t {
  unrecognized,
  register_task_definition,  ///< RegisterTaskDefinition input (`family`, `containerDefinitions`)
  task_definition_output,    ///< `aws ecs describe-task-definition` output (`taskDefinition: {...}`)
  create_service,            ///< CreateService input (`serviceName`)
  update_service,            ///< UpdateService input (`service`)
  services_output,           ///< `aws ecs describe-services` output (`services: [...]`)
  run_task,                  ///< RunTask input (`taskDefinition` named, no service)
  constraint_list,           ///< a bare list of constraints, or an object holding only `placementConstraints`
  cloudformation,            ///< a CloudFormation template (`Resources`), JSON or YAML
  service_output,            ///< create-service / update-service output (`service: {...}`)
  strategy_list,             ///< a bare list of strategies, or an object holding only `placementStrategy`
  eventbridge_targets,       ///< EventBridge PutTargets input or list-targets-by-rule output (`Targets[].EcsParameters`)
  scheduler_target,          ///< EventBridge Scheduler CreateSchedule input or get-schedule output (`Target.EcsParameters`)
  ecs_params,                ///< ecs-cli `ecs-params.yml` (`run_params.task_placement`)
  terraform_plan,            ///< `terraform show -json` of a plan (`planned_values`)
  terraform_state,           ///< `terraform show -json` of the state (`values`)
};

/// A problem found while reading a document, and the JSON/YAML path it concerns.
struct DocumentDiagnostic {
  Diagnostic diagnostic;  ///< code is a lint rule id (ECSQ-L001 ...); span is into the document text
  std::string path;
};

/// Line and column of any byte offset of one text, in O(log lines) after one pass over the text.
/// Columns count code points, as line_column does (for valid UTF-8, which readers ensure).
class LineIndex {
 public:
  LineIndex() = default;
  explicit LineIndex(std::string_view text);
  /// The position of `offset` in `text`, the text the index was built from.
  [[nodiscard]] LineColumn at(std::string_view text, std::uint32_t offset) const noexcept;

 private:
  std::vector<std::uint32_t> line_starts_;
  std::vector<std::uint32_t> code_points_before_block_;
};

/// One input file and what was read from it.
struct ConstraintDocument {
  std::string origin;  ///< the name printed in findings (usually the path as given)
  std::string text;
  DocumentKind kind = DocumentKind::unrecognized;
  bool unreadable = false;  ///< the file could not be read, or is not JSON/YAML
  std::vector<ConstraintSet> sets;
  std::vector<DocumentDiagnostic> diagnostics;
  LineIndex lines;  ///< of `text`, built by the readers
};

/// Line and column of byte `offset` of `document.text`, through its line index.
[[nodiscard]] LineColumn position_in(const ConstraintDocument& document, std::uint32_t offset) noexcept;

/// Reads constraints from `text`: JSON when it starts with '{' or '[', otherwise YAML. Never throws.
[[nodiscard]] ConstraintDocument read_constraint_document(std::string text, std::string origin);

/// Reads the file at `path` ("-" is standard input, shown as "stdin"); an unreadable file yields
/// a document with `unreadable` set and an ECSQ-L001 diagnostic.
[[nodiscard]] ConstraintDocument read_constraint_file(const std::string& path);

/// "task definition", "service", "RunTask request" or "constraint list".
[[nodiscard]] std::string_view to_string(ConstraintOwner owner) noexcept;

/// A short description such as "CloudFormation template" or "RegisterTaskDefinition input".
[[nodiscard]] std::string_view to_string(DocumentKind kind) noexcept;

}  // namespace ecsq
