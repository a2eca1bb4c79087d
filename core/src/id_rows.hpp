// Respondent ids seen so far, each with the row it was first seen on. An exact hash set over
// one buffer of id bytes: about 30 bytes per id besides the id itself, where a std::map node
// takes about 80, so checking a million ids for duplicates stays small (the command-line
// runner keeps nothing else per row). Internal to the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cvc::detail {

class IdRows {
 public:
  /// Adds `id`, first seen on `row`; when it is already there, returns its first row instead.
  std::optional<std::size_t> insert(std::string_view id, std::size_t row) {
    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    const auto hash = static_cast<std::uint32_t>(std::hash<std::string_view>{}(id));
    const std::size_t mask = slots_.size() - 1;
    std::size_t slot = hash & mask;
    for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
      const Entry& e = entries_[slots_[slot] - 1];
      if (e.hash == hash && std::string_view(bytes_).substr(e.offset, e.length) == id) {
        return e.row;
      }
    }
    entries_.push_back(Entry{bytes_.size(), static_cast<std::uint32_t>(id.size()), hash, row});
    bytes_.append(id);
    slots_[slot] = static_cast<std::uint32_t>(entries_.size());
    return std::nullopt;
  }

 private:
  struct Entry {
    std::size_t offset;
    std::uint32_t length;
    std::uint32_t hash;
    std::size_t row;
  };

  void grow() {
    slots_.assign(slots_.empty() ? 64 : 2 * slots_.size(), 0);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      std::size_t slot = entries_[i].hash & mask;
      while (slots_[slot] != 0) slot = (slot + 1) & mask;
      slots_[slot] = static_cast<std::uint32_t>(i + 1);
    }
  }

  std::string bytes_;
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;  // 0 = empty, else an index into entries_ plus 1
};

}  // namespace cvc::detail
