#include "cvc/responses.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>

#include "cvc/survey_import.hpp"

namespace cvc {

bool ScoreColumn::missing(std::size_t row) const {
  return rating_ ? ratings_[row] == kMissingRating : std::isnan(amounts_[row]);
}

void ScoreColumn::reserve(std::size_t n) {
  if (rating_) {
    ratings_.reserve(n);
  } else {
    amounts_.reserve(n);
  }
}

std::string_view to_string(Metric metric) {
  switch (metric) {
    case Metric::nps:
      return "nps";
    case Metric::csat:
      return "csat";
    case Metric::ces:
      return "ces";
  }
  return "?";
}

std::string_view metric_label(Metric metric) {
  switch (metric) {
    case Metric::nps:
      return "NPS (likelihood to recommend)";
    case Metric::csat:
      return "CSAT";
    case Metric::ces:
      return "CES";
  }
  return "?";
}

Scale metric_scale(const Model& model, Metric metric) {
  Scale scale;
  switch (metric) {
    case Metric::nps:
      scale.type = ScaleType::rating_0_10;
      break;
    case Metric::csat:
      scale.type = model.satisfaction.csat_scale;
      break;
    case Metric::ces:
      scale.type = ScaleType::likert_1_7;
      break;
  }
  return scale;
}

Status check_metric(const Model& model, Metric metric, double value, const std::string& field) {
  Item pseudo;
  pseudo.label = std::string(metric_label(metric));
  pseudo.scale = metric_scale(model, metric);
  return check_score(value, pseudo, field, true);
}

std::string_view Responses::id(std::size_t row) const {
  if (row >= id_ends_.size()) return {};
  const std::size_t begin = row == 0 ? 0 : id_ends_[row - 1];
  return std::string_view(id_text_).substr(begin, id_ends_[row] - begin);
}

void Responses::set_id(std::size_t row, std::string_view id) {
  if (id_ends_.empty()) {
    if (id.empty()) return;
    id_ends_.assign(rows_, 0);
  }
  const std::size_t begin = row == 0 ? 0 : id_ends_[row - 1];
  const std::size_t old_length = id_ends_[row] - begin;
  id_text_.replace(begin, old_length, id);
  for (std::size_t r = row; r < id_ends_.size(); ++r)
    id_ends_[r] = id_ends_[r] - old_length + id.size();
}

Expected<Responses> Responses::from_matrix(const Model& model, const double* answers,
                                           std::size_t answer_count, const std::uint8_t* membership,
                                           std::size_t membership_count, std::size_t rows) {
  ResponseInput input;
  input.rows = rows;
  input.answers = answers;
  input.answer_count = answer_count;
  input.membership = membership;
  input.membership_count = membership_count;
  return from_input(model, input);
}

namespace {

template <typename T>
void erase_at(std::vector<T>& v, std::size_t i) {
  if (i < v.size()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
}

}  // namespace

void ScoreColumn::copy_row(std::size_t row, const ScoreColumn& other, std::size_t other_row) {
  if (rating_) {
    ratings_[row] = other.ratings_[other_row];
  } else {
    amounts_[row] = other.amounts_[other_row];
  }
}

void ScoreColumn::erase(std::size_t row) {
  erase_at(ratings_, row);
  erase_at(amounts_, row);
}

void Responses::replace_row(std::size_t row, const Responses& single) {
  if (single.has_metrics() && !has_metrics()) {
    for (auto& column : metrics_) column.assign(rows_, ScoreColumn::kMissingRating);
  }
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (has_metrics()) {
      metrics_[m][row] = single.has_metrics() ? single.metrics_[m][0] : ScoreColumn::kMissingRating;
    }
  }
  set_id(row, single.id(0));
  for (std::size_t j = 0; j < columns_.size(); ++j)
    columns_[j].copy_row(row, single.columns_[j], 0);
  for (std::size_t s = 0; s < membership_.size(); ++s)
    membership_[s][row] = single.membership_[s][0];
  complete_[row] = single.complete_[0];
}

void Responses::extend_to(const Model& model) {
  for (std::size_t j = columns_.size(); j < model.items.size(); ++j) {
    ScoreColumn column(model.items[j].scale.is_rating());
    column.reserve(rows_);
    for (std::size_t r = 0; r < rows_; ++r) {
      column.push_back(std::numeric_limits<double>::quiet_NaN());
    }
    columns_.push_back(std::move(column));
    std::fill(complete_.begin(), complete_.end(), 0);
  }
  while (membership_.size() < model.segments.size()) membership_.emplace_back(rows_, 0);
}

void Responses::erase_row(std::size_t row) {
  if (row >= rows_) return;
  for (auto& column : metrics_) erase_at(column, row);
  if (has_ids()) {
    set_id(row, {});
    erase_at(id_ends_, row);
  }
  for (auto& column : columns_) column.erase(row);
  for (auto& column : membership_) erase_at(column, row);
  erase_at(complete_, row);
  --rows_;
}

std::vector<Responses::Part> Responses::parts() const {
  std::vector<Part> out;
  for (const ScoreColumn& column : columns_) {
    if (column.is_rating()) {
      out.push_back({column.ratings().data(), column.ratings().size()});
    } else {
      out.push_back({column.amounts().data(), column.amounts().size() * sizeof(double)});
    }
  }
  if (has_metrics()) {
    for (const auto& column : metrics_) out.push_back({column.data(), column.size()});
  }
  for (const auto& column : membership_) out.push_back({column.data(), column.size()});
  if (has_ids()) {
    out.push_back({id_ends_.data(), id_ends_.size() * sizeof(std::size_t)});
    out.push_back({id_text_.data(), id_text_.size()});
  }
  return out;
}

Responses::PartsLayout Responses::layout() const {
  PartsLayout layout;
  layout.rows = rows_;
  layout.metrics = has_metrics();
  layout.ids = has_ids();
  layout.id_text_bytes = id_text_.size();
  return layout;
}

}  // namespace cvc
