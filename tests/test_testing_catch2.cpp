// ecsq/testing/catch2.hpp: the matchers a placement-policy test suite uses, what their failure
// messages say (the explanation tree, with what each clause saw), and Instance::attribute_value.
#include "ecsq/testing/catch2.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "ecsq/instance.hpp"
#include "ecsq/query.hpp"
#include "helpers.hpp"

using namespace ecsq;
using ecsq::testing::Satisfies;
using ecsq::testing::Selects;

namespace {

Instance in_zone(std::string id, std::string zone, std::string os = "linux") {
  Instance i;
  i.ec2_instance_id = std::move(id);
  i.set_attribute("ecs.availability-zone", std::move(zone));
  i.set_attribute("ecs.os-type", std::move(os));
  i.set_attribute("ecs.instance-type", "t2.small");
  return i;
}

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("Instance::attribute_value: the value, or nullopt when missing or valueless", "[instance][testing]") {
  Instance i;
  i.set_attribute("stack", "prod");
  i.set_attribute("empty", "");
  i.set_attribute("ecs.capability.task-eni");
  CHECK(i.attribute_value("stack") == std::optional<std::string_view>("prod"));
  REQUIRE(i.attribute_value("empty").has_value());
  CHECK(i.attribute_value("empty")->empty());
  CHECK_FALSE(i.attribute_value("ecs.capability.task-eni").has_value());
  CHECK_FALSE(i.attribute_value("missing").has_value());
  CHECK_FALSE(i.attribute_value("Stack").has_value());  // names are case-sensitive
  i.set_attribute("stack", "dev");
  CHECK(i.attribute_value("stack") == std::optional<std::string_view>("dev"));
}

TEST_CASE("Satisfies: a failing match describes the expression and the explanation tree", "[testing]") {
  const Instance i = in_zone("i-1", "us-east-1d");
  const Satisfies matcher("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d");
  CHECK_FALSE(matcher.match(i));
  const std::string message = matcher.toString();
  CHECK(message ==
        "satisfies attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone != us-east-1d\n"
        "✗ and\n"
        "  ✓ attribute:ecs.instance-type =~ t2.*    saw \"t2.small\"\n"
        "  ✗ attribute:ecs.availability-zone != us-east-1d    saw \"us-east-1d\"\n");
  CHECK(contains(message, "✗ attribute:ecs.availability-zone != us-east-1d"));
  CHECK(contains(message, "saw \"us-east-1d\""));
}

TEST_CASE("Satisfies: what Catch prints for a failed CHECK_THAT", "[testing]") {
  // The text of Catch's "with expansion:" for CHECK_THAT(instance, Satisfies(...)), built as Catch
  // builds it: the instance through operator<<, then the matcher's description.
  const Instance i = in_zone("i-1", "us-east-1a");
  const Satisfies matcher("ecs.os-type == windows");
  REQUIRE_FALSE(matcher.match(i));
  const std::string expansion = Catch::Detail::stringify(i) + " " + matcher.toString();
  CHECK(contains(expansion, "Instance{i-1, agentConnected=true"));
  CHECK(contains(expansion, "ecs.os-type=\"linux\""));
  CHECK(contains(expansion, "satisfies attribute:ecs.os-type == windows\n✗ attribute:ecs.os-type == windows    saw \"linux\"\n"));
}

TEST_CASE("Satisfies: negated, combined, and from a checked query", "[testing]") {
  const Instance i = in_zone("i-1", "us-east-1a");
  CHECK_THAT(i, Satisfies("attribute:ecs.os-type == linux"));
  CHECK_THAT(i, !Satisfies("attribute:ecs.os-type == windows"));
  CHECK_THAT(i, Satisfies("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]") &&
                    !Satisfies("attribute:ecs.instance-type =~ m5.*"));
  CHECK_THAT(i, Satisfies("attribute:gpu exists") || Satisfies("memberOf(attribute:ecs.os-type == linux)"));
  static const CheckedQuery on_linux = query("attribute:ecs.os-type == linux");
  CHECK_THAT(i, Satisfies(on_linux));

  // The negation's description says why the instance did satisfy it.
  // (Catch's combined matchers refer to their parts, which must outlive them.)
  const Satisfies linux_matcher("attribute:ecs.os-type == linux");
  const auto negated = !linux_matcher;
  CHECK_FALSE(negated.match(i));
  CHECK(contains(negated.toString(), "not satisfies attribute:ecs.os-type == linux\n✓ attribute:ecs.os-type == linux    saw \"linux\""));

  // The empty expression and distinctInstance hold on every instance.
  CHECK_THAT(Instance{}, Satisfies(""));
  CHECK_THAT(Instance{}, Satisfies("distinctInstance"));
  const Satisfies empty("");
  CHECK(empty.match(i));
  CHECK(empty.toString() == "satisfies the empty expression\n✓ (no expression)\n");
}

TEST_CASE("Satisfies: an expression with an error fails loudly with its diagnostics", "[testing]") {
  CHECK_THROWS_AS(Satisfies("attribute:ecs.os-type windows"), QueryError);
  CHECK_THROWS_WITH(Satisfies("agentversion > 1.0"),
                    Catch::Contains("error[E0106]: unknown subject 'agentversion'; did you mean 'agentVersion'?"));
}

TEST_CASE("Selects: exactly these instances of a fleet, in any order", "[testing]") {
  const std::vector<Instance> fleet = {in_zone("i-a", "us-east-1a"), in_zone("i-b", "us-east-1b"),
                                       in_zone("i-c", "us-east-1c", "windows")};
  CHECK_THAT(fleet, Selects("attribute:ecs.os-type == linux", {"i-b", "i-a"}));
  CHECK_THAT(fleet, Selects("attribute:ecs.availability-zone == us-east-1d", {}));
  CHECK_THAT(fleet, !Selects("attribute:ecs.os-type == linux", {"i-a"}));

  const Selects wrong("attribute:ecs.availability-zone != us-east-1c", {"i-a", "i-c", "i-z"});
  CHECK_FALSE(wrong.match(fleet));
  CHECK(wrong.toString() ==
        "selects exactly {i-a, i-c, i-z} with attribute:ecs.availability-zone != us-east-1c\n"
        "  it selected {i-a, i-b}\n"
        "  i-z: expected, but there is no such instance\n"
        "  i-b: selected, not expected\n"
        "    ✓ attribute:ecs.availability-zone != us-east-1c    saw \"us-east-1b\"\n"
        "  i-c: expected, not selected\n"
        "    ✗ attribute:ecs.availability-zone != us-east-1c    saw \"us-east-1c\"\n");
}
