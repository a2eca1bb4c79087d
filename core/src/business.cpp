#include "cvc/business.hpp"

#include <cmath>
#include <cstdio>

#include "cvc/summation.hpp"

namespace cvc {
namespace {

std::string text(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

Status finite_at_least(double x, double low, const std::string& field, const std::string& what) {
  if (!std::isfinite(x) || x < low) {
    return Error{field, what + " (" + field + ") must be a number of at least " + text(low) +
                            "; got " + (std::isfinite(x) ? text(x) : "not a number") + "."};
  }
  return Status::success();
}

Status fraction(double x, const std::string& field, const std::string& what) {
  if (!std::isfinite(x) || x < 0 || x > 1) {
    return Error{field, what + " (" + field + ") must be between 0% and 100%; got " +
                            (std::isfinite(x) ? text(100 * x) + "%" : "not a number") + "."};
  }
  return Status::success();
}

Status same_period(Period a, const std::string& field_a, Period b, const std::string& field_b) {
  if (a == b) return Status::success();
  return Error{field_b, "The units don't match: " + field_a + " is per " +
                            std::string(to_string(a)) + " but " + field_b + " is per " +
                            std::string(to_string(b)) +
                            ". Give both per the same period; the calculator does not convert "
                            "rates silently."};
}

bool whole(double x) {
  return std::isfinite(x) && x >= 0 && x == std::floor(x) && x < 1e15;
}

}  // namespace

std::string_view to_string(Period period) {
  return period == Period::month ? "month" : "year";
}

std::optional<Period> period_from_string(std::string_view text) {
  if (text == "month") return Period::month;
  if (text == "year") return Period::year;
  return std::nullopt;
}

Expected<SimpleClv> simple_clv(const SimpleClvInput& in) {
  if (auto s = finite_at_least(in.revenue, 0, "revenue", "Revenue"); !s.ok()) return s.error();
  if (!(in.purchases > 0) || !std::isfinite(in.purchases)) {
    return Error{"purchases", "The number of purchases (purchases) must be above 0."};
  }
  if (!(in.customers > 0) || !std::isfinite(in.customers)) {
    return Error{"customers", "The number of customers (customers) must be above 0."};
  }
  if (auto s = finite_at_least(in.lifespan, 0, "lifespan", "The lifespan"); !s.ok()) {
    return s.error();
  }
  if (in.gross_margin) {
    if (auto s = fraction(*in.gross_margin, "gross_margin", "The gross margin"); !s.ok()) {
      return s.error();
    }
  }
  SimpleClv out;
  out.average_purchase_value = in.revenue / in.purchases;
  out.purchase_frequency = in.purchases / in.customers;
  out.clv = out.average_purchase_value * out.purchase_frequency * in.lifespan;
  if (in.gross_margin) out.profit_clv = out.clv * *in.gross_margin;
  return out;
}

Expected<double> discounted_clv(const DiscountedClvInput& in) {
  if (!std::isfinite(in.margin)) return Error{"margin", "The margin (margin) must be a number."};
  if (auto s = fraction(in.retention, "retention", "The retention rate"); !s.ok()) {
    return s.error();
  }
  if (!std::isfinite(in.discount_rate) || in.discount_rate <= -1) {
    return Error{"discount_rate",
                 "The discount rate (discount_rate) must be above −100%; got " +
                     (std::isfinite(in.discount_rate) ? text(100 * in.discount_rate) + "%"
                                                      : std::string("not a number")) +
                     "."};
  }
  if (auto s = same_period(in.retention_period, "retention", in.discount_period, "discount_rate");
      !s.ok()) {
    return s.error();
  }
  const double r = in.retention;
  const double d = in.discount_rate;
  if (in.horizon) {
    if (*in.horizon < 1 || *in.horizon > 1000) {
      return Error{"horizon", "The horizon (horizon) must be 1 to 1000 periods."};
    }
    NeumaierSum sum;
    double factor = in.first_margin_now ? 1.0 : r / (1 + d);
    for (int t = 0; t < *in.horizon; ++t) {
      sum.add(in.margin * factor);
      factor *= r / (1 + d);
    }
    return sum.value();
  }
  if (r >= 1 + d) {
    return Error{"retention", "With retention " + text(100 * r) + "% and a discount rate of " +
                                  text(100 * d) +
                                  "% (retention ≥ 1 + discount rate) the CLV is infinite "
                                  "(unbounded). Lower the retention or set a finite horizon."};
  }
  return in.first_margin_now ? in.margin * (1 + d) / (1 + d - r) : in.margin * r / (1 + d - r);
}

Expected<Outcome> saas_ltv(const SaasLtvInput& in) {
  if (auto s = finite_at_least(in.arpa, 0, "arpa", "ARPA"); !s.ok()) return s.error();
  if (auto s = fraction(in.gross_margin, "gross_margin", "The gross margin"); !s.ok()) {
    return s.error();
  }
  if (auto s = fraction(in.churn_rate, "churn_rate", "The churn rate"); !s.ok()) return s.error();
  if (auto s = same_period(in.arpa_period, "arpa", in.churn_period, "churn_rate"); !s.ok()) {
    return s.error();
  }
  Outcome out;
  if (in.churn_rate == 0) {
    out.undefined_reason = "unbounded: with no churn a customer never leaves";
    return out;
  }
  out.value = in.arpa * in.gross_margin / in.churn_rate;
  return out;
}

Expected<Churn> churn_rate(const ChurnInput& in) {
  if (!whole(in.customers_at_start)) {
    return Error{
        "customers_at_start",
        "Customers at the start (customers_at_start) must be a whole number of 0 or more."};
  }
  if (!whole(in.customers_lost)) {
    return Error{"customers_lost",
                 "Customers lost (customers_lost) must be a whole number of 0 or more."};
  }
  if (in.customers_lost > in.customers_at_start) {
    return Error{"customers_lost", "Customers lost (" + text(in.customers_lost) +
                                       ") cannot exceed customers at the start (" +
                                       text(in.customers_at_start) +
                                       "): churn above 100%. Count only customers who were there "
                                       "at the start; those who joined and left within the "
                                       "period are not churn."};
  }
  const auto n = static_cast<std::size_t>(in.customers_at_start);
  const auto lost = static_cast<std::size_t>(in.customers_lost);
  Churn out;
  out.period = in.period;
  out.churn = wilson_share(lost, n);
  out.retention = wilson_share(n - lost, n);
  if (n == 0) {
    out.churn.no_data_reason = "no customers at the start";
    out.retention.no_data_reason = out.churn.no_data_reason;
  }
  return out;
}

Expected<MrrMovements> mrr_movements(const std::vector<MrrCustomer>& customers) {
  MrrMovements m;
  NeumaierSum start, end, added, expansion, contraction, churned, reactivation;
  for (std::size_t i = 0; i < customers.size(); ++i) {
    const MrrCustomer& c = customers[i];
    const std::string where = "customer " + std::to_string(i + 1);
    if (!std::isfinite(c.mrr_start) || c.mrr_start < 0) {
      return Error{where + ", mrr_start", where + ": MRR at the start must be 0 or more."};
    }
    if (!std::isfinite(c.mrr_end) || c.mrr_end < 0) {
      return Error{where + ", mrr_end", where + ": MRR at the end must be 0 or more."};
    }
    start.add(c.mrr_start);
    end.add(c.mrr_end);
    if (c.mrr_start > 0 && c.mrr_end == 0) {
      churned.add(c.mrr_start);
      ++m.customers_churned;
    } else if (c.mrr_start > 0 && c.mrr_end > c.mrr_start) {
      expansion.add(c.mrr_end - c.mrr_start);
    } else if (c.mrr_start > 0 && c.mrr_end < c.mrr_start) {
      contraction.add(c.mrr_start - c.mrr_end);
    } else if (c.mrr_start == 0 && c.mrr_end > 0) {
      if (c.active_before_start) {
        reactivation.add(c.mrr_end);
        ++m.customers_reactivated;
      } else {
        added.add(c.mrr_end);
        ++m.customers_new;
      }
    }
  }
  m.mrr_start = start.value();
  m.mrr_end = end.value();
  m.new_mrr = added.value();
  m.expansion = expansion.value();
  m.contraction = contraction.value();
  m.churned = churned.value();
  m.reactivation = reactivation.value();
  m.net_new = m.new_mrr + m.expansion + m.reactivation - m.contraction - m.churned;
  if (m.mrr_start > 0) {
    m.nrr.value = (m.mrr_start + m.expansion - m.contraction - m.churned) / m.mrr_start;
    m.grr.value = (m.mrr_start - m.contraction - m.churned) / m.mrr_start;
  } else {
    m.nrr.undefined_reason = "no MRR at the start";
    m.grr.undefined_reason = m.nrr.undefined_reason;
  }
  if (m.churned + m.contraction > 0) {
    m.quick_ratio.value = (m.new_mrr + m.expansion) / (m.churned + m.contraction);
  } else {
    m.quick_ratio.undefined_reason = "unbounded: no churn or contraction";
  }
  return m;
}

Expected<ShareEstimate> rate_with_interval(double count, double total, const std::string& what) {
  if (!whole(count)) {
    return Error{"count", what + ": the count must be a whole number of 0 or more."};
  }
  if (!whole(total)) {
    return Error{"total", what + ": the total must be a whole number of 0 or more."};
  }
  if (count > total) {
    return Error{"count", what + ": " + text(count) + " of " + text(total) + " is above 100%."};
  }
  return wilson_share(static_cast<std::size_t>(count), static_cast<std::size_t>(total));
}

}  // namespace cvc
