// A set of instance ids, one bit per fleet slot: what Matcher::select returns and what custom
// combinations work on (`&=`, `|=`, `-=`, iteration in id order).
//
// Sizes need not agree: a set built before Fleet::add is shorter than one selected after it, so
// every operation treats the bits past a set's size() as clear. `&=` and `-=` keep the left
// operand's size, `|=` grows it to the larger of the two, set() grows it, test() past the end is
// false.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <vector>

namespace ecsq {

/// A slot in a Fleet.
using InstanceId = std::uint32_t;

/// A set of instance ids, one bit per slot: the result of Matcher::select.
class Bitset {
 public:
  Bitset() = default;
  /// `size` bits, all clear.
  explicit Bitset(std::size_t size) : words_((size + 63) / 64), size_(size) {}

  /// Number of bits (the fleet's slot count when returned by select).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Number of set bits.
  [[nodiscard]] std::size_t count() const noexcept {
    std::size_t n = 0;
    for (const std::uint64_t w : words_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
  }
  [[nodiscard]] bool none() const noexcept {
    for (const std::uint64_t w : words_) {
      if (w != 0) return false;
    }
    return true;
  }
  /// Bit `i`; false past size().
  [[nodiscard]] bool test(std::size_t i) const noexcept { return i < size_ && ((words_[i / 64] >> (i % 64)) & 1); }
  /// Sets (or clears) bit `i`, first growing to i + 1 bits if `i` is past size() and `value` is true.
  void set(std::size_t i, bool value = true) {
    if (i >= size_) {
      if (!value) return;
      resize(i + 1);
    }
    const std::uint64_t bit = std::uint64_t{1} << (i % 64);
    words_[i / 64] = value ? (words_[i / 64] | bit) : (words_[i / 64] & ~bit);
  }
  /// Grows or shrinks to `size` bits; new bits are clear.
  void resize(std::size_t size) {
    words_.resize((size + 63) / 64);
    size_ = size;
    clear_tail();
  }
  /// The bits, 64 per word, bit i of the set in word i/64 at position i%64; bits past size() are 0.
  [[nodiscard]] std::span<const std::uint64_t> words() const noexcept { return words_; }
  /// Mutable words for custom combinations; keep the bits past size() clear.
  [[nodiscard]] std::span<std::uint64_t> words() noexcept { return words_; }

  /// Intersection with `other`; size() is kept, and bits past other.size() are cleared.
  Bitset& operator&=(const Bitset& other) noexcept {
    const std::size_t common = std::min(words_.size(), other.words_.size());
    for (std::size_t i = 0; i < common; ++i) words_[i] &= other.words_[i];
    for (std::size_t i = common; i < words_.size(); ++i) words_[i] = 0;
    return *this;
  }
  /// Union with `other`; grows to other.size() if that is larger.
  Bitset& operator|=(const Bitset& other) {
    if (other.size_ > size_) resize(other.size_);
    for (std::size_t i = 0; i < other.words_.size(); ++i) words_[i] |= other.words_[i];
    return *this;
  }
  /// Removes the bits set in `other`; size() is kept.
  Bitset& operator-=(const Bitset& other) noexcept {
    const std::size_t common = std::min(words_.size(), other.words_.size());
    for (std::size_t i = 0; i < common; ++i) words_[i] &= ~other.words_[i];
    return *this;
  }
  /// Same size and same bits.
  friend bool operator==(const Bitset&, const Bitset&) = default;

  /// Forward iteration over the set bits, in increasing order.
  class iterator {
   public:
    using value_type = InstanceId;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    InstanceId operator*() const noexcept {
      return static_cast<InstanceId>(index_ * 64 + static_cast<std::size_t>(std::countr_zero(word_)));
    }
    iterator& operator++() noexcept {
      word_ &= word_ - 1;
      skip_empty();
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.index_ == b.index_ && a.word_ == b.word_;
    }

   private:
    friend class Bitset;
    iterator(const std::uint64_t* words, std::size_t count, std::size_t index) noexcept
        : words_(words), count_(count), index_(index), word_(index < count ? words[index] : 0) {
      skip_empty();
    }
    void skip_empty() noexcept {
      while (word_ == 0 && ++index_ < count_) word_ = words_[index_];
      if (index_ >= count_) index_ = count_;
    }
    const std::uint64_t* words_ = nullptr;
    std::size_t count_ = 0;
    std::size_t index_ = 0;
    std::uint64_t word_ = 0;
  };
  [[nodiscard]] iterator begin() const noexcept { return {words_.data(), words_.size(), 0}; }
  [[nodiscard]] iterator end() const noexcept { return {words_.data(), words_.size(), words_.size()}; }

  /// The set bits as a sorted vector of ids.
  [[nodiscard]] std::vector<InstanceId> to_vector() const { return {begin(), end()}; }

 private:
  void clear_tail() noexcept {
    if (size_ % 64 != 0) words_.back() &= (std::uint64_t{1} << (size_ % 64)) - 1;
  }
  std::vector<std::uint64_t> words_;
  std::size_t size_ = 0;
};

}  // namespace ecsq
