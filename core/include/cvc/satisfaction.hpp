// Satisfaction metrics from survey answers, each with its n and a 95% interval
// (shared/METRICS.md, "Survey metrics").
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "cvc/stats.hpp"

namespace cvc {

/// A share of respondents with its Wilson score interval, as a percentage (0–100).
struct ShareEstimate {
  std::size_t n = 0;
  std::size_t count = 0;
  double percent = 0;
  std::optional<Interval> ci;  // absent when n == 0
  std::string no_data_reason;
};

/// Wilson score interval for x successes of n (Wilson 1927; Newcombe 1998, method 3):
/// centre (x + z²/2)/(n + z²), half-width z·sqrt(p̂(1 − p̂)/n + z²/(4n²)) / (1 + z²/n).
ShareEstimate wilson_share(std::size_t count, std::size_t n, double z = kZ95);

/// Net Promoter Score (Reichheld 2003): promoters answer 9–10, passives 7–8, detractors 0–6
/// on the 0–10 likelihood-to-recommend question; NPS = 100 × (promoters − detractors) / n.
struct NpsEstimate {
  std::size_t n = 0;
  std::size_t promoters = 0;
  std::size_t passives = 0;
  std::size_t detractors = 0;
  double nps = 0;
  /// Wald standard error, 100 × sqrt((p + d − (p − d)²)/n).
  double wald_standard_error = 0;
  /// Adjusted-Wald interval (MeasuringU, "Confidence intervals for Net Promoter Scores";
  /// Rocks 2016): n' = n + 3, p' = (nP + 0.75)/n', d' = (nD + 0.75)/n',
  /// V = p' + d' − (p' − d')², 100 × ((p' − d') ± z·sqrt(V/n')), clipped to [−100, 100].
  std::optional<Interval> ci;
  /// Adjusted terms, kept for comparing two scores.
  double adjusted_difference = 0;  // p' − d'
  double adjusted_variance = 0;    // V
  double adjusted_n = 0;           // n'
  std::string no_data_reason;
};

NpsEstimate nps_from_counts(std::size_t promoters, std::size_t passives, std::size_t detractors);
/// Which NPS group a 0–10 answer falls in: +1 promoter, 0 passive, −1 detractor.
int nps_group(int answer);

/// Two NPS values compared with the adjusted-Wald terms (shared/METRICS.md):
/// z = (N1' − N2') / sqrt(V1/n1' + V2/n2'); two-sided p from the normal distribution.
struct NpsComparison {
  double difference = 0;  // NPS a − NPS b, in points
  double z = 0;
  double p_value = 1;
  bool defined = false;  // false when either side has no data
};
NpsComparison compare_nps(const NpsEstimate& a, const NpsEstimate& b);

/// Customer Effort Score 2.0 (Dixon, Toman & DeLisi 2013): agreement 1–7 with "the company
/// made it easy to handle my issue". Reported as the mean with a t-interval and as the share
/// agreeing (answers `agree_from` and above, 5–7 by default) with a Wilson interval.
struct CesEstimate {
  MeanEstimate mean;
  ShareEstimate agreeing;
  int agree_from = 5;
};

}  // namespace cvc
