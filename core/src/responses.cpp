#include "cvc/responses.hpp"

#include <cmath>
#include <limits>
#include <map>

namespace cvc {

bool ScoreColumn::missing(std::size_t row) const {
  return rating_ ? ratings_[row] == kMissingRating : std::isnan(amounts_[row]);
}

void ScoreColumn::push_back(double value) {
  if (rating_) {
    ratings_.push_back(std::isnan(value) ? kMissingRating : static_cast<std::uint8_t>(value));
  } else {
    amounts_.push_back(value);
  }
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

const std::string& Responses::id(std::size_t row) const {
  static const std::string kNone;
  return row < ids_.size() ? ids_[row] : kNone;
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

void ScoreColumn::append(const ScoreColumn& other) {
  ratings_.insert(ratings_.end(), other.ratings_.begin(), other.ratings_.end());
  amounts_.insert(amounts_.end(), other.amounts_.begin(), other.amounts_.end());
}

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

void Responses::append(const Responses& other) {
  if (rows_ == 0) {
    *this = other;
    return;
  }
  if (other.has_metrics() && !has_metrics()) {
    for (auto& column : metrics_) column.assign(rows_, ScoreColumn::kMissingRating);
  }
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (other.has_metrics()) {
      metrics_[m].insert(metrics_[m].end(), other.metrics_[m].begin(), other.metrics_[m].end());
    } else if (has_metrics()) {
      metrics_[m].insert(metrics_[m].end(), other.rows_, ScoreColumn::kMissingRating);
    }
  }
  if (!ids_.empty() || !other.ids_.empty()) {
    ids_.resize(rows_);
    for (std::size_t r = 0; r < other.rows_; ++r) ids_.push_back(other.id(r));
  }
  for (std::size_t j = 0; j < columns_.size(); ++j) columns_[j].append(other.columns_[j]);
  for (std::size_t s = 0; s < membership_.size(); ++s) {
    membership_[s].insert(membership_[s].end(), other.membership_[s].begin(),
                          other.membership_[s].end());
  }
  complete_.insert(complete_.end(), other.complete_.begin(), other.complete_.end());
  rows_ += other.rows_;
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
  if (!ids_.empty() || !single.ids_.empty()) {
    ids_.resize(rows_);
    ids_[row] = single.id(0);
  }
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
  erase_at(ids_, row);
  for (auto& column : columns_) column.erase(row);
  for (auto& column : membership_) erase_at(column, row);
  erase_at(complete_, row);
  --rows_;
}

Expected<Responses> Responses::from_input(const Model& model, const ResponseInput& in) {
  const double* answers = in.answers;
  const std::size_t answer_count = in.answer_count;
  const std::uint8_t* membership = in.membership;
  const std::size_t membership_count = in.membership_count;
  const std::size_t rows = in.rows;
  const std::size_t items = model.items.size();
  const std::size_t segments = model.segments.size();
  // The first test guards the product below against overflow (size_t is 32 bits in wasm).
  if ((items != 0 && rows > answer_count / items) || answer_count != rows * items) {
    return Error{"scores", "scores: expected " + std::to_string(rows) + " rows × " +
                               std::to_string(items) + " items of answers, got " +
                               std::to_string(answer_count) + " answers."};
  }
  if ((segments != 0 && rows > membership_count / segments) ||
      membership_count != rows * segments) {
    return Error{"segments",
                 "segments: expected " + std::to_string(rows) + " rows × " +
                     std::to_string(segments) + " segments = " + std::to_string(rows * segments) +
                     " membership flags, got " + std::to_string(membership_count) + "."};
  }

  Responses result;
  result.rows_ = rows;
  result.columns_.reserve(items);
  for (const Item& item : model.items) {
    result.columns_.emplace_back(item.scale.is_rating());
    result.columns_.back().reserve(rows);
  }
  result.complete_.assign(rows, 1);
  // Validate and store column by column: the reads stride through the row-major input, the
  // writes stream into each column.
  for (std::size_t j = 0; j < items; ++j) {
    const Item& item = model.items[j];
    ScoreColumn& column = result.columns_[j];
    for (std::size_t r = 0; r < rows; ++r) {
      const double answer = answers[r * items + j];
      if (std::isnan(answer)) {
        result.complete_[r] = 0;
      } else if (!check_score(answer, item, std::string(), true).ok()) {
        // The field is named only on error: building it for every answer cost more than
        // the check itself.
        const std::string field =
            "row " + std::to_string(r + in.first_row_number) + ", item " + item.id;
        return check_score(answer, item, field, true).error();
      }
      column.push_back(answer);
    }
  }

  // One segment per group: "SMB" and "Enterprise" are exclusive, "SMB" and "new" are not.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t s = 0; s < segments; ++s) {
    if (!model.segments[s].group.empty()) groups[model.segments[s].group].push_back(s);
  }
  result.membership_.assign(segments, std::vector<std::uint8_t>(rows, 0));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t s = 0; s < segments; ++s) {
      result.membership_[s][r] = membership[r * segments + s] != 0 ? 1 : 0;
    }
    for (const auto& [group, members] : groups) {
      std::size_t count = 0;
      for (const std::size_t s : members) count += result.membership_[s][r];
      if (count > 1) {
        return Error{"row " + std::to_string(r + in.first_row_number) + ", segments",
                     "Row " + std::to_string(r + in.first_row_number) +
                         " is in more than one segment of group \"" + group +
                         "\"; a respondent belongs to at most one."};
      }
    }
  }
  if (in.metric_count != 0) {
    if (rows > in.metric_count / kMetricCount || in.metric_count != rows * kMetricCount) {
      return Error{"metrics", "metrics: expected " + std::to_string(rows) +
                                  " rows × 3 (NPS, CSAT, CES) values, got " +
                                  std::to_string(in.metric_count) + "."};
    }
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      const auto metric = static_cast<Metric>(m);
      auto& column = result.metrics_[m];
      column.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double value = in.metrics[r * kMetricCount + m];
        if (std::isnan(value)) {
          column[r] = ScoreColumn::kMissingRating;
          continue;
        }
        if (!check_metric(model, metric, value, std::string()).ok()) {
          const std::string field = "row " + std::to_string(r + in.first_row_number) + ", " +
                                    std::string(to_string(metric));
          return check_metric(model, metric, value, field).error();
        }
        column[r] = static_cast<std::uint8_t>(value);
      }
    }
  }
  if (in.ids != nullptr) {
    if (in.ids->size() != rows) {
      return Error{"ids", "ids: expected " + std::to_string(rows) + " respondent ids, got " +
                              std::to_string(in.ids->size()) + "."};
    }
    // Ids join the survey to other tables, so they must be usable as keys: plain text,
    // not too long, and unique (blank ids are allowed and never match anything).
    std::map<std::string, std::size_t> seen;
    for (std::size_t r = 0; r < rows; ++r) {
      const std::string& id = (*in.ids)[r];
      const std::string field = "row " + std::to_string(r + in.first_row_number) + ", id";
      if (id.size() > kMaxLabelLength) {
        return Error{field, "Row " + std::to_string(r + in.first_row_number) +
                                ": the respondent id is longer than " +
                                std::to_string(kMaxLabelLength) + " bytes."};
      }
      for (const char c : id) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          return Error{field, "Row " + std::to_string(r + in.first_row_number) +
                                  ": the respondent id contains control characters (such as a "
                                  "line break)."};
        }
      }
      if (id.empty()) continue;
      const auto [it, inserted] = seen.emplace(id, r);
      if (!inserted) {
        return Error{field, "Row " + std::to_string(r + in.first_row_number) +
                                ": the respondent id \"" + id + "\" is also the id of row " +
                                std::to_string(it->second + in.first_row_number) + "."};
      }
    }
    result.ids_ = *in.ids;
  }
  return result;
}

}  // namespace cvc
