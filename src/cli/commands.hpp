// Each subcommand of the ecsq program registers itself on the application.
#pragma once

#include <cstdio>
#include <string_view>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace ecsq::cli {

/// Exit codes shared by every subcommand (a stable contract for automation).
inline constexpr int exit_ok = 0;
inline constexpr int exit_findings = 1;  ///< an expression, input or lint error
inline constexpr int exit_usage = 2;

/// Prints "error: MESSAGE" to stderr and ends the command with exit_usage.
[[noreturn]] inline void usage_error(std::string_view message) {
  fmt::print(stderr, "error: {}\n", message);
  throw CLI::RuntimeError(exit_usage);
}

void add_check_command(CLI::App& app);
void add_fmt_command(CLI::App& app);
void add_ast_command(CLI::App& app);
void add_select_command(CLI::App& app);
void add_explain_command(CLI::App& app);
void add_lint_command(CLI::App& app);
void add_place_command(CLI::App& app);

}  // namespace ecsq::cli
