#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "survey_fixture.hpp"

using Catch::Matchers::Contains;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

cvc::Calculator loaded_calculator(cvc::test::SurveyFixture& f) {
  cvc::Calculator calc;
  REQUIRE(calc.load_model(f.model).ok());
  REQUIRE(calc.set_responses(f.answers.data(), f.answers.size(), f.membership.data(),
                             f.membership.size(), f.rows)
              .ok());
  return calc;
}

}  // namespace

TEST_CASE("Calculator: a weight change updates the results", "[calculator]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  auto calc = loaded_calculator(f);
  CHECK(calc.results().overall.net_value.mean == Approx(4.75));
  REQUIRE(calc.set_weight("ease", 2).ok());
  CHECK(calc.results().overall.net_value.mean == Approx(9.75));  // + mean ease score 5
  REQUIRE(calc.set_weight("effort", 2, "smb").ok());
  // SMB means: quality 4.5, ease 7.5, effort 2; weights 2, 2 (the new base), 2 (override):
  // 9 + 15 − 4 = 20.
  CHECK(calc.results().segments[0].net_value.mean == Approx(20.0));
}

TEST_CASE("Calculator: bad input changes nothing", "[calculator][bad-input]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  auto calc = loaded_calculator(f);
  const std::string model_before = calc.model_json();
  const std::string results_before = calc.results_json();

  SECTION("weight out of range") {
    const auto s = calc.set_weight("quality", 11);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().field == "items[0].weight");
    CHECK_THAT(s.error().message, Contains("\"Quality\""));
  }
  SECTION("segment weight out of range") {
    const auto s = calc.set_weight("quality", -0.5, "ent");
    CHECK(s.error().field == "segments[1].weights.quality");
  }
  SECTION("unknown item and segment") {
    CHECK_THAT(calc.set_weight("nope", 1).error().message, Contains("no item with id \"nope\""));
    CHECK_THAT(calc.set_weight("quality", 1, "nope").error().message, Contains("no segment"));
  }
  SECTION("entered score outside its scale") {
    const auto s = calc.set_entered_score("ease", 11.0);
    CHECK(s.error().field == "items[1].score");
    CHECK_THAT(s.error().message, Contains("0–10 scale"));
  }
  SECTION("survey answer outside its scale names the row and item") {
    std::vector<double> answers = f.answers;
    answers[3 * 3 + 2] = 6;  // row 4, effort (1–5)
    const auto s = calc.set_responses(answers.data(), answers.size(), f.membership.data(),
                                      f.membership.size(), f.rows);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().field == "row 4, item effort");
    CHECK_THAT(s.error().message, Contains("Effort") && Contains("1–5 scale") && Contains("6"));
  }
  SECTION("survey answer that is not a whole number") {
    std::vector<double> answers = f.answers;
    answers[0] = 4.5;
    CHECK_THAT(calc.set_responses(answers.data(), answers.size(), f.membership.data(),
                                  f.membership.size(), f.rows)
                   .error()
                   .message,
               Contains("whole number"));
  }
  SECTION("survey answer that is infinite") {
    std::vector<double> answers = f.answers;
    answers[1] = std::numeric_limits<double>::infinity();
    CHECK(calc.set_responses(answers.data(), answers.size(), f.membership.data(),
                             f.membership.size(), f.rows)
              .error()
              .field == "row 1, item ease");
  }
  SECTION("wrong matrix size") {
    CHECK_THAT(calc.set_responses(f.answers.data(), f.answers.size() - 1, f.membership.data(),
                                  f.membership.size(), f.rows)
                   .error()
                   .message,
               Contains("expected 5 rows × 3 items"));
  }
  SECTION("two segments of one group") {
    std::vector<std::uint8_t> membership = f.membership;
    membership[0] = membership[1] = 1;  // row 1 in SMB and Enterprise
    CHECK_THAT(calc.set_responses(f.answers.data(), f.answers.size(), membership.data(),
                                  membership.size(), f.rows)
                   .error()
                   .message,
               Contains("more than one segment of group \"size\""));
  }
  SECTION("malformed model JSON") {
    CHECK_FALSE(calc.load_model_json("{not json").ok());
    CHECK(calc.response_rows() == f.rows);  // the survey data is kept too
  }
  CHECK(calc.model_json() == model_before);
  CHECK(calc.results_json() == results_before);
}

TEST_CASE("Calculator: no data and no model never give NaN", "[calculator]") {
  cvc::Calculator calc;
  CHECK(calc.results_json() == "null");
  CHECK_FALSE(calc.set_weight("a", 1).ok());
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  REQUIRE(calc.load_model(f.model).ok());
  std::vector<double> all_missing(f.rows * 3, kNaN);
  REQUIRE(calc.set_responses(all_missing.data(), all_missing.size(), f.membership.data(),
                             f.membership.size(), f.rows)
              .ok());
  const auto& r = calc.results();
  CHECK(r.overall.source == cvc::DataSource::none);
  CHECK(r.overall.no_data_reason == "no data: no respondent here answered every item");
  const std::string json = calc.results_json();
  CHECK(json.find("NaN") == std::string::npos);
  CHECK(json.find("nan") == std::string::npos);
  CHECK(json.find("inf") == std::string::npos);
}

TEST_CASE("Calculator: clearing the survey falls back to entered scores", "[calculator]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  auto calc = loaded_calculator(f);
  CHECK(calc.results().overall.source == cvc::DataSource::survey);
  calc.clear_responses();
  CHECK(calc.results().overall.source == cvc::DataSource::none);  // no entered scores yet
  REQUIRE(calc.set_entered_score("quality", 4.5).ok());
  REQUIRE(calc.set_entered_score("ease", 8.0).ok());
  REQUIRE(calc.set_entered_score("effort", 2.0).ok());
  // 2 × 4.5 + 1 × 8 − 3 × 2 = 11
  CHECK(calc.results().overall.source == cvc::DataSource::entered);
  CHECK(calc.results().overall.net_value.mean == 11.0);
  REQUIRE(calc.set_entered_score("effort", 4.0, "smb").ok());
  // SMB effort weight 1: 9 + 8 − 4 = 13
  CHECK(calc.results().segments[0].net_value.mean == 13.0);
  REQUIRE(calc.set_entered_score("effort", std::nullopt, "smb").ok());
  CHECK(calc.results().segments[0].net_value.mean == 15.0);  // back to effort 2: 9 + 8 − 2
}

TEST_CASE("Calculator: CSV import is staged, then committed or cancelled", "[calculator][import]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  auto calc = loaded_calculator(f);
  const std::string results_before = calc.results_json();
  const std::string model_before = calc.model_json();

  SECTION("a bad file changes nothing") {
    CHECK_FALSE(calc.begin_csv_import("").ok());
    CHECK_FALSE(calc.begin_csv_import(std::string("\0\1\2", 3)).ok());
    CHECK_FALSE(calc.commit_import().ok());
  }
  SECTION("cancel after staging changes nothing") {
    auto preview = calc.begin_csv_import(cvc::test::read_text("tests/fixtures/csv/bad-rows.csv"));
    REQUIRE(preview.ok());
    auto staged = calc.stage_csv_import(preview.value().proposed, ',', false);
    REQUIRE(staged.ok());
    CHECK(staged.value()->rows_valid == 1);
    calc.cancel_import();
    CHECK_FALSE(calc.commit_import().ok());
  }
  SECTION("commit applies the valid rows and the new items") {
    const std::string csv =
        "id,nps,benefit:Quality,cost:Effort,benefit:Speed\n"
        "a,10,5,1,4\nb,zero,4,3,4\nc,0,3,5,2\n";
    auto preview = calc.begin_csv_import(csv);
    REQUIRE(preview.ok());
    auto staged = calc.stage_csv_import(preview.value().proposed, ',', false);
    REQUIRE(staged.ok());
    CHECK(staged.value()->rows_valid == 2);
    // Staging changed nothing yet, and a weight moved meanwhile is kept at commit.
    CHECK(calc.model_json() == model_before);
    REQUIRE(calc.set_weight("quality", 4).ok());
    REQUIRE(calc.commit_import().ok());
    CHECK(calc.response_rows() == 2);
    CHECK(calc.model().items.size() == 4);
    CHECK(calc.model().items[0].weight == 4.0);
    CHECK(calc.model().items[3].id == "speed");
    CHECK(calc.responses().id(1) == "c");
    const auto& r = calc.results();
    CHECK(r.overall.satisfaction.nps.nps == 0.0);  // one promoter (10), one detractor (0)
    return;
  }
  CHECK(calc.results_json() == results_before);
  CHECK(calc.model_json() == model_before);
}

TEST_CASE("Calculator: respondents are added, edited and deleted one at a time",
          "[calculator][grid]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  auto calc = loaded_calculator(f);
  const auto row_input = [](const std::vector<double>& answers,
                            const std::vector<std::uint8_t>& membership, const double* metrics) {
    cvc::ResponseInput in;
    in.rows = 1;
    in.answers = answers.data();
    in.answer_count = answers.size();
    in.membership = membership.data();
    in.membership_count = membership.size();
    in.metrics = metrics;
    in.metric_count = metrics ? 3 : 0;
    return in;
  };
  const std::vector<double> answers{5, 10, 1};  // net 17, like r1
  const std::vector<std::uint8_t> ent{0, 1, 0};
  const double metrics[3] = {9, kNaN, kNaN};
  REQUIRE(calc.add_response(row_input(answers, ent, metrics)).ok());
  CHECK(calc.response_rows() == 6);
  // Net values 17, 4, −9, 7, 17 → 7.2
  CHECK(calc.results().overall.net_value.mean == Approx(7.2).epsilon(1e-14));
  CHECK(calc.results().overall.satisfaction.nps.n == 1);

  const std::vector<double> bad{5, 11, 1};
  const auto s = calc.replace_response(5, row_input(bad, ent, nullptr));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().field == "row 6, item ease");
  CHECK(calc.results().overall.net_value.mean == Approx(7.2).epsilon(1e-14));

  const std::vector<double> low{1, 0, 5};  // net 2 − 15 = −13
  REQUIRE(calc.replace_response(5, row_input(low, ent, nullptr)).ok());
  CHECK(calc.results().overall.net_value.mean ==
        Approx((17 + 4 - 9 + 7 - 13) / 5.0).epsilon(1e-14));
  CHECK(calc.results().overall.satisfaction.nps.n == 0);  // the NPS answer was replaced

  REQUIRE(calc.delete_response(0).ok());  // r1 goes: 4, −9, 7, −13
  CHECK(calc.response_rows() == 5);
  CHECK(calc.results().overall.net_value.mean == Approx(-11 / 4.0).epsilon(1e-14));
  CHECK_THAT(calc.delete_response(5).error().message, Contains("no respondent in row 6"));
}

TEST_CASE("Calculator: an import can be added to the survey, keeping ids unique",
          "[calculator][import]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  cvc::Calculator calc;
  REQUIRE(calc.load_model(f.model).ok());
  const auto stage = [&](const std::string& csv) {
    auto preview = calc.begin_csv_import(csv);
    REQUIRE(preview.ok());
    REQUIRE(calc.stage_csv_import(preview.value().proposed, ',', false).ok());
  };
  stage(cvc::test::read_text("tests/fixtures/csv/small-survey.csv"));
  REQUIRE(calc.commit_import(false).ok());
  CHECK(calc.response_rows() == 5);

  SECTION("new respondents and a new item are added; old rows lack the new item") {
    stage("id,benefit:Quality,benefit:Ease of use,cost:Effort,benefit:Speed\nr6,5,10,1,4\n");
    REQUIRE(calc.commit_import(true).ok());
    CHECK(calc.response_rows() == 6);
    CHECK(calc.model().items.size() == 4);
    CHECK(calc.results().overall.respondents == 1);  // only r6 answered every item
    CHECK(calc.results().overall.excluded_incomplete == 5);
  }
  SECTION("a respondent already in the survey is refused, and nothing changes") {
    const std::string before = calc.results_json();
    stage("id,benefit:Quality\nr2,4\n");
    const auto s = calc.commit_import(true);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message, Contains("\"r2\" is already in the survey (row 2)"));
    CHECK(calc.results_json() == before);
  }
}

TEST_CASE("Calculator: respondent ids are unique, plain and short", "[calculator][bad-input]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  cvc::Calculator calc;
  REQUIRE(calc.load_model(f.model).ok());
  std::vector<std::string> ids{"a", "b", "a", "", ""};
  cvc::ResponseInput in;
  in.rows = f.rows;
  in.answers = f.answers.data();
  in.answer_count = f.answers.size();
  in.membership = f.membership.data();
  in.membership_count = f.membership.size();
  in.ids = &ids;
  CHECK_THAT(calc.set_responses(in).error().message,
             Contains("Row 3: the respondent id \"a\" is also the id of row 1"));
  ids[2] = "line\nbreak";
  CHECK_THAT(calc.set_responses(in).error().message, Contains("control characters"));
  ids[2] = std::string(201, 'x');
  CHECK_THAT(calc.set_responses(in).error().message, Contains("longer than 200"));
  ids[2] = "c";
  REQUIRE(calc.set_responses(in).ok());  // blank ids may repeat
  // One at a time: a new row may not take an existing id.
  std::vector<std::string> one{"b"};
  std::vector<double> answers{4, 5, 2};
  std::vector<std::uint8_t> membership{0, 0, 0};
  cvc::ResponseInput row;
  row.rows = 1;
  row.answers = answers.data();
  row.answer_count = 3;
  row.membership = membership.data();
  row.membership_count = 3;
  row.ids = &one;
  CHECK_THAT(calc.add_response(row).error().message, Contains("also the id of row 2"));
  CHECK(calc.replace_response(1, row).ok());  // row 2 keeping its own id is fine
}

TEST_CASE("Calculator: CSAT asked on 1–10 is detected, proposed and applied",
          "[calculator][import]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  cvc::Calculator calc;
  REQUIRE(calc.load_model(f.model).ok());
  const std::string csv = "id,csat\na,9\nb,10\nc,3\n";
  auto preview = calc.begin_csv_import(csv);
  REQUIRE(preview.ok());
  const auto& proposed = preview.value().proposed_satisfaction;
  CHECK(proposed.csat_scale == cvc::ScaleType::likert_1_10);
  CHECK(proposed.csat_satisfied_from == 9);  // top-two-box on 1–10
  SECTION("with the model's 1–5 scale, 9 and 10 are rejected") {
    auto staged = calc.stage_csv_import(preview.value().proposed, ',', false);
    REQUIRE(staged.ok());
    CHECK(staged.value()->rows_valid == 1);
  }
  SECTION("with the proposed scale every row is valid; CSAT = 2 of 3 answer 9–10") {
    auto staged = calc.stage_csv_import(preview.value().proposed, ',', false, proposed);
    REQUIRE(staged.ok());
    CHECK(staged.value()->rows_valid == 3);
    REQUIRE(calc.commit_import().ok());
    CHECK(calc.model().satisfaction.csat_scale == cvc::ScaleType::likert_1_10);
    CHECK(calc.results().overall.satisfaction.csat.percent == Approx(200.0 / 3).epsilon(1e-14));
    // The loaded answers no longer fit 1–5: changing the scale back is refused.
    cvc::SatisfactionSettings back;
    const auto s = calc.set_satisfaction_settings(back);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.error().message, Contains("do not fit") && Contains("row 1"));
    // A stricter cut is fine: only 10 counts → 1 of 3.
    cvc::SatisfactionSettings strict = calc.model().satisfaction;
    strict.csat_satisfied_from = 10;
    REQUIRE(calc.set_satisfaction_settings(strict).ok());
    CHECK(calc.results().overall.satisfaction.csat.percent == Approx(100.0 / 3).epsilon(1e-14));
  }
}

TEST_CASE("Calculator: appending a file read on another CSAT scale is refused",
          "[calculator][import][bad-input]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  cvc::Calculator calc;
  REQUIRE(calc.load_model(f.model).ok());
  auto preview = calc.begin_csv_import(cvc::test::read_text("tests/fixtures/csv/small-survey.csv"));
  REQUIRE(preview.ok());
  REQUIRE(calc.stage_csv_import(preview.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_import().ok());
  const std::string before = calc.results_json();
  auto wide = calc.begin_csv_import("id,csat\nz,10\n");
  REQUIRE(wide.ok());
  REQUIRE(
      calc.stage_csv_import(wide.value().proposed, ',', false, wide.value().proposed_satisfaction)
          .ok());
  const auto s = calc.commit_import(true);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error().message,
             Contains("1–10 scale") && Contains("1–5 scale") && Contains("re-read"));
  CHECK(calc.results_json() == before);
}

TEST_CASE("Responses: the first row in two segments of one group is named, in any group",
          "[bad-input]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  cvc::Model model = f.model;  // segments smb, ent (group "size") and empty (group "other")
  cvc::Segment second = model.segments[2];
  second.id = "also";
  model.segments.push_back(second);  // empty and also: group "other"
  const std::size_t segments = model.segments.size();
  const auto refused = [&](std::vector<std::pair<std::size_t, std::size_t>> flags) {
    std::vector<std::uint8_t> membership(f.rows * segments, 0);
    for (const auto& [row, segment] : flags) membership[row * segments + segment] = 1;
    cvc::ResponseInput in;
    in.rows = f.rows;
    in.answers = f.answers.data();
    in.answer_count = f.answers.size();
    in.membership = membership.data();
    in.membership_count = membership.size();
    in.first_row_number = 10;
    auto result = cvc::Responses::from_input(model, in);
    REQUIRE_FALSE(result.ok());
    return result.error().message;
  };
  // Row index 3 in both of "size", row index 1 in both of "other": the earlier row is named,
  // though its group comes second.
  CHECK_THAT(refused({{3, 0}, {3, 1}, {1, 2}, {1, 3}}),
             Contains("Row 11 is in more than one segment of group \"other\""));
  // Both groups broken on one row: the first group in name order ("other" < "size").
  CHECK_THAT(refused({{4, 0}, {4, 1}, {4, 2}, {4, 3}}),
             Contains("Row 14 is in more than one segment of group \"other\""));
  CHECK_THAT(refused({{2, 0}, {2, 1}}),
             Contains("Row 12 is in more than one segment of group \"size\""));
}
