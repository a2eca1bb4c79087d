// Business value formulas against hand-computed values (shared/METRICS.md, "Retention,
// revenue and lifetime value"); the arithmetic is in each comment.
#include <catch2/catch.hpp>

#include "cvc/business.hpp"

using Catch::Matchers::Contains;

TEST_CASE("Simple CLV = APV × frequency × lifespan (× margin)", "[business]") {
  // APV = 100,000 / 2,000 = 50; frequency = 2,000 / 500 = 4 a year; × 3 years = 600;
  // × 40% margin = 240.
  cvc::SimpleClvInput in;
  in.revenue = 100000;
  in.purchases = 2000;
  in.customers = 500;
  in.lifespan = 3;
  in.gross_margin = 0.4;
  const auto r = cvc::simple_clv(in);
  REQUIRE(r.ok());
  CHECK(r.value().average_purchase_value == 50.0);
  CHECK(r.value().purchase_frequency == 4.0);
  CHECK(r.value().clv == 600.0);
  CHECK(*r.value().profit_clv == Approx(240.0).epsilon(1e-15));
  in.gross_margin = 1.2;
  CHECK_THAT(cvc::simple_clv(in).error().message, Contains("between 0% and 100%"));
  in.gross_margin.reset();
  in.purchases = 0;
  CHECK(cvc::simple_clv(in).error().field == "purchases");
}

TEST_CASE("Discounted CLV (Gupta & Lehmann 2003) with m = 100, r = 0.8, d = 0.1", "[business]") {
  cvc::DiscountedClvInput in;
  in.margin = 100;
  in.retention = 0.8;
  in.discount_rate = 0.1;
  SECTION("margins at period ends: m·r/(1 + d − r) = 80 / 0.3 = 266.667") {
    CHECK(cvc::discounted_clv(in).value() == Approx(800.0 / 3.0).epsilon(1e-14));
  }
  SECTION("first margin now: m·(1 + d)/(1 + d − r) = 110 / 0.3 = 366.667") {
    in.first_margin_now = true;
    CHECK(cvc::discounted_clv(in).value() == Approx(1100.0 / 3.0).epsilon(1e-14));
  }
  SECTION("horizon 3: 100 × (0.8/1.1 + 0.64/1.21 + 0.512/1.331) = 164.0872") {
    in.horizon = 3;
    CHECK(cvc::discounted_clv(in).value() == Approx(164.08715251690458).epsilon(1e-13));
    in.first_margin_now = true;  // 100 × (1 + 0.8/1.1 + 0.64/1.21) = 225.6198
    CHECK(cvc::discounted_clv(in).value() == Approx(225.61983471074382).epsilon(1e-13));
  }
  SECTION("a long horizon approaches the closed form") {
    in.horizon = 1000;
    CHECK(cvc::discounted_clv(in).value() == Approx(800.0 / 3.0).epsilon(1e-12));
  }
  SECTION("r = 0: nothing after the first period") {
    in.retention = 0;
    CHECK(cvc::discounted_clv(in).value() == 0.0);
    in.first_margin_now = true;
    CHECK(cvc::discounted_clv(in).value() == Approx(100.0).epsilon(1e-15));
  }
  SECTION("r ≥ 1 + d is an infinite CLV: refused, naming the field") {
    in.retention = 1;
    in.discount_rate = 0;
    const auto r = cvc::discounted_clv(in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == "retention");
    CHECK_THAT(r.error().message, Contains("infinite (unbounded)"));
  }
  SECTION("d ≤ −1, retention above 100%, units that don't match") {
    in.discount_rate = -1;
    CHECK(cvc::discounted_clv(in).error().field == "discount_rate");
    in.discount_rate = 0.1;
    in.retention = 1.5;
    CHECK(cvc::discounted_clv(in).error().field == "retention");
    in.retention = 0.8;
    in.retention_period = cvc::Period::month;
    const auto r = cvc::discounted_clv(in);
    CHECK(r.error().field == "discount_rate");
    CHECK_THAT(r.error().message,
               Contains("units don't match") && Contains("per month") && Contains("per year"));
  }
}

TEST_CASE("SaaS LTV = ARPA × gross margin / churn", "[business]") {
  // 100 a month × 80% / 2% a month = 4,000.
  cvc::SaasLtvInput in;
  in.arpa = 100;
  in.gross_margin = 0.8;
  in.churn_rate = 0.02;
  const auto r = cvc::saas_ltv(in);
  REQUIRE(r.ok());
  CHECK(*r.value().value == Approx(4000.0).epsilon(1e-14));
  in.churn_rate = 0;
  const auto unbounded = cvc::saas_ltv(in);
  REQUIRE(unbounded.ok());
  CHECK_FALSE(unbounded.value().value);
  CHECK(unbounded.value().undefined_reason == "unbounded: with no churn a customer never leaves");
  in.churn_rate = 0.02;
  in.arpa_period = cvc::Period::year;
  CHECK(cvc::saas_ltv(in).error().field == "churn_rate");
}

TEST_CASE("Churn and retention for a period, with a Wilson interval", "[business]") {
  // 10 of 200 customers at the start were lost: 5% churn, 95% retention.
  // Wilson 95% for 10/200 (formula in shared/METRICS.md): 2.7383% to 8.9578%.
  cvc::ChurnInput in;
  in.customers_at_start = 200;
  in.customers_lost = 10;
  const auto r = cvc::churn_rate(in);
  REQUIRE(r.ok());
  CHECK(r.value().churn.percent == 5.0);
  CHECK(r.value().retention.percent == 95.0);
  CHECK(r.value().churn.ci->low == Approx(2.73826456).epsilon(1e-8));
  CHECK(r.value().churn.ci->high == Approx(8.95781481).epsilon(1e-8));
  in.customers_lost = 201;
  CHECK_THAT(cvc::churn_rate(in).error().message, Contains("churn above 100%"));
  in.customers_lost = 2.5;
  CHECK(cvc::churn_rate(in).error().field == "customers_lost");
  in.customers_at_start = 0;
  in.customers_lost = 0;
  CHECK(cvc::churn_rate(in).value().churn.no_data_reason == "no customers at the start");
}

TEST_CASE("MRR movements, NRR, GRR and quick ratio", "[business]") {
  // A 100 → 150 expansion 50; B 200 → 0 churn 200; C 300 → 250 contraction 50;
  // D 0 → 80 new; E 0 → 60 reactivation (a customer before); F 100 → 100 unchanged.
  // Start 700, end 640; net new = 80 + 50 + 60 − 50 − 200 = −60 = end − start.
  // NRR = (700 + 50 − 50 − 200)/700 = 0.714286; GRR = (700 − 50 − 200)/700 = 0.642857;
  // quick ratio = (80 + 50)/(200 + 50) = 0.52.
  const std::vector<cvc::MrrCustomer> customers{{100, 150, true}, {200, 0, true}, {300, 250, true},
                                                {0, 80, false},   {0, 60, true},  {100, 100, true}};
  const auto r = cvc::mrr_movements(customers);
  REQUIRE(r.ok());
  const auto& m = r.value();
  CHECK(m.mrr_start == 700.0);
  CHECK(m.mrr_end == 640.0);
  CHECK(m.new_mrr == 80.0);
  CHECK(m.expansion == 50.0);
  CHECK(m.contraction == 50.0);
  CHECK(m.churned == 200.0);
  CHECK(m.reactivation == 60.0);
  CHECK(m.net_new == -60.0);
  CHECK(m.mrr_start + m.net_new == m.mrr_end);  // the movement algebra
  CHECK(*m.nrr.value == Approx(500.0 / 700.0).epsilon(1e-15));
  CHECK(*m.grr.value == Approx(450.0 / 700.0).epsilon(1e-15));
  CHECK(*m.quick_ratio.value == Approx(0.52).epsilon(1e-15));
  CHECK(m.customers_new == 1);
  CHECK(m.customers_reactivated == 1);
  CHECK(m.customers_churned == 1);
}

TEST_CASE("MRR movements: no start MRR, no churn, bad values", "[business]") {
  const auto only_new = cvc::mrr_movements({{0, 50, false}});
  CHECK(only_new.value().nrr.undefined_reason == "no MRR at the start");
  CHECK(only_new.value().quick_ratio.undefined_reason == "unbounded: no churn or contraction");
  const auto bad = cvc::mrr_movements({{10, 10, true}, {-5, 10, true}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().field == "customer 2, mrr_start");
}

TEST_CASE("Trial conversion and active-user rates with intervals", "[business]") {
  // 81 of 263 trials converted: Newcombe (1998) Wilson interval 25.53% to 36.62%.
  const auto r = cvc::rate_with_interval(81, 263, "trial conversion");
  REQUIRE(r.ok());
  CHECK(r.value().percent == Approx(100.0 * 81 / 263).epsilon(1e-14));
  CHECK(r.value().ci->low == Approx(25.53).margin(0.005));
  CHECK_THAT(cvc::rate_with_interval(5, 4, "active users").error().message, Contains("above 100%"));
}
