// Business value: lifetime value, churn and retention, MRR movements and revenue retention,
// conversion rates (shared/METRICS.md, "Retention, revenue and lifetime value"). Every rate
// carries its period; rates of different periods are refused, never converted silently.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cvc/business_settings.hpp"
#include "cvc/satisfaction.hpp"
#include "cvc/status.hpp"

namespace cvc {

/// A number, or the reason in words that it does not exist ("unbounded: …").
struct Outcome {
  std::optional<double> value;
  std::string undefined_reason;
};

/// Simple CLV = average purchase value × purchase frequency × lifespan (× gross margin for
/// profit CLV). APV = revenue / purchases; frequency = purchases / customers per period.
struct SimpleClvInput {
  double revenue = 0;    // over the period
  double purchases = 0;  // over the period
  double customers = 0;
  double lifespan = 0;                 // in periods
  std::optional<double> gross_margin;  // 0–1
  Period period = Period::year;
};
struct SimpleClv {
  double average_purchase_value = 0;
  double purchase_frequency = 0;  // purchases per customer per period
  double clv = 0;                 // revenue
  std::optional<double> profit_clv;
};
Expected<SimpleClv> simple_clv(const SimpleClvInput& in);

/// Discounted CLV (Gupta & Lehmann 2003, "Customers as assets", J. Interactive Marketing):
/// margin m per period, retention r, discount rate d, both per the same period.
///   margins at period ends:     m·r / (1 + d − r)
///   the first margin now:       m·(1 + d) / (1 + d − r)
///   a finite horizon of T periods: Σ_{t=1..T} m·r^t / (1 + d)^t (t = 0..T−1 when the first
///   margin is now). The infinite sum needs r < 1 + d.
struct DiscountedClvInput {
  double margin = 0;
  double retention = 0;  // 0–1
  Period retention_period = Period::year;
  double discount_rate = 0;  // > −1
  Period discount_period = Period::year;
  bool first_margin_now = false;
  std::optional<int> horizon;  // periods, 1–1000
};
Expected<double> discounted_clv(const DiscountedClvInput& in);

/// SaaS LTV = ARPA × gross margin / churn rate, all per the same period. Churn 0 gives an
/// unbounded LTV, reported in words.
struct SaasLtvInput {
  double arpa = 0;
  Period arpa_period = Period::month;
  double gross_margin = 0;  // 0–1
  double churn_rate = 0;    // 0–1
  Period churn_period = Period::month;
};
Expected<Outcome> saas_ltv(const SaasLtvInput& in);

/// Churn for a period (ChartMogul's B2B definition): customers lost of those present at the
/// start (not counting customers who joined and left within the period) ÷ customers at the
/// start, with a Wilson interval. Retention = 1 − churn.
struct ChurnInput {
  double customers_at_start = 0;
  double customers_lost = 0;  // of those at the start
  Period period = Period::month;
};
struct Churn {
  ShareEstimate churn;      // percent, with Wilson interval
  ShareEstimate retention;  // percent, the complement
  Period period = Period::month;
};
Expected<Churn> churn_rate(const ChurnInput& in);

/// One customer's MRR at two snapshots. `active_before_start` tells a returning customer
/// (reactivation) from a new one when the start MRR is 0.
struct MrrCustomer {
  double mrr_start = 0;
  double mrr_end = 0;
  bool active_before_start = false;
};
/// MRR movements between two snapshots (ChartMogul / Baremetrics definitions):
///   new, expansion, contraction, churn, reactivation;
///   net new MRR = new + expansion + reactivation − contraction − churn;
///   GRR = (MRR_start − contraction − churn) / MRR_start;
///   NRR = (MRR_start + expansion − contraction − churn) / MRR_start (customers present at the
///   start only: no new business, no reactivation);
///   quick ratio = (new + expansion) / (churn + contraction).
struct MrrMovements {
  double mrr_start = 0;
  double mrr_end = 0;
  double new_mrr = 0;
  double expansion = 0;
  double contraction = 0;
  double churned = 0;
  double reactivation = 0;
  double net_new = 0;
  std::size_t customers_new = 0;
  std::size_t customers_churned = 0;
  std::size_t customers_reactivated = 0;
  Outcome nrr;  // a fraction (1.05 = 105%)
  Outcome grr;
  Outcome quick_ratio;
};
Expected<MrrMovements> mrr_movements(const std::vector<MrrCustomer>& customers);

/// A conversion-style rate with its Wilson interval: trial conversion (converted ÷ trials),
/// active-user rate (active ÷ users). `what` names the inputs in messages.
Expected<ShareEstimate> rate_with_interval(double count, double total, const std::string& what);

}  // namespace cvc
