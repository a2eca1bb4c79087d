// Compensated summation. Sums over many respondents lose digits with naive addition; the
// Neumaier variant of Kahan summation (Neumaier 1974, "Rundungsfehleranalyse einiger
// Verfahren zur Summation endlicher Summen", ZAMM 54) keeps the error independent of n, also
// when a new term is larger than the running sum. Required by shared/METRICS.md.
#pragma once

#include <cmath>

namespace cvc {

class NeumaierSum {
 public:
  void add(double x) {
    const double t = sum_ + x;
    if (std::fabs(sum_) >= std::fabs(x)) {
      compensation_ += (sum_ - t) + x;
    } else {
      compensation_ += (x - t) + sum_;
    }
    sum_ = t;
  }
  NeumaierSum& operator+=(double x) {
    add(x);
    return *this;
  }
  double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

}  // namespace cvc
