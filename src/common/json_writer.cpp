// The JSON writer: a stack of open containers, each knowing its layout and whether it has an
// element yet, decides every separator and line break. Strings are copied in runs between the
// bytes that need escaping, since almost all text (names, messages, paths) needs none.
#include "common/json_writer.hpp"

#include <cmath>

#include "common/utf8.hpp"

namespace ecsq::detail {

namespace {

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    default: break;
  }
  if (c >= 0x80) {
    out += "\\ufffd";  // an invalid UTF-8 byte: JSON text must be valid UTF-8
    return;
  }
  constexpr char hex[] = "0123456789abcdef";
  out += "\\u00";
  out += hex[c >> 4];
  out += hex[c & 0xf];
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t copied = 0;  // text[copied, i) still has to be appended as it is
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t length = utf8_sequence_length(text, i);
      if (length > 1) {
        i += length;
        continue;
      }
    }
    out.append(text.substr(copied, i - copied));
    append_escape(out, c);
    copied = ++i;
  }
  out.append(text.substr(copied));
  out += '"';
}

JsonWriter& JsonWriter::start_object(std::optional<JsonLayout> layout) { return open(true, layout); }
JsonWriter& JsonWriter::end_object() { return close(true); }
JsonWriter& JsonWriter::start_array(std::optional<JsonLayout> layout) { return open(false, layout); }
JsonWriter& JsonWriter::end_array() { return close(false); }

JsonWriter& JsonWriter::key(std::string_view name) {
  expect(!stack_.empty() && stack_.back().object && !after_key_);
  if (stack_.empty()) return *this;
  Container& object = stack_.back();
  separate(object);
  append_json_string(out_, name);
  out_ += object.layout == JsonLayout::block ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
  before_value();
  append_json_string(out_, text);
  return *this;
}

JsonWriter& JsonWriter::value(bool flag) { return scalar(flag ? "true" : "false"); }

JsonWriter& JsonWriter::value(double number) {
  if (!std::isfinite(number)) return scalar("null");
  char digits[32];  // the shortest round-trip form of a double is at most 24 characters
  const auto written = std::to_chars(digits, digits + sizeof digits, number);
  return scalar(std::string_view(digits, static_cast<std::size_t>(written.ptr - digits)));
}

JsonWriter& JsonWriter::value(std::nullptr_t) { return scalar("null"); }

JsonWriter& JsonWriter::raw_value(std::string_view json) { return scalar(json); }

std::string JsonWriter::take() {
  std::string text = std::move(out_);
  out_.clear();
  stack_.clear();
  after_key_ = false;
  misused_ = false;
  return text;
}

void JsonWriter::before_value() {
  if (stack_.empty()) {
    expect(out_.empty());  // one top-level value per writer
    return;
  }
  Container& container = stack_.back();
  if (container.object) {
    expect(after_key_);
    after_key_ = false;
    return;
  }
  separate(container);
}

void JsonWriter::separate(Container& container) {
  if (!container.empty) out_ += ',';
  if (container.layout == JsonLayout::block || (container.layout == JsonLayout::lines && !container.empty)) {
    new_line(stack_.size());
  }
  container.empty = false;
}

void JsonWriter::new_line(std::size_t depth) {
  out_ += '\n';
  out_.append(depth * style_.indent, ' ');
}

JsonWriter& JsonWriter::open(bool object, std::optional<JsonLayout> layout) {
  before_value();
  const bool inside_compact = !stack_.empty() && stack_.back().layout == JsonLayout::compact;
  stack_.push_back({object, inside_compact ? JsonLayout::compact : layout.value_or(style_.layout), true});
  out_ += object ? '{' : '[';
  return *this;
}

JsonWriter& JsonWriter::close(bool object) {
  expect(!stack_.empty() && stack_.back().object == object && !after_key_);
  if (stack_.empty()) return *this;
  const Container container = stack_.back();
  stack_.pop_back();
  if (container.layout == JsonLayout::block) {
    if (container.empty) out_ += '\n';
    new_line(stack_.size());
  }
  out_ += object ? '}' : ']';
  return *this;
}

JsonWriter& JsonWriter::scalar(std::string_view text) {
  before_value();
  out_.append(text);
  return *this;
}

}  // namespace ecsq::detail
