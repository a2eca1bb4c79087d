// Results of the value model, overall and per segment, with 95% intervals and the weight
// sensitivity ranking. Every number here is finite; an undefined result carries a reason.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cvc/responses.hpp"
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
};

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
};

/// Computes all results. `responses` may be null or empty (entered scores are used); when not
/// empty it must have been built for this model's items and segments.
ValueResults compute_value_results(const Model& model, const Responses* responses);

}  // namespace cvc
