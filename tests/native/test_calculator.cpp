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
