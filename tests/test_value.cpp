#include <catch2/catch.hpp>

#include "ecsq/value.hpp"

using ecsq::Instant;
using ecsq::is_decimal;
using ecsq::parse_count;
using ecsq::parse_instant;
using ecsq::parse_version;

namespace {

// Catch2 v2 cannot decompose `ordering < 0`, so the tests compare signs as ints.
int sign(std::strong_ordering order) { return order < 0 ? -1 : order > 0 ? 1 : 0; }

int version_order(std::string_view a, std::string_view b) {
  const auto x = parse_version(a);
  const auto y = parse_version(b);
  REQUIRE(x);
  REQUIRE(y);
  return sign(ecsq::compare(*x, *y));
}

int compare_decimal(std::string_view a, std::string_view b) { return sign(ecsq::compare_decimal(a, b)); }

int compare_attribute_values(std::string_view a, std::string_view b) {
  return sign(ecsq::compare_attribute_values(a, b));
}

std::int64_t instant_seconds(std::string_view text) {
  const auto instant = parse_instant(text);
  REQUIRE(instant);
  return instant->seconds;
}

}  // namespace

TEST_CASE("parse_version reads components and suffix", "[value][version]") {
  const auto v = parse_version("1.14.5");
  REQUIRE(v);
  CHECK(v->size == 3);
  CHECK(v->parts[0] == 1);
  CHECK(v->parts[1] == 14);
  CHECK(v->parts[2] == 5);
  CHECK_FALSE(v->has_suffix);

  const auto beta = parse_version("1.0.0-beta.2");
  REQUIRE(beta);
  CHECK(beta->size == 3);
  CHECK(beta->has_suffix);
  CHECK(beta->suffix == "beta.2");

  const auto single = parse_version("20");
  REQUIRE(single);
  CHECK(single->size == 1);
  CHECK(single->parts[0] == 20);

  const auto big = parse_version("18446744073709551615.1");
  REQUIRE(big);
  CHECK(big->parts[0] == 18446744073709551615ULL);
  CHECK(parse_version("1.2.3.4.5.6.7.8"));
}

TEST_CASE("parse_version rejects malformed text", "[value][version]") {
  for (const char* text : {"", ".", "1.", ".1", "1..2", "v1.2", "1.2a", "1.-2", "+1", "1.2-", "1.2 ", " 1.2",
                           "1.2-be ta", "1.2.3.4.5.6.7.8.9", "18446744073709551616", "1,2", "-1"}) {
    INFO(text);
    CHECK_FALSE(parse_version(text));
  }
}

TEST_CASE("compare orders versions numerically", "[value][version]") {
  CHECK(version_order("1.9.0", "1.14.5") < 0);
  CHECK(version_order("1.14.5", "1.9.0") > 0);
  CHECK(version_order("1.14", "1.14.0") == 0);
  CHECK(version_order("1", "1.0.0.0") == 0);
  CHECK(version_order("1.14", "1.14.1") < 0);
  CHECK(version_order("2", "1.99.99") > 0);
  CHECK(version_order("1.010", "1.10") == 0);  // leading zeros do not change the number
  CHECK(version_order("1.68.2", "1.82.0") < 0);
}

TEST_CASE("compare puts a suffixed version before the release", "[value][version]") {
  CHECK(version_order("1.14.5-rc1", "1.14.5") < 0);
  CHECK(version_order("1.14.5", "1.14.5-rc1") > 0);
  CHECK(version_order("1.14.5-rc1", "1.14.4") > 0);  // the numbers decide first
  CHECK(version_order("1.14-rc1", "1.14.0-rc1") == 0);
  CHECK(version_order("1.0-alpha", "1.0-beta") < 0);
  CHECK(version_order("1.0-B", "1.0-a") < 0);   // bytewise: 'B' (0x42) < 'a' (0x61)
  CHECK(version_order("1.0-rc10", "1.0-rc9") < 0);  // suffixes are bytes, not numbers
}

namespace {

struct VersionCase {
  const char* text;
  bool valid;
};

// Versions both readers must agree on: plain, suffixed, at and past the limits of 8 parts and 64 bits.
const VersionCase version_cases[] = {
    {"1", true},
    {"20", true},
    {"0.0.0", true},
    {"1.14.5", true},
    {"1.14.5.0", true},
    {"1.010", true},
    {"1.0.0-beta", true},
    {"1.0.0-beta.2", true},
    {"1.14-rc1", true},
    {"1.14.0-rc1", true},
    {"1.0-B", true},
    {"1.0-a", true},
    {"1.0--x", true},
    {"1.2.3-a+b_c.d-e", true},
    {"1.14.5-a-suffix-much-longer-than-any-small-string-buffer", true},
    {"1.2.3.4.5.6.7.8", true},
    {"1.2.3.4.5.6.7.8-x", true},
    {"18446744073709551615", true},
    {"18446744073709551615.18446744073709551615-z", true},
    {"", false},
    {".", false},
    {"1.", false},
    {".1", false},
    {"1..2", false},
    {"v1.2", false},
    {"1.2a", false},
    {"1.-2", false},
    {"+1", false},
    {"-1", false},
    {"-", false},
    {"-beta", false},
    {"1-", false},
    {"1.2-", false},
    {"1.2 ", false},
    {" 1.2", false},
    {"1,2", false},
    {"1.2-be ta", false},
    {"1.2-caf\xc3\xa9", false},
    {"1.2.3.4.5.6.7.8.9", false},
    {"1.2.3.4.5.6.7.8.9-x", false},
    {"18446744073709551616", false},
    {"1.18446744073709551616-x", false},
    {"99999999999999999999999", false},
};

}  // namespace

TEST_CASE("parse_version_view reads what parse_version reads, without copying the suffix", "[value][version]") {
  for (const VersionCase& c : version_cases) {
    INFO(c.text);
    const std::string_view text = c.text;
    const auto view = ecsq::parse_version_view(text);
    const auto version = parse_version(text);
    CHECK(view.has_value() == c.valid);
    CHECK(version.has_value() == c.valid);
    if (!view || !version) continue;
    CHECK(view->size == version->size);
    CHECK(view->parts == version->parts);
    CHECK(view->has_suffix == version->has_suffix);
    CHECK(view->suffix == version->suffix);
    const std::size_t dash = text.find('-');
    CHECK(view->has_suffix == (dash != std::string_view::npos));
    if (view->has_suffix) CHECK(view->suffix.data() == text.data() + dash + 1);
  }
  const auto eight = ecsq::parse_version_view("1.2.3.4.5.6.7.8");
  REQUIRE(eight);
  CHECK(eight->size == 8);
  CHECK(eight->parts[7] == 8);
  const auto widest = ecsq::parse_version_view("18446744073709551615-rc");
  REQUIRE(widest);
  CHECK(widest->parts[0] == 18446744073709551615ULL);
  CHECK(widest->suffix == "rc");
}

TEST_CASE("compare(VersionView, Version) orders as compare(Version, Version)", "[value][version]") {
  for (const VersionCase& a : version_cases) {
    for (const VersionCase& b : version_cases) {
      if (!a.valid || !b.valid) continue;
      INFO(a.text << " vs " << b.text);
      const auto view = ecsq::parse_version_view(a.text);
      const auto x = parse_version(a.text);
      const auto y = parse_version(b.text);
      REQUIRE(view);
      REQUIRE(x);
      REQUIRE(y);
      CHECK(sign(ecsq::compare(*view, *y)) == sign(ecsq::compare(*x, *y)));
    }
  }
  // The numbers decide first; then a suffix sorts before none; then suffixes compare as bytes.
  const auto rc = ecsq::parse_version_view("1.14.5-rc1");
  REQUIRE(rc);
  CHECK(sign(ecsq::compare(*rc, *parse_version("1.14.5"))) < 0);
  CHECK(sign(ecsq::compare(*rc, *parse_version("1.14.4"))) > 0);
  CHECK(sign(ecsq::compare(*rc, *parse_version("1.14.5.0-rc1"))) == 0);
  CHECK(sign(ecsq::compare(*rc, *parse_version("1.14.5-rc10"))) < 0);
}

TEST_CASE("parse_instant accepts the four forms", "[value][instant]") {
  constexpr std::int64_t expected = 1529360908;  // 2018-06-18T22:28:28Z
  CHECK(instant_seconds("2018-06-18T22:28:28+00:00") == expected);
  CHECK(instant_seconds("2018-06-18T22:28:28Z") == expected);
  CHECK(instant_seconds("2018-06-18T22:28:28") == expected);
  CHECK(instant_seconds("2018-06-18") == 1529280000);
  CHECK(instant_seconds("1970-01-01") == 0);
  CHECK(instant_seconds("1969-12-31T23:59:59Z") == -1);

  bool date_only = false;
  REQUIRE(parse_instant("2018-06-18", &date_only));
  CHECK(date_only);
  REQUIRE(parse_instant("2018-06-18T00:00:00", &date_only));
  CHECK_FALSE(date_only);
}

TEST_CASE("parse_instant applies the offset", "[value][instant]") {
  constexpr std::int64_t utc = 1529360908;
  // 22:28:28 at +02:00 is 20:28:28 UTC; at -05:30 it is 03:58:28 UTC the next day.
  CHECK(instant_seconds("2018-06-18T22:28:28+02:00") == utc - 2 * 3600);
  CHECK(instant_seconds("2018-06-18T22:28:28-05:30") == utc + 5 * 3600 + 30 * 60);
  CHECK(instant_seconds("2018-06-19T00:28:28+02:00") == utc);
  CHECK(instant_seconds("2018-06-18T22:28:28+23:59") == utc - 23 * 3600 - 59 * 60);
}

TEST_CASE("parse_instant validates calendar ranges", "[value][instant]") {
  CHECK(parse_instant("2020-02-29"));   // leap year
  CHECK(parse_instant("2000-02-29"));   // divisible by 400
  CHECK_FALSE(parse_instant("1900-02-29"));  // divisible by 100, not 400
  CHECK_FALSE(parse_instant("2019-02-29"));
  CHECK_FALSE(parse_instant("2018-04-31"));
  CHECK(parse_instant("2018-12-31"));
  CHECK_FALSE(parse_instant("2018-13-01"));
  CHECK_FALSE(parse_instant("2018-00-10"));
  CHECK_FALSE(parse_instant("2018-01-00"));
  CHECK_FALSE(parse_instant("2018-01-32"));
  CHECK(parse_instant("2018-01-01T23:59:59Z"));
  CHECK_FALSE(parse_instant("2018-01-01T24:00:00Z"));
  CHECK_FALSE(parse_instant("2018-01-01T12:60:00Z"));
  CHECK_FALSE(parse_instant("2018-01-01T12:00:60Z"));
  CHECK_FALSE(parse_instant("2018-01-01T12:00:00+24:00"));
  CHECK_FALSE(parse_instant("2018-01-01T12:00:00+01:60"));
}

TEST_CASE("parse_instant rejects other shapes", "[value][instant]") {
  for (const char* text :
       {"", "2018", "2018-06", "18-06-18", "2018-6-18", "2018/06/18", "13/02/2018", "2018-06-18T",
        "2018-06-18T22:28", "2018-06-18 22:28:28", "2018-06-18t22:28:28Z", "2018-06-18T22:28:28z",
        "2018-06-18T22:28:28+0000", "2018-06-18T22:28:28+00", "2018-06-18T22:28:28.5Z",
        "2018-06-18T22:28:28Z ", " 2018-06-18", "2018-06-18Z", "+2018-06-18", "2018-06-1a"}) {
    INFO(text);
    CHECK_FALSE(parse_instant(text));
  }
}

TEST_CASE("to_string prints UTC ISO text and round-trips", "[value][instant]") {
  CHECK(ecsq::to_string(Instant{0}) == "1970-01-01T00:00:00Z");
  CHECK(ecsq::to_string(Instant{1529360908}) == "2018-06-18T22:28:28Z");
  CHECK(ecsq::to_string(Instant{-1}) == "1969-12-31T23:59:59Z");
  CHECK(ecsq::to_string(Instant{951782400}) == "2000-02-29T00:00:00Z");
  for (const char* text : {"2018-06-18T22:28:28Z", "2024-02-29T00:00:01Z", "0001-01-01T00:00:00Z",
                           "9999-12-31T23:59:59Z", "1955-11-05T06:15:00Z"}) {
    const auto instant = parse_instant(text);
    REQUIRE(instant);
    CHECK(ecsq::to_string(*instant) == text);
  }
  CHECK(ecsq::to_string(*parse_instant("2018-06-18T22:28:28+02:00")) == "2018-06-18T20:28:28Z");
}

TEST_CASE("parse_count accepts non-negative int64 only", "[value][count]") {
  CHECK(parse_count("0") == 0);
  CHECK(parse_count("12") == 12);
  CHECK(parse_count("007") == 7);
  CHECK(parse_count("9223372036854775807") == INT64_MAX);
  CHECK_FALSE(parse_count("9223372036854775808"));
  CHECK_FALSE(parse_count("99999999999999999999999"));
  for (const char* text : {"", "-1", "+1", "1.0", "1e3", " 1", "1 ", "many", "0x10"}) {
    INFO(text);
    CHECK_FALSE(parse_count(text));
  }
}

TEST_CASE("is_decimal recognises signed integers and decimals", "[value][decimal]") {
  for (const char* text : {"0", "-0", "+0", "10", "-3.25", "+1.5", "0.10", "007.000",
                           "123456789012345678901234567890.123456789012345678901234567890"}) {
    INFO(text);
    CHECK(is_decimal(text));
  }
  for (const char* text : {"", "-", "+", ".", "1.", ".5", "-.5", "1.2.3", "1e5", "1E5", "0x1", " 1", "1 ",
                           "--1", "+-1", "NaN", "inf", "1,5", "ssd"}) {
    INFO(text);
    CHECK_FALSE(is_decimal(text));
  }
}

TEST_CASE("compare_decimal is exact", "[value][decimal]") {
  CHECK(compare_decimal("0.10", "0.1") == 0);
  CHECK(compare_decimal("-0", "0") == 0);
  CHECK(compare_decimal("-0.000", "+0") == 0);
  CHECK(compare_decimal("007", "7.0") == 0);
  CHECK(compare_decimal("10", "9.99") > 0);
  CHECK(compare_decimal("9.99", "10") < 0);
  CHECK(compare_decimal("2", "10") < 0);  // not bytewise
  CHECK(compare_decimal("0.5", "0.51") < 0);
  CHECK(compare_decimal("0.50", "0.5") == 0);
  CHECK(compare_decimal("-1", "1") < 0);
  CHECK(compare_decimal("-0.1", "0") < 0);
  CHECK(compare_decimal("-2", "-10") > 0);
  CHECK(compare_decimal("-0.5", "-0.51") > 0);
  CHECK(compare_decimal("+3", "3") == 0);
  // Beyond double precision: these differ only in the 30th significant digit.
  CHECK(compare_decimal("123456789012345678901234567890", "123456789012345678901234567891") < 0);
  CHECK(compare_decimal("0.100000000000000000000000000001", "0.1") > 0);
  CHECK(compare_decimal("9007199254740993", "9007199254740992") > 0);
  CHECK(compare_decimal("100000000000000000000000000000000000000000000000000000", "99") > 0);
}

TEST_CASE("compare_attribute_values is numeric only when both sides are decimals", "[value][attribute]") {
  CHECK(compare_attribute_values("10", "9") > 0);
  CHECK(compare_attribute_values("1.50", "1.5") == 0);
  CHECK(compare_attribute_values("10", "9a") < 0);  // '1' < '9' bytewise
  CHECK(compare_attribute_values("ssd", "hdd") > 0);
  CHECK(compare_attribute_values("prod", "prod") == 0);
  CHECK(compare_attribute_values("Prod", "prod") < 0);  // case-sensitive bytes
  CHECK(compare_attribute_values("t2.small", "t2.medium") > 0);
  CHECK(compare_attribute_values("", "a") < 0);
  CHECK(compare_attribute_values("\xc3\xa9", "z") > 0);  // bytes compare unsigned
}
