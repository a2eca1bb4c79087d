// The customer table: import, contribution, churn from tenure, CLV, health and the
// satisfaction-vs-value map, on tests/fixtures/csv/customers*.csv, computed by hand below.
#include <catch2/catch.hpp>

#include "cvc/calculator.hpp"
#include "cvc/customer_import.hpp"
#include "cvc/customers.hpp"
#include "cvc/json_io.hpp"
#include "fixtures.hpp"

using Catch::Matchers::Contains;
using cvc::CustomerField;

namespace {

constexpr double kDaysPerMonth = 365.2425 / 12;  // 30.436875

cvc::StagedCustomers import_customers(const std::string& path) {
  const std::string csv = cvc::test::read_text(path);
  auto preview = cvc::preview_customer_csv(csv);
  REQUIRE(preview.ok());
  const auto& p = preview.value();
  cvc::Scale csat;
  auto staged = cvc::stage_customer_import(csv, p.proposed, p.delimiter, p.decimal_comma, csat);
  REQUIRE(staged.ok());
  return std::move(staged).value();
}

}  // namespace

TEST_CASE("Dates: ISO days since 1970, checked for real calendar days", "[customers]") {
  CHECK(cvc::parse_date("1970-01-01") == 0);
  CHECK(cvc::parse_date("2000-03-01") == 11017);  // after the leap day of a 400-year
  CHECK(cvc::parse_date("2026-08-01").value() - cvc::parse_date("2026-01-01").value() == 212);
  CHECK(cvc::parse_date("2024-02-29").has_value());
  CHECK_FALSE(cvc::parse_date("2026-02-29").has_value());
  CHECK_FALSE(cvc::parse_date("2026-13-01").has_value());
  CHECK_FALSE(cvc::parse_date("01/02/2026").has_value());
  CHECK(cvc::parse_date("2026/03/05") == cvc::parse_date("2026-03-05"));
  CHECK(cvc::parse_date("2026-03-05T10:00:00Z") == cvc::parse_date("2026-03-05"));
  CHECK(cvc::format_date(*cvc::parse_date("2026-11-22")) == "2026-11-22");
}

TEST_CASE("Customer import: headers are mapped, rows read", "[customers][import]") {
  const std::string csv = cvc::test::read_text("tests/fixtures/csv/customers.csv");
  auto preview = cvc::preview_customer_csv(csv);
  REQUIRE(preview.ok());
  std::vector<CustomerField> fields;
  for (const auto& m : preview.value().proposed) fields.push_back(m.field);
  CHECK(fields == std::vector<CustomerField>{
                      CustomerField::customer_id, CustomerField::segment, CustomerField::revenue,
                      CustomerField::gross_margin, CustomerField::support_hours,
                      CustomerField::onboarding_cost, CustomerField::discounts,
                      CustomerField::start_date, CustomerField::churn_date, CustomerField::nps,
                      CustomerField::usage, CustomerField::payment_status});
  const auto staged = import_customers("tests/fixtures/csv/customers.csv");
  CHECK(staged.rows_valid == 4);
  CHECK(staged.problems.empty());
  const auto& t = staged.table;
  REQUIRE(t.segments.size() == 2);
  CHECK(t.segments[0].label == "Enterprise");  // sorted
  CHECK(t.customers[0].gross_margin == 0.8);   // "80%"
  CHECK(t.customers[3].gross_margin == 0.5);   // 0.5 as a fraction
  CHECK(std::isnan(t.customers[1].gross_margin));
  CHECK(t.customers[3].payment == cvc::PaymentStatus::failed);
}

TEST_CASE("Contribution, churn, CLV, health and the map, by hand", "[customers]") {
  // Monthly period, default margin 70%, support at 50 an hour.
  //   c1: 1,000 × 80% − (2 h × 50 + 100 onboarding) − 50 discount =   550
  //   c2:   500 × 70% − (10 h × 50)                 − 100          =  −250
  //   c3: 5,000 × 60% − (20 h × 50 + 500)                          = 1,500
  //   c4: 2,000 × 50% − (4 h × 50)                                 =   800   total 2,600
  // As of the latest date, 2026-08-01: tenures 212, 153, 273 and 181 days (c4 churned),
  // 819 days = 819 / 30.436875 months of exposure, 1 churn → monthly churn 30.436875 / 819.
  // CLV (active) = monthly contribution × (tenure + 1 / churn): c1 = 550 × 1,031 days / 30.436875.
  const auto staged = import_customers("tests/fixtures/csv/customers.csv");
  const cvc::BusinessSettings settings;
  const auto r = cvc::compute_business(staged.table, settings, nullptr);
  REQUIRE(r.customers.size() == 4);
  CHECK(*r.customers[0].contribution == Approx(550.0).epsilon(1e-14));
  CHECK(*r.customers[1].contribution == Approx(-250.0).epsilon(1e-14));
  CHECK(*r.customers[2].contribution == Approx(1500.0).epsilon(1e-14));
  CHECK(*r.customers[3].contribution == Approx(800.0).epsilon(1e-14));
  CHECK(r.overall.contribution_total == Approx(2600.0).epsilon(1e-14));
  CHECK(r.overall.contribution.mean == Approx(650.0).epsilon(1e-14));
  REQUIRE(r.as_of);
  CHECK(cvc::format_date(*r.as_of) == "2026-08-01");
  CHECK(*r.overall.monthly_churn.value == Approx(kDaysPerMonth / 819).epsilon(1e-12));
  CHECK(*r.customers[0].clv.value == Approx(550 * 1031 / kDaysPerMonth).epsilon(1e-12));
  CHECK(*r.customers[3].clv.value == Approx(800 * 181 / kDaysPerMonth).epsilon(1e-12));

  // Health, default measures (weights: usage 3, NPS 2, support load 2, payment 2; no MRR, so
  // no growth): c1 = (3·100 + 2·100 + 2·40 + 2·100)/9 = 86.67 (green);
  // c2 = (3·33.3 + 2·100 + 2·0 + 2·50)/9 = 44.44 (red); c3 = (3·83.3 + 2·40 + 0 + 2·100)/9 =
  // 58.89 (yellow); c4 = (0 + 0 + 2·80 + 0)/9 = 17.78 (red).
  CHECK(*r.customers[0].health == Approx(780.0 / 9).epsilon(1e-12));
  CHECK(*r.customers[1].health == Approx(400.0 / 9).epsilon(1e-12));
  CHECK(*r.customers[2].health == Approx(530.0 / 9).epsilon(1e-12));
  CHECK(*r.customers[3].health == Approx(160.0 / 9).epsilon(1e-12));
  CHECK(r.overall.health_bands[0] == 2);
  CHECK(r.overall.health_bands[1] == 1);
  CHECK(r.overall.health_bands[2] == 1);

  // Map (NPS ≥ 9 satisfied; contribution ≥ 0 valuable): c1 satisfied and valuable, c2
  // satisfied but value-eroding, c3 and c4 valuable but at risk.
  CHECK(r.customers[1].quadrant == cvc::Quadrant::satisfied_eroding);
  const auto& eroding = r.quadrants[static_cast<int>(cvc::Quadrant::satisfied_eroding)];
  CHECK(eroding.customers == 1);
  CHECK(eroding.revenue == 500.0);
  CHECK(r.quadrants[static_cast<int>(cvc::Quadrant::valuable_at_risk)].customers == 2);

  // Segments: Enterprise (c3, c4) 2,300; SMB (c1, c2) 300.
  CHECK(r.segments[0].contribution_total == Approx(2300.0).epsilon(1e-14));
  CHECK(r.segments[1].contribution_total == Approx(300.0).epsilon(1e-14));
  CHECK(r.segments[1].quadrant_counts[static_cast<int>(cvc::Quadrant::satisfied_eroding)] == 1);
}

TEST_CASE("No churn at all: CLV is unbounded, in words", "[customers]") {
  auto staged = import_customers("tests/fixtures/csv/customers.csv");
  staged.table.customers[3].churn_day.reset();
  const auto r = cvc::compute_business(staged.table, cvc::BusinessSettings{}, nullptr);
  CHECK_FALSE(r.customers[0].clv.value);
  CHECK(r.customers[0].clv.undefined_reason == "unbounded: no customer has churned");
  CHECK_THAT(r.overall.clv_mean.undefined_reason, Contains("unbounded"));
}

TEST_CASE("MRR columns: revenue from MRR and movements over the last two months", "[customers]") {
  // Movements from "MRR 2026-10" to "MRR 2026-11" are the hand example of test_business.cpp:
  // start 700, end 640, NRR 500/700, GRR 450/700; E had MRR before, so 60 is reactivation.
  const auto staged = import_customers("tests/fixtures/csv/customers-mrr.csv");
  CHECK(staged.table.mrr_labels == std::vector<std::string>{"2026-09", "2026-10", "2026-11"});
  const auto r = cvc::compute_business(staged.table, cvc::BusinessSettings{}, nullptr);
  REQUIRE(r.mrr);
  CHECK(r.mrr->mrr_start == 700.0);
  CHECK(r.mrr->mrr_end == 640.0);
  CHECK(r.mrr->reactivation == 60.0);
  CHECK(r.mrr->new_mrr == 80.0);
  CHECK(*r.mrr->nrr.value == Approx(500.0 / 700).epsilon(1e-15));
  // A's revenue for a monthly period: mean MRR (100 + 100 + 150)/3 × 70% margin.
  CHECK(*r.customers[0].revenue == Approx(350.0 / 3).epsilon(1e-14));
  CHECK(*r.customers[0].contribution == Approx(350.0 / 3 * 0.7).epsilon(1e-14));
  // No dates: tenure is the months with MRR, and B (200, 200, 0) churned in the last month.
  // Months with MRR: A 3, B 2, C 3, D 1, E 2, F 3 = 14; 1 churn → 1/14 a month.
  CHECK_FALSE(r.as_of);
  CHECK(r.customers[1].churned);
  CHECK_FALSE(r.customers[4].churned);  // E went 40, 0, 60: back, not gone
  CHECK(r.overall.churned == 1);
  CHECK(*r.overall.monthly_churn.value == Approx(1.0 / 14).epsilon(1e-14));
  CHECK(*r.customers[1].clv.value == Approx(2 * 400.0 / 3 * 0.7).epsilon(1e-12));
}

TEST_CASE("Customer import: bad values are listed by row and column", "[customers][bad-input]") {
  const auto staged = import_customers("tests/fixtures/csv/customers-bad.csv");
  CHECK(staged.rows_total == 7);
  CHECK(staged.rows_valid == 1);  // x7
  REQUIRE(staged.problems.size() == 6);
  CHECK(staged.problems[0].row == 2);
  CHECK(staged.problems[0].reason == "negative revenue is not allowed");
  CHECK(staged.problems[1].reason == "a margin must be 0% to 100%");
  CHECK_THAT(staged.problems[2].reason, Contains("not a date"));
  CHECK(staged.problems[3].row == 5);
  CHECK(staged.problems[3].column == 5);
  CHECK_THAT(staged.problems[3].reason, Contains("churn date is before the start date"));
  CHECK_THAT(staged.problems[4].reason, Contains("outside the 0–10 scale of NPS"));
  CHECK(staged.problems[5].reason == "this customer id appears on an earlier row");
}

TEST_CASE("Business settings: thresholds, repeated measures and bands are checked",
          "[customers][bad-input]") {
  cvc::BusinessSettings s;
  s.health[1].green_at = s.health[1].red_at;
  CHECK(cvc::validate(s).error().field == "business.health[1].green_at");
  s = cvc::BusinessSettings{};
  s.health[2].measure = s.health[0].measure;
  CHECK_THAT(cvc::validate(s).error().message, Contains("\"usage\" is already measure 1"));
  s = cvc::BusinessSettings{};
  s.red_max = 80;
  s.yellow_max = 70;
  CHECK(cvc::validate(s).error().message ==
        "business.bands: need 0 ≤ red_max < yellow_max < 100; got 80 and 70.");
  // "Satisfied from" must be an answer on the chosen question's scale (checked with the model).
  auto model = cvc::load_model(cvc::test::read_text("web/sample/model.json"));
  REQUIRE(model.ok());
  cvc::Model m = model.value();
  m.business.satisfied_from = 11;
  CHECK_THAT(cvc::validate(m).error().message, Contains("0–10 scale of NPS; got 11"));
  m.business.satisfaction = cvc::SatisfactionAxis::csat;
  m.business.satisfied_from = 4;
  CHECK(cvc::validate(m).ok());
}

TEST_CASE("Customer import: a table without revenue is refused as a whole", "[customers]") {
  const std::string csv = "customer_id,nps\na,9\n";
  auto preview = cvc::preview_customer_csv(csv);
  REQUIRE(preview.ok());
  auto staged = cvc::stage_customer_import(csv, preview.value().proposed, ',', false, {});
  REQUIRE_FALSE(staged.ok());
  CHECK_THAT(staged.error().message, Contains("Map a revenue column"));
}

TEST_CASE("Survey join by id: satisfaction from the survey, unmatched ids reported",
          "[customers]") {
  auto staged = import_customers("tests/fixtures/csv/customers.csv");
  for (auto& c : staged.table.customers) c.nps = cvc::kNotGiven;
  cvc::SurveySatisfactionTable survey;
  // Customers c1–c4. Unmatched: by length ("stranger"), by last byte ("c9"), and one with a
  // customer id's length and last byte ("x3", looked up and not found).
  survey.ids = {"c2", "stranger", "c3", "x3", "c9"};
  survey.nps_answers = {10, 9, 2, 5, 6};
  survey.csat_answers = std::vector<double>(5, cvc::kNotGiven);
  const auto r = cvc::compute_business(staged.table, cvc::BusinessSettings{}, &survey);
  CHECK(r.survey_matched == 2);
  CHECK(r.unmatched_customers == std::vector<std::string>{"c1", "c4"});
  CHECK(r.unmatched_respondents == std::vector<std::string>{"stranger", "x3", "c9"});
  CHECK(r.unmatched_respondent_count == 3);
  CHECK(*r.customers[1].satisfaction == 10.0);
  CHECK(r.customers[1].satisfaction_from_survey);
  CHECK(r.customers[1].quadrant == cvc::Quadrant::satisfied_eroding);
  CHECK(r.customers[0].quadrant == cvc::Quadrant::unplaced);
}

TEST_CASE("Customers are added, edited and deleted one at a time", "[customers][grid]") {
  const auto staged = import_customers("tests/fixtures/csv/customers.csv");
  cvc::Calculator calc;
  auto model = cvc::load_model(cvc::test::read_text("web/sample/model.json"));
  REQUIRE(model.ok());
  REQUIRE(calc.load_model(model.value()).ok());
  REQUIRE(
      calc.begin_customer_import(cvc::test::read_text("tests/fixtures/csv/customers.csv")).ok());
  auto preview =
      cvc::preview_customer_csv(cvc::test::read_text("tests/fixtures/csv/customers.csv"));
  REQUIRE(calc.stage_customer_import(preview.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_customer_import().ok());
  CHECK(calc.business_results().overall.contribution_total == Approx(2600.0));

  cvc::Scale csat;
  const auto record = [&](const char* text, const std::string& where) {
    return cvc::customer_from_json(nlohmann::json::parse(text), calc.customers(), csat, where);
  };
  // c5: 1,000 × 70% (default) − 4 h × 50 = 500.
  auto c5 = record(R"({"id": "c5", "segments": ["SMB"], "revenue": 1000, "support_hours": 4,
                       "start_date": "2026-05-01", "nps": 9})",
                   "new customer");
  REQUIRE(c5.ok());
  REQUIRE(calc.put_customer(std::nullopt, c5.value()).ok());
  CHECK(calc.business_results().overall.contribution_total == Approx(3100.0));
  // Replace c2 (−250) with a profitable version: 500 × 90% − 0 = 450.
  auto c2 = record(R"({"id": "c2", "segments": ["SMB"], "revenue": 500, "gross_margin": "90%",
                       "nps": 9})",
                   "row 2");
  REQUIRE(c2.ok());
  REQUIRE(calc.put_customer(1, c2.value()).ok());
  CHECK(calc.business_results().overall.contribution_total == Approx(3800.0));
  CHECK(calc.business_results().quadrants[1].customers == 0);  // no one erodes value now
  REQUIRE(calc.delete_customer(0).ok());                       // c1 (550) goes
  CHECK(calc.business_results().overall.contribution_total == Approx(3250.0));

  SECTION("bad values name the row and field, and change nothing") {
    CHECK_THAT(record(R"({"revenue": -5})", "row 1").error().message,
               Contains("row 1, revenue: negative revenue is not allowed"));
    CHECK_THAT(record(R"({"gross_margin": 1.5e2, "revenue": 1})", "row 1").error().message,
               Contains("a margin must be 0% to 100%"));
    CHECK_THAT(record(R"({"segments": ["Martians"]})", "row 1").error().message,
               Contains("no customer segment \"Martians\""));
    CHECK_THAT(record(R"({"segments": ["SMB", "Enterprise"]})", "row 1").error().message,
               Contains("at most one segment"));
    CHECK_THAT(record(R"({"start_date": "2026-05-01", "churn_date": "2026-01-01"})", "row 1")
                   .error()
                   .message,
               Contains("before the start date"));
    CHECK_THAT(record(R"({"wat": 1})", "row 1").error().message, Contains("unknown field"));
    auto duplicate = record(R"({"id": "c3", "revenue": 1})", "new customer");
    REQUIRE(duplicate.ok());
    CHECK_THAT(calc.put_customer(std::nullopt, duplicate.value()).error().message,
               Contains("\"c3\" is already in row"));
    CHECK_FALSE(calc.delete_customer(99).ok());
    CHECK(calc.business_results().overall.contribution_total == Approx(3250.0));
  }
}
