// Valid survey rows gathered into blocks of kStatsBlockRows rows, each stored exactly as the
// calculator stores responses (Responses::from_input: one byte per rating) and handed on.
// The import appends the blocks into its responses, so it never holds the file's answers
// as doubles; the command-line runner feeds them to the statistics and drops them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/survey_stats.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

class ResponseBlocks : public SurveyRowSink {
 public:
  /// Called with the model the rows are read for, before the first block (and again when the
  /// reader starts over: the blocks before are to be dropped).
  using Begin = std::function<void(const Model& target)>;
  /// Called for each block; the rows are numbered from `first_row` (0-based) among the valid
  /// rows. A block has the segments known when it was handed on: a later one may have more.
  using Visit = std::function<void(const Responses& block, std::size_t first_row)>;
  /// Called once the rows are read (the last block handed on): the final model, and for each of
  /// its segments the one it was in the blocks (SurveyRowSink::end).
  using End = std::function<void(const Model& target, const std::vector<std::size_t>& order)>;
  ResponseBlocks(Begin begin, Visit visit, End end)
      : begin_(std::move(begin)), visit_(std::move(visit)), end_(std::move(end)) {}

  void begin(const Model& target) override;
  void add_segment(const Segment& segment) override;
  bool row(const double* answers, const std::uint8_t* membership, const double* metrics,
           std::string_view id) override;
  void end(const Model& target, const std::vector<std::size_t>& order) override;
  /// Hands on the rows still pending (after the reader returns); false on error.
  bool flush();
  /// The valid rows handed on so far.
  std::size_t rows() const { return rows_; }
  /// Set when a block was refused (not expected: the import's row checks come first).
  const Status& status() const { return status_; }

 private:
  Begin begin_;
  Visit visit_;
  End end_;
  Model target_;  // a copy: the last block is handed on after the reader has returned
  ResponseBuffers buffers_;
  std::size_t pending_ = 0;
  std::size_t rows_ = 0;
  Status status_;
};

}  // namespace cvc
