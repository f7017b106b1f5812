// ecsq: check, format, inspect and evaluate ECS cluster query language expressions.
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "ecsq/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ecsq: the Amazon ECS cluster query language (placement constraints and --filter expressions)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ecsq " ECSQ_VERSION_STRING);
  ecsq::cli::add_check_command(app);
  ecsq::cli::add_fmt_command(app);
  ecsq::cli::add_ast_command(app);
  ecsq::cli::add_select_command(app);
  ecsq::cli::add_explain_command(app);
  ecsq::cli::add_lint_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& failure) {
    return failure.get_exit_code();  // a subcommand's verdict (e.g. 1: errors found), already printed
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? ecsq::cli::exit_ok : ecsq::cli::exit_usage;
  }
  return ecsq::cli::exit_ok;
}
