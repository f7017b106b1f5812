// Opt-in fmt integration: `fmt::format("{}", x)` for an Ast, CheckedQuery, Instance, Explanation or
// Diagnostic, printed as their operator<< prints them (an Ast and a CheckedQuery in canonical form).
// Format specs are those of strings: `fmt::format("{:>40}", query)`.
//
// Not included by ecsq.hpp, so ecsq does not make fmt a dependency of programs that never format
// with it. Including this header makes fmt one of yours: link it yourself, e.g. in CMake
// `find_package(fmt)` and `target_link_libraries(app PRIVATE ecsq::ecsq fmt::fmt)`.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "ecsq/ast.hpp"
#include "ecsq/check.hpp"
#include "ecsq/diagnostic.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/instance.hpp"
#include "ecsq/print.hpp"

namespace ecsq::detail {

/// Formats a value as its operator<< prints it, with the format specs of a string.
template <class T>
struct streamed_formatter : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const T& value, FormatContext& ctx) const {
    std::ostringstream out;
    out << value;
    const std::string text = out.str();
    return fmt::formatter<std::string_view>::format(text, ctx);
  }
};

}  // namespace ecsq::detail

template <>
struct fmt::formatter<ecsq::Ast> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const ecsq::Ast& ast, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(ecsq::to_string(ast), ctx);
  }
};

template <>
struct fmt::formatter<ecsq::CheckedQuery> : ecsq::detail::streamed_formatter<ecsq::CheckedQuery> {};

template <>
struct fmt::formatter<ecsq::Instance> : ecsq::detail::streamed_formatter<ecsq::Instance> {};

template <>
struct fmt::formatter<ecsq::Explanation> : ecsq::detail::streamed_formatter<ecsq::Explanation> {};

template <>
struct fmt::formatter<ecsq::Diagnostic> : ecsq::detail::streamed_formatter<ecsq::Diagnostic> {};
