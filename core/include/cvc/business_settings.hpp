// How customer tables are read and judged (saved with the model as its "business" block).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cvc/status.hpp"

namespace cvc {

enum class Period { month, year };
std::string_view to_string(Period period);
std::optional<Period> period_from_string(std::string_view text);

/// The map's satisfaction axis.
enum class SatisfactionAxis { nps, csat };

/// One measure of the health score: its value is mapped to 0–100 linearly between `red_at`
/// (0 points) and `green_at` (100 points), clamped; red_at > green_at means lower is better.
enum class HealthMeasure { usage, nps, csat, support_load, revenue_growth, payment };
struct HealthComponent {
  HealthMeasure measure = HealthMeasure::usage;
  double weight = 1;  // 0–10, normalised over the measures a customer has
  double red_at = 0;
  double green_at = 100;
  bool operator==(const HealthComponent& o) const {
    return measure == o.measure && weight == o.weight && red_at == o.red_at &&
           green_at == o.green_at;
  }
};

enum class ValueMeasure { contribution, clv };

/// How the customer table is read and judged. Saved with the model.
struct BusinessSettings {
  Period period = Period::month;  // of the table's revenue and costs
  double default_gross_margin = 0.7;
  double support_hourly_rate = 50;
  std::optional<std::int32_t> as_of;  // the day tenure is measured to; default the latest date
  SatisfactionAxis satisfaction = SatisfactionAxis::nps;  // the map's x axis
  double satisfied_from = 9;                              // promoters by default
  ValueMeasure value = ValueMeasure::contribution;        // the map's y axis
  double valuable_from = 0;                               // contribution ≥ 0 pays for itself
  std::vector<HealthComponent> health{{HealthMeasure::usage, 3, 20, 80},
                                      {HealthMeasure::nps, 2, 4, 9},
                                      {HealthMeasure::support_load, 2, 30, 5},
                                      {HealthMeasure::revenue_growth, 1, -10, 10},
                                      {HealthMeasure::payment, 2, 0, 100}};
  double red_max = 50;  // health bands: red ≤ 50 < yellow ≤ 75 < green (Gainsight's defaults)
  double yellow_max = 75;

  bool operator==(const BusinessSettings& o) const {
    return period == o.period && default_gross_margin == o.default_gross_margin &&
           support_hourly_rate == o.support_hourly_rate && as_of == o.as_of &&
           satisfaction == o.satisfaction && satisfied_from == o.satisfied_from &&
           value == o.value && valuable_from == o.valuable_from && health == o.health &&
           red_max == o.red_max && yellow_max == o.yellow_max;
  }
};
Status validate(const BusinessSettings& settings);
std::string_view to_string(HealthMeasure measure);
std::optional<HealthMeasure> health_measure_from_string(std::string_view text);

}  // namespace cvc
