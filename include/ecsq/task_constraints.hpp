// The placement constraints a task gets: those of its service or RunTask request together with those of
// the task definition it names (contract §7), resolved across the documents read with
// read_constraint_document / read_constraint_file. Lint uses the same resolution.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/constraint.hpp"

namespace ecsq {

/// A constraint set among documents: `documents[document].sets[set]`.
struct SetRef {
  std::size_t document = 0;
  std::size_t set = 0;
  friend constexpr bool operator==(SetRef, SetRef) = default;
};

/// The family a task definition reference names: "arn:aws:ecs:us-east-1:1:task-definition/web:3",
/// "web:3" and "web" all name "web".
[[nodiscard]] std::string task_definition_family(std::string_view task_definition);

/// The task definitions the service or RunTask request at `request` names: in a CloudFormation template
/// the one its TaskDefinition `Ref`s in the same template, elsewhere every task definition, in any
/// document, whose family is the family it names (by family, ARN or family:revision; a revision is not
/// told apart). In document order; empty for any other owner or when none is found.
[[nodiscard]] std::vector<SetRef> named_task_definitions(std::span<const ConstraintDocument> documents,
                                                         SetRef request);

/// One constraint that applies to a task, copied out of its document with where it is written.
struct AppliedConstraint {
  std::optional<std::string> type;        ///< "memberOf", "distinctInstance", ... as written; nullopt when absent or computed
  std::optional<std::string> expression;  ///< as written; nullopt when absent or computed
  /// The intrinsic function that builds the entry, its type or its expression ("Fn::Sub"), when one
  /// does; the constraint is then not known here.
  std::string computed;
  SetRef from;             ///< the set it is written in
  std::size_t index = 0;   ///< its position in that set's constraints
  ConstraintOwner owner = ConstraintOwner::unknown;  ///< what that set is
  std::string origin;      ///< that document's origin (the file name)
  FileLocation at;         ///< the constraint in that file

  /// True for a memberOf constraint whose expression is known.
  [[nodiscard]] bool is_member_of() const noexcept { return computed.empty() && type == "memberOf" && expression; }
  /// True for a distinctInstance constraint (whose expression, if any, AWS rejects).
  [[nodiscard]] bool is_distinct_instance() const noexcept { return computed.empty() && type == "distinctInstance"; }
};

/// The constraints one kind of task gets.
struct TaskConstraints {
  SetRef owner;  ///< the service, RunTask request, task definition or bare constraint list
  /// For a service or RunTask request: the task definition it names, when one was found among the documents.
  std::optional<SetRef> task_definition;
  /// The owner's constraints in order, then the task definition's in order.
  std::vector<AppliedConstraint> constraints;
  /// False when a constraint list, an entry or a field is built by an intrinsic function, so some
  /// constraint that applies is not known here.
  bool complete = true;
};

/// The constraints of every task the documents describe, in document and set order: each service or
/// RunTask request once per task definition it names (see named_task_definitions), or once alone when
/// it names none of the documents'; each task definition and each bare constraint list alone.
[[nodiscard]] std::vector<TaskConstraints> task_constraints(std::span<const ConstraintDocument> documents);

}  // namespace ecsq
