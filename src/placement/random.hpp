// The seeded generator behind `random` and random ties (contract §3.3): splitmix64 (Steele, Lea
// and Flood, 2014) and Lemire's bounded uniform (2019), both written out here so that a seed gives
// the same draws with every compiler and standard library (std::uniform_int_distribution does not).
#pragma once

#include <cstdint>

namespace ecsq::detail {

/// A fully specified pseudo-random generator: splitmix64 over a 64-bit state that starts at the seed.
class SeededGenerator {
 public:
  explicit SeededGenerator(std::uint64_t seed) noexcept : state_(seed) {}

  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, bound) (bound > 0): Lemire's multiply-and-reject, without bias.
  std::uint64_t below(std::uint64_t bound) noexcept {
    std::uint64_t high = 0;
    std::uint64_t low = multiply(next(), bound, high);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) low = multiply(next(), bound, high);
    }
    return high;
  }

 private:
  // The 128-bit product of a and b: returns the low half, stores the high half (portable C++).
  static std::uint64_t multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& high) noexcept {
    const std::uint64_t a_lo = a & 0xffffffffULL, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xffffffffULL, b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo;
    const std::uint64_t hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi;
    const std::uint64_t hi_hi = a_hi * b_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
    high = hi_hi + (hi_lo >> 32) + (cross >> 32);
    return (cross << 32) | (lo_lo & 0xffffffffULL);
  }

  std::uint64_t state_;
};

}  // namespace ecsq::detail
