// Expressions named on the command line; `-` reads one per line from standard input (once).
#include "expressions.hpp"

#include <algorithm>
#include <iostream>

#include <fmt/format.h>

namespace ecsq::cli {

std::vector<std::string> expand_expressions(const std::vector<std::string>& arguments) {
  std::vector<std::string> out;
  bool stdin_read = false;
  for (const std::string& argument : arguments) {
    if (argument != "-") {
      out.push_back(argument);
      continue;
    }
    if (stdin_read) continue;  // standard input can be read only once
    stdin_read = true;
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      out.push_back(line);
    }
  }
  return out;
}

bool names_standard_input(const std::vector<std::string>& arguments) {
  return std::find(arguments.begin(), arguments.end(), "-") != arguments.end();
}

std::string expression_origin(std::size_t index, std::size_t count) {
  return count <= 1 ? std::string() : fmt::format("expression {}", index + 1);
}

}  // namespace ecsq::cli
