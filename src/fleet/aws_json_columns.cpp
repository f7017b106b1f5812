// The columnar fleet reader: fleet JSON straight into a Fleet, in one On-Demand pass (no DOM tape,
// no Instance kept per instance: one scratch Instance is refilled and added to the Fleet).
// Design: this path only ever accepts. The moment a document holds anything the record reader
// (aws_json.cpp) would report (bad JSON, a wrong type, a bad value, a duplicate), it gives up and
// the record reader reads the sources again, so diagnostics are that reader's, byte for byte.
#include <algorithm>
#include <cmath>
#include <utility>

#include <simdjson.h>

#include "aws_json_internal.hpp"
#include "ecsq/aws_json.hpp"
#include "ecsq/placement.hpp"

namespace ecsq {

namespace {

namespace ondemand = simdjson::ondemand;

// Gives up a little before simdjson's DOM depth limit, so a difference between the two parsers'
// depth rules can only hand a document to the record reader, never accept one it rejects.
constexpr std::size_t max_depth = simdjson::DEFAULT_MAX_DEPTH - 8;
using detail::port_number;
using detail::utf8_bom;

// Visits every value with the accessor that validates it: On-Demand checks only what is read, and
// the record reader's DOM parse rejects a bad token anywhere, unknown fields included.
bool touch(ondemand::value value, std::size_t depth) {
  if (depth > max_depth) return false;
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (value.get_object().get(object)) return false;
      for (auto field : object) {
        std::string_view key;
        ondemand::value child;
        if (field.unescaped_key().get(key) || field.value().get(child) || !touch(child, depth + 1)) return false;
      }
      return true;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (value.get_array().get(array)) return false;
      for (auto element : array) {
        ondemand::value child;
        if (element.get(child) || !touch(child, depth + 1)) return false;
      }
      return true;
    }
    case ondemand::json_type::string: return !value.get_string().error();
    case ondemand::json_type::number: return !value.get_number().error();
    case ondemand::json_type::boolean: return !value.get_bool().error();
    case ondemand::json_type::null: {
      bool is_null = false;
      return !value.is_null().get(is_null) && is_null;
    }
  }
  return false;
}

// A scalar as read, for objects whose fields decide together (resources, task amounts): the
// record reader looks fields up by name, so their order in the text must not matter here.
struct Scalar {
  enum class Kind : std::uint8_t { absent, null, string, int64, uint64, floating, boolean, container };
  Kind kind = Kind::absent;
  std::string_view text;
  std::int64_t integer = 0;
  double floating = 0;
  bool boolean = false;
};

bool read_scalar(ondemand::value value, Scalar& out, std::size_t depth) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case ondemand::json_type::object:
    case ondemand::json_type::array: out.kind = Scalar::Kind::container; return touch(value, depth);
    case ondemand::json_type::string: out.kind = Scalar::Kind::string; return !value.get_string().get(out.text);
    case ondemand::json_type::boolean: {
      out.kind = Scalar::Kind::boolean;
      return !value.get_bool().get(out.boolean);
    }
    case ondemand::json_type::null: {
      bool is_null = false;
      out.kind = Scalar::Kind::null;
      return !value.is_null().get(is_null) && is_null;
    }
    case ondemand::json_type::number: {
      ondemand::number number;
      if (value.get_number().get(number)) return false;
      switch (number.get_number_type()) {
        case ondemand::number_type::signed_integer: out.kind = Scalar::Kind::int64; out.integer = number.get_int64(); break;
        case ondemand::number_type::unsigned_integer: out.kind = Scalar::Kind::uint64; break;
        case ondemand::number_type::floating_point_number: out.kind = Scalar::Kind::floating; out.floating = number.get_double(); break;
        default: return false;  // big integers: the DOM rejects them
      }
      return true;
    }
  }
  return false;
}

// A string field that may be null or absent; any other value would be reported.
bool string_or_null(ondemand::value value, std::optional<std::string_view>& out, std::size_t depth) {
  Scalar scalar;
  if (!read_scalar(value, scalar, depth)) return false;
  if (scalar.kind == Scalar::Kind::string) out = scalar.text;
  return scalar.kind == Scalar::Kind::string || scalar.kind == Scalar::Kind::null;
}

// A field seen twice is looked up by the record reader as its first occurrence; rather than
// reproduce that, such documents go to the record reader.
bool first_time(std::uint32_t& seen, std::uint32_t bit) {
  if ((seen & bit) != 0) return false;
  seen |= bit;
  return true;
}

// Calls on_field(key, value) for each field of an object, in text order; false if it is not an
// object or on_field gives up.
template <class OnField>
bool for_each_field(ondemand::value value, OnField on_field) {
  ondemand::object object;
  if (value.get_object().get(object)) return false;
  for (auto field : object) {
    std::string_view key;
    ondemand::value child;
    if (field.unescaped_key().get(key) || field.value().get(child) || !on_field(key, child)) return false;
  }
  return true;
}

// Calls on_element(value) for each element of an array, or nothing for null.
template <class OnElement>
bool for_each_element_or_null(ondemand::value value, OnElement on_element) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  if (type == ondemand::json_type::null) {
    bool is_null = false;
    return !value.is_null().get(is_null) && is_null;
  }
  ondemand::array array;
  if (value.get_array().get(array)) return false;
  for (auto element : array) {
    ondemand::value child;
    if (element.get(child) || !on_element(child)) return false;
  }
  return true;
}

// A describe-tasks cpu or memory amount the record reader accepts: absent, null, a non-negative
// integer, or a string `parse` reads.
bool task_amount_ok(const Scalar& amount, std::optional<std::int64_t> (*parse)(std::string_view) noexcept) {
  switch (amount.kind) {
    case Scalar::Kind::absent:
    case Scalar::Kind::null: return true;
    case Scalar::Kind::int64: return amount.integer >= 0;
    case Scalar::Kind::string: return parse(amount.text).has_value();
    default: return false;
  }
}

struct RunningTask {
  std::string container_instance_arn;
  std::string group;
};

class ColumnReader {
 public:
  /// Reads one document into the fleet; false when the record reader would report something in it.
  bool read(const std::string& text) {
    const std::size_t bom = std::string_view(text).starts_with(utf8_bom) ? utf8_bom.size() : 0;
    std::string_view json = std::string_view(text).substr(bom);
    std::size_t capacity = text.capacity() - bom;
    simdjson::padded_string padded_copy;
    if (capacity < json.size() + simdjson::SIMDJSON_PADDING) {
      padded_copy = simdjson::padded_string(json);
      json = std::string_view(padded_copy.data(), padded_copy.size());
      capacity = padded_copy.size() + simdjson::SIMDJSON_PADDING;
    }
    ondemand::document document;
    if (parser_.iterate(json.data(), json.size(), capacity).get(document)) return false;
    ondemand::json_type type;
    if (document.type().get(type)) return false;
    bool ok = false;
    if (type == ondemand::json_type::array) {
      ondemand::array array;
      ok = !document.get_array().get(array) && read_instances(array);
    } else if (type == ondemand::json_type::object) {
      ondemand::object object;
      ok = !document.get_object().get(object) && read_top(object);
    }
    // Text after the root value: the DOM rejects it.
    const char* trailing = nullptr;
    return ok && document.current_location().get(trailing) != simdjson::SUCCESS;
  }

  /// Gives every instance the groups of its running tasks and hands over the fleet.
  Fleet finish() {
    std::vector<std::pair<InstanceId, std::string_view>> groups;
    for (const RunningTask& task : running_) {
      if (task.container_instance_arn.empty()) continue;
      // A task whose instance is not in the fleet (another cluster, a filtered listing) places nothing.
      if (const auto code = fleet_.container_instance_arns().find(task.container_instance_arn)) {
        groups.emplace_back(id_by_arn_[*code], task.group);
      }
    }
    std::sort(groups.begin(), groups.end());
    groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
    std::vector<std::string> of_one;
    for (std::size_t i = 0; i < groups.size();) {
      const InstanceId id = groups[i].first;
      of_one.clear();
      for (; i < groups.size() && groups[i].first == id; ++i) of_one.emplace_back(groups[i].second);
      fleet_.set_task_groups(id, of_one);
    }
    return std::move(fleet_);
  }

 private:
  bool read_top(ondemand::object object) {
    std::uint32_t seen = 0;
    for (auto field : object) {
      std::string_view key;
      ondemand::value value;
      if (field.unescaped_key().get(key) || field.value().get(value)) return false;
      if (key == "containerInstances") {
        if (!first_time(seen, 1) || !for_each_element_or_null(value, [&](ondemand::value v) { return read_instance(v); })) {
          return false;
        }
      } else if (key == "tasks") {
        if (!first_time(seen, 2) || !for_each_element_or_null(value, [&](ondemand::value v) { return read_task(v); })) {
          return false;
        }
      } else if (!touch(value, 1)) {
        return false;
      }
    }
    return seen != 0;  // neither list: the record reader says what to write
  }

  bool read_instances(ondemand::array array) {
    for (auto element : array) {
      ondemand::value value;
      if (element.get(value) || !read_instance(value)) return false;
    }
    return true;
  }

  bool read_instance(ondemand::value value) {
    constexpr std::size_t depth = 2;
    std::optional<std::string_view> ec2_id;
    std::optional<std::string_view> arn;
    std::optional<std::string_view> status;
    std::optional<std::string_view> agent_version;
    std::optional<Instant> registered_at;
    bool connected = true;  // an Instance's default: absent or null leaves it connected
    std::int64_t running = 0;
    attributes_.clear();
    std::uint32_t seen = 0;
    const bool ok = for_each_field(value, [&](std::string_view key, ondemand::value field) {
      if (key == "ec2InstanceId") {
        Scalar id;
        if (!first_time(seen, 1 << 0) || !read_scalar(field, id, depth) || id.kind != Scalar::Kind::string || id.text.empty()) {
          return false;
        }
        ec2_id = id.text;
        return true;
      }
      if (key == "containerInstanceArn") return first_time(seen, 1 << 1) && string_or_null(field, arn, depth);
      if (key == "status") return first_time(seen, 1 << 2) && string_or_null(field, status, depth);
      if (key == "agentConnected") {
        Scalar flag;
        if (!first_time(seen, 1 << 3) || !read_scalar(field, flag, depth)) return false;
        if (flag.kind == Scalar::Kind::boolean) connected = flag.boolean;
        return flag.kind == Scalar::Kind::boolean || flag.kind == Scalar::Kind::null;
      }
      if (key == "versionInfo") return first_time(seen, 1 << 4) && read_version_info(field, agent_version);
      if (key == "registeredAt") return first_time(seen, 1 << 5) && read_registered_at(field, registered_at);
      if (key == "runningTasksCount") {
        Scalar count;
        if (!first_time(seen, 1 << 6) || !read_scalar(field, count, depth)) return false;
        if (count.kind == Scalar::Kind::int64 && count.integer >= 0) running = count.integer;
        return (count.kind == Scalar::Kind::int64 && count.integer >= 0) || count.kind == Scalar::Kind::null;
      }
      if (key == "attributes") {
        return first_time(seen, 1 << 7) &&
               for_each_element_or_null(field, [&](ondemand::value v) { return read_attribute(v); });
      }
      if (key == "registeredResources" || key == "remainingResources") {
        std::vector<std::string_view> known;
        return first_time(seen, key == "registeredResources" ? 1 << 8 : 1 << 9) &&
               for_each_element_or_null(field, [&](ondemand::value v) { return check_resource(v, known); });
      }
      return touch(field, depth + 1);
    });
    if (!ok || !ec2_id) return false;
    // Two values for one name would make every comparison on it ambiguous: the record reader reports it.
    std::sort(attributes_.begin(), attributes_.end(),
              [](const Attribute& a, const Attribute& b) { return a.name < b.name; });
    const auto same_name = [](const Attribute& a, const Attribute& b) { return a.name == b.name; };
    if (std::adjacent_find(attributes_.begin(), attributes_.end(), same_name) != attributes_.end()) return false;

    scratch_.ec2_instance_id.assign(*ec2_id);
    scratch_.container_instance_arn.assign(arn.value_or(std::string_view{}));
    scratch_.status.assign(status.value_or(std::string_view{}));
    scratch_.agent_connected = connected;
    scratch_.agent_version.assign(agent_version.value_or(std::string_view{}));
    scratch_.registered_at = registered_at;
    scratch_.running_tasks_count = running;
    scratch_.set_attributes(std::move(attributes_));
    attributes_ = {};

    // An id or ARN already in the dictionaries belongs to an earlier instance: a duplicate.
    const std::size_t ids_before = fleet_.ec2_instance_ids().size();
    const std::size_t arns_before = fleet_.container_instance_arns().size();
    const InstanceId id = fleet_.add(scratch_);
    if (fleet_.ec2_instance_id_codes()[id] < ids_before) return false;
    if (!scratch_.container_instance_arn.empty()) {
      const std::uint32_t arn_code = fleet_.container_instance_arn_codes()[id];
      if (arn_code < arns_before) return false;
      id_by_arn_.resize(fleet_.container_instance_arns().size());
      id_by_arn_[arn_code] = id;
    }
    return true;
  }

  bool read_version_info(ondemand::value value, std::optional<std::string_view>& agent_version) {
    ondemand::json_type type;
    if (value.type().get(type)) return false;
    if (type != ondemand::json_type::object) {
      Scalar null;
      return read_scalar(value, null, 3) && null.kind == Scalar::Kind::null;
    }
    std::uint32_t seen = 0;
    return for_each_field(value, [&](std::string_view key, ondemand::value field) {
      if (key == "agentVersion") return first_time(seen, 1) && string_or_null(field, agent_version, 3);
      return touch(field, 4);
    });
  }

  static bool read_registered_at(ondemand::value value, std::optional<Instant>& out) {
    Scalar at;
    if (!read_scalar(value, at, 3)) return false;
    std::int64_t seconds = 0;
    switch (at.kind) {
      case Scalar::Kind::null: return true;
      case Scalar::Kind::int64: seconds = at.integer; break;
      case Scalar::Kind::floating: {
        // AWS prints fractional epoch seconds; instants are whole seconds, so the fraction goes.
        const double whole = std::floor(at.floating);
        if (!(whole >= static_cast<double>(detail::min_epoch_seconds) &&
              whole <= static_cast<double>(detail::max_epoch_seconds))) {
          return false;
        }
        seconds = static_cast<std::int64_t>(whole);
        break;
      }
      case Scalar::Kind::string: {
        out = parse_instant(detail::without_fractional_seconds(at.text));
        return out.has_value();
      }
      default: return false;
    }
    if (seconds < detail::min_epoch_seconds || seconds > detail::max_epoch_seconds) return false;
    out = Instant{seconds};
    return true;
  }

  bool read_attribute(ondemand::value value) {
    std::optional<std::string_view> name;
    std::optional<std::string_view> text;
    bool has_name = false;
    std::uint32_t seen = 0;
    const bool ok = for_each_field(value, [&](std::string_view key, ondemand::value field) {
      if (key == "name") {
        Scalar scalar;
        if (!first_time(seen, 1) || !read_scalar(field, scalar, 4) || scalar.kind != Scalar::Kind::string) return false;
        name = scalar.text;
        has_name = true;
        return true;
      }
      if (key == "value") return first_time(seen, 2) && string_or_null(field, text, 4);
      return touch(field, 4);
    });
    if (!ok || !has_name || name->empty()) return false;
    attributes_.push_back(Attribute{std::string(*name), text ? std::optional<std::string>(*text) : std::nullopt});
    return true;
  }

  // One element of registeredResources or remainingResources, checked as the record reader reads
  // it (the result itself is placement's, which reads FleetData).
  bool check_resource(ondemand::value value, std::vector<std::string_view>& known) {
    Scalar name;
    Scalar type;
    Scalar integer;
    Scalar long_value;
    Scalar double_value;
    Scalar string_set;  // kind container = an array of strings (items in set_items_)
    set_items_.clear();
    std::uint32_t seen = 0;
    const bool ok = for_each_field(value, [&](std::string_view key, ondemand::value field) {
      if (key == "name") return first_time(seen, 1) && read_scalar(field, name, 5);
      if (key == "type") return first_time(seen, 2) && read_scalar(field, type, 5);
      if (key == "integerValue") return first_time(seen, 4) && read_scalar(field, integer, 5);
      if (key == "longValue") return first_time(seen, 8) && read_scalar(field, long_value, 5);
      if (key == "doubleValue") return first_time(seen, 16) && read_scalar(field, double_value, 5);
      if (key == "stringSetValue") {
        if (!first_time(seen, 32)) return false;
        ondemand::json_type json_type;
        if (field.type().get(json_type)) return false;
        if (json_type != ondemand::json_type::array) return read_scalar(field, string_set, 5);
        string_set.kind = Scalar::Kind::container;
        return for_each_element_or_null(field, [&](ondemand::value item) {
          Scalar text;
          if (!read_scalar(item, text, 6) || text.kind != Scalar::Kind::string) return false;
          set_items_.push_back(text.text);
          return true;
        });
      }
      return touch(field, 5);
    });
    if (!ok || name.kind != Scalar::Kind::string) return false;
    const std::string_view resource = name.text;
    const bool placement_reads = resource == "CPU" || resource == "MEMORY" || resource == "PORTS" ||
                                 resource == "PORTS_UDP" || resource == "GPU";
    if (!placement_reads) return true;
    if (std::find(known.begin(), known.end(), resource) != known.end()) return false;
    known.push_back(resource);
    if (type.kind != Scalar::Kind::absent && type.kind != Scalar::Kind::null && type.kind != Scalar::Kind::string) return false;
    const std::optional<std::string_view> type_name =
        type.kind == Scalar::Kind::string ? std::optional<std::string_view>(type.text) : std::nullopt;
    // stringSetValue: null reads as no list; absent or anything but strings is reported.
    const auto strings_ok = [&] {
      return string_set.kind == Scalar::Kind::container || string_set.kind == Scalar::Kind::null;
    };
    if (resource == "PORTS" || resource == "PORTS_UDP") {
      if (type_name && *type_name != "STRINGSET") return false;
      if (!strings_ok()) return false;
      return std::all_of(set_items_.begin(), set_items_.end(), [](std::string_view p) { return port_number(p).has_value(); });
    }
    if (resource == "GPU" && ((type_name && *type_name == "STRINGSET") || (!type_name && string_set.kind != Scalar::Kind::absent))) {
      return strings_ok();
    }
    // CPU, MEMORY or a GPU count: integerValue (INTEGER), longValue (LONG) or a whole doubleValue (DOUBLE).
    const Scalar* amount = nullptr;
    if (!type_name) {
      for (const Scalar* candidate : {&integer, &long_value, &double_value}) {
        if (candidate->kind != Scalar::Kind::absent) {
          amount = candidate;
          break;
        }
      }
    } else if (*type_name == "INTEGER") {
      amount = &integer;
    } else if (*type_name == "LONG") {
      amount = &long_value;
    } else if (*type_name == "DOUBLE") {
      amount = &double_value;
    }
    if (amount == nullptr) return false;
    if (amount->kind == Scalar::Kind::int64) return amount->integer >= 0;
    if (amount->kind == Scalar::Kind::floating) {
      const double number = amount->floating;
      return number == std::floor(number) && number >= 0 && number < 9.2233720368547758e18;
    }
    return false;
  }

  // One task of `tasks`: checked as the record reader reads it (conservatively: a container's
  // amounts are checked even when task-level ones make the record reader skip them), and kept as
  // a running task when it is one.
  bool read_task(ondemand::value value) {
    constexpr std::size_t depth = 2;
    std::optional<std::string_view> arn;
    std::optional<std::string_view> group;
    std::optional<std::string_view> desired;
    std::optional<std::string_view> ignored;
    Scalar cpu;
    Scalar memory;
    std::uint32_t seen = 0;
    const bool ok = for_each_field(value, [&](std::string_view key, ondemand::value field) {
      if (key == "containerInstanceArn") return first_time(seen, 1 << 0) && string_or_null(field, arn, depth);
      if (key == "group") return first_time(seen, 1 << 1) && string_or_null(field, group, depth);
      if (key == "desiredStatus") return first_time(seen, 1 << 2) && string_or_null(field, desired, depth);
      if (key == "lastStatus") return first_time(seen, 1 << 3) && string_or_null(field, ignored, depth);
      if (key == "taskDefinitionArn") return first_time(seen, 1 << 4) && string_or_null(field, ignored, depth);
      if (key == "cpu") return first_time(seen, 1 << 5) && read_scalar(field, cpu, depth);
      if (key == "memory") return first_time(seen, 1 << 6) && read_scalar(field, memory, depth);
      if (key == "containers") {
        return first_time(seen, 1 << 7) &&
               for_each_element_or_null(field, [&](ondemand::value v) { return check_container(v); });
      }
      if (key == "attachments") {
        return first_time(seen, 1 << 8) && for_each_element_or_null(field, [&](ondemand::value v) {
                 std::uint32_t seen_type = 0;
                 return for_each_field(v, [&](std::string_view k, ondemand::value f) {
                   std::optional<std::string_view> type;
                   if (k == "type") return first_time(seen_type, 1) && string_or_null(f, type, depth + 2);
                   return touch(f, depth + 2);
                 });
               });
      }
      return touch(field, depth + 1);
    });
    if (!ok || !task_amount_ok(cpu, parse_cpu_units) || !task_amount_ok(memory, parse_memory_mib)) return false;
    // Only tasks meant to be running occupy an instance; Fargate tasks have no instance ARN.
    if (arn && group && desired == "RUNNING") running_.push_back(RunningTask{std::string(*arn), std::string(*group)});
    return true;
  }

  static bool check_container(ondemand::value value) {
    constexpr std::size_t depth = 4;
    std::uint32_t seen = 0;
    return for_each_field(value, [&](std::string_view key, ondemand::value field) {
      Scalar amount;
      if (key == "cpu") return first_time(seen, 1) && read_scalar(field, amount, depth) && task_amount_ok(amount, parse_cpu_units);
      if (key == "memoryReservation" || key == "memory") {
        return first_time(seen, key == "memory" ? 2 : 4) && read_scalar(field, amount, depth) &&
               task_amount_ok(amount, parse_memory_mib);
      }
      if (key == "networkBindings") {
        return first_time(seen, 8) && for_each_element_or_null(field, [&](ondemand::value binding) {
                 std::uint32_t seen_binding = 0;
                 return for_each_field(binding, [&](std::string_view k, ondemand::value f) {
                   if (k == "hostPort") {
                     Scalar port;
                     return first_time(seen_binding, 1) && read_scalar(f, port, depth + 2) &&
                            (port.kind == Scalar::Kind::null ||
                             (port.kind == Scalar::Kind::int64 && port.integer >= 0 && port.integer <= 65535));
                   }
                   std::optional<std::string_view> protocol;
                   if (k == "protocol") return first_time(seen_binding, 2) && string_or_null(f, protocol, depth + 2);
                   return touch(f, depth + 2);
                 });
               });
      }
      if (key == "gpuIds") {
        return first_time(seen, 16) && for_each_element_or_null(field, [&](ondemand::value id) {
                 Scalar text;
                 return read_scalar(id, text, depth + 1) && text.kind == Scalar::Kind::string;
               });
      }
      return touch(field, depth + 1);
    });
  }

  ondemand::parser parser_;
  Fleet fleet_;
  std::vector<InstanceId> id_by_arn_;  // by code in fleet_.container_instance_arns()
  std::vector<RunningTask> running_;   // applied once every document is read: tasks may come first
  Instance scratch_;
  std::vector<Attribute> attributes_;
  std::vector<std::string_view> set_items_;
};

// The fast path over every source; on anything it does not accept, the record reader.
FleetColumnsResult read_columns(FleetReadResult records, const std::vector<bool>& readable) {
  FleetColumnsResult result;
  if (std::all_of(readable.begin(), readable.end(), [](bool r) { return r; })) {
    if (std::optional<Fleet> fleet = detail::read_fleet_columns_fast(records.sources)) {
      result.fleet = std::move(fleet);
      result.sources = std::move(records.sources);
      return result;
    }
  }
  detail::read_fleet_records(records, readable);
  // The record reader may accept what the fast path would not (say, an odd amount it never reads).
  if (records.fleet) result.fleet = Fleet(records.fleet->instances);
  result.sources = std::move(records.sources);
  result.diagnostics = std::move(records.diagnostics);
  return result;
}

}  // namespace

std::optional<Fleet> detail::read_fleet_columns_fast(const std::vector<FleetSource>& sources) {
  ColumnReader reader;
  for (const FleetSource& source : sources) {
    if (!reader.read(source.text)) return std::nullopt;
  }
  return reader.finish();
}

FleetColumnsResult read_fleet_columns(std::vector<FleetSource> sources) {
  FleetReadResult records;
  records.sources = std::move(sources);
  const std::vector<bool> readable(records.sources.size(), true);
  return read_columns(std::move(records), readable);
}

FleetColumnsResult read_fleet_columns_files(const std::vector<std::string>& paths) {
  FleetReadResult records;
  const std::vector<bool> readable = detail::load_fleet_sources(paths, records);
  return read_columns(std::move(records), readable);
}

std::string render_diagnostics(const FleetColumnsResult& result) {
  return detail::render_fleet_diagnostics(result.sources, result.diagnostics);
}

}  // namespace ecsq
