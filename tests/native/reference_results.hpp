// A straightforward per-respondent reference for the survey results: every respondent's net
// value and index computed from their answers, then means and t-intervals over those values.
// The core computes the same numbers from sufficient statistics (survey_stats.hpp); the
// tests compare the two on random data.
#pragma once

#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/satisfaction.hpp"
#include "cvc/stats.hpp"
#include "cvc/summation.hpp"
#include "cvc/value_model.hpp"
#include "cvc/value_results.hpp"

namespace cvc::test {

struct ReferenceView {
  std::size_t survey_rows = 0;
  std::size_t respondents = 0;
  std::vector<double> mean_score;
  std::vector<double> mean_normalised;
  MeanEstimate net_value;  // around the mean of the per-respondent values
  MeanEstimate value_index;
  std::vector<double> net_values;  // per complete respondent, in row order
  NpsEstimate nps;
  ShareEstimate csat;
  MeanEstimate ces;
};

inline ReferenceView reference_view(const Model& model, const Responses& responses,
                                    std::optional<std::size_t> segment) {
  ReferenceView view;
  const std::size_t p = model.items.size();
  double benefit_weight = 0, cost_weight = 0;
  for (std::size_t j = 0; j < p; ++j) {
    (model.items[j].side == Side::benefit ? benefit_weight : cost_weight) +=
        model.weight(j, segment);
  }
  std::vector<NeumaierSum> scores(p), normalised(p);
  std::vector<double> index;
  std::size_t promoters = 0, passives = 0, detractors = 0, csat_n = 0, satisfied = 0;
  std::vector<double> ces;
  for (std::size_t r = 0; r < responses.rows(); ++r) {
    if (segment && !responses.in_segment(r, *segment)) continue;
    ++view.survey_rows;
    if (responses.has_metrics()) {
      const auto nps = responses.metric(Metric::nps, r);
      if (nps != ScoreColumn::kMissingRating) {
        promoters += nps >= 9;
        passives += nps == 7 || nps == 8;
        detractors += nps <= 6;
      }
      const auto csat = responses.metric(Metric::csat, r);
      if (csat != ScoreColumn::kMissingRating) {
        ++csat_n;
        satisfied += csat >= model.satisfaction.csat_satisfied_from;
      }
      const auto c = responses.metric(Metric::ces, r);
      if (c != ScoreColumn::kMissingRating) ces.push_back(c);
    }
    if (!responses.complete(r)) continue;
    double net = 0, idx = 0;
    for (std::size_t j = 0; j < p; ++j) {
      const Item& item = model.items[j];
      const double answer = responses.column(j).value(r);
      const double w = model.weight(j, segment);
      const bool benefit = item.side == Side::benefit;
      const double side = benefit ? benefit_weight : cost_weight;
      scores[j].add(oriented_score(item, answer));
      normalised[j].add(normalised_score(item, answer));
      net += (benefit ? 1.0 : -1.0) * w * oriented_score(item, answer);
      idx += (benefit ? 1.0 : -1.0) * (side > 0 ? 100.0 * w / side : 0.0) *
             normalised_score(item, answer);
    }
    view.net_values.push_back(net);
    index.push_back(idx);
  }
  view.respondents = view.net_values.size();
  const double n = static_cast<double>(view.respondents);
  for (std::size_t j = 0; j < p; ++j) {
    view.mean_score.push_back(view.respondents > 0 ? scores[j].value() / n : 0);
    view.mean_normalised.push_back(view.respondents > 0 ? normalised[j].value() / n : 0);
  }
  view.net_value = mean_with_t_interval(view.net_values.data(), view.net_values.size());
  view.value_index = mean_with_t_interval(index.data(), index.size());
  view.nps = nps_from_counts(promoters, passives, detractors);
  view.csat = wilson_share(satisfied, csat_n);
  view.ces = mean_with_t_interval(ces.data(), ces.size());
  return view;
}

}  // namespace cvc::test
