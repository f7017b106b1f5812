// Interned strings: the Fleet stores every attribute name, value, ec2InstanceId, agent version and
// task group once, and its columns hold the dense ids a Dictionary hands out.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ecsq {

/// Strings interned to dense ids 0, 1, 2, ... in first-seen order; an id never changes.
class Dictionary {
 public:
  Dictionary() = default;
  Dictionary(const Dictionary& other);
  Dictionary& operator=(const Dictionary& other);
  Dictionary(Dictionary&&) noexcept = default;
  Dictionary& operator=(Dictionary&&) noexcept = default;
  ~Dictionary() = default;

  /// The id of `text`, adding it if new.
  std::uint32_t intern(std::string_view text);
  /// The id of `text` if present.
  [[nodiscard]] std::optional<std::uint32_t> find(std::string_view text) const;
  /// The text of id `id` (< size()).
  [[nodiscard]] std::string_view text(std::uint32_t id) const noexcept { return *texts_[id]; }
  [[nodiscard]] std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(texts_.size()); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  // Node-based, so texts_ can point at the keys.
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
  std::vector<const std::string*> texts_;
};

}  // namespace ecsq
