// `ecsq check [--format text|json] EXPR...`: parse and check; exit 1 if any expression has an error.
// `ecsq check --explain CODE` says what a diagnostic code means.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "code_explanation.hpp"
#include "commands.hpp"
#include "common/json_writer.hpp"
#include "ecsq/check.hpp"
#include "ecsq/print.hpp"
#include "expressions.hpp"
#include "shell_split.hpp"

namespace ecsq::cli {

namespace {

std::string json_result(const std::string& expression, const CheckResult& result) {
  detail::JsonWriter json;
  json.start_object()
      .member("expression", expression)
      .member("valid", result.ok())
      .member("canonical", result.query ? std::optional(to_string(result.query->ast)) : std::nullopt);
  json.key("diagnostics").start_array();
  for (const Diagnostic& d : result.diagnostics) json.raw_value(render_json(d, expression));
  json.end_array().end_object();
  return json.take();
}

}  // namespace

void add_check_command(CLI::App& app) {
  struct Options {
    std::string format = "text";
    std::string explain;
    std::vector<std::string> expressions;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("check", "Parse and check expressions; exit 1 if any has an error");
  command->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  CLI::Option* explain = command->add_option("--explain", options->explain,
                                              "Print what a diagnostic code or lint rule means (E0107, ECSQ-L020)");
  CLI::Option* expressions =
      command->add_option("expressions", options->expressions, "Expressions or constraint strings ('-' reads lines from stdin)");
  explain->excludes(expressions);
  command->callback([options, explain] {
    if (*explain) {
      print_explanation(options->explain);
      return;
    }
    if (options->expressions.empty()) throw CLI::RequiredError("expressions");
    const std::vector<std::string> expressions = expand_expressions(options->expressions);
    bool any_error = false;
    for (std::size_t i = 0; i < expressions.size(); ++i) {
      const std::string& expression = expressions[i];
      const CheckResult result = check(expression);
      any_error = any_error || !result.ok();
      if (options->format == "json") {
        fmt::print("{}\n", json_result(expression, result));
        continue;
      }
      const std::string origin = expression_origin(i, expressions.size());
      for (const Diagnostic& d : result.diagnostics) fmt::print("{}", render_text(d, expression, origin));
      if (result.ok()) fmt::print("ok: {}\n", to_string(result.query->ast));
    }
    std::fflush(stdout);
    if (any_error) {
      print_shell_split_note(options->expressions);
      throw CLI::RuntimeError(exit_findings);
    }
  });
}

}  // namespace ecsq::cli
