// query(): the checked form of an expression a program writes itself, or a QueryError that carries the
// diagnostics rendered with the source.
#include <catch2/catch.hpp>

#include <string>

#include "ecsq/diagnostic.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/print.hpp"
#include "ecsq/query.hpp"
#include "helpers.hpp"

using namespace ecsq;

TEST_CASE("query: an expression that checks gives the same query as check()", "[query]") {
  const std::string text = "attribute:ecs.os-type == linux and runningTasksCount < 3";
  const CheckedQuery q = query(text);
  const CheckResult c = check(text);
  REQUIRE(c.ok());
  CHECK(same_tree(q.ast, c.query->ast));
  CHECK(q.comparisons.size() == 2);
  Instance instance;
  instance.set_attribute("ecs.os-type", "linux");
  CHECK(evaluate(q, instance));
}

TEST_CASE("query: warnings alone do not throw", "[query]") {
  const std::string text = "ecs.os-type == linux";  // the shorthand: W0101
  const CheckResult c = check(text);
  REQUIRE(c.ok());
  REQUIRE(ecsq::testing::codes(c.diagnostics) == std::vector<std::string>{"W0101"});
  CheckedQuery q;
  CHECK_NOTHROW(q = query(text));
  CHECK(to_string(q.ast) == "attribute:ecs.os-type == linux");
}

TEST_CASE("query: an error throws QueryError with the rendered diagnostics", "[query]") {
  const std::string text = "attribute:ecs.instance-type t2.small";
  const CheckResult c = check(text);
  REQUIRE_FALSE(c.ok());
  try {
    (void)query(text);
    FAIL("query() did not throw");
  } catch (const QueryError& error) {
    CHECK(error.source() == text);
    CHECK(ecsq::testing::codes(error.diagnostics()) == ecsq::testing::codes(c.diagnostics));
    CHECK(std::string(error.what()) == render_text(c.diagnostics.front(), text));
    CHECK(std::string(error.what()).starts_with("error[E0103]: expected an operator after subject"));
    CHECK(std::string(error.what()).find(" --> 1:29") != std::string::npos);
  }
  // It is a std::invalid_argument, so code that only knows the standard exceptions reports it too.
  CHECK_THROWS_AS(query("agentversion > 1.0"), std::invalid_argument);
  CHECK_THROWS_WITH(query("agentversion > 1.0"), Catch::Contains("help: write 'agentVersion > 1.0'"));
}

TEST_CASE("query: every diagnostic is in the message, warnings included", "[query]") {
  const std::string text = "foo == x and atribute:stack == prod";
  const CheckResult c = check(text);
  REQUIRE_FALSE(c.ok());
  REQUIRE(c.diagnostics.size() >= 2);
  std::string expected;
  for (const Diagnostic& d : c.diagnostics) expected += render_text(d, text);
  CHECK_THROWS_WITH(query(text), expected);
}

TEST_CASE("query: the options reach parse and check", "[query]") {
  ParseOptions strict;
  strict.allow_constraint_forms = false;
  CHECK_NOTHROW(query("memberOf(attribute:a exists)"));
  CHECK_THROWS_AS(query("memberOf(attribute:a exists)", strict), QueryError);
  ParseOptions short_input;
  short_input.max_input_bytes = 8;
  CHECK_THROWS_WITH(query("attribute:a exists", short_input), Catch::Contains("E0150"));
}

TEST_CASE("query: a QueryError copies and keeps its details", "[query]") {
  const QueryError original("x ==", check("x ==").diagnostics);
  const QueryError copy = original;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the test
  CHECK(std::string(copy.what()) == original.what());
  CHECK(&copy.diagnostics() == &original.diagnostics());  // shared, so copying cannot throw
  CHECK(copy.source() == "x ==");
  CHECK_FALSE(copy.diagnostics().empty());
}
