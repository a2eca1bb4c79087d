#include <catch2/catch.hpp>

#include "cvc/csv.hpp"
#include "cvc/csv_export.hpp"
#include "cvc/value_results.hpp"
#include "survey_fixture.hpp"

TEST_CASE("CSV export neutralises formula-like text, not numbers", "[export]") {
  // OWASP "CSV Injection": cells starting with = + - @ tab or CR are prefixed with '.
  for (const char* text : {"=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "\rx"}) {
    CAPTURE(text);
    CHECK(cvc::neutralise_formula(text) == std::string("'") + text);
  }
  CHECK(cvc::neutralise_formula("plain") == "plain");
  CHECK(cvc::csv_record({std::string("=1+1"), -250.0, cvc::CsvCell{}, std::string("a,\"b\"")}) ==
        "'=1+1,-250,,\"a,\"\"b\"\"\"\r\n");
  // Numbers in the shortest form that reads back exactly.
  CHECK(cvc::csv_record({0.1, 1e-7, 123456789.0, 2.0 / 3}) ==
        "0.1,1e-07,123456789,0.6666666666666666\r\n");
}

TEST_CASE("Results CSV: one row per view, unrounded, and it reads back", "[export]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  f.model.segments[0].label = "=HYPERLINK(\"http://x\")";
  auto responses = cvc::Responses::from_matrix(f.model, f.answers.data(), f.answers.size(),
                                               f.membership.data(), f.membership.size(), f.rows);
  REQUIRE(responses.ok());
  const auto results = cvc::compute_value_results(f.model, &responses.value());
  const std::string csv = cvc::results_csv(f.model, results);
  auto table = cvc::read_csv(csv);
  REQUIRE(table.ok());
  const auto& rows = table.value().rows;
  REQUIRE(rows.size() == 5);  // header, all customers, 3 segments
  CHECK(rows[0][8] == "net_value");
  CHECK(rows[1][0] == "All customers");
  CHECK(cvc::parse_number(rows[1][8]) == results.overall.net_value.mean);  // exact round trip
  CHECK(rows[2][0] == "'=HYPERLINK(\"http://x\")");
  CHECK(rows[3][8] == "-1");  // Enterprise's net value stays a number
  CHECK(rows[4][2] == "none");
  CHECK(rows[4][26] == "no data: no respondents in this segment");
  CHECK(rows[0].back() == "mean score: Effort");
  CHECK(cvc::parse_number(rows[1].back()) == 2.75);
}
