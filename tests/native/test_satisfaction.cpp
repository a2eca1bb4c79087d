#include <catch2/catch.hpp>

#include "cvc/satisfaction.hpp"

TEST_CASE("Wilson interval matches Newcombe (1998), Table I, method 3", "[satisfaction]") {
  // R. G. Newcombe, "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Statistics in Medicine 17 (1998) 857–872: 81/263 → 0.2553–0.3662,
  // 15/148 → 0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718.
  struct Row {
    std::size_t x, n;
    double low, high;
  };
  const auto row = GENERATE(Row{81, 263, 25.53, 36.62}, Row{15, 148, 6.24, 16.05},
                            Row{0, 20, 0.0, 16.11}, Row{1, 29, 0.61, 17.18});
  CAPTURE(row.x, row.n);
  const auto e = cvc::wilson_share(row.x, row.n);
  REQUIRE(e.ci);
  CHECK(e.ci->low == Approx(row.low).margin(0.005));
  CHECK(e.ci->high == Approx(row.high).margin(0.005));
}

TEST_CASE("Wilson interval edge cases", "[satisfaction]") {
  const auto all = cvc::wilson_share(29, 29);  // hand: centre 30.92/32.84, high 1 up to rounding
  REQUIRE(all.ci);
  CHECK(all.percent == 100.0);
  CHECK(all.ci->high == Approx(100.0).epsilon(1e-12));
  CHECK(all.ci->low == Approx(88.30).margin(0.005));
  const auto none = cvc::wilson_share(0, 0);
  CHECK_FALSE(none.ci);
  CHECK(none.no_data_reason == "no data");
}

TEST_CASE("NPS groups: 9–10 promoters, 7–8 passives, 0–6 detractors (Reichheld 2003)",
          "[satisfaction]") {
  CHECK(cvc::nps_group(10) == 1);
  CHECK(cvc::nps_group(9) == 1);
  CHECK(cvc::nps_group(8) == 0);
  CHECK(cvc::nps_group(7) == 0);
  CHECK(cvc::nps_group(6) == -1);
  CHECK(cvc::nps_group(0) == -1);
}

TEST_CASE("NPS and its adjusted-Wald interval, by hand", "[satisfaction]") {
  SECTION("30 promoters, 10 passives, 10 detractors") {
    // NPS = 100 × (30 − 10)/50 = 40. Wald SE = 100 × sqrt((0.6 + 0.2 − 0.16)/50) = 11.3137.
    // Adjusted: n' = 53, p' = 30.75/53 = 0.580189, d' = 10.75/53 = 0.202830,
    // V = 0.783019 − 0.377358² = 0.640620, half = 1.959964 × sqrt(V/53) = 0.215482
    // → 100 × (0.377358 ± 0.215482) = 16.1877 to 59.2840.
    const auto e = cvc::nps_from_counts(30, 10, 10);
    CHECK(e.n == 50);
    CHECK(e.nps == 40.0);
    CHECK(e.wald_standard_error == Approx(11.3137085).epsilon(1e-8));
    REQUIRE(e.ci);
    CHECK(e.ci->low == Approx(16.18769).epsilon(1e-6));
    CHECK(e.ci->high == Approx(59.28401).epsilon(1e-6));
  }
  SECTION("n = 1, one promoter") {
    // n' = 4, p' = 0.4375, d' = 0.1875, V = 0.625 − 0.0625 = 0.5625, half = z × 0.375
    const auto e = cvc::nps_from_counts(1, 0, 0);
    CHECK(e.nps == 100.0);
    REQUIRE(e.ci);
    CHECK(e.ci->low == Approx(100 * (0.25 - 1.959964 * 0.375)).epsilon(1e-6));
    CHECK(e.ci->high == Approx(100 * (0.25 + 1.959964 * 0.375)).epsilon(1e-6));
  }
  SECTION("all promoters: the interval is clipped at 100") {
    // n' = 13, p' − d' = 10/13, V = 0.292899: 47.5036 to 106.34 → clipped to 100.
    const auto e = cvc::nps_from_counts(10, 0, 0);
    CHECK(e.nps == 100.0);
    CHECK(e.wald_standard_error == 0.0);
    CHECK(e.ci->low == Approx(47.50355).epsilon(1e-6));
    CHECK(e.ci->high == 100.0);
  }
  SECTION("all detractors: clipped at −100") {
    const auto e = cvc::nps_from_counts(0, 0, 10);
    CHECK(e.nps == -100.0);
    CHECK(e.ci->low == -100.0);
    CHECK(e.ci->high == Approx(-47.50355).epsilon(1e-6));
  }
  SECTION("no answers: no data, no NaN") {
    const auto e = cvc::nps_from_counts(0, 0, 0);
    CHECK(e.nps == 0.0);
    CHECK_FALSE(e.ci);
    CHECK(e.no_data_reason == "no data");
  }
}

TEST_CASE("Comparing two NPS values", "[satisfaction]") {
  // Same counts: z = 0, p = 1. Different: hand-computed with the adjusted terms:
  // a = (30,10,10): p'−d' = 0.377358, V/n' = 0.640620/53 = 0.0120872
  // b = (10,10,30): p'−d' = −0.377358, same V/n'
  // z = 0.754717 / sqrt(0.0241744) = 4.85409
  const auto a = cvc::nps_from_counts(30, 10, 10);
  const auto b = cvc::nps_from_counts(10, 10, 30);
  const auto same = cvc::compare_nps(a, a);
  CHECK(same.z == 0.0);
  CHECK(same.p_value == 1.0);
  const auto c = cvc::compare_nps(a, b);
  CHECK(c.defined);
  CHECK(c.difference == 80.0);
  CHECK(c.z == Approx(4.85409).epsilon(1e-5));
  CHECK(c.p_value < 1e-5);
  CHECK_FALSE(cvc::compare_nps(a, cvc::nps_from_counts(0, 0, 0)).defined);
}
