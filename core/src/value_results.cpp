#include "cvc/value_results.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <optional>

#include "cvc/summation.hpp"
#include "cvc/survey_stats.hpp"

namespace cvc {
namespace {

struct SideWeights {
  double benefits = 0;
  double costs = 0;
};

SideWeights side_weights(const Model& model, const std::vector<double>& weights) {
  NeumaierSum benefits;
  NeumaierSum costs;
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    (model.items[j].side == Side::benefit ? benefits : costs).add(weights[j]);
  }
  return {benefits.value(), costs.value()};
}

// A side whose weights are all zero contributes nothing to the index (rather than 0/0).
double side_mean(double weighted_sum, double total_weight) {
  return total_weight > 0 ? weighted_sum / total_weight : 0.0;
}

struct Totals {
  double benefits = 0;
  double costs = 0;
  double index = 0;
};

// Totals and value index from per-item means. Both are linear in the item means, so this
// gives the exact means over respondents and serves the sensitivity analysis too.
Totals totals_from_item_means(const Model& model, const std::vector<double>& weights,
                              const std::vector<ItemResult>& items) {
  NeumaierSum benefits, costs, benefit_norm, cost_norm;
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    const bool benefit = model.items[j].side == Side::benefit;
    (benefit ? benefits : costs).add(weights[j] * items[j].mean_score);
    (benefit ? benefit_norm : cost_norm).add(weights[j] * items[j].mean_normalised);
  }
  const SideWeights totals = side_weights(model, weights);
  Totals t;
  t.benefits = benefits.value();
  t.costs = costs.value();
  t.index = 100.0 * (side_mean(benefit_norm.value(), totals.benefits) -
                     side_mean(cost_norm.value(), totals.costs));
  return t;
}

std::vector<double> view_weights(const Model& model, std::optional<std::size_t> segment) {
  std::vector<double> weights(model.items.size());
  for (std::size_t j = 0; j < model.items.size(); ++j) weights[j] = model.weight(j, segment);
  return weights;
}

void fill_view_header(const Model& model, std::optional<std::size_t> segment, ViewResult& view) {
  if (segment) {
    const Segment& s = model.segments[*segment];
    view.id = s.id;
    view.label = s.label;
    view.group = s.group;
  } else {
    view.label = "All customers";
  }
}

void no_data(ViewResult& view, std::string reason) {
  view.source = DataSource::none;
  view.no_data_reason = std::move(reason);
  view.items.clear();
  view.net_value = MeanEstimate{};
  view.net_value.no_interval_reason = "no data";
  view.value_index = view.net_value;
}

using MetricCounts = std::array<std::array<std::size_t, 11>, kMetricCount>;

std::size_t count_from(const std::array<std::size_t, 11>& counts, std::size_t from,
                       std::size_t to = 10) {
  std::size_t n = 0;
  for (std::size_t v = from; v <= to && v < counts.size(); ++v) n += counts[v];
  return n;
}

// Satisfaction metrics from the answers' counts per value (0–10).
SatisfactionResult satisfaction_of(const Model& model, const MetricCounts& counts,
                                   double ces_t975) {
  SatisfactionResult result;
  result.csat_satisfied_from = model.satisfaction.csat_satisfied_from;
  result.ces.agree_from = model.satisfaction.ces_agree_from;
  const auto& nps = counts[static_cast<std::size_t>(Metric::nps)];
  const auto& csat = counts[static_cast<std::size_t>(Metric::csat)];
  const auto& ces = counts[static_cast<std::size_t>(Metric::ces)];
  result.nps = nps_from_counts(count_from(nps, 9), count_from(nps, 7, 8), count_from(nps, 0, 6));
  result.csat = wilson_share(
      count_from(csat, static_cast<std::size_t>(std::max(0, result.csat_satisfied_from))),
      count_from(csat, 0));
  // CES mean: Σ answers is a whole number (exact); the squared deviations are summed per value.
  const std::size_t ces_n = count_from(ces, 0);
  std::size_t ces_total = 0;
  for (std::size_t v = 0; v < ces.size(); ++v) ces_total += v * ces[v];
  const double mean = ces_n > 0 ? static_cast<double>(ces_total) / static_cast<double>(ces_n) : 0;
  NeumaierSum squares;
  for (std::size_t v = 0; v < ces.size(); ++v) {
    const double deviation = static_cast<double>(v) - mean;
    squares.add(static_cast<double>(ces[v]) * (deviation * deviation));
  }
  result.ces.mean = mean_estimate(
      mean, ces_n > 1 ? squares.value() / static_cast<double>(ces_n - 1) : 0, ces_n, ces_t975);
  if (result.ces.mean.ci) {  // a mean of 1–7 answers lies in [1, 7]; so does its interval
    result.ces.mean.ci->low = std::max(1.0, result.ces.mean.ci->low);
    result.ces.mean.ci->high = std::min(7.0, result.ces.mean.ci->high);
  }
  result.ces.agreeing = wilson_share(
      count_from(ces, static_cast<std::size_t>(std::max(0, result.ces.agree_from))), ces_n);
  return result;
}

// aᵀ C a for a packed upper-triangular symmetric C, compensated.
double quadratic_form(const std::vector<double>& a, const std::vector<double>& packed) {
  const std::size_t q = a.size();
  NeumaierSum sum;
  std::size_t index = 0;
  for (std::size_t v = 0; v < q; ++v) {
    sum.add(a[v] * a[v] * packed[index++]);
    for (std::size_t w = v + 1; w < q; ++w) sum.add(2.0 * a[v] * a[w] * packed[index++]);
  }
  return sum.value();
}

ViewResult survey_view(const Model& model, const SurveyStats& stats, const ViewStats& data,
                       std::optional<std::size_t> segment) {
  ViewResult view;
  view.satisfaction = satisfaction_of(model, data.metric_counts, data.ces_t975);
  fill_view_header(model, segment, view);
  const std::vector<double> weights = view_weights(model, segment);

  view.respondents = data.complete;
  view.excluded_incomplete = data.survey_rows - data.complete;
  view.survey_rows = data.survey_rows;
  view.low_confidence = view.survey_rows > 0 && view.survey_rows < kLowConfidenceRespondents;
  if (data.complete == 0) {
    no_data(view, view.excluded_incomplete > 0
                      ? "no data: no respondent here answered every item"
                      : (segment ? "no data: no respondents in this segment" : "no data"));
    return view;
  }

  const SideWeights totals = side_weights(model, weights);
  const std::size_t p = model.items.size();
  view.items.resize(p);
  // Net value and index are linear in the stored variables (the answers, and for amount
  // items also their normalised scores): a and b are the coefficients of each.
  std::vector<double> a(stats.variables, 0.0);
  std::vector<double> b(stats.variables, 0.0);
  for (std::size_t j = 0; j < p; ++j) {
    const Item& item = model.items[j];
    const bool benefit = item.side == Side::benefit;
    const double sign = benefit ? 1.0 : -1.0;
    const double side_total = benefit ? totals.benefits : totals.costs;
    const double index_weight = side_total > 0 ? 100.0 * weights[j] / side_total : 0.0;
    const double slope = item.reverse ? -1.0 : 1.0;  // score = offset ± answer
    a[j] = sign * weights[j] * slope;
    const double range = item.scale.high() - item.scale.low();
    b[stats.normalised_variable[j]] +=
        item.scale.is_rating() ? sign * index_weight * slope / range : sign * index_weight;
    ItemResult& result = view.items[j];
    result.weight = weights[j];
    result.mean_score = data.mean_score[j];
    result.mean_normalised = data.mean_normalised[j];
    result.contribution = weights[j] * result.mean_score;
  }
  const Totals t = totals_from_item_means(model, weights, view.items);
  view.source = DataSource::survey;
  view.total_benefits = t.benefits;
  view.total_costs = t.costs;
  const std::size_t n = data.complete;
  const bool spread = !data.covariance.empty();
  view.net_value = mean_estimate(t.benefits - t.costs,
                                 spread ? quadratic_form(a, data.covariance) : 0, n, data.t975);
  view.value_index =
      mean_estimate(t.index, spread ? quadratic_form(b, data.covariance) : 0, n, data.t975);
  // The index lives in [−100, 100]; so does any interval for it (as for NPS).
  if (view.value_index.ci) {
    view.value_index.ci->low = std::max(-100.0, view.value_index.ci->low);
    view.value_index.ci->high = std::min(100.0, view.value_index.ci->high);
  }
  return view;
}

ViewResult entered_view(const Model& model, std::optional<std::size_t> segment) {
  ViewResult view;
  view.satisfaction = satisfaction_of(model, MetricCounts{}, 0);
  fill_view_header(model, segment, view);
  const std::vector<double> weights = view_weights(model, segment);
  view.items.resize(model.items.size());
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    const Item& item = model.items[j];
    std::optional<double> answer = item.entered_score;
    if (segment) {
      const auto& overrides = model.segments[*segment].entered_scores;
      const auto found = overrides.find(item.id);
      if (found != overrides.end()) answer = found->second;
    }
    if (!answer) {
      no_data(view, "no data: no score entered for \"" + item.label + "\"");
      return view;
    }
    ItemResult& result = view.items[j];
    result.weight = weights[j];
    result.mean_score = oriented_score(item, *answer);
    result.mean_normalised = normalised_score(item, *answer);
    result.contribution = weights[j] * result.mean_score;
  }
  const Totals t = totals_from_item_means(model, weights, view.items);
  view.source = DataSource::entered;
  view.total_benefits = t.benefits;
  view.total_costs = t.costs;
  view.net_value.mean = t.benefits - t.costs;
  view.net_value.no_interval_reason = "entered scores are not a sample, so there is no interval";
  view.value_index.mean = t.index;
  view.value_index.no_interval_reason = view.net_value.no_interval_reason;
  return view;
}

std::vector<SensitivityEntry> sensitivity_of(const Model& model, const ViewResult& overall) {
  std::vector<SensitivityEntry> entries;
  if (overall.source == DataSource::none) return entries;
  std::vector<double> weights = view_weights(model, std::nullopt);
  const double net = overall.net_value.mean;
  const double index = overall.value_index.mean;
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    SensitivityEntry e;
    e.item = j;
    e.weight = weights[j];
    e.weight_low = std::max(kMinWeight, weights[j] - kWeightStep);
    e.weight_high = std::min(kMaxWeight, weights[j] + kWeightStep);
    const double original = weights[j];
    weights[j] = e.weight_low;
    const Totals low = totals_from_item_means(model, weights, overall.items);
    weights[j] = e.weight_high;
    const Totals high = totals_from_item_means(model, weights, overall.items);
    weights[j] = original;
    e.net_value_low = low.benefits - low.costs;
    e.net_value_high = high.benefits - high.costs;
    e.value_index_low = low.index;
    e.value_index_high = high.index;
    e.net_value_swing =
        std::max(std::fabs(e.net_value_low - net), std::fabs(e.net_value_high - net));
    e.value_index_swing =
        std::max(std::fabs(e.value_index_low - index), std::fabs(e.value_index_high - index));
    entries.push_back(e);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const SensitivityEntry& a, const SensitivityEntry& b) {
                     if (a.net_value_swing != b.net_value_swing) {
                       return a.net_value_swing > b.net_value_swing;
                     }
                     return a.value_index_swing > b.value_index_swing;
                   });
  return entries;
}

}  // namespace

Histogram histogram_layout(double low, double high, std::size_t target_bins) {
  Histogram h;
  // A round bin width: the smallest of 1, 2, 5 × 10^k that covers the range in target_bins.
  const double raw = (high - low) / static_cast<double>(target_bins);
  double width = 1;
  if (raw > 0) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    width = magnitude * 10;
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
      if (magnitude * step >= raw) {
        width = magnitude * step;
        break;
      }
    }
  }
  h.bin_width = width;
  h.start = std::floor(low / width) * width;
  const auto bins = static_cast<std::size_t>(std::floor((high - h.start) / width)) + 1;
  h.counts.assign(bins, 0);
  return h;
}

std::size_t histogram_bin(const Histogram& h, double value) {
  const double position = std::floor((value - h.start) / h.bin_width);
  if (!(position > 0)) return 0;  // also a value a rounding below the start
  const auto bin = static_cast<std::size_t>(position);
  return bin < h.counts.size() ? bin : h.counts.size() - 1;
}

Histogram make_histogram(const std::vector<double>& values, std::size_t target_bins) {
  if (values.empty() || target_bins == 0) return Histogram{};
  const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  Histogram h = histogram_layout(*min_it, *max_it, target_bins);
  for (const double v : values) ++h.counts[histogram_bin(h, v)];
  return h;
}

std::string_view to_string(DataSource source) {
  switch (source) {
    case DataSource::survey:
      return "survey";
    case DataSource::entered:
      return "entered";
    case DataSource::none:
      return "none";
  }
  return "none";
}

namespace {

ValueResults results_from(const Model& model,
                          const std::function<ViewResult(std::optional<std::size_t>)>& view) {
  ValueResults results;
  results.overall = view(std::nullopt);
  results.segments.reserve(model.segments.size());
  for (std::size_t s = 0; s < model.segments.size(); ++s) results.segments.push_back(view(s));
  results.sensitivity = sensitivity_of(model, results.overall);
  return results;
}

}  // namespace

ValueResults compute_value_results(const Model& model, const SurveyStats& stats) {
  return results_from(model, [&](std::optional<std::size_t> segment) {
    return survey_view(model, stats, segment ? stats.segments[*segment] : stats.overall, segment);
  });
}

ValueResults compute_value_results(const Model& model, const Responses& responses,
                                   const SurveyStats& stats) {
  ValueResults results = compute_value_results(model, stats);
  if (!stats.net_values) stats.net_values = std::make_shared<NetValueCache>();
  results.net_value_histogram = stats.net_values->histogram(model, responses);
  return results;
}

ValueResults compute_value_results(const Model& model, const Responses* responses) {
  if (responses != nullptr && responses->rows() > 0) {
    return compute_value_results(model, *responses, survey_stats(model, *responses));
  }
  return results_from(
      model, [&](std::optional<std::size_t> segment) { return entered_view(model, segment); });
}

}  // namespace cvc
