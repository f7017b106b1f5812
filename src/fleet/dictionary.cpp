// Dictionary (dictionary.hpp): strings interned to dense ids in first-seen order.
// Design: one node-based hash map owns each text once; the id -> text vector points at its keys,
// so a lookup either way is O(1) and a text is never stored twice.
#include "ecsq/dictionary.hpp"

#include <utility>

namespace ecsq {

Dictionary::Dictionary(const Dictionary& other) : index_(other.index_), texts_(other.texts_.size()) {
  // The copied pointers would point into `other`'s nodes.
  for (const auto& [text, id] : index_) texts_[id] = &text;
}

Dictionary& Dictionary::operator=(const Dictionary& other) {
  if (this != &other) {
    Dictionary copy(other);
    *this = std::move(copy);
  }
  return *this;
}

std::uint32_t Dictionary::intern(std::string_view text) {
  if (const auto it = index_.find(text); it != index_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(texts_.size());
  const auto [it, inserted] = index_.emplace(std::string(text), id);
  texts_.push_back(&it->first);
  return id;
}

std::optional<std::uint32_t> Dictionary::find(std::string_view text) const {
  if (const auto it = index_.find(text); it != index_.end()) return it->second;
  return std::nullopt;
}

}  // namespace ecsq
