// The baseline a user would write without ecsq's matcher: instances as std::map<string, string>,
// a tree-walking interpreter over the parsed expression, std::regex for =~.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "ecsq/ast.hpp"
#include "ecsq/instance.hpp"

namespace ecsq::bench {

struct NaiveInstance {
  std::string ec2_instance_id;
  bool agent_connected = true;
  std::string agent_version;
  std::optional<std::int64_t> registered_at;
  std::int64_t running_tasks_count = 0;
  std::map<std::string, std::string> attributes;  ///< value-less attributes map to ""
  std::vector<std::string> task_groups;
};

[[nodiscard]] NaiveInstance to_naive(const Instance& instance);

/// A parsed expression with its regexes compiled once (the one optimisation everybody makes).
struct NaiveQuery {
  Ast ast;
  std::vector<std::optional<std::regex>> regexes;  ///< per comparison
};

/// Parses `text`; nullopt if it does not parse.
[[nodiscard]] std::optional<NaiveQuery> naive_compile(std::string_view text);

[[nodiscard]] bool naive_evaluate(const NaiveQuery& query, const NaiveInstance& instance);

}  // namespace ecsq::bench
