// The placement engine (contract §3-§6a): one task at a time, each ACTIVE instance through the
// filters in contract order, the survivors ranked by the strategies (ranking.cpp), the state
// updated before the next task. Design: the filters are evaluated for every instance once per
// request (memberOf by one compiled Matcher and one select); a placement changes only the chosen
// instance, so only it is evaluated again. plan() works on an overlay (run_state.hpp) and leaves
// the cluster alone; place() is plan() followed by Cluster::start_task for each task placed.
#include "placement/engine.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <span>
#include <string>

#include <fmt/format.h>

#include "ecsq/evaluate.hpp"
#include "ecsq/matcher.hpp"
#include "placement/random.hpp"
#include "placement/run_state.hpp"

namespace ecsq {

namespace detail {

namespace {

// An instance's stage: the first filter it fails (a PlacementFilter), or one of these.
constexpr std::uint8_t passes = placement_filter_count;
constexpr std::uint8_t stage_count = placement_filter_count + 1;

// True if a port of `wanted` is in `taken` (sorted; a task holds a handful of ports, in any order).
bool ports_conflict(std::span<const std::uint16_t> taken, std::span<const std::uint16_t> wanted) noexcept {
  if (taken.empty()) return false;
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](std::uint16_t port) { return std::binary_search(taken.begin(), taken.end(), port); });
}

bool mentions_task_state(const CheckedQuery& query) {
  return std::any_of(query.comparisons.begin(), query.comparisons.end(), [](const CheckedComparison& c) {
    return c.subject == SubjectKind::task_group || c.subject == SubjectKind::running_tasks_count;
  });
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// The per-instance arrays of a run. Each thread keeps one between runs: a run over a large fleet
// then reuses memory it has already touched, which matters more than anything else it does
// (fresh pages cost about as much as the whole ranking).
struct Workspace {
  Bitset active;
  Bitset member_of;
  Bitset tried;
  std::vector<std::uint8_t> stage;
  std::vector<InstanceId> candidates;
  std::vector<std::uint32_t> change_index;
  RankerBuffers ranking;
};

Workspace& thread_workspace() {
  thread_local Workspace workspace;
  return workspace;
}

void reset(Bitset& bits, std::size_t size) {
  bits.resize(0);
  bits.resize(size);
}

// One run of plan(): the inputs, the per-instance stages and the result being built.
class Run {
 public:
  Run(const Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
      const PlacementOptions& options, RankingMode mode, PlacementResult& result, Workspace& workspace)
      : cluster_(cluster),
        fleet_(cluster.fleet()),
        demand_(demand),
        request_(request),
        options_(options),
        mode_(mode),
        result_(result),
        group_(request.task_group(demand)),
        workspace_(workspace),
        state_(cluster, demand, group_, workspace.change_index),
        generator_(options.seed),
        active_(workspace.active),
        member_bits_(workspace.member_of),
        stage_(workspace.stage),
        candidates_(workspace.candidates) {}

  void run() {
    result_.group = group_;
    result_.seed = options_.seed;
    result_.strategies = effective_strategies(request_);
    prepare();
    write_notes();
    if (request_.kind == RequestKind::service_daemon) {
      run_daemon();
    } else {
      run_tasks();
    }
  }

 private:
  // ---- filters -------------------------------------------------------------------------------

  void prepare() {
    const std::uint32_t slots = fleet_.slot_count();
    reset(active_, slots);
    if (const auto active_code = fleet_.statuses().find("ACTIVE")) {
      const std::span<const std::uint32_t> statuses = fleet_.status_codes();
      for (const InstanceId id : fleet_.live()) {
        if (statuses[id] == *active_code) active_.set(id);
      }
    }
    resolve_required_attributes();
    for (const std::vector<ConstraintSpec>* list : {&demand_.constraints, &request_.constraints}) {
      for (const ConstraintSpec& c : *list) {
        if (c.kind == ConstraintSpec::Kind::distinct_instance) {
          distinct_ = true;
        } else if (CheckResult checked = check(c.expression); checked.query) {
          member_of_dynamic_ = member_of_dynamic_ || mentions_task_state(*checked.query);
          member_of_.push_back(std::move(*checked.query));
        }
      }
    }
    if (!member_of_.empty()) {
      std::vector<const CheckedQuery*> parts;
      for (const CheckedQuery& q : member_of_) parts.push_back(&q);
      compile(std::span<const CheckedQuery* const>(parts), fleet_).select(fleet_, member_bits_);
    }
    stage_.assign(slots, passes);
    candidates_.clear();
    for (const InstanceId id : active_) {
      const std::uint8_t stage = stage_of(id, member_of_.empty() || member_bits_.test(id));
      stage_[id] = stage;
      ++histogram_[stage];
      if (stage == passes) candidates_.push_back(id);
    }
  }

  void resolve_required_attributes() {
    for (const RequiredAttribute& required : demand_.required_attributes) {
      const auto attribute = fleet_.attribute_names().find(required.name);
      if (!attribute) {
        required_impossible_ = true;
        continue;
      }
      std::uint32_t code = missing_code;  // any code but this one: the attribute is there
      if (required.value) {
        const auto value = fleet_.attribute_values(*attribute).find(*required.value);
        if (!value) {
          required_impossible_ = true;
          continue;
        }
        code = first_value_code + *value;
      }
      required_.push_back(RequiredCode{*attribute, code, required.value.has_value()});
    }
  }

  [[nodiscard]] bool has_required_attributes(InstanceId id) const noexcept {
    if (required_impossible_) return false;
    return std::all_of(required_.begin(), required_.end(), [&](const RequiredCode& r) {
      const std::uint32_t code = fleet_.attribute_code(r.attribute, id);
      return r.with_value ? code == r.code : code != missing_code;
    });
  }

  // The first filter of contract §3.2 that `id` fails, or `passes`; `member` is the memberOf result.
  [[nodiscard]] std::uint8_t stage_of(InstanceId id, bool member) const noexcept {
    auto fails = [](PlacementFilter f) { return static_cast<std::uint8_t>(f); };
    if (fleet_.agent_connected()[id] == 0) return fails(PlacementFilter::agent);
    if (!has_required_attributes(id)) return fails(PlacementFilter::attribute);
    if (state_.cpu(id) < demand_.cpu) return fails(PlacementFilter::cpu);
    if (state_.memory(id) < demand_.memory) return fails(PlacementFilter::memory);
    if (ports_conflict(state_.tcp_ports(id), demand_.tcp_ports)) return fails(PlacementFilter::ports);
    if (ports_conflict(state_.udp_ports(id), demand_.udp_ports)) return fails(PlacementFilter::ports_udp);
    if (state_.gpus(id) < demand_.gpus) return fails(PlacementFilter::gpu);
    if (demand_.needs_eni && state_.enis(id) < 1) return fails(PlacementFilter::eni);
    if (!member) return fails(PlacementFilter::member_of);
    if (distinct_ && state_.group_tasks(id) > 0) return fails(PlacementFilter::distinct_instance);
    return passes;
  }

  // memberOf on `id` after tasks were placed on it: unchanged unless an expression reads the
  // instance's task groups or runningTasksCount, which the placements moved.
  [[nodiscard]] bool member_after_placement(InstanceId id) const {
    if (member_of_.empty()) return true;
    if (!member_of_dynamic_) return member_bits_.test(id);
    std::optional<Instance> instance = fleet_.instance(id);
    instance->running_tasks_count += state_.placed(id);
    instance->add_task_group(group_);
    return std::all_of(member_of_.begin(), member_of_.end(),
                       [&](const CheckedQuery& q) { return evaluate(q, *instance); });
  }

  // ---- placing -------------------------------------------------------------------------------

  // Records a task on `id` (which passes every filter) and evaluates `id` again.
  void place_on(InstanceId id, std::size_t index) {
    state_.record(id);
    const std::uint8_t stage = stage_of(id, member_after_placement(id));
    --histogram_[stage_[id]];
    ++histogram_[stage];
    stage_[id] = stage;
    PlacedTask task;
    task.index = index;
    task.instance = id;
    task.container_instance_arn = std::string(fleet_.container_instance_arn(id));
    task.ec2_instance_id = std::string(fleet_.ec2_instance_id(id));
    task.group = group_;
    if (state_.cpu(id) != Cluster::unlimited) task.cpu_left = state_.cpu(id);
    if (state_.memory(id) != Cluster::unlimited) task.memory_left = state_.memory(id);
    result_.tasks.push_back(std::move(task));
  }

  void snapshot_rejections(std::size_t index) {
    std::copy_n(histogram_.begin(), placement_filter_count, result_.rejections.begin());
    result_.rejections_task = index;
  }

  void run_tasks() {
    const std::int64_t count = request_.count_max ? max_tasks_per_request : std::max<std::int64_t>(request_.count, 0);
    snapshot_rejections(0);
    Ranker ranker(state_, result_.strategies, options_.ties, active_, candidates_, mode_, workspace_.ranking);
    std::size_t index = 0;
    for (; index < static_cast<std::size_t>(count); ++index) {
      snapshot_rejections(index);
      if (ranker.empty()) break;
      const InstanceId chosen = ranker.pick(generator_);
      place_on(chosen, index);
      ranker.placed(chosen, stage_[chosen] == passes);
    }
    record_first_failures(index == static_cast<std::size_t>(count) && index > 0);
    if (index == static_cast<std::size_t>(count)) {
      if (request_.count_max) {
        result_.notes.push_back(fmt::format(
            "--count max stopped at {} tasks, the most ecsq places in one request; more would still fit", count));
      }
      return;
    }
    // No candidate is left, and placing nothing changes nothing: every task from here fails alike.
    const PlacementFailure failure = closest_failure([](InstanceId) { return true; });
    const std::size_t last = request_.count_max ? index + 1 : static_cast<std::size_t>(count);
    for (; index < last; ++index) add_failure(failure, index);
  }

  void run_daemon() {
    // One task on each ACTIVE instance, in fleet order, that passes the filters and does not run
    // a RUNNING task of the service yet; strategies are ignored. The instances tried are the
    // ones counted in the rejections.
    std::array<std::size_t, stage_count> tried{};
    Bitset& fresh = workspace_.tried;
    reset(fresh, fleet_.slot_count());
    if (options_.record_first_failures) result_.first_failures.assign(fleet_.slot_count(), std::nullopt);
    for (const InstanceId id : active_) {
      if (state_.group_tasks(id) > 0) continue;
      fresh.set(id);
      const std::uint8_t stage = stage_[id];
      ++tried[stage];
      if (options_.record_first_failures && stage != passes) {
        result_.first_failures[id] = static_cast<PlacementFilter>(stage);
      }
      if (stage == passes) place_on(id, result_.tasks.size());
    }
    std::copy_n(tried.begin(), placement_filter_count, result_.rejections.begin());
    result_.rejections_task = 0;
    if (!request_.strategies.empty()) {
      result_.notes.push_back("strategies are ignored for a DAEMON service: it places one task on each instance");
    }
    if (result_.tasks.empty() && (active_.none() || !fresh.none())) {
      add_failure(closest_failure([&](InstanceId id) { return fresh.test(id); }), 0);
    }
  }

  // ---- per-instance reasons (PlacementOptions::record_first_failures) ------------------------

  // The stages as snapshot_rejections counted them. Only a placement changes a stage, and only
  // the chosen instance's: when every task was placed (`all_placed`), the snapshot was taken
  // before the last task went to its instance, which then passed every filter.
  void record_first_failures(bool all_placed) {
    if (!options_.record_first_failures) return;
    result_.first_failures.assign(fleet_.slot_count(), std::nullopt);
    for (const InstanceId id : active_) {
      if (stage_[id] != passes) result_.first_failures[id] = static_cast<PlacementFilter>(stage_[id]);
    }
    if (all_placed) result_.first_failures[result_.tasks.back().instance] = std::nullopt;
  }

  // ---- failures ------------------------------------------------------------------------------

  // The closest matching instance among the ACTIVE ones `considered` accepts: the most filters
  // passed before its first failure, the first in fleet order among equals (contract §5).
  template <typename Considered>
  PlacementFailure closest_failure(Considered considered) const {
    PlacementFailure failure;
    std::optional<InstanceId> closest;
    for (const InstanceId id : active_) {
      if (!considered(id)) continue;
      if (!closest || stage_[id] > stage_[*closest]) closest = id;
    }
    if (!closest) {
      failure.reason = std::string(missing_reason);
      return failure;
    }
    const auto filter = static_cast<PlacementFilter>(std::min<std::uint8_t>(stage_[*closest], placement_filter_count - 1));
    failure.instance = closest;
    failure.arn = std::string(fleet_.container_instance_arn(*closest));
    failure.ec2_instance_id = std::string(fleet_.ec2_instance_id(*closest));
    failure.filter = filter;
    failure.reason = std::string(failure_reason(filter));
    return failure;
  }

  void add_failure(PlacementFailure failure, std::size_t index) {
    failure.index = index;
    if (request_.kind != RequestKind::run_task) result_.events.push_back(service_event(request_.service_name, failure));
    result_.failures.push_back(std::move(failure));
  }

  // ---- notes ---------------------------------------------------------------------------------

  void write_notes() {
    std::size_t active = 0;
    std::size_t unlimited_cpu = 0;
    std::size_t unlimited_memory = 0;
    std::size_t unknown_eni = 0;
    std::set<std::string_view> unknown_types;
    const auto type_attribute = fleet_.attribute_names().find("ecs.instance-type");
    for (const InstanceId id : active_) {
      ++active;
      if (id >= cluster_.columns_size() || cluster_.cpu_column()[id] == Cluster::unlimited) ++unlimited_cpu;
      if (id >= cluster_.columns_size() || cluster_.memory_column()[id] == Cluster::unlimited) ++unlimited_memory;
      if (demand_.needs_eni && (id >= cluster_.columns_size() || cluster_.eni_column()[id] == Cluster::unlimited)) {
        ++unknown_eni;
        const std::uint32_t code = type_attribute ? fleet_.attribute_code(*type_attribute, id) : missing_code;
        unknown_types.insert(code < first_value_code ? std::string_view("(no ecs.instance-type)")
                                                     : fleet_.attribute_values(*type_attribute).text(code - first_value_code));
      }
    }
    const auto unlimited_note = [&](std::string_view resource, std::size_t n) {
      if (n == 0) return;
      result_.notes.push_back(fmt::format(
          "{} is unlimited on {} of {} ACTIVE {}: neither remainingResources nor registeredResources lists it",
          resource, n, active, active == 1 ? "instance" : "instances"));
    };
    unlimited_note("CPU", unlimited_cpu);
    unlimited_note("MEMORY", unlimited_memory);
    if (unknown_eni > 0) {
      std::string types;
      for (const std::string_view type : unknown_types) types += fmt::format("{}{}", types.empty() ? "" : ", ", type);
      result_.notes.push_back(fmt::format("ENI capacity is unknown for instance type {} ({}): not limited", types,
                                          plural(unknown_eni, "instance", "instances")));
    }
  }

  struct RequiredCode {
    std::uint32_t attribute = 0;
    std::uint32_t code = missing_code;
    bool with_value = false;
  };

  const Cluster& cluster_;
  const Fleet& fleet_;
  const TaskDemand& demand_;
  const PlacementRequest& request_;
  const PlacementOptions& options_;
  RankingMode mode_;
  PlacementResult& result_;
  std::string group_;
  Workspace& workspace_;
  RunState state_;
  SeededGenerator generator_;

  Bitset& active_;
  std::vector<RequiredCode> required_;
  bool required_impossible_ = false;  // a required attribute or value no instance has
  std::vector<CheckedQuery> member_of_;
  bool member_of_dynamic_ = false;
  Bitset& member_bits_;
  bool distinct_ = false;
  std::vector<std::uint8_t>& stage_;  // per slot; meaningful for ACTIVE instances
  std::array<std::size_t, stage_count> histogram_{};
  std::vector<InstanceId>& candidates_;
};

}  // namespace

PlacementResult plan(const Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                     const PlacementOptions& options, RankingMode mode) {
  PlacementResult result;
  result.seed = options.seed;
  result.diagnostics = check_placement(demand, request);
  if (result.has_errors()) return result;
  Run(cluster, demand, request, options, mode, result, thread_workspace()).run();
  return result;
}

}  // namespace detail

PlacementResult plan(const Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                     const PlacementOptions& options) {
  return detail::plan(cluster, demand, request, options, detail::RankingMode::automatic);
}

PlacementResult place(Cluster& cluster, const TaskDemand& demand, const PlacementRequest& request,
                      const PlacementOptions& options) {
  PlacementResult result = plan(cluster, demand, request, options);
  for (const PlacedTask& task : result.tasks) cluster.start_task(task.instance, demand, task.group);
  return result;
}

}  // namespace ecsq
