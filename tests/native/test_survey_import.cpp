#include <catch2/catch.hpp>
#include <string>

#include "cvc/json_io.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/value_results.hpp"
#include "survey_fixture.hpp"

using Catch::Matchers::Contains;
using cvc::ColumnRole;

namespace {

cvc::Model small_model() {
  return cvc::test::load_survey_fixture("tests/fixtures/small-survey.json").model;
}

cvc::StagedImport import_as_proposed(const std::string& csv, const cvc::Model& model) {
  auto preview = cvc::preview_survey_csv(csv, model);
  REQUIRE(preview.ok());
  const auto& p = preview.value();
  auto staged = cvc::stage_survey_import(csv, model, p.proposed, p.delimiter, p.decimal_comma);
  REQUIRE(staged.ok());
  return std::move(staged).value();
}

std::string preview_error(const std::string& csv) {
  auto preview = cvc::preview_survey_csv(csv, small_model());
  REQUIRE_FALSE(preview.ok());
  return preview.error().message;
}

}  // namespace

TEST_CASE("Import: a survey CSV is mapped from its headers and gives the hand-computed results",
          "[import]") {
  const std::string csv = cvc::test::read_text("tests/fixtures/csv/small-survey.csv");
  const cvc::Model model = small_model();
  auto preview = cvc::preview_survey_csv(csv, model);
  REQUIRE(preview.ok());
  const auto& p = preview.value();
  CHECK(p.delimiter == ',');
  CHECK_FALSE(p.decimal_comma);
  CHECK(p.data_rows == 5);
  REQUIRE(p.proposed.size() == 8);
  CHECK(p.proposed[0].role == ColumnRole::respondent_id);
  CHECK(p.proposed[1].role == ColumnRole::segment);
  CHECK(p.proposed[1].group == "size");
  CHECK(p.proposed[2].role == ColumnRole::nps);
  CHECK(p.proposed[3].role == ColumnRole::csat);
  CHECK(p.proposed[4].role == ColumnRole::ces);
  for (std::size_t c = 5; c < 8; ++c) {
    CHECK(p.proposed[c].role == ColumnRole::item);
    CHECK_FALSE(p.proposed[c].create_item);
  }
  CHECK(p.proposed[6].item_id == "ease");
  CHECK(p.profiles[6].blank == 1);
  CHECK(p.profiles[6].max == 10.0);

  const auto staged = import_as_proposed(csv, model);
  CHECK(staged.rows_total == 5);
  CHECK(staged.rows_valid == 5);
  CHECK(staged.problems.empty());
  CHECK(staged.created_items.empty());
  CHECK(staged.created_segments.empty());  // "SMB" and "Enterprise" of group "size" exist
  CHECK(staged.responses.id(0) == "r1");

  // Same answers as tests/fixtures/small-survey.json: same hand-computed value results.
  const auto r = cvc::compute_value_results(staged.model, &staged.responses);
  CHECK(r.overall.net_value.mean == Approx(4.75).epsilon(1e-14));
  CHECK(r.segments[0].net_value.mean == Approx(14.5).epsilon(1e-14));
  // NPS answers 10, 9, 6, 8, 3: 2 promoters, 1 passive, 2 detractors → 0.
  const auto& sat = r.overall.satisfaction;
  CHECK(sat.nps.n == 5);
  CHECK(sat.nps.promoters == 2);
  CHECK(sat.nps.detractors == 2);
  CHECK(sat.nps.nps == 0.0);
  // CSAT 5, 4, 2, 4, 1: top-two-box (4–5) 3 of 5 = 60%.
  CHECK(sat.csat.percent == Approx(60.0).epsilon(1e-14));
  // CES 7, 6, 3, 5, 2: mean 4.6; agreeing (5–7) 3 of 5.
  CHECK(sat.ces.mean.mean == Approx(4.6).epsilon(1e-14));
  CHECK(sat.ces.agreeing.count == 3);
  // SMB: NPS answers 10 and 9 → 100, flagged as low confidence (2 < 30 respondents).
  CHECK(r.segments[0].satisfaction.nps.nps == 100.0);
  CHECK(r.segments[0].low_confidence);
}

TEST_CASE("Import: semicolons with decimal commas, new items and segments", "[import]") {
  const std::string csv = cvc::test::read_text("tests/fixtures/csv/semicolon-decimal-comma.csv");
  auto worked = cvc::load_model(cvc::test::read_text("tests/fixtures/worked-example.json"));
  REQUIRE(worked.ok());
  auto preview = cvc::preview_survey_csv(csv, worked.value());
  REQUIRE(preview.ok());
  const auto& p = preview.value();
  CHECK(p.delimiter == ';');
  CHECK(p.decimal_comma);
  CHECK(p.proposed[0].role == ColumnRole::respondent_id);
  CHECK(p.proposed[1].role == ColumnRole::segment);
  CHECK(p.proposed[2].role == ColumnRole::nps);
  const auto& savings = p.proposed[3];
  CHECK(savings.create_item);
  CHECK(savings.item_id == "savings-eur");
  CHECK(savings.new_item.kind == cvc::Kind::monetary);
  CHECK(savings.new_item.scale.type == cvc::ScaleType::currency);
  CHECK(savings.new_item.scale.reference_amount == 2000.0);  // max 1,234.5 → 2,000
  const auto& price = p.proposed[4];
  CHECK(price.new_item.side == cvc::Side::cost);
  CHECK(price.new_item.kind == cvc::Kind::price);
  CHECK(price.new_item.scale.reference_amount == 5000.0);  // max 2,400 → 5,000

  const auto staged = import_as_proposed(csv, worked.value());
  CHECK(staged.rows_valid == 3);
  CHECK(staged.created_items == std::vector<std::string>{"savings-eur", "subscription-price-eur"});
  CHECK(staged.created_segments == std::vector<std::string>{"enterprise", "smb"});
  const auto& m = staged.model;
  const auto j = *m.item_index("savings-eur");
  CHECK(staged.responses.column(j).value(0) == 1234.5);
  CHECK(staged.responses.column(j).value(1) == 12.5);
  const auto k = *m.item_index("subscription-price-eur");
  CHECK(staged.responses.column(k).value(1) == 2400.0);
  CHECK(staged.responses.column(k).value(2) == 450.5);
}

TEST_CASE("Import: every rejected cell is reported by row, column, value and reason",
          "[import][bad-input]") {
  const std::string csv = cvc::test::read_text("tests/fixtures/csv/bad-rows.csv");
  const auto staged = import_as_proposed(csv, small_model());
  CHECK(staged.rows_total == 5);
  CHECK(staged.rows_valid == 1);
  REQUIRE(staged.problems.size() == 4);
  const auto& nps = staged.problems[0];
  CHECK(nps.row == 3);
  CHECK(nps.column == 2);
  CHECK(nps.header == "nps");
  CHECK(nps.value == "11");
  CHECK_THAT(nps.reason, Contains("outside the 0–10 scale of NPS"));
  CHECK(staged.problems[1].row == 4);
  CHECK(staged.problems[1].value == "four");
  CHECK(staged.problems[1].reason == "not a number");
  CHECK(staged.problems[2].row == 5);
  CHECK(staged.problems[2].column == 0);
  CHECK_THAT(staged.problems[2].reason, Contains("ragged row: 3 fields, but the header has 4"));
  CHECK(staged.problems[3].row == 6);
  CHECK_THAT(staged.problems[3].reason, Contains("not a whole number on the 1–5 scale"));
}

TEST_CASE("Import: files that cannot be read get a clear message", "[import][bad-input]") {
  CHECK_THAT(preview_error(""), Contains("The file is empty"));
  CHECK_THAT(preview_error("\xEF\xBB\xBF \r\n\n"), Contains("The file is empty"));
  CHECK_THAT(preview_error("id,nps\r\n"), Contains("header row but no data rows"));
  CHECK_THAT(preview_error(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)),
             Contains("binary data"));
  CHECK_THAT(preview_error("id,nps,NPS\n1,2,3\n"), Contains("Columns 2 and 3 are both named"));
  CHECK_THAT(preview_error("id,n\xff\xfe\n1,2\n"), Contains("not UTF-8"));
  CHECK_THAT(preview_error(cvc::test::read_text("tests/fixtures/csv/unterminated-quote.csv")),
             Contains("Row 3, column 2: a quoted field opened on line 3 is never closed"));
  std::string wide;
  for (int c = 0; c < 10000; ++c) wide += (c ? "," : "") + std::to_string(c);
  CHECK_THAT(preview_error(wide + "\n" + wide + "\n"), Contains("at most 1000"));
}

TEST_CASE("Import: mappings that cannot work are refused as a whole", "[import][bad-input]") {
  const std::string csv = cvc::test::read_text("tests/fixtures/csv/small-survey.csv");
  const cvc::Model model = small_model();
  auto preview = cvc::preview_survey_csv(csv, model);
  REQUIRE(preview.ok());
  auto mapping = preview.value().proposed;
  const auto error_of = [&](const std::vector<cvc::ColumnMapping>& m) {
    auto staged = cvc::stage_survey_import(csv, model, m, ',', false);
    REQUIRE_FALSE(staged.ok());
    return staged.error().message;
  };
  SECTION("nothing to import") {
    for (auto& m : mapping) {
      if (m.role != ColumnRole::respondent_id && m.role != ColumnRole::segment) {
        m.role = ColumnRole::ignore;
      }
    }
    CHECK_THAT(error_of(mapping), Contains("Nothing to import"));
  }
  SECTION("two id columns") {
    mapping[2].role = ColumnRole::respondent_id;
    CHECK_THAT(error_of(mapping), Contains("Only one column can hold the respondent id"));
  }
  SECTION("a column out of range") {
    mapping[0].column = 99;
    CHECK_THAT(error_of(mapping), Contains("names column 100, but the file has 8"));
  }
  SECTION("two columns for one item") {
    mapping[6].item_id = "quality";
    CHECK_THAT(error_of(mapping), Contains("are both mapped to item \"quality\""));
  }
  SECTION("an item that does not exist") {
    mapping[6].item_id = "nope";
    CHECK_THAT(error_of(mapping), Contains("not in the model"));
  }
  SECTION("a segment column with too many values") {
    mapping[0].role = ColumnRole::ignore;
    std::string many = "who,nps\n";
    for (int i = 0; i < 60; ++i) many += "person" + std::to_string(i) + ",9\n";
    std::vector<cvc::ColumnMapping> m(2);
    m[0].column = 0;
    m[0].role = ColumnRole::segment;
    m[1].column = 1;
    m[1].role = ColumnRole::nps;
    auto staged = cvc::stage_survey_import(many, model, m, ',', false);
    REQUIRE_FALSE(staged.ok());
    CHECK_THAT(staged.error().message, Contains("more than 50 different values"));
  }
}

TEST_CASE("Import: the template CSV maps back onto its own model", "[import]") {
  auto sample = cvc::load_model(cvc::test::read_text("web/sample/model.json"));
  REQUIRE(sample.ok());
  const std::string csv = cvc::survey_template_csv(sample.value());
  CHECK_THAT(csv, Contains("respondent_id,segment:Company size,segment:Experience,nps,csat,ces,"
                           "\"benefit:Faster, better decisions\""));
  const auto staged = import_as_proposed(csv, sample.value());
  CHECK(staged.rows_valid == 1);
  CHECK(staged.created_items.empty());
  CHECK(staged.created_segments.empty());
  CHECK(staged.model == sample.value());
}

TEST_CASE("Import: duplicate and unusable respondent ids are listed", "[import][bad-input]") {
  const std::string csv = "id,nps\nr1,9\nr2,8\nr1,7\n\"two\nlines\",6\n,5\n,4\n";
  const auto staged = import_as_proposed(csv, small_model());
  CHECK(staged.rows_valid == 4);  // r1, r2 and the two without an id
  REQUIRE(staged.problems.size() == 2);
  CHECK(staged.problems[0].reason == "this respondent id is also on row 2");
  CHECK(staged.problems[1].reason ==
        "the id contains a line break, tab or other control character");
}

TEST_CASE("Import: a segment column whose values match an existing group fills it", "[import]") {
  // "plan" is not a group of the model, but SMB and Enterprise are the segments of "size".
  const std::string csv = "id,plan,nps\na,SMB,9\nb,Enterprise,7\n";
  auto preview = cvc::preview_survey_csv(csv, small_model());
  REQUIRE(preview.ok());
  CHECK(preview.value().proposed[1].role == ColumnRole::segment);
  CHECK(preview.value().proposed[1].group == "size");
  const auto staged = import_as_proposed(csv, small_model());
  CHECK(staged.created_segments.empty());
}

TEST_CASE("Import: segments without a group come back from the template", "[import]") {
  cvc::Model model = small_model();
  for (auto& s : model.segments) s.group.clear();
  model.segments.resize(2);
  const std::string csv = cvc::survey_template_csv(model);
  const auto staged = import_as_proposed(csv, model);
  CHECK(staged.created_segments.empty());
  CHECK(staged.model == model);
}

TEST_CASE("UTF-8 validation follows RFC 3629", "[import]") {
  CHECK(cvc::is_valid_utf8("plain"));
  CHECK(cvc::is_valid_utf8("Zoë 日本 😀"));
  CHECK_FALSE(cvc::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(cvc::is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  CHECK_FALSE(cvc::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(cvc::is_valid_utf8("\xE6\x97"));          // cut short
  CHECK_FALSE(cvc::is_valid_utf8("\xFF"));
}
