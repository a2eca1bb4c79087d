// Sufficient statistics of survey responses, so that a weight change recomputes only what it
// touches. For every view (all respondents, and each segment) over its complete respondents
// they keep n, each item's mean score and mean normalised score, and the sample covariance
// matrix of the item scores; the satisfaction answers are kept as counts per answer value.
// All of that is built once per data change, in one pass over the byte columns. Results for
// any weights then follow in O(items² × views):
//
//   mean net value   = Σ_j ±w_j · mean score_j
//   Var(net value)   = aᵀ C a, a_j = ±w_j × (how score_j moves with the stored variable)
//   Var(value index) = bᵀ C b, b_j = ±100 w_j / (the side's total weight) × (same for the
//                      normalised score)
//
// Accuracy. Ratings are whole numbers 0–10 stored as bytes, so their sums Σx_j and cross
// products Σx_j·x_k are accumulated in integers, exactly (a block's products in 32 bits, the
// totals in 64). The co-moment n·Σx_j x_k − Σx_j·Σx_k is formed exactly in 128-bit integers
// and rounded once to double, so the covariance matrix is correct to a couple of units in
// the last place however large n is and wherever the data sit (no cancellation: nothing is
// subtracted in floating point). The quadratic form is summed with Neumaier compensation; its
// error is a few ulps of Σ|a_j a_k C_jk|, the same order as the per-respondent computation's
// own rounding of each respondent's net value. Amount (currency) items are doubles: their
// sums are Neumaier-compensated in row order (as before), and their co-moments are computed
// per block of rows around the block's mean (two-pass within the block) and merged with the
// pairwise update of Chan, Golub & LeVeque (1979), which is centred and stable.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/value_model.hpp"
#include "cvc/value_results.hpp"

namespace cvc {

/// Rows are summarised in blocks of this many survey rows. The in-memory path and the
/// command-line runner cut the rows into the same blocks, so they give identical numbers.
inline constexpr std::size_t kStatsBlockRows = 2048;

/// Survey rows in columnar form: a slice of Responses, or rows read from a file.
struct SurveyBlock {
  std::size_t rows = 0;
  std::vector<const std::uint8_t*> ratings;     // per item: rating answers (null for amounts)
  std::vector<const double*> amounts;           // per item: amounts (null for ratings)
  const std::uint8_t* complete = nullptr;       // per row: 1 = answered every item
  std::vector<const std::uint8_t*> membership;  // per segment: 1 = member
  std::array<const std::uint8_t*, kMetricCount> metrics{};  // null when the survey has none
};

/// The statistics of one view.
struct ViewStats {
  std::size_t survey_rows = 0;          // rows in the view, answered or not
  std::size_t complete = 0;             // of which answered every item (n)
  std::vector<double> mean_score;       // per item, over the complete rows, after reverse coding
  std::vector<double> mean_normalised;  // per item, mapped to [0, 1]
  /// Sample covariance (divisor n − 1) of the stored variables (SurveyStats::variables),
  /// upper triangle packed row by row; empty when n < 2.
  std::vector<double> covariance;
  double t975 = 0;  // t(0.975, n − 1) when n ≥ 2
  /// Satisfaction answers per value (0–10) over every row of the view.
  std::array<std::array<std::size_t, 11>, kMetricCount> metric_counts{};
  double ces_t975 = 0;  // t(0.975, CES answers − 1) when there are at least 2
};

/// One stored variable per item: its answer (rating or amount); plus, for amount items, the
/// normalised score, which is not linear in the amount (it is clamped at the reference).
struct SurveyStats {
  std::size_t rows = 0;
  std::vector<Scale> scales;  // the items' scales and reverse coding the stats were built for
  std::vector<bool> reverse;
  std::vector<std::size_t> normalised_variable;  // per item; the item itself for ratings
  std::size_t variables = 0;
  ViewStats overall;
  std::vector<ViewStats> segments;  // parallel to Model::segments

  /// True when these statistics were built for `model`'s items and segments and `rows` rows.
  bool fits(const Model& model, std::size_t survey_rows) const;
};

/// Accumulates statistics block by block, in survey order.
class SurveyStatsBuilder {
 public:
  explicit SurveyStatsBuilder(const Model& model);
  ~SurveyStatsBuilder();
  SurveyStatsBuilder(const SurveyStatsBuilder&) = delete;
  SurveyStatsBuilder& operator=(const SurveyStatsBuilder&) = delete;

  /// Adds a block of at most kStatsBlockRows rows.
  void add(const SurveyBlock& block);
  SurveyStats finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Statistics of `responses` (built for `model`).
SurveyStats survey_stats(const Model& model, const Responses& responses);

/// Calls `visit(block)` for consecutive blocks of kStatsBlockRows rows of `responses`.
template <typename Visit>
void for_each_block(const Responses& responses, Visit&& visit);
SurveyBlock block_of(const Responses& responses, std::size_t first, std::size_t rows);

/// Per-respondent net value with the model's base weights: Σ_j ±w_j × score_j, summed in item
/// order exactly as the per-respondent definition does. A tight kernel over the columns.
class NetValueKernel {
 public:
  explicit NetValueKernel(const Model& model);
  /// out[i] for every row of the block; rows that are not complete get an unspecified value.
  void compute(const SurveyBlock& block, double* out) const;

 private:
  std::vector<Item> items_;
  std::vector<double> coefficient_;  // ±w_j
  std::vector<double> table_;        // per item, ±w_j × score for each answer byte (ratings)
};

/// The net value histogram in two passes over blocks: observe() every block (minimum and
/// maximum), then count() every block again. Gives exactly make_histogram()'s bins.
class NetValueHistogram {
 public:
  explicit NetValueHistogram(const Model& model, std::size_t target_bins = 20);
  void observe(const SurveyBlock& block);
  /// Fixes the bins (after the last observe()).
  void layout();
  void count(const SurveyBlock& block);
  Histogram result() const { return histogram_; }

 private:
  NetValueKernel kernel_;
  std::size_t target_bins_;
  std::size_t seen_ = 0;
  double low_ = 0;
  double high_ = 0;
  Histogram histogram_;
  std::vector<double> scratch_;
};

/// The per-respondent net value histogram of `responses` (two passes of the kernel).
Histogram net_value_histogram(const Model& model, const Responses& responses);

/// All results from the statistics; the histogram is left empty (it needs the rows).
ValueResults compute_value_results(const Model& model, const SurveyStats& stats);
/// All results, from statistics already built for these responses, plus the histogram.
ValueResults compute_value_results(const Model& model, const Responses& responses,
                                   const SurveyStats& stats);

// ---- template definition ----

template <typename Visit>
void for_each_block(const Responses& responses, Visit&& visit) {
  for (std::size_t first = 0; first < responses.rows(); first += kStatsBlockRows) {
    const std::size_t rows = std::min(kStatsBlockRows, responses.rows() - first);
    visit(block_of(responses, first, rows));
  }
}

}  // namespace cvc
