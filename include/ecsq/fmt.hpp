// Opt-in fmt integration: `fmt::format("{}", ast)` prints an Ast in canonical form (to_string).
//
// Not included by ecsq.hpp, so ecsq does not make fmt a dependency of programs that never format
// with it. Including this header makes fmt one of yours: link it yourself, e.g. in CMake
// `find_package(fmt)` and `target_link_libraries(app PRIVATE ecsq::ecsq fmt::fmt)`.
#pragma once

#include <string_view>

#include <fmt/format.h>

#include "ecsq/ast.hpp"
#include "ecsq/print.hpp"

template <>
struct fmt::formatter<ecsq::Ast> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const ecsq::Ast& ast, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(ecsq::to_string(ast), ctx);
  }
};
