// Inline suppression comments in YAML files (contract §7): `# ecsq-lint: disable=RULE[,RULE] reason`
// covers its own line, or the next line holding more than a comment when it stands alone;
// `# ecsq-lint: disable-file=RULE[,RULE] reason` covers the whole file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ecsq/constraint.hpp"

namespace ecsq::detail {

struct Suppression {
  std::vector<std::string> rules;  ///< rule ids
  std::string reason;              ///< the text after the rules, trimmed; may be empty
  std::uint32_t line = 0;          ///< the line whose findings it covers; 0: the whole file
};

struct Suppressions {
  std::vector<Suppression> items;
  std::vector<DocumentDiagnostic> problems;  ///< ECSQ-L053: comments naming no rule or an unknown one
};

/// The suppression comments of a YAML document (JSON has no comments: nothing).
[[nodiscard]] Suppressions read_suppressions(const ConstraintDocument& document);

}  // namespace ecsq::detail
