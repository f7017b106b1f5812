// A query compiled against a Fleet: scheduler-speed single-instance checks and bulk selection.
//
//   ecsq::Fleet fleet(instances);
//   ecsq::Matcher m = ecsq::compile(*ecsq::check("attribute:ecs.instance-type =~ t2.*").query, fleet);
//   ecsq::Bitset hits = m.select(fleet);        // every live instance where the query holds
//   bool ok = m.matches(fleet, id);             // one instance
//
// compile() resolves every attribute name and literal to dictionary ids (interning the ones the
// fleet has not seen), so `==` is an integer compare. Regexes, orderings, `in` lists and task-group
// tests become per-value tables: each distinct dictionary value is evaluated once, never each
// instance. Results equal ecsq::evaluate on every instance.
//
// Caches and threading: a Matcher's const members are safe to call concurrently with each other
// (the Fleet must not be mutated meanwhile, as for any container). Values the fleet interns after
// compile() are evaluated lazily: select() and refresh() extend the tables under an internal mutex
// and publish them atomically, never freeing a table a reader may hold; matches() never locks or
// allocates, and for a value newer than the last select()/refresh() it evaluates the comparison
// directly (correct, but slower: call refresh() after fleet updates to keep matches() fast).
//
// A Matcher is bound to the Fleet it was compiled with (or a copy of it): its codes mean nothing
// in another fleet's dictionaries. compiled_for() tells, and debug builds assert it on every use.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "ecsq/bitset.hpp"
#include "ecsq/check.hpp"
#include "ecsq/detail/matcher_program.hpp"
#include "ecsq/fleet.hpp"

namespace ecsq {

namespace detail {
struct Compiler;      // builds a Matcher (src/matcher/compile.cpp)
struct MatcherState;  // the select tree and the tables (src/matcher/program.hpp)
}  // namespace detail

/// A compiled query (or several ANDed); see the top of this header.
class Matcher {
 public:
  /// The empty expression: matches every live instance.
  Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  ~Matcher();

  /// True if live instance `id` satisfies the query; false for ids that are not live.
  /// No allocation, no locking, no string hashing once the caches are fresh.
  [[nodiscard]] bool matches(const Fleet& fleet, InstanceId id) const noexcept {
    assert(compiled_for(fleet));
    if (!fleet.contains(id)) return false;
    std::uint32_t pc = entry_;
    while (pc < detail::accept) {
      const detail::Leaf& leaf = leaves_[pc];
      pc = detail::test(leaf, fleet, id) ? leaf.on_true : leaf.on_false;
    }
    return pc == detail::accept;
  }

  /// The live instances that satisfy the query, one bit per slot (fleet.slot_count() bits).
  [[nodiscard]] Bitset select(const Fleet& fleet) const;
  /// As select(fleet), reusing `out`'s storage.
  void select(const Fleet& fleet, Bitset& out) const;
  /// Number of live instances that satisfy the query.
  [[nodiscard]] std::size_t count(const Fleet& fleet) const;
  /// Evaluates values interned since the last refresh, so matches() stays on its fast path.
  void refresh(const Fleet& fleet) const;

  /// Number of comparisons in the compiled program.
  [[nodiscard]] std::size_t size() const noexcept { return leaves_.size(); }

  /// True if `fleet` has this Matcher's dictionaries (same Fleet::identity): the fleet compile()
  /// was given, or a copy of it. Always true for a default-constructed Matcher, which holds no
  /// codes. A copy taken *before* compile() lacks what compile() interned yet shares the
  /// identity, so it is not told apart: copy after compiling.
  [[nodiscard]] bool compiled_for(const Fleet& fleet) const noexcept {
    return fleet_identity_ == 0 || fleet_identity_ == fleet.identity();
  }

 private:
  friend struct detail::Compiler;
  std::vector<detail::Leaf> leaves_;
  std::uint32_t entry_ = detail::accept;
  std::uint64_t fleet_identity_ = 0;  // 0: compiled for no fleet, valid for all
  std::unique_ptr<detail::MatcherState> state_;
};

/// Compiles a checked query for `fleet`, interning its attribute names and literals there (a
/// fleet mutation). An empty expression (and distinctInstance) matches every instance.
[[nodiscard]] Matcher compile(const CheckedQuery& query, Fleet& fleet);

/// Compiles several constraints (task definition + service, ...) into one Matcher that is their AND.
[[nodiscard]] Matcher compile(std::span<const CheckedQuery* const> constraints, Fleet& fleet);
[[nodiscard]] Matcher compile(std::initializer_list<const CheckedQuery*> constraints, Fleet& fleet);

}  // namespace ecsq
