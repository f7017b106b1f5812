// Applying fix-its (with_fixits_applied): the one function the parser, the checker's renderer and lint
// all use, so its edge cases are pinned here: order, touching and overlapping spans, spans out of range.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ecsq/diagnostic.hpp"

using ecsq::FixIt;
using ecsq::Span;
using ecsq::with_fixits_applied;

TEST_CASE("fix-its: replacements, insertions and deletions", "[fixits]") {
  CHECK(with_fixits_applied("attribute:stack = prod", {}) == "attribute:stack = prod");
  CHECK(with_fixits_applied("attribute:stack = prod", {FixIt{Span{16, 17}, "=="}}) == "attribute:stack == prod");
  CHECK(with_fixits_applied("stack == prod", {FixIt{Span{0, 0}, "attribute:"}}) == "attribute:stack == prod");
  CHECK(with_fixits_applied("attribute:x in a", {FixIt{Span{15, 15}, "["}, FixIt{Span{16, 16}, "]"}}) ==
        "attribute:x in [a]");
  CHECK(with_fixits_applied("attribute:a exists AND x", {FixIt{Span{18, 22}, ""}}) == "attribute:a exists x");
  CHECK(with_fixits_applied("", {FixIt{Span{0, 0}, "attribute:a exists"}}) == "attribute:a exists");
}

TEST_CASE("fix-its: the order they are given in does not matter", "[fixits]") {
  const std::string source = "attribute:x in (a, b)";
  const std::vector<FixIt> sorted{FixIt{Span{15, 16}, "["}, FixIt{Span{20, 21}, "]"}};
  const std::vector<FixIt> reversed{sorted[1], sorted[0]};
  CHECK(with_fixits_applied(source, sorted) == "attribute:x in [a, b]");
  CHECK(with_fixits_applied(source, reversed) == "attribute:x in [a, b]");

  const std::vector<FixIt> three{FixIt{Span{4, 5}, "E"}, FixIt{Span{0, 1}, "A"}, FixIt{Span{2, 3}, "C"}};
  CHECK(with_fixits_applied("abcde", three) == "AbCdE");
}

TEST_CASE("fix-its: spans that touch are not an overlap", "[fixits]") {
  // Two replacements, end to end.
  CHECK(with_fixits_applied("abcdef", {FixIt{Span{3, 6}, "XYZ"}, FixIt{Span{0, 3}, "123"}}) == "123XYZ");
  // An insertion right after a replacement, and right before one (it goes first, in either order given).
  CHECK(with_fixits_applied("abcdef", {FixIt{Span{1, 3}, "X"}, FixIt{Span{3, 3}, "+"}}) == "aX+def");
  CHECK(with_fixits_applied("abcdef", {FixIt{Span{1, 3}, "X"}, FixIt{Span{1, 1}, "+"}}) == "a+Xdef");
  CHECK(with_fixits_applied("abcdef", {FixIt{Span{1, 1}, "+"}, FixIt{Span{1, 3}, "X"}}) == "a+Xdef");
  // Insertions at one offset go in the order given.
  CHECK(with_fixits_applied("ab", {FixIt{Span{1, 1}, "1"}, FixIt{Span{1, 1}, "2"}}) == "a12b");
  CHECK(with_fixits_applied("ab", {FixIt{Span{1, 1}, "2"}, FixIt{Span{1, 1}, "1"}}) == "a21b");
  // At both ends of the source.
  CHECK(with_fixits_applied("ab", {FixIt{Span{2, 2}, ")"}, FixIt{Span{0, 0}, "("}}) == "(ab)");
}

TEST_CASE("fix-its that overlap give the empty string", "[fixits]") {
  // Whatever order they come in: the answer never depends on which one would have been applied first.
  const std::vector<std::vector<FixIt>> overlapping{
      {FixIt{Span{0, 3}, "X"}, FixIt{Span{2, 4}, "Y"}},
      {FixIt{Span{2, 4}, "Y"}, FixIt{Span{0, 3}, "X"}},
      {FixIt{Span{1, 3}, "X"}, FixIt{Span{1, 3}, "Y"}},  // the same span twice
      {FixIt{Span{0, 6}, "X"}, FixIt{Span{2, 3}, "Y"}},  // one inside the other
      {FixIt{Span{2, 3}, "Y"}, FixIt{Span{0, 6}, "X"}},
      {FixIt{Span{1, 4}, "X"}, FixIt{Span{2, 2}, "+"}},  // an insertion inside a replaced span
      {FixIt{Span{2, 2}, "+"}, FixIt{Span{1, 4}, "X"}},
      // A replacement longer than its span used to hide the overlap when applied back to front.
      {FixIt{Span{3, 4}, "a long replacement"}, FixIt{Span{0, 5}, "X"}},
  };
  for (const std::vector<FixIt>& fixits : overlapping) {
    INFO(fixits[0].span.begin << ".." << fixits[0].span.end << " and " << fixits[1].span.begin << ".." << fixits[1].span.end);
    CHECK(with_fixits_applied("abcdef", fixits).empty());
  }
}

TEST_CASE("fix-its outside the source, or ending before they begin, give the empty string", "[fixits]") {
  CHECK(with_fixits_applied("abc", {FixIt{Span{2, 4}, "X"}}).empty());
  CHECK(with_fixits_applied("abc", {FixIt{Span{4, 4}, "X"}}).empty());
  CHECK(with_fixits_applied("abc", {FixIt{Span{0, 1}, "X"}, FixIt{Span{5, 6}, "Y"}}).empty());
  CHECK(with_fixits_applied("abc", {FixIt{Span{2, 1}, "X"}}).empty());
  CHECK(with_fixits_applied("", {FixIt{Span{0, 1}, "X"}}).empty());
  // The last offset is still inside: inserting there appends.
  CHECK(with_fixits_applied("abc", {FixIt{Span{3, 3}, "d"}}) == "abcd");
}

TEST_CASE("rendered diagnostics show overlapping fix-its one by one", "[fixits]") {
  ecsq::Diagnostic d;
  d.code = "E0000";
  d.message = "test";
  d.span = Span{0, 3};
  d.fixits = {FixIt{Span{0, 3}, "X"}, FixIt{Span{2, 4}, "Y"}};
  const std::string text = ecsq::render_text(d, "abcdef");
  CHECK(text.find("= help: at 1:1 write 'X'\n") != std::string::npos);
  CHECK(text.find("= help: at 1:3 write 'Y'\n") != std::string::npos);
  CHECK(text.find("= help: write") == std::string::npos);
}
