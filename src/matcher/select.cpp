// Running a Matcher: select() over the whole fleet a block at a time, and the per-value tables
// that select() and matches() read. compile.cpp builds what runs here.
//
// select() evaluates the and/or tree (negation already pushed to the leaves) over blocks of 4096
// instances, so each nesting level's scratch bitset stays in L1. A leaf fills its block's words
// straight from one column: 32- and 8-bit columns stage 64 results as bytes so the compiler
// vectorises the compares; table lookups and 64-bit columns build each word in registers. After
// each child of an and/or, a settled block (all clear under and, all set under or) skips the
// remaining children: short-circuit per block, where it pays, never a branch per instance.
//
// Sparse attribute columns hold only the instances that have the attribute, so a leaf on one
// fills the block with the answer for a missing attribute and then patches the few instances
// that have it: the cost follows the cells stored, and no dense column is ever built for a scan.
//
// A table leaf's answers are one byte per dictionary code, computed once per value. Values the
// fleet interns after compile() are added by refresh_tables (from select() and refresh()) under
// the Matcher's mutex, while matches() may read the same table without a lock. Hence tables are
// append-only and published atomically: an entry never changes once published; a table that must
// grow past its capacity is copied to a new buffer and the old one lives as long as the Matcher,
// since a reader may still hold it. Each buffer starts with the (generation, size) it covers in one
// word, written after the entries (release) and read by readers before them (acquire), so a reader
// checks a buffer's coverage in that buffer and can never pair it with another. A code past the
// coverage is decided from its text (test_uncached): slower, never wrong. Task-group set codes are
// renumbered when the fleet compacts its sets; a table of another generation is rebuilt into a new
// buffer, and until then matches() sees the generation differ and takes the same slow path.
#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecsq/matcher.hpp"
#include "matcher/program.hpp"
#include "semantics/ordering.hpp"

namespace ecsq {

namespace detail {

namespace {

// Select runs the tree over blocks of this many instances so the scratch bitsets of every
// nesting level stay in L1.
constexpr std::size_t block_words = 64;
constexpr std::size_t block_bits = block_words * 64;

bool sorted_contains(const std::vector<std::uint32_t>& set, std::uint32_t value) noexcept {
  return std::binary_search(set.begin(), set.end(), value);
}

bool sorted_contains(const std::vector<std::string>& texts, std::string_view text) noexcept {
  const auto it = std::lower_bound(texts.begin(), texts.end(), text,
                                   [](const std::string& t, std::string_view x) { return std::string_view(t) < x; });
  return it != texts.end() && *it == text;
}

// An `in` set: ids below `known` by their code, later ones (interned after compile) by text.
bool in_set(const Predicate& p, std::uint32_t code, std::string_view text) noexcept {
  return code < p.known ? sorted_contains(p.codes, code) : sorted_contains(p.texts, text);
}

// The column a table leaf reads: a pending attribute's once resolved (else unresolved).
std::uint32_t column_of(const Predicate& p) noexcept {
  return p.kind == LeafKind::attribute_pending ? p.resolved.load(std::memory_order_acquire) : p.column;
}

// Number of codes the leaf's column can hold right now.
std::uint32_t code_count(const Predicate& p, const Fleet& fleet) noexcept {
  switch (p.kind) {
    case LeafKind::attribute_table: return fleet.attribute_values(p.column).size() + first_value_code;
    case LeafKind::attribute_pending: {
      const std::uint32_t column = column_of(p);
      return column == unresolved ? 0 : fleet.attribute_values(column).size() + first_value_code;
    }
    case LeafKind::ec2_table: return fleet.ec2_instance_ids().size();
    case LeafKind::group_table: return fleet.task_group_set_count();
    case LeafKind::version_table: return fleet.agent_versions().size();
    default: return 0;
  }
}

// The generation a table must have been built for: task-group set codes are renumbered now and
// then (Fleet::task_group_set_generation); the other dictionaries never renumber.
std::uint32_t generation_of(const Predicate& p, const Fleet& fleet) noexcept {
  return p.kind == LeafKind::group_table ? fleet.task_group_set_generation() : 0;
}

bool group_matches(const Predicate& p, const Fleet& fleet, std::uint32_t group, bool use_cache) noexcept {
  if (use_cache && group < p.group_results.size()) return p.group_results[group] != 0;
  return p.regex->full_match(fleet.task_groups().text(group));
}

// One value's result, from the dictionaries; `column` is the attribute read. `use_cache` only
// under the mutex.
bool evaluate_code(const Predicate& p, const Fleet& fleet, std::uint32_t column, std::uint32_t code,
                   bool use_cache) noexcept {
  switch (p.kind) {
    case LeafKind::attribute_table:
    case LeafKind::attribute_pending: {
      if (p.test == Test::exists) return code != missing_code;
      if (code < first_value_code) return false;  // missing and value-less attributes
      const std::string_view text = fleet.attribute_values(column).text(code - first_value_code);
      if (p.test == Test::in_set) return in_set(p, code, text);
      if (p.test == Test::regex) return p.regex->full_match(text);
      return ordered(p.op, compare_attribute_values(text, p.literal));
    }
    case LeafKind::ec2_table: {
      // An empty ec2InstanceId (external instances) behaves like a missing attribute.
      const std::string_view text = fleet.ec2_instance_ids().text(code);
      if (text.empty()) return false;
      if (p.test == Test::in_set) return in_set(p, code, text);
      return p.regex->full_match(text);
    }
    case LeafKind::group_table: {
      const std::span<const std::uint32_t> set = fleet.task_group_set(code);
      if (p.test == Test::in_set) {
        return std::any_of(set.begin(), set.end(),
                           [&](std::uint32_t g) { return in_set(p, g, g < p.known ? std::string_view() : fleet.task_groups().text(g)); });
      }
      return std::any_of(set.begin(), set.end(), [&](std::uint32_t g) { return group_matches(p, fleet, g, use_cache); });
    }
    case LeafKind::version_table: {
      const std::optional<Version>& version = fleet.parsed_agent_version(code);
      return version && ordered(p.op, ecsq::compare(*version, p.version));
    }
    default: return false;
  }
}

}  // namespace

bool test_uncached(const Leaf& leaf, const Fleet& fleet, std::uint32_t code) noexcept {
  const auto& p = static_cast<const Predicate&>(*leaf.cache);
  return evaluate_code(p, fleet, column_of(p), code, false);
}

// Before a refresh has resolved the attribute, it is looked up by name, unless the names have not
// grown since the last search (so a fresh Matcher on a name the fleet lacks hashes nothing).
bool test_pending(const Leaf& leaf, const Fleet& fleet, InstanceId id) noexcept {
  const auto& p = static_cast<const Predicate&>(*leaf.cache);
  const std::uint32_t column = p.resolved.load(std::memory_order_acquire);
  if (column != unresolved) return test_cached(leaf, fleet, fleet.attribute_code(column, id));
  if (p.names_searched.load(std::memory_order_acquire) == fleet.attribute_names().size()) return false;
  const std::optional<std::uint32_t> found = fleet.attribute_names().find(p.attribute);
  if (!found) return false;  // every positive test fails on a missing attribute
  return evaluate_code(p, fleet, *found, fleet.attribute_code(*found, id), false);
}

}  // namespace detail

namespace {

using detail::Leaf;
using detail::LeafKind;
using detail::Predicate;

static_assert(sizeof(detail::ValueTable) == sizeof(std::uint64_t) && alignof(detail::ValueTable) <= alignof(std::uint64_t),
              "a table's entries start one word after its head");

constexpr std::uint64_t coverage(std::uint32_t generation, std::uint32_t size) noexcept {
  return (static_cast<std::uint64_t>(generation) << 32) | size;
}

// True if `p`'s table misses codes of the fleet, is for another generation, or is a pending
// attribute the fleet may have named since.
bool stale(const Predicate& p, const Fleet& fleet) noexcept {
  if (p.kind == LeafKind::attribute_pending && p.resolved.load(std::memory_order_acquire) == detail::unresolved) {
    return p.names_searched.load(std::memory_order_acquire) != fleet.attribute_names().size();
  }
  const std::uint64_t covered = p.table.load(std::memory_order_acquire)->coverage.load(std::memory_order_acquire);
  return (covered >> 32) != detail::generation_of(p, fleet) ||
         static_cast<std::uint32_t>(covered) < detail::code_count(p, fleet);
}

// Resolves pending attributes and brings every table up to the fleet's dictionaries and set
// generation. Readers never see a partly written entry: new entries are written before the
// coverage that includes them is published, and a table for a new generation is a new buffer.
void refresh_tables(detail::MatcherState& state, const Fleet& fleet) {
  if (std::none_of(state.predicates.begin(), state.predicates.end(), [&](const auto& p) { return stale(*p, fleet); })) return;
  const std::lock_guard lock(state.mutex);
  for (const auto& owned : state.predicates) {
    Predicate& p = *owned;
    if (p.kind == LeafKind::attribute_pending && p.resolved.load(std::memory_order_relaxed) == detail::unresolved) {
      if (const auto column = fleet.attribute_names().find(p.attribute)) {
        p.resolved.store(*column, std::memory_order_release);
      } else {
        p.names_searched.store(fleet.attribute_names().size(), std::memory_order_release);
        continue;
      }
    }
    const std::uint32_t column = detail::column_of(p);
    const std::uint32_t generation = detail::generation_of(p, fleet);
    const std::uint32_t new_size = detail::code_count(p, fleet);
    const detail::ValueTable* current = p.table.load(std::memory_order_relaxed);
    const std::uint64_t covered = current->coverage.load(std::memory_order_relaxed);
    const bool same_generation = (covered >> 32) == generation && !p.buffers.empty();
    const std::uint32_t old_size = same_generation ? static_cast<std::uint32_t>(covered) : 0;
    if (same_generation && old_size >= new_size) continue;
    if (p.kind == LeafKind::group_table && p.test == detail::Test::regex) {
      for (std::uint32_t g = static_cast<std::uint32_t>(p.group_results.size()); g < fleet.task_groups().size(); ++g) {
        p.group_results.push_back(p.regex->full_match(fleet.task_groups().text(g)) ? 1 : 0);
      }
    }
    detail::ValueTable* table = same_generation ? reinterpret_cast<detail::ValueTable*>(p.buffers.back().get()) : nullptr;
    if (!same_generation || new_size > p.capacity) {
      // A new buffer: the table head, then the entries, in 64-bit words.
      const std::uint32_t capacity =
          same_generation ? std::max({new_size, p.capacity + p.capacity / 2, 64u}) : std::max(new_size, 64u);
      auto buffer = std::make_unique<std::uint64_t[]>(1 + (capacity + 7) / 8);
      auto* fresh = new (buffer.get()) detail::ValueTable{};
      if (old_size > 0) std::memcpy(buffer.get() + 1, detail::table_values(table), old_size);
      fresh->coverage.store(coverage(generation, old_size), std::memory_order_relaxed);
      table = fresh;
      p.buffers.push_back(std::move(buffer));
      p.capacity = capacity;
    }
    auto* values = reinterpret_cast<std::uint8_t*>(table + 1);
    for (std::uint32_t code = old_size; code < new_size; ++code) {
      values[code] = detail::evaluate_code(p, fleet, column, code, true) ? 1 : 0;
    }
    table->coverage.store(coverage(generation, new_size), std::memory_order_release);
    p.table.store(table, std::memory_order_release);
  }
}

// 64 bytes, each 0 or 1, as the bits of one word: the multiply gathers 8 bytes' low bits into
// one byte.
std::uint64_t pack_bytes(const std::uint8_t* bytes) noexcept {
  std::uint64_t word = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (std::size_t k = 0; k < 8; ++k) {
      std::uint64_t eight = 0;
      std::memcpy(&eight, bytes + 8 * k, 8);
      word |= ((eight * 0x0102040810204080ull) >> 56) << (8 * k);
    }
  } else {
    for (std::size_t j = 0; j < 64; ++j) word |= static_cast<std::uint64_t>(bytes[j]) << j;
  }
  return word;
}

// Bits j < `count` (<= 64) of a word: pred(base + j). Four accumulators keep four independent
// dependency chains in flight, which is what table lookups and 64-bit compares (no SSE2 vector
// form) need.
template <class Pred>
std::uint64_t scalar_word(std::size_t base, std::size_t count, Pred pred) {
  if (count < 64) {
    std::uint64_t word = 0;
    for (std::size_t j = 0; j < count; ++j) word |= static_cast<std::uint64_t>(pred(base + j)) << j;
    return word;
  }
  std::uint64_t w0 = 0, w1 = 0, w2 = 0, w3 = 0;
  for (std::size_t j = 0; j < 64; j += 4) {
    w0 |= static_cast<std::uint64_t>(pred(base + j)) << j;
    w1 |= static_cast<std::uint64_t>(pred(base + j + 1)) << (j + 1);
    w2 |= static_cast<std::uint64_t>(pred(base + j + 2)) << (j + 2);
    w3 |= static_cast<std::uint64_t>(pred(base + j + 3)) << (j + 3);
  }
  return w0 | w1 | w2 | w3;
}

enum class Shape { vector, scalar };

// Writes `count` bits (count <= block_bits) from instance `first`: bit j = pred(first + j) ^ negate.
// Shape::vector stages 64 results as bytes so the compiler vectorises the compares (32-bit and
// 8-bit columns); Shape::scalar builds the word in registers (gathers, 64-bit columns), where
// byte stores would only stall the loads that pack them.
template <Shape shape, class Pred>
void fill(std::uint64_t* out, std::size_t first, std::size_t count, bool negate, Pred pred) {
  const std::uint64_t flip = negate ? ~std::uint64_t{0} : 0;
  const std::size_t full = count / 64;
  if constexpr (shape == Shape::vector) {
    alignas(64) std::uint8_t bytes[64];
    for (std::size_t w = 0; w < full; ++w) {
      const std::size_t base = first + w * 64;
      for (std::size_t j = 0; j < 64; ++j) bytes[j] = static_cast<std::uint8_t>(pred(base + j));
      out[w] = pack_bytes(bytes) ^ flip;
    }
  } else {
    for (std::size_t w = 0; w < full; ++w) out[w] = scalar_word(first + w * 64, 64, pred) ^ flip;
  }
  if (const std::size_t rest = count % 64; rest != 0) out[full] = scalar_word(first + full * 64, rest, pred) ^ flip;
}

template <class Compare>
void fill_compare(std::uint64_t* out, std::size_t first, std::size_t count, bool negate, const std::int64_t* column,
                  std::int64_t literal, Compare cmp) {
  fill<Shape::scalar>(out, first, count, negate, [=](std::size_t i) { return cmp(column[i], literal); });
}

struct Evaluator {
  const detail::MatcherState& state;
  const std::vector<Leaf>& leaves;
  const Fleet& fleet;
  std::uint64_t* scratch = nullptr;  // one block per nesting level

  void leaf(const Leaf& leaf, const std::uint8_t* table, std::uint64_t* out, std::size_t first, std::size_t count) const {
    const bool neg = leaf.negate;
    switch (leaf.kind) {
      case LeafKind::constant:
        fill<Shape::vector>(out, first, count, neg, [&](std::size_t) { return leaf.code != 0; });
        break;
      case LeafKind::attribute_eq: {
        const std::uint32_t code = leaf.code;
        attribute_fill<Shape::vector>(leaf.column, out, first, count, neg, [=](std::uint32_t c) { return c == code; });
        break;
      }
      case LeafKind::attribute_in: {
        const std::array<std::uint32_t, 4> in = leaf.codes;
        attribute_fill<Shape::vector>(leaf.column, out, first, count, neg, [=](std::uint32_t x) { return detail::in4(in, x); });
        break;
      }
      case LeafKind::attribute_exists:
        attribute_fill<Shape::vector>(leaf.column, out, first, count, neg, [](std::uint32_t c) { return c != missing_code; });
        break;
      case LeafKind::attribute_table:
        attribute_fill<Shape::scalar>(leaf.column, out, first, count, neg, [=](std::uint32_t c) { return table[c] != 0; });
        break;
      case LeafKind::attribute_pending: {
        // Still unnamed in the fleet: missing everywhere, and every positive test fails on that.
        const std::uint32_t column = static_cast<const Predicate&>(*leaf.cache).resolved.load(std::memory_order_acquire);
        if (column == detail::unresolved) {
          fill<Shape::vector>(out, first, count, neg, [](std::size_t) { return false; });
        } else {
          attribute_fill<Shape::scalar>(column, out, first, count, neg, [=](std::uint32_t c) { return table[c] != 0; });
        }
        break;
      }
      case LeafKind::ec2_eq: {
        const std::uint32_t* codes = fleet.ec2_instance_id_codes().data();
        const std::uint32_t code = leaf.code;
        fill<Shape::vector>(out, first, count, neg, [=](std::size_t i) { return codes[i] == code; });
        break;
      }
      case LeafKind::ec2_in: {
        const std::uint32_t* codes = fleet.ec2_instance_id_codes().data();
        const std::array<std::uint32_t, 4> in = leaf.codes;
        fill<Shape::vector>(out, first, count, neg, [=](std::size_t i) { return detail::in4(in, codes[i]); });
        break;
      }
      case LeafKind::group_exists: {
        const std::uint32_t* codes = fleet.task_group_set_codes().data();
        fill<Shape::vector>(out, first, count, neg, [=](std::size_t i) { return codes[i] != 0; });
        break;
      }
      case LeafKind::ec2_table:
      case LeafKind::group_table:
      case LeafKind::version_table: {
        const std::uint32_t* codes = leaf.kind == LeafKind::ec2_table     ? fleet.ec2_instance_id_codes().data()
                                     : leaf.kind == LeafKind::group_table ? fleet.task_group_set_codes().data()
                                                                          : fleet.agent_version_codes().data();
        fill<Shape::scalar>(out, first, count, neg, [=](std::size_t i) { return table[codes[i]]; });
        break;
      }
      case LeafKind::connected: {
        const std::uint8_t* connected = fleet.agent_connected().data();
        const bool when_true = (leaf.code & 1) != 0;
        const bool when_false = (leaf.code & 2) != 0;
        if (when_true == when_false) {
          fill<Shape::vector>(out, first, count, neg, [=](std::size_t) { return when_true; });
        } else {
          fill<Shape::vector>(out, first, count, neg != when_false, [=](std::size_t i) { return connected[i] != 0; });
        }
        break;
      }
      case LeafKind::registered_at: {
        const std::int64_t* seconds = fleet.registered_at().data();
        const std::uint8_t* known = fleet.registered_at_known().data();
        const std::int64_t t = leaf.number;
        switch (leaf.cmp) {
          case detail::Cmp::eq: fill<Shape::scalar>(out, first, count, neg, [=](std::size_t i) { return known[i] & (seconds[i] == t); }); break;
          case detail::Cmp::lt: fill<Shape::scalar>(out, first, count, neg, [=](std::size_t i) { return known[i] & (seconds[i] < t); }); break;
          case detail::Cmp::le: fill<Shape::scalar>(out, first, count, neg, [=](std::size_t i) { return known[i] & (seconds[i] <= t); }); break;
          case detail::Cmp::gt: fill<Shape::scalar>(out, first, count, neg, [=](std::size_t i) { return known[i] & (seconds[i] > t); }); break;
          case detail::Cmp::ge: fill<Shape::scalar>(out, first, count, neg, [=](std::size_t i) { return known[i] & (seconds[i] >= t); }); break;
        }
        break;
      }
      case LeafKind::running_count: {
        const std::int64_t* column = fleet.running_tasks_count().data();
        switch (leaf.cmp) {
          case detail::Cmp::eq: fill_compare(out, first, count, neg, column, leaf.number, std::equal_to<>{}); break;
          case detail::Cmp::lt: fill_compare(out, first, count, neg, column, leaf.number, std::less<>{}); break;
          case detail::Cmp::le: fill_compare(out, first, count, neg, column, leaf.number, std::less_equal<>{}); break;
          case detail::Cmp::gt: fill_compare(out, first, count, neg, column, leaf.number, std::greater<>{}); break;
          case detail::Cmp::ge: fill_compare(out, first, count, neg, column, leaf.number, std::greater_equal<>{}); break;
        }
        break;
      }
    }
  }

  // An attribute leaf, `test` deciding one code. A sparse column holds only the instances that have
  // the attribute: every other bit is the answer for missing_code, then the few present are patched.
  template <Shape shape, class Test>
  void attribute_fill(std::uint32_t attribute, std::uint64_t* out, std::size_t first, std::size_t count, bool negate,
                      Test test) const {
    if (fleet.attribute_is_dense(attribute)) {
      const std::uint32_t* codes = fleet.attribute_codes(attribute).data();
      fill<shape>(out, first, count, negate, [=](std::size_t i) { return test(codes[i]); });
      return;
    }
    const bool absent = test(missing_code) != negate;
    std::fill(out, out + (count + 63) / 64, absent ? ~std::uint64_t{0} : 0);
    const Fleet::SparseColumn sparse = fleet.sparse_attribute(attribute);
    const auto begin = std::lower_bound(sparse.ids.begin(), sparse.ids.end(), first);
    for (auto it = begin; it != sparse.ids.end() && *it < first + count; ++it) {
      const std::size_t bit = *it - first;
      const std::uint64_t mask = std::uint64_t{1} << (bit % 64);
      const bool value = test(sparse.codes[static_cast<std::size_t>(it - sparse.ids.begin())]) != negate;
      out[bit / 64] = value ? (out[bit / 64] | mask) : (out[bit / 64] & ~mask);
    }
  }

  // Evaluates node `index` for instances [first, first + count) into out[0 .. words).
  void node(std::uint32_t index, std::uint64_t* out, std::size_t first, std::size_t count, std::uint32_t level) const {
    const detail::SelectNode& n = state.nodes[index];
    if (n.kind == detail::SelectNode::leaf) {
      const Leaf& l = leaves[n.first];
      // select() refreshed the tables, so the published one covers every code in the fleet.
      leaf(l, l.cache ? detail::table_values(l.cache->table.load(std::memory_order_acquire)) : nullptr, out, first,
           count);
      return;
    }
    const std::size_t words = (count + 63) / 64;
    std::uint64_t* tmp = scratch + static_cast<std::size_t>(level) * detail::block_words;
    const bool is_and = n.kind == detail::SelectNode::and_;
    node(state.children[n.first], out, first, count, level + 1);
    for (std::uint32_t c = 1; c < n.count; ++c) {
      // Nothing left to decide in this block: skip the remaining children.
      std::uint64_t settled = is_and ? 0 : ~std::uint64_t{0};
      for (std::size_t w = 0; w < words; ++w) settled = is_and ? (settled | out[w]) : (settled & out[w]);
      if (is_and ? settled == 0 : settled == ~std::uint64_t{0}) return;
      node(state.children[n.first + c], tmp, first, count, level + 1);
      if (is_and) {
        for (std::size_t w = 0; w < words; ++w) out[w] &= tmp[w];
      } else {
        for (std::size_t w = 0; w < words; ++w) out[w] |= tmp[w];
      }
    }
  }
};

}  // namespace

void Matcher::refresh(const Fleet& fleet) const {
  assert(compiled_for(fleet));
  refresh_tables(*state_, fleet);
}

void Matcher::select(const Fleet& fleet, Bitset& out) const {
  assert(compiled_for(fleet));
  const std::size_t slots = fleet.slot_count();
  out.resize(slots);
  const std::span<const std::uint64_t> live = fleet.live().words();
  std::span<std::uint64_t> words = out.words();
  if (state_->empty) {
    std::copy(live.begin(), live.end(), words.begin());
    return;
  }
  refresh_tables(*state_, fleet);
  // Scratch for typical nesting on the stack; deeper trees (up to the parser's 64) on the heap.
  constexpr std::size_t stack_levels = 8;
  std::array<std::uint64_t, stack_levels * detail::block_words> stack_scratch;
  std::vector<std::uint64_t> heap_scratch;
  const std::size_t levels = static_cast<std::size_t>(state_->depth) + 2;
  if (levels > stack_levels) heap_scratch.resize(levels * detail::block_words);
  const Evaluator eval{*state_, leaves_, fleet, levels > stack_levels ? heap_scratch.data() : stack_scratch.data()};
  for (std::size_t first = 0; first < slots; first += detail::block_bits) {
    const std::size_t count = std::min(detail::block_bits, slots - first);
    std::uint64_t* out_block = words.data() + first / 64;
    eval.node(state_->root, out_block, first, count, 0);
    const std::size_t block = (count + 63) / 64;
    for (std::size_t w = 0; w < block; ++w) out_block[w] &= live[first / 64 + w];
  }
}

Bitset Matcher::select(const Fleet& fleet) const {
  Bitset out;
  select(fleet, out);
  return out;
}

std::size_t Matcher::count(const Fleet& fleet) const {
  assert(compiled_for(fleet));
  return select(fleet).count();
}

}  // namespace ecsq
