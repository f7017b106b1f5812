// `ecsq lint [--format text|json|sarif] [--color auto|always|never] [--strict] [--fleet FILE]... FILE...`:
// checks the placement constraints in task definitions, services, RunTask input and CloudFormation
// templates. Exit 0 clean, 1 errors (or warnings with --strict), 2 bad usage or an unreadable file.
// `ecsq lint --explain RULE` says what a lint rule (or a diagnostic code) means.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>

#include <unistd.h>

#include <fmt/format.h>

#include "code_explanation.hpp"
#include "commands.hpp"
#include "expressions.hpp"
#include "ecsq/lint.hpp"
#include "fleet_input.hpp"

namespace ecsq::cli {

namespace {

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  // The informal NO_COLOR convention: set means no colour, whatever the terminal.
  return isatty(fileno(stdout)) != 0 && std::getenv("NO_COLOR") == nullptr;
}

}  // namespace

void add_lint_command(CLI::App& app) {
  struct Options {
    std::string format = "text";
    std::string color = "auto";
    bool strict = false;
    std::string explain;
    std::vector<std::string> fleet;
    std::vector<std::string> files;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "lint", "Check the placement constraints in task definitions, services, RunTask input and CloudFormation templates");
  command->add_option("--format", options->format, "Output format")->check(CLI::IsMember({"text", "json", "sarif"}));
  command->add_option("--color", options->color, "Colour the text output")->check(CLI::IsMember({"auto", "always", "never"}));
  command->add_flag("--strict", options->strict, "Exit 1 on warnings too");
  command->add_option("--fleet", options->fleet,
                      "Container instances (describe-container-instances JSON): also report how many satisfy each "
                      "memberOf constraint; repeatable")
      ->allow_extra_args(false);
  CLI::Option* explain = command->add_option("--explain", options->explain,
                                              "Print what a lint rule or diagnostic code means (ECSQ-L020, E0107)");
  CLI::Option* files = command->add_option("files", options->files, "JSON or YAML files ('-' reads standard input)");
  explain->excludes(files);
  command->callback([options, explain] {
    if (*explain) {
      print_explanation(options->explain);
      return;
    }
    if (options->files.empty()) throw CLI::RequiredError("files");
    if (names_standard_input(options->files) && names_standard_input(options->fleet)) {
      usage_error("standard input can hold a file to lint (-) or a fleet (--fleet -), not both");
    }
    std::optional<std::vector<Instance>> fleet;
    if (!options->fleet.empty()) {
      fleet = load_fleet(options->fleet);
      if (!fleet) throw CLI::RuntimeError(exit_usage);
    }
    std::vector<ConstraintDocument> documents;
    documents.reserve(options->files.size());
    for (const std::string& path : options->files) documents.push_back(read_constraint_file(path));
    LintOptions lint_options;
    if (fleet) lint_options.fleet = std::span<const Instance>(*fleet);
    const LintReport report = lint(std::move(documents), lint_options);
    if (options->format == "json") {
      fmt::print("{}", render_lint_json(report));
    } else if (options->format == "sarif") {
      fmt::print("{}", render_lint_sarif(report));
    } else {
      fmt::print("{}", render_lint_text(report, use_color(options->color)));
    }
    std::fflush(stdout);
    if (report.any_unreadable()) throw CLI::RuntimeError(exit_usage);
    if (report.count(Severity::error) > 0 || (options->strict && report.count(Severity::warning) > 0)) {
      throw CLI::RuntimeError(exit_findings);
    }
  });
}

}  // namespace ecsq::cli
