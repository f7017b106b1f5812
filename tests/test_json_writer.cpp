// The JSON writer: exact text in each layout, escaping against the json_quote it replaced, numbers
// at their limits, calls out of order, and random documents that simdjson must read back.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include <fmt/format.h>
#include <simdjson.h>

#include "common/json_writer.hpp"
#include "common/utf8.hpp"
#include "ecsq/diagnostic.hpp"

using ecsq::detail::JsonLayout;
using ecsq::detail::JsonWriter;

namespace {

// json_quote as it was before the writer existed: the writer must escape exactly like it.
std::string previous_json_quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = ecsq::detail::utf8_sequence_length(text, i);
    if (length == 1 && c >= 0x80) {
      out += "\\ufffd";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  out += '"';
  return out;
}

std::string json_string(std::string_view text) {
  JsonWriter json;
  json.value(text);
  REQUIRE(json.complete());
  return json.take();
}

// The string simdjson reads back from a JSON string literal.
std::string read_back(const std::string& literal) {
  simdjson::dom::parser parser;
  std::string_view text;
  REQUIRE(parser.parse(literal).get(text) == simdjson::SUCCESS);
  return std::string(text);
}

std::string minified(const std::string& json) {
  std::string out(json.size(), '\0');
  std::size_t size = 0;
  REQUIRE(simdjson::minify(json.data(), json.size(), out.data(), size) == simdjson::SUCCESS);
  out.resize(size);
  return out;
}

// A random value of bounded depth, written the same way whatever the writer's layout.
void random_value(JsonWriter& json, std::mt19937& random, int depth) {
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const int kind = depth == 0 ? pick(5) : pick(7);
  switch (kind) {
    case 0: json.value(static_cast<std::int64_t>(random()) - (1LL << 31)); return;
    case 1: json.value(pick(2) == 0); return;
    case 2: json.value(nullptr); return;
    case 3: json.value(static_cast<double>(random()) / 7.0); return;
    case 4: {
      std::string text;
      for (int n = pick(8); n > 0; --n) text += "ab\"\\\n\x01 \xc3\xa9"[pick(10)];
      json.value(text);
      return;
    }
    case 5: {
      json.start_array();
      for (int n = pick(4); n > 0; --n) random_value(json, random, depth - 1);
      json.end_array();
      return;
    }
    default: {
      json.start_object();
      for (int n = pick(4); n > 0; --n) {
        json.key(fmt::format("k{}", n));
        random_value(json, random, depth - 1);
      }
      json.end_object();
      return;
    }
  }
}

}  // namespace

TEST_CASE("json writer: compact objects, arrays and scalars", "[json]") {
  JsonWriter json;
  json.start_object()
      .member("name", "ecsq")
      .member("valid", true)
      .member("broken", false)
      .member("nothing", nullptr)
      .member("count", 3)
      .member("absent", std::optional<int>())
      .member("present", std::optional<std::string>("x"));
  json.key("list").start_array().value(1).value("two").start_object().end_object().start_array().end_array().end_array();
  json.key("empty").start_object().end_object();
  json.key("nested").start_object().key("deeper").start_array().start_array().value(0).end_array().end_array().end_object();
  json.end_object();
  CHECK(json.complete());
  CHECK(json.str() ==
        R"({"name":"ecsq","valid":true,"broken":false,"nothing":null,"count":3,"absent":null,"present":"x",)"
        R"("list":[1,"two",{},[]],"empty":{},"nested":{"deeper":[[0]]}})");
}

TEST_CASE("json writer: a scalar or an empty container is a whole document", "[json]") {
  CHECK(json_string("") == R"("")");
  JsonWriter json;
  json.start_array().end_array();
  CHECK(json.complete());
  CHECK(json.take() == "[]");
  CHECK(!json.complete());  // take() leaves the writer empty, ready for the next value
  json.start_object().end_object();
  CHECK(json.take() == "{}");
  json.value(42);
  CHECK(json.complete());
  CHECK(json.take() == "42");
}

TEST_CASE("json writer: escaping", "[json]") {
  SECTION("every control character") {
    for (unsigned c = 0; c < 0x20; ++c) {
      const std::string expected = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : fmt::format("\\u{:04x}", c);
      INFO("character " << c);
      CHECK(json_string(std::string(1, static_cast<char>(c))) == "\"" + expected + "\"");
    }
    CHECK(json_string("\x7f") == R"("\u007f")");
    CHECK(json_string(std::string_view("a\0b", 3)) == R"("a\u0000b")");
    CHECK(json_string("\b\f\x1b[31m") == R"("\u0008\u000c\u001b[31m")");
  }
  SECTION("quotes, backslashes and what is left alone") {
    CHECK(json_string(R"(say "hi")") == R"("say \"hi\"")");
    CHECK(json_string(R"(C:\dir\)") == R"("C:\\dir\\")");
    CHECK(json_string("a/b 'c' ~ {}[]") == R"("a/b 'c' ~ {}[]")");
  }
  SECTION("UTF-8 passes through; each invalid byte becomes U+FFFD") {
    CHECK(json_string("\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89") ==
          "\"\xc3\xa9t\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89\"");
    CHECK(json_string("\xff") == R"("\ufffd")");
    CHECK(json_string("a\x80z") == R"("a\ufffdz")");                  // a lone continuation byte
    CHECK(json_string("\xe6\x97") == R"("\ufffd\ufffd")");            // a truncated sequence
    CHECK(json_string("\xc0\xaf") == R"("\ufffd\ufffd")");            // an overlong '/'
    CHECK(json_string("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");  // a surrogate
    CHECK(json_string("\xf4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // above U+10FFFF
  }
  SECTION("keys are escaped like values") {
    JsonWriter json;
    json.start_object().member("a\"b\n", 1).end_object();
    CHECK(json.str() == R"({"a\"b\n":1})");
  }
}

TEST_CASE("json writer: json_quote escapes exactly as before", "[json]") {
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) {
      const std::string text{static_cast<char>(a), static_cast<char>(b)};
      if (ecsq::json_quote(text) != previous_json_quote(text)) {
        FAIL("bytes " << a << " " << b << ": " << ecsq::json_quote(text) << " vs " << previous_json_quote(text));
      }
    }
  }
  std::mt19937 random(20240601);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (int n = static_cast<int>(random() % 40); n > 0; --n) {
      // Mostly ASCII, with multi-byte sequences and stray bytes mixed in.
      static constexpr std::string_view pieces[] = {"a", "Z", " ", "\"", "\\", "\n", "\x01", "\x7f",
                                                    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xff", "\x80", "\xe2\x82"};
      text += pieces[random() % std::size(pieces)];
    }
    INFO(previous_json_quote(text));
    CHECK(ecsq::json_quote(text) == previous_json_quote(text));
    CHECK(json_string(text) == ecsq::json_quote(text));
  }
}

TEST_CASE("json writer: escaped text reads back as the same string", "[json]") {
  std::string every_ascii;
  for (int c = 0; c < 0x80; ++c) every_ascii += static_cast<char>(c);
  CHECK(read_back(json_string(every_ascii)) == every_ascii);
  const std::string unicode = "\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89 \xef\xbf\xbd";
  CHECK(read_back(json_string(unicode)) == unicode);
  CHECK(read_back(json_string("bad \xff byte")) == "bad \xef\xbf\xbd byte");
}

TEST_CASE("json writer: numbers", "[json]") {
  const auto number = [](auto n) {
    JsonWriter json;
    json.value(n);
    return json.take();
  };
  CHECK(number(0) == "0");
  CHECK(number(-17) == "-17");
  CHECK(number(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(number(std::numeric_limits<std::int64_t>::max()) == "9223372036854775807");
  CHECK(number(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
  CHECK(number(std::uint32_t{4294967295u}) == "4294967295");
  CHECK(number(std::uint8_t{200}) == "200");
  CHECK(number(std::int8_t{-128}) == "-128");
  CHECK(number(std::size_t{12}) == "12");
  CHECK(number(0.5) == "0.5");
  CHECK(number(-2.25) == "-2.25");
  CHECK(number(0.1) == "0.1");
  CHECK(number(1e300) == "1e+300");
  CHECK(number(3.0) == "3");
  CHECK(number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(number(-std::numeric_limits<double>::infinity()) == "null");
  CHECK(number(std::nan("")) == "null");
  // Doubles read back exactly.
  for (const double d : {0.1, 1.0 / 3.0, 123456.789e-200, std::numeric_limits<double>::max(),
                         std::numeric_limits<double>::denorm_min()}) {
    simdjson::dom::parser parser;
    double back = 0;
    REQUIRE(parser.parse(number(d)).get(back) == simdjson::SUCCESS);
    CHECK(back == d);
  }
}

TEST_CASE("json writer: block layout (pretty)", "[json]") {
  JsonWriter json({.layout = JsonLayout::block, .indent = 2});
  json.start_object().member("a", 1);
  json.key("list").start_array().value("x").start_object().member("b", true).end_object().end_array();
  json.key("empty").start_array().end_array();
  json.end_object();
  CHECK(json.complete());
  CHECK(json.str() ==
        "{\n"
        "  \"a\": 1,\n"
        "  \"list\": [\n"
        "    \"x\",\n"
        "    {\n"
        "      \"b\": true\n"
        "    }\n"
        "  ],\n"
        "  \"empty\": [\n"
        "\n"
        "  ]\n"
        "}");
}

TEST_CASE("json writer: a compact container inside a block one is one line, and so is all it holds", "[json]") {
  JsonWriter json({.layout = JsonLayout::block, .indent = 4});
  json.start_array();
  json.start_object(JsonLayout::compact).member("id", 1);
  json.key("inner").start_object(JsonLayout::block).key("deep").start_array(JsonLayout::lines).value(1).value(2).end_array();
  json.end_object().end_object();
  json.start_object(JsonLayout::compact).end_object();
  json.end_array();
  CHECK(json.str() ==
        "[\n"
        "    {\"id\":1,\"inner\":{\"deep\":[1,2]}},\n"
        "    {}\n"
        "]");
}

TEST_CASE("json writer: lines layout", "[json]") {
  JsonWriter json({.indent = 0});
  json.start_object(JsonLayout::lines);
  json.key("items").start_array(JsonLayout::block).start_object().member("n", 1).end_object().value(2).end_array();
  json.key("none").start_array(JsonLayout::block).end_array();
  json.key("summary").start_object().member("n", 2).end_object();
  json.end_object();
  CHECK(json.str() == "{\"items\":[\n{\"n\":1},\n2\n],\n\"none\":[\n\n],\n\"summary\":{\"n\":2}}");

  JsonWriter indented({.indent = 2});
  indented.start_array(JsonLayout::lines).value(1).value(2).start_array(JsonLayout::lines).value(3).value(4).end_array().end_array();
  CHECK(indented.str() == "[1,\n  2,\n  [3,\n    4]]");
}

TEST_CASE("json writer: raw values take their place like any other", "[json]") {
  JsonWriter json;
  json.start_object().key("first").raw_value(R"({"x":[1]})").key("list").start_array();
  json.raw_value("1").raw_value(R"("two")").end_array().end_object();
  CHECK(json.complete());
  CHECK(json.str() == R"({"first":{"x":[1]},"list":[1,"two"]})");
}

TEST_CASE("json writer: calls out of order leave the writer incomplete", "[json]") {
  const auto complete_after = [](auto&& calls) {
    JsonWriter json;
    calls(json);
    return json.complete();
  };
  CHECK(complete_after([](JsonWriter& json) { json.start_object().member("a", 1).end_object(); }));
  CHECK(!complete_after([](JsonWriter& json) { json.start_object().value(1).end_object(); }));       // no key
  CHECK(!complete_after([](JsonWriter& json) { json.start_array().key("a").value(1).end_array(); }));  // key in an array
  CHECK(!complete_after([](JsonWriter& json) { json.start_object().key("a").end_object(); }));        // key without value
  CHECK(!complete_after([](JsonWriter& json) { json.start_object().key("a").key("b").value(1).end_object(); }));
  CHECK(!complete_after([](JsonWriter& json) { json.start_object().end_array(); }));                  // wrong end
  CHECK(!complete_after([](JsonWriter& json) { json.end_object(); }));                                // end without start
  CHECK(!complete_after([](JsonWriter& json) { json.start_array(); }));                               // still open
  CHECK(!complete_after([](JsonWriter& json) { json.value(1).value(2); }));                           // two documents
  CHECK(!complete_after([](JsonWriter&) {}));                                                         // nothing
  JsonWriter json;
  json.key("a");
  CHECK(!json.complete());
  (void)json.take();
  json.value(true);
  CHECK(json.complete());  // take() starts afresh
}

TEST_CASE("json writer: random documents parse, and every layout holds the same JSON", "[json]") {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::string texts[3];
    const JsonLayout layouts[3] = {JsonLayout::compact, JsonLayout::lines, JsonLayout::block};
    for (int i = 0; i < 3; ++i) {
      std::mt19937 random(seed);
      JsonWriter json({.layout = layouts[i], .indent = 2});
      random_value(json, random, 4);
      REQUIRE(json.complete());
      texts[i] = json.take();
    }
    INFO(texts[2]);
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.parse(texts[2]).get(root) == simdjson::SUCCESS);
    CHECK(minified(texts[1]) == texts[0]);
    CHECK(minified(texts[2]) == texts[0]);
  }
}
