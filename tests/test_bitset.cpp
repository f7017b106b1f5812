// Bitset operations on sets of different sizes: a set built before Fleet::add is shorter than one
// selected after it. Bits past a set's size read as clear; ASan builds catch any read past the end.
#include <catch2/catch.hpp>

#include <vector>

#include "ecsq/bitset.hpp"
#include "ecsq/check.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "helpers.hpp"

using ecsq::Bitset;
using ecsq::InstanceId;

namespace {

Bitset of(std::size_t size, const std::vector<InstanceId>& bits) {
  Bitset b(size);
  for (const InstanceId i : bits) b.set(i);
  return b;
}

}  // namespace

TEST_CASE("bitset: &= with a shorter or longer operand treats missing bits as clear", "[bitset]") {
  const Bitset small = of(65, {0, 64});
  const Bitset large = of(130, {0, 64, 65, 129});

  Bitset a = large;
  a &= small;
  CHECK(a.size() == 130);
  CHECK(a.to_vector() == std::vector<InstanceId>{0, 64});

  Bitset b = small;
  b &= large;
  CHECK(b.size() == 65);
  CHECK(b.to_vector() == std::vector<InstanceId>{0, 64});

  Bitset c = large;
  c &= Bitset();
  CHECK(c.size() == 130);
  CHECK(c.none());
}

TEST_CASE("bitset: |= grows to the larger operand", "[bitset]") {
  Bitset a = of(65, {1, 64});
  a |= of(130, {2, 129});
  CHECK(a.size() == 130);
  CHECK(a.to_vector() == std::vector<InstanceId>{1, 2, 64, 129});

  Bitset b = of(130, {129});
  b |= of(3, {0, 2});
  CHECK(b.size() == 130);
  CHECK(b.to_vector() == std::vector<InstanceId>{0, 2, 129});

  Bitset empty;
  empty |= of(70, {69});
  CHECK(empty.size() == 70);
  CHECK(empty.to_vector() == std::vector<InstanceId>{69});
}

TEST_CASE("bitset: -= with a shorter or longer operand keeps the left size", "[bitset]") {
  Bitset a = of(130, {0, 64, 65, 129});
  a -= of(65, {64});
  CHECK(a.size() == 130);
  CHECK(a.to_vector() == std::vector<InstanceId>{0, 65, 129});

  Bitset b = of(65, {0, 1, 64});
  b -= of(130, {1, 64, 129});
  CHECK(b.size() == 65);
  CHECK(b.to_vector() == std::vector<InstanceId>{0});
}

TEST_CASE("bitset: test past the end is false, set past the end grows", "[bitset]") {
  Bitset b(65);
  CHECK_FALSE(b.test(65));
  CHECK_FALSE(b.test(1000000));
  b.set(200, false);  // clearing a bit that is not there changes nothing
  CHECK(b.size() == 65);
  b.set(200);
  CHECK(b.size() == 201);
  CHECK(b.test(200));
  CHECK(b.to_vector() == std::vector<InstanceId>{200});
  CHECK(Bitset().none());
  CHECK_FALSE(Bitset().test(0));
}

TEST_CASE("bitset: equality needs the same size and bits", "[bitset]") {
  CHECK(of(65, {3}) == of(65, {3}));
  CHECK_FALSE(of(65, {3}) == of(66, {3}));
  CHECK_FALSE(of(65, {3}) == of(65, {4}));
}

TEST_CASE("bitset: holders built before the fleet grew combine with a later select", "[bitset][matcher]") {
  ecsq::Fleet fleet;
  for (int i = 0; i < 65; ++i) fleet.add(ecsq::testing::make_instance("i-" + std::to_string(i), "t2.small"));
  Bitset holders(fleet.slot_count());
  holders.set(3);
  for (int i = 65; i < 130; ++i) fleet.add(ecsq::testing::make_instance("i-" + std::to_string(i), "t2.small"));
  const ecsq::CheckedQuery query = ecsq::testing::checked("attribute:ecs.instance-type == t2.small");
  Bitset candidates = ecsq::compile(query, fleet).select(fleet);
  REQUIRE(candidates.size() == 130);
  candidates -= holders;
  CHECK(candidates.count() == 129);
  CHECK_FALSE(candidates.test(3));
  CHECK(candidates.test(129));
  Bitset both = holders;
  both &= candidates;
  CHECK(both.none());
  holders |= candidates;
  CHECK(holders.count() == 130);
}
