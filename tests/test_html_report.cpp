// The HTML report (src/report/): the page is the template with one JSON blob that simdjson reads
// back, no text in the data can close its script element, and each instance's category is the
// engine's first failure, so the per-category counts equal PlacementResult::rejections. What the
// page's script draws from the blob is tested in a browser (tests/browser/check_report.py).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include <simdjson.h>

#include "ecsq/check.hpp"
#include "ecsq/cluster.hpp"
#include "ecsq/placement.hpp"
#include "placement_fixtures.hpp"
#include "report/html_report.hpp"

using namespace ecsq;
using namespace ecsq::testing;

namespace {

// The JSON blob of a report page.
std::string data_of(const std::string& page) {
  const std::string open = R"(<script type="application/json" id="report-data">)";
  const std::size_t start = page.find(open);
  REQUIRE(start != std::string::npos);
  const std::size_t end = page.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return page.substr(start + open.size(), end - start - open.size());
}

}  // namespace

TEST_CASE("report page: the data cannot close its script element and reads back as JSON", "[report]") {
  const std::string page = detail::report_page("a <b> & \"c\"", R"({"id":"</script><script>alert(1)</script>"})");
  CHECK(page.find("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>") != std::string::npos);
  const std::string data = data_of(page);
  CHECK(data.find('<') == std::string::npos);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(data);
  std::string_view id;
  REQUIRE(parser.parse(padded)["id"].get(id) == simdjson::SUCCESS);
  CHECK(id == "</script><script>alert(1)</script>");
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
}

TEST_CASE("placement report: one instance per fleet slot, categories from the engine's first failures", "[report]") {
  Cluster cluster;
  cluster.add(host("i-1", "us-east-1a"), left(1024, 1024));
  cluster.add(host("i-2", "us-east-1b"), left(1024, 1024));
  Instance disconnected = host("i-3", "us-east-1a");
  disconnected.agent_connected = false;
  cluster.add(disconnected, left(0, 0));
  Instance draining = host("i-4", "us-east-1b");
  draining.status = "DRAINING";
  cluster.add(draining, left(0, 0));
  TaskDemand demand = task(512, 512);
  demand.family = "web";
  const PlacementRequest request = run_task(6, {"binpack:cpu"});
  PlacementOptions options;
  options.ties = TieBreak::fleet_order;
  options.record_first_failures = true;
  const PlacementResult result = plan(cluster, demand, request, options);
  REQUIRE_FALSE(result.has_errors());

  const std::string page = detail::placement_report_html({cluster, demand, request, result, {}});
  const std::string data = data_of(page);
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(data);
  simdjson::dom::element root;
  REQUIRE(parser.parse(padded).get(root) == simdjson::SUCCESS);
  simdjson::dom::array categories;
  REQUIRE(root["categories"].get(categories) == simdjson::SUCCESS);
  std::vector<std::string> labels;
  for (const simdjson::dom::element c : categories) labels.emplace_back(std::string_view(c["label"]));

  std::map<std::string, std::size_t> counted;
  std::map<std::string, std::string> tasks_of;
  simdjson::dom::array instances;
  REQUIRE(root["instances"].get(instances) == simdjson::SUCCESS);
  CHECK(instances.size() == 4);
  for (const simdjson::dom::element instance : instances) {
    const std::string id{std::string_view(instance["id"])};
    ++counted[labels.at(static_cast<std::size_t>(std::int64_t(instance["c"])))];
    std::string tasks;
    for (const simdjson::dom::element t : simdjson::dom::array(instance["t"])) tasks += std::to_string(std::int64_t(t)) + " ";
    tasks_of[id] = tasks;
  }
  for (std::size_t f = 0; f < placement_filter_count; ++f) {
    const std::string reason(failure_reason(static_cast<PlacementFilter>(f)));
    INFO(reason);
    CHECK(counted[reason] == result.rejections[f]);
  }
  CHECK(counted["Not ACTIVE (never a candidate)"] == 1);
  CHECK(tasks_of == std::map<std::string, std::string>{{"i-1", "0 1 "}, {"i-2", "2 3 "}, {"i-3", ""}, {"i-4", ""}});
  simdjson::dom::array failures;
  REQUIRE(root["failures"].get(failures) == simdjson::SUCCESS);
  CHECK(failures.size() == 2);
}

TEST_CASE("explain report: one instance per input, matching or not as explain() says", "[report]") {
  const std::vector<Instance> instances = {host("i-1", "us-east-1a"), host("i-2", "us-east-1b")};
  const CheckResult checked = check("attribute:ecs.availability-zone == us-east-1a");
  REQUIRE(checked.query);
  const std::string data = data_of(detail::explain_report_html("zone a", *checked.query, instances));
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(data);
  simdjson::dom::element root;
  REQUIRE(parser.parse(padded).get(root) == simdjson::SUCCESS);
  CHECK(std::int64_t(root["matched"]) == 1);
  simdjson::dom::array cells = root["instances"];
  REQUIRE(cells.size() == 2);
  CHECK(std::int64_t(cells.at(0)["c"]) == 0);  // matches
  CHECK(std::int64_t(cells.at(1)["c"]) == 1);  // does not match
}
