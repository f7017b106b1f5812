// `ecsq fmt EXPR...`: the canonical form of each expression, one per line.
#include <iostream>

#include <fmt/format.h>

#include "commands.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"
#include "expressions.hpp"
#include "shell_split.hpp"

namespace ecsq::cli {

void add_fmt_command(CLI::App& app) {
  auto expressions = std::make_shared<std::vector<std::string>>();
  CLI::App* command = app.add_subcommand("fmt", "Print the canonical form of each expression; exit 1 on a parse error");
  command->add_option("expressions", *expressions, "Expressions or constraint strings ('-' reads lines from stdin)")
      ->required();
  command->callback([expressions] {
    const std::vector<std::string> all = expand_expressions(*expressions);
    bool any_error = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const ParseResult result = parse(all[i]);
      if (!result.ok()) {
        any_error = true;
        for (const Diagnostic& d : result.diagnostics) {
          if (d.severity == Severity::error) fmt::print(stderr, "{}", render_text(d, all[i], expression_origin(i, all.size())));
        }
        continue;
      }
      fmt::print("{}\n", to_string(*result.ast));
    }
    std::fflush(stdout);
    if (any_error) {
      print_shell_split_note(*expressions);
      throw CLI::RuntimeError(exit_findings);
    }
  });
}

}  // namespace ecsq::cli
