// The survey import's shortcuts against the general paths they stand in for: they must give
// exactly the same values and profiles (the CSV reader's own fast paths: test_csv.cpp).
//  - the inline reading of one- and two-digit cells against parse_number;
//  - ScoreBounds against check_score, which it may never be more lenient than, and
//    Responses::from_input (which takes what ScoreBounds accepts without asking check_score)
//    against check_score and check_metric, answer by answer and message by message, and
//    Responses::from_parts (the same shortcut) against them on every byte a rating can hold;
//  - the preview's one-pass profiles against profiling each cell with the decided separator;
//  - the import storing each checked row as it comes (Responses::append_checked_row) against
//    gathering the rows and storing them through Responses::from_input, which checks them again.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cvc/byte_source.hpp"
#include "cvc/csv.hpp"
#include "cvc/response_blocks.hpp"
#include "cvc/responses.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/value_model.hpp"
#include "same_double.hpp"
#include "survey_rows.hpp"
#include "table_text.hpp"

using cvc::test::bits_of;
using cvc::test::check_same;

TEST_CASE("Numbers: one- and two-digit cells read inline as parse_number reads them", "[numbers]") {
  const std::string alphabet = "09 .,-+e5";
  std::vector<std::string> texts{""};
  for (int length = 1; length <= 3; ++length) {
    std::vector<std::string> longer;
    for (const auto& t : texts) {
      if (t.size() + 1 != static_cast<std::size_t>(length)) continue;
      for (const char c : alphabet) longer.push_back(t + c);
    }
    texts.insert(texts.end(), longer.begin(), longer.end());
  }
  for (const auto& text : texts) {
    for (const bool decimal_comma : {false, true}) {
      check_same(cvc::detail::read_number(text, decimal_comma),
                 cvc::parse_number(text, decimal_comma), text);
    }
    const int small = cvc::detail::small_whole_number(text);
    if (small >= 0) CHECK(cvc::parse_number(text) == small);
  }
}

namespace {

// The limits of every scale and values around them, infinities and the smallest denormal
// (NaN is a blank answer to from_input, so the tests add it where it is a value).
const std::vector<double> kEdgeValues{
    -1,  -0.0, 0,     0.5, 1,    2,        4.5,   5,      5.0000000001, 6,        7,
    7.5, 10,   10.01, 11,  1e12, 1e12 + 1, 1e300, 5e-324, INFINITY,     -INFINITY};

// A model with an item on every scale type and CSAT asked on `csat_scale`.
cvc::Model model_with_every_scale(cvc::ScaleType csat_scale) {
  cvc::Model model;
  model.satisfaction.csat_scale = csat_scale;
  for (const auto type :
       {cvc::ScaleType::likert_1_5, cvc::ScaleType::likert_1_7, cvc::ScaleType::likert_1_10,
        cvc::ScaleType::rating_0_10, cvc::ScaleType::currency}) {
    cvc::Item item;
    item.id = "item-" + std::to_string(static_cast<int>(type));
    item.label = "x";
    item.scale.type = type;
    model.items.push_back(item);
  }
  return model;
}

}  // namespace

TEST_CASE("Import: ScoreBounds accepts exactly what check_score accepts", "[import]") {
  for (const auto type :
       {cvc::ScaleType::likert_1_5, cvc::ScaleType::likert_1_7, cvc::ScaleType::likert_1_10,
        cvc::ScaleType::rating_0_10, cvc::ScaleType::currency}) {
    cvc::Item item;
    item.label = "x";
    item.scale.type = type;
    const cvc::detail::ScoreBounds bounds(item.scale);
    CHECK(bounds.accepts(NAN) == cvc::check_score(NAN, item, "", true).ok());
    for (const double x : kEdgeValues) {
      CAPTURE(static_cast<int>(type), x);
      CHECK(bounds.accepts(x) == cvc::check_score(x, item, "", true).ok());
    }
    for (int n = -2; n <= 20; ++n) {
      CAPTURE(static_cast<int>(type), n);
      CHECK(bounds.accepts_whole(n) == cvc::check_score(n, item, "", true).ok());
    }
  }
}

TEST_CASE("Responses::from_input accepts and refuses each answer as check_score decides",
          "[import]") {
  for (const auto csat_scale :
       {cvc::ScaleType::likert_1_5, cvc::ScaleType::likert_1_7, cvc::ScaleType::likert_1_10}) {
    const cvc::Model model = model_with_every_scale(csat_scale);
    const std::size_t items = model.items.size();
    for (const double x : kEdgeValues) {
      // One row per item: x for that item, NaN (blank) elsewhere; then NPS, CSAT, CES alike.
      for (std::size_t j = 0; j < items + cvc::kMetricCount; ++j) {
        CAPTURE(static_cast<int>(csat_scale), x, j);
        cvc::ResponseBuffers row;
        row.answers.assign(items, NAN);
        row.metrics.assign(cvc::kMetricCount, NAN);
        row.has_ids = false;
        (j < items ? row.answers[j] : row.metrics[j - items]) = x;
        cvc::ResponseInput in = row.input(1);
        in.first_row_number = 7;
        const auto stored = cvc::Responses::from_input(model, in);
        const auto metric = static_cast<cvc::Metric>(j - items);
        const cvc::Status expected =
            j < items
                ? cvc::check_score(x, model.items[j], "row 7, item " + model.items[j].id, true)
                : cvc::check_metric(model, metric, x,
                                    "row 7, " + std::string(cvc::to_string(metric)));
        REQUIRE(stored.ok() == expected.ok());
        if (!expected.ok()) {
          CHECK(stored.error().field == expected.error().field);
          CHECK(stored.error().message == expected.error().message);
        } else if (j < items) {
          CHECK(stored.value().column(j).value(0) == x);
        } else {
          CHECK(stored.value().metric(metric, 0) == x);
        }
      }
    }
  }
}

TEST_CASE("Responses::from_parts accepts and refuses each stored answer as check_score decides",
          "[import]") {
  for (const auto csat_scale :
       {cvc::ScaleType::likert_1_5, cvc::ScaleType::likert_1_7, cvc::ScaleType::likert_1_10}) {
    const cvc::Model model = model_with_every_scale(csat_scale);
    const std::size_t items = model.items.size();
    cvc::Responses::PartsLayout layout;
    layout.rows = 1;
    layout.metrics = true;
    // One respondent: one answer given (part `given`), every other part missing.
    for (std::size_t given = 0; given < items + cvc::kMetricCount; ++given) {
      const bool amount = given < items && !model.items[given].scale.is_rating();
      std::vector<double> candidates = kEdgeValues;
      if (!amount) {  // a rating or metric part holds a byte; 255 is a missing answer
        candidates.clear();
        for (int byte = 0; byte < 255; ++byte) candidates.push_back(byte);
      }
      for (const double x : candidates) {
        CAPTURE(static_cast<int>(csat_scale), given, x);
        const auto fill = [&](std::size_t index, void* dest, std::size_t bytes) {
          const bool is_amount = index < items && !model.items[index].scale.is_rating();
          if (bytes != (is_amount ? sizeof(double) : 1)) return false;
          if (is_amount) {
            const double value = index == given ? x : NAN;
            std::memcpy(dest, &value, sizeof value);
          } else {
            *static_cast<std::uint8_t*>(dest) =
                index == given ? static_cast<std::uint8_t>(x) : cvc::ScoreColumn::kMissingRating;
          }
          return true;
        };
        const auto stored = cvc::Responses::from_parts(model, layout, fill);
        const auto metric = static_cast<cvc::Metric>(given - items);
        const bool valid = given < items ? cvc::check_score(x, model.items[given], "", true).ok()
                                         : cvc::check_metric(model, metric, x, "").ok();
        REQUIRE(stored.ok() == valid);
        if (!valid) {
          const std::string what = given < items ? "item \"" + model.items[given].id + "\""
                                                 : std::string(cvc::metric_label(metric));
          CHECK(stored.error().message ==
                "The survey data is damaged: " + what + " of respondent 1 is not a valid answer.");
        }
      }
    }
  }
}

TEST_CASE("Responses::from_parts checks long columns 16 bytes at a time as it checks one byte",
          "[import]") {
  // The rating and metric columns are checked as a run of bytes (ByteRun in
  // responses_input.cpp), which the compiler vectorises: a column long enough for the vector
  // loop and its remainder, with one stored byte placed at its start, in a vector, at a vector's
  // edges and in the remainder, must be accepted or refused as check_score or check_metric
  // decide for that byte alone (and the row named), and rows with a missing rating incomplete.
  const cvc::Model model = model_with_every_scale(cvc::ScaleType::likert_1_7);
  const std::size_t items = model.items.size();
  constexpr std::size_t kRows = 83;  // 5 vectors of 16 and 3 bytes more
  cvc::Responses::PartsLayout layout;
  layout.rows = kRows;
  layout.metrics = true;
  const auto fine = [&](std::size_t index) -> std::uint8_t {  // a valid answer of each column
    if (index < items) return static_cast<std::uint8_t>(model.items[index].scale.low());
    return 5;  // valid for NPS (0-10), CSAT (1-7) and CES (1-7)
  };
  for (std::size_t given = 0; given < items + cvc::kMetricCount; ++given) {
    if (given < items && !model.items[given].scale.is_rating()) continue;
    for (const std::size_t row : {0, 1, 15, 16, 17, 31, 47, 63, 79, 80, 82}) {
      for (int byte = 0; byte < 256; ++byte) {
        CAPTURE(given, row, byte);
        const auto fill = [&](std::size_t index, void* dest, std::size_t bytes) {
          const bool is_amount = index < items && !model.items[index].scale.is_rating();
          if (is_amount) {
            const std::vector<double> amounts(kRows, 10.0);
            if (bytes != sizeof(double) * kRows) return false;
            std::memcpy(dest, amounts.data(), bytes);
            return true;
          }
          if (bytes != kRows) return false;
          auto* column = static_cast<std::uint8_t*>(dest);
          std::fill(column, column + kRows, fine(index));
          if (index == given) column[row] = static_cast<std::uint8_t>(byte);
          return true;
        };
        const auto stored = cvc::Responses::from_parts(model, layout, fill);
        const auto metric = static_cast<cvc::Metric>(given - items);
        const bool valid =
            byte == cvc::ScoreColumn::kMissingRating ||
            (given < items ? cvc::check_score(byte, model.items[given], "", true).ok()
                           : cvc::check_metric(model, metric, byte, "").ok());
        REQUIRE(stored.ok() == valid);
        if (!valid) {
          const std::string what = given < items ? "item \"" + model.items[given].id + "\""
                                                 : std::string(cvc::metric_label(metric));
          CHECK(stored.error().message == "The survey data is damaged: " + what +
                                              " of respondent " + std::to_string(row + 1) +
                                              " is not a valid answer.");
        } else if (given < items) {  // a missing rating makes its row incomplete, and only it
          const bool missing = byte == cvc::ScoreColumn::kMissingRating;
          for (std::size_t r = 0; r < kRows; ++r) {
            CHECK(stored.value().complete(r) == !(missing && r == row));
          }
        }
      }
    }
  }
}

namespace {

// The profile of one column by the definition: every cell read with the decided separator, in
// row order (what preview_table did in two passes before it profiled in one).
cvc::ColumnProfile profile_by_definition(const std::vector<std::string>& cells,
                                         bool decimal_comma) {
  cvc::ColumnProfile p;
  for (const auto& value : cells) {
    if (cvc::detail::is_blank(value)) {
      ++p.blank;
      continue;
    }
    if (p.examples.size() < cvc::detail::kExamples) p.examples.push_back(cvc::detail::clip(value));
    const std::string v = cvc::detail::trim(value);
    if (p.distinct.size() <= cvc::kMaxSegmentValues &&
        std::find(p.distinct.begin(), p.distinct.end(), v) == p.distinct.end()) {
      p.distinct.push_back(v);
    }
    if (const auto number = cvc::parse_number(value, decimal_comma)) {
      p.min = p.numeric == 0 ? *number : std::min(p.min, *number);
      p.max = p.numeric == 0 ? *number : std::max(p.max, *number);
      ++p.numeric;
      p.whole_numbers = p.whole_numbers && *number == std::floor(*number);
    } else {
      ++p.text;
    }
  }
  return p;
}

}  // namespace

TEST_CASE("Preview: one-pass profiles equal profiles made with the decided separator", "[import]") {
  // Cells that read the same either way, differently with a point and a comma, or only one
  // way; zeros of both signs in both orders (std::min keeps the first of 0 and -0); more than
  // 51 distinct values in some columns.
  // One- and two-digit cells (counted apart by the preview) with and without a leading zero,
  // and every such text mixed with others in some columns, past the cap on distinct values.
  const std::vector<std::string> pool{"0",  "-0",  "-0,0", "-0.0",    "0,0",     "7",    " 3 ",
                                      "10", "4,5", "4.5",  "1.234,5", "1,234.5", "12.5", "abc",
                                      "",   "  ",  "99",   "1e3",     "SMB",     "-1",   "07",
                                      "00", "5",   "05",   "42",      " 7"};
  const auto small_text = [&](std::mt19937& random) {
    const auto n = static_cast<unsigned>(random() % 100);
    return random() % 2 ? std::to_string(n) : (n < 10 ? "0" : "") + std::to_string(n);
  };
  std::mt19937 rng(42);
  for (int file = 0; file < 200; ++file) {
    const char delimiter = file % 2 == 0 ? ';' : ',';
    const std::size_t columns = 2 + rng() % 3;  // the delimiter detected from the header
    const bool many_small = file % 3 == 0;      // column 2 mostly one- and two-digit texts
    const std::size_t rows = 1 + rng() % (many_small ? 300 : 80);
    std::vector<std::vector<std::string>> cells(columns);
    std::string csv;
    for (std::size_t c = 0; c < columns; ++c) {
      csv += (c ? std::string(1, delimiter) : "") + "c" + std::to_string(c);
    }
    csv += "\n";
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        std::string v = c == 3                              ? "id" + std::to_string(r)
                        : c == 2 && many_small && rng() % 4 ? small_text(rng)
                                                            : pool[rng() % pool.size()];
        cells[c].push_back(v);
        const bool quote = v.find_first_of(",;") != std::string::npos;
        csv += (c ? std::string(1, delimiter) : "") + (quote ? "\"" + v + "\"" : v);
      }
      csv += "\n";
    }
    const auto preview = cvc::preview_table(csv);
    REQUIRE(preview.ok());
    const auto& p = preview.value();
    // The decimal comma, by its rule: some cell reads as a number only with a comma (and the
    // delimiter is not one), none only with a point.
    bool only_comma = false;
    bool only_point = false;
    for (const auto& column : cells) {
      for (const auto& v : column) {
        const bool point = cvc::parse_number(v, false).has_value();
        const bool comma = cvc::parse_number(v, true).has_value();
        only_comma = only_comma || (delimiter != ',' && comma && !point);
        only_point = only_point || (point && !comma);
      }
    }
    CHECK(p.decimal_comma == (only_comma && !only_point));
    for (std::size_t c = 0; c < columns; ++c) {
      CAPTURE(file, c, csv);
      const cvc::ColumnProfile want = profile_by_definition(cells[c], p.decimal_comma);
      const cvc::ColumnProfile& got = p.profiles[c];
      CHECK(got.numeric == want.numeric);
      CHECK(got.blank == want.blank);
      CHECK(got.text == want.text);
      CHECK(bits_of(got.min) == bits_of(want.min));
      CHECK(bits_of(got.max) == bits_of(want.max));
      CHECK(got.whole_numbers == want.whole_numbers);
      CHECK(got.distinct == want.distinct);
      CHECK(got.examples == want.examples);
    }
  }
}

namespace {

// The bytes of every part of `responses` (Responses::parts(): columns, metrics, segments, ids).
std::vector<std::string> part_bytes(const cvc::Responses& responses) {
  std::vector<std::string> out;
  for (const auto& part : responses.parts()) {
    out.emplace_back(static_cast<const char*>(part.data), part.bytes);
  }
  return out;
}

}  // namespace

TEST_CASE("Import: rows stored as checked equal rows checked again by from_input", "[import]") {
  // The import stores each row its checker passes as it comes, without from_input()'s second
  // check. Over random files with values at and past every scale's limits, blanks, amounts,
  // metrics, segments old and new (some first seen late, some naming a segment by id, a second
  // segment of a group), ids repeated, blank or with control characters: the rows gathered and
  // stored through from_input() (the import's way before) must pass its checks and come out
  // byte for byte the same, and the stored rows must pass from_parts()' checks too.
  std::vector<std::string> values;
  for (const double x : kEdgeValues) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", x);
    if (std::isfinite(x)) values.emplace_back(text);
  }
  for (const char* text : {"", " ", "abc", "3", " 4 ", "07", "1e1", "-0", "2.0"}) {
    values.emplace_back(text);
  }
  const std::vector<std::string> segment_values{"",    "SMB",     "smb",   "Enterprise", "ent",
                                                "New", "new-ish", " New ", "x\x01",      "Later"};
  std::mt19937 rng(7);
  for (int file = 0; file < 150; ++file) {
    cvc::Model model = model_with_every_scale(cvc::ScaleType::likert_1_7);
    model.items.back().scale.reference_amount = 500;  // currency
    for (const auto& [id, label, group] : std::vector<std::array<const char*, 3>>{
             {"smb", "SMB", "size"}, {"ent", "Enterprise", "size"}, {"vip", "VIP", ""}}) {
      cvc::Segment segment;
      segment.id = id;
      segment.label = label;
      segment.group = group;
      model.segments.push_back(segment);
    }
    const bool metrics = file % 3 != 0;
    const std::size_t rows = 1 + rng() % (file % 10 == 0 ? 3000 : 120);
    std::string csv = "id,a,b,c,d,e,plan,tier,nps,csat,ces\n";
    for (std::size_t r = 0; r < rows; ++r) {
      const auto id = rng() % 20;
      csv += id == 0 ? "" : id == 1 ? "r\x02" : "r" + std::to_string(rng() % (rows + rows / 8 + 1));
      for (int c = 0; c < 5; ++c) {
        csv += "," + (rng() % 6 ? std::to_string(1 + rng() % 5) : values[rng() % values.size()]);
      }
      for (int c = 0; c < 2; ++c) {
        std::string v = segment_values[rng() % (segment_values.size() - 1)];
        if (r > rows / 2 && rng() % 50 == 0) v = "Later";  // a new segment first seen late
        csv += "," + v;
      }
      for (int c = 0; c < 3; ++c) {
        csv += "," + (rng() % 2 ? std::to_string(rng() % 12) : values[rng() % values.size()]);
      }
      csv += "\n";
    }
    std::vector<cvc::ColumnMapping> mapping;
    const auto map = [&](std::size_t column, cvc::ColumnRole role, std::string item = "",
                         std::string group = "") {
      cvc::ColumnMapping m;
      m.column = column;
      m.role = role;
      m.item_id = std::move(item);
      m.group = std::move(group);
      mapping.push_back(m);
    };
    map(0, cvc::ColumnRole::respondent_id);
    for (std::size_t j = 0; j < 5; ++j) map(1 + j, cvc::ColumnRole::item, model.items[j].id);
    map(6, cvc::ColumnRole::segment, "", "size");
    map(7, cvc::ColumnRole::segment, "", file % 2 ? "size" : "tier");
    if (metrics) {
      map(8, cvc::ColumnRole::nps);
      map(9, cvc::ColumnRole::csat);
      map(10, cvc::ColumnRole::ces);
    }
    CAPTURE(file, csv);

    auto staged = cvc::stage_survey_import(csv, model, mapping, ',', false);
    INFO((staged.ok() ? "" : staged.error().message));
    REQUIRE(staged.ok());
    const cvc::Responses& stored = staged.value().responses;
    CHECK(stored.rows() == staged.value().rows_valid);

    // The import's way before: blocks checked again by from_input(), appended, then reordered.
    cvc::Responses gathered;
    cvc::ResponseBlocks blocks(
        [&](const cvc::Model&) { gathered = cvc::Responses(); },
        [&](const cvc::Responses& block, std::size_t) { gathered.append(block); },
        [&](const cvc::Model&, const std::vector<std::size_t>& order) {
          gathered.order_segments(order);
        });
    auto streamed =
        cvc::stage_survey_rows(cvc::MemorySource(csv), model, mapping, ',', false, nullptr, blocks);
    REQUIRE(streamed.ok());
    REQUIRE(blocks.status().ok());
    if (gathered.rows() == 0) {
      gathered = cvc::Responses::from_input(streamed.value().model, cvc::ResponseInput{}).value();
    }
    CHECK(streamed.value().rows_valid == staged.value().rows_valid);
    CHECK(part_bytes(stored) == part_bytes(gathered));
    CHECK(stored.segment_count() == staged.value().model.segments.size());

    const auto layout = stored.layout();
    const auto parts = stored.parts();
    auto again = cvc::Responses::from_parts(staged.value().model, layout,
                                            [&](std::size_t i, void* dest, std::size_t bytes) {
                                              if (i >= parts.size() || parts[i].bytes != bytes)
                                                return false;
                                              if (bytes != 0)
                                                std::memcpy(dest, parts[i].data, bytes);
                                              return true;
                                            });
    CHECK(again.ok());
  }
}
