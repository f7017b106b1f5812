// libFuzzer harness: the linter on arbitrary file contents (JSON when it starts with '{' or '[',
// else YAML): reading, every rule (with a fleet, so the fleet rules run too) and the three
// reports. Property: the JSON and SARIF reports are valid JSON whatever bytes the file held.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "ecsq/constraint.hpp"
#include "ecsq/lint.hpp"
#include "fixtures.hpp"

namespace {

void expect_json(const std::string& report, const char* what) {
  static simdjson::dom::parser parser;
  const simdjson::padded_string padded(report);
  if (const auto error = parser.parse(padded).error()) {
    std::fprintf(stderr, "%s report is not valid JSON (%s):\n%s\n", what, simdjson::error_message(error),
                 report.c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<ecsq::Instance> instances = ecsq::fuzz::fixed_instances();
  std::string text(reinterpret_cast<const char*>(data), size);

  std::vector<ecsq::ConstraintDocument> documents;
  documents.push_back(ecsq::read_constraint_document(std::move(text), "fuzz"));
  ecsq::LintOptions options;
  options.fleet = std::span<const ecsq::Instance>(instances);
  const ecsq::LintReport report = ecsq::lint(std::move(documents), options);

  (void)ecsq::render_lint_text(report, true);
  expect_json(ecsq::render_lint_json(report), "JSON");
  expect_json(ecsq::render_lint_sarif(report), "SARIF");
  return 0;
}
