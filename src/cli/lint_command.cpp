// `ecsq lint [--format text|json|sarif] [--color auto|always|never] [--strict] [--fleet FILE]... FILE...`:
// checks the placement constraints in task definitions, services, RunTask input and CloudFormation
// templates. Exit 0 clean, 1 errors (or warnings with --strict), 2 bad usage or an unreadable file.
// `ecsq lint --explain RULE` says what a lint rule (or a diagnostic code) means; `--list-rules` lists them.
// Rule settings come from `.ecsq-lint.yaml` (found upward from the current directory, or --config),
// then --disable, --enable and --severity, so the command line has the last word.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

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

void list_rules() {
  for (const LintRule& rule : lint_rules()) {
    fmt::print("{}  {:<7}  {:<36}  {}\n", rule.id, to_string(rule.severity), rule.name, rule.summary);
  }
}

// The config file's settings, then the command line's; a problem ends the command (exit 2).
LintRuleSettings rule_settings(const std::string& config, bool no_config, const std::vector<std::string>& disable,
                               const std::vector<std::string>& enable, const std::vector<std::string>& severity) {
  LintRuleSettings settings;
  std::optional<std::filesystem::path> file;
  if (!config.empty()) {
    file = config;
  } else if (!no_config) {
    file = find_lint_config(std::filesystem::current_path());
  }
  if (file) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) usage_error(fmt::format("cannot read the lint config file '{}'", file->string()));
    std::ostringstream text;
    text << in.rdbuf();
    const std::vector<std::string> problems = apply_lint_config(text.str(), settings);
    if (!problems.empty()) {
      for (std::size_t i = 0; i + 1 < problems.size(); ++i) fmt::print(stderr, "error: {}: {}\n", file->string(), problems[i]);
      usage_error(fmt::format("{}: {}", file->string(), problems.back()));
    }
  }
  const auto rule_id = [](const std::string& name) {
    const LintRule* rule = resolve_lint_rule(name);
    if (rule == nullptr) usage_error(unknown_lint_rule_message(name));
    return rule->id;
  };
  for (const std::string& name : disable) settings.disable(rule_id(name));
  for (const std::string& name : enable) settings.enable(rule_id(name));
  for (const std::string& setting : severity) {
    if (const auto problem = apply_severity_setting(setting, settings)) usage_error(fmt::format("--severity {}", *problem));
  }
  return settings;
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
    bool list_rules = false;
    std::vector<std::string> disable;
    std::vector<std::string> enable;
    std::vector<std::string> severity;
    std::string config;
    bool no_config = false;
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
  command->add_flag("--list-rules", options->list_rules, "List the lint rules: id, default severity, name and summary");
  command->add_option("--disable", options->disable, "Turn a rule off (id or name); repeatable")->allow_extra_args(false);
  command->add_option("--enable", options->enable, "Turn a rule back on after the config file disabled it; repeatable")
      ->allow_extra_args(false);
  command->add_option("--severity", options->severity, "RULE=error|warning|note: the severity of a rule's findings; repeatable")
      ->allow_extra_args(false);
  CLI::Option* config = command->add_option("--config", options->config,
                                             "Rule settings file (default: .ecsq-lint.yaml here or in a parent directory)");
  CLI::Option* no_config = command->add_flag("--no-config", options->no_config, "Read no .ecsq-lint.yaml");
  config->excludes(no_config);
  CLI::Option* files = command->add_option("files", options->files, "JSON or YAML files ('-' reads standard input)");
  explain->excludes(files);
  command->callback([options, explain] {
    if (*explain) {
      print_explanation(options->explain);
      return;
    }
    if (options->list_rules) {
      if (!options->files.empty()) usage_error("--list-rules takes no files");
      list_rules();
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
    lint_options.rules = rule_settings(options->config, options->no_config, options->disable, options->enable,
                                       options->severity);
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
