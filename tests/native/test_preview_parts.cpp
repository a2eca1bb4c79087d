// A large file previewed in two parts at once (PreviewPart: the page's import, a worker per
// core): the parts, split after any line break and appended in file order (the second through
// to_bytes() and from_bytes(), as it travels between workers), must give exactly the preview
// of the whole file in one pass. A split inside a quoted field must be refused, never merged.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "cvc/byte_source.hpp"
#include "cvc/json_io.hpp"
#include "cvc/survey_import.hpp"
#include "part_source.hpp"

namespace {

using cvc_test::PartSource;

cvc::Model every_scale_model() {
  cvc::Model model;
  for (const auto type : {cvc::ScaleType::likert_1_5, cvc::ScaleType::rating_0_10}) {
    cvc::Item item;
    item.id = "item-" + std::to_string(static_cast<int>(type));
    item.label = "Item " + std::to_string(static_cast<int>(type));
    item.scale.type = type;
    model.items.push_back(item);
  }
  return model;
}

// A random survey-like file: some columns of one- and two-digit answers, a segment-like
// column, small numbers with rare texts among them, text with the delimiter or a line break inside
// quotes, numbers read differently with a decimal comma, blank lines, CRLF or LF, and sometimes a
// byte-order mark.
std::string random_file(std::mt19937& rng) {
  const std::vector<std::string> pool{
      "0",   "-0",   "-0,0", "-0.0", "0,0", "7",   " 3 ",      "10",      "4,5",       "4.5",
      "1,5", "12.5", "abc",  "",     "  ",  "99",  "1e3",      "SMB",     "-1",        "07",
      "00",  "05",   "42",   " 7",   "Ent", "new", "\"a\nb\"", "\"x,y\"", "\"q\"\"\"", "1.234,5"};
  const char delimiter = rng() % 3 == 0 ? ';' : ',';
  const std::string eol = rng() % 4 == 0 ? "\r\n" : "\n";
  const std::size_t columns = 3 + rng() % 4;
  std::string csv = rng() % 5 == 0 ? "\xEF\xBB\xBF" : "";
  for (std::size_t c = 0; c < columns; ++c) {
    csv += (c ? std::string(1, delimiter) : "") + (c == 2 ? "nps" : "q" + std::to_string(c));
  }
  csv += eol;
  const std::size_t rows = 1 + rng() % 400;
  const bool many_values = rng() % 3 == 0;  // column 1 past the cap on distinct values
  for (std::size_t r = 0; r < rows; ++r) {
    if (rng() % 40 == 0) csv += eol;  // a blank line
    for (std::size_t c = 0; c < columns; ++c) {
      std::string v;
      if (c == 1 && many_values) {
        v = "v" + std::to_string(rng() % 80);
      } else if (c == 3) {  // small numbers, first seen all through the file, and rare texts
        v = rng() % 30 == 0 ? "r" + std::to_string(rng() % 20) : std::to_string(rng() % 100);
      } else if (c == 2) {
        v = std::to_string(rng() % 11);
      } else {
        v = pool[rng() % pool.size()];
        if (delimiter == ';' && v == "\"x,y\"") v = "\"x;y\"";
      }
      csv += (c ? std::string(1, delimiter) : "") + v;
    }
    if (rng() % 60 != 0)
      csv += eol;  // a ragged last row without a line break, sometimes
    else if (r + 1 < rows)
      csv += eol;
  }
  return csv;
}

}  // namespace

TEST_CASE("Preview in two parts: appended, they give the whole file's preview", "[import]") {
  const cvc::Model model = every_scale_model();
  std::mt19937 rng(2026);
  std::size_t merged = 0;
  std::size_t refused = 0;
  for (int file = 0; file < 300; ++file) {
    const std::string csv = random_file(rng);
    const auto whole = cvc::preview_survey_csv(csv, model);
    // Split after a line break chosen at random (the worker splits after the first one past
    // the middle), inside quotes or not.
    std::vector<std::size_t> breaks;
    for (std::size_t i = 0; i < csv.size(); ++i) {
      if (csv[i] == '\n') breaks.push_back(i + 1);
    }
    if (breaks.size() < 3) continue;
    const std::size_t split = breaks[1 + rng() % (breaks.size() - 2)];
    CAPTURE(file, split, csv);
    auto first = cvc::PreviewPart::read(PartSource(csv, 0, split, file), true);
    auto second = cvc::PreviewPart::read(PartSource(csv, split, csv.size(), file + 1), false);
    if (!first.ok() || !second.ok() || !first.value().ends_on_record_boundary()) {
      // Not mergeable: the import previews the whole file in one pass instead. A split that
      // was not inside quotes must never get here unless the whole file fails too.
      ++refused;
      continue;
    }
    const std::string bytes = second.value().to_bytes();
    auto carried = cvc::PreviewPart::from_bytes(bytes);
    REQUIRE(carried.ok());
    CHECK(carried.value().to_bytes() == bytes);
    cvc::PreviewPart parts = std::move(first).value();
    REQUIRE(parts.append(std::move(carried).value()).ok());
    const auto got = parts.preview(model);
    REQUIRE(got.ok() == whole.ok());
    if (!whole.ok()) {
      CHECK(got.error().message == whole.error().message);
      continue;
    }
    // The page reads the preview as this JSON; dump() tells -0 from 0.
    CHECK(cvc::preview_to_json(got.value()).dump() == cvc::preview_to_json(whole.value()).dump());
    // And the profiles as the proposals read them: the distinct values themselves (the JSON
    // has only their count), in order.
    const auto& want = whole.value();
    REQUIRE(got.value().profiles.size() == want.profiles.size());
    for (std::size_t c = 0; c < want.profiles.size(); ++c) {
      CAPTURE(c);
      CHECK(got.value().profiles[c].distinct == want.profiles[c].distinct);
      CHECK(got.value().profiles[c].examples == want.profiles[c].examples);
    }
    ++merged;
  }
  CHECK(merged > 150);  // most splits are between records
  CHECK(refused > 0);   // and some inside quoted line breaks
}

TEST_CASE("Preview in two parts: damaged or truncated bytes are refused", "[import]") {
  std::mt19937 rng(7);
  const std::string csv = random_file(rng) + "\n1,2,3\n4,5,6\n";
  const auto part = cvc::PreviewPart::read(PartSource(csv, 0, csv.size(), 1), true);
  REQUIRE(part.ok());
  const std::string bytes = part.value().to_bytes();
  for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 7) {
    CAPTURE(n);
    CHECK_FALSE(cvc::PreviewPart::from_bytes(bytes.substr(0, n)).ok());
  }
  CHECK_FALSE(cvc::PreviewPart::from_bytes(bytes + "x").ok());
  std::string flipped = bytes;
  flipped[5] ^= 0x40;  // the format's name
  CHECK_FALSE(cvc::PreviewPart::from_bytes(flipped).ok());
}
