#include "cvc/satisfaction.hpp"

#include <algorithm>
#include <cmath>

namespace cvc {

ShareEstimate wilson_share(std::size_t count, std::size_t n, double z) {
  ShareEstimate e;
  e.n = n;
  e.count = count;
  if (n == 0) {
    e.no_data_reason = "no data";
    return e;
  }
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(count) / nn;
  const double z2 = z * z;
  const double centre = (static_cast<double>(count) + z2 / 2) / (nn + z2);
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  e.percent = 100 * p;
  e.ci = Interval{100 * std::max(0.0, centre - half), 100 * std::min(1.0, centre + half)};
  return e;
}

int nps_group(int answer) {
  if (answer >= 9) return 1;
  if (answer >= 7) return 0;
  return -1;
}

NpsEstimate nps_from_counts(std::size_t promoters, std::size_t passives, std::size_t detractors) {
  NpsEstimate e;
  e.promoters = promoters;
  e.passives = passives;
  e.detractors = detractors;
  e.n = promoters + passives + detractors;
  if (e.n == 0) {
    e.no_data_reason = "no data";
    return e;
  }
  const double n = static_cast<double>(e.n);
  const double p = static_cast<double>(promoters) / n;
  const double d = static_cast<double>(detractors) / n;
  e.nps = 100 * (static_cast<double>(promoters) - static_cast<double>(detractors)) / n;
  e.wald_standard_error = 100 * std::sqrt(std::max(0.0, p + d - (p - d) * (p - d)) / n);

  e.adjusted_n = n + 3;
  const double pa = (static_cast<double>(promoters) + 0.75) / e.adjusted_n;
  const double da = (static_cast<double>(detractors) + 0.75) / e.adjusted_n;
  e.adjusted_difference = pa - da;
  e.adjusted_variance = pa + da - (pa - da) * (pa - da);
  const double half = kZ95 * std::sqrt(e.adjusted_variance / e.adjusted_n);
  e.ci = Interval{std::max(-100.0, 100 * (e.adjusted_difference - half)),
                  std::min(100.0, 100 * (e.adjusted_difference + half))};
  return e;
}

NpsComparison compare_nps(const NpsEstimate& a, const NpsEstimate& b) {
  NpsComparison c;
  if (a.n == 0 || b.n == 0) return c;
  c.defined = true;
  c.difference = a.nps - b.nps;
  const double se =
      std::sqrt(a.adjusted_variance / a.adjusted_n + b.adjusted_variance / b.adjusted_n);
  c.z = (a.adjusted_difference - b.adjusted_difference) / se;
  c.p_value = std::erfc(std::fabs(c.z) / std::sqrt(2.0));
  return c;
}

}  // namespace cvc
