// Which task definition a service or RunTask request names, and so which constraints its tasks get.
// One resolution for lint's combined checks and for task_constraints(): by CloudFormation Ref within a
// template, else by family anywhere, since a request names a family (or one of its revisions) and
// the documents at hand hold whichever revision the user gave.
#include "ecsq/task_constraints.hpp"

#include <algorithm>

namespace ecsq {

namespace {

bool is_request(ConstraintOwner owner) noexcept {
  return owner == ConstraintOwner::service || owner == ConstraintOwner::run_task;
}

void append_constraints(std::span<const ConstraintDocument> documents, SetRef from, TaskConstraints& task) {
  const ConstraintDocument& document = documents[from.document];
  const ConstraintSet& set = document.sets[from.set];
  if (!set.computed_list.empty()) task.complete = false;
  for (std::size_t i = 0; i < set.constraints.size(); ++i) {
    const PlacementConstraint& c = set.constraints[i];
    AppliedConstraint applied;
    applied.computed = !c.computed.empty()            ? c.computed
                       : !c.computed_type.empty()     ? c.computed_type
                                                      : c.computed_expression;
    // One branch of an If, or a template with placeholders: known only at deploy time.
    if (applied.computed.empty() && c.if_branch != 0) applied.computed = "Fn::If";
    if (applied.computed.empty() && !c.placeholders.empty()) applied.computed = "Fn::Sub";
    if (c.computed.empty()) {
      applied.type = c.type;
      applied.expression = c.expression;
    }
    if (!applied.computed.empty()) task.complete = false;
    applied.from = from;
    applied.index = i;
    applied.owner = set.owner;
    applied.origin = document.origin;
    applied.at = c.at;
    task.constraints.push_back(std::move(applied));
  }
}

}  // namespace

std::string task_definition_family(std::string_view named) {
  if (const std::size_t slash = named.rfind("task-definition/"); slash != std::string_view::npos) {
    named.remove_prefix(slash + std::string_view("task-definition/").size());
  }
  if (const std::size_t colon = named.rfind(':'); colon != std::string_view::npos) {
    const std::string_view revision = named.substr(colon + 1);
    if (!revision.empty() && std::all_of(revision.begin(), revision.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      named = named.substr(0, colon);
    }
  }
  return std::string(named);
}

std::vector<SetRef> named_task_definitions(std::span<const ConstraintDocument> documents, SetRef request) {
  std::vector<SetRef> found;
  const ConstraintSet& set = documents[request.document].sets[request.set];
  if (!is_request(set.owner)) return found;
  const std::string family = set.task_definition.empty() ? std::string() : task_definition_family(set.task_definition);
  for (std::size_t d = 0; d < documents.size(); ++d) {
    for (std::size_t s = 0; s < documents[d].sets.size(); ++s) {
      const ConstraintSet& other = documents[d].sets[s];
      if (other.owner != ConstraintOwner::task_definition) continue;
      const bool by_ref =
          !set.task_definition_resource.empty() && d == request.document && other.resource == set.task_definition_resource;
      const bool by_family = !family.empty() && other.family == family;
      if (by_ref || by_family) found.push_back(SetRef{d, s});
    }
  }
  return found;
}

std::vector<TaskConstraints> task_constraints(std::span<const ConstraintDocument> documents) {
  std::vector<TaskConstraints> out;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    for (std::size_t s = 0; s < documents[d].sets.size(); ++s) {
      const SetRef owner{d, s};
      std::vector<std::optional<SetRef>> task_definitions;
      for (const SetRef named : named_task_definitions(documents, owner)) task_definitions.emplace_back(named);
      if (task_definitions.empty()) task_definitions.emplace_back();
      for (const std::optional<SetRef>& task_definition : task_definitions) {
        TaskConstraints task;
        task.owner = owner;
        task.task_definition = task_definition;
        append_constraints(documents, owner, task);
        if (task_definition) append_constraints(documents, *task_definition, task);
        out.push_back(std::move(task));
      }
    }
  }
  return out;
}

}  // namespace ecsq
