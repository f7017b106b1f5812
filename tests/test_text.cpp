// Internal text helpers (src/common/text.hpp) that several stages share.
#include <catch2/catch.hpp>

#include "common/text.hpp"

using ecsq::Span;
using ecsq::detail::slice;

TEST_CASE("slice: the text under a span, or nothing when the span is not inside the source", "[text]") {
  const std::string_view source = "attribute:stack == prod";
  CHECK(slice(source, Span{0, 15}) == "attribute:stack");
  CHECK(slice(source, Span{16, 18}) == "==");
  CHECK(slice(source, Span{19, 23}) == "prod");
  CHECK(slice(source, Span{23, 23}).empty());
  CHECK(slice(source, Span{5, 5}).empty());
  CHECK(slice(source, Span{0, 0}).empty());
  // A hand-built tree's spans may point anywhere.
  CHECK(slice(source, Span{19, 24}).empty());
  CHECK(slice(source, Span{30, 40}).empty());
  CHECK(slice(source, Span{10, 5}).empty());
  CHECK(slice("", Span{0, 1}).empty());
}
