// Linting documents: each constraint and constraint list, services and RunTask requests against the
// task definitions they name, and (with a fleet) whether any instance satisfies the constraints.
#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ecsq/evaluate.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/print.hpp"
#include "ecsq/summary.hpp"
#include "ecsq/task_constraints.hpp"
#include "common/text.hpp"
#include "lint/contradiction.hpp"
#include "lint/suppression.hpp"

namespace ecsq {

namespace {

// RegisterTaskDefinition, CreateService and RunTask each take at most 10, and a task gets its task
// definition's and its service's (or RunTask request's) together (contract §7).
constexpr std::size_t max_constraints = 10;
constexpr std::array<std::string_view, 2> constraint_types{"memberOf", "distinctInstance"};
// CreateService and RunTask take at most 5 strategies; binpack packs by cpu or memory.
constexpr std::size_t max_strategies = 5;
constexpr std::array<std::string_view, 3> strategy_types{"random", "spread", "binpack"};
constexpr std::array<std::string_view, 2> binpack_fields{"cpu", "memory"};

// Constraints in the two branches of a CloudFormation If are alternatives: the larger branch counts.
std::size_t literal_count(const ConstraintSet& set) {
  std::array<std::size_t, 3> by_branch{};
  for (const PlacementConstraint& c : set.constraints) {
    if (c.computed.empty()) ++by_branch[std::min<std::size_t>(c.if_branch, 2)];
  }
  return by_branch[0] + std::max(by_branch[1], by_branch[2]);
}

// A Fn::Sub template with each `${...}` replaced by letters of the same length, so that it parses
// as a value (or name) wherever the placeholder sits and every span keeps its offset.
std::string with_opaque_placeholders(std::string text, const std::vector<Span>& placeholders) {
  for (const Span placeholder : placeholders) {
    std::fill(text.begin() + placeholder.begin, text.begin() + placeholder.end, 'x');
  }
  return text;
}

// The field name meant: a close spelling, or one with two neighbouring letters swapped ("feild"),
// which edit distance counts as two edits and closest_spelling finds too far for a short word.
std::string_view field_meant(std::string_view written, std::span<const std::string_view> known) {
  if (const std::string_view meant = closest_spelling(written, known); !meant.empty()) return meant;
  const std::string lowered = detail::ascii_lower(written);
  for (std::size_t i = 0; i + 1 < lowered.size(); ++i) {
    std::string swapped = lowered;
    std::swap(swapped[i], swapped[i + 1]);
    for (const std::string_view candidate : known) {
      if (detail::ascii_lower(candidate) == swapped) return candidate;
    }
  }
  return {};
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

class Linter {
 public:
  Linter(LintReport& report, const LintOptions& options) : report_(report), options_(options) {}

  void run() {
    for (std::size_t d = 0; d < report_.documents.size(); ++d) {
      const ConstraintDocument& document = report_.documents[d];
      for (const DocumentDiagnostic& problem : document.diagnostics) {
        LintFinding finding = located(d, problem.path, problem.diagnostic.span.begin, problem.diagnostic);
        report_.findings.push_back(std::move(finding));
      }
      for (const ConstraintSet& set : document.sets) lint_set(d, set);
      suppressions_.push_back(detail::read_suppressions(document));
      for (DocumentDiagnostic& problem : suppressions_.back().problems) {
        report_.findings.push_back(located(d, problem.path, problem.diagnostic.span.begin, std::move(problem.diagnostic)));
      }
    }
    for (std::size_t d = 0; d < report_.documents.size(); ++d) {
      for (std::size_t s = 0; s < report_.documents[d].sets.size(); ++s) combined_limit(SetRef{d, s});
    }
    for (std::size_t d = 0; d < report_.documents.size(); ++d) {
      for (std::size_t s = 0; s < report_.documents[d].sets.size(); ++s) contradictions_across(SetRef{d, s});
    }
    if (options_.fleet) {
      for (std::size_t d = 0; d < report_.documents.size(); ++d) {
        for (std::size_t s = 0; s < report_.documents[d].sets.size(); ++s) fleet(SetRef{d, s});
      }
    }
    apply_settings();
    std::stable_sort(report_.findings.begin(), report_.findings.end(), [](const LintFinding& a, const LintFinding& b) {
      if (a.document != b.document) return a.document < b.document;
      if (a.position.line != b.position.line) return a.position.line < b.position.line;
      return a.position.column < b.position.column;
    });
  }

 private:
  // Disabled rules report nothing; severities are the ones set; suppressed findings are marked.
  void apply_settings() {
    const LintRuleSettings& settings = options_.rules;
    std::erase_if(report_.findings, [&](const LintFinding& f) { return settings.is_disabled(f.rule); });
    for (LintFinding& finding : report_.findings) {
      if (const auto severity = settings.severity_of(finding.rule)) finding.diagnostic.severity = *severity;
      for (const detail::Suppression& s : suppressions_[finding.document].items) {
        if ((s.line == 0 || s.line == finding.position.line) &&
            std::find(s.rules.begin(), s.rules.end(), finding.rule) != s.rules.end()) {
          finding.suppression = s.reason;
          break;
        }
      }
    }
  }

  // A finding about the file itself, pointing at `offset` in the document's text.
  LintFinding located(std::size_t document, std::string path, std::uint32_t offset, Diagnostic diagnostic) const {
    LintFinding finding;
    finding.rule = std::string(lint_rule_of(diagnostic));
    finding.document = document;
    finding.path = std::move(path);
    const ConstraintDocument& where = report_.documents[document];
    finding.position = position_in(where, offset);
    if (diagnostic.span.end > offset && diagnostic.span.end <= where.text.size()) {
      finding.end = position_in(where, diagnostic.span.end);
    }
    finding.diagnostic = std::move(diagnostic);
    return finding;
  }

  void at_value(std::size_t document, const FileLocation& at, Severity severity, std::string code, std::string message,
                std::vector<std::string> notes = {}, std::vector<FixIt> fixits = {}) {
    Diagnostic d{severity, std::move(code), std::move(message), Span{at.offset, at.offset + std::max<std::uint32_t>(at.length, 1)},
                 {}, std::move(notes), std::move(fixits)};
    report_.findings.push_back(located(document, at.path, at.offset, std::move(d)));
  }

  // A finding inside an expression; its position in the file is exact when the file holds the
  // expression verbatim, else the position of the expression's value.
  void in_expression(std::size_t document, const PlacementConstraint& c, Diagnostic diagnostic) {
    const std::string& expression = *c.expression;
    LintFinding finding;
    finding.rule = std::string(lint_rule_of(diagnostic));
    finding.document = document;
    finding.path = c.expression_at.path;
    const ConstraintDocument& where = report_.documents[document];
    if (c.expression_text_offset) {
      finding.expression_offset = c.expression_text_offset;
      finding.position = position_in(where, *c.expression_text_offset + diagnostic.span.begin);
      finding.end = position_in(where, *c.expression_text_offset + std::max(diagnostic.span.end, diagnostic.span.begin));
    } else {
      finding.position = c.expression_at.position;
    }
    finding.expression = expression;
    finding.expression_position = line_column(expression, diagnostic.span.begin);
    finding.diagnostic = std::move(diagnostic);
    report_.findings.push_back(std::move(finding));
  }

  // The token at `at` replaced by `text`, keeping the quotes it was written with.
  FixIt replace_token(std::size_t document, const FileLocation& at, std::string_view text) const {
    const std::string& source = report_.documents[document].text;
    const char first = at.offset < source.size() ? source[at.offset] : '\0';
    const std::string replacement = first == '"' || first == '\'' ? fmt::format("{0}{1}{0}", first, text) : std::string(text);
    return FixIt{Span{at.offset, at.offset + at.length}, replacement};
  }

  void lint_set(std::size_t document, const ConstraintSet& set) {
    if (!set.computed_list.empty()) {
      at_value(document, set.at, Severity::note, rule::computed_not_checked,
               fmt::format("not checked: the constraint list is computed by {}", set.computed_list));
    }
    for (const PlacementConstraint& c : set.constraints) lint_constraint(document, set, c);
    lint_strategies(document, set);
    fargate(document, set);
    if (const std::size_t count = literal_count(set); count > max_constraints) {
      at_value(document, set.at, Severity::error, rule::too_many_constraints,
               fmt::format("{} placement constraints in this {}; ECS accepts at most {}", count, to_string(set.owner),
                           max_constraints));
    }
  }

  // ECSQ-L007: Fargate places tasks itself; AWS rejects constraints and strategies with it.
  void fargate(std::size_t document, const ConstraintSet& set) {
    if (set.launch_type != "FARGATE" || (set.constraints.empty() && set.strategies.empty())) return;
    std::vector<std::string> parts;
    if (!set.constraints.empty()) parts.push_back(fmt::format("placement constraints ({})", set.at.path));
    if (!set.strategies.empty()) parts.push_back(fmt::format("placement strategies ({})", set.strategies_at.path));
    at_value(document, set.launch_type_at, Severity::error, rule::placement_with_fargate,
             fmt::format("launch type FARGATE with {}; AWS rejects task placement on Fargate",
                         fmt::join(parts, " and ")),
             {"Fargate chooses where tasks run: remove the constraints and strategies, or use the EC2 launch type"});
  }

  void unknown_strategy_fields(std::size_t document, const PlacementStrategy& strategy) {
    const bool cloudformation = report_.documents[document].kind == DocumentKind::cloudformation;
    const std::array<std::string_view, 2> known{cloudformation ? "Type" : "type", cloudformation ? "Field" : "field"};
    for (const ExtraField& field : strategy.extra_fields) {
      const std::string_view meant = field_meant(field.name, known);
      std::vector<FixIt> fixits;
      if (!meant.empty()) fixits.push_back(replace_token(document, field.at, meant));
      at_value(document, field.at, Severity::error, rule::unknown_constraint_field,
               meant.empty() ? fmt::format("unknown field '{}' in a placement strategy", field.name)
                             : fmt::format("unknown field '{}' in a placement strategy; did you mean '{}'?", field.name, meant),
               {fmt::format("a placement strategy has only '{}' and '{}'", known[0], known[1])}, std::move(fixits));
    }
  }

  void lint_strategies(std::size_t document, const ConstraintSet& set) {
    for (const PlacementStrategy& strategy : set.strategies) {
      unknown_strategy_fields(document, strategy);
      if (strategy.computed) continue;
      if (!strategy.type) {
        at_value(document, strategy.at, Severity::error, rule::unknown_strategy_type, "placement strategy has no type",
                 {"the type is random, spread or binpack"});
        continue;
      }
      const std::string& type = *strategy.type;
      if (std::find(strategy_types.begin(), strategy_types.end(), type) == strategy_types.end()) {
        const std::string_view meant = closest_spelling(type, strategy_types);
        std::vector<FixIt> fixits;
        if (!meant.empty()) fixits.push_back(replace_token(document, strategy.type_at, meant));
        at_value(document, strategy.type_at, Severity::error, rule::unknown_strategy_type,
                 meant.empty() ? fmt::format("unknown placement strategy type '{}'", type)
                               : fmt::format("unknown placement strategy type '{}'; did you mean '{}'?", type, meant),
                 {"the type is random, spread or binpack"}, std::move(fixits));
      } else if (type == "binpack") {
        binpack_field(document, strategy);
      } else if (type == "spread") {
        spread_field(document, strategy);
      }
    }
    const auto literal = static_cast<std::size_t>(std::count_if(set.strategies.begin(), set.strategies.end(),
                                                                [](const PlacementStrategy& s) { return !s.computed; }));
    if (literal > max_strategies) {
      at_value(document, set.strategies_at, Severity::error, rule::too_many_strategies,
               fmt::format("{} placement strategies in this {}; ECS accepts at most {}", literal, to_string(set.owner),
                           max_strategies));
    }
  }

  void binpack_field(std::size_t document, const PlacementStrategy& strategy) {
    if (!strategy.field) {
      at_value(document, strategy.at, Severity::error, rule::invalid_strategy_field, "a binpack strategy needs a field: cpu or memory");
      return;
    }
    // AWS reads binpack's field in any case (it returns CPU and MEMORY; CDK writes them so).
    const std::string lowered = detail::ascii_lower(*strategy.field);
    if (std::find(binpack_fields.begin(), binpack_fields.end(), lowered) != binpack_fields.end()) return;
    const std::string_view meant = closest_spelling(*strategy.field, binpack_fields);
    std::vector<FixIt> fixits;
    if (!meant.empty()) fixits.push_back(replace_token(document, strategy.field_at, meant));
    at_value(document, strategy.field_at, Severity::error, rule::invalid_strategy_field,
             meant.empty() ? fmt::format("binpack field '{}' is not cpu or memory", *strategy.field)
                           : fmt::format("binpack field '{}' is not cpu or memory; did you mean '{}'?", *strategy.field, meant),
             {}, std::move(fixits));
  }

  void spread_field(std::size_t document, const PlacementStrategy& strategy) {
    if (!strategy.field) {
      at_value(document, strategy.at, Severity::error, rule::invalid_strategy_field,
               "a spread strategy needs a field: instanceId, host or attribute:NAME");
      return;
    }
    const std::string& field = *strategy.field;
    if (field == "instanceId" || field == "host") return;
    // An attribute name gets the expression rules' check for misspelled built-in names.
    const std::string_view name = field.starts_with("attribute:") ? std::string_view(field).substr(10) : field;
    const std::string probe = fmt::format("attribute:{} exists", name);
    const std::vector<Diagnostic> found = lint_expression(probe, options_.check);
    const bool is_attribute = !name.empty() && !has_error(found);
    std::string meant = is_attribute ? probe : std::string();
    for (const Diagnostic& d : found) {
      if (d.code == rule::misspelled_built_in_attribute) meant = with_fixits_applied(probe, d.fixits);
    }
    meant = meant.substr(0, meant.size() - std::string_view(" exists").size());
    if (field.starts_with("attribute:") && is_attribute) {
      if (meant != field) {
        const auto misspelled = std::find_if(found.begin(), found.end(), [](const Diagnostic& d) {
          return d.code == rule::misspelled_built_in_attribute;
        });
        at_value(document, strategy.field_at, Severity::warning, rule::misspelled_built_in_attribute, misspelled->message, misspelled->notes,
                 {replace_token(document, strategy.field_at, meant)});
      }
      return;
    }
    if (const std::string_view close = closest_spelling(field, std::array<std::string_view, 2>{"instanceId", "host"});
        !close.empty()) {
      meant = close;
    }
    std::vector<FixIt> fixits;
    if (!meant.empty()) fixits.push_back(replace_token(document, strategy.field_at, meant));
    at_value(document, strategy.field_at, Severity::error, rule::invalid_strategy_field,
             meant.empty() ? fmt::format("spread field '{}' is not instanceId, host or attribute:NAME", field)
                           : fmt::format("spread field '{}' is not instanceId, host or attribute:NAME; did you mean '{}'?",
                                         field, meant),
             {}, std::move(fixits));
  }

  void lint_constraint(std::size_t document, const ConstraintSet& set, const PlacementConstraint& c) {
    ++report_.constraints;
    const bool cloudformation = report_.documents[document].kind == DocumentKind::cloudformation;
    const std::string_view type_key = cloudformation ? "Type" : "type";
    const std::string_view expression_key = cloudformation ? "Expression" : "expression";
    if (!c.computed.empty()) {
      at_value(document, c.at, Severity::note, rule::computed_not_checked,
               fmt::format("not checked: the constraint is computed by {}", c.computed));
      return;
    }
    for (const ExtraField& field : c.extra_fields) {
      const std::array<std::string_view, 2> known{type_key, expression_key};
      const std::string_view meant = field_meant(field.name, known);
      at_value(document, field.at, Severity::error, rule::unknown_constraint_field,
               meant.empty() ? fmt::format("unknown field '{}' in a placement constraint", field.name)
                             : fmt::format("unknown field '{}' in a placement constraint; did you mean '{}'?", field.name, meant),
               {fmt::format("a placement constraint has only '{}' and '{}'", type_key, expression_key)});
    }
    bool member_of = false;
    bool distinct = false;
    if (!c.computed_type.empty()) {
      at_value(document, c.type_at, Severity::note, rule::computed_not_checked,
               fmt::format("not checked: the constraint type is computed by {}", c.computed_type));
    } else if (!c.type) {
      at_value(document, c.at, Severity::error, rule::unknown_constraint_type,
               fmt::format("placement constraint has no '{}'", type_key), {"the type is memberOf or distinctInstance"});
    } else if (*c.type == "memberOf") {
      member_of = true;
    } else if (*c.type == "distinctInstance") {
      distinct = true;
    } else {
      const std::string_view meant = closest_spelling(*c.type, constraint_types);
      std::vector<FixIt> fixits;
      if (!meant.empty()) fixits.push_back(replace_token(document, c.type_at, meant));
      at_value(document, c.type_at, Severity::error, rule::unknown_constraint_type,
               meant.empty() ? fmt::format("unknown placement constraint type '{}'", *c.type)
                             : fmt::format("unknown placement constraint type '{}'; did you mean '{}'?", *c.type, meant),
               {"the type is memberOf or distinctInstance (case-sensitive)"}, std::move(fixits));
    }
    if (distinct) {
      if (set.owner == ConstraintOwner::task_definition) {
        at_value(document, c.type_at, Severity::error, rule::distinct_instance_in_task_definition,
                 "distinctInstance in a task definition (AWS: \"constraint.type 'distinctInstance' is not supported.\")",
                 {"put distinctInstance on the service or the RunTask request instead"});
      }
      if (c.expression && !blank(*c.expression)) {
        at_value(document, c.expression_at, Severity::error, rule::distinct_instance_expression,
                 "distinctInstance with an expression (AWS: \"distinctInstance expression should not be specified.\")",
                 {"remove the expression, or make this a memberOf constraint"});
      }
      return;
    }
    if (!c.computed_expression.empty()) {
      at_value(document, c.expression_at, Severity::note, rule::computed_not_checked,
               fmt::format("not checked: the expression is computed by {}", c.computed_expression));
      return;
    }
    if (!c.expression || blank(*c.expression)) {
      if (member_of) {
        at_value(document, c.expression ? c.expression_at : c.at, Severity::warning, rule::member_of_without_expression,
                 fmt::format("memberOf constraint without an {}: it matches every instance", expression_key),
                 {"an empty memberOf expression places the task anywhere; remove the constraint or add an expression"});
      }
      return;
    }
    if (c.placeholders.empty()) {
      for (Diagnostic& d : lint_expression(*c.expression, options_.check)) in_expression(document, c, std::move(d));
      return;
    }
    // Fn::Sub: each ${...} stands for a value known at deploy time. What depends on one is only
    // a note, says so, and offers no fix-it (the fix would rewrite the placeholder).
    const std::string opaque = with_opaque_placeholders(*c.expression, c.placeholders);
    for (Diagnostic& d : lint_expression(opaque, options_.check)) {
      const auto placeholder = std::find_if(c.placeholders.begin(), c.placeholders.end(), [&](Span p) {
        return d.span.begin < p.end && p.begin < std::max(d.span.end, d.span.begin + 1);
      });
      if (placeholder != c.placeholders.end()) {
        d.severity = Severity::note;
        d.fixits.clear();
        // The message names the stand-in value; give it back its placeholder, longest first.
        std::vector<Span> longest_first = c.placeholders;
        std::stable_sort(longest_first.begin(), longest_first.end(), [](Span a, Span b) { return a.size() > b.size(); });
        for (const Span p : longest_first) {
          const std::string stand_in(p.size(), 'x');
          const std::string written = c.expression->substr(p.begin, p.size());
          for (std::size_t at = d.message.find(stand_in); at != std::string::npos; at = d.message.find(stand_in, at + written.size())) {
            d.message.replace(at, stand_in.size(), written);
          }
        }
        d.notes.push_back(fmt::format("this depends on the Fn::Sub placeholder '{}', known only at deploy time",
                                      c.expression->substr(placeholder->begin, placeholder->size())));
      }
      in_expression(document, c, std::move(d));
    }
  }

  // The task definitions the set at `at` names (named_task_definitions: by Ref in its own template, or by family).
  std::vector<std::pair<std::size_t, const ConstraintSet*>> task_definitions_of(SetRef at) const {
    std::vector<std::pair<std::size_t, const ConstraintSet*>> found;
    for (const SetRef named : named_task_definitions(report_.documents, at)) {
      found.emplace_back(named.document, &report_.documents[named.document].sets[named.set]);
    }
    return found;
  }

  void combined_limit(SetRef at) {
    const std::size_t document = at.document;
    const ConstraintSet& set = report_.documents[document].sets[at.set];
    const std::size_t own = literal_count(set);
    if (own > max_constraints) return;  // already reported on its own
    for (const auto& [d, task_definition] : task_definitions_of(at)) {
      const std::size_t theirs = literal_count(*task_definition);
      if (theirs > max_constraints || own + theirs <= max_constraints) continue;
      const ConstraintDocument& where = report_.documents[d];
      at_value(document, set.at, Severity::error, rule::too_many_constraints,
               fmt::format("{} placement constraints for the task: {} in this {} and {} in task definition '{}'; ECS "
                           "accepts at most {} together",
                           own + theirs, own, to_string(set.owner), theirs,
                           task_definition->family.empty() ? task_definition->name : task_definition->family,
                           max_constraints),
               {fmt::format("the task definition is at {}:{}:{}", where.origin, task_definition->at.position.line,
                            task_definition->at.position.column)});
    }
  }

  struct Checked {
    const PlacementConstraint* constraint;
    CheckedQuery query;
  };

  // The memberOf constraints of `set` that check without error, ready to evaluate.
  std::vector<Checked> checked_member_of(const ConstraintSet& set) const {
    std::vector<Checked> out;
    for (const PlacementConstraint& c : set.constraints) {
      if (!c.computed.empty() || c.type != "memberOf" || !c.expression || blank(*c.expression) || !c.placeholders.empty()) {
        continue;  // a Fn::Sub placeholder has no value to evaluate
      }
      CheckResult result = check(*c.expression, ParseOptions{}, options_.check);
      if (result.query && result.query->ast.form != ConstraintForm::distinct_instance) {
        out.push_back(Checked{&c, std::move(*result.query)});
      }
    }
    return out;
  }

  // ECSQ-L029: constraints a task gets together (its own list's, and a service's or RunTask
  // request's with its task definition's) that no instance satisfies at once.
  void contradictions_across(SetRef at) {
    const ConstraintSet& set = report_.documents[at.document].sets[at.set];
    const std::vector<Checked> own = checked_member_of(set);
    for (std::size_t later = 1; later < own.size(); ++later) {
      for (std::size_t earlier = 0; earlier < later; ++earlier) {
        if (report_conflict(at.document, set, own[earlier], at.document, own[later])) break;
      }
    }
    for (const auto& [d, task_definition] : task_definitions_of(at)) {
      const std::vector<Checked> theirs = checked_member_of(*task_definition);
      for (const Checked& mine : own) {
        for (const Checked& other : theirs) {
          if (report_conflict(d, *task_definition, other, at.document, mine)) break;
        }
      }
    }
  }

  // Reports `second` (in `second_document`) when it contradicts `first`, a constraint of `first_set`.
  // Two constraints that both come from Fn::If branches are never paired: which branches a stack
  // takes together depends on its conditions, which lint does not know.
  bool report_conflict(std::size_t first_document, const ConstraintSet& first_set, const Checked& first,
                       std::size_t second_document, const Checked& second) {
    if (first.constraint->if_branch != 0 && second.constraint->if_branch != 0) return false;
    const auto conflict = detail::conflict_between(first.query, second.query);
    if (!conflict) return false;
    const PlacementConstraint& other = *first.constraint;
    const ConstraintDocument& where = report_.documents[first_document];
    const Span other_span = first.query.ast.node(conflict->first_node).span;
    const LineColumn other_position = other.expression_text_offset
                                          ? position_in(where, *other.expression_text_offset + other_span.begin)
                                          : other.expression_at.position;
    const bool same_list = second_document == first_document &&
                           std::any_of(first_set.constraints.begin(), first_set.constraints.end(),
                                       [&](const PlacementConstraint& c) { return &c == second.constraint; });
    const std::string owner_name = first_set.family.empty() ? first_set.name : first_set.family;
    const std::string owner = same_list ? fmt::format("another constraint of this {}", to_string(first_set.owner))
                                        : fmt::format("a constraint of {} '{}'", to_string(first_set.owner), owner_name);
    const std::string mine = to_string(second.query.ast, conflict->second_node);
    const std::string theirs = to_string(first.query.ast, conflict->first_node);
    Diagnostic d{Severity::error, rule::contradiction_across_constraints,
                 fmt::format("'{}' contradicts '{}' in {}: no instance satisfies both, so the task can never be placed",
                             mine, theirs, owner),
                 second.query.ast.node(conflict->second_node).span, "contradicts another constraint", {}, {}};
    d.notes.push_back(fmt::format("the other constraint is at {}:{}:{}, {}: {}", where.origin, other_position.line,
                                  other_position.column, other.expression_at.path, *other.expression));
    d.notes.push_back("a task gets all these constraints at once: each must hold on the instance it is placed on");
    in_expression(second_document, *second.constraint, std::move(d));
    return true;
  }

  static bool any_satisfies_all(const std::vector<Checked>& list, std::span<const Instance> instances) {
    return std::any_of(instances.begin(), instances.end(), [&](const Instance& instance) {
      return std::all_of(list.begin(), list.end(), [&](const Checked& item) { return evaluate(item.query, instance); });
    });
  }

  void fleet(SetRef at) {
    const std::size_t document = at.document;
    const ConstraintSet& set = report_.documents[document].sets[at.set];
    const std::span<const Instance> instances = *options_.fleet;
    const std::vector<Checked> own = checked_member_of(set);
    bool all_match_alone = true;
    for (const Checked& item : own) {
      const RejectionSummary summary = summarize_rejections(item.query, instances);
      const PlacementConstraint& c = *item.constraint;
      const Span whole{0, static_cast<std::uint32_t>(c.expression->size())};
      if (summary.matched > 0) {
        in_expression(document, c,
                      Diagnostic{Severity::note, rule::fleet_match_count,
                                 fmt::format("{} of {} fleet instances satisfy this constraint", summary.matched,
                                             summary.instances),
                                 whole, {}, {}, {}});
        continue;
      }
      all_match_alone = false;
      Diagnostic d{Severity::error, rule::fleet_no_match,
                   fmt::format("none of the {} fleet instances satisfies this constraint", summary.instances), whole,
                   {}, {}, {}};
      if (const LeafRejections* worst = summary.worst()) {
        d.message = fmt::format("none of the {} fleet instances satisfies this constraint; '{}' rejects {} of them",
                                summary.instances, worst->text, worst->rejected);
        d.span = item.query.ast.node(worst->node).span;
        d.label = fmt::format("false on {} of {} instances", worst->rejected, summary.instances);
        for (const LeafRejections& leaf : summary.leaves) {
          if (&leaf != worst && leaf.rejected > 0) {
            d.notes.push_back(fmt::format("'{}' rejects {} of {}", leaf.text, leaf.rejected, summary.instances));
          }
        }
      }
      in_expression(document, c, std::move(d));
    }
    if (!all_match_alone) return;
    // Together with the task definition's: a task gets both sets of constraints. A constraint in
    // one branch of an If may not apply, so it is left out.
    std::vector<const Checked*> together;
    for (const Checked& item : own) {
      if (item.constraint->if_branch == 0) together.push_back(&item);
    }
    std::vector<std::vector<Checked>> theirs;
    std::string named;
    for (const auto& [d, task_definition] : task_definitions_of(at)) {
      theirs.push_back(checked_member_of(*task_definition));
      named = task_definition->family.empty() ? task_definition->name : task_definition->family;
    }
    for (const std::vector<Checked>& list : theirs) {
      // What the task definition rules out alone is reported where it is written.
      if (!any_satisfies_all(list, instances)) return;
      for (const Checked& item : list) {
        if (item.constraint->if_branch == 0) together.push_back(&item);
      }
    }
    const auto matching = static_cast<std::size_t>(std::count_if(instances.begin(), instances.end(), [&](const Instance& instance) {
      return std::all_of(together.begin(), together.end(), [&](const Checked* item) { return evaluate(item->query, instance); });
    }));
    const std::string whose = theirs.empty() ? fmt::format("this {}", to_string(set.owner))
                                             : fmt::format("this {} and task definition '{}'", to_string(set.owner), named);
    if (together.size() >= 2 && matching == 0) {
      std::vector<std::string> notes;
      for (const Checked* item : together) {
        notes.push_back(fmt::format("'{}' alone: {} of {}", *item->constraint->expression,
                                    summarize_rejections(item->query, instances).matched, instances.size()));
      }
      at_value(document, set.at, Severity::error, rule::fleet_no_match_together,
               fmt::format("no instance of the fleet satisfies the {} memberOf constraints of {} together", together.size(),
                           whose),
               std::move(notes));
      return;
    }
    if (together.size() >= 2) {
      at_value(document, set.at, Severity::note, rule::fleet_match_count_together,
               fmt::format("{} of {} fleet instances satisfy the {} memberOf constraints of {} together", matching,
                           instances.size(), together.size(), whose));
    }
    desired_count(document, set, matching, instances.size(), whose);
  }

  // ECSQ-L034: distinctInstance runs at most one task of the service on each matching instance.
  void desired_count(std::size_t document, const ConstraintSet& set, std::size_t matching, std::size_t instances,
                     const std::string& whose) {
    if (set.owner != ConstraintOwner::service || !set.desired_count || *set.desired_count <= 0 ||
        static_cast<std::uint64_t>(*set.desired_count) <= matching) {
      return;
    }
    const bool distinct = std::any_of(set.constraints.begin(), set.constraints.end(), [](const PlacementConstraint& c) {
      return c.computed.empty() && c.if_branch == 0 && c.type == "distinctInstance";
    });
    if (!distinct) return;
    at_value(document, set.desired_count_at, Severity::warning, rule::desired_count_exceeds_distinct_instances,
             fmt::format("desired count {} exceeds the {} fleet instances that satisfy the constraints of {}; with "
                         "distinctInstance at most {} tasks run",
                         *set.desired_count, matching, whose, matching),
             {fmt::format("{} of {} fleet instances satisfy the memberOf constraints; distinctInstance places at most one "
                          "task of the service on each",
                          matching, instances),
              "lower the desired count, add matching instances, or drop distinctInstance"});
  }

  LintReport& report_;
  const LintOptions& options_;
  std::vector<detail::Suppressions> suppressions_;  // by document
};

}  // namespace

std::size_t LintReport::count(Severity severity) const noexcept {
  return static_cast<std::size_t>(std::count_if(findings.begin(), findings.end(),
                                                [&](const LintFinding& f) {
                                                  return f.diagnostic.severity == severity && !f.suppression;
                                                }));
}

std::size_t LintReport::suppressed() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [](const LintFinding& f) { return f.suppression.has_value(); }));
}

bool LintReport::any_unreadable() const noexcept {
  return std::any_of(documents.begin(), documents.end(), [](const ConstraintDocument& d) { return d.unreadable; });
}

LintReport lint(std::vector<ConstraintDocument> documents, const LintOptions& options) {
  LintReport report;
  report.documents = std::move(documents);
  Linter(report, options).run();
  return report;
}

}  // namespace ecsq
