// `--explain ID` for `check` and `lint`: what a diagnostic code or a lint rule means, in the manner
// of `rustc --explain`. Either command takes either kind of id.
#pragma once

#include <string>
#include <string_view>

namespace ecsq::cli {

/// The explanation of `id` as printed: a diagnostic code (E0107), a lint rule (ECSQ-L020, or
/// L020), or both as a lint finding shows them (ECSQ-L020/E0103); case does not matter. Empty
/// when some part of `id` is neither; unknown_id_message says why.
[[nodiscard]] std::string explanation_text(std::string_view id);

/// "unknown diagnostic code or lint rule 'E0199'", with a did-you-mean when one id is close.
[[nodiscard]] std::string unknown_id_message(std::string_view id);

/// Prints explanation_text(id) to stdout, or unknown_id_message(id) to stderr and fails with
/// exit 2 (bad usage).
void print_explanation(std::string_view id);

}  // namespace ecsq::cli
