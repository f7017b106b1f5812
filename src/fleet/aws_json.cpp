// The fleet reader: `describe-container-instances` (+ `describe-tasks`) JSON into Instances.
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
#include <memory>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <simdjson.h>

#include "ecsq/codes.hpp"
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
// Years 0000 to 9999: the instants parse_instant produces and to_string prints as ISO text.
constexpr std::int64_t min_epoch_seconds = -62167219200;
constexpr std::int64_t max_epoch_seconds = 253402300799;
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

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

struct InstanceRecord {
  Instance instance;
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

  void read(std::vector<InstanceRecord>& instances, std::vector<RunningTask>& tasks) {
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
      if (task_list) read_tasks(task_list->get_array().value_unsafe(), top.field("tasks"), tasks);
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
      if (auto instance = read_instance(element, element_path)) {
        out.push_back(InstanceRecord{std::move(*instance), source_, index, array_root});
      }
      ++index;
    }
  }

  std::optional<Instance> read_instance(dom::element element, const Path& path) {
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
    return instance;
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

  // The AWS CLI (v2) prints 2024-03-01T10:00:00.123000+00:00; parse_instant takes whole seconds.
  static std::string without_fractional_seconds(std::string_view text) {
    constexpr std::size_t seconds_end = 19;  // length of 2024-03-01T10:00:00
    std::string out(text);
    if (text.size() <= seconds_end || text[seconds_end] != '.') return out;
    std::size_t end = seconds_end + 1;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == seconds_end + 1) return out;  // a bare '.' stays and fails to parse
    out.erase(seconds_end, end - seconds_end);
    return out;
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

  void read_tasks(dom::array array, const Path& path, std::vector<RunningTask>& out) {
    std::size_t index = 0;
    for (const dom::element element : array) {
      const Path element_path = path.element(index++);
      const auto object = expect_object(element, element_path);
      if (!object) continue;
      auto arn = optional_string(*object, element_path, "containerInstanceArn");
      auto group = optional_string(*object, element_path, "group");
      const auto desired = optional_string(*object, element_path, "desiredStatus");
      // Only tasks meant to be running occupy an instance; Fargate tasks have no instance ARN.
      if (arn && group && desired == "RUNNING") out.push_back(RunningTask{std::move(*arn), std::move(*group)});
    }
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

// Reads `result.sources` (skipping those marked unreadable) into `result.fleet`.
void read_into(FleetReadResult& result, const std::vector<bool>& readable) {
  // Readers keep their padded copies alive so merge-time duplicates can still be located.
  std::vector<std::unique_ptr<DocumentReader>> readers;
  std::vector<InstanceRecord> records;
  std::vector<RunningTask> tasks;
  for (std::size_t i = 0; i < result.sources.size(); ++i) {
    readers.push_back(std::make_unique<DocumentReader>(result.sources[i].text, i, result.diagnostics));
    if (readable[i]) readers.back()->read(records, tasks);
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
  FleetData fleet;
  fleet.instances.reserve(records.size());
  for (InstanceRecord& record : records) fleet.instances.push_back(std::move(record.instance));
  result.fleet = std::move(fleet);
}

}  // namespace

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
  read_into(result, std::vector<bool>(result.sources.size(), true));
  return result;
}

FleetReadResult read_fleet_files(const std::vector<std::string>& paths) {
  FleetReadResult result;
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
  read_into(result, readable);
  return result;
}

std::string render_diagnostics(const FleetReadResult& result) {
  std::string out;
  for (const FleetDiagnostic& d : result.diagnostics) {
    if (!out.empty()) out += '\n';
    const FleetSource* source = d.source < result.sources.size() ? &result.sources[d.source] : nullptr;
    out += render_text(d.diagnostic, source ? source->text : std::string_view{},
                       source ? source->origin : std::string_view{});
  }
  return out;
}

}  // namespace ecsq
