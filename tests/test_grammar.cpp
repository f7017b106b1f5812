// The grammar itself: no rule can loop forever without consuming input.
#include <catch2/catch.hpp>

#include <tao/pegtl/contrib/analyze.hpp>

#include "ecsq/grammar.hpp"

TEST_CASE("grammar has no infinite loops (PEGTL analyze)", "[grammar]") {
  CHECK(tao::pegtl::analyze<ecsq::grammar::constraint_string>(1) == 0);
  CHECK(tao::pegtl::analyze<ecsq::grammar::expression_only>(1) == 0);
}

TEST_CASE("bare value scanner follows the nesting rules", "[grammar]") {
  using ecsq::grammar::detail::scan_bare_value;
  const auto length = [](std::string_view text, bool in_list) {
    const auto scan = in_list ? scan_bare_value<true>(text.data(), text.data() + text.size())
                              : scan_bare_value<false>(text.data(), text.data() + text.size());
    return scan.balanced ? static_cast<long>(scan.length) : -1 - static_cast<long>(scan.problem);
  };
  CHECK(length("(p[2,3]|g[3,4]|f[1]).*", false) == 22);
  CHECK(length("a{1,3} and", false) == 6);
  CHECK(length("595\\..*)", false) == 7);
  CHECK(length("b)", false) == 1);
  CHECK(length("b&&c", false) == 1);
  CHECK(length("b||c", false) == 1);
  CHECK(length("b|c&d", false) == 5);
  CHECK(length("x,y]", true) == 1);
  CHECK(length("p[2,3],q", true) == 6);
  CHECK(length("a\\)b)", false) == 4);
  CHECK(length("(a", false) == -1);       // unclosed '(' at offset 0
  CHECK(length("a(b]", false) == -4);     // ']' does not close '('
  CHECK(length("a]", false) == -2);       // ']' outside a list never ends a value
  CHECK(length("'quoted'", false) == 0);  // quoted values are not bare
}
