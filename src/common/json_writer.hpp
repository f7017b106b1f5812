// A streaming JSON writer: every JSON document ecsq prints (check, ast, select, lint JSON and
// SARIF, diagnostics) is written through it, so escaping and separators live in one place.
#pragma once

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecsq::detail {

/// Appends `text` as a JSON string literal, quotes included. Quote and backslash are escaped,
/// newline, tab and carriage return as \n \t \r, other C0 controls and DEL as \u00xx; valid UTF-8
/// passes through and each invalid byte becomes \ufffd, so the output is always valid UTF-8.
void append_json_string(std::string& out, std::string_view text);

/// How a container spreads over lines. Compact is inherited: inside a compact container, every
/// container is compact too, so a compact value is always one line.
enum class JsonLayout : std::uint8_t {
  compact,  ///< {"a":1,"b":[2,3]}
  lines,    ///< {"a":1,\n"b":2}: one element per line, the brackets next to the first and last
  block,    ///< {\n  "a": 1,\n  "b": 2\n}: brackets on lines of their own, ": " after keys; an
            ///< empty block container keeps its two line breaks: [\n\n]
};

/// What a writer does when a container is opened without a layout of its own.
struct JsonStyle {
  JsonLayout layout = JsonLayout::compact;
  std::size_t indent = 2;  ///< spaces per nesting level before the elements of lines and block containers
};

/// Writes one JSON value into a string, start to end, in document order. Separators come from the
/// writer, which remembers per open container whether an element was written, so a misplaced or
/// missing comma cannot happen. Calls must nest properly (a key before each value in an object and
/// only there, one matching end per start, one top-level value); a call out of order is a bug in
/// the caller, and complete() stays false from then on, so tests see it.
///
///     JsonWriter json;
///     json.start_object().member("valid", true).key("codes").start_array().value("E0103").end_array().end_object();
///     json.str() == R"({"valid":true,"codes":["E0103"]})"
class JsonWriter {
 public:
  explicit JsonWriter(JsonStyle style = {}) : style_(style) {}

  /// Opens an object; `layout` overrides the writer's default unless the enclosing container is compact.
  JsonWriter& start_object(std::optional<JsonLayout> layout = std::nullopt);
  JsonWriter& end_object();
  /// Opens an array; `layout` overrides the writer's default unless the enclosing container is compact.
  JsonWriter& start_array(std::optional<JsonLayout> layout = std::nullopt);
  JsonWriter& end_array();

  /// The name of the next member of the current object; the value follows with value() or start_*().
  JsonWriter& key(std::string_view name);

  /// A string, escaped as append_json_string does.
  JsonWriter& value(std::string_view text);
  /// A string (this overload keeps a literal from converting to bool).
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  /// true or false.
  JsonWriter& value(bool flag);
  /// An integer of any width and signedness, exactly.
  template <std::integral Integer>
    requires(!std::same_as<Integer, bool> && !std::same_as<Integer, char>)
  JsonWriter& value(Integer number) {
    char digits[24];  // enough for -2^63 and 2^64 - 1
    const auto written = std::to_chars(digits, digits + sizeof digits, number);
    return scalar(std::string_view(digits, static_cast<std::size_t>(written.ptr - digits)));
  }
  /// A char is text, not a number: write std::string_view(&c, 1) when a one-character string is meant.
  JsonWriter& value(char) = delete;
  /// The shortest text that reads back as `number`; null for infinities and NaN, which JSON lacks.
  JsonWriter& value(double number);
  /// null.
  JsonWriter& value(std::nullptr_t);
  /// The contained value, or null when there is none.
  template <typename T>
  JsonWriter& value(const std::optional<T>& maybe) {
    return maybe ? value(*maybe) : value(nullptr);
  }

  /// key(name) then value(v): the usual way to write a member.
  template <typename T>
  JsonWriter& member(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }

  /// An already rendered JSON value (for example from render_json), inserted as it is, as one element.
  JsonWriter& raw_value(std::string_view json);

  /// True once one whole value has been written, every container closed and every call in order.
  [[nodiscard]] bool complete() const noexcept { return stack_.empty() && !out_.empty() && !misused_; }
  /// The text written so far.
  [[nodiscard]] const std::string& str() const noexcept { return out_; }
  /// Moves the text out and leaves the writer empty, ready for another value.
  [[nodiscard]] std::string take();

 private:
  struct Container {
    bool object = false;
    JsonLayout layout = JsonLayout::compact;
    bool empty = true;
  };

  void expect(bool in_order) noexcept { misused_ = misused_ || !in_order; }
  void before_value();
  void separate(Container& container);
  void new_line(std::size_t depth);
  JsonWriter& open(bool object, std::optional<JsonLayout> layout);
  JsonWriter& close(bool object);
  JsonWriter& scalar(std::string_view text);

  JsonStyle style_;
  std::string out_;
  std::vector<Container> stack_;
  bool after_key_ = false;  // a key was written and its value has not started
  bool misused_ = false;    // a call came out of order: the text is not valid JSON
};

}  // namespace ecsq::detail
