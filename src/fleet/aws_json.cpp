// The record reader: `describe-container-instances` (+ `describe-tasks`) JSON into Instances,
// resources and tasks (FleetData), and every diagnostic (read_fleet_columns, in
// aws_json_columns.cpp, falls back to it for a document it does not accept).
// Design: simdjson's DOM parses the document once (in place, with its padding reserved); a second,
// on-demand walk runs only when the DOM rejected the text, to locate the exact byte of the error.
// Field problems never stop the read: each becomes a coded diagnostic with the field's path.
#include "ecsq/aws_json.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <memory>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "ecsq/codes.hpp"
#include "ecsq/placement.hpp"
#include "aws_json_internal.hpp"
#include "common/utf8.hpp"

namespace ecsq {

namespace {

namespace dom = simdjson::dom;
namespace ondemand = simdjson::ondemand;

// Past this many errors in one document the rest are counted, not shown: a systematic mistake in
// a large fleet file would otherwise bury the first, most useful diagnostics.
constexpr std::size_t max_errors_per_source = 50;
// simdjson's DOM parser rejects deeper documents; the locator stops recursing at the same depth.
constexpr std::size_t max_depth = simdjson::DEFAULT_MAX_DEPTH;
using detail::max_epoch_seconds;
using detail::min_epoch_seconds;
using detail::without_fractional_seconds;
using detail::port_number;
using detail::utf8_bom;

// Where a value sits in the document. Paths live on the stack of the reading functions and are
// only turned into text when a diagnostic needs one.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  [[nodiscard]] Path field(std::string_view name) const { return Path{this, name, 0, false}; }
  [[nodiscard]] Path element(std::size_t i) const { return Path{this, {}, i, true}; }

  // As users read it: containerInstances[3].attributes[1].name
  [[nodiscard]] std::string text() const {
    if (parent == nullptr) return {};
    std::string out = parent->text();
    if (is_index) return out + fmt::format("[{}]", index);
    return out.empty() ? std::string(key) : fmt::format("{}.{}", out, key);
  }

  // As simdjson's at_pointer reads it (RFC 6901).
  [[nodiscard]] std::string pointer() const {
    if (parent == nullptr) return {};
    std::string out = parent->pointer() + '/';
    if (is_index) return out + std::to_string(index);
    for (const char c : key) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
    return out;
  }
};

std::string_view type_name(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY: return "an array";
    case dom::element_type::OBJECT: return "an object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "a number";
    case dom::element_type::STRING: return "a string";
    case dom::element_type::BOOL: return "a boolean";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

// simdjson's messages are long and generic; these say what to look for.
std::string syntax_message(simdjson::error_code error) {
  switch (error) {
    case simdjson::EMPTY: return "invalid JSON: the input is empty";
    case simdjson::TAPE_ERROR: return "invalid JSON: missing or superfluous comma, colon, brace or bracket";
    case simdjson::UNCLOSED_STRING: return "invalid JSON: a string is never closed";
    case simdjson::UTF8_ERROR: return "invalid JSON: the input is not valid UTF-8";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "invalid JSON: unknown literal (expected true, false or null)";
    case simdjson::NUMBER_ERROR: return "invalid JSON: malformed or out-of-range number";
    case simdjson::STRING_ERROR: return "invalid JSON: invalid escape sequence in a string";
    case simdjson::UNESCAPED_CHARS: return "invalid JSON: control character inside a string (escape it)";
    case simdjson::DEPTH_ERROR: return fmt::format("invalid JSON: nested deeper than {} levels", max_depth);
    case simdjson::CAPACITY: return "invalid JSON: the document is too large";
    default: return fmt::format("invalid JSON: {}", simdjson::error_message(error));
  }
}

// Visits every value so that the on-demand iterator stops exactly where the document breaks; the
// DOM parser that detected the error does not say where. A scalar that fails to parse is reported
// through `bad_scalar`, since the iterator has already moved past it.
simdjson::error_code walk(ondemand::value value, std::size_t depth, const char*& bad_scalar) {
  if (depth > max_depth) return simdjson::DEPTH_ERROR;
  ondemand::json_type type;
  if (const auto error = value.type().get(type)) return error;
  const auto scalar = [&](simdjson::error_code error) {
    if (error) bad_scalar = value.raw_json_token().data();
    return error;
  };
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (const auto error = value.get_object().get(object)) return error;
      for (auto field : object) {
        ondemand::value child;
        if (const auto error = field.value().get(child)) return error;
        if (const auto error = walk(child, depth + 1, bad_scalar)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (const auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value child;
        if (const auto error = element.get(child)) return error;
        if (const auto error = walk(child, depth + 1, bad_scalar)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: return scalar(value.get_string().error());
    case ondemand::json_type::number: return scalar(value.get_number().error());
    case ondemand::json_type::boolean: return scalar(value.get_bool().error());
    case ondemand::json_type::null: {
      bool is_null = false;
      const auto error = value.is_null().get(is_null);
      return scalar(error ? error : is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR);
    }
  }
  return simdjson::SUCCESS;
}

std::uint32_t clamp_offset(std::size_t offset) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(offset, UINT32_MAX));
}

// a + b for non-negative amounts, held at the largest value rather than overflowing: a sum that
// large fits no instance either way.
std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  return b > std::numeric_limits<std::int64_t>::max() - a ? std::numeric_limits<std::int64_t>::max() : a + b;
}

struct InstanceRecord {
  Instance instance;
  InstanceResources resources;
  std::size_t source = 0;
  std::size_t index = 0;        // position in its document's instance array
  bool array_root = false;      // the document is a plain array of instances
};

struct RunningTask {
  std::string container_instance_arn;
  std::string group;
};

// Paths refer to their parents on the stack, so the path is handed to `use` rather than returned.
template <class Use>
auto at_instance_field(const InstanceRecord& record, std::string_view field, Use use) {
  const Path top;
  const Path array = top.field("containerInstances");
  const Path element = (record.array_root ? top : array).element(record.index);
  return use(element.field(field));
}

// Reads one document, reporting problems into the shared diagnostics list.
class DocumentReader {
 public:
  // `text` is parsed where it is when its buffer has simdjson's padding to spare (the readers below
  // reserve it), so a large document is not held twice; otherwise it is copied once.
  DocumentReader(const std::string& text, std::size_t source, std::vector<FleetDiagnostic>& diagnostics)
      : text_(text), bom_(text_.starts_with(utf8_bom) ? utf8_bom.size() : 0), json_(text_.substr(bom_)),
        json_capacity_(text.capacity() - bom_), source_(source), diagnostics_(diagnostics) {
    if (json_capacity_ < json_.size() + simdjson::SIMDJSON_PADDING) {
      padded_copy_ = simdjson::padded_string(json_);
      json_ = std::string_view(padded_copy_.data(), padded_copy_.size());
      json_capacity_ = padded_copy_.size() + simdjson::SIMDJSON_PADDING;
    }
  }

  void read(std::vector<InstanceRecord>& instances, std::vector<RunningTask>& tasks, std::vector<FleetTask>& records) {
    dom::parser parser;
    dom::element root;
    if (const auto error = parser.parse(json_.data(), json_.size(), false).get(root)) {
      const std::uint32_t offset = syntax_error_offset(error);
      std::vector<std::string> notes;
      // Windows PowerShell 5 redirects command output to UTF-16 files.
      if (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF")) {
        notes.emplace_back("the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8");
      }
      report_at(code::fleet_invalid_json, Span{offset, offset + 1}, syntax_message(error), std::move(notes));
      return;
    }
    const Path top;
    if (root.type() == dom::element_type::ARRAY) {
      read_instances(root.get_array().value_unsafe(), top, true, instances);
    } else if (root.type() == dom::element_type::OBJECT) {
      const dom::object object = root.get_object().value_unsafe();
      const auto container_instances = optional_field(object, top, "containerInstances", dom::element_type::ARRAY);
      const auto task_list = optional_field(object, top, "tasks", dom::element_type::ARRAY);
      if (container_instances) {
        read_instances(container_instances->get_array().value_unsafe(), top.field("containerInstances"), false,
                       instances);
      }
      if (task_list) read_tasks(task_list->get_array().value_unsafe(), top.field("tasks"), tasks, records);
      if (!has_member(object, "containerInstances") && !has_member(object, "tasks")) {
        report(code::fleet_missing_field, top, "expected a \"containerInstances\" or \"tasks\" array",
               {"write the output of `aws ecs describe-container-instances` or `aws ecs describe-tasks`"});
      }
    } else {
      report(code::fleet_wrong_type, top, fmt::format("expected an object or an array, found {}", type_name(root.type())));
    }
  }

  /// Errors found but not reported because of the per-document limit.
  [[nodiscard]] std::size_t suppressed() const noexcept { return suppressed_; }

  // Reports a problem with one field of an instance read earlier (duplicates found when merging).
  void report_instance_field(const InstanceRecord& record, std::string_view field, std::string code,
                             std::string message, std::vector<std::string> notes) {
    at_instance_field(record, field, [&](const Path& path) {
      report(std::move(code), path, message, std::move(notes));
      return 0;
    });
  }

  /// Line and column of one field of an instance read earlier.
  [[nodiscard]] LineColumn instance_field_position(const InstanceRecord& record, std::string_view field) {
    return at_instance_field(record, field,
                             [&](const Path& path) { return line_column(text_, locate(path).begin); });
  }

 private:
  void report_at(std::string code, Span span, std::string message, std::vector<std::string> notes = {}) {
    if (errors_ >= max_errors_per_source) {
      ++suppressed_;
      return;
    }
    ++errors_;
    Diagnostic diagnostic;
    diagnostic.code = std::move(code);
    diagnostic.message = std::move(message);
    diagnostic.span = span;
    diagnostic.notes = std::move(notes);
    diagnostics_.push_back(FleetDiagnostic{std::move(diagnostic), source_});
  }

  void report(std::string code, const Path& path, std::string_view message, std::vector<std::string> notes = {}) {
    if (errors_ >= max_errors_per_source) {
      ++suppressed_;
      return;
    }
    const std::string where = path.text();
    report_at(std::move(code), locate(path), fmt::format("{}: {}", where.empty() ? "top level" : where, message),
              std::move(notes));
  }

  // The span of the value at `path`: its first token (an opening brace or bracket for containers).
  Span locate(const Path& path) {
    ondemand::document document;
    std::string_view token;
    if (locator_.iterate(json_.data(), json_.size(), json_capacity_).get(document) ||
        document.at_pointer(path.pointer()).raw_json_token().get(token)) {
      return Span{0, 0};
    }
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                              token.back() == '\r')) {
      token.remove_suffix(1);
    }
    const std::size_t begin = offset_of(token.data());
    return Span{clamp_offset(begin), clamp_offset(begin + std::max<std::size_t>(token.size(), 1))};
  }

  std::uint32_t syntax_error_offset(simdjson::error_code error) {
    if (error == simdjson::UTF8_ERROR) {
      for (std::size_t i = 0; i < text_.size(); i += detail::utf8_sequence_length(text_, i)) {
        if (!detail::utf8_valid_at(text_, i)) return clamp_offset(i);
      }
    }
    if (error == simdjson::UNCLOSED_STRING) {
      // Quotes pair up from the start, so the last one is the quote the scanner saw opening.
      const std::size_t quote = text_.rfind('"');
      if (quote != std::string_view::npos) return clamp_offset(quote);
    }
    ondemand::document document;
    if (locator_.iterate(json_.data(), json_.size(), json_capacity_).get(document)) return end_of_content();
    ondemand::json_type type;
    const char* bad_scalar = nullptr;
    if (!document.type().get(type) &&
        (type == ondemand::json_type::object || type == ondemand::json_type::array)) {
      ondemand::value value;
      if (!document.get_value().get(value)) (void)walk(value, 0, bad_scalar);
    }
    if (bad_scalar != nullptr) return clamp_offset(offset_of(bad_scalar));
    const char* location = nullptr;
    if (document.current_location().get(location)) return end_of_content();
    return clamp_offset(offset_of(location));
  }

  // Byte offset in the original text of a pointer into the parsed copy.
  [[nodiscard]] std::size_t offset_of(const char* p) const {
    return static_cast<std::size_t>(p - json_.data()) + bom_;
  }

  // Just past the last token: where a truncated document stops making sense.
  std::uint32_t end_of_content() const {
    const std::size_t last = text_.find_last_not_of(" \t\r\n");
    return clamp_offset(last == std::string_view::npos ? 0 : last + 1);
  }

  static bool has_member(dom::object object, std::string_view key) { return !object.at_key(key).error(); }

  // The member `key` of `object` if present, not null and of type `type` (a wrong type is reported).
  std::optional<dom::element> optional_field(dom::object object, const Path& parent, std::string_view key,
                                             dom::element_type type) {
    dom::element element;
    if (object.at_key(key).get(element) || element.is_null()) return std::nullopt;
    if (element.type() != type) {
      report(code::fleet_wrong_type, parent.field(key),
             fmt::format("expected {}, found {}", type_name(type), type_name(element.type())));
      return std::nullopt;
    }
    return element;
  }

  std::optional<std::string> optional_string(dom::object object, const Path& parent, std::string_view key) {
    const auto element = optional_field(object, parent, key, dom::element_type::STRING);
    if (!element) return std::nullopt;
    return std::string(element->get_string().value_unsafe());
  }

  // The object at `path`, or nullopt after reporting that it is something else.
  std::optional<dom::object> expect_object(dom::element element, const Path& path) {
    if (element.type() != dom::element_type::OBJECT) {
      report(code::fleet_wrong_type, path, fmt::format("expected an object, found {}", type_name(element.type())));
      return std::nullopt;
    }
    return element.get_object().value_unsafe();
  }

  void read_instances(dom::array array, const Path& path, bool array_root, std::vector<InstanceRecord>& out) {
    std::size_t index = 0;
    for (const dom::element element : array) {
      const Path element_path = path.element(index);
      InstanceResources resources;
      if (auto instance = read_instance(element, element_path, resources)) {
        out.push_back(InstanceRecord{std::move(*instance), std::move(resources), source_, index, array_root});
      }
      ++index;
    }
  }

  std::optional<Instance> read_instance(dom::element element, const Path& path, InstanceResources& resources) {
    const auto object = expect_object(element, path);
    if (!object) return std::nullopt;
    Instance instance;

    dom::element id;
    if (object->at_key("ec2InstanceId").get(id)) {
      report(code::fleet_missing_field, path, "missing required field \"ec2InstanceId\"");
      return std::nullopt;
    }
    if (id.type() != dom::element_type::STRING) {
      report(code::fleet_wrong_type, path.field("ec2InstanceId"), fmt::format("expected a string, found {}", type_name(id.type())));
      return std::nullopt;
    }
    instance.ec2_instance_id = std::string(id.get_string().value_unsafe());
    if (instance.ec2_instance_id.empty()) report(code::fleet_invalid_value, path.field("ec2InstanceId"), "must not be empty");

    if (auto arn = optional_string(*object, path, "containerInstanceArn")) instance.container_instance_arn = *arn;
    if (auto status = optional_string(*object, path, "status")) instance.status = *status;
    if (auto connected = optional_field(*object, path, "agentConnected", dom::element_type::BOOL)) {
      instance.agent_connected = connected->get_bool().value_unsafe();
    }
    if (auto version_info = optional_field(*object, path, "versionInfo", dom::element_type::OBJECT)) {
      if (auto agent = optional_string(version_info->get_object().value_unsafe(), path.field("versionInfo"),
                                       "agentVersion")) {
        instance.agent_version = *agent;
      }
    }
    dom::element registered;
    if (!object->at_key("registeredAt").get(registered) && !registered.is_null()) {
      instance.registered_at = read_instant(registered, path.field("registeredAt"));
    }
    dom::element count;
    if (!object->at_key("runningTasksCount").get(count) && !count.is_null()) {
      instance.running_tasks_count = read_count(count, path.field("runningTasksCount")).value_or(0);
    }
    if (auto attributes = optional_field(*object, path, "attributes", dom::element_type::ARRAY)) {
      read_attributes(attributes->get_array().value_unsafe(), path.field("attributes"), instance);
    }
    if (auto registered = optional_field(*object, path, "registeredResources", dom::element_type::ARRAY)) {
      read_resources(registered->get_array().value_unsafe(), path.field("registeredResources"), resources.registered);
    }
    if (auto remaining = optional_field(*object, path, "remainingResources", dom::element_type::ARRAY)) {
      read_resources(remaining->get_array().value_unsafe(), path.field("remainingResources"), resources.remaining);
    }
    return instance;
  }

  // ---- Resources (placement) --------------------------------------------------------------------

  // One resource list. A Resource carries its value in the field its `type` names (the AWS CLI
  // prints the other value fields too, as zeros); without a type, the first value field present.
  void read_resources(dom::array array, const Path& path, ResourceAmounts& out) {
    std::size_t index = 0;
    std::vector<std::string_view> seen;
    for (const dom::element element : array) {
      const Path element_path = path.element(index++);
      const auto object = expect_object(element, element_path);
      if (!object) continue;
      dom::element name_element;
      if (object->at_key("name").get(name_element)) {
        report(code::fleet_missing_field, element_path, "missing required field \"name\"");
        continue;
      }
      if (name_element.type() != dom::element_type::STRING) {
        report(code::fleet_wrong_type, element_path.field("name"),
               fmt::format("expected a string, found {}", type_name(name_element.type())));
        continue;
      }
      const std::string_view name = name_element.get_string().value_unsafe();
      const bool known = name == "CPU" || name == "MEMORY" || name == "PORTS" || name == "PORTS_UDP" || name == "GPU";
      if (!known) continue;  // user-defined resources and NEURON_CORES are not placement's
      if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
        report(code::fleet_invalid_value, element_path.field("name"), fmt::format("resource {} listed twice", name));
        continue;
      }
      seen.push_back(name);
      const std::optional<std::string> type = optional_string(*object, element_path, "type");
      if (name == "CPU" || name == "MEMORY") {
        (name == "CPU" ? out.cpu : out.memory) = resource_integer(*object, element_path, type);
      } else if (name == "PORTS" || name == "PORTS_UDP") {
        if (type && *type != "STRINGSET") {
          report(code::fleet_invalid_value, element_path.field("type"),
                 fmt::format("resource {} has type {}; expected STRINGSET", name, *type));
          continue;
        }
        (name == "PORTS" ? out.ports : out.ports_udp) = resource_ports(*object, element_path);
      } else if ((type && *type == "STRINGSET") || (!type && has_member(*object, "stringSetValue"))) {
        if (auto ids = resource_strings(*object, element_path)) {
          std::sort(ids->begin(), ids->end());
          ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
          out.gpus = static_cast<std::int64_t>(ids->size());
          out.gpu_ids = std::move(*ids);
        }
      } else {
        out.gpus = resource_integer(*object, element_path, type);
      }
    }
  }

  // CPU, MEMORY or GPU as a count: integerValue (INTEGER), longValue (LONG) or a whole doubleValue (DOUBLE).
  std::optional<std::int64_t> resource_integer(dom::object object, const Path& path, const std::optional<std::string>& type) {
    std::string_view key;
    if (!type) {
      for (const std::string_view candidate : {"integerValue", "longValue", "doubleValue"}) {
        if (has_member(object, candidate)) {
          key = candidate;
          break;
        }
      }
      if (key.empty()) {
        report(code::fleet_missing_field, path, "missing the resource's value (\"integerValue\")");
        return std::nullopt;
      }
    } else if (*type == "INTEGER") {
      key = "integerValue";
    } else if (*type == "LONG") {
      key = "longValue";
    } else if (*type == "DOUBLE") {
      key = "doubleValue";
    } else {
      report(code::fleet_invalid_value, path.field("type"),
             fmt::format("resource type {} is not a number; expected INTEGER, LONG or DOUBLE", *type));
      return std::nullopt;
    }
    dom::element value;
    if (object.at_key(key).get(value) || value.is_null()) {
      report(code::fleet_missing_field, path, fmt::format("missing required field \"{}\"", key));
      return std::nullopt;
    }
    const Path value_path = path.field(key);
    std::optional<std::int64_t> amount;
    switch (value.type()) {
      case dom::element_type::INT64: amount = value.get_int64().value_unsafe(); break;
      case dom::element_type::UINT64: report(code::fleet_invalid_value, value_path, "amount out of range"); return std::nullopt;
      case dom::element_type::DOUBLE: {
        const double number = value.get_double().value_unsafe();
        // 2^63 is exactly representable; every whole double below it converts without loss.
        if (!(number == std::floor(number) && number > -9.2233720368547758e18 && number < 9.2233720368547758e18)) {
          report(code::fleet_invalid_value, value_path, fmt::format("expected a whole amount, found {}", number));
          return std::nullopt;
        }
        amount = static_cast<std::int64_t>(number);
        break;
      }
      default:
        report(code::fleet_wrong_type, value_path, fmt::format("expected a number, found {}", type_name(value.type())));
        return std::nullopt;
    }
    if (*amount < 0) {
      report(code::fleet_invalid_value, value_path, fmt::format("must not be negative, found {}", *amount));
      return std::nullopt;
    }
    return amount;
  }

  // stringSetValue: a list of strings.
  std::optional<std::vector<std::string>> resource_strings(dom::object object, const Path& path) {
    const auto list = optional_field(object, path, "stringSetValue", dom::element_type::ARRAY);
    if (!list) {
      if (!has_member(object, "stringSetValue")) report(code::fleet_missing_field, path, "missing required field \"stringSetValue\"");
      return std::nullopt;
    }
    std::vector<std::string> out;
    std::size_t index = 0;
    bool ok = true;
    const Path values_path = path.field("stringSetValue");
    const dom::array list_array = list->get_array().value_unsafe();
    for (const dom::element item : list_array) {
      const Path item_path = values_path.element(index++);
      if (item.type() != dom::element_type::STRING) {
        report(code::fleet_wrong_type, item_path, fmt::format("expected a string, found {}", type_name(item.type())));
        ok = false;
        continue;
      }
      out.emplace_back(item.get_string().value_unsafe());
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // PORTS and PORTS_UDP: port numbers as strings ("22"), sorted and unique.
  std::optional<std::vector<std::uint16_t>> resource_ports(dom::object object, const Path& path) {
    const auto texts = resource_strings(object, path);
    if (!texts) return std::nullopt;
    std::vector<std::uint16_t> ports;
    bool ok = true;
    const Path values_path = path.field("stringSetValue");
    for (std::size_t i = 0; i < texts->size(); ++i) {
      const auto port = port_number((*texts)[i]);
      if (!port) {
        report(code::fleet_invalid_value, values_path.element(i),
               fmt::format("\"{}\" is not a port number (0 to 65535)", (*texts)[i]));
        ok = false;
        continue;
      }
      ports.push_back(*port);
    }
    if (!ok) return std::nullopt;
    std::sort(ports.begin(), ports.end());
    ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
    return ports;
  }


  void read_attributes(dom::array array, const Path& path, Instance& instance) {
    std::size_t index = 0;
    for (const dom::element element : array) {
      const Path element_path = path.element(index++);
      const auto object = expect_object(element, element_path);
      if (!object) continue;
      dom::element name;
      if (object->at_key("name").get(name)) {
        report(code::fleet_missing_field, element_path, "missing required field \"name\"");
        continue;
      }
      if (name.type() != dom::element_type::STRING) {
        report(code::fleet_wrong_type, element_path.field("name"), fmt::format("expected a string, found {}", type_name(name.type())));
        continue;
      }
      const std::string_view name_text = name.get_string().value_unsafe();
      if (name_text.empty()) {
        report(code::fleet_invalid_value, element_path.field("name"), "must not be empty");
        continue;
      }
      // Two values for one name would make every comparison on it ambiguous.
      if (instance.find_attribute(name_text) != nullptr) {
        report(code::fleet_duplicate, element_path.field("name"), fmt::format("duplicate attribute \"{}\"", name_text));
        continue;
      }
      instance.set_attribute(std::string(name_text), optional_string(*object, element_path, "value"));
    }
  }

  std::optional<Instant> read_instant(dom::element element, const Path& path) {
    std::int64_t seconds = 0;
    switch (element.type()) {
      case dom::element_type::INT64: seconds = element.get_int64().value_unsafe(); break;
      case dom::element_type::UINT64: seconds = max_epoch_seconds + 1; break;
      case dom::element_type::DOUBLE: {
        // AWS prints fractional epoch seconds; instants are whole seconds, so the fraction goes.
        const double value = std::floor(element.get_double().value_unsafe());
        if (!(value >= static_cast<double>(min_epoch_seconds) && value <= static_cast<double>(max_epoch_seconds))) {
          seconds = max_epoch_seconds + 1;
        } else {
          seconds = static_cast<std::int64_t>(value);
        }
        break;
      }
      case dom::element_type::STRING: {
        const std::string_view text = element.get_string().value_unsafe();
        const auto instant = parse_instant(without_fractional_seconds(text));
        if (!instant) {
          report(code::fleet_invalid_value, path,
                 fmt::format("invalid timestamp \"{}\"", text),
                 {"expected epoch seconds or ISO-8601 text such as 2018-06-18T22:28:28Z, "
                  "2018-06-18T22:28:28.123+00:00 or 2018-06-18"});
          return std::nullopt;
        }
        return instant;
      }
      default:
        report(code::fleet_wrong_type, path, fmt::format("expected a number or a string, found {}", type_name(element.type())));
        return std::nullopt;
    }
    if (seconds < min_epoch_seconds || seconds > max_epoch_seconds) {
      report(code::fleet_invalid_value, path, "timestamp out of range (years 0000 to 9999)");
      return std::nullopt;
    }
    return Instant{seconds};
  }

  std::optional<std::int64_t> read_count(dom::element element, const Path& path) {
    switch (element.type()) {
      case dom::element_type::INT64: {
        const std::int64_t value = element.get_int64().value_unsafe();
        if (value < 0) {
          report(code::fleet_invalid_value, path, fmt::format("must not be negative, found {}", value));
          return std::nullopt;
        }
        return value;
      }
      case dom::element_type::UINT64: report(code::fleet_invalid_value, path, "count out of range"); return std::nullopt;
      case dom::element_type::DOUBLE:
        report(code::fleet_wrong_type, path, "expected an integer, found a number with a fraction or exponent");
        return std::nullopt;
      default:
        report(code::fleet_wrong_type, path, fmt::format("expected an integer, found {}", type_name(element.type())));
        return std::nullopt;
    }
  }

  void read_tasks(dom::array array, const Path& path, std::vector<RunningTask>& out, std::vector<FleetTask>& records) {
    std::size_t index = 0;
    for (const dom::element element : array) {
      const Path element_path = path.element(index++);
      const auto object = expect_object(element, element_path);
      if (!object) continue;
      auto arn = optional_string(*object, element_path, "containerInstanceArn");
      auto group = optional_string(*object, element_path, "group");
      const auto desired = optional_string(*object, element_path, "desiredStatus");
      records.push_back(read_task_record(*object, element_path, arn, group, desired));
      // Only tasks meant to be running occupy an instance; Fargate tasks have no instance ARN.
      if (arn && group && desired == "RUNNING") out.push_back(RunningTask{std::move(*arn), std::move(*group)});
    }
  }

  // ---- Task records (placement) -------------------------------------------------------------------

  FleetTask read_task_record(dom::object object, const Path& path, const std::optional<std::string>& arn,
                             const std::optional<std::string>& group, const std::optional<std::string>& desired) {
    FleetTask task;
    task.container_instance_arn = arn.value_or("");
    task.group = group.value_or("");
    task.desired_status = desired.value_or("");
    task.last_status = optional_string(object, path, "lastStatus").value_or("");
    task.task_definition_arn = optional_string(object, path, "taskDefinitionArn").value_or("");
    task.cpu = task_amount(object, path, "cpu", parse_cpu_units, "CPU units (\"1024\", \"1 vCPU\")");
    task.memory = task_amount(object, path, "memory", parse_memory_mib, "MiB (\"2048\", \"2GB\")");
    const bool task_cpu = task.cpu.has_value();
    const bool task_memory = task.memory.has_value();
    if (auto containers = optional_field(object, path, "containers", dom::element_type::ARRAY)) {
      std::size_t index = 0;
      const Path containers_path = path.field("containers");
      const dom::array containers_array = containers->get_array().value_unsafe();
      for (const dom::element element : containers_array) {
        const Path container_path = containers_path.element(index++);
        const auto container = expect_object(element, container_path);
        if (!container) continue;
        read_task_container(*container, container_path, task, !task_cpu, !task_memory);
      }
    }
    for (std::vector<std::uint16_t>* ports : {&task.tcp_ports, &task.udp_ports}) {
      std::sort(ports->begin(), ports->end());
      ports->erase(std::unique(ports->begin(), ports->end()), ports->end());
    }
    std::sort(task.gpu_ids.begin(), task.gpu_ids.end());
    task.gpu_ids.erase(std::unique(task.gpu_ids.begin(), task.gpu_ids.end()), task.gpu_ids.end());
    if (auto attachments = optional_field(object, path, "attachments", dom::element_type::ARRAY)) {
      std::size_t index = 0;
      const Path attachments_path = path.field("attachments");
      const dom::array attachments_array = attachments->get_array().value_unsafe();
      for (const dom::element element : attachments_array) {
        const Path attachment_path = attachments_path.element(index++);
        const auto attachment = expect_object(element, attachment_path);
        if (!attachment) continue;
        if (optional_string(*attachment, attachment_path, "type") == "ElasticNetworkInterface") task.uses_eni = true;
      }
    }
    return task;
  }

  // A container of a task: its networkBindings' host ports and gpuIds, and its cpu and memory when the
  // task has no task-level amount (each container: memoryReservation, else memory).
  void read_task_container(dom::object container, const Path& path, FleetTask& task, bool sum_cpu, bool sum_memory) {
    if (sum_cpu) {
      if (auto cpu = task_amount(container, path, "cpu", parse_cpu_units, "CPU units (\"256\")")) {
        task.cpu = saturating_add(task.cpu.value_or(0), *cpu);
      }
    }
    if (sum_memory) {
      auto reservation = task_amount(container, path, "memoryReservation", parse_memory_mib, "MiB (\"512\")");
      auto memory = task_amount(container, path, "memory", parse_memory_mib, "MiB (\"512\")");
      if (const auto amount = reservation ? reservation : memory) {
        task.memory = saturating_add(task.memory.value_or(0), *amount);
      }
    }
    if (auto bindings = optional_field(container, path, "networkBindings", dom::element_type::ARRAY)) {
      std::size_t index = 0;
      const Path bindings_path = path.field("networkBindings");
      const dom::array bindings_array = bindings->get_array().value_unsafe();
      for (const dom::element element : bindings_array) {
        const Path binding_path = bindings_path.element(index++);
        const auto binding = expect_object(element, binding_path);
        if (!binding) continue;
        dom::element host;
        if (binding->at_key("hostPort").get(host) || host.is_null()) continue;
        const Path host_path = binding_path.field("hostPort");
        if (host.type() != dom::element_type::INT64) {
          report(host.type() == dom::element_type::UINT64 || host.type() == dom::element_type::DOUBLE ? code::fleet_invalid_value
                                                                                                   : code::fleet_wrong_type,
                 host_path, fmt::format("expected a port number, found {}", type_name(host.type())));
          continue;
        }
        const std::int64_t port = host.get_int64().value_unsafe();
        if (port < 0 || port > 65535) {
          report(code::fleet_invalid_value, host_path, fmt::format("port {} out of range (0 to 65535)", port));
          continue;
        }
        if (port == 0) continue;
        const bool udp = optional_string(*binding, binding_path, "protocol") == "udp";
        (udp ? task.udp_ports : task.tcp_ports).push_back(static_cast<std::uint16_t>(port));
      }
    }
    if (auto ids = optional_field(container, path, "gpuIds", dom::element_type::ARRAY)) {
      std::size_t index = 0;
      const Path ids_path = path.field("gpuIds");
      const dom::array ids_array = ids->get_array().value_unsafe();
      for (const dom::element element : ids_array) {
        const Path id_path = ids_path.element(index++);
        if (element.type() != dom::element_type::STRING) {
          report(code::fleet_wrong_type, id_path, fmt::format("expected a string, found {}", type_name(element.type())));
          continue;
        }
        task.gpu_ids.emplace_back(element.get_string().value_unsafe());
      }
    }
  }

  // A cpu or memory amount of describe-tasks: a string ("1024", "1 vCPU", "2GB"); a whole number is
  // read as given.
  std::optional<std::int64_t> task_amount(dom::object object, const Path& parent, std::string_view key,
                                          std::optional<std::int64_t> (*parse)(std::string_view) noexcept,
                                          std::string_view expected) {
    dom::element value;
    if (object.at_key(key).get(value) || value.is_null()) return std::nullopt;
    const Path path = parent.field(key);
    if (value.type() == dom::element_type::INT64 && value.get_int64().value_unsafe() >= 0) {
      return value.get_int64().value_unsafe();
    }
    if (value.type() != dom::element_type::STRING) {
      const bool number = value.type() == dom::element_type::INT64 || value.type() == dom::element_type::UINT64 ||
                          value.type() == dom::element_type::DOUBLE;
      report(number ? code::fleet_invalid_value : code::fleet_wrong_type, path,
             fmt::format("expected {}, found {}", expected, number ? "a negative, fractional or huge number" : type_name(value.type())));
      return std::nullopt;
    }
    const std::string_view text = value.get_string().value_unsafe();
    if (auto amount = parse(text)) return amount;
    report(code::fleet_invalid_value, path, fmt::format("cannot read \"{}\" as {}", text, expected));
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t bom_;  // simdjson rejects a UTF-8 byte order mark, so it is cut before parsing
  std::string_view json_;      // what simdjson parses: the text after the BOM, or padded_copy_
  std::size_t json_capacity_;  // readable bytes from json_.data(), padding included
  simdjson::padded_string padded_copy_;
  ondemand::parser locator_;
  std::size_t source_;
  std::vector<FleetDiagnostic>& diagnostics_;
  std::size_t errors_ = 0;
  std::size_t suppressed_ = 0;
};

}  // namespace

// Reads `result.sources` (skipping those marked unreadable) into `result.fleet`.
void detail::read_fleet_records(FleetReadResult& result, const std::vector<bool>& readable) {
  // Readers keep their padded copies alive so merge-time duplicates can still be located.
  std::vector<std::unique_ptr<DocumentReader>> readers;
  std::vector<InstanceRecord> records;
  std::vector<RunningTask> tasks;
  std::vector<FleetTask> task_records;
  for (std::size_t i = 0; i < result.sources.size(); ++i) {
    readers.push_back(std::make_unique<DocumentReader>(result.sources[i].text, i, result.diagnostics));
    if (readable[i]) readers.back()->read(records, tasks, task_records);
  }

  const auto report_duplicate = [&](const InstanceRecord& first, const InstanceRecord& again, std::string_view field,
                                    std::string_view value) {
    const LineColumn at = readers[first.source]->instance_field_position(first, field);
    const std::string& origin = result.sources[first.source].origin;
    readers[again.source]->report_instance_field(
        again, field, code::fleet_duplicate, fmt::format("duplicate {} \"{}\"", field, value),
        {fmt::format("first seen at {}{}:{}", origin.empty() ? "" : origin + ":", at.line, at.column)});
  };
  std::unordered_map<std::string_view, std::size_t> by_id;
  std::unordered_map<std::string_view, std::size_t> by_arn;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Instance& instance = records[i].instance;
    if (const auto [it, inserted] = by_id.emplace(instance.ec2_instance_id, i); !inserted) {
      report_duplicate(records[it->second], records[i], "ec2InstanceId", instance.ec2_instance_id);
    }
    if (instance.container_instance_arn.empty()) continue;
    if (const auto [it, inserted] = by_arn.emplace(instance.container_instance_arn, i); !inserted) {
      report_duplicate(records[it->second], records[i], "containerInstanceArn", instance.container_instance_arn);
    }
  }

  // Report in document order, file by file, whatever order the checks ran in.
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const FleetDiagnostic& a, const FleetDiagnostic& b) {
                     return std::pair(a.source, a.diagnostic.span.begin) < std::pair(b.source, b.diagnostic.span.begin);
                   });
  for (std::size_t i = 0; i < readers.size(); ++i) {
    if (readers[i]->suppressed() == 0) continue;
    const auto last = std::find_if(result.diagnostics.rbegin(), result.diagnostics.rend(),
                                   [&](const FleetDiagnostic& d) { return d.source == i; });
    if (last != result.diagnostics.rend()) {
      last->diagnostic.notes.push_back(fmt::format("{} more error(s) in this file not shown", readers[i]->suppressed()));
    }
  }
  const bool failed = std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [](const FleetDiagnostic& d) {
    return d.diagnostic.severity == Severity::error;
  });
  if (failed) return;
  // A task whose instance is not in the fleet (another cluster, a filtered listing) places nothing.
  for (RunningTask& task : tasks) {
    if (const auto it = by_arn.find(task.container_instance_arn); it != by_arn.end()) {
      records[it->second].instance.add_task_group(std::move(task.group));
    }
  }
  for (FleetTask& task : task_records) {
    if (const auto it = by_arn.find(task.container_instance_arn); it != by_arn.end() && !task.container_instance_arn.empty()) {
      task.instance = it->second;
    }
  }
  FleetData fleet;
  fleet.instances.reserve(records.size());
  fleet.resources.reserve(records.size());
  for (InstanceRecord& record : records) {
    fleet.instances.push_back(std::move(record.instance));
    fleet.resources.push_back(std::move(record.resources));
  }
  fleet.tasks = std::move(task_records);
  result.fleet = std::move(fleet);
}

std::string detail::without_fractional_seconds(std::string_view text) {
  constexpr std::size_t seconds_end = 19;  // length of 2024-03-01T10:00:00
  std::string out(text);
  if (text.size() <= seconds_end || text[seconds_end] != '.') return out;
  std::size_t end = seconds_end + 1;
  while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
  if (end == seconds_end + 1) return out;  // a bare '.' stays and fails to parse
  out.erase(seconds_end, end - seconds_end);
  return out;
}

FleetReadResult read_fleet_json(std::string_view json, std::string_view origin) {
  std::vector<FleetSource> sources;
  FleetSource source{std::string(origin), {}};
  source.text.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  source.text.append(json);
  sources.push_back(std::move(source));
  return read_fleet_sources(std::move(sources));
}

FleetReadResult read_fleet_sources(std::vector<FleetSource> sources) {
  FleetReadResult result;
  result.sources = std::move(sources);
  detail::read_fleet_records(result, std::vector<bool>(result.sources.size(), true));
  return result;
}

FleetReadResult read_fleet_files(const std::vector<std::string>& paths) {
  FleetReadResult result;
  const std::vector<bool> readable = detail::load_fleet_sources(paths, result);
  detail::read_fleet_records(result, readable);
  return result;
}

std::vector<bool> detail::load_fleet_sources(const std::vector<std::string>& paths, FleetReadResult& result) {
  std::vector<bool> readable;
  for (const std::string& path : paths) {
    FleetSource source{path == "-" ? "<stdin>" : path, {}};
    bool ok = false;
    errno = 0;
    std::error_code ignored;
    if (path != "-" && std::filesystem::is_directory(path, ignored)) {
      errno = EISDIR;
    } else if (path == "-") {
      source.text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      source.text.reserve(source.text.size() + simdjson::SIMDJSON_PADDING);
      ok = !std::cin.bad();
    } else if (std::ifstream file{path, std::ios::binary}) {
      // A regular file is sized up front, with simdjson's padding, so the text is neither regrown
      // nor copied; a pipe (`--fleet <(aws ecs ...)`) is read to its end.
      const std::uintmax_t size = std::filesystem::is_regular_file(path, ignored)
                                      ? std::filesystem::file_size(path, ignored)
                                      : static_cast<std::uintmax_t>(-1);
      if (size != static_cast<std::uintmax_t>(-1)) {
        source.text.reserve(static_cast<std::size_t>(size) + simdjson::SIMDJSON_PADDING);
        source.text.resize(static_cast<std::size_t>(size));
        ok = static_cast<bool>(file.read(source.text.data(), static_cast<std::streamsize>(size)));
      } else {
        source.text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
        source.text.reserve(source.text.size() + simdjson::SIMDJSON_PADDING);
        ok = !file.bad();
      }
    }
    if (!ok) {
      const int error = errno;
      Diagnostic diagnostic;
      diagnostic.code = code::fleet_unreadable_file;
      diagnostic.message = fmt::format("cannot read fleet file \"{}\": {}", path,
                                       error != 0 ? std::strerror(error) : "read error");
      result.diagnostics.push_back(FleetDiagnostic{std::move(diagnostic), result.sources.size()});
    }
    readable.push_back(ok);
    result.sources.push_back(std::move(source));
  }
  return readable;
}

std::string render_diagnostics(const FleetReadResult& result) {
  return detail::render_fleet_diagnostics(result.sources, result.diagnostics);
}

std::string detail::render_fleet_diagnostics(const std::vector<FleetSource>& sources,
                                             const std::vector<FleetDiagnostic>& diagnostics) {
  std::string out;
  for (const FleetDiagnostic& d : diagnostics) {
    if (!out.empty()) out += '\n';
    const FleetSource* source = d.source < sources.size() ? &sources[d.source] : nullptr;
    out += render_text(d.diagnostic, source ? source->text : std::string_view{},
                       source ? source->origin : std::string_view{});
  }
  return out;
}

}  // namespace ecsq
