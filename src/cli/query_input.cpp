// select's and explain's expressions: each argument and --constraint is checked on its own (so
// diagnostics point into what was typed), then the parts are joined into one expression for the
// explanation tree and the rejection summary. distinctInstance becomes `not(task:group == GROUP)`,
// which is what it means for the task group given with --group.
#include "query_input.hpp"

#include <fmt/format.h>

#include "commands.hpp"
#include "ecsq/print.hpp"
#include "expressions.hpp"
#include "shell_split.hpp"

namespace ecsq::cli {

namespace {

struct Part {
  std::string text;
  std::string origin;  // "expression 2", "--constraint 1"; empty when it is the only part
};

std::vector<Part> parts_of(const QueryArguments& arguments) {
  const std::vector<std::string> expressions = expand_expressions(arguments.expressions);
  const std::size_t count = expressions.size() + arguments.constraints.size();
  std::vector<Part> parts;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    parts.push_back({expressions[i], count > 1 ? fmt::format("expression {}", i + 1) : std::string()});
  }
  for (std::size_t i = 0; i < arguments.constraints.size(); ++i) {
    parts.push_back({arguments.constraints[i], count > 1 ? fmt::format("--constraint {}", i + 1) : std::string()});
  }
  return parts;
}

// distinctInstance for `group`: the instances that run no task of the group.
CheckedQuery distinct_instance(const std::string& group) {
  if (group.empty()) {
    usage_error(
        "distinctInstance needs --group GROUP, the task group it keeps apart (e.g. --group service:web): it "
        "excludes the instances that already run a task of that group");
  }
  CheckResult result = check(fmt::format("not(task:group == {})", quote_value(group)));
  // A group holding both quote characters has no spelling in the language (values have no escapes).
  if (!result.ok() || result.query->comparisons.front().strings != std::vector<std::string>{group}) {
    usage_error(fmt::format("--group '{}' cannot be written as a value of the query language", group));
  }
  return std::move(*result.query);
}

// The parts' expressions ANDed, as text: memberOf(EXPR) contributes EXPR, an empty part nothing.
std::string conjunction(const std::vector<CheckedQuery>& parts) {
  std::string out;
  for (const CheckedQuery& part : parts) {
    const Ast& ast = part.ast;
    if (ast.empty()) continue;
    if (!out.empty()) out += " and ";
    const bool parenthesise = ast.node(ast.root).kind == NodeKind::or_;
    out += parenthesise ? "(" + to_string(ast, ast.root) + ")" : to_string(ast, ast.root);
  }
  return out;
}

}  // namespace

void add_query_arguments(CLI::App& command, QueryArguments& arguments) {
  command.add_option("--constraint", arguments.constraints,
                     "A placement constraint: memberOf(EXPR), EXPR or distinctInstance (needs --group); repeatable, "
                     "ANDed with the expressions")
      ->allow_extra_args(false);
  command.add_option("--group", arguments.group,
                     "The task group (service:NAME, family:NAME) that distinctInstance keeps apart");
  command.add_option("expressions", arguments.expressions,
                     "Expressions or constraint strings, ANDed ('-' reads one per line from stdin)");
}

std::optional<LoadedQuery> load_query(std::string_view command, const QueryArguments& arguments) {
  if (arguments.expressions.empty() && arguments.constraints.empty()) {
    throw CLI::RequiredError(fmt::format("{}: an expression or --constraint", command));
  }
  const std::vector<Part> parts = parts_of(arguments);
  if (parts.empty()) usage_error("standard input held no expression");
  LoadedQuery loaded;
  bool any_error = false;
  bool any_distinct_instance = false;
  for (const Part& part : parts) {
    CheckResult result = check(part.text);
    for (const Diagnostic& d : result.diagnostics) fmt::print(stderr, "{}", render_text(d, part.text, part.origin));
    if (!result.ok()) {
      any_error = true;
      continue;
    }
    if (result.query->ast.form == ConstraintForm::distinct_instance) {
      any_distinct_instance = true;
      loaded.parts.push_back(distinct_instance(arguments.group));
    } else {
      loaded.parts.push_back(std::move(*result.query));
    }
  }
  if (any_error) {
    print_shell_split_note(arguments.expressions);
    return std::nullopt;
  }
  if (!arguments.group.empty() && !any_distinct_instance) {
    fmt::print(stderr, "warning: --group has no effect without distinctInstance\n");
  }
  if (loaded.parts.size() == 1) {
    loaded.combined = loaded.parts.front();
    loaded.text = parts.front().text;
    return loaded;
  }
  loaded.text = conjunction(loaded.parts);
  CheckResult combined = check(loaded.text);
  // Each part passed on its own, so only a limit on the whole (length, depth) can fail here.
  for (const Diagnostic& d : combined.diagnostics) {
    if (d.severity == Severity::error) fmt::print(stderr, "{}", render_text(d, loaded.text, "the expressions ANDed"));
  }
  if (!combined.ok()) return std::nullopt;
  loaded.combined = std::move(*combined.query);
  return loaded;
}

}  // namespace ecsq::cli
