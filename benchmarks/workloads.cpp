#include "workloads.hpp"

#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>
#include <variant>

#include <fmt/format.h>

#include "ecsq/regex.hpp"
#include "ecsq/value.hpp"

namespace ecsq::bench {

namespace {

constexpr std::uint32_t no_code = std::numeric_limits<std::uint32_t>::max();
static_assert(std::endian::native == std::endian::little, "scan() packs bytes little-endian");

// The loop every hand-written scan shares: 64 predicate results staged as bytes (so the compares
// vectorise), packed 8 at a time with a multiply, masked by liveness. Little-endian only.
template <class Pred>
void scan(const Fleet& fleet, Bitset& out, Pred pred) {
  const std::size_t n = fleet.slot_count();
  out.resize(n);
  std::uint64_t* words = out.words().data();
  const std::uint64_t* live = fleet.live().words().data();
  const std::size_t full = n / 64;
  alignas(64) std::uint8_t bytes[64];
  for (std::size_t w = 0; w < full; ++w) {
    const std::size_t base = w * 64;
    for (std::size_t j = 0; j < 64; ++j) bytes[j] = static_cast<std::uint8_t>(pred(base + j));
    std::uint64_t word = 0;
    for (std::size_t k = 0; k < 8; ++k) {
      std::uint64_t eight = 0;
      std::memcpy(&eight, bytes + 8 * k, 8);
      word |= ((eight * 0x0102040810204080ull) >> 56) << (8 * k);
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

const std::uint32_t* column(const Fleet& fleet, std::string_view name) {
  return fleet.attribute_codes(attribute(fleet, name)).data();
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

HandScan attribute_eq(const Fleet& f, std::string_view name, std::string_view value, bool negate) {
  const std::uint32_t* codes = column(f, name);
  const std::uint32_t code = value_code(f, name, value);
  if (negate) return [=](const Fleet& fleet, Bitset& out) { scan(fleet, out, [=](std::size_t i) { return codes[i] != code; }); };
  return [=](const Fleet& fleet, Bitset& out) { scan(fleet, out, [=](std::size_t i) { return codes[i] == code; }); };
}

HandScan attribute_in2(const Fleet& f, std::string_view name, std::string_view a, std::string_view b) {
  const std::uint32_t* codes = column(f, name);
  const std::uint32_t x = value_code(f, name, a);
  const std::uint32_t y = value_code(f, name, b);
  return [=](const Fleet& fleet, Bitset& out) {
    scan(fleet, out, [=](std::size_t i) { return (codes[i] == x) | (codes[i] == y); });
  };
}

HandScan attribute_regex(const Fleet& f, std::string_view name, std::string_view pattern) {
  const std::uint32_t* codes = column(f, name);
  auto table = std::make_shared<std::vector<std::uint8_t>>(regex_table(f, name, pattern));
  return [=](const Fleet& fleet, Bitset& out) {
    const std::uint8_t* t = table->data();
    scan(fleet, out, [=](std::size_t i) { return t[codes[i]]; });
  };
}

HandScan regex_and_eq(const Fleet& f, std::string_view name, std::string_view pattern, std::string_view other,
                      std::string_view value, bool negate) {
  const std::uint32_t* codes = column(f, name);
  const std::uint32_t* other_codes = column(f, other);
  const std::uint32_t code = value_code(f, other, value);
  auto table = std::make_shared<std::vector<std::uint8_t>>(regex_table(f, name, pattern));
  return [=](const Fleet& fleet, Bitset& out) {
    const std::uint8_t* t = table->data();
    scan(fleet, out, [=](std::size_t i) { return t[codes[i]] & ((other_codes[i] == code) != negate); });
  };
}

HandScan group_eq(const Fleet& f, std::string_view group, bool negate) {
  auto table = std::make_shared<std::vector<std::uint8_t>>(group_table(f, [&](std::string_view g) { return g == group; }));
  const std::uint32_t* sets = f.task_group_set_codes().data();
  return [=](const Fleet& fleet, Bitset& out) {
    const std::uint8_t* t = table->data();
    scan(fleet, out, [=](std::size_t i) { return t[sets[i]] != negate; });
  };
}

HandScan running_eq(const Fleet& f, std::int64_t n) {
  const std::int64_t* running = f.running_tasks_count().data();
  return [=](const Fleet& fleet, Bitset& out) { scan(fleet, out, [=](std::size_t i) { return running[i] == n; }); };
}

HandScan version_lt(const Fleet& f, std::string_view literal) {
  const Version limit = *parse_version(literal);
  auto table = std::make_shared<std::vector<std::uint8_t>>(f.agent_versions().size());
  for (std::uint32_t v = 0; v < table->size(); ++v) {
    const auto& version = f.parsed_agent_version(v);
    (*table)[v] = version && compare(*version, limit) < 0;
  }
  const std::uint32_t* codes = f.agent_version_codes().data();
  return [=](const Fleet& fleet, Bitset& out) {
    const std::uint8_t* t = table->data();
    scan(fleet, out, [=](std::size_t i) { return t[codes[i]]; });
  };
}

HandScan registered_lt(const Fleet& f, std::string_view literal) {
  const std::int64_t limit = parse_instant(literal)->seconds;
  const std::int64_t* seconds = f.registered_at().data();
  const std::uint8_t* known = f.registered_at_known().data();
  return [=](const Fleet& fleet, Bitset& out) {
    scan(fleet, out, [=](std::size_t i) { return known[i] & (seconds[i] < limit); });
  };
}

HandScan ec2_in2(const Fleet& f, std::string_view a, std::string_view b) {
  const std::uint32_t x = f.ec2_instance_ids().find(a).value_or(no_code);
  const std::uint32_t y = f.ec2_instance_ids().find(b).value_or(no_code);
  const std::uint32_t* codes = f.ec2_instance_id_codes().data();
  return [=](const Fleet& fleet, Bitset& out) {
    scan(fleet, out, [=](std::size_t i) { return (codes[i] == x) | (codes[i] == y); });
  };
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

std::vector<Workload> heavy_workloads() {
  std::vector<Workload> out;
  out.push_back({"heavy1",
                 "(attribute:ecs.instance-type =~ '(t2|t3|m5)\\..*' or attribute:ecs.instance-type in [c5.xlarge, c5.2xlarge, "
                 "r5.large]) and attribute:ecs.availability-zone in [us-east-1a, us-east-1b, us-east-1c] and "
                 "not(task:group == database)",
                 false, [](const Fleet& f) -> HandScan {
                   auto type_ok = std::make_shared<std::vector<std::uint8_t>>(regex_table(f, "ecs.instance-type", "(t2|t3|m5)\\..*"));
                   for (const char* v : {"c5.xlarge", "c5.2xlarge", "r5.large"}) {
                     if (const std::uint32_t c = value_code(f, "ecs.instance-type", v); c != no_code) (*type_ok)[c] = 1;
                   }
                   auto in_database = std::make_shared<std::vector<std::uint8_t>>(
                       group_table(f, [](std::string_view g) { return g == "database"; }));
                   const std::uint32_t* types = column(f, "ecs.instance-type");
                   const std::uint32_t* zones = column(f, "ecs.availability-zone");
                   const std::uint32_t* sets = f.task_group_set_codes().data();
                   const std::uint32_t a = value_code(f, "ecs.availability-zone", "us-east-1a");
                   const std::uint32_t b = value_code(f, "ecs.availability-zone", "us-east-1b");
                   const std::uint32_t c = value_code(f, "ecs.availability-zone", "us-east-1c");
                   return [=](const Fleet& fleet, Bitset& out) {
                     const std::uint8_t* t = type_ok->data();
                     const std::uint8_t* d = in_database->data();
                     scan(fleet, out, [=](std::size_t i) {
                       const std::uint32_t z = zones[i];
                       return t[types[i]] & static_cast<unsigned>((z == a) | (z == b) | (z == c)) & (d[sets[i]] ^ 1u);
                     });
                   };
                 }});
  out.push_back({"heavy2",
                 "(attribute:stack == prod and agentVersion >= 1.51.0) or (attribute:team =~ 'team-[0-4]' and "
                 "runningTasksCount < 5) or (attribute:ecs.os-type == windows and registeredAt > 2020-01-01)",
                 false, [](const Fleet& f) -> HandScan {
                   const Version limit = *parse_version("1.51.0");
                   auto recent = std::make_shared<std::vector<std::uint8_t>>(f.agent_versions().size());
                   for (std::uint32_t v = 0; v < recent->size(); ++v) {
                     const auto& version = f.parsed_agent_version(v);
                     (*recent)[v] = version && compare(*version, limit) >= 0;
                   }
                   auto team_ok = std::make_shared<std::vector<std::uint8_t>>(regex_table(f, "team", "team-[0-4]"));
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
                   return [=](const Fleet& fleet, Bitset& out) {
                     const std::uint8_t* r = recent->data();
                     const std::uint8_t* t = team_ok->data();
                     scan(fleet, out, [=](std::size_t i) {
                       return (static_cast<unsigned>(stacks[i] == prod) & r[versions[i]]) |
                              (t[teams[i]] & static_cast<unsigned>(running[i] < 5)) |
                              (static_cast<unsigned>(os[i] == windows) & known[i] & static_cast<unsigned>(seconds[i] > since));
                     });
                   };
                 }});
  out.push_back({"heavy3",
                 "attribute:ecs.cpu-architecture == arm64 and task:group !~ 'service:svc-1.*' and "
                 "attribute:ecs.capability.gpu !exists and agentConnected == true",
                 false, [](const Fleet& f) -> HandScan {
                   const Regex re = regex("service:svc-1.*");
                   auto svc1 = std::make_shared<std::vector<std::uint8_t>>(
                       group_table(f, [&](std::string_view g) { return re.full_match(g); }));
                   const std::uint32_t* arch = column(f, "ecs.cpu-architecture");
                   const std::uint32_t* gpu = column(f, "ecs.capability.gpu");
                   const std::uint32_t* sets = f.task_group_set_codes().data();
                   const std::uint8_t* connected = f.agent_connected().data();
                   const std::uint32_t arm = value_code(f, "ecs.cpu-architecture", "arm64");
                   return [=](const Fleet& fleet, Bitset& out) {
                     const std::uint8_t* s = svc1->data();
                     scan(fleet, out, [=](std::size_t i) {
                       return static_cast<unsigned>(arch[i] == arm) & (s[sets[i]] ^ 1u) & static_cast<unsigned>(gpu[i] == missing_code) & connected[i];
                     });
                   };
                 }});
  out.push_back({"heavy4",
                 "not(attribute:ecs.ami-id in [ami-5a0c0001, ami-5a0c0002, ami-5a0c0003] or task:group in "
                 "[service:svc-1, service:svc-2, service:svc-3]) and (attribute:ecs.availability-zone =~ "
                 "'us-east-1[a-c]' or attribute:ecs.instance-type =~ '.*xlarge')",
                 false, [](const Fleet& f) -> HandScan {
                   auto ami_bad = std::make_shared<std::vector<std::uint8_t>>(
                       first_value_code + f.attribute_values(attribute(f, "ecs.ami-id")).size(), 0);
                   for (const char* v : {"ami-5a0c0001", "ami-5a0c0002", "ami-5a0c0003"}) {
                     if (const std::uint32_t c = value_code(f, "ecs.ami-id", v); c != no_code) (*ami_bad)[c] = 1;
                   }
                   auto busy = std::make_shared<std::vector<std::uint8_t>>(group_table(f, [](std::string_view g) {
                     return g == "service:svc-1" || g == "service:svc-2" || g == "service:svc-3";
                   }));
                   auto zone_ok = std::make_shared<std::vector<std::uint8_t>>(
                       regex_table(f, "ecs.availability-zone", "us-east-1[a-c]"));
                   auto type_ok = std::make_shared<std::vector<std::uint8_t>>(regex_table(f, "ecs.instance-type", ".*xlarge"));
                   const std::uint32_t* amis = column(f, "ecs.ami-id");
                   const std::uint32_t* sets = f.task_group_set_codes().data();
                   const std::uint32_t* zones = column(f, "ecs.availability-zone");
                   const std::uint32_t* types = column(f, "ecs.instance-type");
                   return [=](const Fleet& fleet, Bitset& out) {
                     const std::uint8_t* a = ami_bad->data();
                     const std::uint8_t* b = busy->data();
                     const std::uint8_t* z = zone_ok->data();
                     const std::uint8_t* t = type_ok->data();
                     scan(fleet, out, [=](std::size_t i) {
                       return ((a[amis[i]] | b[sets[i]] | 0u) ^ 1u) & (z[zones[i]] | t[types[i]]);
                     });
                   };
                 }});
  return out;
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
