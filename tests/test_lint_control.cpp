// Lint rules about values and across constraints (ECSQ-L029, L050..L053, the glob fix-its), and
// rule control: settings, the config file, suppression comments, and how reports show them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <simdjson.h>

#include "ecsq/lint.hpp"

namespace {

using ecsq::Severity;
namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

ecsq::ConstraintDocument test_file(const std::string& relative) {
  return ecsq::read_constraint_document(read_text(fs::path(ECSQ_SOURCE_DIR) / relative), relative);
}

ecsq::LintReport lint_files(const std::vector<std::string>& relative, const ecsq::LintOptions& options = {}) {
  std::vector<ecsq::ConstraintDocument> docs;
  for (const std::string& path : relative) docs.push_back(test_file(path));
  return ecsq::lint(std::move(docs), options);
}

ecsq::LintReport lint_texts(const std::vector<std::pair<std::string, std::string>>& files,
                            const ecsq::LintOptions& options = {}) {
  std::vector<ecsq::ConstraintDocument> docs;
  for (const auto& [name, text] : files) docs.push_back(ecsq::read_constraint_document(text, name));
  return ecsq::lint(std::move(docs), options);
}

std::vector<const ecsq::LintFinding*> with_rule(const ecsq::LintReport& report, std::string_view rule) {
  std::vector<const ecsq::LintFinding*> out;
  for (const auto& f : report.findings) {
    if (f.rule == rule) out.push_back(&f);
  }
  return out;
}

// "RULE@LINE" for each finding, in report order.
std::vector<std::string> listed(const ecsq::LintReport& report) {
  std::vector<std::string> out;
  for (const auto& f : report.findings) out.push_back(f.rule + "@" + std::to_string(f.position.line));
  return out;
}

std::string expression_fixed(const ecsq::LintFinding& f) {
  REQUIRE(f.expression);
  return ecsq::with_fixits_applied(*f.expression, f.diagnostic.fixits);
}

// GitHub's anchor for a Markdown heading: lower case, punctuation but '-' dropped, spaces as '-'.
std::string github_anchor(std::string_view heading) {
  std::string out;
  for (const char c : heading) {
    if (c == ' ') {
      out += '-';
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string one_constraint(std::string_view expression) {
  return "{\"family\": \"web\", \"placementConstraints\": [{\"type\": \"memberOf\", \"expression\": \"" +
         std::string(expression) + "\"}]}";
}

}  // namespace

TEST_CASE("lint: a CloudFormation template with every value and cross-constraint mistake", "[lint]") {
  const auto report = lint_files({"tests/lint/cloudformation-mistakes.yaml"});
  // Line by line: the task definition (17-22), then the service (29-43) with its Ref to it.
  const std::vector<std::string> expected{
      "ECSQ-L052@20",                  // Inf1.xlarge
      "ECSQ-L050@22", "ECSQ-L050@22",  // ‘t2.micro’ and “t3.micro”
      "ECSQ-L029@31",                  // linux here, windows in the task definition
      "ECSQ-L051@33",                  // us-east-1 as a zone
      "ECSQ-L020@35", "ECSQ-L025@35",  // *.xlarge: not a regex, a glob
      "ECSQ-L025@37",                  // ami-0?23*
      "ECSQ-L052@39", "ECSQ-L052@39",  // vpc-0ABCDEF..., subnet-... as a VPC id
      "ECSQ-L029@43",                  // stack == dev after stack == prod in the same list
  };
  CHECK(listed(report) == expected);

  const auto across = with_rule(report, "ECSQ-L029");
  REQUIRE(across.size() == 2);
  CHECK(across[0]->diagnostic.severity == Severity::error);
  CHECK(across[0]->diagnostic.message ==
        "'attribute:ecs.os-type == linux' contradicts 'attribute:ecs.os-type == windows' in a constraint of task "
        "definition 'inference': no instance satisfies both, so the task can never be placed");
  CHECK(across[0]->path == "Resources.InferenceService.Properties.PlacementConstraints[0].Expression");
  REQUIRE(!across[0]->diagnostic.notes.empty());
  CHECK(across[0]->diagnostic.notes[0] ==
        "the other constraint is at tests/lint/cloudformation-mistakes.yaml:18:23, "
        "Resources.InferenceTask.Properties.PlacementConstraints[0].Expression: attribute:ecs.os-type == windows");
  CHECK(across[1]->diagnostic.message.find("in another constraint of this service") != std::string::npos);
  CHECK(across[1]->diagnostic.notes[0].find("cloudformation-mistakes.yaml:41:23") != std::string::npos);

  const auto shapes = with_rule(report, "ECSQ-L052");
  REQUIRE(shapes.size() == 3);
  CHECK(expression_fixed(*shapes[0]) == "attribute:ecs.instance-type == inf1.xlarge");
  CHECK(shapes[1]->diagnostic.message == "ecs.vpc-id is never 'vpc-0ABCDEF1234567890'; did you mean 'vpc-0abcdef1234567890'?");
  CHECK(shapes[2]->diagnostic.fixits.empty());  // subnet-12345678 has no VPC id's shape in any case

  const auto quotes = with_rule(report, "ECSQ-L050");
  REQUIRE(quotes.size() == 2);
  CHECK(expression_fixed(*quotes[0]) ==
        "attribute:ecs.instance-type == 't2.micro' or attribute:ecs.instance-type == \u201Ct3.micro\u201D");
  CHECK(expression_fixed(*quotes[1]) ==
        "attribute:ecs.instance-type == \u2018t2.micro\u2019 or attribute:ecs.instance-type == 't3.micro'");

  const auto region = with_rule(report, "ECSQ-L051");
  REQUIRE(region.size() == 1);
  CHECK(region[0]->diagnostic.message == "'us-east-1' is a region, not an availability zone, so '==' is never true");

  const auto globs = with_rule(report, "ECSQ-L025");
  REQUIRE(globs.size() == 2);
  CHECK(expression_fixed(*globs[0]) == "attribute:ecs.instance-type =~ .*\\.xlarge");
  CHECK(expression_fixed(*globs[1]) == "attribute:ecs.ami-id =~ ami-0.23.*");
}

TEST_CASE("lint: constraints that contradict across a service and its task definition, by family", "[lint]") {
  const auto report = lint_texts(
      {{"td.json", one_constraint("attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod")},
       {"svc.json", "{\"serviceName\": \"web\", \"taskDefinition\": \"web:7\", \"placementConstraints\": [{\"type\": "
                    "\"memberOf\", \"expression\": \"attribute:ecs.cpu-architecture in [x86_64]\"}]}"}});
  const auto across = with_rule(report, "ECSQ-L029");
  REQUIRE(across.size() == 1);
  CHECK(report.documents[across[0]->document].origin == "svc.json");
  REQUIRE(!across[0]->diagnostic.notes.empty());
  CHECK(across[0]->diagnostic.notes[0] ==
        "the other constraint is at td.json:1:80, placementConstraints[0].expression: "
        "attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod");

  // Compatible constraints and a contradiction only under `or` are not reported.
  for (const std::string_view service : {"attribute:ecs.cpu-architecture == arm64", "attribute:stack != prod or attribute:x exists",
                                         "attribute:ecs.cpu-architecture != x86_64"}) {
    INFO(service);
    const auto fine = lint_texts(
        {{"td.json", one_constraint("attribute:ecs.cpu-architecture == arm64 and attribute:stack == prod")},
         {"svc.json", "{\"serviceName\": \"web\", \"taskDefinition\": \"web\", \"placementConstraints\": [{\"type\": "
                      "\"memberOf\", \"expression\": \"" + std::string(service) + "\"}]}"}});
    CHECK(with_rule(fine, "ECSQ-L029").empty());
  }
  // A value the attribute never takes is ECSQ-L023's mistake, not a clash between constraints.
  const auto impossible = lint_texts(
      {{"td.json", one_constraint("attribute:ecs.os-type == linux")},
       {"svc.json", "{\"serviceName\": \"web\", \"taskDefinition\": \"web\", \"placementConstraints\": [{\"type\": "
                    "\"memberOf\", \"expression\": \"attribute:ecs.os-type == Linux\"}]}"}});
  CHECK(with_rule(impossible, "ECSQ-L029").empty());
  CHECK(with_rule(impossible, "ECSQ-L023").size() == 1);
  // A contradiction inside one expression is ECSQ-L028's alone.
  const auto inside = lint_texts({{"td.json", one_constraint("attribute:a == 1 and attribute:a == 2")}});
  CHECK(with_rule(inside, "ECSQ-L029").empty());
  CHECK(with_rule(inside, "ECSQ-L028").size() == 1);
  // not (a == x) in one constraint excludes a == x in another.
  const auto negated = lint_texts({{"td.json", "{\"family\": \"web\", \"placementConstraints\": [{\"type\": \"memberOf\", "
                                               "\"expression\": \"not (attribute:stack == prod)\"}, {\"type\": \"memberOf\", "
                                               "\"expression\": \"attribute:stack == prod\"}]}"}});
  CHECK(with_rule(negated, "ECSQ-L029").size() == 1);
}

TEST_CASE("lint: value shapes of built-in attributes", "[lint]") {
  const auto findings = [](std::string_view expression, std::string_view rule) {
    std::vector<ecsq::Diagnostic> out;
    for (const ecsq::Diagnostic& d : ecsq::lint_expression(expression)) {
      if (ecsq::lint_rule_of(d) == rule) out.push_back(d);
    }
    return out;
  };
  // Real values of every shape pass.
  for (const std::string_view fine :
       {"attribute:ecs.instance-type in [t2.micro, c6gn.16xlarge, u-6tb1.metal, r7iz.metal-16xl, m7i-flex.large]",
        "attribute:ecs.availability-zone in [us-east-1a, us-gov-west-1b, us-west-2-lax-1a, us-east-1-wl1-bos-wlz-1]",
        "attribute:ecs.ami-id in [ami-12345678, ami-0abcdef1234567890]", "attribute:ecs.vpc-id == vpc-0a1b2c3d",
        "attribute:ecs.subnet-id != subnet-0123456789abcdef0", "attribute:ecs.instance-type =~ 'T3.*'"}) {
    INFO(fine);
    CHECK(findings(fine, "ECSQ-L052").empty());
    CHECK(findings(fine, "ECSQ-L051").empty());
  }
  CHECK(findings("attribute:ecs.instance-type == t3", "ECSQ-L052").size() == 1);
  const auto glob_equal = findings("attribute:ecs.instance-type == t3.*", "ECSQ-L052");
  REQUIRE(glob_equal.size() == 1);
  CHECK(glob_equal[0].notes.back() == "== and in compare text exactly; a pattern needs =~");
  const auto zone = findings("attribute:ecs.availability-zone != 'US-EAST-1A'", "ECSQ-L052");
  REQUIRE(zone.size() == 1);
  CHECK(ecsq::with_fixits_applied("attribute:ecs.availability-zone != 'US-EAST-1A'", zone[0].fixits) ==
        "attribute:ecs.availability-zone != 'us-east-1a'");
  CHECK(findings("attribute:ecs.availability-zone in [eu-west-1, eu-west-1b]", "ECSQ-L051").size() == 1);
  const auto region = findings("attribute:ecs.availability-zone != ap-southeast-2", "ECSQ-L051");
  REQUIRE(region.size() == 1);
  CHECK(region[0].message == "'ap-southeast-2' is a region, not an availability zone, so '!=' is always true");
  // Typographic quotes inside a quoted value, and one that stripping cannot fix.
  const auto inner = findings("attribute:team == '\u201Cweb\u201D'", "ECSQ-L050");
  REQUIRE(inner.size() == 1);
  CHECK(ecsq::with_fixits_applied("attribute:team == '\u201Cweb\u201D'", inner[0].fixits) == "attribute:team == 'web'");
  const auto apostrophe = findings("attribute:team == O\u2019Brien", "ECSQ-L050");
  REQUIRE(apostrophe.size() == 1);
  CHECK(apostrophe[0].fixits.empty());
}

TEST_CASE("lint: glob fix-its translate ? and whole invalid patterns", "[lint]") {
  const auto glob = [](std::string_view expression) {
    for (const ecsq::Diagnostic& d : ecsq::lint_expression(expression)) {
      if (d.code == "ECSQ-L025") return ecsq::with_fixits_applied(expression, d.fixits);
    }
    return std::string("no ECSQ-L025");
  };
  CHECK(glob("attribute:ecs.ami-id =~ ami-0?23*") == "attribute:ecs.ami-id =~ ami-0.23.*");
  CHECK(glob("attribute:ecs.availability-zone =~ us-east-1*") == "attribute:ecs.availability-zone =~ us-east-1.*");
  CHECK(glob("attribute:ecs.instance-type =~ *.xlarge") == "attribute:ecs.instance-type =~ .*\\.xlarge");
  CHECK(glob("attribute:ecs.instance-type =~ '?5.*'") == "attribute:ecs.instance-type =~ '.5\\..*'");
  // A valid regex with ? and no glob-like * is left alone: colou?r is a regex.
  CHECK(glob("attribute:x =~ colou?r") == "no ECSQ-L025");
  // An invalid pattern that is no glob gets only ECSQ-L020.
  CHECK(glob("attribute:x =~ 'a(b'") == "no ECSQ-L025");
}

TEST_CASE("lint: rule settings disable rules and change severities", "[lint]") {
  const std::string text = one_constraint("attribute:ecs.instance-type == Inf1.xlarge and attribute:ecs.os-family == linux");
  ecsq::LintOptions options;
  options.rules.disable("ECSQ-L023");
  options.rules.set_severity("ECSQ-L052", Severity::error);
  const auto report = lint_texts({{"td.json", text}}, options);
  CHECK(with_rule(report, "ECSQ-L023").empty());
  REQUIRE(with_rule(report, "ECSQ-L052").size() == 1);
  CHECK(with_rule(report, "ECSQ-L052")[0]->diagnostic.severity == Severity::error);
  CHECK(report.count(Severity::error) == 1);
  options.rules.enable("ECSQ-L023");
  CHECK(with_rule(lint_texts({{"td.json", text}}, options), "ECSQ-L023").size() == 1);

  REQUIRE(ecsq::resolve_lint_rule("glob-like-regex") != nullptr);
  CHECK(ecsq::resolve_lint_rule("glob-like-regex")->id == "ECSQ-L025");
  CHECK(ecsq::resolve_lint_rule("ecsq-l025")->id == "ECSQ-L025");
  CHECK(ecsq::resolve_lint_rule("ECSQ-L99") == nullptr);
  CHECK(ecsq::unknown_lint_rule_message("glob-like-regx") == "unknown lint rule 'glob-like-regx'; did you mean 'glob-like-regex'?");
  ecsq::LintRuleSettings settings;
  CHECK(!ecsq::apply_severity_setting("ECSQ-L025=error", settings));
  CHECK(settings.severity_of("ECSQ-L025") == Severity::error);
  CHECK(ecsq::apply_severity_setting("ECSQ-L025", settings) == "'ECSQ-L025' is not RULE=error, RULE=warning or RULE=note");
  CHECK(ecsq::apply_severity_setting("ECSQ-L025=fatal", settings) == "'fatal' is not a severity: use error, warning or note");
}

TEST_CASE("lint: the config file", "[lint]") {
  ecsq::LintRuleSettings settings;
  const auto problems =
      ecsq::apply_lint_config(read_text(fs::path(ECSQ_SOURCE_DIR) / "tests/lint/config/.ecsq-lint.yaml"), settings);
  CHECK(problems.empty());
  CHECK(settings.disabled == std::vector<std::string>{"ECSQ-L051", "ECSQ-L025"});
  CHECK(settings.severity_of("ECSQ-L052") == Severity::error);
  CHECK(settings.severity_of("ECSQ-L050") == Severity::note);

  ecsq::LintRuleSettings other;
  CHECK(ecsq::apply_lint_config("", other).empty());
  CHECK(ecsq::apply_lint_config("disable: ECSQ-L025\nenable: [ECSQ-L025]\n", other).empty());
  CHECK(other.disabled.empty());
  CHECK(ecsq::apply_lint_config("disabel: [ECSQ-L025]\n", other) ==
        std::vector<std::string>{"unknown key 'disabel'; did you mean 'disable'?"});
  CHECK(ecsq::apply_lint_config("disable: [ECSQ-L925]\nseverity: {ECSQ-L025: loud}\n", other) ==
        std::vector<std::string>{"unknown lint rule 'ECSQ-L925'; did you mean 'ECSQ-L025'?",
                                 "'loud' is not a severity: use error, warning or note"});
  CHECK(ecsq::apply_lint_config("[1, 2]", other) ==
        std::vector<std::string>{"expected a mapping with disable, enable and severity"});
  CHECK(ecsq::apply_lint_config("disable: [", other).size() == 1);

  // Found in the directory or the nearest parent that has one.
  const fs::path root = fs::temp_directory_path() / "ecsq-lint-config-test";
  fs::remove_all(root);
  fs::create_directories(root / "a/b/c");
  std::ofstream(root / "a/.ecsq-lint.yaml") << "disable: [ECSQ-L025]\n";
  CHECK(ecsq::find_lint_config(root / "a/b/c") == root / "a/.ecsq-lint.yaml");
  CHECK(ecsq::find_lint_config(root / "a") == root / "a/.ecsq-lint.yaml");
  std::ofstream(root / "a/b/.ecsq-lint.yaml") << "\n";
  CHECK(ecsq::find_lint_config(root / "a/b/c") == root / "a/b/.ecsq-lint.yaml");
  fs::remove_all(root);
}

TEST_CASE("lint: suppression comments mark findings suppressed, never drop them", "[lint]") {
  const auto report = lint_files({"tests/lint/suppressed.yaml"});
  std::vector<std::string> suppressed;
  std::vector<std::string> shown;
  for (const auto& f : report.findings) {
    (f.suppression ? suppressed : shown).push_back(f.rule + "@" + std::to_string(f.position.line));
  }
  // L025 (line 13) by the comment above it, L052 (line 15) by the comment after it, L050 (line 17)
  // by disable-file; L023 on line 20 is not suppressed, as its comment names an unknown rule.
  CHECK(suppressed == std::vector<std::string>{"ECSQ-L025@13", "ECSQ-L052@15", "ECSQ-L050@17"});
  CHECK(shown == std::vector<std::string>{"ECSQ-L053@19", "ECSQ-L023@20"});
  CHECK(report.suppressed() == 3);
  CHECK(report.count(Severity::warning) == 2);
  REQUIRE(with_rule(report, "ECSQ-L025").size() == 1);
  CHECK(*with_rule(report, "ECSQ-L025")[0]->suppression == "our zones really are named us-east-1, us-east-11, ...");
  REQUIRE(with_rule(report, "ECSQ-L052").size() == 1);
  CHECK(*with_rule(report, "ECSQ-L052")[0]->suppression == "legacy value");
  REQUIRE(with_rule(report, "ECSQ-L053").size() == 1);
  CHECK(with_rule(report, "ECSQ-L053")[0]->diagnostic.message == "unknown lint rule 'ECSQ-L25'; did you mean 'ECSQ-L025'?");

  const std::string text = ecsq::render_lint_text(report);
  CHECK(text.find("[ECSQ-L025]") == std::string::npos);
  CHECK(text.find("1 file, 4 constraints: 0 errors, 2 warnings, 0 notes (3 suppressed by ecsq-lint comments)\n") !=
        std::string::npos);
  const std::string json = ecsq::render_lint_json(report);
  CHECK(json.find("\"suppressed\":3") != std::string::npos);
  CHECK(json.find("\"rule\":\"ECSQ-L025\"") == std::string::npos);
  const std::string sarif = ecsq::render_lint_sarif(report);
  CHECK(sarif.find(R"("suppressions":[{"kind":"inSource","justification":"legacy value"}])") != std::string::npos);

  // JSON has no comments: a '#' in a JSON string is text.
  const auto json_report =
      lint_texts({{"td.json", one_constraint("attribute:ecs.os-family == linux # ecsq-lint: disable=ECSQ-L023")}});
  CHECK(json_report.suppressed() == 0);
  // A comment with no rule, and one with nothing after it to cover.
  const auto bad =
      lint_texts({{"td.yaml", "family: web  # ecsq-lint: disable\nplacementConstraints: []\n# ecsq-lint: disable=ECSQ-L025\n"}});
  const auto problems = with_rule(bad, "ECSQ-L053");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0]->diagnostic.message == "an ecsq-lint comment needs 'disable=RULE' or 'disable-file=RULE'");
  CHECK(problems[1]->diagnostic.message == "this ecsq-lint comment is followed by no line to suppress");
}

TEST_CASE("lint: SARIF rules carry help, examples and a helpUri, and fix-its become fixes", "[lint]") {
  for (const ecsq::LintRule& rule : ecsq::lint_rules()) {
    INFO(rule.id);
    const ecsq::LintRuleExample* example = ecsq::find_lint_rule_example(rule.id);
    REQUIRE(example != nullptr);
    CHECK(!example->bad.empty());
    CHECK(!example->good.empty());
    CHECK(example->bad != example->good);
  }
  const auto report = lint_files({"tests/lint/cloudformation-mistakes.yaml", "tests/lint/task-definition-bad.json"});
  const std::string sarif = ecsq::render_lint_sarif(report);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  REQUIRE(parser.parse(sarif).get(root) == simdjson::SUCCESS);
  simdjson::dom::element driver = root["runs"].at(0)["tool"]["driver"];
  CHECK(std::string_view(driver["informationUri"]) == ecsq::ecsq_information_uri);
  simdjson::dom::element rule = driver["rules"].at(0);
  CHECK(std::string_view(rule["helpUri"]) ==
        "https://github.com/ecsq/ecsq/blob/main/docs/language.md#ecsq-l001-unreadable-input");
  CHECK(std::string_view(rule["fullDescription"]["text"]) == ecsq::lint_rules()[0].explanation);
  CHECK(std::string_view(rule["help"]["markdown"]).find("Reported:\n\n```\n{\"family\"") != std::string_view::npos);
  // The glob's fix in a double-quoted YAML scalar is escaped as that scalar needs: \\. for \.
  CHECK(sarif.find(R"("insertedContent":{"text":".*\\\\.xlarge"})") != std::string::npos);
  CHECK(sarif.find(R"("deletedRegion":{"startLine":20,"startColumn":54,"endLine":20,"endColumn":65},)"
                   R"("insertedContent":{"text":"inf1.xlarge"})") != std::string::npos);
}

TEST_CASE("docs/language.md §10 has a heading with the examples for every lint rule", "[lint][codes]") {
  const std::string docs = read_text(fs::path(ECSQ_SOURCE_DIR) / "docs/language.md");
  for (const ecsq::LintRule& rule : ecsq::lint_rules()) {
    INFO(rule.id);
    const std::string title = std::string(rule.id) + " " + std::string(rule.name);
    const std::size_t at = docs.find("\n### " + title + "\n");
    REQUIRE(at != std::string::npos);
    CHECK(ecsq::lint_rule_anchor(rule) == github_anchor(title));
    const std::size_t next = docs.find("\n### ", at + 1);
    const std::string section = docs.substr(at, next == std::string::npos ? std::string::npos : next - at);
    const ecsq::LintRuleExample* example = ecsq::find_lint_rule_example(rule.id);
    REQUIRE(example != nullptr);
    CHECK(section.find("```\n" + std::string(example->bad) + "\n```") != std::string::npos);
    CHECK(section.find("```\n" + std::string(example->good) + "\n```") != std::string::npos);
  }
}
