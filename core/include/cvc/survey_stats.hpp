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
#include <optional>
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

class NetValueCache;

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

  /// What the net value histogram keeps between weight changes (NetValueCache), made on first
  /// use. Like the statistics, it belongs to the data they were built from.
  mutable std::shared_ptr<NetValueCache> net_values;
};

/// Accumulates statistics block by block, in survey order.
class SurveyStatsBuilder {
 public:
  explicit SurveyStatsBuilder(const Model& model);
  ~SurveyStatsBuilder();
  SurveyStatsBuilder(const SurveyStatsBuilder&) = delete;
  SurveyStatsBuilder& operator=(const SurveyStatsBuilder&) = delete;

  /// Adds a block of at most kStatsBlockRows rows. A block may have more segments than the model
  /// had: they had no member before.
  void add(const SurveyBlock& block);
  /// Puts the segments in a new order: segment s becomes the one that was `order[s]` (those
  /// beyond the blocks' have no member). For a survey import's final order.
  void order_segments(const std::vector<std::size_t>& order);
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
/// order exactly as the per-respondent definition does. A tight kernel over the columns; the
/// reference for the whole-number path below.
class NetValueKernel {
 public:
  explicit NetValueKernel(const Model& model);
  /// out[i] for every row of the block; rows that are not complete get an unspecified value.
  void compute(const SurveyBlock& block, double* out) const;
  /// The term ±w_j × score that compute() adds for answer `answer` of rating item `item`.
  double term(std::size_t item, std::uint8_t answer) const { return table_[item * 256 + answer]; }

 private:
  std::vector<Item> items_;
  std::vector<double> coefficient_;  // ±w_j
  std::vector<double> table_;        // per item, ±w_j × score for each answer byte (ratings)
};

/// The net value as a whole number, when the model allows it exactly. When every item is a
/// rating and every term ±w_j × score is a multiple of 2^-shift (whole weights, as the page's
/// sliders give: shift 0; halves: 1; ...), a respondent's net value is
///
///   net value = base + steps × 2^-shift,   steps = Σ_j steps_j[answer_j] (a whole number),
///
/// with base = Σ_j (item j's lowest term) and steps_j[a] = (term_j(a) − lowest term_j) × 2^shift.
/// Both sides are exact: the terms and all their partial sums are multiples of 2^-shift far
/// below 2^53 × 2^-shift, so the double sum NetValueKernel forms has no rounding either. Steps
/// stay below 2^16, so each table fits 16 entries of 16 bits: the respondents' sums are formed
/// 16 at a time with two byte shuffles per item (wasm i8x16.swizzle, x86 pshufb) in 16-bit
/// lanes, with no floating point at all.
struct NetValueSteps {
  std::size_t items = 0;
  int shift = 0;
  double base = 0;
  std::uint16_t top = 0;  // the largest possible sum; incomplete rows are given top + 1
  /// Per item 32 bytes: the low bytes of steps_j[0..15], then their high bytes (answers
  /// 11–15, and the missing answer 255, count 0; complete rows never hold them).
  std::vector<std::uint8_t> table;

  /// The steps of `kernel`'s terms for `model`, or nothing when some item is an amount, some
  /// term is not a small multiple of a power of two, or the sums could reach 2^16 − 1.
  static std::optional<NetValueSteps> of(const Model& model, const NetValueKernel& kernel);
  /// The net value of a respondent whose sum is `steps` (exactly the kernel's double).
  double value(std::size_t steps) const;
};

/// How sum_steps() runs: the target's SIMD instructions when there are any, or plain C++.
enum class Simd { automatic, off };

/// out[i] = Σ_j steps_j[answer_j of row i] for the complete rows of `block` (< 2^16), top + 1
/// for the others.
void sum_steps(const NetValueSteps& steps, const SurveyBlock& block, std::uint16_t* out,
               Simd simd = Simd::automatic);

/// The net value histogram in two passes over blocks: observe() every block (minimum and
/// maximum), then count() every block again. Gives exactly make_histogram()'s bins. When the
/// net values are whole numbers of steps (NetValueSteps), observe() counts the respondents per
/// sum in the same pass and count() has nothing left to do (needs_count() is false).
class NetValueHistogram {
 public:
  explicit NetValueHistogram(const Model& model, std::size_t target_bins = 20,
                             Simd simd = Simd::automatic);
  void observe(const SurveyBlock& block);
  /// Fixes the bins (after the last observe()).
  void layout();
  bool needs_count() const { return !steps_; }
  void count(const SurveyBlock& block);
  Histogram result() const { return histogram_; }

 private:
  NetValueKernel kernel_;
  std::size_t target_bins_;
  Simd simd_;
  std::size_t seen_ = 0;
  double low_ = 0;
  double high_ = 0;
  Histogram histogram_;
  std::vector<double> scratch_;
  std::optional<NetValueSteps> steps_;
  std::vector<std::size_t> per_sum_;  // respondents per sum of steps (the last: incomplete rows)
  std::vector<std::uint16_t> sums_;
};

/// The net value histogram across weight changes, so that a weight change recomputes only what
/// it touches. It keeps the terms ±w_j × score it last counted with and that histogram (a
/// change that moves no base weight, such as a segment's override, costs nothing), and, once one
/// item's weight moves, the respondents counted per answer to that item and per sum of the
/// other items' steps (NetValueSteps): every net value is then that sum's value plus the moved
/// item's term, exactly, so the histogram for any weight of that item follows from those counts
/// (answers × sums, a few thousand) without reading the rows again. Anything else (several
/// weights at once, terms that are not whole numbers of steps) counts the rows again.
class NetValueCache {
 public:
  /// The histogram of `responses` for `model`: exactly net_value_histogram()'s. `responses`
  /// must be the data the cache was used with before (the statistics' data).
  Histogram histogram(const Model& model, const Responses& responses, Simd simd = Simd::automatic);

 private:
  bool counts_for(std::size_t item, const Model& model, const Responses& responses, Simd simd);
  std::optional<Histogram> from_counts(const std::vector<double>& item_terms) const;

  std::size_t rows_ = 0;
  std::vector<std::vector<double>> terms_;  // per item, the term for each answer 0–10
  std::optional<Histogram> histogram_;      // counted with terms_
  // The item being moved, and the counts per answer to it and sum of the other items' steps.
  std::size_t item_ = static_cast<std::size_t>(-1);
  std::vector<std::vector<double>> others_;  // the terms when counted (item_'s are not used)
  std::optional<NetValueSteps> rest_;        // the other items' steps
  std::vector<double> rest_values_;          // per sum of their steps, its value
  std::vector<std::size_t> per_answer_;      // [answer × (rest_->top + 1) + sum], then incomplete
};

/// The per-respondent net value histogram of `responses` (NetValueHistogram over its blocks).
Histogram net_value_histogram(const Model& model, const Responses& responses,
                              Simd simd = Simd::automatic);

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
