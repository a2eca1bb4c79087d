// Finding repeated respondent ids among a million rows, fast and without a node per id.
// Internal to the core.
//
// IdIndex numbers ids 0, 1, 2, ... as they are added and finds an id added before:
// - While the ids come in increasing order (shorter ids first, then byte order: "R0000009" <
//   "R0000010", "9" < "10"), as exports sorted by id, or by date with serial ids, have them,
//   none can be a repeat: each is compared with the one before, and nothing else is kept.
// - From the first id out of order (or blank), all of them go into an open-addressing hash
//   table of 4-byte slots: the number + 1 in the low bits and the top bits of the id's hash
//   above them, so a probe reads another id only when those bits are equal (for a million ids,
//   one probe in about 2000). That is one cache miss per id, where a table of numbers alone
//   also read each probed id: 17% of a 1M-row import natively.
//
// IdRows keeps its own copy of the ids (about 20 bytes per id besides the id itself, where a
// std::map node takes about 80): for ids read from a CSV chunk that is gone once the row is
// checked. Responses::check_ids uses an IdIndex over the ids where they are stored.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvc::detail {

/// Shorter first, then byte order: the order of serial ids with or without leading zeros.
inline bool id_before(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

class IdIndex {
 public:
  /// `expected`: how many numbers will be used, when known (the table is then made once).
  explicit IdIndex(std::size_t expected = 0) : expected_(expected) {}

  /// Adds `id` (not empty) as number `n` (< 2^32 - 1; each number once, increasing), unless an
  /// equal id was added: then returns that one's number. id_of(k) gives the id numbered k, for
  /// any k added before (and "" for a number skipped).
  template <class IdOf>
  std::optional<std::uint32_t> insert(std::string_view id, std::uint32_t n, const IdOf& id_of) {
    return insert(id, n, id_of, in_run_ ? 0 : hash_of(id));
  }
  /// The same, with hash_of(id) already known (it is used only once the run has ended).
  template <class IdOf>
  std::optional<std::uint32_t> insert(std::string_view id, std::uint32_t n, const IdOf& id_of,
                                      std::uint32_t hash) {
    if (in_run_) {
      if (n == added_ && (n == 0 || id_before(id_of(n - 1), id))) {
        ++added_;
        return std::nullopt;
      }
      in_run_ = false;  // the table is made next, with the run's ids in it
      hash = hash_of(id);
    }
    if (2 * (std::size_t{count_} + 1) > slots_.size() || n + 1 > number_mask_) {
      rebuild(n, id_of);
    }
    const std::uint32_t tag = hash & ~number_mask_;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
      const std::uint32_t held = slots_[s];
      if (held == 0) {
        slots_[s] = tag | (n + 1);
        ++count_;
        added_ = n + 1;
        return std::nullopt;
      }
      const std::uint32_t other = (held & number_mask_) - 1;
      if ((held & ~number_mask_) == tag && id_of(other) == id) return other;
    }
  }

  /// The number of an id equal to `id` (not empty) added before, if any; nothing is added. While
  /// the run lasts the ids are in order, so this is a binary search; after it, a probe.
  template <class IdOf>
  std::optional<std::uint32_t> find(std::string_view id, const IdOf& id_of) const {
    if (in_run_) {
      std::uint32_t low = 0;
      std::uint32_t high = added_;
      while (low < high) {
        const std::uint32_t middle = low + (high - low) / 2;
        if (id_before(id_of(middle), id)) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      if (low < added_ && id_of(low) == id) return low;
      return std::nullopt;
    }
    if (slots_.empty()) return std::nullopt;
    const std::uint32_t hash = hash_of(id);
    const std::uint32_t tag = hash & ~number_mask_;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
      const std::uint32_t held = slots_[s];
      if (held == 0) return std::nullopt;
      const std::uint32_t other = (held & number_mask_) - 1;
      if ((held & ~number_mask_) == tag && id_of(other) == id) return other;
    }
  }

  /// Number `n` is not used (a blank id): the numbers no longer follow on, which ends the run.
  void skip() { in_run_ = false; }

  /// True while every id so far followed the one before (no table is used).
  bool in_run() const { return in_run_; }

  static std::uint32_t hash_of(std::string_view id) {
    const auto h = static_cast<std::uint64_t>(std::hash<std::string_view>{}(id));
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }

  /// Reads the slot where ids of hash `hash` start, so that their insert() finds it in the
  /// cache: touching a batch of ids' slots first lets their cache misses overlap, where one
  /// insert after another waits for each in turn. Give the results to keep() (else the reads
  /// may be left out by the compiler).
  std::uint32_t touch(std::uint32_t hash) const {
    return slots_.empty() ? 0 : slots_[hash & (slots_.size() - 1)];
  }
  void keep(std::uint32_t touched) { touched_ ^= touched; }

 private:
  // Makes the table for numbers up to twice `n` (the next to add) and for twice the ids it will
  // hold, and puts back every id numbered below added_ (read in order, not slot by slot).
  template <class IdOf>
  void rebuild(std::uint32_t n, const IdOf& id_of) {
    const std::size_t held = count_ == 0 ? added_ : count_;  // the run's ids, or the table's
    const std::size_t coming = expected_ > n ? expected_ - n : 1;
    std::size_t capacity = 64;
    while (capacity < 2 * (held + coming)) capacity *= 2;
    const std::uint64_t limit = std::max<std::uint64_t>(2 * (std::uint64_t{n} + 1), expected_);
    std::size_t bits = 1;
    while (bits < 32 && (std::uint64_t{1} << bits) <= limit) ++bits;
    slots_.assign(capacity, 0);
    number_mask_ = bits >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << bits) - 1;
    count_ = 0;
    const std::size_t mask = capacity - 1;
    for (std::uint32_t k = 0; k < added_; ++k) {
      const std::string_view id = id_of(k);
      if (id.empty()) continue;  // a number skipped
      const std::uint32_t hash = hash_of(id);
      std::size_t s = hash & mask;
      while (slots_[s] != 0) s = (s + 1) & mask;
      slots_[s] = (hash & ~number_mask_) | (k + 1);
      ++count_;
    }
  }

  std::size_t expected_;
  bool in_run_ = true;                // every id so far is after the one before
  std::uint32_t added_ = 0;           // one more than the last number added
  std::vector<std::uint32_t> slots_;  // 0 = empty
  std::uint32_t number_mask_ = 0;     // the slot bits that hold the number + 1
  std::uint32_t count_ = 0;           // ids in the table
  std::uint32_t touched_ = 0;         // see keep()
};

/// Ids one after the other, without a std::string each.
struct IdList {
  std::string bytes;
  std::vector<std::size_t> ends;  // where each ends in bytes

  void add(std::string_view id) {
    bytes.append(id);
    ends.push_back(bytes.size());
  }
  std::size_t size() const { return ends.size(); }
  std::string_view operator[](std::size_t k) const {
    const std::size_t begin = k == 0 ? 0 : ends[k - 1];
    return std::string_view(bytes).substr(begin, ends[k] - begin);
  }
};

class IdRows {
 public:
  /// The row `id` (not empty) was first seen on, if it was added; nothing is added.
  std::optional<std::size_t> find(std::string_view id) const {
    const auto first = index_.find(id, [this](std::uint32_t k) { return id_at(k); });
    if (first) return rows_[*first];
    return std::nullopt;
  }
  /// True while every id added came after the one before (id_before): none can be a repeat.
  bool in_order() const { return index_.in_run(); }
  /// The id added last ("" when none).
  std::string_view last() const {
    const std::size_t begin = ends_.size() < 2 ? 0 : ends_[ends_.size() - 2];
    return std::string_view(bytes_).substr(begin);
  }

  /// Adds `id` (not empty), first seen on `row`; when it is already there, returns its first
  /// row instead.
  std::optional<std::size_t> insert(std::string_view id, std::size_t row) {
    const auto id_of = [this](std::uint32_t k) { return id_at(k); };
    if (const auto first = index_.insert(id, static_cast<std::uint32_t>(rows_.size()), id_of)) {
      return rows_[*first];
    }
    bytes_.append(id);
    ends_.push_back(bytes_.size());
    rows_.push_back(row);
    return std::nullopt;
  }

 private:
  std::string_view id_at(std::uint32_t k) const {
    const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
    return std::string_view(bytes_).substr(begin, ends_[k] - begin);
  }

  IdIndex index_;
  std::string bytes_;              // the ids, one after the other
  std::vector<std::size_t> ends_;  // where each ends in bytes_
  std::vector<std::size_t> rows_;  // the row each was first seen on
};

}  // namespace cvc::detail
