// Survey responses in columnar form: one column per model item, ratings stored as one byte
// each (answers on rating scales are whole numbers 0–10; 255 marks a missing answer), amounts
// as doubles (NaN marks a missing amount and never leaves this class). Segment membership is
// one byte column per segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/status.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

class RowAppender;

class ScoreColumn {
  friend class Responses;
  friend class RowAppender;

 public:
  static constexpr std::uint8_t kMissingRating = 255;

  explicit ScoreColumn(bool rating = true) : rating_(rating) {}
  bool is_rating() const { return rating_; }
  std::size_t size() const { return rating_ ? ratings_.size() : amounts_.size(); }
  bool missing(std::size_t row) const;
  /// The answer as given (before reverse coding); only for rows that are not missing.
  double value(std::size_t row) const {
    return rating_ ? static_cast<double>(ratings_[row]) : amounts_[row];
  }
  void push_back(double value);  // NaN = missing; value must already be valid for the item
  void reserve(std::size_t n);
  void append(const ScoreColumn& other);
  void copy_row(std::size_t row, const ScoreColumn& other, std::size_t other_row);
  void erase(std::size_t row);
  const std::vector<std::uint8_t>& ratings() const { return ratings_; }
  const std::vector<double>& amounts() const { return amounts_; }

 private:
  bool rating_;
  std::vector<std::uint8_t> ratings_;
  std::vector<double> amounts_;
};

/// The satisfaction questions a survey may carry besides the value items.
enum class Metric { nps = 0, csat = 1, ces = 2 };
inline constexpr std::size_t kMetricCount = 3;
std::string_view to_string(Metric metric);
/// "NPS (likelihood to recommend)", "CSAT", "CES": for messages and headings.
std::string_view metric_label(Metric metric);
/// The scale a satisfaction question is asked on (NPS 0–10, CSAT as configured, CES 1–7).
Scale metric_scale(const Model& model, Metric metric);
/// Checks one satisfaction answer: a whole number on its scale.
Status check_metric(const Model& model, Metric metric, double value, const std::string& field);

/// Survey data as it arrives from JavaScript or a file, row-major. Pointers may be null when
/// their count is 0: no metrics, no segments, no ids.
struct ResponseInput {
  std::size_t rows = 0;
  const double* answers = nullptr;  // rows × items, NaN = not answered
  std::size_t answer_count = 0;
  const std::uint8_t* membership = nullptr;  // rows × segments, non-zero = member
  std::size_t membership_count = 0;
  const double* metrics = nullptr;  // rows × 3 (NPS, CSAT, CES), NaN = not asked/answered
  std::size_t metric_count = 0;     // 0 or rows × 3
  const std::vector<std::string>* ids = nullptr;  // respondent ids, or null
  std::size_t first_row_number = 1;               // the row number messages give the first row
};

/// Owned row-major buffers for building a ResponseInput (an import, a file, the bindings).
struct ResponseBuffers {
  std::vector<double> answers;           // rows × items, NaN = not answered
  std::vector<std::uint8_t> membership;  // rows × segments
  std::vector<double> metrics;           // rows × 3, or empty when no metric was asked
  std::vector<std::string> ids;
  bool has_ids = true;

  ResponseInput input(std::size_t rows) const {
    ResponseInput in;
    in.rows = rows;
    in.answers = answers.data();
    in.answer_count = answers.size();
    in.membership = membership.data();
    in.membership_count = membership.size();
    in.metrics = metrics.data();
    in.metric_count = metrics.size();
    in.ids = has_ids ? &ids : nullptr;
    return in;
  }
};

class Responses {
  friend class RowAppender;

 public:
  Responses() = default;

  /// Builds and validates responses for `model`; the first bad value is reported by row
  /// (1-based) and item or metric. At most one segment per segment group.
  static Expected<Responses> from_input(const Model& model, const ResponseInput& input);

  /// Builds responses for `model` from a row-major matrix of `rows` × model.items.size()
  /// answers (NaN = not answered) and a row-major `rows` × model.segments.size() membership
  /// matrix (non-zero = member). Each answer is checked against its item's scale; the first
  /// bad one is reported by row (1-based) and item. At most one segment per segment group.
  static Expected<Responses> from_matrix(const Model& model, const double* answers,
                                         std::size_t answer_count, const std::uint8_t* membership,
                                         std::size_t membership_count, std::size_t rows);

  std::size_t rows() const { return rows_; }
  const ScoreColumn& column(std::size_t item) const { return columns_[item]; }
  bool in_segment(std::size_t row, std::size_t segment) const {
    return membership_[segment][row] != 0;
  }
  /// True when the respondent answered every item (complete-case analysis).
  bool complete(std::size_t row) const { return complete_[row] != 0; }
  std::size_t item_count() const { return columns_.size(); }
  std::size_t segment_count() const { return membership_.size(); }
  /// A satisfaction answer, or ScoreColumn::kMissingRating when not given.
  std::uint8_t metric(Metric m, std::size_t row) const {
    return metrics_[static_cast<std::size_t>(m)][row];
  }
  bool has_metrics() const { return !metrics_[0].empty(); }
  /// The respondent's id ("" when none was given).
  std::string_view id(std::size_t row) const;
  bool has_ids() const { return !id_ends_.empty(); }
  /// True when every row has an id and each comes after the one before (shorter first, then
  /// byte by byte), as serial ids do.
  bool ids_increasing() const;
  /// The columns as arrays, for kernels that stream through them (rows() entries each).
  const std::uint8_t* complete_data() const { return complete_.data(); }
  const std::uint8_t* membership_data(std::size_t segment) const {
    return membership_[segment].data();
  }
  /// Null when the survey has no satisfaction answers.
  const std::uint8_t* metric_data(Metric m) const {
    return has_metrics() ? metrics_[static_cast<std::size_t>(m)].data() : nullptr;
  }

  /// Editing, one respondent at a time (the manual grid). `other` holds validated rows for
  /// the same model, e.g. from from_input() with one row.
  void append(const Responses& other);
  void replace_row(std::size_t row, const Responses& single);
  void erase_row(std::size_t row);
  /// Adds empty columns for items and segments that `model` has beyond these responses'
  /// (an import that created items appends them): the new answers are missing, so these rows
  /// become incomplete for the value model.
  void extend_to(const Model& model);
  /// Puts the segment columns in a new order: segment s becomes the one that was
  /// `order[s]` (columns beyond the current ones are empty).
  void order_segments(const std::vector<std::size_t>& order);

  /// The arrays these responses are stored in, as raw bytes, for moving a survey between two
  /// instances of the module (the import worker hands its rows to the page) and for keeping it
  /// without JSON (the page's autosave). In this order: each item's column (a byte per rating,
  /// a double per amount), the three metric columns when has_metrics(), each segment's
  /// membership bytes, and when has_ids() the ids' end offsets (std::size_t) and their text.
  /// The views point into these responses: valid until they change.
  struct Part {
    const void* data;
    std::size_t bytes;
  };
  std::vector<Part> parts() const;
  /// The shape of parts(), enough to rebuild them: see from_parts().
  struct PartsLayout {
    std::size_t rows = 0;
    bool metrics = false;
    bool ids = false;
    std::size_t id_text_bytes = 0;
  };
  PartsLayout layout() const;
  /// Fills `bytes` bytes at `dest` with part `index`; false when it cannot (wrong size).
  using PartFill = std::function<bool(std::size_t index, void* dest, std::size_t bytes)>;
  /// Rebuilds responses for `model` (whose items and segments the parts must follow) from
  /// parts in the order of parts(). Every value is checked as from_input() checks it (scales,
  /// one segment per group, ids), so damaged or foreign parts are refused with a message and
  /// never stored. Memory: the arrays are filled in place, with no second copy.
  static Expected<Responses> from_parts(const Model& model, const PartsLayout& layout,
                                        const PartFill& fill);

 private:
  void set_id(std::size_t row, std::string_view id);
  /// Checks the ids as from_input() does (length, control characters, unique).
  Status check_ids(std::size_t first_row_number) const;

  std::size_t rows_ = 0;
  // The respondent ids one after another: id r is id_text_[id_ends_[r - 1], id_ends_[r]) (from
  // 0 for r = 0). No ids at all when id_ends_ is empty. A std::string per respondent took 32
  // bytes each besides the id, a third of a million-row survey's memory.
  std::string id_text_;
  std::vector<std::size_t> id_ends_;
  std::vector<std::uint8_t> metrics_[kMetricCount];
  std::vector<ScoreColumn> columns_;
  std::vector<std::vector<std::uint8_t>> membership_;
  std::vector<std::uint8_t> complete_;
};

/// The survey import's valid rows, appended one at a time. The import's row checker has checked
/// each value as Responses::from_input() does (answers and metrics on their scales, at most one
/// segment per group, ids plain text and unique), so they are stored as given: no second check,
/// no row-major copy, and the columns grow in steps rather than a value at a time.
class RowAppender {
 public:
  /// Starts from `start`, e.g. from_input(model, {}) for the model's empty columns.
  explicit RowAppender(Responses start);
  /// One more segment column, with no member among the rows so far.
  void add_segment_column();
  /// `answers` per item (NaN = not answered), `membership` per segment column (non-zero =
  /// member), `metrics` NPS, CSAT, CES (NaN = not answered) or null when the import has none
  /// (the same for every row), and the id (kept for every row, "" when none).
  void append(const double* answers, const std::uint8_t* membership, const double* metrics,
              std::string_view id);
  std::size_t rows() const { return out_.rows_; }
  /// The responses, the rows appended so far.
  Responses finish();

 private:
  void grow();

  Responses out_;
  std::size_t capacity_ = 0;            // rows every column is sized for
  std::vector<std::uint8_t*> ratings_;  // per item: its ratings, or null for an amount item
  std::vector<double*> amounts_;        // per item: its amounts, or null for a rating item
  std::vector<std::uint8_t*> members_;  // per segment
  std::uint8_t* metrics_[kMetricCount] = {};
  bool has_metrics_ = false;
};

}  // namespace cvc
