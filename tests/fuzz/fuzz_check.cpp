// libFuzzer harness: parse + check (regex front end included) never crash, and whatever checks
// evaluates, explains, summarises and lints without crashing on fixed instances, with three
// properties: explain agrees with evaluate, the compiled Matcher agrees with evaluate, and every
// diagnostic's span lies inside the text it points into (renderers index the source with it).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ecsq/check.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/summary.hpp"
#include "fixtures.hpp"

namespace {

void expect_span_inside(const ecsq::Diagnostic& d, std::string_view text, const char* what) {
  if (d.span.begin > d.span.end || d.span.end > text.size() + 1) {
    std::fprintf(stderr, "%s: diagnostic %s span [%u, %u) outside a %zu-byte text\n", what, d.code.c_str(),
                 d.span.begin, d.span.end, text.size());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<ecsq::Instance> instances = ecsq::fuzz::fixed_instances();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const ecsq::CheckResult result = ecsq::check(text);
  for (const ecsq::Diagnostic& d : result.diagnostics) {
    // E0150 points one past the limit, so a span may end at size + 1; nothing else may.
    expect_span_inside(d, text, "check");
    (void)ecsq::render_text(d, text, "fuzz");
    (void)ecsq::render_json(d, text);
  }
  if (!result.ok()) return 0;
  const ecsq::CheckedQuery& query = *result.query;

  for (const ecsq::Instance& instance : instances) {
    const bool value = ecsq::evaluate(query, instance);
    const ecsq::Explanation explanation = ecsq::explain(query, instance);
    if (explanation.result != value) {
      std::fprintf(stderr, "explain says %d, evaluate says %d\n", explanation.result, value);
      std::abort();
    }
    (void)ecsq::render_text(explanation);
  }
  (void)ecsq::summarize_rejections(query, instances);

  ecsq::Fleet fleet(instances);
  ecsq::fuzz::expect_matcher_agrees(query, instances, fleet, "fuzz_check");

  for (const ecsq::Diagnostic& d : ecsq::lint_query(query)) {
    expect_span_inside(d, text, "lint_query");
    (void)ecsq::render_text(d, text);
  }
  return 0;
}
