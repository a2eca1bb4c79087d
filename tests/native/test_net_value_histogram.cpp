// The net value histogram's whole-number path (NetValueSteps, sum_steps) against the
// per-respondent reference: random rating models with whole, half and quarter weights (the
// path's domain) and with other weights (the double kernel's), skipped answers, straight-liners
// at both ends of the scale, row counts around the 16-row lanes and the 2048-row blocks. The bins
// must be exactly make_histogram()'s over the reference values, with the SIMD kernel and
// without; the random models put many respondents exactly on bin edges, which the tests count.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cvc/survey_stats.hpp"
#include "cvc/value_results.hpp"
#include "reference_results.hpp"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct RatingSurvey {
  cvc::Model model;
  std::vector<double> answers;  // rows × items, NaN = skipped
  std::size_t rows = 0;
};

enum class Weights { whole, halves, quarters, any };

RatingSurvey rating_survey(std::uint64_t seed, std::size_t rows, Weights weights,
                           std::size_t max_items = 25) {
  std::mt19937_64 random(seed);
  const auto below = [&](std::size_t n) {
    return static_cast<std::size_t>(std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random));
  };
  const auto uniform = [&](double low, double high) {
    return std::uniform_real_distribution<double>(low, high)(random);
  };
  const cvc::ScaleType types[] = {cvc::ScaleType::likert_1_5, cvc::ScaleType::likert_1_7,
                                  cvc::ScaleType::likert_1_10, cvc::ScaleType::rating_0_10};
  RatingSurvey s;
  s.rows = rows;
  const std::size_t items = 1 + below(max_items);
  for (std::size_t j = 0; j < items; ++j) {
    cvc::Item item;
    item.id = "i" + std::to_string(j);
    item.label = "Item " + std::to_string(j);
    item.side = below(3) == 0 ? cvc::Side::cost : cvc::Side::benefit;
    item.kind = item.side == cvc::Side::benefit ? cvc::Kind::functional : cvc::Kind::price;
    const double step = weights == Weights::halves ? 0.5 : weights == Weights::quarters ? 0.25 : 1;
    item.weight = weights == Weights::any
                      ? uniform(0, 10)
                      : step * static_cast<double>(below(static_cast<std::size_t>(10 / step) + 1));
    item.scale.type = types[below(4)];
    item.reverse = below(4) == 0;
    s.model.items.push_back(item);
  }
  REQUIRE(cvc::validate(s.model).ok());
  // Skipped answers in some surveys; straight-liners (every answer lowest, or highest) in most.
  const double skip = seed % 3 == 0 ? 0.0 : uniform(0, 0.1);
  const double straight = seed % 4 == 0 ? 0.0 : uniform(0, 0.05);
  for (std::size_t r = 0; r < rows; ++r) {
    const double kind = uniform(0, 1);
    for (const auto& item : s.model.items) {
      const auto low = static_cast<std::size_t>(item.scale.low());
      const auto high = static_cast<std::size_t>(item.scale.high());
      std::size_t answer = low + below(high - low + 1);
      if (kind < straight / 2) answer = low;
      if (kind >= straight / 2 && kind < straight) answer = high;
      s.answers.push_back(uniform(0, 1) < skip ? kNaN : static_cast<double>(answer));
    }
  }
  return s;
}

// Respondents whose reference value lies exactly on an inner edge of `h`.
std::size_t on_edges(const cvc::Histogram& h, const std::vector<double>& values) {
  std::size_t n = 0;
  for (const double v : values) {
    const double position = (v - h.start) / h.bin_width;
    n += position > 0 && position == std::floor(position) &&
         position < static_cast<double>(h.counts.size());
  }
  return n;
}

void check_histogram(const RatingSurvey& s, bool expect_steps, std::size_t& edge_rows) {
  auto responses =
      cvc::Responses::from_matrix(s.model, s.answers.data(), s.answers.size(), nullptr, 0, s.rows);
  REQUIRE(responses.ok());
  const cvc::NetValueKernel kernel(s.model);
  CHECK(cvc::NetValueSteps::of(s.model, kernel).has_value() == expect_steps);
  const auto ref = cvc::test::reference_view(s.model, responses.value(), std::nullopt);
  const cvc::Histogram expected = cvc::make_histogram(ref.net_values);
  edge_rows += on_edges(expected, ref.net_values);
  for (const cvc::Simd simd : {cvc::Simd::automatic, cvc::Simd::off}) {
    CAPTURE(simd == cvc::Simd::automatic);
    const cvc::Histogram h = cvc::net_value_histogram(s.model, responses.value(), simd);
    CHECK(h.start == expected.start);
    CHECK(h.bin_width == expected.bin_width);
    CHECK(h.counts == expected.counts);
  }
}

}  // namespace

TEST_CASE("Net value histogram: whole-number steps give the reference's bins exactly",
          "[stats][histogram]") {
  const std::size_t sizes[] = {0, 1, 2, 15, 16, 17, 31, 33, 2047, 2048, 2049, 4111, 9000};
  std::size_t edge_rows = 0;
  std::uint64_t seed = 1;
  for (const Weights weights : {Weights::whole, Weights::halves, Weights::quarters}) {
    for (const std::size_t rows : sizes) {
      for (int repeat = 0; repeat < 3; ++repeat, ++seed) {
        CAPTURE(seed, rows);
        check_histogram(rating_survey(seed, rows, weights), true, edge_rows);
      }
    }
  }
  // Whole-number net values fall on the round bin edges often: the exact edge cases are tested.
  CHECK(edge_rows > 1000);
}

TEST_CASE("Net value histogram: other weights and amounts keep the double kernel",
          "[stats][histogram]") {
  std::size_t edge_rows = 0;
  for (std::uint64_t seed = 500; seed < 520; ++seed) {
    CAPTURE(seed);
    check_histogram(rating_survey(seed, 1 + seed % 3000, Weights::any), false, edge_rows);
  }
  cvc::Model model;
  cvc::Item amount;
  amount.id = "saved";
  amount.label = "Saved";
  amount.weight = 1;
  amount.scale = {cvc::ScaleType::currency, 100};
  model.items.push_back(amount);
  const cvc::NetValueKernel kernel(model);
  CHECK_FALSE(cvc::NetValueSteps::of(model, kernel));
}

TEST_CASE("Net value histogram: steps stay below 2^16, or the double kernel is used",
          "[stats][histogram]") {
  // 200 items at weight 10 on 0–10 reach 20,000 whole steps; in quarters 80,000, too many.
  cvc::Model model;
  for (int j = 0; j < 200; ++j) {
    cvc::Item item;
    item.id = "q" + std::to_string(j);
    item.label = item.id;
    item.weight = 10;
    item.scale.type = cvc::ScaleType::rating_0_10;
    model.items.push_back(item);
  }
  auto whole = cvc::NetValueSteps::of(model, cvc::NetValueKernel(model));
  REQUIRE(whole);
  CHECK(whole->top == 20000);
  CHECK(whole->shift == 0);
  model.items[0].weight = 9.75;
  CHECK_FALSE(cvc::NetValueSteps::of(model, cvc::NetValueKernel(model)));
  // A quarter weight on a small model: shift 2, the base the lowest possible net value.
  cvc::Model small;
  small.items = {model.items[0], model.items[1]};
  small.items[1].side = cvc::Side::cost;
  small.items[1].kind = cvc::Kind::price;
  small.items[1].weight = 0.5;
  const auto quarters = cvc::NetValueSteps::of(small, cvc::NetValueKernel(small));
  REQUIRE(quarters);
  CHECK(quarters->shift == 2);
  CHECK(quarters->base == -5.0);
  CHECK(quarters->top == 4 * (97.5 + 5));
  CHECK(quarters->value(quarters->top) == 97.5);
}

TEST_CASE("sum_steps: the SIMD kernel and plain C++ agree, skipped answers included",
          "[stats][histogram]") {
  for (std::uint64_t seed = 900; seed < 930; ++seed) {
    CAPTURE(seed);
    const RatingSurvey s =
        rating_survey(seed, 1 + seed % 100 * 37, seed % 2 ? Weights::whole : Weights::halves);
    auto responses = cvc::Responses::from_matrix(s.model, s.answers.data(), s.answers.size(),
                                                 nullptr, 0, s.rows);
    REQUIRE(responses.ok());
    const cvc::NetValueKernel kernel(s.model);
    const auto steps = cvc::NetValueSteps::of(s.model, kernel);
    REQUIRE(steps);
    std::vector<double> values(cvc::kStatsBlockRows);
    std::vector<std::uint16_t> simd(cvc::kStatsBlockRows), plain(cvc::kStatsBlockRows);
    cvc::for_each_block(responses.value(), [&](const cvc::SurveyBlock& block) {
      cvc::sum_steps(*steps, block, simd.data(), cvc::Simd::automatic);
      cvc::sum_steps(*steps, block, plain.data(), cvc::Simd::off);
      kernel.compute(block, values.data());
      for (std::size_t i = 0; i < block.rows; ++i) {
        CAPTURE(i);
        REQUIRE(simd[i] == plain[i]);
        if (block.complete[i] != 0) {
          REQUIRE(plain[i] <= steps->top);
          REQUIRE(steps->value(plain[i]) == values[i]);  // the double kernel's value, exactly
        } else {
          REQUIRE(plain[i] == steps->top + 1);
        }
      }
    });
  }
}

TEST_CASE("Net value cache: weights moved one at a time, or several, give the reference's bins",
          "[stats][histogram]") {
  std::size_t edge_rows = 0;
  for (std::uint64_t seed = 700; seed < 716; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 random(seed);
    const auto below = [&](std::size_t n) {
      return static_cast<std::size_t>(
          std::uniform_int_distribution<std::uint64_t>(0, n - 1)(random));
    };
    RatingSurvey s = rating_survey(seed, 1 + seed % 5 * 997, Weights::whole, 12);
    auto responses = cvc::Responses::from_matrix(s.model, s.answers.data(), s.answers.size(),
                                                 nullptr, 0, s.rows);
    REQUIRE(responses.ok());
    cvc::NetValueCache cache;
    cvc::Model& model = s.model;
    std::size_t moving = below(model.items.size());
    for (int step = 0; step < 30; ++step) {
      CAPTURE(step);
      // Mostly the same slider moving in whole steps; sometimes another item, several at once,
      // a half or an arbitrary weight, or no change at all.
      const std::size_t action = below(10);
      if (action == 7) moving = below(model.items.size());
      const std::size_t moves = action == 8 ? 2 + below(3) : action == 9 ? 0 : 1;
      for (std::size_t m = 0; m < moves; ++m) {
        const std::size_t item = m == 0 ? moving : below(model.items.size());
        const std::size_t kind = below(8);
        model.items[item].weight = kind == 0   ? 0.5 * static_cast<double>(below(21))
                                   : kind == 1 ? 10.0 * static_cast<double>(below(1000)) / 999
                                               : static_cast<double>(below(11));
      }
      const auto ref = cvc::test::reference_view(model, responses.value(), std::nullopt);
      const cvc::Histogram expected = cvc::make_histogram(ref.net_values);
      edge_rows += on_edges(expected, ref.net_values);
      const cvc::Histogram h = cache.histogram(
          model, responses.value(), step % 5 == 0 ? cvc::Simd::off : cvc::Simd::automatic);
      CHECK(h.start == expected.start);
      CHECK(h.bin_width == expected.bin_width);
      CHECK(h.counts == expected.counts);
    }
  }
  CHECK(edge_rows > 1000);
}

TEST_CASE("Net value cache: too many sums for 16-bit pairs count the rows again, same bins",
          "[stats][histogram]") {
  // 0–10 at weight 10 is 0–100 whole steps per item (see the test above: 200 items reach
  // 20,000). The cache counts (answer, other items' sum) pairs as one 16-bit index, 11 answers ×
  // (others' top + 1): 50 items give 11 × 4,901 = 53,911 pairs (counted), 70 items
  // 11 × 6,901 = 75,911 (too many: the rows are counted again for each move).
  for (const std::size_t items : {std::size_t{50}, std::size_t{70}}) {
    CAPTURE(items);
    std::mt19937_64 random(items);
    RatingSurvey s;
    s.rows = 3000;
    for (std::size_t j = 0; j < items; ++j) {
      cvc::Item item;
      item.id = "q" + std::to_string(j);
      item.label = item.id;
      item.weight = 10;
      item.scale.type = cvc::ScaleType::rating_0_10;
      s.model.items.push_back(item);
    }
    for (std::size_t r = 0; r < s.rows; ++r) {
      for (std::size_t j = 0; j < items; ++j) {
        const auto answer = std::uniform_int_distribution<int>(0, 10)(random);
        s.answers.push_back(r % 97 == 0 && j == 5 ? kNaN : static_cast<double>(answer));
      }
    }
    cvc::Model others = s.model;
    others.items[3].weight = 0;
    const auto rest = cvc::NetValueSteps::of(others, cvc::NetValueKernel(others));
    REQUIRE(rest);
    CHECK(11 * (std::size_t{rest->top} + 1) == (items == 50 ? 53911u : 75911u));
    auto responses = cvc::Responses::from_matrix(s.model, s.answers.data(), s.answers.size(),
                                                 nullptr, 0, s.rows);
    REQUIRE(responses.ok());
    cvc::NetValueCache cache;
    for (const double weight : {10.0, 7.0, 3.0, 0.0, 9.0, 9.5}) {
      CAPTURE(weight);
      s.model.items[3].weight = weight;
      const auto ref = cvc::test::reference_view(s.model, responses.value(), std::nullopt);
      const cvc::Histogram expected = cvc::make_histogram(ref.net_values);
      const cvc::Histogram h = cache.histogram(s.model, responses.value());
      CHECK(h.start == expected.start);
      CHECK(h.bin_width == expected.bin_width);
      CHECK(h.counts == expected.counts);
    }
  }
}
