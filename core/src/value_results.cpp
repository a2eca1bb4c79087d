#include "cvc/value_results.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "cvc/summation.hpp"

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

// Interval x̄ ± t(0.975, n−1)·s/√n around the exact mean; s from the per-respondent values.
MeanEstimate estimate_around(double mean, const std::vector<double>& values) {
  MeanEstimate estimate = mean_with_t_interval(values.data(), values.size());
  if (estimate.ci) {
    const double half_width = 0.5 * (estimate.ci->high - estimate.ci->low);
    estimate.ci = Interval{mean - half_width, mean + half_width};
  }
  estimate.mean = mean;
  return estimate;
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

SatisfactionResult satisfaction_of(const Model& model, const Responses& responses,
                                   std::optional<std::size_t> segment) {
  SatisfactionResult result;
  result.csat_satisfied_from = model.satisfaction.csat_satisfied_from;
  result.ces.agree_from = model.satisfaction.ces_agree_from;
  std::size_t promoters = 0, passives = 0, detractors = 0;
  std::size_t csat_n = 0, csat_satisfied = 0, ces_agreeing = 0;
  std::vector<double> ces;
  if (responses.has_metrics()) {
    for (std::size_t r = 0; r < responses.rows(); ++r) {
      if (segment && !responses.in_segment(r, *segment)) continue;
      if (const auto nps = responses.metric(Metric::nps, r); nps != ScoreColumn::kMissingRating) {
        const int group = nps_group(nps);
        promoters += group > 0;
        passives += group == 0;
        detractors += group < 0;
      }
      if (const auto csat = responses.metric(Metric::csat, r);
          csat != ScoreColumn::kMissingRating) {
        ++csat_n;
        csat_satisfied += csat >= result.csat_satisfied_from;
      }
      if (const auto answer = responses.metric(Metric::ces, r);
          answer != ScoreColumn::kMissingRating) {
        ces.push_back(answer);
        ces_agreeing += answer >= result.ces.agree_from;
      }
    }
  }
  result.nps = nps_from_counts(promoters, passives, detractors);
  result.csat = wilson_share(csat_satisfied, csat_n);
  result.ces.mean = mean_with_t_interval(ces.data(), ces.size());
  if (result.ces.mean.ci) {  // a mean of 1–7 answers lies in [1, 7]; so does its interval
    result.ces.mean.ci->low = std::max(1.0, result.ces.mean.ci->low);
    result.ces.mean.ci->high = std::min(7.0, result.ces.mean.ci->high);
  }
  result.ces.agreeing = wilson_share(ces_agreeing, ces.size());
  return result;
}

ViewResult survey_view(const Model& model, const Responses& responses,
                       std::optional<std::size_t> segment, std::vector<double>* net_values) {
  ViewResult view;
  view.satisfaction = satisfaction_of(model, responses, segment);
  fill_view_header(model, segment, view);
  const std::vector<double> weights = view_weights(model, segment);

  std::vector<std::size_t> rows;
  rows.reserve(responses.rows());
  for (std::size_t r = 0; r < responses.rows(); ++r) {
    if (segment && !responses.in_segment(r, *segment)) continue;
    if (responses.complete(r)) {
      rows.push_back(r);
    } else {
      ++view.excluded_incomplete;
    }
  }
  view.respondents = rows.size();
  view.survey_rows = rows.size() + view.excluded_incomplete;
  view.low_confidence = view.survey_rows > 0 && view.survey_rows < kLowConfidenceRespondents;
  if (rows.empty()) {
    no_data(view, view.excluded_incomplete > 0
                      ? "no data: no respondent here answered every item"
                      : (segment ? "no data: no respondents in this segment" : "no data"));
    return view;
  }

  const SideWeights totals = side_weights(model, weights);
  const std::size_t n = rows.size();
  std::vector<double> net(n, 0.0);
  std::vector<double> index(n, 0.0);
  view.items.resize(model.items.size());
  // Item-major: one column at a time, so each pass streams through one compact column.
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    const Item& item = model.items[j];
    const ScoreColumn& column = responses.column(j);
    const bool benefit = item.side == Side::benefit;
    const double sign = benefit ? 1.0 : -1.0;
    const double side_total = benefit ? totals.benefits : totals.costs;
    const double index_weight = side_total > 0 ? 100.0 * weights[j] / side_total : 0.0;
    NeumaierSum score_sum, normalised_sum;
    for (std::size_t i = 0; i < n; ++i) {
      const double answer = column.value(rows[i]);
      const double score = oriented_score(item, answer);
      const double u = normalised_score(item, answer);
      score_sum.add(score);
      normalised_sum.add(u);
      net[i] += sign * weights[j] * score;
      index[i] += sign * index_weight * u;
    }
    ItemResult& result = view.items[j];
    result.weight = weights[j];
    result.mean_score = score_sum.value() / static_cast<double>(n);
    result.mean_normalised = normalised_sum.value() / static_cast<double>(n);
    result.contribution = weights[j] * result.mean_score;
  }
  const Totals t = totals_from_item_means(model, weights, view.items);
  view.source = DataSource::survey;
  view.total_benefits = t.benefits;
  view.total_costs = t.costs;
  view.net_value = estimate_around(t.benefits - t.costs, net);
  view.value_index = estimate_around(t.index, index);
  // The index lives in [−100, 100]; so does any interval for it (as for NPS).
  if (view.value_index.ci) {
    view.value_index.ci->low = std::max(-100.0, view.value_index.ci->low);
    view.value_index.ci->high = std::min(100.0, view.value_index.ci->high);
  }
  if (net_values != nullptr) *net_values = std::move(net);
  return view;
}

ViewResult entered_view(const Model& model, std::optional<std::size_t> segment) {
  ViewResult view;
  view.satisfaction = satisfaction_of(model, Responses(), segment);
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

Histogram make_histogram(const std::vector<double>& values, std::size_t target_bins) {
  Histogram h;
  if (values.empty() || target_bins == 0) return h;
  const auto [min_it, max_it] = std::minmax_element(values.begin(), values.end());
  const double low = *min_it;
  const double high = *max_it;
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
  for (const double v : values) {
    auto bin = static_cast<std::size_t>(std::floor((v - h.start) / width));
    if (bin >= bins) bin = bins - 1;
    ++h.counts[bin];
  }
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

ValueResults compute_value_results(const Model& model, const Responses* responses) {
  ValueResults results;
  const bool survey = responses != nullptr && responses->rows() > 0;
  std::vector<double> net_values;
  const auto view = [&](std::optional<std::size_t> segment) {
    return survey ? survey_view(model, *responses, segment, segment ? nullptr : &net_values)
                  : entered_view(model, segment);
  };
  results.overall = view(std::nullopt);
  results.net_value_histogram = make_histogram(net_values);
  results.segments.reserve(model.segments.size());
  for (std::size_t s = 0; s < model.segments.size(); ++s) results.segments.push_back(view(s));
  results.sensitivity = sensitivity_of(model, results.overall);
  return results;
}

}  // namespace cvc
