// Hostile input: every stage ends in a correct answer or a coded diagnostic, never a crash, a hang
// or unbounded memory. Bounds quoted in comments were measured on the 2-core development machine
// (release build unless ASan is named); they are documentation, not assertions.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/constraint.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/matcher.hpp"
#include "ecsq/parse.hpp"
#include "ecsq/print.hpp"
#include "ecsq/regex.hpp"
#include "common/utf8.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::checked;
using ecsq::testing::codes;

namespace {

// The first error's code, or "" when there is none.
std::string error_code(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::error) return d.code;
  }
  return {};
}

bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); i += detail::utf8_sequence_length(text, i)) {
    if (!detail::utf8_valid_at(text, i)) return false;
  }
  return true;
}

// Valid UTF-8 without control characters but newline and tab: safe to print on a terminal.
bool terminal_safe(std::string_view text) {
  if (!valid_utf8(text)) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) return false;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0) return false;
  }
  return true;
}

Instance with_attribute(std::string name, std::optional<std::string> value) {
  Instance instance;
  instance.ec2_instance_id = "i-1";
  instance.set_attribute(std::move(name), std::move(value));
  return instance;
}

// Both engines: the reference evaluator and a Matcher compiled over a one-instance Fleet.
bool holds(const CheckedQuery& query, const Instance& instance) {
  const bool reference = evaluate(query, instance);
  const std::vector<Instance> one{instance};
  Fleet fleet(one);
  const Matcher matcher = compile(query, fleet);
  CHECK(matcher.matches(fleet, 0) == reference);
  CHECK(explain(query, instance).result == reference);
  return reference;
}

}  // namespace

// ---- Expression size ---------------------------------------------------------------------------

TEST_CASE("a 64 KiB expression is accepted, one byte more is E0150", "[hostile]") {
  const std::string prefix = "attribute:x == ";
  const std::string value(64 * 1024 - prefix.size(), 'v');
  const std::string at_limit = prefix + value;
  REQUIRE(at_limit.size() == 64 * 1024);

  const CheckedQuery query = checked(at_limit);
  CHECK(holds(query, with_attribute("x", value)));
  CHECK_FALSE(holds(query, with_attribute("x", value + "v")));
  CHECK(to_string(query.ast) == at_limit);

  const std::string over = at_limit + "v";
  const ParseResult rejected = parse(over);
  REQUIRE_FALSE(rejected.ok());
  REQUIRE(codes(rejected.diagnostics) == std::vector<std::string>{"E0150"});
  CHECK(rejected.diagnostics[0].message == "expression is 65537 bytes long; the limit is 65536");
  CHECK(rejected.diagnostics[0].span.begin == 64 * 1024);
  CHECK(valid_utf8(render_text(rejected.diagnostics[0], over)));
}

TEST_CASE("a 64 KiB flat chain of or does not recurse", "[hostile]") {
  // 2 700 comparisons: parse + check + evaluate + print take about 10 ms.
  std::string text = "attribute:k == v0";
  for (int i = 1; text.size() + 24 < 64 * 1024; ++i) text += fmt::format(" or attribute:k == v{}", i);
  const CheckedQuery query = checked(text);
  const std::size_t n = query.comparisons.size();
  REQUIRE(n > 2500);
  REQUIRE(query.ast.nodes[query.ast.root].kind == NodeKind::or_);
  CHECK(query.ast.nodes[query.ast.root].count == n);
  CHECK(holds(query, with_attribute("k", fmt::format("v{}", n - 1))));
  CHECK_FALSE(holds(query, with_attribute("k", fmt::format("v{}", n))));
  CHECK(to_string(query.ast) == text);
  CHECK(explain(query, with_attribute("k", "v0")).lines.size() == n + 1);
}

// ---- Nesting -----------------------------------------------------------------------------------

TEST_CASE("nesting 10 000 deep is E0151 at the first level too deep", "[hostile]") {
  const std::size_t n = 10000;
  struct Shape {
    const char* name;
    std::string text;
    std::uint32_t too_deep;  // byte offset of the 65th opener
  };
  std::string nots;
  std::string not_parens;
  for (std::size_t i = 0; i < n; ++i) nots += "not ";
  for (std::size_t i = 0; i < n; ++i) not_parens += "not(";
  const std::vector<Shape> shapes{
      {"parentheses", std::string(n, '(') + "a exists" + std::string(n, ')'), 64},
      {"not", nots + "a exists", 64 * 4},
      {"!", std::string(n, '!') + "a exists", 64},
      {"not(", not_parens + "a exists" + std::string(n, ')'), 64 * 4},
  };
  for (const Shape& shape : shapes) {
    INFO(shape.name);
    const ParseResult result = parse(shape.text);
    REQUIRE_FALSE(result.ok());
    REQUIRE(error_code(result.diagnostics) == "E0151");
    CHECK(result.diagnostics.back().message == "expression nested deeper than 64 levels");
    CHECK(result.diagnostics.back().span.begin == shape.too_deep);
    CHECK(error_code(check(shape.text).diagnostics) == "E0151");
  }
}

TEST_CASE("raising max_depth cannot exhaust the stack: the parser caps it at 256", "[hostile]") {
  // Measured: a level of not( costs about 0.9 KB of stack in release and up to 10 KB under
  // ASan + UBSan; uncapped, 2 000 levels overflowed 8 MB under ASan and 9 200 in release.
  ParseOptions deep;
  deep.max_depth = 1000000;
  const auto nested = [](std::size_t n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += "not(";
    return text + "attribute:a exists" + std::string(n, ')');
  };

  const CheckedQuery at_cap = checked(nested(256), deep);
  Instance instance = with_attribute("a", std::nullopt);
  CHECK(holds(at_cap, instance));  // an even number of nots
  CHECK(to_string(at_cap.ast) == nested(256));

  const ParseResult over = parse(nested(257), deep);
  REQUIRE(error_code(over.diagnostics) == "E0151");
  CHECK(over.diagnostics.back().message == "expression nested deeper than 256 levels");
  CHECK(over.diagnostics.back().notes == std::vector<std::string>{"the limit is ParseOptions::max_depth, at most 256"});

  const ParseResult far_over = parse(std::string(100000, '(') + "a exists" + std::string(100000, ')'),
                                     ParseOptions{1 << 20, 1000000, true});
  CHECK(error_code(far_over.diagnostics) == "E0151");
}

TEST_CASE("brackets nested 10 000 deep in a bare value are E0118", "[hostile]") {
  const std::size_t n = 10000;
  for (const auto& [open, close] : {std::pair{'(', ')'}, std::pair{'[', ']'}, std::pair{'{', '}'}}) {
    const std::string brackets = std::string(n, open) + std::string(n, close);
    for (const std::string& text : {"attribute:x == " + brackets, "attribute:x in [a, " + brackets + "]",
                                    "attribute:x =~ " + brackets}) {
      INFO(text.substr(0, 40));
      const ParseResult result = parse(text);
      REQUIRE(error_code(result.diagnostics) == "E0118");
      // The 65th opener is the first one too many.
      CHECK(result.diagnostics.back().span.begin == text.find(brackets) + 64);
    }
  }
  // 64 levels is a value.
  const std::string value = std::string(64, '{') + std::string(64, '}');
  const CheckedQuery query = checked("attribute:x == " + value);
  CHECK(holds(query, with_attribute("x", value)));
}

// ---- Long lists --------------------------------------------------------------------------------

TEST_CASE("a 100 000-item list: E0150 by default, correct with the limit raised", "[hostile]") {
  // About 1.1 MB of text; parse + check + evaluate take about 0.1 s (1 s under ASan).
  const std::size_t n = 100000;
  std::string text = "attribute:x in [";
  for (std::size_t i = 0; i < n; ++i) text += fmt::format("{}item-{}", i == 0 ? "" : ", ", i);
  text += "]";

  CHECK(codes(check(text).diagnostics) == std::vector<std::string>{"E0150"});

  ParseOptions roomy;
  roomy.max_input_bytes = 2 * 1024 * 1024;
  const CheckedQuery query = checked(text, roomy);
  REQUIRE(query.comparisons.size() == 1);
  CHECK(query.comparisons[0].strings.size() == n);
  CHECK(holds(query, with_attribute("x", "item-0")));
  CHECK(holds(query, with_attribute("x", "item-99999")));
  CHECK(holds(query, with_attribute("x", "item-54321")));
  CHECK_FALSE(holds(query, with_attribute("x", "item-100000")));
  CHECK_FALSE(holds(query, with_attribute("x", "item")));

  const std::string negated = "attribute:x !in " + text.substr(text.find('['));
  const CheckedQuery complement = checked(negated, roomy);
  CHECK_FALSE(holds(complement, with_attribute("x", "item-77777")));
  CHECK(holds(complement, with_attribute("x", "other")));
  CHECK(parse(to_string(query.ast), roomy).ok());
}

// ---- Regular expressions -----------------------------------------------------------------------

TEST_CASE("catastrophic backtracking patterns run in linear time on 100 KB values", "[hostile]") {
  // Java's backtracking engine needs exponential time on these; RE2 is linear: each of the
  // matches below takes about 1 ms per 100 KB (10 ms under ASan).
  const std::string as(100000, 'a');
  const std::string xs(100000, 'x');
  struct Case {
    const char* pattern;
    std::string value;
    bool matches;
  };
  const std::vector<Case> cases{
      {"(a+)+$", as, true},           {"(a+)+$", as + "b", false},
      {"((a+)+)+b", as, false},       {"((a+)+)+b", as + "b", true},
      {"(a|aa)*c", as, false},        {"(a|aa)*c", as + "c", true},
      {"(x+x+)+y", xs, false},        {"(x+x+)+y", xs + "y", true},
      {"(a|a?)+", as, true},          {"(.*a){20}", as, true},
  };
  for (const Case& c : cases) {
    INFO(c.pattern << " on " << c.value.size() << " bytes");
    const CheckedQuery query = checked(fmt::format("attribute:v =~ '{}'", c.pattern));
    CHECK(holds(query, with_attribute("v", c.value)) == c.matches);
    const CheckedQuery negated = checked(fmt::format("attribute:v !~ '{}'", c.pattern));
    CHECK(holds(negated, with_attribute("v", c.value)) == !c.matches);
  }
}

TEST_CASE("a pattern whose program outgrows the budget is E0321, or matches correctly", "[hostile]") {
  // (.*){1,1000} unrolls to a thousand copies of .*; RE2 sizes its program before running it,
  // so the budget (RegexOptions::max_memory_bytes) bounds memory whatever the pattern. Matching
  // is linear in the text but proportional to the program too, so this test keeps to 10 KB to stay
  // quick under ASan (ecsq_hostile measures 100 KB in a release build: docs/limits.md).
  const std::string as(10000, 'a');
  for (const char* pattern : {"(.*){1,1000}", "((a{1,100}){1,100}){1,100}", "[\\w\\W]{1000}{1000}"}) {
    INFO(pattern);
    const CheckResult result = check(fmt::format("attribute:v =~ '{}'", pattern));
    if (result.ok()) {
      const std::string_view p = pattern;
      const bool expected = p == "(.*){1,1000}";  // matches anything; the others need a length this value has not
      CHECK(holds(*result.query, with_attribute("v", as)) == expected);
    } else {
      const std::string code = error_code(result.diagnostics);
      CHECK(code.rfind("E03", 0) == 0);
      CHECK_FALSE(result.diagnostics.back().message.empty());
    }
  }
  // With a larger budget the first one compiles and answers.
  CheckOptions roomy;
  roomy.regex.max_memory_bytes = std::int64_t{256} << 20;
  const CheckedQuery query = checked("attribute:v =~ '(.*){1,1000}'", {}, roomy);
  CHECK(holds(query, with_attribute("v", "anything at all")));
}

TEST_CASE("a pattern over max_pattern_bytes is E0320, raising the limit accepts it", "[hostile]") {
  const std::string pattern(5000, 'a');
  const std::string text = "attribute:v =~ " + pattern;
  CHECK(error_code(check(text).diagnostics) == "E0320");
  CheckOptions roomy;
  roomy.regex.max_pattern_bytes = 8192;
  const CheckedQuery query = checked(text, {}, roomy);
  CHECK(holds(query, with_attribute("v", pattern)));
  CHECK_FALSE(holds(query, with_attribute("v", pattern + "a")));
}

TEST_CASE("the regex front end on hostile patterns: coded errors, never a crash", "[hostile]") {
  const std::vector<std::string> patterns{
      std::string(10000, '('),  std::string(10000, ')'), std::string(2000, '[') + std::string(2000, ']'),
      std::string(4000, '*'),   "a{2147483648}",         "a{1000000}",
      "a{99999999999999999999}", "\\",                   "[",
      "\\Q" + std::string(3000, 'x'),                     "(?<" + std::string(3000, 'n') + ">a)",
      "\\p{" + std::string(3000, 'L') + "}",              "[a-\\uFFFF&&[^\\x00-\\x{10FFFF}]]",
      "\\x{110000}",            std::string("a\0b", 3),  "\xff\xfe",
      "(?x)" + std::string(3000, '#'),
  };
  for (const std::string& pattern : patterns) {
    INFO(pattern.substr(0, 40));
    const auto compiled = Regex::compile(pattern);
    if (const auto* error = std::get_if<RegexError>(&compiled)) {
      CHECK(error->code.rfind("E03", 0) == 0);
      CHECK(error->offset <= pattern.size());
    } else {
      const Regex& regex = std::get<Regex>(compiled);
      (void)regex.full_match(std::string(1000, 'a'));
      CHECK(regex.java_pattern() == pattern);
    }
  }
}

// ---- Bytes that are not text -------------------------------------------------------------------

TEST_CASE("invalid UTF-8 and NUL bytes in expressions are E0152 and E0153", "[hostile]") {
  struct Case {
    std::string text;
    const char* code;
    std::uint32_t at;
  };
  const std::vector<Case> cases{
      {"attribute:x == caf\xff", "E0152", 18},
      {"attribute:x == \xc3", "E0152", 15},               // truncated sequence at the end
      {"attribute:x == \xc0\xaf", "E0152", 15},           // overlong '/'
      {"attribute:x == \xed\xa0\x80", "E0152", 15},       // UTF-16 surrogate
      {"attribute:x == \xf4\x90\x80\x80", "E0152", 15},   // past U+10FFFF
      {"\xef\xbb\xbf" "attribute:x exists", "", 0},       // a byte order mark is a character, not a subject
      {std::string("attribute:x == a\0b", 18), "E0153", 16},
      {std::string("\0", 1), "E0153", 0},
      {"attribute:x == 'a\x1b[31mred'", "E0153", 17},
      {"attribute:x == a\x7f", "E0153", 16},
  };
  for (const Case& c : cases) {
    INFO(json_quote(c.text));
    const CheckResult result = check(c.text);
    REQUIRE_FALSE(result.ok());
    const Diagnostic& d = result.diagnostics.back();
    if (*c.code != '\0') {
      CHECK(d.code == c.code);
      CHECK(d.span.begin == c.at);
    }
    // Rendering echoes the source line: it must not pass raw bytes or escape sequences through.
    CHECK(valid_utf8(render_json(d, c.text)));
    CHECK(terminal_safe(render_text(d, c.text, "origin")));
  }
}

TEST_CASE("invalid UTF-8 and NUL bytes in attribute values evaluate consistently", "[hostile]") {
  for (const std::string& value : {std::string("caf\xff"), std::string("a\0b", 3), std::string("\xc3"),
                                  std::string(100000, '\xff')}) {
    INFO(json_quote(value.substr(0, 10)));
    const Instance instance = with_attribute("x", value);
    CHECK(holds(checked("attribute:x exists"), instance));
    CHECK_FALSE(holds(checked("attribute:x == caf"), instance));
    CHECK(holds(checked("attribute:x != caf"), instance));
    // =~ and !~ are exact complements whatever RE2 makes of the bytes.
    for (const char* pattern : {".*", "(?s).*", "a.b", "caf.", "[^a]*", "\\C*"}) {
      const CheckResult positive = check(fmt::format("attribute:x =~ '{}'", pattern));
      if (!positive.ok()) continue;  // \C (any byte) is RE2-only: the Java front end may refuse it
      const bool yes = holds(*positive.query, instance);
      CHECK(holds(checked(fmt::format("attribute:x !~ '{}'", pattern)), instance) == !yes);
    }
    const Explanation explanation = explain(checked("attribute:x == caf"), instance);
    REQUIRE(explanation.lines.size() == 1);
    CHECK(valid_utf8(explanation.lines[0].observed));
    CHECK(valid_utf8(render_text(explanation)));
  }
  CHECK(holds(checked("attribute:x =~ 'a.b'"), with_attribute("x", std::string("a\0b", 3))));
}

TEST_CASE("invalid UTF-8 and NUL bytes in fleet JSON", "[hostile]") {
  SECTION("a raw invalid byte is E0401 at that byte") {
    const std::string json = "[{\"ec2InstanceId\":\"i-\xff\"}]";
    const FleetReadResult result = read_fleet_json(json, "bad.json");
    CHECK_FALSE(result.fleet);
    REQUIRE(codes(result) == std::vector<std::string>{"E0401"});
    CHECK(result.diagnostics[0].diagnostic.span.begin == json.find('\xff'));
    CHECK(terminal_safe(render_diagnostics(result)));
  }
  SECTION("a raw escape sequence is E0401 and is not echoed to the terminal") {
    const std::string json = "[{\"ec2InstanceId\":\"\x1b]0;owned\x07\x1b[2J\xc2\x9b" "31m\"}]";
    const FleetReadResult result = read_fleet_json(json, "escape.json");
    CHECK_FALSE(result.fleet);
    CHECK(codes(result) == std::vector<std::string>{"E0401"});
    const std::string rendered = render_diagnostics(result);
    CHECK(terminal_safe(rendered));
    CHECK(rendered.find("]0;owned") != std::string::npos);  // the rest of the line is still shown
  }
  SECTION("a raw NUL byte is E0401") {
    const std::string json("[{\"ec2InstanceId\":\"i-\0\"}]", 24);
    const FleetReadResult result = read_fleet_json(json);
    CHECK_FALSE(result.fleet);
    CHECK(codes(result) == std::vector<std::string>{"E0401"});
  }
  SECTION("an escaped NUL is a character of the value") {
    const std::string json = R"([{"ec2InstanceId":"i-1","attributes":[{"name":"x","value":"a\u0000b"}]}])";
    const FleetReadResult result = read_fleet_json(json);
    REQUIRE(result.fleet);
    const Instance& instance = result.fleet->instances.at(0);
    REQUIRE(instance.find_attribute("x") != nullptr);
    CHECK(*instance.find_attribute("x")->value == std::string("a\0b", 3));
    CHECK(holds(checked("attribute:x =~ 'a.b'"), instance));
  }
  SECTION("a lone surrogate escape is E0401") {
    const FleetReadResult result = read_fleet_json(R"([{"ec2InstanceId":"i-\ud800"}])");
    CHECK_FALSE(result.fleet);
    CHECK(codes(result) == std::vector<std::string>{"E0401"});
  }
  SECTION("UTF-16 is E0401 with a note") {
    const std::string json("\xff\xfe[\0]\0", 6);
    const FleetReadResult result = read_fleet_json(json);
    CHECK_FALSE(result.fleet);
    REQUIRE(codes(result) == std::vector<std::string>{"E0401"});
    CHECK_FALSE(result.diagnostics[0].diagnostic.notes.empty());
  }
}

// ---- Big and deep JSON -------------------------------------------------------------------------

namespace {

// n instances: every third linux, the rest windows; runningTasksCount = i % 10; every fifth runs a
// task of group "web" (through a describe-tasks array in the same document).
std::string generated_fleet(std::size_t n) {
  std::string json;
  json.reserve(n * 190);
  json += "{\"containerInstances\":[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) json += ',';
    json += fmt::format(
        R"({{"ec2InstanceId":"i-{0:08x}","containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/{0}",)"
        R"("agentConnected":true,"versionInfo":{{"agentVersion":"1.{1}.0"}},"registeredAt":{2}.5,"runningTasksCount":{3},)"
        R"("attributes":[{{"name":"ecs.os-type","value":"{4}"}},{{"name":"ecs.capability.task-eni"}}]}})",
        i, i % 80, 1500000000 + i, i % 10, i % 3 == 0 ? "linux" : "windows");
  }
  json += "],\"tasks\":[";
  for (std::size_t i = 0; i < n; i += 5) {
    if (i != 0) json += ',';
    json += fmt::format(R"({{"containerInstanceArn":"arn:aws:ecs:us-east-1:1:container-instance/{}","group":"web",)"
                        R"("desiredStatus":"RUNNING"}})",
                        i);
  }
  json += "]}";
  return json;
}

}  // namespace

TEST_CASE("a fleet of 100 000 instances reads, counts and selects", "[hostile]") {
  // 22 MB of JSON. Measured: read 0.5 s, Fleet store 0.2 s, select 1 ms (about 10x under ASan).
  // Full-size time and memory (1 000 000 instances) are measured by ecsq_hostile: docs/limits.md.
  const std::size_t n = 100000;
  const FleetReadResult result = read_fleet_json(generated_fleet(n), "generated.json");
  INFO(render_diagnostics(result).substr(0, 2000));
  REQUIRE(result.fleet);
  const std::vector<Instance>& instances = result.fleet->instances;
  REQUIRE(instances.size() == n);
  CHECK(instances[12345].ec2_instance_id == fmt::format("i-{:08x}", 12345));
  CHECK(instances[12345].registered_at == Instant{1500012345});

  std::size_t linux_count = 0;
  std::size_t expected_busy_web = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 3 == 0) ++linux_count;
    if (i % 5 == 0 && i % 3 == 0 && i % 10 >= 5) ++expected_busy_web;
  }
  Fleet fleet(instances);
  const auto count = [&](std::string_view text) {
    const CheckedQuery query = checked(text);
    const std::size_t selected = compile(query, fleet).count(fleet);
    std::size_t reference = 0;
    for (const Instance& instance : instances) reference += evaluate(query, instance) ? 1 : 0;
    CHECK(selected == reference);
    return selected;
  };
  CHECK(count("attribute:ecs.os-type == linux") == linux_count);
  CHECK(count("attribute:ecs.os-type == linux and task:group == web and runningTasksCount >= 5") == expected_busy_web);
  CHECK(count("attribute:ecs.capability.task-eni exists") == n);
  CHECK(count("ec2InstanceId =~ 'i-0000fff.*'") == 16);
  CHECK(count("agentVersion < 1.10.0") == n / 80 * 10);
}

TEST_CASE("JSON nested 10 000 and 100 000 deep is E0401", "[hostile]") {
  // simdjson stops at 1024 levels (its DEFAULT_MAX_DEPTH) without recursing past them.
  for (const std::size_t n : {std::size_t{1025}, std::size_t{10000}, std::size_t{100000}}) {
    std::string objects;
    for (std::size_t i = 0; i < n; ++i) objects += "{\"a\":";
    objects += "1" + std::string(n, '}');
    for (const std::string& json : {std::string(n, '[') + std::string(n, ']'), objects,
                                    std::string(n, '[')}) {
      INFO(n << " " << json.substr(0, 10));
      const FleetReadResult result = read_fleet_json(json);
      CHECK_FALSE(result.fleet);
      CHECK(codes(result) == std::vector<std::string>{"E0401"});
      (void)render_diagnostics(result);
    }
  }
}

TEST_CASE("deep JSON and YAML in lint input are ECSQ-L001", "[hostile]") {
  const std::size_t n = 10000;
  std::string yaml_maps = "x: ";
  for (std::size_t i = 0; i < n; ++i) yaml_maps += "{a: ";
  yaml_maps += "b" + std::string(n, '}');
  const std::vector<std::string> documents{
      std::string(n, '[') + std::string(n, ']'),
      "x: " + std::string(n, '[') + std::string(n, ']'),
      yaml_maps,
      "x: " + std::string(100000, '['),
  };
  for (const std::string& text : documents) {
    INFO(text.substr(0, 10));
    std::vector<ConstraintDocument> input;
    input.push_back(read_constraint_document(text, "deep"));
    CHECK(input[0].unreadable);
    REQUIRE(input[0].diagnostics.size() == 1);
    CHECK(input[0].diagnostics[0].diagnostic.code == "ECSQ-L001");
    const LintReport report = lint(std::move(input));
    CHECK(report.any_unreadable());
    (void)render_lint_text(report);
    (void)render_lint_sarif(report);
  }
}

TEST_CASE("lint reports never echo raw control bytes or invalid UTF-8", "[hostile][lint]") {
  const std::vector<std::string> files{
      // An escaped ESC inside an expression: E0153, and the expression is shown in the report.
      R"([{"type":"memberOf","expression":"attribute:x == \u001b]0;owned\u0007 and \u009b2J"}])",
      // Raw bytes in the file itself (raw bytes in JSON: see the reader crash below).
      "placementConstraints:\n  - type: memberOf\n    expression: \"attribute:x == \x1b[2J\"\n",
      "placementConstraints:\n  - type: \"member\xffOf\"\n",
  };
  for (const std::string& file : files) {
    INFO(json_quote(file));
    std::vector<ConstraintDocument> input;
    input.push_back(read_constraint_document(file, "evil.json"));
    const LintReport report = lint(std::move(input));
    CHECK(report.count(Severity::error) > 0);
    CHECK(terminal_safe(render_lint_text(report, false)));
    CHECK(valid_utf8(render_lint_json(report)));
    CHECK(valid_utf8(render_lint_sarif(report)));
  }
}

TEST_CASE("lint reader: JSON that simdjson rejects up front is ECSQ-L001, not a crash", "[hostile][lint]") {
  // Crash reproducers (src/lint/read.cpp, read_json and build_json):
  // - a document simdjson refuses in its first pass (a raw control character or invalid UTF-8 in
  //   a string, an unclosed string) left `document` uninitialised, and current_location() read
  //   through a null pointer (UBSan: simdjson.h:27467 load of null pointer; SIGSEGV in release);
  // - an object cut short ("{", "{\"a\"") made field.key().raw() throw simdjson_error out of
  //   read_constraint_document (std::terminate).
  const std::vector<std::string> files{
      "[\"\x1b\"]", "[\"caf\xff\"]", "[\"abc", "{", "{\"a\"", "{\"a\":", "{\"a\":1,", "[{\"type\":\"memberOf\",",
      "[{\"type\":\"memberOf\",\"expression\":\"attribute:x == \x1b[2J\"}]",
  };
  for (const std::string& file : files) {
    INFO(json_quote(file));
    std::vector<ConstraintDocument> input;
    input.push_back(read_constraint_document(file, "broken.json"));
    CHECK(input[0].unreadable);
    REQUIRE(input[0].diagnostics.size() == 1);
    CHECK(input[0].diagnostics[0].diagnostic.code == "ECSQ-L001");
    const LintReport report = lint(std::move(input));
    CHECK(terminal_safe(render_lint_text(report, false)));
    CHECK(valid_utf8(render_lint_json(report)));
  }
}

TEST_CASE("lint reader: a literal starting with n that is not null is ECSQ-L001, not a crash", "[hostile][lint]") {
  // Crash reproducer found by fuzz_lint (tests/fuzz/corpus/fuzz_lint/crash-n-literal): simdjson's
  // on-demand type() says "null" for anything starting with 'n', and build_json converted
  // value.is_null() (a simdjson_result<bool>) to bool, which throws simdjson_error for a bad
  // literal: std::terminate out of read_constraint_document.
  const std::vector<std::string> files{
      R"({"serviceName":"web","taskDefinition":"web","placementConstraints":not( {"type":"memberOf"}]})",
      R"({"placementConstraints": nul})", R"([nulll])", R"([n])", R"({"a":no})",
  };
  for (const std::string& file : files) {
    INFO(file);
    const ConstraintDocument document = read_constraint_document(file, "n.json");
    CHECK(document.unreadable);
    REQUIRE(document.diagnostics.size() == 1);
    CHECK(document.diagnostics[0].diagnostic.code == "ECSQ-L001");
  }
  std::ifstream seed(std::string(ECSQ_TEST_DATA) + "/fuzz/corpus/fuzz_lint/crash-n-literal", std::ios::binary);
  REQUIRE(seed);
  const std::string text((std::istreambuf_iterator<char>(seed)), std::istreambuf_iterator<char>());
  const ConstraintDocument document = read_constraint_document(text, "crash-n-literal");
  CHECK(document.unreadable);
}

// ---- Numbers out of range ----------------------------------------------------------------------

TEST_CASE("out-of-range numbers in fleet JSON are coded", "[hostile]") {
  const auto read = [](std::string_view field, std::string_view value) {
    return read_fleet_json(fmt::format(R"([{{"ec2InstanceId":"i-1","{}":{}}}])", field, value));
  };
  struct Case {
    const char* field;
    const char* value;
    const char* code;
  };
  const std::vector<Case> cases{
      {"runningTasksCount", "1e30", "E0402"},
      {"runningTasksCount", "-1", "E0406"},
      {"runningTasksCount", "1.5", "E0402"},
      {"runningTasksCount", "18446744073709551615", "E0406"},
      {"runningTasksCount", "-9223372036854775808", "E0406"},
      {"runningTasksCount", "1e400", "E0401"},  // not a finite double: simdjson rejects the number
      {"runningTasksCount", "\"3\"", "E0402"},
      {"registeredAt", "1e300", "E0406"},
      {"registeredAt", "-1e300", "E0406"},
      {"registeredAt", "9223372036854775807", "E0406"},
      {"registeredAt", "18446744073709551615", "E0406"},
      {"registeredAt", "253402300800", "E0406"},  // 10000-01-01
      {"registeredAt", "\"NaN\"", "E0406"},
      {"registeredAt", "\"Infinity\"", "E0406"},
      {"registeredAt", "\"1e300\"", "E0406"},
      {"registeredAt", "\"99999-01-01\"", "E0406"},
      {"registeredAt", "\"2018-02-30\"", "E0406"},
      {"registeredAt", "\"2018-06-18T22:28:28.99999999999999999999999Z\"", ""},
      {"registeredAt", "NaN", "E0401"},
      {"registeredAt", "true", "E0402"},
  };
  for (const Case& c : cases) {
    INFO(c.field << ": " << c.value);
    const FleetReadResult result = read(c.field, c.value);
    if (*c.code == '\0') {
      CHECK(result.fleet);
      CHECK(result.diagnostics.empty());
      continue;
    }
    CHECK_FALSE(result.fleet);
    CHECK(codes(result) == std::vector<std::string>{c.code});
  }
  // The extremes that are accepted.
  const FleetReadResult last_second = read("registeredAt", "253402300799.999");
  REQUIRE(last_second.fleet);
  CHECK(last_second.fleet->instances[0].registered_at == Instant{253402300799});
  const FleetReadResult most_tasks = read("runningTasksCount", "9223372036854775807");
  REQUIRE(most_tasks.fleet);
  CHECK(holds(checked("runningTasksCount == 9223372036854775807"), most_tasks.fleet->instances[0]));
}

TEST_CASE("out-of-range literals in expressions are coded", "[hostile]") {
  CHECK(error_code(check("runningTasksCount > 9223372036854775808").diagnostics) == "E0205");
  CHECK(error_code(check("runningTasksCount > 99999999999999999999999999999999").diagnostics) == "E0205");
  CHECK(error_code(check("runningTasksCount > -1").diagnostics) == "E0205");
  CHECK(error_code(check("runningTasksCount > 1e3").diagnostics) == "E0205");
  CHECK(error_code(check("agentVersion > 1.2.3.4.5.6.7.8.9").diagnostics) == "E0203");
  CHECK(error_code(check("agentVersion > 18446744073709551616.0").diagnostics) == "E0203");
  CHECK(error_code(check("registeredAt > 99999-01-01").diagnostics) == "E0204");
  CHECK(error_code(check("registeredAt > 2018-13-01").diagnostics) == "E0204");
  CHECK(error_code(check("registeredAt > 2018-06-18T25:00:00Z").diagnostics) == "E0204");
  CHECK(error_code(check("registeredAt > 2018-06-18T22:28:28+99:99").diagnostics) == "E0204");
  // The widest accepted values still compare correctly.
  Instance instance;
  instance.ec2_instance_id = "i-1";
  instance.running_tasks_count = 9223372036854775807;
  instance.agent_version = "18446744073709551615.0";
  instance.registered_at = Instant{253402300799};
  CHECK(holds(checked("runningTasksCount >= 9223372036854775807"), instance));
  CHECK(holds(checked("agentVersion == 18446744073709551615"), instance));
  CHECK(holds(checked("registeredAt > 9999-12-31T23:59:58Z"), instance));
  CHECK(holds(checked("registeredAt < 0001-01-01 or registeredAt >= 9999-12-31"), instance));
  CHECK(holds(checked("attribute:n > 99999999999999999999999999999999.5"),
              with_attribute("n", "100000000000000000000000000000000")));
}

// ---- Reproducers for resource bugs in other files (docs/limits.md) ------------------------------
// Each input below is small; the work it causes must stay proportional to its size.

TEST_CASE("YAML aliases cannot expand a small file into millions of nodes", "[hostile][lint]") {
  // "Billion laughs": each level repeats the previous one three times, so 10 lines (230 bytes)
  // name 3^10 = 59 049 scalars. The reader copies every alias into its tree: measured, 12 levels
  // took 5.7 s and 1.2 GB under ASan and 14 levels (300 bytes) over 60 s and 8 GB. Expected: a
  // budget on the nodes built (e.g. 65 536 + 16 per byte of input) and ECSQ-L001 past it.
  std::string yaml = "a0: &a0 [x, x, x]\n";
  for (int i = 1; i < 10; ++i) yaml += fmt::format("a{0}: &a{0} [*a{1}, *a{1}, *a{1}]\n", i, i - 1);
  const ConstraintDocument document = read_constraint_document(yaml, "laughs.yaml");
  CHECK(document.unreadable);
  REQUIRE(document.diagnostics.size() == 1);
  CHECK(document.diagnostics[0].diagnostic.code == "ECSQ-L001");
}

TEST_CASE("attributes listed in descending order read in linear time", "[hostile][aws_json]") {
  // Instance::set_attribute inserts into a sorted vector, so descending names cost O(n^2): measured
  // 0.05 s for 2 000, 0.8 s for 8 000 (about 80 s for 80 000, a 1.8 MB document).
  const std::size_t n = 8000;
  std::string json = R"({"containerInstances":[{"ec2InstanceId":"i-1","attributes":[)";
  for (std::size_t i = n; i > 0; --i) json += fmt::format(R"({}{{"name":"a{:06}","value":"v"}})", i == n ? "" : ",", i);
  json += "]}]}";
  const FleetReadResult result = read_fleet_json(json);
  REQUIRE(result.fleet);
  const Instance& instance = result.fleet->instances.at(0);
  CHECK(instance.attributes().size() == n);
  CHECK(instance.attributes().front().name == "a000001");
}

TEST_CASE("many tasks on one instance read in linear time", "[hostile][aws_json]") {
  // Instance::add_task_group inserts into a sorted vector: O(n^2) for groups in descending order
  // (measured 0.6 s for 8 000 tasks).
  const std::size_t n = 8000;
  std::string json = R"({"containerInstances":[{"ec2InstanceId":"i-1","containerInstanceArn":"arn"}],"tasks":[)";
  for (std::size_t i = n; i > 0; --i) {
    json += fmt::format(R"({}{{"containerInstanceArn":"arn","desiredStatus":"RUNNING","group":"g{:06}"}})",
                        i == n ? "" : ",", i);
  }
  json += "]}";
  const FleetReadResult result = read_fleet_json(json);
  REQUIRE(result.fleet);
  CHECK(result.fleet->instances.at(0).task_groups().size() == n);
}

TEST_CASE("a flood of duplicate instances is capped without quadratic work", "[hostile][aws_json]") {
  // Each duplicate locates the first occurrence by re-walking the document before the 50-error cap
  // is consulted: O(n^2), measured 0.8 s for 8 000 duplicates (a 190 KB file).
  const std::size_t n = 12000;
  std::string json = R"({"containerInstances":[)";
  for (std::size_t i = 0; i < n; ++i) json += fmt::format(R"({}{{"ec2InstanceId":"i-1"}})", i == 0 ? "" : ",");
  json += "]}";
  const FleetReadResult result = read_fleet_json(json);
  CHECK_FALSE(result.fleet);
  CHECK(result.diagnostics.size() == 50);
  CHECK(result.diagnostics.back().diagnostic.notes.back() == fmt::format("{} more error(s) in this file not shown", n - 1 - 50));
}

TEST_CASE("a document with thousands of constraints lints in linear time", "[hostile][lint]") {
  // line_column() counts from the start of the file for every value read and every finding:
  // measured, 2 000 constraints (76 KB) read in 0.47 s and lint in 0.65 s; 8 000 (300 KB) in
  // 10 s and 16 s. Expected: a line index built once per document.
  const std::size_t n = 3000;
  std::string json = "[\n";
  for (std::size_t i = 0; i < n; ++i) json += fmt::format(R"({}{{"type":"memberOf","expression":"x"}})", i == 0 ? "" : ",\n");
  json += "\n]";
  std::vector<ConstraintDocument> documents;
  documents.push_back(read_constraint_document(json, "many.json"));
  REQUIRE(documents[0].sets.size() == 1);
  CHECK(documents[0].sets[0].constraints.size() == n);
  CHECK(documents[0].sets[0].constraints.back().at.position.line == n + 1);
  const LintReport report = lint(std::move(documents));
  CHECK(report.constraints == n);
  CHECK(report.count(Severity::error) == n + 1);  // each E0104, and ECSQ-L014 for the list
}

TEST_CASE("a describe-services output with thousands of services reads in linear time", "[hostile][lint]") {
  // Measured 0.6 s for 2 000 services and 16 s for 8 000 (600 KB).
  const std::size_t n = 3000;
  std::string json = "{\"services\":[\n";
  for (std::size_t i = 0; i < n; ++i) {
    json += fmt::format(R"({}{{"serviceName":"s{}","taskDefinition":"web:1","placementConstraints":[]}})",
                        i == 0 ? "" : ",\n", i);
  }
  json += "\n]}";
  std::vector<ConstraintDocument> documents;
  documents.push_back(read_constraint_document(json, "services.json"));
  CHECK(documents[0].sets.size() == n);
  const LintReport report = lint(std::move(documents));
  CHECK(report.findings.empty());
}

TEST_CASE("a fleet where every instance has its own attribute names stays small", "[hostile][fleet]") {
  // Fleet keeps one dense column per attribute name, so n instances with distinct names cost
  // 4 n^2 bytes and O(n^2) time: measured 8 000 instances 2 s and 310 MB, 16 000 instances 15 s
  // and 1.2 GB (a 1 MB describe-container-instances file). Expected: sparse columns for names
  // few instances have.
  const std::size_t n = 6000;
  std::vector<Instance> instances(n);
  for (std::size_t i = 0; i < n; ++i) {
    instances[i].ec2_instance_id = fmt::format("i-{}", i);
    instances[i].set_attribute(fmt::format("custom-{}", i), "x");
  }
  Fleet fleet(instances);
  CHECK(fleet.size() == n);
  CHECK(compile(checked("attribute:custom-4321 == x"), fleet).count(fleet) == 1);
}
