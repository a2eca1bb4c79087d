#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "cvc/stats.hpp"
#include "cvc/summation.hpp"

TEST_CASE("Student t quantiles match the published table", "[stats]") {
  // Two-sided 95% critical values t(0.975, df) from the NIST/SEMATECH e-Handbook of
  // Statistical Methods, table 1.3.6.7.2 "Critical values of the Student's t distribution".
  struct Row {
    double df;
    double t;
  };
  const auto row =
      GENERATE(Row{1, 12.706}, Row{2, 4.303}, Row{3, 3.182}, Row{5, 2.571}, Row{10, 2.228},
               Row{20, 2.086}, Row{29, 2.045}, Row{30, 2.042}, Row{60, 2.000}, Row{100, 1.984});
  CAPTURE(row.df);
  CHECK(cvc::student_t_quantile(0.975, row.df) == Approx(row.t).margin(0.0005));
}

TEST_CASE("Student t quantile: exact closed forms", "[stats]") {
  // df = 1 is the Cauchy distribution: q(p) = tan(π(p − ½)).
  CHECK(cvc::student_t_quantile(0.975, 1) ==
        Approx(std::tan(3.14159265358979323846 * 0.475)).epsilon(1e-10));
  // df = 2: q(p) = (2p − 1)·sqrt(2 / (4p(1 − p))).
  const double p = 0.9;
  CHECK(cvc::student_t_quantile(p, 2) ==
        Approx((2 * p - 1) * std::sqrt(2.0 / (4 * p * (1 - p)))).epsilon(1e-10));
  CHECK(cvc::student_t_quantile(0.5, 7) == 0.0);
  CHECK(cvc::student_t_quantile(0.025, 10) == Approx(-2.228).margin(0.0005));
  // Large df approaches the normal quantile 1.959964.
  CHECK(cvc::student_t_quantile(0.975, 1e6) == Approx(cvc::kZ95).margin(1e-5));
}

TEST_CASE("Neumaier summation keeps digits that naive summation loses", "[stats]") {
  // The classic example (Neumaier 1974): 1 + 1e100 + 1 − 1e100 = 2; naive gives 0.
  cvc::NeumaierSum sum;
  for (const double x : {1.0, 1e100, 1.0, -1e100}) sum.add(x);
  CHECK(sum.value() == 2.0);
  // 0.1 added ten million times: the compensated sum is the double nearest 1e6.
  cvc::NeumaierSum tenth;
  double naive = 0;
  for (int i = 0; i < 10'000'000; ++i) {
    tenth.add(0.1);
    naive += 0.1;
  }
  CHECK(tenth.value() == Approx(1e6).epsilon(1e-15));
  CHECK(std::fabs(naive - 1e6) > 1e-6);  // shows the test can fail for a naive sum
}

TEST_CASE("Mean with t-interval, hand-computed", "[stats]") {
  SECTION("n = 4") {
    // x = 2, 4, 4, 6: mean 4, s² = (4 + 0 + 0 + 4)/3 = 8/3, s = 1.632993,
    // half-width = t(0.975, 3) · s/√4 = 3.182446 × 0.816497 = 2.598457.
    const std::vector<double> x{2, 4, 4, 6};
    const auto e = cvc::mean_with_t_interval(x.data(), x.size());
    CHECK(e.mean == 4.0);
    CHECK(e.standard_deviation == Approx(std::sqrt(8.0 / 3.0)));
    REQUIRE(e.ci.has_value());
    CHECK(e.ci->low == Approx(4 - 2.598457).epsilon(1e-6));
    CHECK(e.ci->high == Approx(4 + 2.598457).epsilon(1e-6));
  }
  SECTION("n = 1 has no interval, and says why") {
    const double x = 7;
    const auto e = cvc::mean_with_t_interval(&x, 1);
    CHECK(e.mean == 7.0);
    CHECK_FALSE(e.ci.has_value());
    CHECK(e.no_interval_reason == "an interval needs at least 2 respondents");
  }
  SECTION("n = 0 is no data, not NaN") {
    const auto e = cvc::mean_with_t_interval(nullptr, 0);
    CHECK(e.mean == 0.0);
    CHECK_FALSE(e.ci.has_value());
    CHECK(e.no_interval_reason == "no data");
  }
  SECTION("identical values give a zero-width interval") {
    const std::vector<double> x(10, 3.5);
    const auto e = cvc::mean_with_t_interval(x.data(), x.size());
    REQUIRE(e.ci.has_value());
    CHECK(e.ci->low == 3.5);
    CHECK(e.ci->high == 3.5);
  }
}
