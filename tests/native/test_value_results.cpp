#include <catch2/catch.hpp>
#include <cmath>

#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "cvc/value_results.hpp"
#include "survey_fixture.hpp"

using cvc::DataSource;

namespace {

cvc::ValueResults results_for(const cvc::test::SurveyFixture& f) {
  auto responses = cvc::Responses::from_matrix(f.model, f.answers.data(), f.answers.size(),
                                               f.membership.data(), f.membership.size(), f.rows);
  REQUIRE(responses.ok());
  return cvc::compute_value_results(f.model, &responses.value());
}

}  // namespace

TEST_CASE("Worked example: benefits 5,000 minus costs 2,000 is exactly 3,000", "[value]") {
  // shared/METRICS.md, "Customer value (the core)": benefits 5,000 and costs 2,000 give 3,000.
  auto model = cvc::load_model(cvc::test::read_text("tests/fixtures/worked-example.json"));
  REQUIRE(model.ok());
  const auto r = cvc::compute_value_results(model.value(), nullptr);
  CHECK(r.overall.source == DataSource::entered);
  CHECK(r.overall.total_benefits == 5000.0);
  CHECK(r.overall.total_costs == 2000.0);
  CHECK(r.overall.net_value.mean == 3000.0);
  // Index: 5,000 and 2,000 against a reference of 10,000 are 0.5 and 0.2: 100 × (0.5 − 0.2).
  CHECK(r.overall.value_index.mean == Approx(30.0).epsilon(1e-12));
  CHECK_FALSE(r.overall.net_value.ci.has_value());
}

TEST_CASE("Small survey: overall results by hand", "[value]") {
  // tests/fixtures/small-survey.json. Weights quality 2 (1–5), ease 1 (0–10), effort 3 (1–5).
  // r5 skipped "ease", so complete-case analysis uses r1–r4.
  //   net_r = 2q + e − 3f:  r1 17, r2 4, r3 −9, r4 7 → mean 4.75
  //   total benefits = 2 × mean q (4) + 1 × mean e (5) = 13; total costs = 3 × 2.75 = 8.25
  //   s = 10.719919, t(0.975, 3) = 3.182446 → half-width 17.057784
  //   index_r = 100 × ((2·(q−1)/4 + e/10)/3 − (f−1)/4): 100, 16.667, −66.667, 41.667 → 22.9167
  //   s = 69.180052 → half-width 110.080901
  const auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  const auto r = results_for(f);
  const auto& o = r.overall;
  CHECK(o.source == DataSource::survey);
  CHECK(o.respondents == 4);
  CHECK(o.excluded_incomplete == 1);
  CHECK(o.total_benefits == Approx(13.0).epsilon(1e-14));
  CHECK(o.total_costs == Approx(8.25).epsilon(1e-14));
  CHECK(o.net_value.mean == Approx(4.75).epsilon(1e-14));
  CHECK(o.net_value.standard_deviation == Approx(10.719919153924).epsilon(1e-10));
  REQUIRE(o.net_value.ci);
  CHECK(o.net_value.ci->low == Approx(4.75 - 17.057783552).epsilon(1e-8));
  CHECK(o.net_value.ci->high == Approx(4.75 + 17.057783552).epsilon(1e-8));
  CHECK(o.value_index.mean == Approx(22.916666666667).epsilon(1e-10));
  REQUIRE(o.value_index.ci);
  // 22.917 ± 110.081 reaches past the index's range: the interval is clipped to [−100, 100].
  CHECK(o.value_index.ci->low == Approx(22.916666666667 - 110.0809008448).epsilon(1e-8));
  CHECK(o.value_index.ci->high == 100.0);
  CHECK(o.items[0].mean_score == 4.0);
  CHECK(o.items[1].mean_normalised == 0.5);
  CHECK(o.items[2].contribution == 8.25);
}

TEST_CASE("Small survey: per-segment results, overrides and empty segments", "[value]") {
  const auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  const auto r = results_for(f);
  REQUIRE(r.segments.size() == 3);
  SECTION("SMB uses its own effort weight of 1") {
    // r1: 10 + 10 − 1 = 19, r2: 8 + 5 − 3 = 10 → mean 14.5; s = 6.363961, t(0.975,1) = 12.706205
    // index: r1 100, r2 100 × (2/3 − 1/2) = 16.667 → 58.333
    const auto& smb = r.segments[0];
    CHECK(smb.respondents == 2);
    CHECK(smb.items[2].weight == 1.0);
    CHECK(smb.net_value.mean == Approx(14.5).epsilon(1e-14));
    CHECK(smb.total_benefits == Approx(16.5).epsilon(1e-14));
    CHECK(smb.total_costs == Approx(2.0).epsilon(1e-14));
    REQUIRE(smb.net_value.ci);
    CHECK(smb.net_value.ci->high - 14.5 == Approx(57.177921313).epsilon(1e-8));
    CHECK(smb.value_index.mean == Approx(58.3333333333).epsilon(1e-10));
  }
  SECTION("Enterprise excludes the incomplete r5") {
    // r3: 6 + 0 − 15 = −9, r4: 8 + 5 − 6 = 7 → −1; index −66.667 and 41.667 → −12.5
    const auto& ent = r.segments[1];
    CHECK(ent.respondents == 2);
    CHECK(ent.excluded_incomplete == 1);
    CHECK(ent.net_value.mean == Approx(-1.0).epsilon(1e-14));
    CHECK(ent.value_index.mean == Approx(-12.5).epsilon(1e-12));
  }
  SECTION("A segment with nobody in it says no data") {
    const auto& empty = r.segments[2];
    CHECK(empty.source == DataSource::none);
    CHECK(empty.respondents == 0);
    CHECK(empty.no_data_reason == "no data: no respondents in this segment");
    CHECK(empty.items.empty());
  }
}

TEST_CASE("Sensitivity: one weight step moves the results as computed by hand", "[value]") {
  // Item means: quality 4 (norm 0.75), ease 5 (0.5), effort 2.75 (0.4375). Net is linear in
  // the weights, so one step moves it by the item's mean score:
  //   ease 1 → 0 / 2: net 4.75 ∓ 5; index 31.25 / 18.75 (swing 8.333)
  //   quality 2 → 1 / 3: net 0.75 / 8.75; index 18.75 / 25 (swing 4.1667)
  //   effort 3 → 2 / 4: net 7.5 / 2; the index does not move (the only cost item)
  const auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  const auto r = results_for(f);
  REQUIRE(r.sensitivity.size() == 3);
  CHECK(f.model.items[r.sensitivity[0].item].id == "ease");
  CHECK(f.model.items[r.sensitivity[1].item].id == "quality");
  CHECK(f.model.items[r.sensitivity[2].item].id == "effort");
  const auto& ease = r.sensitivity[0];
  CHECK(ease.weight_low == 0.0);
  CHECK(ease.weight_high == 2.0);
  CHECK(ease.net_value_low == Approx(-0.25).epsilon(1e-14));
  CHECK(ease.net_value_high == Approx(9.75).epsilon(1e-14));
  CHECK(ease.value_index_low == Approx(31.25).epsilon(1e-12));
  CHECK(ease.value_index_high == Approx(18.75).epsilon(1e-12));
  CHECK(ease.value_index_swing == Approx(8.3333333333).epsilon(1e-9));
  const auto& quality = r.sensitivity[1];
  CHECK(quality.net_value_low == Approx(0.75).epsilon(1e-14));
  CHECK(quality.net_value_high == Approx(8.75).epsilon(1e-14));
  CHECK(quality.value_index_low == Approx(18.75).epsilon(1e-12));
  CHECK(quality.value_index_high == Approx(25.0).epsilon(1e-12));
  const auto& effort = r.sensitivity[2];
  CHECK(effort.net_value_low == Approx(7.5).epsilon(1e-14));
  CHECK(effort.net_value_high == Approx(2.0).epsilon(1e-14));
  CHECK(effort.value_index_swing == Approx(0.0).margin(1e-12));
}

TEST_CASE("Sensitivity agrees with recomputing after a real weight change", "[value]") {
  auto f = cvc::test::load_survey_fixture("tests/fixtures/small-survey.json");
  const auto before = results_for(f);
  for (const auto& e : before.sensitivity) {
    auto changed = f;
    changed.model.items[e.item].weight = e.weight_high;
    const auto after = results_for(changed);
    CAPTURE(f.model.items[e.item].id);
    CHECK(after.overall.net_value.mean == Approx(e.net_value_high).epsilon(1e-12));
    CHECK(after.overall.value_index.mean == Approx(e.value_index_high).margin(1e-9));
  }
}

TEST_CASE("Weights clamp at the ends of the 0–10 range in the sensitivity", "[value]") {
  auto model = cvc::load_model(cvc::test::read_text("tests/fixtures/worked-example.json"));
  REQUIRE(model.ok());
  auto m = model.value();
  m.items[0].weight = 10;
  m.items[1].weight = 0;
  const auto r = cvc::compute_value_results(m, nullptr);
  for (const auto& e : r.sensitivity) {
    if (m.items[e.item].id == "benefit") {
      CHECK(e.weight_high == 10.0);
      CHECK(e.weight_low == 9.0);
      CHECK(e.net_value_high == r.overall.net_value.mean);
    } else {
      CHECK(e.weight_low == 0.0);
      CHECK(e.weight_high == 1.0);
    }
  }
}

TEST_CASE("Reverse-coded items count from the other end of their scale", "[value]") {
  auto model = cvc::load_model(cvc::test::read_text("tests/fixtures/worked-example.json"));
  REQUIRE(model.ok());
  cvc::Model m = model.value();
  m.items = {m.items[0]};
  cvc::Item item;
  item.id = "hassle";
  item.label = "Hassle-free (agree = low cost)";
  item.side = cvc::Side::cost;
  item.kind = cvc::Kind::effort;
  item.weight = 2;
  item.scale.type = cvc::ScaleType::likert_1_7;
  item.reverse = true;
  item.entered_score = 6;  // answered 6 of 7 → reverse-coded score 1 + 7 − 6 = 2
  m.items.push_back(item);
  REQUIRE(cvc::validate(m).ok());
  const auto r = cvc::compute_value_results(m, nullptr);
  CHECK(r.overall.items[1].mean_score == 2.0);
  CHECK(r.overall.items[1].mean_normalised == Approx(1.0 / 6.0).epsilon(1e-14));
  CHECK(r.overall.total_costs == 4.0);
  CHECK(r.overall.net_value.mean == 5000.0 - 4.0);
}

TEST_CASE("Entered scores: segment overrides, and missing scores say no data", "[value]") {
  auto model = cvc::load_model(cvc::test::read_text("web/sample/model.json"));
  REQUIRE(model.ok());
  cvc::Model m = model.value();
  SECTION("every sample item has an entered score, so every view has results") {
    const auto r = cvc::compute_value_results(m, nullptr);
    CHECK(r.overall.source == DataSource::entered);
    for (const auto& s : r.segments) CHECK(s.source == DataSource::entered);
  }
  SECTION("a segment's entered score replaces the model's for that segment only") {
    m.segments[0].entered_scores["price"] = 5;
    const auto r = cvc::compute_value_results(m, nullptr);
    const double weight = m.segments[0].weight_overrides.at("price");
    CHECK(r.segments[0].items[6].mean_score == 5.0);
    CHECK(r.segments[1].items[6].mean_score == 3.6);
    CHECK(r.segments[0].items[6].contribution == weight * 5.0);
  }
  SECTION("an item without a score leaves the view without data, with the reason") {
    m.items[3].entered_score.reset();
    const auto r = cvc::compute_value_results(m, nullptr);
    CHECK(r.overall.source == DataSource::none);
    CHECK(r.overall.no_data_reason ==
          "no data: no score entered for \"Confidence and peace of mind\"");
    CHECK(r.sensitivity.empty());
  }
}

TEST_CASE("Results are finite, even at the extremes of every input", "[value]") {
  // Amounts at the maximum with all weights at 10: nothing overflows to Infinity.
  auto model = cvc::load_model(cvc::test::read_text("tests/fixtures/worked-example.json"));
  REQUIRE(model.ok());
  cvc::Model m = model.value();
  for (auto& item : m.items) {
    item.weight = cvc::kMaxWeight;
    item.entered_score = cvc::kMaxAmount;
    item.scale.reference_amount = 1;  // amounts far above the reference count as 1
  }
  const auto r = cvc::compute_value_results(m, nullptr);
  const auto json = cvc::results_to_json(m, r, 0);
  CHECK(json["overall"]["net_value"]["mean"].is_number());
  CHECK(json["overall"]["total_benefits"].get<double>() == 1e13);
  CHECK(std::isfinite(r.overall.total_benefits));
  CHECK(r.overall.value_index.mean == 0.0);
  CHECK(r.overall.net_value.mean == 0.0);
}
