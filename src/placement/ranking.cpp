// Strategies rank lexicographically (contract §3.3). The incremental form keeps the candidates in
// buckets, one per combination of the leading spread(attribute) values, with the tasks of the
// group counted per value; each bucket is a tournament tree over its members in fleet order whose
// nodes hold the member with the least per-instance keys (binpack amounts, spread(instanceId)
// counts) and how many members tie with it. A pick narrows the buckets by the per-value counts,
// compares the tree roots and walks down to the chosen tie: O(buckets + log n) per task, and a
// placement updates one leaf. Strategies that put a spread(attribute) after a per-instance key
// do not decompose this way and are ranked by a scan of every candidate, as tests rank them all.
#include "placement/ranking.hpp"

#include <algorithm>
#include <bit>
#include <map>

namespace ecsq::detail {

Ranker::Ranker(const RunState& state, std::span<const StrategySpec> strategies, TieBreak ties, const Bitset& active,
               std::span<const InstanceId> candidates, RankingMode mode, RankerBuffers& buffers)
    : state_(state),
      ties_(ties),
      members_(buffers.members),
      keys_of_(buffers.keys),
      member_of_(buffers.member_of),
      bucket_of_(buffers.bucket_of),
      buffers_(buffers),
      candidates_(buffers.candidates) {
  const Fleet& fleet = state.fleet();
  bool key_seen = false;
  bool decomposes = true;
  for (const StrategySpec& s : strategies) {
    if (s.type == StrategyType::random) {
      random_class_ = true;  // later strategies are moot
      break;
    }
    if (levels_.size() == max_levels) break;  // more is an input error (E0512), reported before
    if (s.type == StrategyType::spread && s.target == StrategyTarget::attribute) {
      Spread spread;
      spread.attribute = fleet.attribute_names().find(s.attribute);
      spread.counts.assign((spread.attribute ? fleet.attribute_values(*spread.attribute).size() : 0) + 1, 0);
      levels_.push_back(Level{true, static_cast<std::uint32_t>(spreads_.size())});
      spreads_.push_back(std::move(spread));
      decomposes = decomposes && !key_seen;
    } else {
      const Key key = s.type == StrategyType::spread      ? Key::group_tasks
                      : s.target == StrategyTarget::cpu ? Key::cpu
                                                          : Key::memory;
      levels_.push_back(Level{false, static_cast<std::uint32_t>(keys_.size())});
      keys_.push_back(key);
      key_seen = true;
    }
  }
  // count(v): the group's tasks on every ACTIVE instance with value v, eligible or not.
  if (!spreads_.empty()) {
    for (const InstanceId id : active) {
      const std::uint32_t tasks = state.group_tasks(id);
      if (tasks == 0) continue;
      for (Spread& spread : spreads_) spread.counts[value_of(spread, id)] += tasks;
    }
  }
  alive_ = candidates.size();
  scan_ = mode == RankingMode::scan || !decomposes;
  if (scan_) {
    candidates_.resize(0);
    candidates_.resize(fleet.slot_count());
    for (const InstanceId id : candidates) candidates_.set(id);
    tuple_.resize(levels_.size());
    best_tuple_.resize(levels_.size());
  } else {
    build_buckets(candidates);
  }
}

std::uint32_t Ranker::value_of(const Spread& spread, InstanceId id) const noexcept {
  if (!spread.attribute) return 0;
  // Absent and present-without-value are one value, "missing" (contract §6a).
  const std::uint32_t code = state_.fleet().attribute_code(*spread.attribute, id);
  return code < first_value_code ? 0 : code - first_value_code + 1;
}

std::int64_t Ranker::key_of(Key key, InstanceId id) const noexcept {
  switch (key) {
    case Key::group_tasks: return state_.group_tasks(id);
    case Key::cpu: return state_.cpu(id);
    case Key::memory: return state_.memory(id);
  }
  return 0;
}

void Ranker::build_buckets(std::span<const InstanceId> candidates) {
  // Buckets in the order of their first candidate, so the layout depends on the inputs alone.
  std::vector<std::uint32_t>& bucket_index = buffers_.bucket_index;
  bucket_index.assign(candidates.size(), 0);
  if (spreads_.empty()) {
    if (!candidates.empty()) buckets_.emplace_back();
  } else if (spreads_.size() == 1) {
    std::vector<std::uint32_t> bucket_of_value(spreads_[0].counts.size(), none);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const std::uint32_t value = value_of(spreads_[0], candidates[i]);
      if (bucket_of_value[value] == none) {
        bucket_of_value[value] = static_cast<std::uint32_t>(buckets_.size());
        buckets_.emplace_back().values[0] = value;
      }
      bucket_index[i] = bucket_of_value[value];
    }
  } else {
    std::map<std::array<std::uint32_t, max_levels>, std::uint32_t> bucket_of_values;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      std::array<std::uint32_t, max_levels> values{};
      for (std::size_t s = 0; s < spreads_.size(); ++s) values[s] = value_of(spreads_[s], candidates[i]);
      const auto [it, added] = bucket_of_values.emplace(values, static_cast<std::uint32_t>(buckets_.size()));
      if (added) buckets_.emplace_back().values = values;
      bucket_index[i] = it->second;
    }
  }
  for (const std::uint32_t b : bucket_index) ++buckets_[b].size;
  std::uint32_t first = 0;
  std::uint32_t tree = 0;
  for (Bucket& bucket : buckets_) {
    bucket.first = first;
    first += bucket.size;
    bucket.leaves = std::bit_ceil(std::max<std::uint32_t>(bucket.size, 1));
    bucket.tree = tree;
    tree += 2 * bucket.leaves;
    bucket.alive = bucket.size;
  }
  members_.resize(candidates.size());
  bucket_of_.resize(candidates.size());
  member_of_.assign(state_.fleet().slot_count(), none);
  std::vector<std::uint32_t> next(buckets_.size());
  for (std::size_t b = 0; b < buckets_.size(); ++b) next[b] = buckets_[b].first;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::uint32_t member = next[bucket_index[i]]++;
    members_[member] = candidates[i];
    bucket_of_[member] = bucket_index[i];
    member_of_[candidates[i]] = member;
  }
  keys_of_.resize(members_.size() * keys_.size());
  for (std::uint32_t member = 0; member < members_.size(); ++member) load_keys(member);
  // A reused buffer is not cleared first: every node of every tree is written below.
  buffers_.nodes.resize(tree);
  nodes_ = buffers_.nodes.data();
  for (const Bucket& bucket : buckets_) {
    Node* nodes = nodes_ + bucket.tree;
    for (std::uint32_t p = bucket.size; p < bucket.leaves; ++p) nodes[bucket.leaves + p] = Node{};
    for (std::uint32_t p = 0; p < bucket.size; ++p) nodes[bucket.leaves + p] = Node{bucket.first + p, 1};
    for (std::uint32_t i = bucket.leaves - 1; i >= 1; --i) nodes[i] = combine(nodes[2 * i], nodes[2 * i + 1]);
  }
}

void Ranker::load_keys(std::uint32_t member) {
  const std::size_t width = keys_.size();
  for (std::size_t k = 0; k < width; ++k) keys_of_[member * width + k] = key_of(keys_[k], members_[member]);
}

bool Ranker::less(std::uint32_t a, std::uint32_t b) const noexcept {
  const std::size_t width = keys_.size();
  const std::int64_t* x = keys_of_.data() + a * width;
  const std::int64_t* y = keys_of_.data() + b * width;
  return std::lexicographical_compare(x, x + width, y, y + width);
}

bool Ranker::same(std::uint32_t a, std::uint32_t b) const noexcept {
  const std::size_t width = keys_.size();
  const std::int64_t* x = keys_of_.data() + a * width;
  const std::int64_t* y = keys_of_.data() + b * width;
  return std::equal(x, x + width, y);
}

Ranker::Node Ranker::combine(Node left, Node right) const noexcept {
  if (left.best == none) return right;
  if (right.best == none) return left;
  if (less(right.best, left.best)) return right;
  if (less(left.best, right.best)) return left;
  return Node{left.best, left.count + right.count};  // equal keys: the first in fleet order leads
}

void Ranker::update_leaf(std::uint32_t member, bool alive) {
  const Bucket& bucket = buckets_[bucket_of_[member]];
  Node* nodes = nodes_ + bucket.tree;
  std::uint32_t i = bucket.leaves + (member - bucket.first);
  nodes[i] = alive ? Node{member, 1} : Node{};
  for (i /= 2; i >= 1; i /= 2) nodes[i] = combine(nodes[2 * i], nodes[2 * i + 1]);
}

std::uint32_t Ranker::ties_under(const Node& node, std::uint32_t best) const noexcept {
  // Every node of a tied bucket holds keys >= best's, so a node whose least equals best's
  // counts exactly the members tied with best.
  return node.best != none && same(node.best, best) ? node.count : 0;
}

std::uint32_t Ranker::nth_tie(const Bucket& bucket, std::uint32_t best, std::uint32_t n) const noexcept {
  const Node* nodes = nodes_ + bucket.tree;
  std::uint32_t i = 1;
  while (i < bucket.leaves) {
    const std::uint32_t left = ties_under(nodes[2 * i], best);
    if (n < left) {
      i = 2 * i;
    } else {
      n -= left;
      i = 2 * i + 1;
    }
  }
  return bucket.first + (i - bucket.leaves);
}

std::uint32_t Ranker::ties_before(const Bucket& bucket, std::uint32_t best, std::uint32_t end) const noexcept {
  const Node* nodes = nodes_ + bucket.tree;
  std::uint32_t count = 0;
  for (std::uint32_t l = bucket.leaves, r = bucket.leaves + end; l < r; l /= 2, r /= 2) {
    if (l & 1) count += ties_under(nodes[l++], best);
    if (r & 1) count += ties_under(nodes[--r], best);
  }
  return count;
}

std::uint64_t Ranker::draw(std::uint64_t tied, SeededGenerator& generator) const {
  if (tied <= 1) return 0;
  if (!random_class_ && ties_ == TieBreak::fleet_order) return 0;
  return generator.below(tied);
}

InstanceId Ranker::pick(SeededGenerator& generator) { return scan_ ? pick_by_scan(generator) : pick_incremental(generator); }

InstanceId Ranker::pick_incremental(SeededGenerator& generator) {
  tied_.clear();
  for (std::uint32_t b = 0; b < buckets_.size(); ++b) {
    if (buckets_[b].alive > 0) tied_.push_back(b);
  }
  // The spread levels lead: each keeps the values with the fewest tasks among those still tied.
  for (std::size_t s = 0; s < spreads_.size(); ++s) {
    const std::vector<std::uint64_t>& counts = spreads_[s].counts;
    std::uint64_t least = UINT64_MAX;
    for (const std::uint32_t b : tied_) least = std::min(least, counts[buckets_[b].values[s]]);
    std::erase_if(tied_, [&](std::uint32_t b) { return counts[buckets_[b].values[s]] != least; });
  }
  // Then the per-instance keys: the least tree root among the tied buckets.
  std::uint32_t best = none;
  for (const std::uint32_t b : tied_) {
    const std::uint32_t root = nodes_[buckets_[b].tree + 1].best;
    if (best == none || less(root, best)) best = root;
  }
  std::erase_if(tied_, [&](std::uint32_t b) { return !same(nodes_[buckets_[b].tree + 1].best, best); });
  std::uint64_t tied = 0;
  for (const std::uint32_t b : tied_) tied += nodes_[buckets_[b].tree + 1].count;
  const std::uint64_t n = draw(tied, generator);
  if (tied_.size() == 1) return members_[nth_tie(buckets_[tied_[0]], best, static_cast<std::uint32_t>(n))];
  // Several buckets tie: the n-th tied member in fleet order is the least id x with more than n
  // tied members at or below it.
  const auto tied_up_to = [&](InstanceId x) {
    std::uint64_t count = 0;
    for (const std::uint32_t b : tied_) {
      const Bucket& bucket = buckets_[b];
      const InstanceId* first = members_.data() + bucket.first;
      const auto end = static_cast<std::uint32_t>(std::upper_bound(first, first + bucket.size, x) - first);
      count += ties_before(bucket, best, end);
    }
    return count;
  };
  InstanceId low = 0;
  InstanceId high = state_.fleet().slot_count() - 1;
  while (low < high) {
    const InstanceId middle = low + (high - low) / 2;
    if (tied_up_to(middle) > n) high = middle;
    else low = middle + 1;
  }
  return low;
}

InstanceId Ranker::pick_by_scan(SeededGenerator& generator) {
  tied_ids_.clear();
  for (const InstanceId id : candidates_) {
    for (std::size_t l = 0; l < levels_.size(); ++l) {
      const Level level = levels_[l];
      tuple_[l] = level.attribute
                      ? static_cast<std::int64_t>(spreads_[level.index].counts[value_of(spreads_[level.index], id)])
                      : key_of(keys_[level.index], id);
    }
    if (tied_ids_.empty() || tuple_ < best_tuple_) {
      best_tuple_ = tuple_;
      tied_ids_.assign(1, id);
    } else if (tuple_ == best_tuple_) {
      tied_ids_.push_back(id);
    }
  }
  return tied_ids_[draw(tied_ids_.size(), generator)];
}

void Ranker::placed(InstanceId id, bool still_candidate) {
  for (Spread& spread : spreads_) ++spread.counts[value_of(spread, id)];
  if (scan_) {
    if (!still_candidate) {
      candidates_.set(id, false);
      --alive_;
    }
    return;
  }
  const std::uint32_t member = member_of_[id];
  if (still_candidate) {
    load_keys(member);
  } else {
    --buckets_[bucket_of_[member]].alive;
    --alive_;
  }
  update_leaf(member, still_candidate);
}

}  // namespace ecsq::detail
