// Results from sufficient statistics against the per-respondent reference, on random models
// and surveys: every scale, reverse coding, amounts, zero and fractional weights, segment
// overrides, skipped answers, segments without complete respondents, more rows than one
// statistics block. Means, intervals and sensitivity agree within 1e-12 relative; the
// histogram and every count agree exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/survey_stats.hpp"
#include "cvc/value_results.hpp"
#include "reference_results.hpp"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// |a − b| within 1e-12 of the larger, or (for results that cancel to near 0) within 1e-14 of
// `scale`, the size of the terms that cancelled.
bool close(double a, double b, double scale) {
  const double diff = std::fabs(a - b);
  return diff <= 1e-12 * std::max(std::fabs(a), std::fabs(b)) || diff <= 1e-14 * scale;
}

struct RandomSurvey {
  cvc::Model model;
  cvc::ResponseBuffers data;
  std::size_t rows = 0;
};

RandomSurvey random_survey(std::uint64_t seed, std::size_t max_rows) {
  std::mt19937_64 random(seed);
  const auto uniform = [&](double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random);
  };
  const auto below = [&](std::size_t n) {
    return static_cast<std::size_t>(std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random));
  };
  RandomSurvey s;
  const cvc::ScaleType types[] = {cvc::ScaleType::likert_1_5, cvc::ScaleType::likert_1_7,
                                  cvc::ScaleType::likert_1_10, cvc::ScaleType::rating_0_10,
                                  cvc::ScaleType::currency};
  const std::size_t items = 1 + below(12);
  const bool amounts = below(3) == 0;
  for (std::size_t j = 0; j < items; ++j) {
    cvc::Item item;
    item.id = "i" + std::to_string(j);
    item.label = "Item " + std::to_string(j);
    item.side = below(2) == 0 ? cvc::Side::benefit : cvc::Side::cost;
    item.kind = item.side == cvc::Side::benefit ? cvc::Kind::functional : cvc::Kind::price;
    // Whole, fractional and zero weights.
    const std::size_t w = below(4);
    item.weight = w == 0 ? 0.0 : w == 1 ? static_cast<double>(below(11)) : uniform(0, 10);
    item.scale.type = types[below(amounts ? 5 : 4)];
    if (item.scale.type == cvc::ScaleType::currency) item.scale.reference_amount = uniform(1, 500);
    item.reverse = item.scale.is_rating() && below(4) == 0;
    s.model.items.push_back(item);
  }
  // Two exclusive groups and an ungrouped segment; overrides on some items.
  const char* groups[] = {"size", "size", "tenure", "tenure", ""};
  const std::size_t segments = below(6);
  for (std::size_t k = 0; k < segments; ++k) {
    cvc::Segment seg;
    seg.id = "s" + std::to_string(k);
    seg.label = "Segment " + std::to_string(k);
    seg.group = groups[k];
    for (const auto& item : s.model.items) {
      if (below(3) == 0) seg.weight_overrides[item.id] = uniform(0, 10);
    }
    s.model.segments.push_back(seg);
  }
  const auto valid = cvc::validate(s.model);
  INFO((valid.ok() ? std::string() : valid.error().message));
  REQUIRE(valid.ok());

  s.rows = below(max_rows + 1);
  const double skip = below(3) == 0 ? 0.0 : uniform(0, 0.08);
  const bool metrics = below(4) != 0;
  s.data.has_ids = false;
  for (std::size_t r = 0; r < s.rows; ++r) {
    for (const auto& item : s.model.items) {
      double answer = kNaN;
      if (uniform(0, 1) >= skip) {
        if (item.scale.is_rating()) {
          const auto low = static_cast<std::size_t>(item.scale.low());
          answer = static_cast<double>(
              low + below(static_cast<std::size_t>(item.scale.high()) - low + 1));
        } else {
          // Amounts around and above the reference (normalised scores clamp at 1).
          answer = std::round(uniform(0, 1.5 * item.scale.reference_amount) * 100) / 100;
        }
      }
      s.data.answers.push_back(answer);
    }
    // At most one segment per group; segment 0 ("size") may be empty in some surveys.
    const std::size_t size = below(3), tenure = below(3);
    for (std::size_t k = 0; k < segments; ++k) {
      const bool member = k < 2 ? size == k + (seed % 2) : k < 4 ? tenure == k - 2 : below(2) == 0;
      s.data.membership.push_back(member ? 1 : 0);
    }
    if (metrics) {
      s.data.metrics.push_back(below(10) == 0 ? kNaN : static_cast<double>(below(11)));
      s.data.metrics.push_back(below(10) == 0 ? kNaN : static_cast<double>(1 + below(5)));
      s.data.metrics.push_back(below(10) == 0 ? kNaN : static_cast<double>(1 + below(7)));
    }
  }
  return s;
}

// The largest |net value| possible and the index's: what a near-zero result is relative to.
double net_scale(const cvc::Model& model) {
  double scale = 0;
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    scale += cvc::kMaxWeight * model.items[j].scale.high();
  }
  return scale;
}

void check_view(const cvc::Model& model, const cvc::ViewResult& view,
                const cvc::test::ReferenceView& ref) {
  const double scale = net_scale(model);
  CHECK(view.survey_rows == ref.survey_rows);
  CHECK(view.respondents == ref.respondents);
  CHECK(view.excluded_incomplete == ref.survey_rows - ref.respondents);
  CHECK(view.low_confidence == (ref.survey_rows > 0 && ref.survey_rows < 30));
  // Satisfaction: counts exact, means and intervals close.
  CHECK(view.satisfaction.nps.promoters == ref.nps.promoters);
  CHECK(view.satisfaction.nps.detractors == ref.nps.detractors);
  CHECK(view.satisfaction.nps.nps == ref.nps.nps);
  CHECK(view.satisfaction.csat.count == ref.csat.count);
  CHECK(view.satisfaction.csat.n == ref.csat.n);
  CHECK(view.satisfaction.ces.mean.n == ref.ces.n);
  CHECK(view.satisfaction.ces.mean.mean == ref.ces.mean);  // a whole-number sum over n
  CHECK(close(view.satisfaction.ces.mean.standard_deviation, ref.ces.standard_deviation, 7));
  CHECK(view.satisfaction.ces.mean.no_interval_reason == ref.ces.no_interval_reason);
  if (ref.respondents == 0) {
    CHECK(view.source == cvc::DataSource::none);
    CHECK_FALSE(view.no_data_reason.empty());
    return;
  }
  REQUIRE(view.source == cvc::DataSource::survey);
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    CAPTURE(j);
    CHECK(close(view.items[j].mean_score, ref.mean_score[j], model.items[j].scale.high()));
    CHECK(close(view.items[j].mean_normalised, ref.mean_normalised[j], 1));
  }
  CHECK(close(view.net_value.mean, ref.net_value.mean, scale));
  CHECK(close(view.value_index.mean, ref.value_index.mean, 100));
  CHECK(view.net_value.n == ref.net_value.n);
  CHECK(close(view.net_value.standard_deviation, ref.net_value.standard_deviation, scale));
  CHECK(close(view.value_index.standard_deviation, ref.value_index.standard_deviation, 100));
  CHECK(view.net_value.no_interval_reason == ref.net_value.no_interval_reason);
  REQUIRE(view.net_value.ci.has_value() == ref.net_value.ci.has_value());
  if (ref.net_value.ci) {
    // Both intervals are centred on the exact mean: compare the half-widths.
    const double half = 0.5 * (view.net_value.ci->high - view.net_value.ci->low);
    const double ref_half = 0.5 * (ref.net_value.ci->high - ref.net_value.ci->low);
    CHECK(close(half, ref_half, scale));
    CHECK(close(view.net_value.ci->low, view.net_value.mean - half, scale));
  }
}

void check_against_reference(const cvc::Model& model, const cvc::Responses& responses,
                             const cvc::ValueResults& results) {
  {
    INFO("all respondents");
    check_view(model, results.overall, cvc::test::reference_view(model, responses, std::nullopt));
  }
  for (std::size_t s = 0; s < model.segments.size(); ++s) {
    INFO("segment " << s);
    check_view(model, results.segments[s], cvc::test::reference_view(model, responses, s));
  }
  // The histogram: the same per-respondent values, so exactly the same bins.
  const auto ref = cvc::test::reference_view(model, responses, std::nullopt);
  const cvc::Histogram h = cvc::make_histogram(ref.net_values);
  CHECK(results.net_value_histogram.start == h.start);
  CHECK(results.net_value_histogram.bin_width == h.bin_width);
  CHECK(results.net_value_histogram.counts == h.counts);
  // Sensitivity: each step against a full per-respondent recomputation with that weight.
  if (ref.respondents == 0) {
    CHECK(results.sensitivity.empty());
    return;
  }
  REQUIRE(results.sensitivity.size() == model.items.size());
  for (const auto& e : results.sensitivity) {
    CAPTURE(e.item);
    for (const double w : {e.weight_low, e.weight_high}) {
      cvc::Model moved = model;
      moved.items[e.item].weight = w;
      const auto r = cvc::test::reference_view(moved, responses, std::nullopt);
      const double net = w == e.weight_low ? e.net_value_low : e.net_value_high;
      const double index = w == e.weight_low ? e.value_index_low : e.value_index_high;
      CHECK(close(net, r.net_value.mean, net_scale(model)));
      CHECK(close(index, r.value_index.mean, 100));
    }
  }
}

}  // namespace

TEST_CASE("Statistics: results match the per-respondent reference on random surveys", "[stats]") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    CAPTURE(seed);
    const RandomSurvey s = random_survey(seed, seed % 4 == 0 ? 5000 : 300);
    auto responses = cvc::Responses::from_input(s.model, s.data.input(s.rows));
    REQUIRE(responses.ok());
    check_against_reference(s.model, responses.value(),
                            cvc::compute_value_results(s.model, &responses.value()));
  }
}

TEST_CASE(
    "Statistics: the calculator keeps them across weight changes and rebuilds them on "
    "data changes",
    "[stats][calculator]") {
  for (std::uint64_t seed = 101; seed <= 106; ++seed) {
    CAPTURE(seed);
    RandomSurvey s = random_survey(seed, 2500);
    if (s.rows < 2) continue;
    cvc::Calculator calc;
    REQUIRE(calc.load_model(s.model).ok());
    REQUIRE(calc.set_responses(s.data.input(s.rows)).ok());
    (void)calc.results();
    // Weight changes, overall and for a segment: results from the kept statistics.
    REQUIRE(calc.set_weight(s.model.items[0].id, 7.25).ok());
    if (!s.model.segments.empty()) {
      REQUIRE(calc.set_weight(s.model.items.back().id, 0.5, s.model.segments[0].id).ok());
    }
    check_against_reference(calc.model(), calc.responses(), calc.results());
    // Editing a respondent, deleting one: the statistics follow the data.
    cvc::ResponseBuffers one;
    one.has_ids = false;
    one.answers.assign(s.data.answers.begin(),
                       s.data.answers.begin() + static_cast<std::ptrdiff_t>(s.model.items.size()));
    one.membership.assign(s.model.segments.size(), 0);
    REQUIRE(calc.replace_response(1, one.input(1)).ok());
    REQUIRE(calc.delete_response(0).ok());
    check_against_reference(calc.model(), calc.responses(), calc.results());
  }
}

TEST_CASE("Statistics: rating variances are exact however far the data sit from zero", "[stats]") {
  // 0–10 answers of 9 and 10 only, one item of weight 1: the naive Σx² − (Σx)²/n would lose
  // most digits at this n. The sample variance is exactly n/(4(n − 1)) with n/2 of each.
  cvc::Model model;
  cvc::Item item;
  item.id = "q";
  item.label = "Q";
  item.weight = 1;
  item.scale.type = cvc::ScaleType::rating_0_10;
  model.items.push_back(item);
  const std::size_t n = 20000;
  std::vector<double> answers(n);
  for (std::size_t r = 0; r < n; ++r) answers[r] = r % 2 == 0 ? 9 : 10;
  auto responses = cvc::Responses::from_matrix(model, answers.data(), n, nullptr, 0, n);
  REQUIRE(responses.ok());
  const auto r = cvc::compute_value_results(model, &responses.value());
  const double nd = static_cast<double>(n);
  CHECK(r.overall.net_value.mean == 9.5);
  CHECK(r.overall.net_value.standard_deviation ==
        Approx(std::sqrt(nd / (4 * (nd - 1)))).epsilon(2e-16));
  // Index: scores 0.9 and 1.0, sd a tenth of that times 100.
  CHECK(r.overall.value_index.standard_deviation ==
        Approx(10 * std::sqrt(nd / (4 * (nd - 1)))).epsilon(1e-15));
}

TEST_CASE("Statistics: identical respondents have no spread, and one respondent no interval",
          "[stats]") {
  cvc::Model model;
  for (int j = 0; j < 3; ++j) {
    cvc::Item item;
    item.id = "q" + std::to_string(j);
    item.label = "Q" + std::to_string(j);
    item.weight = 1.5 + j;
    item.side = j == 2 ? cvc::Side::cost : cvc::Side::benefit;
    item.kind = j == 2 ? cvc::Kind::price : cvc::Kind::functional;
    model.items.push_back(item);
  }
  std::vector<double> answers{4, 2, 5, 4, 2, 5, 4, 2, 5};
  auto three = cvc::Responses::from_matrix(model, answers.data(), 9, nullptr, 0, 3);
  REQUIRE(three.ok());
  const auto r = cvc::compute_value_results(model, &three.value());
  CHECK(r.overall.net_value.standard_deviation == 0.0);
  REQUIRE(r.overall.net_value.ci);
  CHECK(r.overall.net_value.ci->low == r.overall.net_value.mean);
  auto one = cvc::Responses::from_matrix(model, answers.data(), 3, nullptr, 0, 1);
  REQUIRE(one.ok());
  const auto single = cvc::compute_value_results(model, &one.value());
  CHECK_FALSE(single.overall.net_value.ci);
  CHECK(single.overall.net_value.no_interval_reason == "an interval needs at least 2 respondents");
  CHECK(single.overall.net_value.mean == 1.5 * 4 + 2.5 * 2 - 3.5 * 5);
}
