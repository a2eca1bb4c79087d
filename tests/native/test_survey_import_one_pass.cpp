// The survey import reads the file once: segment columns' values are numbered as first seen
// during the pass and put in their final order (sorted by value) at the end. These cases check
// that the result is the one the import has always given: the expected segments, ids,
// memberships and problems below are hand-computed from the rules in stage_survey_rows()
// (values sorted per column; each value the last segment it names by label or id, compared
// after normalise_header(); else a new segment with id unique_id(slug(value))).
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cvc/byte_source.hpp"
#include "cvc/response_blocks.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/survey_stats.hpp"
#include "survey_fixture.hpp"

using cvc::ColumnRole;

namespace {

// Segments: smb "SMB" (size), ent "Enterprise" (size), empty "Nobody" (other).
cvc::Model small_model() {
  return cvc::test::load_survey_fixture("tests/fixtures/small-survey.json").model;
}

cvc::ColumnMapping column(std::size_t c, ColumnRole role, const std::string& group = "") {
  cvc::ColumnMapping m;
  m.column = c;
  m.role = role;
  m.group = group;
  return m;
}

// "id,<segment columns...>,nps": the id, each segment column with its group, NPS last.
std::vector<cvc::ColumnMapping> id_segments_nps(const std::vector<std::string>& groups) {
  std::vector<cvc::ColumnMapping> mapping{column(0, ColumnRole::respondent_id)};
  for (std::size_t k = 0; k < groups.size(); ++k) {
    mapping.push_back(column(k + 1, ColumnRole::segment, groups[k]));
  }
  mapping.push_back(column(groups.size() + 1, ColumnRole::nps));
  return mapping;
}

cvc::StagedImport stage(const std::string& csv, const std::vector<cvc::ColumnMapping>& mapping,
                        const cvc::Model& model = small_model()) {
  auto staged = cvc::stage_survey_import(csv, model, mapping, ',', false);
  REQUIRE(staged.ok());
  return std::move(staged).value();
}

std::vector<std::string> labels_from(const cvc::Model& model, std::size_t first) {
  std::vector<std::string> out;
  for (std::size_t s = first; s < model.segments.size(); ++s)
    out.push_back(model.segments[s].label);
  return out;
}

// Per valid row, the segments it is in (indices into the final model).
std::vector<std::vector<std::size_t>> members(const cvc::Responses& responses) {
  std::vector<std::vector<std::size_t>> out(responses.rows());
  for (std::size_t r = 0; r < responses.rows(); ++r) {
    for (std::size_t s = 0; s < responses.segment_count(); ++s) {
      if (responses.in_segment(r, s)) out[r].push_back(s);
    }
  }
  return out;
}

using Rows = std::vector<std::vector<std::size_t>>;

}  // namespace

TEST_CASE("One-pass import: new segments are made in sorted order, whatever order they come in",
          "[import][one-pass]") {
  // First seen: Gold, Bronze, Silver. Sorted: Bronze (3), Gold (4), Silver (5).
  const std::string csv = "id,tier,nps\na,Gold,9\nb,Bronze,7\nc,Silver,8\nd,Gold,6\ne,,5\n";
  const auto staged = stage(csv, id_segments_nps({"tier"}));
  CHECK(staged.created_segments == std::vector<std::string>{"bronze", "gold", "silver"});
  CHECK(labels_from(staged.model, 3) == std::vector<std::string>{"Bronze", "Gold", "Silver"});
  for (std::size_t s = 3; s < 6; ++s) CHECK(staged.model.segments[s].group == "tier");
  CHECK(staged.rows_valid == 5);
  CHECK(members(staged.responses) == Rows{{4}, {3}, {5}, {4}, {}});
}

TEST_CASE("One-pass import: slug collisions get the ids of the sorted order",
          "[import][one-pass]") {
  // Sorted: "A B" < "A/B" < "a b" < "a.b". "A B" makes a-b; "A/B" (normalised "a/b") names
  // nothing, so a-b-2; "a b" is the label of "A B" once normalised, so that segment; "a.b"
  // makes a-b-3. First seen in the opposite order.
  const std::string csv = "id,g,nps\nr1,a.b,9\nr2,a b,8\nr3,A/B,7\nr4,A B,6\n";
  const auto staged = stage(csv, id_segments_nps({"g"}));
  CHECK(staged.created_segments == std::vector<std::string>{"a-b", "a-b-2", "a-b-3"});
  CHECK(labels_from(staged.model, 3) == std::vector<std::string>{"A B", "A/B", "a.b"});
  CHECK(members(staged.responses) == Rows{{5}, {3}, {4}, {3}});
}

TEST_CASE("One-pass import: a value naming a new segment by its id, as made at the end",
          "[import][one-pass]") {
  // Sorted: "Big Co!" < "big co". "Big Co!" makes big-co; "big co" is that id once normalised,
  // so the same segment: one segment, and a respondent giving both in one group is in it once
  // (no problem). First seen the other way round, in two columns of one group.
  const std::string csv = "id,p,q,nps\nr1,big co,,9\nr2,Big Co!,big co,8\nr3,,Big Co!,7\n";
  const auto staged = stage(csv, id_segments_nps({"plan", "plan"}));
  CHECK(staged.created_segments == std::vector<std::string>{"big-co"});
  CHECK(labels_from(staged.model, 3) == std::vector<std::string>{"Big Co!"});
  CHECK(staged.problem_count == 0);
  CHECK(members(staged.responses) == Rows{{3}, {3}, {3}});
}

TEST_CASE("One-pass import: values of existing segments, by label or id, and the group rule",
          "[import][one-pass]") {
  // Both columns fill "size": smb (0) and ent (1) by label or id; "New" makes a segment of
  // "size" (3). Row 4 gives SMB and Enterprise: two segments of "size". Row 5 gives ent and
  // New, first seen there: New is still made, and the row is refused.
  const std::string csv =
      "id,plan,tier,nps\na,smb,,9\nb,Enterprise,ent,8\nc,SMB,Enterprise,7\nd,ent,New,6\n"
      "e,,new,5\n";
  const auto staged = stage(csv, id_segments_nps({"size", "size"}));
  CHECK(staged.created_segments == std::vector<std::string>{"new"});
  REQUIRE(staged.model.segments.size() == 4);
  CHECK(staged.model.segments[3].label == "New");
  CHECK(staged.model.segments[3].group == "size");
  CHECK(staged.rows_total == 5);
  CHECK(staged.rows_valid == 3);
  REQUIRE(staged.problems.size() == 2);
  CHECK(staged.problems[0].row == 4);
  CHECK(staged.problems[0].column == 3);
  CHECK(staged.problems[0].value == "Enterprise");
  CHECK(staged.problems[0].reason ==
        "a second segment of group \"size\" (column 2 (plan) already gives one)");
  CHECK(staged.problems[1].row == 5);
  CHECK(staged.problems[1].value == "New");
  CHECK(staged.problems[1].reason == staged.problems[0].reason);
  CHECK(members(staged.responses) == Rows{{0}, {1}, {3}});
}

TEST_CASE("One-pass import: values first seen on rows with problems still make segments",
          "[import][one-pass]") {
  // Zeta is only on a ragged row, Alpha only on a row with a bad NPS, "bad\tname" is not a
  // plain name. Sorted and made: Alpha (3), Gold (4), Zeta (5). Only row 2 is valid.
  const std::string csv = "id,tier,nps\na,Gold,9\nb,Zeta,7,extra\nc,Alpha,x\nd,\"bad\tname\",8\n";
  const auto staged = stage(csv, id_segments_nps({"tier"}));
  CHECK(staged.created_segments == std::vector<std::string>{"alpha", "gold", "zeta"});
  CHECK(staged.rows_valid == 1);
  REQUIRE(staged.problems.size() == 3);
  CHECK(staged.problems[0].row == 3);
  CHECK(staged.problems[0].reason == "ragged row: 4 fields, but the header has 3");
  CHECK(staged.problems[1].row == 4);
  CHECK(staged.problems[1].reason == "not a number");
  CHECK(staged.problems[2].row == 5);
  CHECK(staged.problems[2].reason ==
        "the segment name contains a line break, tab or other control character");
  CHECK(members(staged.responses) == Rows{{4}});
}

TEST_CASE("One-pass import: a column with too many values stops the import", "[import][one-pass]") {
  // "tier" is fine; "many" has its 51st value on row 3002, past the first blocks of rows.
  std::string csv = "id,tier,many,nps\n";
  for (int i = 0; i < 3000; ++i)
    csv += "r" + std::to_string(i) + ",Gold,v" + std::to_string(i % 50) + ",9\n";
  csv += "x,Gold,v50,9\n";
  const auto mapping = id_segments_nps({"tier", "many"});
  auto staged = cvc::stage_survey_import(csv, small_model(), mapping, ',', false);
  REQUIRE_FALSE(staged.ok());
  CHECK(staged.error().field == "mapping, column 3");
  CHECK(staged.error().message ==
        "column 3 (many) has more than 50 different values; a segment column names a few groups "
        "of customers (map it as the respondent id or ignore it).");
}

TEST_CASE("One-pass import: a segment first seen after the first blocks", "[import][one-pass]") {
  // 5000 rows in B, then row 2601 (valid row 2600) in A: A is made first (3), B after (4). The
  // blocks handed on before A was seen have one segment less; the statistics and the responses
  // still come out in the final order.
  std::string csv = "id,tier,nps\n";
  for (int i = 0; i < 5000; ++i) {
    csv += "r" + std::to_string(i) + (i == 2600 ? ",A," : ",B,") + std::to_string(i % 11) + "\n";
  }
  const auto mapping = id_segments_nps({"tier"});
  const auto staged = stage(csv, mapping);
  CHECK(staged.created_segments == std::vector<std::string>{"a", "b"});
  REQUIRE(staged.responses.segment_count() == 5);
  for (std::size_t r : {std::size_t{0}, std::size_t{2599}, std::size_t{2600}, std::size_t{4999}}) {
    CHECK(staged.responses.in_segment(r, 3) == (r == 2600));
    CHECK(staged.responses.in_segment(r, 4) == (r != 2600));
  }

  // The command-line runner's way: statistics block by block, reordered at the end.
  std::optional<cvc::SurveyStatsBuilder> builder;
  cvc::ResponseBlocks blocks([&](const cvc::Model& target) { builder.emplace(target); },
                             [&](const cvc::Responses& block, std::size_t) {
                               cvc::for_each_block(
                                   block, [&](const cvc::SurveyBlock& b) { builder->add(b); });
                             },
                             [&](const cvc::Model&, const std::vector<std::size_t>& order) {
                               builder->order_segments(order);
                             });
  auto streamed = cvc::stage_survey_rows(cvc::MemorySource(csv), small_model(), mapping, ',', false,
                                         nullptr, blocks);
  REQUIRE(streamed.ok());
  REQUIRE(blocks.flush());
  const cvc::SurveyStats stats = builder->finish();
  REQUIRE(stats.segments.size() == 5);
  CHECK(stats.segments[0].survey_rows == 0);
  CHECK(stats.segments[3].survey_rows == 1);
  CHECK(stats.segments[4].survey_rows == 4999);
  CHECK(stats.segments[3].metric_counts[0][2600 % 11] == 1);
}
