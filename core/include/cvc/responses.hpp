// Survey responses in columnar form: one column per model item, ratings stored as one byte
// each (answers on rating scales are whole numbers 0–10; 255 marks a missing answer), amounts
// as doubles (NaN marks a missing amount and never leaves this class). Segment membership is
// one byte column per segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cvc/status.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

class ScoreColumn {
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
  const std::vector<std::uint8_t>& ratings() const { return ratings_; }
  const std::vector<double>& amounts() const { return amounts_; }

 private:
  bool rating_;
  std::vector<std::uint8_t> ratings_;
  std::vector<double> amounts_;
};

class Responses {
 public:
  Responses() = default;

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

 private:
  std::size_t rows_ = 0;
  std::vector<ScoreColumn> columns_;
  std::vector<std::vector<std::uint8_t>> membership_;
  std::vector<std::uint8_t> complete_;
};

}  // namespace cvc
