// Conformance runner: reads tests/conformance/*.txt (format in tests/conformance/README.md),
// checks and evaluates every expression against its fleet, and reports each mismatch as
// file:line. Beyond the stated expectations it verifies, for every expression that checks:
//   - explain() agrees with evaluate() on every instance;
//   - not(EXPR) matches exactly the other instances;
//   - the canonical text (to_string) checks and matches the same instances.
// It also enforces coverage: every allowed subject × operator is evaluated somewhere, every
// disallowed one is rejected somewhere, every operator is written in each of its spellings,
// and every expression of tests/data/aws-documented.txt is a conformance case.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/print.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::documented_examples;

namespace {

struct Where {
  std::string file;
  int line = 0;
  [[nodiscard]] std::string str() const { return file + ":" + std::to_string(line); }
};

struct Fleet {
  std::vector<std::string> ids;
  std::vector<Instance> instances;
};

struct Expected {
  std::string code;
  int column = 0;  // 0: any column
};

struct Case {
  Where where;  // of the `test` line
  std::string name;
  std::string fleet;
  std::vector<std::pair<Where, std::string>> expressions;
  std::optional<std::vector<std::string>> match;  // instance ids; empty = none
  bool match_all = false;
  std::optional<Expected> error;
  std::vector<Expected> warnings;
};

struct Suite {
  std::map<std::string, Fleet> fleets;
  std::vector<Case> cases;
  std::vector<std::string> problems;  // malformed files
};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split(std::string_view s, char by) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(by, start);
    out.push_back(std::string(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start)));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::vector<std::string> words(std::string_view s) {
  std::istringstream in{std::string(s)};
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::optional<Expected> parse_expected(std::string_view text) {
  const auto w = words(text);
  if (w.empty() || w.size() > 2) return std::nullopt;
  Expected e{w[0], 0};
  if (w.size() == 2) {
    if (w[1].size() < 2 || w[1][0] != '@') return std::nullopt;
    e.column = std::stoi(w[1].substr(1));
  }
  return e;
}

// ID | ATTRIBUTES | CONNECTED | VERSION | REGISTERED | TASKS | GROUPS
std::optional<std::string> parse_instance(std::string_view line, Fleet& fleet) {
  const auto fields = split(line, '|');
  if (fields.size() != 7) return "an instance line has 7 fields separated by '|'";
  Instance instance;
  const std::string id = trim(fields[0]);
  if (id.empty()) return "empty instance id";
  instance.ec2_instance_id = id == "(none)" ? "" : id;
  for (const std::string& a : words(fields[1])) {
    if (a == "-") continue;
    const auto eq = a.find('=');
    if (eq == std::string::npos) {
      instance.set_attribute(a);
    } else {
      instance.set_attribute(a.substr(0, eq), a.substr(eq + 1));
    }
  }
  const std::string connected = trim(fields[2]);
  if (connected != "true" && connected != "false") return "agentConnected must be true or false";
  instance.agent_connected = connected == "true";
  const std::string version = trim(fields[3]);
  instance.agent_version = version == "-" ? "" : version;
  const std::string registered = trim(fields[4]);
  if (registered != "-") {
    instance.registered_at = parse_instant(registered);
    if (!instance.registered_at) return "bad registeredAt: " + registered;
  }
  const auto count = parse_count(trim(fields[5]));
  if (!count) return "bad runningTasksCount";
  instance.running_tasks_count = *count;
  for (const std::string& g : words(fields[6])) {
    if (g != "-") instance.add_task_group(g);
  }
  if (std::find(fleet.ids.begin(), fleet.ids.end(), id) != fleet.ids.end()) return "duplicate instance id " + id;
  fleet.ids.push_back(id);
  fleet.instances.push_back(std::move(instance));
  return std::nullopt;
}

void read_file(const std::filesystem::path& path, Suite& suite) {
  std::ifstream in(path);
  const std::string file = path.filename().string();
  std::string current_fleet;
  Fleet* building = nullptr;
  Case* test = nullptr;
  int number = 0;
  const auto problem = [&](const std::string& what) {
    suite.problems.push_back(Where{file, number}.str() + ": " + what);
  };
  for (std::string raw; std::getline(in, raw);) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    const bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (!indented) {
      building = nullptr;
      test = nullptr;
      if (line.rfind("fleet ", 0) == 0) {
        current_fleet = trim(line.substr(6));
        if (suite.fleets.count(current_fleet)) problem("fleet " + current_fleet + " defined twice");
        building = &suite.fleets[current_fleet];
      } else if (line.rfind("test ", 0) == 0 && line.size() > 7 && line[5] == '"' && line.back() == '"') {
        test = &suite.cases.emplace_back();
        test->where = {file, number};
        test->name = line.substr(6, line.size() - 7);
        test->fleet = current_fleet;
      } else {
        problem("expected 'fleet NAME' or 'test \"NAME\"'");
      }
      continue;
    }
    if (building != nullptr) {
      if (auto error = parse_instance(line, *building)) problem(*error);
      continue;
    }
    if (test == nullptr) {
      problem("indented line outside a fleet or test");
      continue;
    }
    const auto colon = line.find(':');
    const std::string key = colon == std::string::npos ? line : line.substr(0, colon);
    // The expression is everything after "expr: ", verbatim (only the line end is trimmed).
    const std::string rest = colon == std::string::npos ? "" : trim(line.substr(colon + 1));
    if (key == "expr") {
      const auto at = raw.find("expr:");
      std::string text = raw.substr(at + 5);
      if (!text.empty() && text.front() == ' ') text.erase(0, 1);
      while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
      test->expressions.emplace_back(Where{file, number}, text);
    } else if (key == "fleet") {
      test->fleet = rest;
    } else if (key == "match") {
      if (rest == "all") {
        test->match_all = true;
        test->match.emplace();
      } else if (rest == "none") {
        test->match.emplace();
      } else {
        test->match = words(rest);
      }
    } else if (key == "error" || key == "warning") {
      const auto expected = parse_expected(rest);
      if (!expected) {
        problem("expected CODE or CODE @COLUMN");
      } else if (key == "error") {
        test->error = expected;
      } else {
        test->warnings.push_back(*expected);
      }
    } else {
      problem("unknown key '" + key + "'");
    }
  }
}

struct Coverage {
  std::set<std::pair<SubjectKind, Op>> evaluated;
  std::set<std::pair<SubjectKind, Op>> rejected;
  std::set<std::string> spellings;  // operators as written, lower case
  std::set<std::string> expressions;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return out.empty() ? "none" : out;
}

std::vector<std::string> matching(const CheckedQuery& query, const Fleet& fleet) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < fleet.instances.size(); ++i) {
    if (evaluate(query, fleet.instances[i])) ids.push_back(fleet.ids[i]);
  }
  return ids;
}

std::string describe(const std::vector<Diagnostic>& diagnostics, std::string_view source) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += fmt::format(" {}[{}]@{} {}", to_string(d.severity), d.code, line_column(source, d.span.begin).column, d.message);
  }
  return out.empty() ? " (no diagnostics)" : out;
}

bool same_codes(const std::vector<Expected>& expected, const std::vector<Diagnostic>& got, std::string_view source) {
  std::vector<const Diagnostic*> others;
  for (const Diagnostic& d : got) {
    if (d.severity != Severity::error) others.push_back(&d);
  }
  if (others.size() != expected.size()) return false;
  std::vector<bool> used(others.size(), false);
  for (const Expected& e : expected) {
    bool found = false;
    for (std::size_t i = 0; i < others.size() && !found; ++i) {
      if (used[i] || others[i]->code != e.code) continue;
      if (e.column != 0 && static_cast<int>(line_column(source, others[i]->span.begin).column) != e.column) continue;
      used[i] = found = true;
    }
    if (!found) return false;
  }
  return true;
}

// Runs one expression of a case; returns a failure message or nothing.
std::optional<std::string> run(const Case& test, const std::string& text, const Fleet& fleet, Coverage& coverage) {
  const CheckResult result = check(text);
  if (const ParseResult parsed = parse(text); parsed.ok()) {
    for (const Comparison& c : parsed.ast->comparisons) {
      coverage.spellings.insert(lower(text.substr(c.op_span.begin, c.op_span.size())));
    }
  }

  if (test.error) {
    if (result.ok()) return "expected error " + test.error->code + ", but it checked:" + describe(result.diagnostics, text);
    const auto first = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::error; });
    if (first == result.diagnostics.end()) return "no error diagnostic although the check failed";
    const int column = static_cast<int>(line_column(text, first->span.begin).column);
    if (first->code != test.error->code || (test.error->column != 0 && column != test.error->column)) {
      return fmt::format("expected error {}{}, got:{}", test.error->code,
                         test.error->column ? fmt::format(" @{}", test.error->column) : "", describe(result.diagnostics, text));
    }
    if (first->code == "E0201") {
      if (const ParseResult parsed = parse(text); parsed.ok()) {
        for (const Comparison& c : parsed.ast->comparisons) {
          const auto allowed = allowed_operators(c.subject.kind);
          if (std::find(allowed.begin(), allowed.end(), c.op) == allowed.end()) coverage.rejected.insert({c.subject.kind, c.op});
        }
      }
    }
    if (!test.warnings.empty() && !same_codes(test.warnings, result.diagnostics, text)) {
      return "warnings differ:" + describe(result.diagnostics, text);
    }
    return std::nullopt;
  }

  if (!result.ok()) return "expected it to check, got:" + describe(result.diagnostics, text);
  if (!same_codes(test.warnings, result.diagnostics, text)) {
    std::string want;
    for (const Expected& e : test.warnings) want += " " + e.code;
    return fmt::format("expected warnings [{} ], got:{}", want, describe(result.diagnostics, text));
  }
  const CheckedQuery& query = *result.query;
  for (const Comparison& c : query.ast.comparisons) coverage.evaluated.insert({c.subject.kind, c.op});
  coverage.expressions.insert(text);

  const std::vector<std::string> got = matching(query, fleet);
  std::vector<std::string> want = test.match_all ? fleet.ids : *test.match;
  for (const std::string& id : want) {
    if (std::find(fleet.ids.begin(), fleet.ids.end(), id) == fleet.ids.end()) return "no instance " + id + " in fleet " + test.fleet;
  }
  std::vector<std::string> want_sorted = want, got_sorted = got;
  std::sort(want_sorted.begin(), want_sorted.end());
  std::sort(got_sorted.begin(), got_sorted.end());
  if (want_sorted != got_sorted) return fmt::format("expected match: {}\n      got match: {}", join(want), join(got));

  for (std::size_t i = 0; i < fleet.instances.size(); ++i) {
    const Explanation e = explain(query, fleet.instances[i]);
    if (e.result != evaluate(query, fleet.instances[i])) return "explain disagrees with evaluate on " + fleet.ids[i];
  }
  if (query.ast.form == ConstraintForm::expression && !query.ast.empty()) {
    const std::string negated = "not(" + text + ")";
    const CheckResult n = check(negated);
    if (!n.ok()) return "not(EXPR) does not check:" + describe(n.diagnostics, negated);
    for (std::size_t i = 0; i < fleet.instances.size(); ++i) {
      if (evaluate(*n.query, fleet.instances[i]) == evaluate(query, fleet.instances[i])) {
        return "not(EXPR) is not the complement on " + fleet.ids[i];
      }
    }
  }
  const std::string canonical = to_string(query.ast);
  const CheckResult c = check(canonical);
  if (!c.ok()) return "canonical text '" + canonical + "' does not check:" + describe(c.diagnostics, canonical);
  if (matching(*c.query, fleet) != got) return "canonical text '" + canonical + "' matches other instances";
  return std::nullopt;
}

std::filesystem::path conformance_dir() { return std::filesystem::path(ECSQ_TEST_DATA) / "conformance"; }

}  // namespace

TEST_CASE("conformance suite", "[conformance]") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(conformance_dir())) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);

  Suite suite;
  for (const auto& f : files) read_file(f, suite);
  for (const std::string& p : suite.problems) FAIL_CHECK("malformed conformance file: " << p);
  REQUIRE(suite.problems.empty());

  Coverage coverage;
  std::size_t expressions = 0, failures = 0;
  for (const Case& test : suite.cases) {
    const auto fleet = suite.fleets.find(test.fleet);
    if (fleet == suite.fleets.end()) {
      ++failures;
      FAIL_CHECK(test.where.str() << ": test \"" << test.name << "\" names no known fleet '" << test.fleet << "'");
      continue;
    }
    if (test.expressions.empty() || (test.match.has_value() == test.error.has_value())) {
      ++failures;
      FAIL_CHECK(test.where.str() << ": test \"" << test.name << "\" needs expr: lines and exactly one of match: / error:");
      continue;
    }
    for (const auto& [where, text] : test.expressions) {
      ++expressions;
      if (auto failure = run(test, text, fleet->second, coverage)) {
        ++failures;
        FAIL_CHECK(where.str() << ": test \"" << test.name << "\"\n  expr: " << text << "\n  " << *failure);
      }
    }
  }
  std::printf("conformance: %zu files, %zu tests, %zu expressions, %zu passed, %zu failed\n", files.size(),
              suite.cases.size(), expressions, expressions - failures, failures);
  CHECK(failures == 0);

  {  // coverage: every subject x operator, allowed or not, and every spelling
    constexpr SubjectKind subjects[] = {SubjectKind::agent_connected,     SubjectKind::agent_version,
                                        SubjectKind::ec2_instance_id,     SubjectKind::registered_at,
                                        SubjectKind::running_tasks_count, SubjectKind::task_group,
                                        SubjectKind::attribute};
    for (SubjectKind s : subjects) {
      const auto allowed = allowed_operators(s);
      for (int i = 0; i < op_count; ++i) {
        const Op op = static_cast<Op>(i);
        const bool ok = std::find(allowed.begin(), allowed.end(), op) != allowed.end();
        INFO(to_string(s) << " " << to_string(op));
        if (ok) {
          CHECK(coverage.evaluated.count({s, op}) == 1);
        } else {
          CHECK(coverage.rejected.count({s, op}) == 1);
        }
      }
    }
    for (int i = 0; i < op_count; ++i) {
      const Op op = static_cast<Op>(i);
      INFO(to_string(op));
      CHECK(coverage.spellings.count(std::string(to_string(op))) == 1);
      CHECK(coverage.spellings.count(std::string(word_spelling(op))) == 1);
    }
  }

  {  // coverage: every documented AWS expression is a conformance case
    std::size_t documented = 0;
    for (const std::string& line : documented_examples()) {
      ++documented;
      INFO(line);
      CHECK(coverage.expressions.count(line) == 1);
    }
    CHECK(documented == 20);
  }
}
