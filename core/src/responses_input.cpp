// Responses::from_input, which checks and stores every answer of a survey import block by
// block, apart from the rest of responses.cpp so that the WebAssembly module can build it for
// speed and the rest for size (core/CMakeLists.txt).
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cvc/responses.hpp"
#include "score_bounds.hpp"

namespace cvc {

void ScoreColumn::push_back(double value) {
  if (rating_) {
    ratings_.push_back(std::isnan(value) ? kMissingRating : static_cast<std::uint8_t>(value));
  } else {
    amounts_.push_back(value);
  }
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

}  // namespace cvc
