// Repeated respondent ids: IdIndex and IdRows (core/src/id_rows.hpp), insert() and find(),
// against a std::map that remembers each id's first number, over ids in order, out of order, with
// blanks and repeats, and through the table's growth. The expected answers come from the map (the
// plain reading of "the first row with this id"), not from the code under test.
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/value_model.hpp"
#include "id_rows.hpp"

namespace {

using cvc::detail::IdIndex;
using cvc::detail::IdRows;

// Runs `ids` through an IdIndex (numbers = positions, blanks skipped, as Responses::check_ids
// does) and an IdRows, and compares each answer with the map's, up to the first repeat.
void check_against_map(const std::vector<std::string>& ids, std::size_t expected) {
  IdIndex index(expected);
  IdRows rows;
  std::map<std::string, std::size_t> first;
  const auto id_of = [&](std::uint32_t k) { return std::string_view(ids[k]); };
  for (std::size_t r = 0; r < ids.size(); ++r) {
    const std::string& id = ids[r];
    if (id.empty()) {
      index.skip();
      continue;
    }
    const auto known = first.find(id);
    // find() (StagePart's look-up across parts) answers as insert() would, and adds nothing:
    // by binary search while the ids are in order, by the table after.
    const auto found = index.find(id, id_of);
    const auto found_row = rows.find(id);
    REQUIRE(found.has_value() == (known != first.end()));
    REQUIRE(found_row.has_value() == (known != first.end()));
    if (found) {
      CHECK(*found == known->second);
      CHECK(*found_row == 1000 + known->second);
    }
    CHECK_FALSE(index.find(id + "~", id_of));  // never added
    CHECK_FALSE(rows.find(id + "~"));
    const auto from_rows = rows.insert(id, 1000 + r);  // rows numbered from 1000
    if (known == first.end()) {
      first.emplace(id, r);
      REQUIRE_FALSE(from_rows);
      REQUIRE_FALSE(index.insert(id, static_cast<std::uint32_t>(r), id_of));
    } else {
      REQUIRE(from_rows);
      CHECK(*from_rows == 1000 + known->second);
      const auto from_index = index.insert(id, static_cast<std::uint32_t>(r), id_of);
      REQUIRE(from_index);
      CHECK(*from_index == known->second);
      return;  // check_ids stops at the first repeat
    }
  }
}

std::vector<std::string> serial(std::size_t n, bool padded) {
  std::vector<std::string> ids;
  for (std::size_t i = 1; i <= n; ++i) {
    std::string digits = std::to_string(i);
    ids.push_back(padded ? "R" + std::string(7 - digits.size(), '0') + digits : digits);
  }
  return ids;
}

}  // namespace

TEST_CASE("Ids: serial ids, padded or not, have no repeats", "[ids]") {
  for (const bool padded : {true, false}) {
    const auto ids = serial(5000, padded);
    check_against_map(ids, 0);
    check_against_map(ids, ids.size());
  }
}

TEST_CASE("Ids: a repeat of the id just before, or of any id of the ordered run", "[ids]") {
  auto ids = serial(3000, false);
  for (const std::size_t at : {std::size_t{1}, std::size_t{17}, std::size_t{2999}}) {
    auto copy = ids;
    copy.insert(copy.begin() + static_cast<std::ptrdiff_t>(at), copy[at - 1]);  // just before
    check_against_map(copy, 0);
    copy = ids;
    copy.push_back(ids[at]);  // far back in the run, found once the run is in the table
    check_against_map(copy, copy.size());
    check_against_map(copy, 0);
  }
}

TEST_CASE("Ids: out of order, with blanks and repeats, through the table's growth", "[ids]") {
  std::mt19937 random(20261123);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 1 + random() % 20000;
    auto ids = serial(n, trial % 2 == 0);
    const std::size_t ordered = random() % (n + 1);  // an ordered run, then shuffled
    std::shuffle(ids.begin() + static_cast<std::ptrdiff_t>(ordered), ids.end(), random);
    for (int blanks = static_cast<int>(random() % 4); blanks > 0; --blanks) {
      ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(random() % (ids.size() + 1)), "");
    }
    if (trial % 3 != 0) {  // a repeat of an earlier id, somewhere after it
      const std::size_t from = random() % ids.size();
      const std::size_t to = from + 1 + random() % (ids.size() - from);
      if (!ids[from].empty()) ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(to), ids[from]);
    }
    check_against_map(ids, trial % 2 == 0 ? 0 : ids.size());
  }
}

TEST_CASE("Ids: ids of the same length in reverse order, and equal prefixes", "[ids]") {
  std::vector<std::string> ids{"b", "a", "ab", "aa", "ba", "abc", "a", "zz"};
  check_against_map(ids, 0);  // "a" repeats row 2 (number 1)
  ids = {"10", "9", "100", "99", "1", "09", "9"};
  check_against_map(ids, ids.size());  // "09" is not "9"; the second "9" repeats number 1
}

TEST_CASE("Ids: Responses::check_ids names the first repeat among shuffled ids, in batches",
          "[ids]") {
  std::mt19937 random(7);
  for (const std::size_t n : {std::size_t{5}, std::size_t{37}, std::size_t{5000}}) {
    auto ids = serial(n, true);
    std::shuffle(ids.begin(), ids.end(), random);
    for (int trial = 0; trial < 20; ++trial) {
      auto copy = ids;
      const std::size_t from = random() % (n - 1);
      const std::size_t to = from + 1 + random() % (n - 1 - from);
      copy[to] = copy[from];  // row `to` repeats row `from` (rows numbered from 1)
      if (trial % 4 == 0 && from > 0) copy[random() % from] = "";  // a blank id before
      cvc::ResponseInput in;
      in.rows = n;
      in.ids = &copy;
      const cvc::Model model;  // no items, no segments: only the ids are checked
      auto result = cvc::Responses::from_input(model, in);
      REQUIRE_FALSE(result.ok());
      CAPTURE(n, from, to);
      CHECK(result.error().message == "Row " + std::to_string(to + 1) + ": the respondent id \"" +
                                          copy[to] + "\" is also the id of row " +
                                          std::to_string(from + 1) + ".");
    }
    auto unique = ids;
    cvc::ResponseInput in;
    in.rows = n;
    in.ids = &unique;
    CHECK(cvc::Responses::from_input(cvc::Model{}, in).ok());
  }
}
