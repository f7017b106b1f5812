// A query compiled against a Fleet: scheduler-speed single-instance checks and bulk selection.
//
//   ecsq::Fleet fleet(instances);
//   ecsq::Matcher m = ecsq::compile(*ecsq::check("attribute:ecs.instance-type =~ t2.*").query, fleet);
//   ecsq::Bitset hits = m.select(fleet);        // every live instance where the query holds
//   bool ok = m.matches(fleet, id);             // one instance
//
// compile() reads the fleet (a const Fleet&) and resolves every attribute name and literal to
// dictionary ids, so `==` is an integer compare. Regexes, orderings, `in` lists and task-group
// tests become per-value tables: each distinct dictionary value is evaluated once, never each
// instance. A name or literal the fleet has never seen is not added to it: it compiles to a test
// that fails on every instance now and is decided by its text once an instance takes it. Results
// equal ecsq::evaluate on every instance, with distinctInstance as below.
//
// distinctInstance: given the group of the task being placed (CompileOptions::task_group), a
// distinctInstance constraint excludes the instances that run a task of that group (the fleet's
// task counts, Fleet::start_task). Without a group it matches every instance, as in evaluate().
//
// Caches and threading: compile() may run concurrently with other const uses of the fleet (e.g.
// under a shared lock while other threads select). A Matcher's const members are safe to call
// concurrently with each other (the Fleet must not be mutated meanwhile, as for any container).
// compile() builds the tables for every value the fleet has, so matches() is fast from the start.
// Values the fleet interns after compile(), and task-group sets it renumbers
// (Fleet::task_group_set_generation), are caught up lazily: select() and refresh() extend or
// rebuild the tables under an internal mutex and publish them atomically, never freeing a table a
// reader may hold (so each rebuild keeps a buffer alive until the Matcher dies: compile a Matcher
// per scheduling decision, or per batch, rather than keeping one for days); matches() never locks
// or allocates, and for a value newer than the last select()/refresh() it evaluates the comparison
// directly (correct, but slower: call refresh() after fleet updates to keep matches() fast).
//
// A Matcher is bound to the Fleet it was compiled with (or a copy of it): its codes mean nothing
// in another fleet's dictionaries, nor after Fleet::compact(). compiled_for() tells, and debug
// builds assert it on every use.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
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
  /// Catches the tables up with the fleet (values and attribute names it gained, task-group sets
  /// it renumbered), so matches() stays on its fast path.
  void refresh(const Fleet& fleet) const;

  /// Number of comparisons in the compiled program.
  [[nodiscard]] std::size_t size() const noexcept { return leaves_.size(); }

  /// True if `fleet` has this Matcher's dictionaries (same Fleet::identity): the fleet compile()
  /// was given, or a copy of it, and not compacted since. Always true for a default-constructed
  /// Matcher, which holds no codes. Copies that have since diverged (each interning its own new
  /// values) are not told apart: use a Matcher with one of them only.
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

/// How compile() treats what a query cannot say by itself.
struct CompileOptions {
  /// The group of the task being placed (e.g. "service:web"): a distinctInstance constraint then
  /// excludes instances with a task of this group. Empty: distinctInstance matches every instance.
  std::string_view task_group;
};

/// Compiles a checked query for `fleet`, which it only reads. An empty expression matches every
/// instance; distinctInstance too, unless `options` names the task group.
[[nodiscard]] Matcher compile(const CheckedQuery& query, const Fleet& fleet, const CompileOptions& options = {});

/// Compiles several constraints (task definition + service, ...) into one Matcher that is their AND.
[[nodiscard]] Matcher compile(std::span<const CheckedQuery* const> constraints, const Fleet& fleet,
                              const CompileOptions& options = {});
[[nodiscard]] Matcher compile(std::initializer_list<const CheckedQuery*> constraints, const Fleet& fleet,
                              const CompileOptions& options = {});

}  // namespace ecsq
