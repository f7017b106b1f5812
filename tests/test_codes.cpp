// The catalogues of diagnostic codes (ecsq/codes.hpp) and lint rules (ecsq/lint.hpp) against what
// the library reports and what the reference lists: every entry is well formed; every code
// reported for the test inputs (conformance files, fuzz corpora, fleets, lint files, placement
// inputs) is in a
// catalogue; every entry is reported by an input of tests/data/code-triggers.txt; and
// docs/language.md §10 lists both catalogues exactly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ecsq/aws_json.hpp"
#include "ecsq/check.hpp"
#include "ecsq/codes.hpp"
#include "ecsq/constraint.hpp"
#include "ecsq/lint.hpp"
#include "ecsq/placement.hpp"
#include "ecsq/regex.hpp"
#include "regex/java_regex.hpp"

namespace {

namespace fs = std::filesystem;
using ecsq::Severity;

std::string read_text(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream file(path, std::ios::binary);
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<fs::path> files_in(const fs::path& directory) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file()) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const fs::path tests_dir{ECSQ_TEST_DATA};

// ---- What the library reports ----------------------------------------------------------------

// Which catalogue an id must be in: a diagnostic's code is a code, a lint finding's rule a rule,
// and the code a lint finding carries either (a rule id, or the parse/check code it came from).
enum class Catalogue { codes, rules, either };

struct Reported {
  std::string id;
  Severity severity;
  Catalogue catalogue;
};

void add(std::vector<Reported>& out, const ecsq::Diagnostic& d, Catalogue catalogue = Catalogue::codes) {
  out.push_back(Reported{d.code, d.severity, catalogue});
}

// Parse and check diagnostics (check reports the parser's too).
std::vector<Reported> of_check(std::string_view text) {
  std::vector<Reported> out;
  for (const ecsq::Diagnostic& d : ecsq::check(text).diagnostics) add(out, d);
  return out;
}

std::vector<Reported> of_regex(std::string_view pattern) {
  std::vector<Reported> out;
  const auto compiled = ecsq::Regex::compile(pattern);
  if (const auto* e = std::get_if<ecsq::RegexError>(&compiled)) out.push_back(Reported{e->code, Severity::error, Catalogue::codes});
  const auto translated = ecsq::translate_java_regex(pattern);
  if (const auto* e = std::get_if<ecsq::RegexError>(&translated)) {
    out.push_back(Reported{e->code, Severity::error, Catalogue::codes});
  }
  return out;
}

std::vector<Reported> of_fleet(const ecsq::FleetReadResult& result) {
  std::vector<Reported> out;
  for (const ecsq::FleetDiagnostic& d : result.diagnostics) add(out, d.diagnostic);
  return out;
}

// The placement readers' codes (E05xx), and the lint reader's own reading problems (ECSQ-L001 ...)
// that come with the document.
std::vector<Reported> of_placement(const ecsq::ConstraintDocument& document,
                                   const std::vector<ecsq::PlacementInputDiagnostic>& diagnostics) {
  std::vector<Reported> out;
  for (const ecsq::PlacementInputDiagnostic& d : diagnostics) add(out, d.diagnostic);
  for (const ecsq::DocumentDiagnostic& d : document.diagnostics) add(out, d.diagnostic, Catalogue::rules);
  return out;
}

std::vector<Reported> of_task_definition(std::string text) {
  const ecsq::TaskDefinitionInput input = ecsq::read_task_definition(std::move(text), "input");
  return of_placement(input.document, input.diagnostics);
}

std::vector<Reported> of_request(std::string text) {
  const ecsq::RequestInput input = ecsq::read_placement_request(std::move(text), "input");
  return of_placement(input.document, input.diagnostics);
}

// The engine's own checks (check_placement) on a request document, for a task of 128 MiB.
std::vector<Reported> of_placement_check(std::string text) {
  ecsq::RequestInput input = ecsq::read_placement_request(std::move(text), "input");
  std::vector<Reported> out = of_placement(input.document, input.diagnostics);
  if (!input.request) return out;
  ecsq::TaskDemand demand;
  demand.family = "web";
  demand.memory = 128;
  for (const ecsq::PlacementDiagnostic& d : ecsq::check_placement(demand, *input.request)) add(out, d.diagnostic);
  return out;
}

// `ecsq place --strategy` and `--constraint` values.
template <typename SpecText>
std::vector<Reported> of_spec_text(const SpecText& parsed) {
  std::vector<Reported> out;
  for (const ecsq::PlacementDiagnostic& d : parsed.diagnostics) add(out, d.diagnostic);
  return out;
}

const std::vector<ecsq::Instance>& lint_fleet() {
  static const std::vector<ecsq::Instance> instances = [] {
    ecsq::FleetReadResult result = ecsq::read_fleet_files({(tests_dir / "lint/fleet.json").string()});
    REQUIRE(result.fleet);
    return result.fleet->instances;
  }();
  return instances;
}

// Lints the documents together, with tests/lint/fleet.json as the fleet so the fleet rules run.
std::vector<Reported> of_lint(std::vector<ecsq::ConstraintDocument> documents) {
  ecsq::LintOptions options;
  options.fleet = std::span<const ecsq::Instance>(lint_fleet());
  std::vector<Reported> out;
  for (const ecsq::LintFinding& f : ecsq::lint(std::move(documents), options).findings) {
    out.push_back(Reported{f.rule, f.diagnostic.severity, Catalogue::rules});
    add(out, f.diagnostic, Catalogue::either);
  }
  return out;
}

std::vector<Reported> of_lint(std::string text) {
  std::vector<ecsq::ConstraintDocument> documents;
  documents.push_back(ecsq::read_constraint_document(std::move(text), "input"));
  return of_lint(std::move(documents));
}

// The cases no text reaches: a hand-built tree, and RE2 refusing a translation (a bug in ecsq).
std::vector<Reported> of_api(std::string_view name) {
  std::vector<Reported> out;
  if (name == "malformed-tree") {
    ecsq::Ast ast;
    ast.source = "x";
    ast.nodes.push_back(ecsq::Node{ecsq::NodeKind::comparison, {}, 3, 0});  // there is no comparison 3
    ast.root = 0;
    for (const ecsq::Diagnostic& d : ecsq::check(std::move(ast)).diagnostics) add(out, d);
  } else if (name == "re2-refuses-translation") {
    const auto problem = ecsq::detail::jre::re2_refusal("(", 1, ecsq::RegexOptions{}.max_memory_bytes);
    if (problem) out.push_back(Reported{problem->code, Severity::error, Catalogue::codes});
  } else {
    FAIL("no api case named '" << name << "'");
  }
  return out;
}

// ---- tests/data/code-triggers.txt ------------------------------------------------------------

// INPUT with %xHH as the byte HH, %N[TEXT] as TEXT repeated N times and %% as '%'.
std::string expand(std::string_view input) {
  std::string out;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (input[i] != '%') {
      out += input[i];
      continue;
    }
    const std::string_view rest = input.substr(i + 1);
    if (rest.starts_with('%')) {
      out += '%';
      i += 1;
    } else if (rest.size() >= 3 && rest[0] == 'x') {
      out += static_cast<char>(std::stoi(std::string(rest.substr(1, 2)), nullptr, 16));
      i += 3;
    } else {
      std::size_t digits = 0;
      while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
      const std::size_t close = rest.find(']', digits);
      REQUIRE((digits > 0 && digits < rest.size() && rest[digits] == '[' && close != std::string_view::npos));
      const std::string_view text = rest.substr(digits + 1, close - digits - 1);
      for (int n = std::stoi(std::string(rest.substr(0, digits))); n > 0; --n) out += text;
      i += close + 1;
    }
  }
  return out;
}

struct Trigger {
  int line = 0;
  std::string id;
  std::string kind;
  std::string input;  // expanded
};

std::vector<Trigger> triggers() {
  std::vector<Trigger> out;
  int number = 0;
  for (const std::string& line : lines_of(tests_dir / "data/code-triggers.txt")) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const std::size_t first = line.find(' ');
    const std::size_t second = first == std::string::npos ? first : line.find(' ', first + 1);
    INFO("code-triggers.txt:" << number << ": " << line);
    REQUIRE(first != std::string::npos);
    Trigger t;
    t.line = number;
    t.id = line.substr(0, first);
    t.kind = line.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    t.input = second == std::string::npos ? std::string() : expand(std::string_view(line).substr(second + 1));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Reported> run(const Trigger& t) {
  if (t.kind == "check") return of_check(t.input);
  if (t.kind == "regex") return of_regex(t.input);
  if (t.kind == "fleet") return of_fleet(ecsq::read_fleet_json(t.input, "input"));
  if (t.kind == "fleet-file") return of_fleet(ecsq::read_fleet_files({(tests_dir / t.input).string()}));
  if (t.kind == "lint") return of_lint(t.input);
  if (t.kind == "task-definition") return of_task_definition(t.input);
  if (t.kind == "request") return of_request(t.input);
  if (t.kind == "placement") return of_placement_check(t.input);
  if (t.kind == "strategy") return of_spec_text(ecsq::parse_strategy(t.input));
  if (t.kind == "constraint") return of_spec_text(ecsq::parse_constraint(t.input));
  if (t.kind == "api") return of_api(t.input);
  FAIL("unknown kind '" << t.kind << "'");
  return {};
}

// The severity the catalogue gives `id`, a code or a rule.
std::optional<Severity> catalogued_severity(std::string_view id) {
  if (const ecsq::CodeInfo* info = ecsq::find_code(id)) return info->severity;
  if (const ecsq::LintRule* rule = ecsq::find_lint_rule(id)) return rule->severity;
  return std::nullopt;
}

std::string listed(const std::vector<Reported>& reported) {
  std::string out;
  for (const Reported& r : reported) out += " " + r.id + "(" + std::string(ecsq::to_string(r.severity)) + ")";
  return out.empty() ? " nothing" : out;
}

// Every id named in `text` as a code (E0118, W0203) or rule (ECSQ-L015).
std::vector<std::string> ids_named(std::string_view text) {
  static const std::regex id(R"(\b(ECSQ-L[0-9]{3}|[EW][0-9]{4})\b)");
  std::vector<std::string> out;
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), id); it != std::sregex_iterator(); ++it) out.push_back(it->str());
  return out;
}

// A paragraph a terminal can wrap: no line breaks, code spans closed, a full stop at the end.
void check_paragraph(std::string_view text) {
  CHECK(text.size() >= 100);
  CHECK(text.find('\n') == std::string_view::npos);
  CHECK(text.find("  ") == std::string_view::npos);
  CHECK(std::count(text.begin(), text.end(), '`') % 2 == 0);
  CHECK(text.ends_with('.'));
  for (const std::string& named : ids_named(text)) {
    INFO("names " << named);
    CHECK(catalogued_severity(named).has_value());
  }
}

}  // namespace

TEST_CASE("every catalogue entry is unique and well formed, with a title and an explanation", "[codes]") {
  const auto codes = ecsq::diagnostic_codes();
  REQUIRE(codes.size() >= 50);
  static const std::regex code_shape("[EW]0[1-5][0-9]{2}");
  std::set<std::string_view> seen;
  int last_stage = 0;
  for (const ecsq::CodeInfo& info : codes) {
    INFO(info.code);
    CHECK(seen.insert(info.code).second);
    REQUIRE(std::regex_match(std::string(info.code), code_shape));
    // E is an error, W a warning or a note; the second digit is the stage that reports it.
    CHECK((info.code.front() == 'E') == (info.severity == Severity::error));
    const int stage = info.code[2] - '0';
    CHECK(static_cast<int>(info.stage) + 1 == stage);
    CHECK(stage >= last_stage);
    last_stage = stage;
    CHECK(ecsq::find_code(info.code) == &info);
    CHECK(!info.title.empty());
    CHECK(!info.title.ends_with('.'));
    CHECK(std::count(info.title.begin(), info.title.end(), '`') % 2 == 0);
    check_paragraph(info.explanation);
  }
  CHECK(ecsq::find_code("E0100") == nullptr);
  CHECK(ecsq::find_code("ECSQ-L020") == nullptr);

  const auto rules = ecsq::lint_rules();
  REQUIRE(rules.size() >= 20);
  static const std::regex rule_shape("ECSQ-L0[0-9]{2}");
  static const std::regex name_shape("[a-z]+(-[a-z]+)*");
  std::set<std::string_view> names;
  for (const ecsq::LintRule& rule : rules) {
    INFO(rule.id);
    CHECK(seen.insert(rule.id).second);
    REQUIRE(std::regex_match(std::string(rule.id), rule_shape));
    CHECK(std::regex_match(std::string(rule.name), name_shape));
    CHECK(names.insert(rule.name).second);
    CHECK(ecsq::find_lint_rule(rule.id) == &rule);
    CHECK(rule.summary.ends_with('.'));
    check_paragraph(rule.explanation);
  }
  CHECK(std::is_sorted(rules.begin(), rules.end(), [](const auto& a, const auto& b) { return a.id < b.id; }));
}

TEST_CASE("the named constants are the catalogue's ids", "[codes]") {
  CHECK(std::string_view(ecsq::code::unterminated_quote) == "E0107");
  CHECK(ecsq::find_code(ecsq::code::unterminated_quote)->title == "unterminated quoted value");
  CHECK(std::string_view(ecsq::code::malformed_tree) == "E0290");
  CHECK(std::string_view(ecsq::code::fleet_invalid_value) == "E0406");
  CHECK(std::string_view(ecsq::rule::unreadable_input) == "ECSQ-L001");
  CHECK(ecsq::find_lint_rule(ecsq::rule::contradiction)->name == "contradiction");
  CHECK(ecsq::lint_rule_of(ecsq::Diagnostic{Severity::warning, ecsq::code::date_equality, "", {}, {}, {}, {}}) ==
        ecsq::rule::registered_at_date_equality);
}

TEST_CASE("every code and lint rule is reported by an input of code-triggers.txt", "[codes]") {
  const std::vector<Trigger> list = triggers();
  std::set<std::string> triggered;
  for (const Trigger& t : list) {
    INFO("code-triggers.txt:" << t.line << ": " << t.id << " " << t.kind);
    const std::optional<Severity> severity = catalogued_severity(t.id);
    REQUIRE(severity);
    const std::vector<Reported> reported = run(t);
    INFO("reported:" << listed(reported));
    CHECK(std::any_of(reported.begin(), reported.end(),
                      [&](const Reported& r) { return r.id == t.id && r.severity == *severity; }));
    triggered.insert(t.id);
  }
  for (const ecsq::CodeInfo& info : ecsq::diagnostic_codes()) {
    INFO(info.code << " has no line in tests/data/code-triggers.txt");
    CHECK(triggered.count(std::string(info.code)) == 1);
  }
  for (const ecsq::LintRule& rule : ecsq::lint_rules()) {
    INFO(rule.id << " has no line in tests/data/code-triggers.txt");
    CHECK(triggered.count(std::string(rule.id)) == 1);
  }
}

TEST_CASE("every code reported for the test inputs is in the catalogue", "[codes]") {
  std::map<std::string, std::string> strays;  // id -> the first input that reported it
  std::size_t inputs = 0;
  std::size_t reports = 0;
  const auto note = [&](const std::vector<Reported>& reported, const std::string& where) {
    ++inputs;
    for (const Reported& r : reported) {
      ++reports;
      const bool code = ecsq::find_code(r.id) != nullptr;
      const bool rule = ecsq::find_lint_rule(r.id) != nullptr;
      const bool known = r.catalogue == Catalogue::codes   ? code
                         : r.catalogue == Catalogue::rules ? rule
                                                           : code || rule;
      if (!known) strays.emplace(r.id, where);
    }
  };

  // Expressions: the conformance files' `expr:` lines and AWS's documented examples.
  for (const fs::path& file : files_in(tests_dir / "conformance")) {
    if (file.extension() != ".txt") continue;
    int number = 0;
    for (const std::string& line : lines_of(file)) {
      ++number;
      const std::size_t at = line.find("expr:");
      if (at == std::string::npos || line.find_first_not_of(" \t") != at) continue;
      std::string text = line.substr(at + 5);
      if (text.starts_with(' ')) text.erase(0, 1);
      note(of_check(text), file.filename().string() + ":" + std::to_string(number));
    }
  }
  for (const std::string& line : lines_of(tests_dir / "data/aws-documented.txt")) {
    if (!line.empty() && line.front() != '#') note(of_check(line), "aws-documented.txt: " + line);
  }
  // Patterns: Java's ground truth and the regex fuzz corpus.
  for (const std::string& line : lines_of(tests_dir / "data/regex-cases.tsv")) {
    if (!line.empty() && line.front() != '#') note(of_regex(line.substr(0, line.find('\t'))), "regex-cases.tsv: " + line);
  }
  // The fuzz corpora, each through what its harness runs.
  const fs::path corpus = tests_dir / "fuzz/corpus";
  for (const fs::path& file : files_in(corpus / "fuzz_parse")) note(of_check(read_text(file)), file.string());
  for (const fs::path& file : files_in(corpus / "fuzz_check")) note(of_check(read_text(file)), file.string());
  for (const fs::path& file : files_in(corpus / "fuzz_regex")) note(of_regex(read_text(file)), file.string());
  for (const fs::path& file : files_in(corpus / "fuzz_fleet_json")) {
    note(of_fleet(ecsq::read_fleet_json(read_text(file), file.string())), file.string());
  }
  for (const fs::path& file : files_in(corpus / "fuzz_lint")) note(of_lint(read_text(file)), file.string());
  for (const fs::path& file : files_in(corpus / "fuzz_placement_input")) {
    note(of_task_definition(read_text(file)), file.string());
    note(of_request(read_text(file)), file.string());
  }
  // Placement inputs: task definitions, requests and fleets with resources and tasks.
  for (const fs::path& file : files_in(tests_dir / "data/placement")) {
    if (file.filename().string().starts_with("fleet")) {
      note(of_fleet(ecsq::read_fleet_files({file.string()})), file.string());
    } else {
      note(of_task_definition(read_text(file)), file.string());
      note(of_request(read_text(file)), file.string());
    }
  }
  // Fleet files, alone and together (duplicates across files), and one that is not there.
  std::vector<std::string> fleets;
  for (const fs::path& file : files_in(tests_dir / "data/fleets")) {
    fleets.push_back(file.string());
    note(of_fleet(ecsq::read_fleet_files({file.string()})), file.string());
  }
  fleets.push_back((tests_dir / "data/fleets/missing.json").string());
  note(of_fleet(ecsq::read_fleet_files(fleets)), "data/fleets together");
  // The lint test files, alone and together (limits across files).
  std::vector<ecsq::ConstraintDocument> together;
  for (const fs::path& file : files_in(tests_dir / "lint")) {
    note(of_lint(read_text(file)), file.string());
    together.push_back(ecsq::read_constraint_file(file.string()));
  }
  note(of_lint(std::move(together)), "tests/lint together");
  // And every input of code-triggers.txt, whatever it was written for.
  for (const Trigger& t : triggers()) note(run(t), "code-triggers.txt:" + std::to_string(t.line));

  INFO(inputs << " inputs, " << reports << " diagnostics");
  CHECK(inputs >= 500);
  CHECK(reports >= 500);
  for (const auto& [id, where] : strays) FAIL_CHECK(id << " is in no catalogue; first reported for " << where);
}

namespace {

// The tables of docs/language.md's section `heading`: each table's rows as cells, header row and
// separator row left out.
std::vector<std::vector<std::vector<std::string>>> tables_in_section(std::string_view heading) {
  std::vector<std::vector<std::vector<std::string>>> tables;
  bool in_section = false;
  bool in_table = false;
  bool header = false;
  for (const std::string& line : lines_of(fs::path(ECSQ_SOURCE_DIR) / "docs/language.md")) {
    if (line.starts_with("## ")) {
      in_section = line.starts_with(heading);
      in_table = false;
      continue;
    }
    if (!in_section) continue;
    if (!line.starts_with('|')) {
      in_table = false;
      continue;
    }
    if (!in_table) {
      tables.emplace_back();
      in_table = true;
      header = true;
    }
    if (header) {  // the header row, then the |---| row
      header = line.find("---") == std::string::npos;
      continue;
    }
    std::vector<std::string> cells;
    for (std::size_t begin = 1; begin < line.size();) {
      const std::size_t bar = line.find('|', begin);
      if (bar == std::string::npos) break;
      std::string cell = line.substr(begin, bar - begin);
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      cells.push_back(std::move(cell));
      begin = bar + 1;
    }
    tables.back().push_back(std::move(cells));
  }
  return tables;
}

std::string joined(const std::vector<std::string>& cells) {
  std::string out;
  for (const std::string& cell : cells) out += (out.empty() ? "" : " | ") + cell;
  return out;
}

// The table's rows (as "cell | cell | ...") against the catalogue's: each missing or extra row is a
// failure of its own; then the order, and no row twice.
void check_rows(const std::vector<std::string>& documented, const std::vector<std::string>& catalogued) {
  bool same_rows = true;
  for (const std::string& row : documented) {
    if (std::find(catalogued.begin(), catalogued.end(), row) != catalogued.end()) continue;
    FAIL_CHECK("docs/language.md §10 has a row the catalogue does not: " << row);
    same_rows = false;
  }
  for (const std::string& row : catalogued) {
    if (std::find(documented.begin(), documented.end(), row) != documented.end()) continue;
    FAIL_CHECK("docs/language.md §10 lacks the catalogue's row: " << row);
    same_rows = false;
  }
  if (same_rows) {
    INFO("the rows are the catalogue's, but in another order or some twice");
    CHECK(documented == catalogued);
  }
}

}  // namespace

TEST_CASE("docs/language.md §10 lists exactly the codes and lint rules of the catalogues", "[codes]") {
  const auto tables = tables_in_section("## 10.");
  REQUIRE(tables.size() == 2);

  std::vector<std::string> documented;
  for (const auto& row : tables[0]) documented.push_back(joined(row));
  std::vector<std::string> catalogued;
  for (const ecsq::CodeInfo& info : ecsq::diagnostic_codes()) {
    catalogued.push_back(joined({std::string(info.code), std::string(ecsq::to_string(info.severity)), std::string(info.title)}));
  }
  check_rows(documented, catalogued);

  documented.clear();
  for (const auto& row : tables[1]) documented.push_back(joined(row));
  catalogued.clear();
  for (const ecsq::LintRule& rule : ecsq::lint_rules()) {
    catalogued.push_back(joined({std::string(rule.id), std::string(rule.name), std::string(ecsq::to_string(rule.severity)),
                                 std::string(rule.summary)}));
  }
  check_rows(documented, catalogued);
}
