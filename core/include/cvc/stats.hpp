// Small statistical building blocks with cited definitions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace cvc {

/// z for a two-sided 95% interval (shared/METRICS.md).
inline constexpr double kZ95 = 1.959963984540054;

/// Two-sided 95% interval.
struct Interval {
  double low = 0;
  double high = 0;
  bool operator==(const Interval& o) const { return low == o.low && high == o.high; }
};

/// A mean with its 95% t-interval, or the reason there is no interval.
struct MeanEstimate {
  double mean = 0;
  std::size_t n = 0;
  double standard_deviation = 0;   // sample SD (n - 1); 0 when n < 2
  std::optional<Interval> ci;      // absent when n < 2
  std::string no_interval_reason;  // why ci is absent
};

/// Quantile of Student's t distribution with `df` degrees of freedom (df >= 1), for
/// probability p in (0, 1). Computed by inverting the CDF expressed through the regularized
/// incomplete beta function (Abramowitz & Stegun 26.7.1 and 26.5.8; the continued fraction is
/// evaluated with the modified Lentz method, Numerical Recipes 3rd ed. §6.4).
double student_t_quantile(double p, double df);

/// Two-sided CDF helper: P(T <= t) for Student's t with df degrees of freedom.
double student_t_cdf(double t, double df);

/// Mean and 95% t-interval x̄ ± t(0.975, n-1)·s/√n of `values` (n of them), using compensated
/// two-pass sums for both mean and variance.
MeanEstimate mean_with_t_interval(const double* values, std::size_t n);

/// The same estimate from a mean and sample variance already known (e.g. from sufficient
/// statistics): x̄ ± t·s/√n, with t = t(0.975, n − 1) passed in because it is costly to compute
/// and callers can keep it. A negative variance (rounding around 0) counts as 0.
MeanEstimate mean_estimate(double mean, double variance, std::size_t n, double t975);

}  // namespace cvc
