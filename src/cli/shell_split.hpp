// The hint for an expression the shell split into several arguments (`ecsq check
// attribute:ecs.os-type == linux`): the command line quoted back with the expression as one argument.
#pragma once

#include <string>
#include <vector>

namespace ecsq::cli {

/// Keeps the program's arguments, so that hints can quote the command line back; main calls it once.
void remember_command_line(int argc, const char* const* argv);

/// The note for `expressions` (a command's expression arguments as given) when the shell split one
/// expression: there are two or more, none is `-`, one of them does not parse, and joined with
/// spaces they parse as one expression. Empty otherwise, so intended separate expressions never
/// get it. "the shell split your expression into 3 arguments; quote it: ecsq check 'a == b'".
[[nodiscard]] std::string shell_split_note(const std::vector<std::string>& expressions);

/// Prints shell_split_note(expressions) to stderr as "note: ..." when there is one.
void print_shell_split_note(const std::vector<std::string>& expressions);

/// `word` as a POSIX shell reads it back as one word: as it is when that is safe, else quoted.
[[nodiscard]] std::string shell_quote(const std::string& word);

}  // namespace ecsq::cli
