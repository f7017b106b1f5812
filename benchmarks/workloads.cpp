#include "workloads.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstring>
#include <deque>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "ecsq/regex.hpp"
#include "ecsq/value.hpp"

namespace ecsq::bench {

namespace {

constexpr std::uint32_t no_code = std::numeric_limits<std::uint32_t>::max();
static_assert(std::endian::native == std::endian::little, "scan() packs bytes little-endian");

// The two loops a careful hand-writer picks between. Vector: 64 predicate results staged as
// bytes (the compares vectorise), packed 8 at a time with a multiply. Scalar: the word built in
// registers with four independent chains, for table lookups and 64-bit compares. Both mask
// with liveness.
enum class Shape { vector, scalar };

template <Shape shape, class Pred>
void scan(const Fleet& fleet, Bitset& out, Pred pred) {
  const std::size_t n = fleet.slot_count();
  out.resize(n);
  std::uint64_t* words = out.words().data();
  const std::uint64_t* live = fleet.live().words().data();
  const std::size_t full = n / 64;
  alignas(64) std::uint8_t bytes[64];
  for (std::size_t w = 0; w < full; ++w) {
    const std::size_t base = w * 64;
    std::uint64_t word = 0;
    if constexpr (shape == Shape::vector) {
      for (std::size_t j = 0; j < 64; ++j) bytes[j] = static_cast<std::uint8_t>(pred(base + j));
      for (std::size_t k = 0; k < 8; ++k) {
        std::uint64_t eight = 0;
        std::memcpy(&eight, bytes + 8 * k, 8);
        word |= ((eight * 0x0102040810204080ull) >> 56) << (8 * k);
      }
    } else {
      std::uint64_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
      for (std::size_t j = 0; j < 64; j += 4) {
        w0 |= static_cast<std::uint64_t>(pred(base + j)) << j;
        w1 |= static_cast<std::uint64_t>(pred(base + j + 1)) << (j + 1);
        w2 |= static_cast<std::uint64_t>(pred(base + j + 2)) << (j + 2);
        w3 |= static_cast<std::uint64_t>(pred(base + j + 3)) << (j + 3);
      }
      word = w0 | w1 | w2 | w3;
    }
    words[w] = word & live[w];
  }
  if (n % 64 != 0) {
    std::uint64_t word = 0;
    for (std::size_t j = 0; j < n % 64; ++j) word |= static_cast<std::uint64_t>(pred(full * 64 + j)) << j;
    words[full] = word & live[full];
  }
}

std::uint32_t attribute(const Fleet& fleet, std::string_view name) {
  const auto id = fleet.attribute_names().find(name);
  if (!id) throw std::runtime_error(fmt::format("benchmark fleet has no attribute {}", name));
  return *id;
}

// The attribute's codes, one per slot. A rare attribute is stored sparse; the hand-written loop
// then scans a dense copy made here (untimed setup), kept for the life of the program.
const std::uint32_t* column(const Fleet& fleet, std::string_view name) {
  const std::uint32_t a = attribute(fleet, name);
  if (fleet.attribute_is_dense(a)) return fleet.attribute_codes(a).data();
  static std::deque<std::vector<std::uint32_t>> copies;
  std::vector<std::uint32_t>& dense = copies.emplace_back(fleet.slot_count(), missing_code);
  const Fleet::SparseColumn sparse = fleet.sparse_attribute(a);
  for (std::size_t i = 0; i < sparse.ids.size(); ++i) dense[sparse.ids[i]] = sparse.codes[i];
  return dense.data();
}

std::uint32_t value_code(const Fleet& fleet, std::string_view name, std::string_view value) {
  const auto id = fleet.attribute_values(attribute(fleet, name)).find(value);
  return id ? first_value_code + *id : no_code;
}

Regex regex(std::string_view pattern) {
  auto compiled = Regex::compile(pattern);
  if (auto* error = std::get_if<RegexError>(&compiled)) throw std::runtime_error(error->message);
  return std::get<Regex>(std::move(compiled));
}

// Per attribute code: does the value fully match `pattern`? (missing/no value: no)
std::vector<std::uint8_t> regex_table(const Fleet& fleet, std::string_view name, std::string_view pattern) {
  const Regex re = regex(pattern);
  const Dictionary& values = fleet.attribute_values(attribute(fleet, name));
  std::vector<std::uint8_t> table(first_value_code + values.size(), 0);
  for (std::uint32_t v = 0; v < values.size(); ++v) table[first_value_code + v] = re.full_match(values.text(v));
  return table;
}

// Per task-group set code: does the set hold a group that `test` accepts?
template <class Test>
std::vector<std::uint8_t> group_table(const Fleet& fleet, Test test) {
  std::vector<std::uint8_t> table(fleet.task_group_set_count(), 0);
  for (std::uint32_t s = 0; s < table.size(); ++s) {
    for (const std::uint32_t g : fleet.task_group_set(s)) table[s] |= test(fleet.task_groups().text(g)) ? 1 : 0;
  }
  return table;
}

// Which loop shape suits a predicate depends on the compiler and the machine, so the hand-written
// baseline times both once (untimed setup) and keeps the faster: the practical limit.
template <class Pred>
HandScan best_shape(const Fleet& f, Pred pred) {
  const HandScan vector = [pred](const Fleet& fleet, Bitset& out) { scan<Shape::vector>(fleet, out, pred); };
  const HandScan scalar = [pred](const Fleet& fleet, Bitset& out) { scan<Shape::scalar>(fleet, out, pred); };
  const auto cost = [&](const HandScan& run) {
    Bitset out;
    double best = 1e300;
    for (int i = 0; i < 5; ++i) {
      const auto start = std::chrono::steady_clock::now();
      run(f, out);
      best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return best;
  };
  return cost(vector) <= cost(scalar) ? vector : scalar;
}

// Per-value results a hand-writer would precompute; the shared_ptr keeps them alive in the loop.
using Table = std::shared_ptr<const std::vector<std::uint8_t>>;

HandScan attribute_eq(const Fleet& f, std::string_view name, std::string_view value, bool negate) {
  const std::uint32_t* codes = column(f, name);
  const std::uint32_t code = value_code(f, name, value);
  if (negate) return best_shape(f, [=](std::size_t i) { return codes[i] != code; });
  return best_shape(f, [=](std::size_t i) { return codes[i] == code; });
}

HandScan attribute_in2(const Fleet& f, std::string_view name, std::string_view a, std::string_view b) {
  const std::uint32_t* codes = column(f, name);
  const std::uint32_t x = value_code(f, name, a);
  const std::uint32_t y = value_code(f, name, b);
  return best_shape(f, [=](std::size_t i) { return (codes[i] == x) | (codes[i] == y); });
}

HandScan attribute_regex(const Fleet& f, std::string_view name, std::string_view pattern) {
  const std::uint32_t* codes = column(f, name);
  const Table table = std::make_shared<const std::vector<std::uint8_t>>(regex_table(f, name, pattern));
  return best_shape(f, [table, t = table->data(), codes](std::size_t i) { return t[codes[i]]; });
}

HandScan regex_and_eq(const Fleet& f, std::string_view name, std::string_view pattern, std::string_view other,
                      std::string_view value, bool negate) {
  const std::uint32_t* codes = column(f, name);
  const std::uint32_t* other_codes = column(f, other);
  const std::uint32_t code = value_code(f, other, value);
  const Table table = std::make_shared<const std::vector<std::uint8_t>>(regex_table(f, name, pattern));
  if (negate) {
    return best_shape(f, [table, t = table->data(), codes, other_codes, code](std::size_t i) {
      return t[codes[i]] & static_cast<unsigned>(other_codes[i] != code);
    });
  }
  return best_shape(f, [table, t = table->data(), codes, other_codes, code](std::size_t i) {
    return t[codes[i]] & static_cast<unsigned>(other_codes[i] == code);
  });
}

HandScan group_eq(const Fleet& f, std::string_view group, bool negate) {
  std::vector<std::uint8_t> holds = group_table(f, [&](std::string_view g) { return g == group; });
  if (negate) {
    for (std::uint8_t& h : holds) h ^= 1;
  }
  const Table table = std::make_shared<const std::vector<std::uint8_t>>(std::move(holds));
  const std::uint32_t* sets = f.task_group_set_codes().data();
  return best_shape(f, [table, t = table->data(), sets](std::size_t i) { return t[sets[i]]; });
}

HandScan running_eq(const Fleet& f, std::int64_t n) {
  const std::int64_t* running = f.running_tasks_count().data();
  return best_shape(f, [=](std::size_t i) { return running[i] == n; });
}

HandScan version_lt(const Fleet& f, std::string_view literal) {
  const Version limit = *parse_version(literal);
  auto table = std::make_shared<std::vector<std::uint8_t>>(f.agent_versions().size());
  for (std::uint32_t v = 0; v < table->size(); ++v) {
    const auto& version = f.parsed_agent_version(v);
    (*table)[v] = version && compare(*version, limit) < 0;
  }
  const std::uint32_t* codes = f.agent_version_codes().data();
  return best_shape(f, [table, t = table->data(), codes](std::size_t i) { return t[codes[i]]; });
}

HandScan registered_lt(const Fleet& f, std::string_view literal) {
  const std::int64_t limit = parse_instant(literal)->seconds;
  const std::int64_t* seconds = f.registered_at().data();
  const std::uint8_t* known = f.registered_at_known().data();
  return best_shape(f, [=](std::size_t i) { return known[i] & static_cast<unsigned>(seconds[i] < limit); });
}

HandScan ec2_in2(const Fleet& f, std::string_view a, std::string_view b) {
  const std::uint32_t x = f.ec2_instance_ids().find(a).value_or(no_code);
  const std::uint32_t y = f.ec2_instance_ids().find(b).value_or(no_code);
  const std::uint32_t* codes = f.ec2_instance_id_codes().data();
  return best_shape(f, [=](std::size_t i) { return (codes[i] == x) | (codes[i] == y); });
}

using Prepare = std::function<HandScan(const Fleet&)>;

// Hand-written loops for the documented expressions, keyed by the exact text.
std::map<std::string, Prepare, std::less<>> documented_hand_loops() {
  const std::string type = "ecs.instance-type";
  const std::string zone = "ecs.availability-zone";
  return {
      {"attribute:ecs.instance-type == t2.small", [=](const Fleet& f) { return attribute_eq(f, type, "t2.small", false); }},
      {"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
       [=](const Fleet& f) { return attribute_in2(f, zone, "us-east-1a", "us-east-1b"); }},
      {"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d",
       [=](const Fleet& f) { return regex_and_eq(f, type, "g2.*", zone, "us-east-1d", true); }},
      {"task:group == service:production", [](const Fleet& f) { return group_eq(f, "service:production", false); }},
      {"not(task:group == database)", [](const Fleet& f) { return group_eq(f, "database", true); }},
      {"runningTasksCount == 1", [](const Fleet& f) { return running_eq(f, 1); }},
      {"agentVersion < 1.14.5", [](const Fleet& f) { return version_lt(f, "1.14.5"); }},
      {"registeredAt < 2018-02-13", [](const Fleet& f) { return registered_lt(f, "2018-02-13"); }},
      {"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", [](const Fleet& f) { return ec2_in2(f, "i-abcd1234", "i-wxyx7890"); }},
      {"attribute:ecs.instance-type == g2.2xlarge", [=](const Fleet& f) { return attribute_eq(f, type, "g2.2xlarge", false); }},
      {"attribute:stack == prod", [](const Fleet& f) { return attribute_eq(f, "stack", "prod", false); }},
      {"attribute:stack != prod", [](const Fleet& f) { return attribute_eq(f, "stack", "prod", true); }},
      {"attribute:ecs.instance-type in [t2.small, t2.medium]",
       [=](const Fleet& f) { return attribute_in2(f, type, "t2.small", "t2.medium"); }},
      {"attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a",
       [=](const Fleet& f) { return regex_and_eq(f, type, "t2.*", zone, "us-east-1a", false); }},
      {"attribute:ecs.instance-type =~ t2.*", [=](const Fleet& f) { return attribute_regex(f, type, "t2.*"); }},
      {"task:group == databases", [](const Fleet& f) { return group_eq(f, "databases", false); }},
      {"task:group == service:daemon-service", [](const Fleet& f) { return group_eq(f, "service:daemon-service", false); }},
      {"attribute:ecs.os-type == linux", [](const Fleet& f) { return attribute_eq(f, "ecs.os-type", "linux", false); }},
      {"memberOf(ecs.os-type=='windows')", [](const Fleet& f) { return attribute_eq(f, "ecs.os-type", "windows", false); }},
      {"memberOf(attribute:ecs.os-family == WINDOWS_SERVER_2019_FULL)",
       [](const Fleet& f) { return attribute_eq(f, "ecs.os-family", "WINDOWS_SERVER_2019_FULL", false); }},
  };
}

Table make_table(std::vector<std::uint8_t> values) {
  return std::make_shared<const std::vector<std::uint8_t>>(std::move(values));
}

HandScan heavy1(const Fleet& f) {
  std::vector<std::uint8_t> type_ok = regex_table(f, "ecs.instance-type", "(t2|t3|m5)\\..*");
  for (const char* v : {"c5.xlarge", "c5.2xlarge", "r5.large"}) {
    if (const std::uint32_t c = value_code(f, "ecs.instance-type", v); c != no_code) type_ok[c] = 1;
  }
  const Table types_ok = make_table(std::move(type_ok));
  const Table database = make_table(group_table(f, [](std::string_view g) { return g == "database"; }));
  const std::uint32_t* types = column(f, "ecs.instance-type");
  const std::uint32_t* zones = column(f, "ecs.availability-zone");
  const std::uint32_t* sets = f.task_group_set_codes().data();
  const std::uint32_t a = value_code(f, "ecs.availability-zone", "us-east-1a");
  const std::uint32_t b = value_code(f, "ecs.availability-zone", "us-east-1b");
  const std::uint32_t c = value_code(f, "ecs.availability-zone", "us-east-1c");
  return best_shape(f, [=, keep = std::array{types_ok, database}, t = types_ok->data(), d = database->data()](
                           std::size_t i) {
    const std::uint32_t z = zones[i];
    return t[types[i]] & static_cast<unsigned>((z == a) | (z == b) | (z == c)) & (d[sets[i]] ^ 1u);
  });
}

HandScan heavy2(const Fleet& f) {
  const Version limit = *parse_version("1.51.0");
  std::vector<std::uint8_t> recent(f.agent_versions().size());
  for (std::uint32_t v = 0; v < recent.size(); ++v) {
    const auto& version = f.parsed_agent_version(v);
    recent[v] = version && compare(*version, limit) >= 0;
  }
  const Table versions_ok = make_table(std::move(recent));
  const Table teams_ok = make_table(regex_table(f, "team", "team-[0-4]"));
  const std::uint32_t* stacks = column(f, "stack");
  const std::uint32_t* teams = column(f, "team");
  const std::uint32_t* os = column(f, "ecs.os-type");
  const std::uint32_t* versions = f.agent_version_codes().data();
  const std::int64_t* running = f.running_tasks_count().data();
  const std::int64_t* seconds = f.registered_at().data();
  const std::uint8_t* known = f.registered_at_known().data();
  const std::uint32_t prod = value_code(f, "stack", "prod");
  const std::uint32_t windows = value_code(f, "ecs.os-type", "windows");
  const std::int64_t since = parse_instant("2020-01-01")->seconds;
  return best_shape(f, [=, keep = std::array{versions_ok, teams_ok}, r = versions_ok->data(), t = teams_ok->data()](
                           std::size_t i) {
    return (static_cast<unsigned>(stacks[i] == prod) & r[versions[i]]) |
           (t[teams[i]] & static_cast<unsigned>(running[i] < 5)) |
           (static_cast<unsigned>(os[i] == windows) & known[i] & static_cast<unsigned>(seconds[i] > since));
  });
}

HandScan heavy3(const Fleet& f) {
  const Regex re = regex("service:svc-1.*");
  const Table svc1 = make_table(group_table(f, [&](std::string_view g) { return re.full_match(g); }));
  const std::uint32_t* arch = column(f, "ecs.cpu-architecture");
  const std::uint32_t* gpu = column(f, "ecs.capability.gpu");
  const std::uint32_t* sets = f.task_group_set_codes().data();
  const std::uint8_t* connected = f.agent_connected().data();
  const std::uint32_t arm = value_code(f, "ecs.cpu-architecture", "arm64");
  return best_shape(f, [=, keep = svc1, s = svc1->data()](std::size_t i) {
    return static_cast<unsigned>(arch[i] == arm) & (s[sets[i]] ^ 1u) & static_cast<unsigned>(gpu[i] == missing_code) &
           connected[i];
  });
}

HandScan heavy4(const Fleet& f) {
  std::vector<std::uint8_t> ami_bad(first_value_code + f.attribute_values(attribute(f, "ecs.ami-id")).size(), 0);
  for (const char* v : {"ami-5a0c0001", "ami-5a0c0002", "ami-5a0c0003"}) {
    if (const std::uint32_t c = value_code(f, "ecs.ami-id", v); c != no_code) ami_bad[c] = 1;
  }
  const Table amis_bad = make_table(std::move(ami_bad));
  const Table busy = make_table(group_table(f, [](std::string_view g) {
    return g == "service:svc-1" || g == "service:svc-2" || g == "service:svc-3";
  }));
  const Table zones_ok = make_table(regex_table(f, "ecs.availability-zone", "us-east-1[a-c]"));
  const Table types_ok = make_table(regex_table(f, "ecs.instance-type", ".*xlarge"));
  const std::uint32_t* amis = column(f, "ecs.ami-id");
  const std::uint32_t* sets = f.task_group_set_codes().data();
  const std::uint32_t* zones = column(f, "ecs.availability-zone");
  const std::uint32_t* types = column(f, "ecs.instance-type");
  return best_shape(f, [=, keep = std::array{amis_bad, busy, zones_ok, types_ok}, a = amis_bad->data(), b = busy->data(),
                        z = zones_ok->data(), t = types_ok->data()](std::size_t i) {
    return ((a[amis[i]] | b[sets[i]] | 0u) ^ 1u) & (z[zones[i]] | t[types[i]]);
  });
}

std::vector<Workload> heavy_workloads() {
  return {
      {"heavy1",
       "(attribute:ecs.instance-type =~ '(t2|t3|m5)\\..*' or attribute:ecs.instance-type in [c5.xlarge, c5.2xlarge, "
       "r5.large]) and attribute:ecs.availability-zone in [us-east-1a, us-east-1b, us-east-1c] and "
       "not(task:group == database)",
       false, heavy1},
      {"heavy2",
       "(attribute:stack == prod and agentVersion >= 1.51.0) or (attribute:team =~ 'team-[0-4]' and "
       "runningTasksCount < 5) or (attribute:ecs.os-type == windows and registeredAt > 2020-01-01)",
       false, heavy2},
      {"heavy3",
       "attribute:ecs.cpu-architecture == arm64 and task:group !~ 'service:svc-1.*' and "
       "attribute:ecs.capability.gpu !exists and agentConnected == true",
       false, heavy3},
      {"heavy4",
       "not(attribute:ecs.ami-id in [ami-5a0c0001, ami-5a0c0002, ami-5a0c0003] or task:group in "
       "[service:svc-1, service:svc-2, service:svc-3]) and (attribute:ecs.availability-zone =~ "
       "'us-east-1[a-c]' or attribute:ecs.instance-type =~ '.*xlarge')",
       false, heavy4},
  };
}

}  // namespace

std::vector<Workload> load_workloads(const std::string& documented_file) {
  std::ifstream in(documented_file);
  if (!in) throw std::runtime_error("cannot read " + documented_file);
  const auto hand = documented_hand_loops();
  std::vector<Workload> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    Workload w{fmt::format("doc{:02}", out.size() + 1), line, true, {}};
    if (const auto it = hand.find(line); it != hand.end()) w.prepare_hand = it->second;
    out.push_back(std::move(w));
  }
  for (Workload& w : heavy_workloads()) out.push_back(std::move(w));
  return out;
}

}  // namespace ecsq::bench
