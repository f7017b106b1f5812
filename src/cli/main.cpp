// ecsq: check, format, inspect and evaluate ECS cluster query language expressions.
// An unknown command is caught before CLI11 parses, which would only say that a subcommand is
// required, so the message can name the command that was probably meant.
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "commands.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/version.hpp"
#include "shell_split.hpp"

namespace {

// True if swapping two neighbouring letters of `word` gives `name` ("lnit", "lint"): the commonest
// typo, which edit distance counts twice and so rejects for names as short as the commands.
bool one_transposition_apart(std::string_view word, std::string_view name) {
  std::string lowered(word);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t i = 0; i + 1 < lowered.size(); ++i) {
    std::swap(lowered[i], lowered[i + 1]);
    if (lowered == name) return true;
    std::swap(lowered[i], lowered[i + 1]);
  }
  return false;
}

// "unknown command 'chek'; did you mean 'check'?" when the first word that is not an option
// names no subcommand; empty when it does, or when there is none.
std::string unknown_command_message(const CLI::App& app, int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.starts_with('-')) continue;  // the program's own options take no values
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
      names.push_back(command->get_name());
    }
    std::vector<std::string_view> candidates(names.begin(), names.end());
    for (const std::string_view name : candidates) {
      if (name == word) return {};
    }
    std::string_view meant = ecsq::closest_spelling(word, candidates);
    for (const std::string_view name : candidates) {
      if (meant.empty() && one_transposition_apart(word, name)) meant = name;
    }
    if (!meant.empty()) return fmt::format("unknown command '{}'; did you mean '{}'?", word, meant);
    return fmt::format("unknown command '{}'; the commands are {}", word, fmt::join(candidates, ", "));
  }
  return {};
}

}  // namespace

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
  ecsq::cli::add_place_command(app);
  ecsq::cli::remember_command_line(argc, argv);
  if (const std::string message = unknown_command_message(app, argc, argv); !message.empty()) {
    fmt::print(stderr, "error: {}\n", message);
    return ecsq::cli::exit_usage;
  }
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
