// The customer table and the business value computed from it: contribution per customer
// (revenue × margin − cost-to-serve − discounts), churn from tenure, CLV from each customer's
// own history, a health score, and the satisfaction-vs-value map that finds the satisfied
// customers who nevertheless erode value. shared/METRICS.md has the formulas and sources.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/business.hpp"
#include "cvc/responses.hpp"
#include "cvc/status.hpp"

namespace cvc {

/// Marks a value the table does not give.
inline constexpr double kNotGiven = std::numeric_limits<double>::quiet_NaN();
/// The most MRR columns a customer table has: twenty years of months.
inline constexpr std::size_t kMaxMrrColumns = 240;

enum class PaymentStatus { unknown, current, late, failed };
std::string_view to_string(PaymentStatus status);
std::optional<PaymentStatus> payment_status_from_string(std::string_view text);

/// Days since 1970-01-01 from "YYYY-MM-DD" (or "YYYY/MM/DD"); nullopt when not a real date.
std::optional<std::int32_t> parse_date(std::string_view text);
std::string format_date(std::int32_t day);

struct CustomerSegment {
  std::string id;
  std::string label;
  std::string group;
  bool operator==(const CustomerSegment& o) const {
    return id == o.id && label == o.label && group == o.group;
  }
};

/// One customer. Amounts are for the table's period; NaN marks a value not given.
struct Customer {
  std::string id;
  std::vector<std::size_t> segments;  // indices into CustomerTable::segments
  double revenue = kNotGiven;
  std::vector<double> mrr;  // one per MRR column, oldest first (NaN = not given)
  double purchases = kNotGiven;
  double gross_margin = kNotGiven;  // fraction 0–1
  double support_cost = kNotGiven;
  double support_hours = kNotGiven;  // × the hourly rate when support_cost is not given
  double onboarding_cost = kNotGiven;
  double discounts = kNotGiven;
  double other_cost = kNotGiven;
  std::optional<std::int32_t> start_day;
  std::optional<std::int32_t> churn_day;
  double nps = kNotGiven;    // 0–10
  double csat = kNotGiven;   // on the model's CSAT scale
  double usage = kNotGiven;  // % of seats or features in active use, 0–100
  PaymentStatus payment = PaymentStatus::unknown;
};

struct CustomerTable {
  std::vector<Customer> customers;
  std::vector<CustomerSegment> segments;
  std::vector<std::string> mrr_labels;  // the MRR columns' headers, oldest first
};

enum class Quadrant { satisfied_valuable, satisfied_eroding, valuable_at_risk, neither, unplaced };
std::string_view to_string(Quadrant quadrant);

struct CustomerResult {
  std::optional<double> revenue;       // for the period: the table's, or from MRR
  std::optional<double> contribution;  // revenue × margin − cost-to-serve − discounts
  double cost_to_serve = 0;
  std::optional<double> value_to_date;  // monthly contribution × tenure months
  Outcome clv;                          // value to date + expected future (active customers)
  std::optional<double> satisfaction;   // the map's x value (table, or the survey by id)
  bool satisfaction_from_survey = false;
  std::optional<double> health;  // 0–100
  Quadrant quadrant = Quadrant::unplaced;
  double tenure_months = 0;
  /// A churn date, or (without dates) MRR that fell to 0 in the last MRR column.
  bool churned = false;
};

struct QuadrantSummary {
  std::size_t customers = 0;
  double revenue = 0;
  double contribution = 0;
};

struct GroupSummary {  // all customers, or one segment
  std::string id, label, group;
  std::size_t customers = 0;
  std::size_t with_contribution = 0;
  double revenue = 0;
  double contribution_total = 0;
  MeanEstimate contribution;  // mean per customer with t-interval
  std::size_t churned = 0;
  double exposure_months = 0;
  Outcome monthly_churn;                    // churned ÷ customer-months observed
  Outcome clv_mean;                         // mean CLV of its customers
  std::size_t health_bands[3] = {0, 0, 0};  // red, yellow, green
  std::size_t quadrant_counts[5] = {0, 0, 0, 0, 0};
};

struct BusinessResults {
  std::vector<CustomerResult> customers;  // parallel to the table
  GroupSummary overall;
  std::vector<GroupSummary> segments;
  QuadrantSummary quadrants[5];
  std::optional<MrrMovements> mrr;               // between the last two MRR columns
  std::optional<std::int32_t> as_of;             // none when the table has no dates
  std::size_t survey_matched = 0;                // customers joined to a respondent by id
  std::vector<std::string> unmatched_customers;  // first 50 ids without a respondent
  std::size_t unmatched_customer_count = 0;
  std::vector<std::string> unmatched_respondents;  // first 50 respondent ids without a customer
  std::size_t unmatched_respondent_count = 0;
};

/// Survey answers by respondent id, for the join (NPS and CSAT; NaN when not answered).
/// The survey's side of the customer join, by respondent id, read where it is stored: a
/// million respondents are neither copied nor indexed (the join indexes the customers).
class SurveySatisfaction {
 public:
  virtual ~SurveySatisfaction() = default;
  virtual std::size_t rows() const = 0;
  virtual std::string_view id(std::size_t row) const = 0;  // "" when none
  virtual double nps(std::size_t row) const = 0;           // kNotGiven when not answered
  virtual double csat(std::size_t row) const = 0;
};

/// A SurveySatisfaction held in vectors (tests, small surveys).
struct SurveySatisfactionTable : SurveySatisfaction {
  std::vector<std::string> ids;
  std::vector<double> nps_answers;
  std::vector<double> csat_answers;

  std::size_t rows() const override { return ids.size(); }
  std::string_view id(std::size_t row) const override { return ids[row]; }
  double nps(std::size_t row) const override { return nps_answers[row]; }
  double csat(std::size_t row) const override { return csat_answers[row]; }
};

BusinessResults compute_business(const CustomerTable& table, const BusinessSettings& settings,
                                 const SurveySatisfaction* survey);

}  // namespace cvc
