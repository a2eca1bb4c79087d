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
  if (has_ids() || other.has_ids()) {
    if (!has_ids()) id_ends_.assign(rows_, 0);
    const std::size_t base = id_text_.size();
    id_text_ += other.id_text_;
    for (std::size_t r = 0; r < other.rows_; ++r) {
      id_ends_.push_back(base + (other.has_ids() ? other.id_ends_[r] : 0));
    }
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
    for (const std::string& id : *in.ids) {
      result.id_text_ += id;
      result.id_ends_.push_back(result.id_text_.size());
    }
    if (auto s = result.check_ids(in.first_row_number); !s.ok()) return s.error();
  }
  return result;
}

Status Responses::check_ids(std::size_t first_row_number) const {
  // Ids join the survey to other tables, so they must be usable as keys: plain text, not too
  // long, and unique (blank ids are allowed and never match anything). Repeats are found with
  // an open-addressing set of row numbers over the ids where they are stored (4 bytes a slot,
  // 8 MB for a million rows; a set holding copies of the ids took 50 MB at the peak).
  std::size_t capacity = 16;
  while (capacity < 2 * id_ends_.size()) capacity *= 2;
  std::vector<std::uint32_t> slots(id_ends_.empty() ? 0 : capacity, 0);  // row + 1, 0 = empty
  const auto seen_before = [&](std::size_t row) -> std::optional<std::size_t> {
    const std::string_view id = this->id(row);
    for (std::size_t slot = std::hash<std::string_view>{}(id) & (capacity - 1);;
         slot = (slot + 1) & (capacity - 1)) {
      if (slots[slot] == 0) {
        slots[slot] = static_cast<std::uint32_t>(row + 1);
        return std::nullopt;
      }
      if (this->id(slots[slot] - 1) == id) return slots[slot] - 1;
    }
  };
  for (std::size_t r = 0; r < id_ends_.size(); ++r) {
    const std::string_view id = this->id(r);
    // Built only on error: a string per row would cost more than the checks.
    const auto row = [&] { return std::to_string(r + first_row_number); };
    const auto field = [&] { return "row " + row() + ", id"; };
    if (id.size() > kMaxLabelLength) {
      return Error{field(), "Row " + row() + ": the respondent id is longer than " +
                                std::to_string(kMaxLabelLength) + " bytes."};
    }
    for (const char c : id) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return Error{field(), "Row " + row() +
                                  ": the respondent id contains control characters (such as a "
                                  "line break)."};
      }
    }
    if (id.empty()) continue;
    if (const auto first = seen_before(r)) {
      return Error{field(), "Row " + row() + ": the respondent id \"" + std::string(id) +
                                "\" is also the id of row " +
                                std::to_string(*first + first_row_number) + "."};
    }
  }
  return Status::success();
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
  for (const Item& item : model.items) {
    ScoreColumn column(item.scale.is_rating());
    if (column.is_rating()) {
      column.ratings_.resize(rows);
      if (auto s = take(column.ratings_.data(), rows, 1); !s.ok()) return s.error();
    } else {
      column.amounts_.resize(rows);
      if (auto s = take(column.amounts_.data(), rows, sizeof(double)); !s.ok()) return s.error();
    }
    for (std::size_t r = 0; r < rows; ++r) {
      if (column.missing(r)) {
        result.complete_[r] = 0;
      } else if (!check_score(column.value(r), item, std::string(), true).ok()) {
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
      for (std::size_t r = 0; r < rows; ++r) {
        if (column[r] != ScoreColumn::kMissingRating &&
            !check_metric(model, metric, column[r], std::string()).ok()) {
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
