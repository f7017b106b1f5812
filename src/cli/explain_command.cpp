// `ecsq explain [--fleet FILE]... [--instance ID] EXPR`: why each instance did or did not match.
#include <algorithm>

#include <fmt/format.h>

#include "commands.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/print.hpp"
#include "ecsq/summary.hpp"
#include "fleet_input.hpp"

namespace ecsq::cli {

void add_explain_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> fleets;
    std::vector<std::string> instances;
    bool summary_only = false;
    std::string expression;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("explain", "Show, per instance, the result of every clause and what it saw");
  command->add_option("--fleet", options->fleets, "Fleet JSON file(s); default: the bundled sample fleet");
  command->add_option("--instance", options->instances, "Explain only this ec2InstanceId (repeatable)");
  command->add_flag("--summary", options->summary_only, "Print only the per-clause rejection summary");
  command->add_option("expression", options->expression, "Expression or memberOf(...) constraint")->required();
  command->callback([options] {
    const std::optional<CheckedQuery> query = load_query(options->expression);
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

    if (!options->summary_only) {
      for (const Instance& instance : instances) {
        const Explanation explanation = explain(*query, instance);
        fmt::print("{} {}\n{}\n", instance.ec2_instance_id, explanation.result ? "matches" : "does not match",
                   render_text(explanation));
      }
    }
    const RejectionSummary summary = summarize_rejections(*query, instances);
    fmt::print("summary: {} of {} instances match {}\n", summary.matched, summary.instances, to_string(query->ast));
    for (const LeafRejections& leaf : summary.leaves) {
      fmt::print("  {:>6} rejected by {}\n", leaf.rejected, leaf.negated ? "not(" + leaf.text + ")" : leaf.text);
    }
  });
}

}  // namespace ecsq::cli
