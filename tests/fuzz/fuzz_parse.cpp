// libFuzzer harness: the parser never crashes, and whatever parses prints canonically and
// re-parses to the same tree (printing is idempotent).
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <string_view>

#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const ecsq::ParseResult first = ecsq::parse(text);
  for (const ecsq::Diagnostic& d : first.diagnostics) {
    (void)ecsq::render_text(d, text);
    (void)ecsq::render_json(d, text);
  }
  if (!first.ok()) return 0;
  const std::string printed = ecsq::to_string(*first.ast);
  const ecsq::ParseResult second = ecsq::parse(printed);
  if (!second.ok() || !ecsq::same_tree(*first.ast, *second.ast) || ecsq::to_string(*second.ast) != printed) {
    std::fprintf(stderr, "round trip failed:\n  input:   %.*s\n  printed: %s\n", static_cast<int>(size),
                 reinterpret_cast<const char*>(data), printed.c_str());
    std::abort();
  }
  return 0;
}
