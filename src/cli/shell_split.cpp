// The shell-split hint. It fires only when joining the arguments with spaces gives an expression
// that parses and some argument alone does not, so several intended expressions (each of which
// parses) never get it. The suggested command is the program's own command line with the pieces
// replaced by one quoted argument, so it can be pasted as it is.
#include "shell_split.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <cstdio>

#include <fmt/format.h>

#include "ecsq/parse.hpp"

namespace ecsq::cli {

namespace {

std::vector<std::string>& command_line() {
  static std::vector<std::string> arguments;
  return arguments;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

// The command line with `pieces` (found as consecutive arguments) replaced by `whole`; just
// `whole` quoted when the pieces are not found there as they are.
std::string suggested_command(const std::vector<std::string>& pieces, const std::string& whole) {
  const std::vector<std::string>& arguments = command_line();
  const auto run = std::search(arguments.begin() + std::min<std::ptrdiff_t>(1, std::ssize(arguments)), arguments.end(),
                               pieces.begin(), pieces.end());
  if (run == arguments.end()) return shell_quote(whole);
  std::string out = "ecsq";
  for (auto it = arguments.begin() + 1; it != arguments.end(); ++it) {
    if (it == run) {
      out += ' ' + shell_quote(whole);
      it += std::ssize(pieces) - 1;
      continue;
    }
    out += ' ' + shell_quote(*it);
  }
  return out;
}

}  // namespace

void remember_command_line(int argc, const char* const* argv) {
  command_line().assign(argv, argv + argc);
}

std::string shell_quote(const std::string& word) {
  const auto safe = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("%+,-./:=@_").find(c) != std::string_view::npos;
  };
  if (!word.empty() && std::all_of(word.begin(), word.end(), safe)) return word;
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shell_split_note(const std::vector<std::string>& expressions) {
  if (expressions.size() < 2) return {};
  if (std::find(expressions.begin(), expressions.end(), "-") != expressions.end()) return {};
  const bool some_piece_fails =
      std::any_of(expressions.begin(), expressions.end(), [](const std::string& piece) { return !parse(piece).ok(); });
  if (!some_piece_fails) return {};
  const std::string whole = joined(expressions);
  if (!parse(whole).ok()) return {};
  return fmt::format("the shell split your expression into {} arguments; quote it: {}", expressions.size(),
                     suggested_command(expressions, whole));
}

void print_shell_split_note(const std::vector<std::string>& expressions) {
  const std::string note = shell_split_note(expressions);
  if (!note.empty()) fmt::print(stderr, "note: {}\n", note);
}

}  // namespace ecsq::cli
