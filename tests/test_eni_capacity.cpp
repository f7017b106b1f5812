#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "placement/eni_capacity.hpp"

using ecsq::detail::awsvpc_task_capacity;
using ecsq::detail::eni_capacity;
using ecsq::detail::eni_capacity_table;
using ecsq::detail::EniTableRow;

// The sources behind the spot values below (the header of data/eni-capacity.tsv pins them):
//   [guide]  awsdocs/amazon-ecs-developer-guide@49232cf:doc_source/container-instance-eni.md
//   [limits] aws/amazon-vpc-resource-controller-k8s@58c8559e:pkg/aws/vpc/limits.go

namespace {

// The awsvpc task capacity as text, so a failing check shows it ("unlimited" for nullopt).
std::string capacity(std::string_view instance_type, bool trunked) {
  const auto tasks = awsvpc_task_capacity(instance_type, trunked);
  return tasks ? std::to_string(*tasks) : "unlimited";
}

}  // namespace

TEST_CASE("W5: a c5.large holds 2 awsvpc tasks, 10 with ENI trunking", "[placement]") {
  // [guide] line 6: "by default a `c5.large` instance may have up to three ENIs ... you can
  // typically only run two such tasks"; line 8: "ten tasks on the container instance instead of
  // the current two tasks"; line 300: "| c5\.large | 2 | 10 |"; [limits] line 409: Interface 3.
  const auto limits = eni_capacity("c5.large");
  REQUIRE(limits);
  CHECK(limits->max_network_interfaces == 3);
  CHECK(limits->trunk_task_limit.value_or(0) == 10);
  CHECK(capacity("c5.large", false) == "2");
  CHECK(capacity("c5.large", true) == "10");
}

TEST_CASE("ENI capacity: spot values from the sources", "[placement]") {
  SECTION("the guide's trunk limit where it is not branches + interfaces - 2") {
    // [guide] line 569: "| i4i\.32xlarge | 14 | 498 |".
    CHECK(capacity("i4i.32xlarge", false) == "14");
    CHECK(capacity("i4i.32xlarge", true) == "498");
    // [guide] line 613: "| p3\.2xlarge | 3 | 40 |", although [limits] says p3.2xlarge is not
    // IsTrunkingCompatible.
    CHECK(capacity("p3.2xlarge", true) == "40");
  }
  SECTION("EC2's current interface count where the guide's older count is lower") {
    // [guide] line 396: "| c6in\.32xlarge | 13 | 120 |"; [limits] line 1849: Interface 16 (two
    // network cards of 8), raised after the guide was archived.
    CHECK(capacity("c6in.32xlarge", false) == "15");
    CHECK(capacity("c6in.32xlarge", true) == "120");
  }
  SECTION("a trunk limit derived for a type newer than the guide") {
    // [limits] lines 9760-9763, m7i.large: Interface 3, IsTrunkingCompatible true,
    // BranchInterface 9; 9 + 3 - 2 = 10, as the guide gives for c5.large with the same numbers.
    CHECK(capacity("m7i.large", false) == "2");
    CHECK(capacity("m7i.large", true) == "10");
  }
  SECTION("a type without trunking falls back to its interfaces when trunked") {
    // [limits] lines 16540-16542, t3.micro: Interface 2, IsTrunkingCompatible false.
    const auto limits = eni_capacity("t3.micro");
    REQUIRE(limits);
    CHECK(limits->max_network_interfaces == 2);
    CHECK_FALSE(limits->trunk_task_limit);
    CHECK(capacity("t3.micro", false) == "1");
    CHECK(capacity("t3.micro", true) == "1");
    // [guide] line 151: "The `c5n`, ... instance families are not supported" (for trunking),
    // although [limits] lines 889-892 mark c5n.large trunking-compatible with 3 interfaces.
    CHECK_FALSE(eni_capacity("c5n.large")->trunk_task_limit);
    CHECK(capacity("c5n.large", true) == "2");
  }
  SECTION("a type only the guide has") {
    // [guide] line 407: "| hpc6a\.48xlarge | 1 | 120 |"; [limits] has no hpc6a.48xlarge.
    CHECK(eni_capacity("hpc6a.48xlarge")->max_network_interfaces == 2);
    CHECK(capacity("hpc6a.48xlarge", false) == "1");
    CHECK(capacity("hpc6a.48xlarge", true) == "120");
  }
}

TEST_CASE("ENI capacity: an unknown instance type is not limited", "[placement]") {
  for (const std::string_view type : {"", "c5", "c5.", "C5.large", "c5.large ", "c5.largex",
                                      "zz9.huge", "aaa.large", "c5.larg"}) {
    CAPTURE(std::string(type));
    CHECK_FALSE(eni_capacity(type));
    CHECK(capacity(type, false) == "unlimited");
    CHECK(capacity(type, true) == "unlimited");
  }
}

TEST_CASE("ENI capacity: the compiled table is sorted, unique and consistent", "[placement]") {
  const auto table = eni_capacity_table();
  REQUIRE(table.size() > 100);
  CHECK(std::adjacent_find(table.begin(), table.end(), [](const auto& a, const auto& b) {
          return !(a.instance_type < b.instance_type);
        }) == table.end());
  for (const EniTableRow& row : table) {
    CAPTURE(std::string(row.instance_type));
    REQUIRE(row.max_network_interfaces >= 1);
    // Trunking must add capacity, or the type would be listed without a trunk limit.
    if (row.trunk_task_limit != 0) CHECK(row.trunk_task_limit > row.max_network_interfaces - 1);
    // Every row is found by the lookup, with its own values.
    const auto limits = eni_capacity(row.instance_type);
    REQUIRE(limits);
    CHECK(limits->max_network_interfaces == row.max_network_interfaces);
    CHECK(limits->trunk_task_limit.value_or(0) == row.trunk_task_limit);
  }
  // Just outside the first and last rows: the binary search's edges.
  CHECK_FALSE(eni_capacity(std::string(table.front().instance_type).substr(0, 1)));
  CHECK_FALSE(eni_capacity(std::string(table.back().instance_type) + "x"));
}

TEST_CASE("ENI capacity: the compiled table is data/eni-capacity.tsv", "[placement]") {
  // One source of truth: a build whose table differs from the TSV missed a re-configure.
  std::ifstream file(std::string(ECSQ_SOURCE_DIR) + "/data/eni-capacity.tsv");
  REQUIRE(file);
  std::vector<std::string> from_file;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line.front() == '#') continue;
    // Drop the fourth column (the source of the row), which the library does not keep.
    from_file.push_back(line.substr(0, line.rfind('\t')));
  }
  std::vector<std::string> compiled;
  for (const EniTableRow& row : eni_capacity_table()) {
    std::ostringstream text;
    text << row.instance_type << '\t' << row.max_network_interfaces << '\t';
    if (row.trunk_task_limit != 0) text << row.trunk_task_limit;
    compiled.push_back(text.str());
  }
  CHECK(compiled == from_file);
}
