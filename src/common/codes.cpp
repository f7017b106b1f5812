// The table of diagnostic codes, expanded from ecsq/codes.inc (the one place each code is
// written). A constexpr array in code order: looking a code up is a short linear scan, done only
// when a person asks (`ecsq check --explain`), never on a hot path.
#include "ecsq/codes.hpp"

#include <array>

namespace ecsq {

namespace {

constexpr std::array codes{
#define ECSQ_CODE(name, id, severity, stage, title, explanation) \
  CodeInfo{id, Severity::severity, CodeStage::stage, title, explanation},
#include "ecsq/codes.inc"
#undef ECSQ_CODE
};

}  // namespace

std::span<const CodeInfo> diagnostic_codes() noexcept { return codes; }

const CodeInfo* find_code(std::string_view code) noexcept {
  for (const CodeInfo& info : codes) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

std::string_view to_string(CodeStage stage) noexcept {
  switch (stage) {
    case CodeStage::parse: return "parse";
    case CodeStage::check: return "check";
    case CodeStage::regex: return "regex";
    case CodeStage::fleet: return "fleet";
    case CodeStage::placement: return "placement";
  }
  return "parse";
}

}  // namespace ecsq
