// The loops that check and store every answer of a survey: Responses::from_input and append
// (the import, block by block) and Responses::from_parts (an import checked in the worker,
// adopted by the page; the autosave restored), apart from the rest of responses.cpp so that the
// WebAssembly module can build them for speed and the rest for size (core/CMakeLists.txt).
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/survey_import.hpp"
#include "score_bounds.hpp"

namespace cvc {

void ScoreColumn::push_back(double value) {
  if (rating_) {
    ratings_.push_back(std::isnan(value) ? kMissingRating : static_cast<std::uint8_t>(value));
  } else {
    amounts_.push_back(value);
  }
}

void ScoreColumn::append(const ScoreColumn& other) {
  ratings_.insert(ratings_.end(), other.ratings_.begin(), other.ratings_.end());
  amounts_.insert(amounts_.end(), other.amounts_.begin(), other.amounts_.end());
}

void Responses::order_segments(const std::vector<std::size_t>& order) {
  std::vector<std::vector<std::uint8_t>> old = std::move(membership_);
  membership_.clear();
  for (const std::size_t s : order) {
    membership_.push_back(s < old.size() ? std::move(old[s]) : std::vector<std::uint8_t>(rows_, 0));
  }
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
  if (has_ids() || other.has_ids()) {
    if (!has_ids()) id_ends_.assign(rows_, 0);
    const std::size_t base = id_text_.size();
    id_text_ += other.id_text_;
    for (std::size_t r = 0; r < other.rows_; ++r) {
      id_ends_.push_back(base + (other.has_ids() ? other.id_ends_[r] : 0));
    }
  }
  for (std::size_t j = 0; j < columns_.size(); ++j) columns_[j].append(other.columns_[j]);
  // A survey import's later blocks may have segments the earlier ones did not.
  while (membership_.size() < other.membership_.size()) membership_.emplace_back(rows_, 0);
  for (std::size_t s = 0; s < membership_.size(); ++s) {
    membership_[s].insert(membership_[s].end(), other.membership_[s].begin(),
                          other.membership_[s].end());
  }
  complete_.insert(complete_.end(), other.complete_.begin(), other.complete_.end());
  rows_ += other.rows_;
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
  // writes stream into each column. An answer inside the item's bounds is valid at once;
  // anything else goes through check_score(), which decides and words the message.
  const std::string no_field;
  for (std::size_t j = 0; j < items; ++j) {
    const Item& item = model.items[j];
    const detail::ScoreBounds bounds(item.scale);
    ScoreColumn& column = result.columns_[j];
    for (std::size_t r = 0; r < rows; ++r) {
      const double answer = answers[r * items + j];
      if (std::isnan(answer)) {
        result.complete_[r] = 0;
      } else if (!bounds.accepts(answer) && !check_score(answer, item, no_field, true).ok()) {
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
      const detail::ScoreBounds bounds(metric_scale(model, metric));  // check_metric's scale
      auto& column = result.metrics_[m];
      column.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double value = in.metrics[r * kMetricCount + m];
        if (std::isnan(value)) {
          column[r] = ScoreColumn::kMissingRating;
          continue;
        }
        if (!bounds.accepts(value) && !check_metric(model, metric, value, no_field).ok()) {
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
    for (const std::string& id : *in.ids) {
      result.id_text_ += id;
      result.id_ends_.push_back(result.id_text_.size());
    }
    if (auto s = result.check_ids(in.first_row_number); !s.ok()) return s.error();
  }
  return result;
}

Expected<Responses> Responses::from_parts(const Model& model, const PartsLayout& layout,
                                          const PartFill& fill) {
  const std::size_t rows = layout.rows;
  std::size_t index = 0;
  // Each part is sized first (refusing sizes that overflow) and then filled in place.
  const auto take = [&](void* dest, std::size_t count, std::size_t size) -> Status {
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) {
      return Error{"survey", "The saved survey is too large for this browser tab."};
    }
    if (!fill(index, dest, count * size)) {
      return Error{"survey", "The survey data is damaged: part " + std::to_string(index + 1) +
                                 " is missing or has the wrong size."};
    }
    ++index;
    return Status::success();
  };
  const auto bad = [](const std::string& what, std::size_t r) {
    return Error{"survey", "The survey data is damaged: " + what + " of respondent " +
                               std::to_string(r + 1) + " is not a valid answer."};
  };

  Responses result;
  result.rows_ = rows;
  result.complete_.assign(rows, 1);
  const std::string no_field;
  for (const Item& item : model.items) {
    ScoreColumn column(item.scale.is_rating());
    if (column.is_rating()) {
      column.ratings_.resize(rows);
      if (auto s = take(column.ratings_.data(), rows, 1); !s.ok()) return s.error();
    } else {
      column.amounts_.resize(rows);
      if (auto s = take(column.amounts_.data(), rows, sizeof(double)); !s.ok()) return s.error();
    }
    const detail::ScoreBounds bounds(item.scale);  // valid at once; else check_score decides
    for (std::size_t r = 0; r < rows; ++r) {
      if (column.missing(r)) {
        result.complete_[r] = 0;
      } else if (!bounds.accepts(column.value(r)) &&
                 !check_score(column.value(r), item, no_field, true).ok()) {
        return bad("item \"" + item.id + "\"", r);
      }
    }
    result.columns_.push_back(std::move(column));
  }
  if (layout.metrics) {
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      auto& column = result.metrics_[m];
      column.resize(rows);
      if (auto s = take(column.data(), rows, 1); !s.ok()) return s.error();
      const auto metric = static_cast<Metric>(m);
      const detail::ScoreBounds bounds(metric_scale(model, metric));  // check_metric's scale
      for (std::size_t r = 0; r < rows; ++r) {
        if (column[r] != ScoreColumn::kMissingRating && !bounds.accepts(column[r]) &&
            !check_metric(model, metric, column[r], no_field).ok()) {
          return bad(std::string(metric_label(metric)), r);
        }
      }
    }
  }
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t s = 0; s < model.segments.size(); ++s) {
    if (!model.segments[s].group.empty()) groups[model.segments[s].group].push_back(s);
    result.membership_.emplace_back(rows);
    if (auto st = take(result.membership_.back().data(), rows, 1); !st.ok()) return st.error();
    for (std::size_t r = 0; r < rows; ++r) {
      if (result.membership_.back()[r] > 1) return bad("a segment flag", r);
    }
  }
  for (const auto& [group, members] : groups) {
    for (std::size_t r = 0; r < rows; ++r) {
      std::size_t count = 0;
      for (const std::size_t s : members) count += result.membership_[s][r];
      if (count > 1) return bad("the segments of group \"" + group + "\"", r);
    }
  }
  if (layout.ids) {
    result.id_ends_.resize(rows);
    if (auto s = take(result.id_ends_.data(), rows, sizeof(std::size_t)); !s.ok()) {
      return s.error();
    }
    result.id_text_.resize(layout.id_text_bytes);
    if (auto s = take(result.id_text_.data(), layout.id_text_bytes, 1); !s.ok()) return s.error();
    std::size_t previous = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      if (result.id_ends_[r] < previous || result.id_ends_[r] > layout.id_text_bytes) {
        return bad("the id", r);
      }
      previous = result.id_ends_[r];
    }
    if (previous != layout.id_text_bytes) return bad("the id", rows == 0 ? 0 : rows - 1);
    if (!is_valid_utf8(result.id_text_)) {
      return Error{"survey", "The survey data is damaged: its respondent ids are not text."};
    }
    if (auto s = result.check_ids(1); !s.ok()) {
      return Error{"survey", "The survey data is damaged: " + s.error().message};
    }
  }
  return result;
}

}  // namespace cvc
