// `ecsq explain [--fleet FILE]... [--instance ID]... [--summary] [--format text|json]
// [--constraint C]... [--group G] EXPR...`: why each instance did or did not match the AND of the
// expressions and constraints, and which clause rejected how many. The JSON form carries the same
// explanation lines and summary as the text, one document; the html form is the page of
// src/report/ (the summary and, per instance in a grid, its explanation).
#include <algorithm>

#include <fmt/format.h>

#include "commands.hpp"
#include "common/json_writer.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/print.hpp"
#include "ecsq/summary.hpp"
#include "expressions.hpp"
#include "fleet_input.hpp"
#include "query_input.hpp"
#include "report/html_report.hpp"

namespace ecsq::cli {

namespace {

void print_text(const CheckedQuery& query, const std::vector<Instance>& instances, bool summary_only) {
  if (!summary_only) {
    for (const Instance& instance : instances) {
      const Explanation explanation = explain(query, instance);
      fmt::print("{} {}\n{}\n", instance.ec2_instance_id, explanation.result ? "matches" : "does not match",
                 render_text(explanation));
    }
  }
  const RejectionSummary summary = summarize_rejections(query, instances);
  fmt::print("summary: {} of {} instances match {}\n", summary.matched, summary.instances, to_string(query.ast));
  for (const LeafRejections& leaf : summary.leaves) {
    fmt::print("  {:>6} rejected by {}\n", leaf.rejected, leaf.negated ? "not(" + leaf.text + ")" : leaf.text);
  }
}

void write_explanation(detail::JsonWriter& json, const Ast& ast, const Instance& instance,
                       const Explanation& explanation) {
  json.start_object().member("ec2InstanceId", instance.ec2_instance_id).member("matches", explanation.result);
  json.key("clauses").start_array();
  for (const ExplainLine& line : explanation.lines) {
    // Only comparisons see a value; and/or/not have none.
    const bool comparison = ast.node(line.node).kind == NodeKind::comparison;
    json.start_object()
        .member("node", line.node)
        .member("depth", line.depth)
        .member("result", line.result)
        .member("text", line.text)
        .member("observed", comparison ? std::optional<std::string_view>(line.observed) : std::nullopt)
        .end_object();
  }
  json.end_array().end_object();
}

void print_json(const LoadedQuery& query, const std::vector<Instance>& instances, bool summary_only) {
  detail::JsonWriter json;
  json.start_object().member("expression", query.text).member("canonical", to_string(query.combined.ast));
  if (!summary_only) {
    json.key("explanations").start_array();
    for (const Instance& instance : instances) {
      write_explanation(json, query.combined.ast, instance, explain(query.combined, instance));
    }
    json.end_array();
  }
  const RejectionSummary summary = summarize_rejections(query.combined, instances);
  json.key("summary").start_object().member("instances", summary.instances).member("matched", summary.matched);
  json.key("leaves").start_array();
  for (const LeafRejections& leaf : summary.leaves) {
    json.start_object()
        .member("node", leaf.node)
        .member("text", leaf.text)
        .member("negated", leaf.negated)
        .member("rejected", leaf.rejected)
        .end_object();
  }
  json.end_array().end_object().end_object();
  fmt::print("{}\n", json.str());
}

}  // namespace

void add_explain_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> fleets;
    std::vector<std::string> instances;
    bool summary_only = false;
    std::string format = "text";
    QueryArguments query;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("explain", "Show, per instance, the result of every clause and what it saw");
  // One value per --fleet and --instance: the expressions follow.
  command->add_option("--fleet", options->fleets, "Fleet JSON file (repeatable); default: the bundled sample fleet")
      ->allow_extra_args(false);
  command->add_option("--instance", options->instances, "Explain only this ec2InstanceId (repeatable)")
      ->allow_extra_args(false);
  command->add_flag("--summary", options->summary_only, "Print only the per-clause rejection summary");
  command->add_option("--format", options->format, "Output format (html: a self-contained page, the fleet as a grid)")
      ->check(CLI::IsMember({"text", "json", "html"}));
  add_query_arguments(*command, options->query);
  command->callback([options] {
    if (names_standard_input(options->query.expressions) && names_standard_input(options->fleets)) {
      usage_error("standard input can hold the expressions (-) or a fleet (--fleet -), not both");
    }
    const std::optional<LoadedQuery> query = load_query("explain", options->query);
    if (!query) throw CLI::RuntimeError(exit_findings);
    const std::optional<std::vector<Instance>> fleet = load_fleet(options->fleets);
    if (!fleet) throw CLI::RuntimeError(exit_findings);

    std::vector<Instance> chosen;
    for (const std::string& id : options->instances) {
      const auto found = std::find_if(fleet->begin(), fleet->end(), [&](const Instance& i) { return i.ec2_instance_id == id; });
      if (found == fleet->end()) {
        fmt::print(stderr, "error: no instance '{}' in the fleet\n", id);
        throw CLI::RuntimeError(exit_findings);
      }
      chosen.push_back(*found);
    }
    const std::vector<Instance>& instances = options->instances.empty() ? *fleet : chosen;
    if (options->format == "json") {
      print_json(*query, instances, options->summary_only);
    } else if (options->format == "html") {
      fmt::print("{}", detail::explain_report_html(query->text, query->combined, instances));
    } else {
      print_text(query->combined, instances, options->summary_only);
    }
  });
}

}  // namespace ecsq::cli
