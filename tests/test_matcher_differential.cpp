// Differential test: for random checked queries and random fleets, Matcher::matches and
// Matcher::select agree with the reference evaluator on every instance, before and after
// incremental fleet updates that intern values (and attribute names) the compiled matcher has never
// seen, tasks that start and stop, bursts that make the fleet renumber its task-group sets, and
// Fleet::compact() (after which the matchers are compiled again). distinctInstance is checked with
// the task group of a task being placed. explain and summarize_rejections over the fleet agree
// with their versions over Instances.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ecsq/check.hpp"
#include "ecsq/evaluate.hpp"
#include "ecsq/fleet.hpp"
#include "ecsq/matcher.hpp"
#include "ecsq/summary.hpp"

namespace {

using Rng = std::mt19937_64;

template <class T>
const T& pick(Rng& rng, const std::vector<T>& items) {
  return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(rng)];
}

bool chance(Rng& rng, double p) { return std::bernoulli_distribution(p)(rng); }

int between(Rng& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

// Vocabularies shared by fleets and queries, so comparisons hit as well as miss. Numbers and
// near-numbers exercise numeric-vs-string attribute ordering.
const std::vector<std::string> attribute_names = {"ecs.instance-type", "ecs.availability-zone", "stack", "num",
                                                  "ecs.capability.gpu", "zone/x"};
const std::vector<std::string> plain_values = {"t2.small", "t2.medium", "g2.2xlarge", "m5.large", "us-east-1a",
                                               "us-east-1b", "us-east-1d", "prod", "dev", "Prod", "", "a b"};
const std::vector<std::string> numeric_values = {"10", "9", "2.5", "2.50", "-1", "010", "0", "1e3", "10a", "-0.0",
                                                 "+3", "100"};
const std::vector<std::string> groups = {"service:production", "database", "databases", "service:daemon-service",
                                         "family:web", "g1", "G1"};
const std::vector<std::string> ec2_ids = {"i-abcd1234", "i-wxyx7890", "i-0", "i-ffff", ""};
const std::vector<std::string> versions = {"1.14.5", "1.9.0", "1.14", "1.14.5-beta", "2", "1.68.2",
                                           "1.14.5.0", "v1.2", "", "1.14.5-alpha"};
const std::vector<std::string> regexes = {"t2.*", ".*", "g2\\..*", "[0-9]+", "prod|dev", "(p[2,3]|g[3,4]|f[1]).*",
                                          "i-[0-9a-f]+", "service:.*", "(?i)prod", "[a-c]", "1.*", "tru.*",
                                          "false", "", "us-east-1[ab]", "databases?", "-?[0-9]+(\\.[0-9]+)?"};
const std::vector<std::string> dates = {"2018-02-13", "2018-06-18T22:28:28Z", "2018-06-18T22:28:28+02:00",
                                        "2018-06-18T22:28:28", "2018-06-18", "2020-01-01T00:00:00-05:30"};
const std::vector<std::int64_t> instants = {1518480000, 1529360908, 1529353708, 1529280000, 1577854800,
                                            1577836800, 1600000000, 1500000000};

// A value not in any vocabulary: the fleet interns it after the matcher was compiled.
std::string fresh_value(Rng& rng) {
  static const std::vector<std::string> stems = {"t2.", "g2.", "1", "prod", "i-", "service:", "us-east-1"};
  return pick(rng, stems) + std::to_string(between(rng, 0, 99999));
}

struct FleetShape {
  bool few_values = true;  // few distinct values vs mostly unique ones
};

std::string attribute_value(Rng& rng, const std::string& name, const FleetShape& shape) {
  if (!shape.few_values && chance(rng, 0.5)) return fresh_value(rng);
  if (name == "num") return pick(rng, numeric_values);
  return chance(rng, 0.8) ? pick(rng, plain_values) : pick(rng, numeric_values);
}

ecsq::Instance random_instance(Rng& rng, const FleetShape& shape) {
  ecsq::Instance instance;
  instance.ec2_instance_id = !shape.few_values && chance(rng, 0.7) ? "i-" + std::to_string(rng() % 1000000) : pick(rng, ec2_ids);
  instance.agent_connected = chance(rng, 0.7);
  instance.agent_version = chance(rng, 0.9) ? pick(rng, versions) : "1." + std::to_string(between(rng, 0, 80)) + ".0";
  if (chance(rng, 0.85)) instance.registered_at = ecsq::Instant{pick(rng, instants) + between(rng, -1, 1)};
  instance.running_tasks_count = between(rng, 0, 4);
  for (const std::string& name : attribute_names) {
    if (chance(rng, 0.3)) continue;  // missing
    if (name == "ecs.capability.gpu" || chance(rng, 0.1)) {
      instance.set_attribute(name);  // present without a value
    } else {
      instance.set_attribute(name, attribute_value(rng, name, shape));
    }
  }
  const int group_count = between(rng, 0, 3);
  for (int i = 0; i < group_count; ++i) {
    instance.add_task_group(!shape.few_values && chance(rng, 0.3) ? fresh_value(rng) : pick(rng, groups));
  }
  return instance;
}

// Quotes a value when a bare value could not hold it.
std::string quoted(Rng& rng, const std::string& value) {
  const bool bare_ok = !value.empty() && value.find_first_of(" \t,()[]{}'\"&|\\") == std::string::npos &&
                       value != "and" && value != "or" && value != "not";
  if (bare_ok && chance(rng, 0.6)) return value;
  const char q = value.find('\'') == std::string::npos && chance(rng, 0.7) ? '\'' : '"';
  return q + value + q;
}

std::string list_of(Rng& rng, const std::vector<std::string>& vocabulary, int max) {
  std::string out = "[";
  const int n = between(rng, 0, max);
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += chance(rng, 0.5) ? ", " : ",";
    out += quoted(rng, pick(rng, vocabulary));
  }
  return out + "]";
}

std::string comparison(Rng& rng) {
  static const std::vector<std::string> string_ops = {"==", "!=", "in", "!in", "=~", "!~"};
  static const std::vector<std::string> ordered_ops = {"==", "!=", ">", ">=", "<", "<="};
  static const std::vector<std::string> word_ops = {"equals", "not_equals", "greater_than", "less_than_equal"};
  const auto string_operand = [&](const std::string& op, const std::vector<std::string>& vocabulary) {
    if (op == "in" || op == "!in") return " " + op + " " + list_of(rng, vocabulary, 6);
    if (op == "=~" || op == "!~") return " " + op + " " + quoted(rng, pick(rng, regexes));
    return " " + op + " " + quoted(rng, pick(rng, vocabulary));
  };
  switch (between(rng, 0, 9)) {
    case 0: {
      const std::string op = pick(rng, string_ops);
      static const std::vector<std::string> booleans = {"true", "false", "TRUE", "False"};
      return "agentConnected" + string_operand(op, booleans);
    }
    case 1: {
      static const std::vector<std::string> literals = {"1.14.5", "1.9", "1.14.5-beta", "2", "1.68.2", "0", "1.14.5-alpha"};
      return "agentVersion " + pick(rng, ordered_ops) + " " + pick(rng, literals);
    }
    case 2: return "ec2InstanceId" + string_operand(pick(rng, string_ops), ec2_ids);
    case 3: return "registeredAt " + pick(rng, ordered_ops) + " " + pick(rng, dates);
    case 4: return "runningTasksCount " + pick(rng, ordered_ops) + " " + std::to_string(between(rng, 0, 4));
    case 5: {
      static const std::vector<std::string> group_ops = {"==", "!=", "in", "!in", "=~", "!~", "exists", "!exists"};
      const std::string op = pick(rng, group_ops);
      if (op == "exists" || op == "!exists") return "task:group " + op;
      return "task:group" + string_operand(op, groups);
    }
    default: {
      static const std::vector<std::string> all_ops = {"==", "!=", ">", ">=", "<", "<=", "exists", "!exists",
                                                       "in", "!in", "=~", "!~", "not_exists", "matches"};
      const std::string name = chance(rng, 0.1) ? "never.seen" : pick(rng, attribute_names);
      const std::string subject = (chance(rng, 0.9) ? "attribute:" : "") + name;
      std::string op = chance(rng, 0.1) ? pick(rng, word_ops) : pick(rng, all_ops);
      if (op == "exists" || op == "!exists" || op == "not_exists") return subject + " " + op;
      if (op == "matches") return subject + " matches " + quoted(rng, pick(rng, regexes));
      const auto& vocabulary = name == "num" || chance(rng, 0.3) ? numeric_values : plain_values;
      if (op == "in" || op == "!in" || op == "=~" || op == "!~") return subject + string_operand(op, vocabulary);
      return subject + " " + op + " " + quoted(rng, pick(rng, vocabulary));
    }
  }
}

std::string expression(Rng& rng, int depth) {
  const int kind = depth <= 0 ? 0 : between(rng, 0, 5);
  if (kind <= 1) return comparison(rng);
  if (kind == 2) return (chance(rng, 0.5) ? "not " : "!") + std::string("(") + expression(rng, depth - 1) + ")";
  std::string out = "(" + expression(rng, depth - 1);
  const int n = between(rng, 1, 3);
  for (int i = 0; i < n; ++i) {
    const bool is_and = kind == 3 || (kind == 5 && chance(rng, 0.5));
    out += is_and ? (chance(rng, 0.5) ? " and " : " && ") : (chance(rng, 0.5) ? " or " : " || ");
    out += expression(rng, depth - 1);
  }
  return out + ")";
}

std::string describe(const ecsq::Instance& instance) {
  std::string out = "ec2InstanceId=" + instance.ec2_instance_id + " connected=" + (instance.agent_connected ? "true" : "false") +
                    " version=" + instance.agent_version + " registeredAt=" +
                    (instance.registered_at ? std::to_string(instance.registered_at->seconds) : "(none)") +
                    " running=" + std::to_string(instance.running_tasks_count) + " attributes={";
  for (const auto& a : instance.attributes()) out += a.name + (a.value ? "=" + *a.value : "") + "; ";
  out += "} groups={";
  for (const auto& g : instance.task_groups()) out += g + "; ";
  return out + "}";
}

// The reference model, indexed by InstanceId: each live instance and its task counts.
struct Model {
  std::vector<std::optional<ecsq::Instance>> instances;
  std::vector<std::map<std::string, std::uint32_t>> counts;

  void put(ecsq::InstanceId id, const ecsq::Instance& instance) {
    if (instances.size() <= id) {
      instances.resize(id + 1);
      counts.resize(id + 1);
    }
    instances[id] = instance;
    counts[id].clear();
    for (const std::string& group : instance.task_groups()) counts[id][group] = 1;
  }
  void erase(ecsq::InstanceId id) {
    instances[id].reset();
    counts[id].clear();
  }
  // A count changed by a raw setter or a task: the instance is in the group while it is above 0.
  void set_count(ecsq::InstanceId id, const std::string& group, std::uint32_t count) {
    if (count == 0) {
      counts[id].erase(group);
      instances[id]->remove_task_group(group);
    } else {
      counts[id][group] = count;
      instances[id]->add_task_group(group);
    }
  }
  std::uint32_t count(ecsq::InstanceId id, const std::string& group) const {
    const auto it = counts[id].find(group);
    return it == counts[id].end() ? 0 : it->second;
  }
};

ecsq::InstanceId random_live(Rng& rng, const Model& model) {
  ecsq::InstanceId id = 0;
  do {
    id = static_cast<ecsq::InstanceId>(rng() % model.instances.size());
  } while (!model.instances[id]);
  return id;
}

// A random change to the fleet, mirrored on the reference model.
void mutate(Rng& rng, ecsq::Fleet& fleet, Model& model, const FleetShape& shape) {
  const int what = between(rng, 0, 12);
  if (what == 0 || fleet.size() == 0) {
    const ecsq::Instance instance = random_instance(rng, FleetShape{false});
    model.put(fleet.add(instance), instance);
    return;
  }
  const ecsq::InstanceId id = random_live(rng, model);
  ecsq::Instance& m = *model.instances[id];
  switch (what) {
    case 1:
      REQUIRE(fleet.remove(id));
      model.erase(id);
      break;
    case 2: {
      const std::string& name = pick(rng, attribute_names);
      const std::string value = chance(rng, 0.5) ? fresh_value(rng) : attribute_value(rng, name, shape);
      REQUIRE(fleet.set_attribute(id, name, value));
      m.set_attribute(name, value);
      break;
    }
    case 3: {
      const std::string& name = pick(rng, attribute_names);
      CHECK(fleet.remove_attribute(id, name) == m.remove_attribute(name));
      break;
    }
    case 4: {
      const std::string group = chance(rng, 0.5) ? fresh_value(rng) : pick(rng, groups);
      const bool had = m.has_task_group(group);
      CHECK(fleet.add_task_group(id, group) == !had);
      if (!had) model.set_count(id, group, 1);
      if (!m.task_groups().empty() && chance(rng, 0.5)) {
        const std::string gone = pick(rng, m.task_groups());
        CHECK(fleet.remove_task_group(id, gone));
        model.set_count(id, gone, 0);
      }
      break;
    }
    case 5: {
      const std::string version = "1." + std::to_string(between(rng, 0, 200)) + "." + std::to_string(between(rng, 0, 9));
      REQUIRE(fleet.set_agent_version(id, version));
      m.agent_version = version;
      REQUIRE(fleet.set_running_tasks_count(id, between(rng, 0, 4)));
      m.running_tasks_count = fleet.running_tasks_count()[id];
      break;
    }
    case 6: {
      const ecsq::Instance replacement = random_instance(rng, FleetShape{false});
      REQUIRE(fleet.update(id, replacement));
      model.put(id, replacement);
      break;
    }
    case 7: {
      const bool connected = chance(rng, 0.5);
      REQUIRE(fleet.set_agent_connected(id, connected));
      m.agent_connected = connected;
      const std::optional<ecsq::Instant> at =
          chance(rng, 0.8) ? std::optional<ecsq::Instant>(ecsq::Instant{pick(rng, instants)}) : std::nullopt;
      REQUIRE(fleet.set_registered_at(id, at));
      m.registered_at = at;
      break;
    }
    case 8:
    case 9: {
      // A task starts, maybe a second one of a group the instance already runs.
      const std::string group = !m.task_groups().empty() && chance(rng, 0.3) ? pick(rng, m.task_groups())
                                : chance(rng, 0.2)                          ? fresh_value(rng)
                                                                            : pick(rng, groups);
      REQUIRE(fleet.start_task(id, group));
      model.set_count(id, group, model.count(id, group) + 1);
      ++m.running_tasks_count;
      break;
    }
    case 10: {
      // A task stops: usually one that runs here, sometimes one that does not (refused).
      const std::string group = !m.task_groups().empty() && chance(rng, 0.8) ? pick(rng, m.task_groups()) : pick(rng, groups);
      const std::uint32_t count = model.count(id, group);
      CHECK(fleet.stop_task(id, group) == (count > 0));
      if (count > 0) {
        model.set_count(id, group, count - 1);
        if (m.running_tasks_count > 0) --m.running_tasks_count;
      }
      break;
    }
    case 11: {
      // Counts from describe-tasks: runningTasksCount is left alone.
      const std::string& group = pick(rng, groups);
      const auto count = static_cast<std::uint32_t>(between(rng, 0, 3));
      REQUIRE(fleet.set_task_count(id, group, count));
      model.set_count(id, group, count);
      break;
    }
    default: {
      // An attribute name some queries use and no generated fleet has: pending leaves resolve.
      const std::string value = chance(rng, 0.5) ? pick(rng, plain_values) : pick(rng, numeric_values);
      REQUIRE(fleet.set_attribute(id, "never.seen", value));
      m.set_attribute("never.seen", value);
      break;
    }
  }
  CHECK(fleet.running_tasks_count()[id] == (model.instances[id] ? model.instances[id]->running_tasks_count : 0));
}

// Hundreds of task-group sets that fall out of use at once: the fleet renumbers its sets (a new
// task_group_set_generation) while the matchers hold tables for the old codes. The model is unchanged.
void set_burst(Rng& rng, ecsq::Fleet& fleet, const Model& model) {
  const ecsq::InstanceId id = random_live(rng, model);
  const std::string stem = "burst-" + std::to_string(rng() % 1000) + "-";
  for (int k = 0; k < 300; ++k) {
    REQUIRE(fleet.start_task(id, stem + std::to_string(k)));
    REQUIRE(fleet.stop_task(id, stem + std::to_string(k)));
  }
}

}  // namespace

TEST_CASE("matcher: matches and select agree with evaluate on random queries and fleets", "[matcher][differential]") {
  std::uint64_t base_seed = 20240607;
  if (const char* env = std::getenv("ECSQ_DIFFERENTIAL_SEED")) base_seed = std::strtoull(env, nullptr, 10);
  constexpr int rounds = 200;
  constexpr int queries_per_round = 40;
  const ecsq::CheckedQuery distinct = *ecsq::check("distinctInstance").query;
  std::size_t pairs = 0;
  std::size_t matched = 0;
  std::size_t renumberings = 0;
  std::size_t compactions = 0;

  for (int round = 0; round < rounds; ++round) {
    const std::uint64_t seed = base_seed + static_cast<std::uint64_t>(round);
    INFO("seed " << seed << " (ECSQ_DIFFERENTIAL_SEED=" << seed << " reruns from this round)");
    Rng rng(seed);
    // Everything below derives from `seed`, so the round reruns alone from its seed.
    const FleetShape shape{seed % 2 == 0};
    const int size = seed % 10 == 0 ? between(rng, 0, 3) : between(rng, 20, 120);
    std::vector<ecsq::Instance> instances;
    for (int i = 0; i < size; ++i) instances.push_back(random_instance(rng, shape));
    ecsq::Fleet fleet(instances);
    const ecsq::Fleet& view = fleet;  // compile() only reads the fleet
    Model model;
    for (std::size_t i = 0; i < instances.size(); ++i) model.put(static_cast<ecsq::InstanceId>(i), instances[i]);

    // Several query sets per fleet, compiled once and checked across waves of updates.
    std::vector<ecsq::CheckedQuery> queries;
    std::vector<std::string> texts;
    while (queries.size() < queries_per_round) {
      std::string text = expression(rng, between(rng, 0, 4));
      if (chance(rng, 0.05)) text = "memberOf(" + text + ")";
      if (chance(rng, 0.02)) text = chance(rng, 0.5) ? "" : "distinctInstance";
      ecsq::CheckResult checked = ecsq::check(text);
      INFO("generated expression: " << text);
      REQUIRE(checked.ok());
      texts.push_back(text);
      queries.push_back(std::move(*checked.query));
    }
    // The group of a task being placed, for distinctInstance: one the fleet may not have yet.
    const std::string placing = pick(rng, groups);
    const ecsq::CompileOptions options{.task_group = placing};
    std::vector<ecsq::Matcher> matchers;
    ecsq::Matcher both;      // the AND of three queries
    ecsq::Matcher distinct_from;  // queries[0] and distinctInstance for `placing`
    const auto compile_all = [&] {
      matchers.clear();
      for (const auto& q : queries) matchers.push_back(ecsq::compile(q, view));
      both = ecsq::compile({&queries[0], &queries[1], &queries[2]}, view);
      distinct_from = ecsq::compile({&queries[0], &distinct}, view, options);
    };
    compile_all();

    for (int wave = 0; wave < 4; ++wave) {
      INFO("wave " << wave << " (0: as built; 1-3: after updates; 2: and a set renumbering; 3: maybe compacted)");
      for (std::size_t q = 0; q < queries.size(); ++q) {
        INFO("query: " << texts[q]);
        // matches first: after updates the tables are stale, so this takes the uncached path.
        std::vector<char> by_matches(fleet.slot_count());
        for (ecsq::InstanceId id = 0; id < fleet.slot_count(); ++id) by_matches[id] = matchers[q].matches(fleet, id);
        const ecsq::Bitset selected = matchers[q].select(fleet);
        REQUIRE(selected.size() == fleet.slot_count());
        std::size_t expected_count = 0;
        for (ecsq::InstanceId id = 0; id < fleet.slot_count(); ++id) {
          const auto& instance = model.instances[id];
          const bool expected = instance && ecsq::evaluate(queries[q], *instance);
          expected_count += expected;
          if (expected != static_cast<bool>(by_matches[id]) || expected != selected.test(id) ||
              expected != matchers[q].matches(fleet, id)) {
            INFO("instance " << id << ": " << (instance ? describe(*instance) : "(removed)"));
            CHECK(expected == static_cast<bool>(by_matches[id]));
            CHECK(expected == selected.test(id));
            REQUIRE(expected == matchers[q].matches(fleet, id));
          }
          ++pairs;
        }
        REQUIRE(selected.count() == expected_count);
        matched += expected_count;
      }
      std::vector<char> distinct_by_matches(fleet.slot_count());
      for (ecsq::InstanceId id = 0; id < fleet.slot_count(); ++id) distinct_by_matches[id] = distinct_from.matches(fleet, id);
      const ecsq::Bitset all = both.select(fleet);
      const ecsq::Bitset distinct_selected = distinct_from.select(fleet);
      for (ecsq::InstanceId id = 0; id < fleet.slot_count(); ++id) {
        const auto& instance = model.instances[id];
        const bool expected = instance && ecsq::evaluate(queries[0], *instance) &&
                              ecsq::evaluate(queries[1], *instance) && ecsq::evaluate(queries[2], *instance);
        INFO("multi-constraint, instance " << id << ": " << (instance ? describe(*instance) : "(removed)"));
        REQUIRE(all.test(id) == expected);
        REQUIRE(both.matches(fleet, id) == expected);
        INFO("distinctInstance placing " << placing << " with " << texts[0]);
        const bool expected_distinct = instance && ecsq::evaluate(queries[0], *instance) && model.count(id, placing) == 0;
        REQUIRE(static_cast<bool>(distinct_by_matches[id]) == expected_distinct);
        REQUIRE(distinct_selected.test(id) == expected_distinct);
        REQUIRE(distinct_from.matches(fleet, id) == expected_distinct);
      }
      const int updates = between(rng, 5, 40);
      for (int u = 0; u < updates; ++u) mutate(rng, fleet, model, shape);
      if (wave == 1 && fleet.size() > 0) {
        const std::uint32_t generation = fleet.task_group_set_generation();
        set_burst(rng, fleet, model);
        CHECK(fleet.task_group_set_generation() > generation);
        renumberings += fleet.task_group_set_generation() - generation;
      }
      if (wave == 2 && round % 2 == 1) {
        fleet.compact();
        REQUIRE_FALSE(matchers[0].compiled_for(fleet));
        compile_all();
        ++compactions;
      }
    }
  }
  // The acceptance bar: at least 100k query x instance pairs, and the queries are not trivial.
  CHECK(pairs >= 100000);
  CHECK(matched > pairs / 10);
  CHECK(matched < pairs - pairs / 10);
  CHECK(renumberings >= 150);
  CHECK(compactions == rounds / 2);
}

TEST_CASE("matcher: explain and summarize over a fleet equal their versions over Instances", "[matcher][differential][explain]") {
  std::uint64_t base_seed = 20251130;
  if (const char* env = std::getenv("ECSQ_DIFFERENTIAL_SEED")) base_seed = std::strtoull(env, nullptr, 10);
  for (int round = 0; round < 60; ++round) {
    const std::uint64_t seed = base_seed + static_cast<std::uint64_t>(round);
    INFO("seed " << seed);
    Rng rng(seed);
    const FleetShape shape{seed % 2 == 0};
    const int size = between(rng, 1, 80);
    ecsq::Fleet fleet;
    Model model;
    for (int i = 0; i < size; ++i) {
      const ecsq::Instance instance = random_instance(rng, shape);
      model.put(fleet.add(instance), instance);
    }
    for (int u = 0; u < 30; ++u) mutate(rng, fleet, model, shape);
    // A subset of the fleet: a bitset shorter or longer than the fleet, with dead slots set too.
    ecsq::Bitset subset(between(rng, 0, static_cast<int>(fleet.slot_count()) + 70));
    for (std::size_t i = 0; i < subset.size(); ++i) subset.set(i, chance(rng, 0.6));
    std::vector<ecsq::Instance> all_live;
    std::vector<ecsq::Instance> in_subset;
    for (ecsq::InstanceId id = 0; id < model.instances.size(); ++id) {
      if (!model.instances[id]) continue;
      all_live.push_back(*model.instances[id]);
      if (subset.test(id)) in_subset.push_back(*model.instances[id]);
    }
    for (int q = 0; q < 10; ++q) {
      const std::string text = expression(rng, between(rng, 0, 4));
      INFO("query: " << text);
      const ecsq::CheckedQuery query = *ecsq::check(text).query;
      for (const ecsq::InstanceId id : fleet.live()) {
        const ecsq::Explanation from_fleet = ecsq::explain(query, fleet, id);
        const ecsq::Explanation expected = ecsq::explain(query, *model.instances[id]);
        REQUIRE(from_fleet.result == expected.result);
        REQUIRE(ecsq::render_text(from_fleet) == ecsq::render_text(expected));
      }
      const auto same = [](const ecsq::RejectionSummary& a, const ecsq::RejectionSummary& b) {
        REQUIRE(a.instances == b.instances);
        REQUIRE(a.matched == b.matched);
        REQUIRE(a.leaves.size() == b.leaves.size());
        for (std::size_t i = 0; i < a.leaves.size(); ++i) {
          INFO("leaf " << a.leaves[i].text);
          REQUIRE(a.leaves[i].node == b.leaves[i].node);
          REQUIRE(a.leaves[i].text == b.leaves[i].text);
          REQUIRE(a.leaves[i].negated == b.leaves[i].negated);
          REQUIRE(a.leaves[i].rejected == b.leaves[i].rejected);
        }
      };
      same(ecsq::summarize_rejections(query, fleet, fleet.live()), ecsq::summarize_rejections(query, all_live));
      same(ecsq::summarize_rejections(query, fleet, subset), ecsq::summarize_rejections(query, in_subset));
    }
    // Not live: no explanation.
    const ecsq::Explanation none = ecsq::explain(*ecsq::check("runningTasksCount >= 0").query, fleet, fleet.slot_count() + 5);
    CHECK_FALSE(none.result);
    CHECK(none.lines.empty());
  }
}
