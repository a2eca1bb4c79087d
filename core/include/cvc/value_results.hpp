// Results of the value model, overall and per segment, with 95% intervals and the weight
// sensitivity ranking. Every number here is finite; an undefined result carries a reason.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/satisfaction.hpp"
#include "cvc/stats.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

/// Where a view's numbers come from. With survey data loaded every view uses it (a segment
/// without respondents then has no data, rather than silently mixing in entered scores);
/// without survey data every view uses the entered scores.
enum class DataSource { survey, entered, none };
std::string_view to_string(DataSource source);

struct ItemResult {
  double weight = 0;           // the weight used in this view (segment override or base)
  double mean_score = 0;       // mean score in the item's units, after reverse coding
  double mean_normalised = 0;  // mean score mapped to [0, 1]
  double contribution = 0;     // weight × mean_score (added for benefits, subtracted for costs)
};

/// Satisfaction metrics over the respondents of a view who answered each question.
struct SatisfactionResult {
  NpsEstimate nps;
  ShareEstimate csat;  // share answering satisfied_from or higher
  CesEstimate ces;
  int csat_satisfied_from = 4;
};

/// Segments smaller than this are flagged: intervals from fewer respondents are wide and
/// the normal approximations behind them are rough.
inline constexpr std::size_t kLowConfidenceRespondents = 30;

struct ViewResult {
  std::string id;  // segment id; empty for the overall view
  std::string label;
  std::string group;
  DataSource source = DataSource::none;
  std::string no_data_reason;           // set when source == none
  std::size_t respondents = 0;          // respondents used (answered every item)
  std::size_t excluded_incomplete = 0;  // respondents in the view who skipped an item
  double total_benefits = 0;            // Σ weight × mean score over benefit items
  double total_costs = 0;               // Σ weight × mean score over cost items
  MeanEstimate net_value;               // mean = total_benefits − total_costs
  MeanEstimate value_index;             // in [−100, 100]
  std::vector<ItemResult> items;        // parallel to Model::items; empty when source == none
  std::size_t survey_rows = 0;          // survey rows in the view, answered or not
  bool low_confidence = false;          // survey_rows < kLowConfidenceRespondents (survey only)
  SatisfactionResult satisfaction;
};

/// Distribution of per-respondent net value: counts[i] respondents in
/// [start + i·bin_width, start + (i+1)·bin_width); the last bin also holds its upper edge.
struct Histogram {
  double start = 0;
  double bin_width = 0;
  std::vector<std::size_t> counts;
};
/// Bins `values` into about `target_bins` bins of a round width (1, 2 or 5 × 10^k).
Histogram make_histogram(const std::vector<double>& values, std::size_t target_bins = 20);
/// The empty bins make_histogram() uses for values from `low` to `high` (low ≤ high).
Histogram histogram_layout(double low, double high, std::size_t target_bins = 20);
/// The bin of `value` (from the range the layout was made for) in `histogram`.
std::size_t histogram_bin(const Histogram& histogram, double value);

/// What happens to the overall results when one item's weight moves one step down and up
/// (clamped to the 0–10 range).
struct SensitivityEntry {
  std::size_t item = 0;
  double weight = 0;
  double weight_low = 0;
  double weight_high = 0;
  double net_value_low = 0;  // net value with the weight at weight_low
  double net_value_high = 0;
  double value_index_low = 0;
  double value_index_high = 0;
  double net_value_swing = 0;    // max |change| of the net value over the two moves
  double value_index_swing = 0;  // max |change| of the value index
};

struct ValueResults {
  ViewResult overall;
  std::vector<ViewResult> segments;  // parallel to Model::segments
  /// Items ranked by net value swing, largest first (ties: index swing, then model order).
  /// Empty when the overall view has no data.
  std::vector<SensitivityEntry> sensitivity;
  /// Per-respondent net value over all complete respondents (survey only).
  Histogram net_value_histogram;
};

/// Computes all results. `responses` may be null or empty (entered scores are used); when not
/// empty it must have been built for this model's items and segments. Survey results come
/// from sufficient statistics (survey_stats.hpp); the Calculator keeps those between weight
/// changes.
ValueResults compute_value_results(const Model& model, const Responses* responses);

}  // namespace cvc
