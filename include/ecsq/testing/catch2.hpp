// Catch2 (v2) matchers for tests of placement policies: whether an instance satisfies an expression or
// the constraints of a task, and which instances of a fleet an expression selects. A failing match
// prints explain()'s tree, so the message says which clause failed and what it saw:
//
//   CHECK_THAT(instance, ecsq::testing::Satisfies("attribute:ecs.os-type == windows"));
//     with expansion:
//       Instance{i-web, ..., attributes={ecs.os-type="linux"}, ...} satisfies attribute:ecs.os-type == windows
//       ✗ attribute:ecs.os-type == windows    saw "linux"
//
// Opt-in and header-only: ecsq.hpp does not include it and the library does not need Catch2. Include
// it after, or instead of, <catch2/catch.hpp>. An expression that does not check throws ecsq::QueryError
// from the matcher's constructor, which Catch reports as a failed assertion with the diagnostics.
//
// Build one matcher per assertion, as CHECK_THAT(x, Satisfies("...")) does: Catch caches a matcher's
// description the first time it prints it, so a matcher reused across assertions would show the
// explanation of its first failure.
#pragma once

#include <catch2/catch.hpp>

#if !defined(CATCH_VERSION_MAJOR) || CATCH_VERSION_MAJOR != 2
#error "ecsq/testing/catch2.hpp needs Catch2 v2 (Catch::MatcherBase)"
#endif

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/print.hpp"
#include "ecsq/query.hpp"
#include "ecsq/task_constraints.hpp"

namespace ecsq::testing {

namespace detail {

/// The canonical text of `query`, or a phrase for the empty expression, which prints as nothing.
inline std::string shown(const CheckedQuery& query) {
  const std::string text = to_string(query.ast);
  return text.empty() ? std::string("the empty expression") : text;
}

/// `text` with every line indented by `spaces` spaces.
inline std::string indented(const std::string& text, std::size_t spaces) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && c != '\n') out.append(spaces, ' ');
    out += c;
    line_start = c == '\n';
  }
  return out;
}

/// explain()'s tree for `instance`, with a warning when it disagrees with evaluate() (an ecsq bug).
inline std::string explained(const CheckedQuery& query, const Instance& instance, bool evaluated) {
  const Explanation explanation = explain(query, instance);
  std::string out = render_text(explanation);
  if (explanation.result != evaluated) {
    out += std::string("(explain() disagrees with evaluate(), which said ") + (evaluated ? "true" : "false") + ")\n";
  }
  return out;
}

}  // namespace detail

/// Matches an Instance on which a query holds (evaluate()). Its description, printed when an
/// assertion fails, is "satisfies EXPR" in canonical form and explain()'s tree for the instance.
/// Negate with `!Satisfies(...)`; combine with `&&` and `||`.
class Satisfies : public Catch::MatcherBase<Instance> {
 public:
  /// Checks `expression` with ecsq::query(): throws ecsq::QueryError (the rendered diagnostics) when it
  /// has an error.
  explicit Satisfies(std::string_view expression) : query_(ecsq::query(expression)) {}
  /// Uses a query checked already, e.g. a constant or one shared by a loop.
  explicit Satisfies(CheckedQuery query) : query_(std::move(query)) {}

  bool match(const Instance& instance) const override {
    const bool result = evaluate(query_, instance);
    explanation_ = detail::explained(query_, instance, result);
    return result;
  }

  std::string describe() const override {
    std::string out = "satisfies " + detail::shown(query_);
    if (!explanation_.empty()) out += "\n" + explanation_;
    return out;
  }

 private:
  CheckedQuery query_;
  mutable std::string explanation_;  // of the instance last matched
};

/// Matches an Instance that satisfies every memberOf constraint a task gets (from task_constraints()).
/// distinctInstance is not evaluated: it depends on where the task's group already runs. Throws
/// std::invalid_argument when a constraint is not known (computed by an intrinsic function) or an
/// expression has an error (the message says where the constraint is and has the diagnostics).
class SatisfiesConstraints : public Catch::MatcherBase<Instance> {
 public:
  explicit SatisfiesConstraints(const TaskConstraints& task) {
    for (const AppliedConstraint& constraint : task.constraints) {
      const std::string where = constraint.origin + ":" + std::to_string(constraint.at.position.line) + ":" +
                                std::to_string(constraint.at.position.column);
      if (!constraint.computed.empty()) {
        throw std::invalid_argument("the constraint at " + where + " is computed by " + constraint.computed +
                                    ", so it cannot be evaluated");
      }
      if (!constraint.is_member_of()) continue;
      try {
        constraints_.push_back(Item{where, ecsq::query(*constraint.expression), {}});
      } catch (const QueryError& error) {
        throw std::invalid_argument("the constraint at " + where + " does not check:\n" + error.what());
      }
    }
    if (!task.complete) {  // not an entry, so a whole list is computed
      throw std::invalid_argument("a constraint list of this task is computed by an intrinsic function, so it cannot be evaluated");
    }
  }

  bool match(const Instance& instance) const override {
    bool all = true;
    for (const Item& item : constraints_) {
      const bool result = evaluate(item.query, instance);
      item.explanation = detail::explained(item.query, instance, result);
      all = all && result;
    }
    return all;
  }

  std::string describe() const override {
    std::string out = "satisfies the " + std::to_string(constraints_.size()) + " memberOf constraints of the task\n";
    for (const Item& item : constraints_) {
      out += "  " + item.where + " " + detail::shown(item.query) + "\n";
      out += detail::indented(item.explanation, 4);
    }
    return out;
  }

 private:
  struct Item {
    std::string where;  // origin:line:column
    CheckedQuery query;
    mutable std::string explanation;  // of the instance last matched
  };
  std::vector<Item> constraints_;
};

/// Matches a fleet (a vector of instances) in which a query selects exactly the instances whose
/// ec2InstanceIds are given, in any order. On failure the description lists what it selected and
/// explains each instance selected but not expected, or expected but not selected.
class Selects : public Catch::MatcherBase<std::vector<Instance>> {
 public:
  /// Checks `expression` with ecsq::query() (throws ecsq::QueryError on an error).
  Selects(std::string_view expression, std::vector<std::string> ec2_instance_ids)
      : Selects(ecsq::query(expression), std::move(ec2_instance_ids)) {}
  Selects(CheckedQuery query, std::vector<std::string> ec2_instance_ids)
      : query_(std::move(query)), expected_(std::move(ec2_instance_ids)) {
    std::sort(expected_.begin(), expected_.end());
  }

  bool match(const std::vector<Instance>& instances) const override {
    selected_.clear();
    surprises_.clear();
    bool exact = true;
    for (const std::string& id : expected_) {
      const bool present = std::any_of(instances.begin(), instances.end(),
                                       [&](const Instance& instance) { return instance.ec2_instance_id == id; });
      if (!present) {
        surprises_ += "  " + id + ": expected, but there is no such instance\n";
        exact = false;
      }
    }
    for (const Instance& instance : instances) {
      const bool result = evaluate(query_, instance);
      if (result) selected_.push_back(instance.ec2_instance_id);
      const bool wanted = std::binary_search(expected_.begin(), expected_.end(), instance.ec2_instance_id);
      if (result == wanted) continue;
      exact = false;
      surprises_ += "  " + instance.ec2_instance_id + (result ? ": selected, not expected\n" : ": expected, not selected\n");
      surprises_ += detail::indented(detail::explained(query_, instance, result), 4);
    }
    matched_ = true;
    return exact;
  }

  std::string describe() const override {
    std::string out = "selects exactly " + listed(expected_) + " with " + detail::shown(query_);
    if (matched_) out += "\n  it selected " + listed(selected_) + (surprises_.empty() ? "" : "\n" + surprises_);
    return out;
  }

 private:
  static std::string listed(const std::vector<std::string>& ids) {
    std::string out = "{";
    for (std::size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? "" : ", ") + ids[i];
    return out + "}";
  }

  CheckedQuery query_;
  std::vector<std::string> expected_;  // sorted
  mutable bool matched_ = false;
  mutable std::vector<std::string> selected_;  // in fleet order
  mutable std::string surprises_;              // the instances where selection and expectation differ
};

}  // namespace ecsq::testing
