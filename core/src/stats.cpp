#include "cvc/stats.hpp"

#include <cmath>
#include <limits>

#include "cvc/summation.hpp"

namespace cvc {
namespace {

// Continued fraction for the incomplete beta function, modified Lentz's method
// (Numerical Recipes 3rd ed., §6.4, betacf).
double incomplete_beta_fraction(double a, double b, double x) {
  constexpr int kMaxIterations = 500;
  constexpr double kEpsilon = 1e-16;
  constexpr double kTiny = 1e-300;
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a, b) (A&S 26.5.8 with the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)).
double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return front * incomplete_beta_fraction(a, b, x) / a;
  }
  return 1.0 - front * incomplete_beta_fraction(b, a, 1.0 - x) / b;
}

}  // namespace

double student_t_cdf(double t, double df) {
  // A&S 26.7.1: P(|T| > t) = I_{df/(df+t²)}(df/2, 1/2).
  const double x = df / (df + t * t);
  const double tail = 0.5 * regularized_incomplete_beta(0.5 * df, 0.5, x);
  return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0.0 && p < 1.0) || !(df >= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  // Bracket, then bisect: the CDF is monotone, and 200 halvings reach full double precision
  // from any bracket we can produce here, so no convergence tuning is needed.
  double low = 0.0;
  double high = 1.0;
  while (student_t_cdf(high, df) < p && high < 1e12) high *= 2.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (low + high);
    if (mid == low || mid == high) break;
    if (student_t_cdf(mid, df) < p) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return 0.5 * (low + high);
}

MeanEstimate mean_with_t_interval(const double* values, std::size_t n) {
  MeanEstimate estimate;
  estimate.n = n;
  if (n == 0) {
    estimate.no_interval_reason = "no data";
    return estimate;
  }
  NeumaierSum sum;
  for (std::size_t i = 0; i < n; ++i) sum.add(values[i]);
  estimate.mean = sum.value() / static_cast<double>(n);
  if (n < 2) {
    estimate.no_interval_reason = "an interval needs at least 2 respondents";
    return estimate;
  }
  NeumaierSum squares;
  for (std::size_t i = 0; i < n; ++i) {
    const double deviation = values[i] - estimate.mean;
    squares.add(deviation * deviation);
  }
  const double variance = squares.value() / static_cast<double>(n - 1);
  return mean_estimate(estimate.mean, variance, n,
                       student_t_quantile(0.975, static_cast<double>(n - 1)));
}

MeanEstimate mean_estimate(double mean, double variance, std::size_t n, double t975) {
  MeanEstimate estimate;
  estimate.n = n;
  estimate.mean = mean;
  if (n == 0) {
    estimate.mean = 0;
    estimate.no_interval_reason = "no data";
    return estimate;
  }
  if (n < 2) {
    estimate.no_interval_reason = "an interval needs at least 2 respondents";
    return estimate;
  }
  estimate.standard_deviation = std::sqrt(variance > 0 ? variance : 0.0);
  const double half_width = t975 * estimate.standard_deviation / std::sqrt(static_cast<double>(n));
  estimate.ci = Interval{mean - half_width, mean + half_width};
  return estimate;
}

}  // namespace cvc
