// Ranking the candidates of one placement run by its strategies (contract §3.3).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ecsq/bitset.hpp"
#include "ecsq/placement.hpp"
#include "placement/random.hpp"
#include "placement/run_state.hpp"

namespace ecsq::detail {

/// A node of the Ranker's tournament trees: the member with the least keys under it (the first in
/// fleet order among equals; UINT32_MAX when none) and how many members there tie with it.
struct RankNode {
  std::uint32_t best = UINT32_MAX;
  std::uint32_t count = 0;
};

/// The Ranker's per-instance arrays, kept between runs by the caller so that a run of a large
/// fleet reuses memory instead of touching fresh pages (which costs more than the ranking itself).
struct RankerBuffers {
  std::vector<InstanceId> members;
  std::vector<std::int64_t> keys;
  std::vector<RankNode> nodes;
  std::vector<std::uint32_t> member_of;
  std::vector<std::uint32_t> bucket_of;
  std::vector<std::uint32_t> bucket_index;
  Bitset candidates;
};

/// How the Ranker finds the best class: incrementally where the strategies allow it, or by
/// scanning every candidate for every task (the simple form, which tests hold the other to).
enum class RankingMode : std::uint8_t { automatic, scan };

/// Picks, task after task, the best candidate of a run: strategies lexicographically, then the
/// tie-break. A tie among N > 1 instances (or a `random` strategy's class of N > 1) is settled by
/// one draw k = generator.below(N): the k-th of them in fleet order.
class Ranker {
 public:
  /// `strategies`: those of the run (effective_strategies); `active`: the ACTIVE instances, whose
  /// tasks the spread counts cover; `candidates`: the ids that pass every filter, ascending.
  Ranker(const RunState& state, std::span<const StrategySpec> strategies, TieBreak ties, const Bitset& active,
         std::span<const InstanceId> candidates, RankingMode mode, RankerBuffers& buffers);

  /// No candidate is left.
  [[nodiscard]] bool empty() const noexcept { return alive_ == 0; }
  /// The best candidate (empty() must be false).
  [[nodiscard]] InstanceId pick(SeededGenerator& generator);
  /// A task was placed on `id`: the spread counts grow, and `id` either stays a candidate (its
  /// keys read again from the state) or leaves.
  void placed(InstanceId id, bool still_candidate);

 private:
  static constexpr std::uint32_t none = UINT32_MAX;
  static constexpr std::size_t max_levels = 5;
  enum class Key : std::uint8_t { group_tasks, cpu, memory };
  struct Level {
    bool attribute = false;  // spread(attribute): an index into spreads_; else a per-instance key
    std::uint32_t index = 0;
  };
  struct Spread {
    std::optional<std::uint32_t> attribute;  // in the fleet; none: every instance is "missing"
    std::vector<std::uint64_t> counts;       // tasks of the group per value index (0 = missing)
  };
  struct Bucket {
    std::array<std::uint32_t, max_levels> values{};  // value index per spread level
    std::uint32_t first = 0;                          // first member (into members_)
    std::uint32_t size = 0;
    std::uint32_t leaves = 1;                         // a power of two >= size
    std::uint32_t tree = 0;                           // node 1 of its tree is nodes_[tree + 1]
    std::uint32_t alive = 0;
  };
  using Node = RankNode;

  [[nodiscard]] std::uint32_t value_of(const Spread& spread, InstanceId id) const noexcept;
  [[nodiscard]] std::int64_t key_of(Key key, InstanceId id) const noexcept;
  void build_buckets(std::span<const InstanceId> candidates);
  void load_keys(std::uint32_t member);
  [[nodiscard]] bool less(std::uint32_t a, std::uint32_t b) const noexcept;
  [[nodiscard]] bool same(std::uint32_t a, std::uint32_t b) const noexcept;
  [[nodiscard]] Node combine(Node left, Node right) const noexcept;
  void update_leaf(std::uint32_t member, bool alive);
  [[nodiscard]] std::uint32_t ties_under(const Node& node, std::uint32_t best) const noexcept;
  [[nodiscard]] std::uint32_t nth_tie(const Bucket& bucket, std::uint32_t best, std::uint32_t n) const noexcept;
  [[nodiscard]] std::uint32_t ties_before(const Bucket& bucket, std::uint32_t best, std::uint32_t end) const noexcept;
  [[nodiscard]] InstanceId pick_incremental(SeededGenerator& generator);
  [[nodiscard]] InstanceId pick_by_scan(SeededGenerator& generator);
  [[nodiscard]] std::uint64_t draw(std::uint64_t tied, SeededGenerator& generator) const;

  const RunState& state_;
  TieBreak ties_;
  bool random_class_ = false;  // a random strategy ends the levels: its class is drawn from
  bool scan_ = false;
  std::vector<Level> levels_;  // the strategies before the first random, in order
  std::vector<Spread> spreads_;
  std::vector<Key> keys_;      // the per-instance levels, in order
  std::size_t alive_ = 0;

  // Incremental form: candidates grouped by their spread values (a bucket), each bucket a
  // tournament tree over its members in fleet order, keyed by the per-instance levels.
  std::vector<Bucket> buckets_;
  std::vector<InstanceId>& members_;     // bucket by bucket, each in fleet order
  std::vector<std::int64_t>& keys_of_;   // members_.size() x keys_.size()
  Node* nodes_ = nullptr;                // in buffers.nodes
  std::vector<std::uint32_t>& member_of_;  // per slot: the candidate's member index
  std::vector<std::uint32_t>& bucket_of_;  // per member
  std::vector<std::uint32_t> tied_;        // scratch: bucket indexes
  RankerBuffers& buffers_;

  // Scan form.
  Bitset& candidates_;
  std::vector<InstanceId> tied_ids_;
  std::vector<std::int64_t> best_tuple_;
  std::vector<std::int64_t> tuple_;
};

}  // namespace ecsq::detail
