#include "cvc/customers.hpp"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "cvc/summation.hpp"

namespace cvc {
namespace {

constexpr double kDaysPerMonth = 365.2425 / 12;  // Gregorian mean month
constexpr std::size_t kListedIds = 50;

bool given(double x) {
  return !std::isnan(x);
}

double months_in(Period period) {
  return period == Period::month ? 1.0 : 12.0;
}

// Revenue for the period: the table's revenue, else the mean of the customer's MRR columns
// times the months in the period.
double revenue_of(const Customer& c, const BusinessSettings& settings) {
  if (given(c.revenue)) return c.revenue;
  NeumaierSum sum;
  std::size_t n = 0;
  for (const double m : c.mrr) {
    if (given(m)) {
      sum.add(m);
      ++n;
    }
  }
  return n > 0 ? sum.value() / static_cast<double>(n) * months_in(settings.period) : kNotGiven;
}

// Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html).
std::int32_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int32_t>(doe) - 719468;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Linear between red_at (0) and green_at (100), clamped.
double health_points(const HealthComponent& c, double value) {
  if (c.green_at == c.red_at) return value >= c.green_at ? 100 : 0;
  const double t = (value - c.red_at) / (c.green_at - c.red_at);
  return 100 * std::min(1.0, std::max(0.0, t));
}

std::optional<double> measure_value(HealthMeasure m, const Customer& c, const CustomerResult& r,
                                    double csat_value, double revenue) {
  switch (m) {
    case HealthMeasure::usage:
      return given(c.usage) ? std::optional<double>(c.usage) : std::nullopt;
    case HealthMeasure::nps:
      if (given(c.nps)) return c.nps;
      return std::nullopt;
    case HealthMeasure::csat:
      return given(csat_value) ? std::optional<double>(csat_value) : std::nullopt;
    case HealthMeasure::support_load:  // support cost as % of revenue
      if (given(revenue) && revenue > 0) return 100 * r.cost_to_serve / revenue;
      return std::nullopt;
    case HealthMeasure::revenue_growth: {  // % change over the last two MRR columns
      if (c.mrr.size() < 2) return std::nullopt;
      const double before = c.mrr[c.mrr.size() - 2];
      const double now = c.mrr.back();
      if (!given(before) || !given(now) || before <= 0) return std::nullopt;
      return 100 * (now - before) / before;
    }
    case HealthMeasure::payment:
      switch (c.payment) {
        case PaymentStatus::current:
          return 100.0;
        case PaymentStatus::late:
          return 50.0;
        case PaymentStatus::failed:
          return 0.0;
        case PaymentStatus::unknown:
          return std::nullopt;
      }
  }
  return std::nullopt;
}

void summarise(const CustomerTable& table, const BusinessSettings& settings,
               const std::vector<CustomerResult>& results, std::optional<std::size_t> segment,
               GroupSummary& g) {
  NeumaierSum revenue, contribution, exposure, monthly_contribution;
  std::vector<double> contributions;
  std::vector<std::size_t> members;
  for (std::size_t i = 0; i < table.customers.size(); ++i) {
    const Customer& c = table.customers[i];
    if (segment && std::find(c.segments.begin(), c.segments.end(), *segment) == c.segments.end()) {
      continue;
    }
    members.push_back(i);
    const CustomerResult& r = results[i];
    ++g.customers;
    if (const double rev = revenue_of(c, settings); given(rev)) revenue.add(rev);
    if (r.contribution) {
      contributions.push_back(*r.contribution);
      contribution.add(*r.contribution);
      monthly_contribution.add(*r.contribution / months_in(settings.period));
    }
    if (r.churned) ++g.churned;
    exposure.add(r.tenure_months);
    if (r.health) {
      const int band = *r.health <= settings.red_max ? 0 : *r.health <= settings.yellow_max ? 1 : 2;
      ++g.health_bands[band];
    }
    ++g.quadrant_counts[static_cast<int>(r.quadrant)];
  }
  g.revenue = revenue.value();
  g.with_contribution = contributions.size();
  g.contribution_total = contribution.value();
  g.contribution = mean_with_t_interval(contributions.data(), contributions.size());
  if (contributions.size() == 1) {
    g.contribution.no_interval_reason = "an interval needs at least 2 customers";
  }
  g.exposure_months = exposure.value();
  if (g.exposure_months > 0) {
    g.monthly_churn.value = static_cast<double>(g.churned) / g.exposure_months;
  } else {
    g.monthly_churn.undefined_reason = "no tenure: start dates are needed";
  }
  // Segment CLV: the mean CLV of its customers with a contribution.
  if (contributions.empty()) {
    g.clv_mean.undefined_reason = "no customer with revenue";
  } else {
    NeumaierSum clv;
    std::size_t n = 0;
    bool unbounded = false;
    for (const std::size_t i : members) {
      const CustomerResult& r = results[i];
      if (!r.contribution) continue;
      if (!r.clv.value) {
        unbounded = true;
        break;
      }
      clv.add(*r.clv.value);
      ++n;
    }
    if (unbounded) {
      g.clv_mean.undefined_reason =
          "unbounded: no customer has churned, so the expected "
          "lifetime has no end";
    } else {
      g.clv_mean.value = clv.value() / static_cast<double>(n);
    }
  }
}

std::string number_text(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

}  // namespace

std::string_view to_string(PaymentStatus status) {
  switch (status) {
    case PaymentStatus::current:
      return "current";
    case PaymentStatus::late:
      return "late";
    case PaymentStatus::failed:
      return "failed";
    case PaymentStatus::unknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<PaymentStatus> payment_status_from_string(std::string_view text) {
  std::string t;
  for (const char c : text) {
    if (c != ' ') t.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  if (t == "current" || t == "paid" || t == "ok" || t == "good") return PaymentStatus::current;
  if (t == "late" || t == "overdue" || t == "pastdue") return PaymentStatus::late;
  if (t == "failed" || t == "unpaid" || t == "declined" || t == "defaulted") {
    return PaymentStatus::failed;
  }
  if (t.empty() || t == "unknown") return PaymentStatus::unknown;
  return std::nullopt;
}

std::string_view to_string(HealthMeasure measure) {
  switch (measure) {
    case HealthMeasure::usage:
      return "usage";
    case HealthMeasure::nps:
      return "nps";
    case HealthMeasure::csat:
      return "csat";
    case HealthMeasure::support_load:
      return "support_load";
    case HealthMeasure::revenue_growth:
      return "revenue_growth";
    case HealthMeasure::payment:
      return "payment";
  }
  return "usage";
}

std::optional<HealthMeasure> health_measure_from_string(std::string_view text) {
  for (const auto m :
       {HealthMeasure::usage, HealthMeasure::nps, HealthMeasure::csat, HealthMeasure::support_load,
        HealthMeasure::revenue_growth, HealthMeasure::payment}) {
    if (to_string(m) == text) return m;
  }
  return std::nullopt;
}

std::string_view to_string(Quadrant quadrant) {
  switch (quadrant) {
    case Quadrant::satisfied_valuable:
      return "satisfied_valuable";
    case Quadrant::satisfied_eroding:
      return "satisfied_eroding";
    case Quadrant::valuable_at_risk:
      return "valuable_at_risk";
    case Quadrant::neither:
      return "neither";
    case Quadrant::unplaced:
      return "unplaced";
  }
  return "unplaced";
}

std::optional<std::int32_t> parse_date(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  // A time part ("2026-03-01T10:00:00Z", "2026-03-01 10:00") is ignored.
  if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ')) text = text.substr(0, 10);
  if (text.size() != 10 || (text[4] != '-' && text[4] != '/') || text[7] != text[4]) {
    return std::nullopt;
  }
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (std::size_t i = 0; i < lengths[k]; ++i) {
      const char c = text[starts[k] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[k] = parts[k] * 10 + (c - '0');
    }
  }
  const int y = parts[0];
  const int m = parts[1];
  const int d = parts[2];
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > kDays[m - 1] + (m == 2 && leap(y) ? 1 : 0)) return std::nullopt;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

std::string format_date(std::int32_t day) {
  // civil_from_days, the inverse of days_from_civil (same source).
  const std::int32_t z = day + 719468;
  const std::int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", y + (m <= 2), m, d);
  return buffer;
}

Status validate(const BusinessSettings& s) {
  if (!std::isfinite(s.default_gross_margin) || s.default_gross_margin < 0 ||
      s.default_gross_margin > 1) {
    return Error{"business.default_gross_margin",
                 "business.default_gross_margin: the default gross margin must be 0% to 100%."};
  }
  if (!std::isfinite(s.support_hourly_rate) || s.support_hourly_rate < 0 ||
      s.support_hourly_rate > 1e6) {
    return Error{"business.support_hourly_rate",
                 "business.support_hourly_rate: must be an amount of 0 or more."};
  }
  if (!std::isfinite(s.satisfied_from) || !std::isfinite(s.valuable_from)) {
    return Error{"business.satisfied_from", "business: the map's thresholds must be numbers."};
  }
  if (s.health.size() > 12) {
    return Error{"business.health", "business.health: at most 12 measures."};
  }
  for (std::size_t i = 0; i < s.health.size(); ++i) {
    const HealthComponent& c = s.health[i];
    const std::string field = "business.health[" + std::to_string(i) + "]";
    if (!std::isfinite(c.weight) || c.weight < 0 || c.weight > 10) {
      return Error{field + ".weight", field + ".weight: must be 0 to 10."};
    }
    if (!std::isfinite(c.red_at) || !std::isfinite(c.green_at)) {
      return Error{field, field + ": the thresholds must be numbers."};
    }
    if (c.red_at == c.green_at) {
      return Error{field + ".green_at", field + ".green_at: must differ from red_at (" +
                                            number_text(c.red_at) +
                                            "), or the measure cannot score between them."};
    }
    for (std::size_t k = 0; k < i; ++k) {
      if (s.health[k].measure == c.measure) {
        return Error{field + ".measure",
                     field + ".measure: \"" + std::string(to_string(c.measure)) +
                         "\" is already measure " + std::to_string(k + 1) + "."};
      }
    }
  }
  if (!(s.red_max >= 0 && s.red_max < s.yellow_max && s.yellow_max < 100)) {
    return Error{"business.bands", "business.bands: need 0 ≤ red_max < yellow_max < 100; got " +
                                       number_text(s.red_max) + " and " +
                                       number_text(s.yellow_max) + "."};
  }
  return Status::success();
}

BusinessResults compute_business(const CustomerTable& table, const BusinessSettings& settings,
                                 const SurveySatisfaction* survey) {
  BusinessResults out;
  const std::size_t n = table.customers.size();
  out.customers.resize(n);

  // As-of day: the setting, else the latest date in the table.
  std::int32_t as_of = std::numeric_limits<std::int32_t>::min();
  for (const Customer& c : table.customers) {
    if (c.start_day) as_of = std::max(as_of, *c.start_day);
    if (c.churn_day) as_of = std::max(as_of, *c.churn_day);
  }
  if (settings.as_of) as_of = *settings.as_of;
  if (as_of != std::numeric_limits<std::int32_t>::min()) out.as_of = as_of;

  // The survey join, by id: the customers are indexed (a few thousand), and the respondents
  // (up to millions) are read once, each looked up among them.
  std::vector<std::optional<std::size_t>> respondent_of(n);
  if (survey != nullptr) {
    std::unordered_map<std::string_view, std::size_t> customer_by_id;
    // Most respondents of a large survey are usually not in the table: an id of a length, or
    // with a last byte, that no customer id has is unmatched without hashing it (a survey of
    // 1M "R0000001" ids against the sample's customers: the join's time mostly went on that).
    std::bitset<256> lengths;  // 255: 255 bytes or more
    std::bitset<256> last_bytes;
    const auto length_of = [](std::string_view id) {
      return std::min<std::size_t>(id.size(), 255);
    };
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& id = table.customers[i].id;
      if (id.empty()) continue;
      customer_by_id.emplace(id, i);
      lengths.set(length_of(id));
      last_bytes.set(static_cast<unsigned char>(id.back()));
    }
    for (std::size_t r = 0; r < survey->rows(); ++r) {
      const std::string_view id = survey->id(r);
      if (id.empty()) continue;
      const auto found =
          lengths.test(length_of(id)) && last_bytes.test(static_cast<unsigned char>(id.back()))
              ? customer_by_id.find(id)
              : customer_by_id.end();
      if (found != customer_by_id.end() && !respondent_of[found->second]) {
        respondent_of[found->second] = r;
      } else if (found == customer_by_id.end()) {
        if (out.unmatched_respondents.size() < kListedIds) {
          out.unmatched_respondents.emplace_back(id);
        }
        ++out.unmatched_respondent_count;
      }
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    const Customer& c = table.customers[i];
    CustomerResult& r = out.customers[i];
    const double support = given(c.support_cost)    ? c.support_cost
                           : given(c.support_hours) ? c.support_hours * settings.support_hourly_rate
                                                    : 0.0;
    r.cost_to_serve = support + (given(c.onboarding_cost) ? c.onboarding_cost : 0.0) +
                      (given(c.other_cost) ? c.other_cost : 0.0);
    const double revenue = revenue_of(c, settings);
    if (given(revenue)) r.revenue = revenue;
    if (given(revenue)) {
      const double margin = given(c.gross_margin) ? c.gross_margin : settings.default_gross_margin;
      r.contribution =
          revenue * margin - r.cost_to_serve - (given(c.discounts) ? c.discounts : 0.0);
    }
    if (c.start_day) {
      const std::int32_t end = c.churn_day ? *c.churn_day : as_of;
      r.tenure_months = std::max(0.0, static_cast<double>(end - *c.start_day) / kDaysPerMonth);
      r.churned = c.churn_day.has_value();
    } else if (!c.mrr.empty()) {
      // No dates: the monthly MRR columns are the history. Tenure is the months with MRR;
      // MRR that fell to 0 in the last column (after some earlier) is a churn.
      bool earlier = false;
      for (std::size_t k = 0; k < c.mrr.size(); ++k) {
        const bool paying = given(c.mrr[k]) && c.mrr[k] > 0;
        if (paying) r.tenure_months += 1;
        if (paying && k + 1 < c.mrr.size()) earlier = true;
      }
      const double last = c.mrr.back();
      r.churned = c.churn_day.has_value() || (earlier && given(last) && last == 0);
    } else {
      r.churned = c.churn_day.has_value();
    }

    double nps = c.nps;
    double csat = c.csat;
    if (const auto match = respondent_of[i]) {
      ++out.survey_matched;
      if (!given(nps)) nps = survey->nps(*match);
      if (!given(csat)) csat = survey->csat(*match);
    } else if (survey != nullptr) {
      if (out.unmatched_customers.size() < kListedIds) out.unmatched_customers.push_back(c.id);
      ++out.unmatched_customer_count;
    }
    const double x = settings.satisfaction == SatisfactionAxis::nps ? nps : csat;
    if (given(x)) {
      r.satisfaction = x;
      r.satisfaction_from_survey =
          settings.satisfaction == SatisfactionAxis::nps ? !given(c.nps) : !given(c.csat);
    }

    // Health: weighted mean of the measures this customer has (weights renormalised).
    NeumaierSum points, weights;
    Customer with_survey = c;  // the NPS measure uses the survey's answer when the table has none
    with_survey.nps = nps;
    for (const HealthComponent& component : settings.health) {
      const auto value = measure_value(component.measure, with_survey, r, csat, revenue);
      if (!value || component.weight <= 0) continue;
      points.add(component.weight * health_points(component, *value));
      weights.add(component.weight);
    }
    if (weights.value() > 0) r.health = points.value() / weights.value();
  }

  // Churn over all customers, for each customer's expected future (memoryless lifetime:
  // expected remaining months = 1 / monthly churn).
  NeumaierSum exposure;
  std::size_t churned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    exposure.add(out.customers[i].tenure_months);
    churned += out.customers[i].churned;
  }
  const double monthly_churn =
      exposure.value() > 0 ? static_cast<double>(churned) / exposure.value() : 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    CustomerResult& r = out.customers[i];
    if (!r.contribution) {
      r.clv.undefined_reason = "no revenue";
      continue;
    }
    const double per_month = *r.contribution / months_in(settings.period);
    r.value_to_date = per_month * r.tenure_months;
    if (r.churned) {
      r.clv.value = *r.value_to_date;
    } else if (monthly_churn > 0) {
      r.clv.value = *r.value_to_date + per_month / monthly_churn;
    } else {
      r.clv.undefined_reason = "unbounded: no customer has churned";
    }
  }

  // The map.
  for (std::size_t i = 0; i < n; ++i) {
    CustomerResult& r = out.customers[i];
    const std::optional<double> y = settings.value == ValueMeasure::contribution
                                        ? r.contribution
                                        : (r.clv.value ? r.clv.value : std::nullopt);
    if (!r.satisfaction || !y) {
      r.quadrant = Quadrant::unplaced;
    } else {
      const bool satisfied = *r.satisfaction >= settings.satisfied_from;
      const bool valuable = *y >= settings.valuable_from;
      r.quadrant = satisfied
                       ? (valuable ? Quadrant::satisfied_valuable : Quadrant::satisfied_eroding)
                       : (valuable ? Quadrant::valuable_at_risk : Quadrant::neither);
    }
    QuadrantSummary& q = out.quadrants[static_cast<int>(r.quadrant)];
    ++q.customers;
    const Customer& c = table.customers[i];
    if (const double rev = revenue_of(c, settings); given(rev)) q.revenue += rev;
    if (r.contribution) q.contribution += *r.contribution;
  }

  out.overall.label = "All customers";
  summarise(table, settings, out.customers, std::nullopt, out.overall);
  for (std::size_t s = 0; s < table.segments.size(); ++s) {
    GroupSummary g;
    g.id = table.segments[s].id;
    g.label = table.segments[s].label;
    g.group = table.segments[s].group;
    summarise(table, settings, out.customers, s, g);
    out.segments.push_back(std::move(g));
  }

  // MRR movements between the last two MRR columns.
  if (table.mrr_labels.size() >= 2) {
    std::vector<MrrCustomer> mrr;
    for (const Customer& c : table.customers) {
      const std::size_t k = c.mrr.size();
      if (k < 2) continue;
      MrrCustomer m;
      m.mrr_start = given(c.mrr[k - 2]) ? c.mrr[k - 2] : 0;
      m.mrr_end = given(c.mrr[k - 1]) ? c.mrr[k - 1] : 0;
      for (std::size_t j = 0; j + 2 < k; ++j)
        m.active_before_start |= given(c.mrr[j]) && c.mrr[j] > 0;
      mrr.push_back(m);
    }
    auto movements = mrr_movements(mrr);
    if (movements.ok()) out.mrr = movements.value();
  }
  return out;
}

}  // namespace cvc
