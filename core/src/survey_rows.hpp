// The survey import's work per data row, apart from the rest of the import so that the
// WebAssembly module can build it for speed and everything else for size (core/CMakeLists.txt):
// profiling cells for the preview, gathering segment values, and checking a row against a
// confirmed mapping. Internal to the core.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/csv.hpp"
#include "cvc/responses.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/value_model.hpp"
#include "id_rows.hpp"
#include "score_bounds.hpp"
#include "table_text.hpp"

namespace cvc::detail {

/// The numbers of a column, as ColumnProfile counts them (numeric, text, min, max, whole
/// numbers), with the data row where min and max were first reached: two of these merge
/// exactly as if their values had been seen in row order (std::min keeps the first of equal
/// values, which matters for 0 and -0).
struct NumberStats {
  std::size_t numeric = 0;
  std::size_t text = 0;
  double min = 0;
  double max = 0;
  std::size_t min_row = 0;
  std::size_t max_row = 0;
  bool whole_numbers = true;

  void add(std::optional<double> number, std::size_t row) {
    if (!number) {
      ++text;
    } else {
      add_number(*number, row);
      whole_numbers = whole_numbers && is_whole(*number);
    }
  }
  /// A number, whole_numbers left as it is (add() checks it; a caller may know the answer).
  void add_number(double number, std::size_t row) {
    if (numeric == 0 || number < min) {
      min = number;
      min_row = row;
    }
    if (numeric == 0 || number > max) {
      max = number;
      max_row = row;
    }
    ++numeric;
  }
  void merge(const NumberStats& other);
};

/// Where each of a list of at most kMaxSegmentValues + 1 distinct strings is: one-byte values by
/// byte, longer ones hashed (each slot holds a position plus 1, or 0; at most
/// kMaxSegmentValues + 1 slots fill, so a lookup takes a probe or two). No allocation but the
/// list's own.
class DistinctIndex {
 public:
  static constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);
  /// The position of `value` in `list` (the list this index covers), or kNotFound after adding it
  /// at the end of `list`.
  std::size_t find_or_add(std::vector<std::string>& list, std::string_view value);

 private:
  static_assert(kMaxSegmentValues + 1 < 64, "slots_ stays at most half full");
  std::array<std::uint8_t, 256> one_byte_{};
  std::array<std::uint8_t, 128> slots_{};
};

/// A column's profile gathered in one pass, before the decimal comma is decided: the numbers
/// of cells without '.' or ',' read the same either way; the others are kept both ways.
struct ColumnProfiler {
  ColumnProfile profile;  // blank, distinct and examples
  NumberStats same;
  NumberStats point;
  NumberStats comma;
  DistinctIndex distinct_index;            // over profile.distinct
  std::vector<std::size_t> distinct_rows;  // the row each of profile.distinct was first seen on
  /// Cells of one or two digits, most of a survey's, are only counted here, by text ("7" and
  /// "07" apart: 0–9 for one digit, 10 + n for two), with the row each was first seen on;
  /// finish_profile() adds them to the numbers and the distinct values, in row order.
  static constexpr std::size_t kSmallTexts = 110;
  std::array<std::size_t, kSmallTexts> small_count{};
  std::array<std::size_t, kSmallTexts> small_first_row{};  // 0 = not seen (rows start at 1)

  /// Adds `value` (trimmed, not blank, first seen on `row`) to profile.distinct unless it is
  /// there or full.
  void add_distinct(std::string_view value, std::size_t row) {
    if (profile.distinct.size() <= kMaxSegmentValues &&
        distinct_index.find_or_add(profile.distinct, value) == DistinctIndex::kNotFound) {
      distinct_rows.push_back(row);
    }
  }
};
/// Profiles the cells of data row `row` (from 1, increasing) into `columns` (one per header;
/// cells beyond are left out). The decimal comma is `seen` when a cell reads as a number only with
/// one (and `comma_possible`: the delimiter is not a comma), the point when only with a point.
void profile_row(std::vector<ColumnProfiler>& columns, const std::vector<std::string_view>& cells,
                 std::size_t row, bool comma_possible, bool& saw_comma_decimal,
                 bool& saw_point_decimal);
// finish_profile() (survey_import.cpp, built for size: it runs once per column) makes the
// profile from a ColumnProfiler, with numbers read with a decimal comma or with a point.

/// The data rows' side of a preview (preview_table()): each column's profiler, the row count,
/// the first rows as a sample and the decimals seen. A large file can be previewed in two
/// parts at once, each from a record boundary (the page's two import workers): appending the
/// second part's to the first's gives exactly what one pass over the file gives.
struct PreviewRows {
  std::vector<ColumnProfiler> columns;  // one per header
  std::size_t data_rows = 0;
  std::vector<std::vector<std::string>> sample;  // the first kSampleRows rows, as read
  bool comma_possible = false;                   // the delimiter is not a comma
  bool saw_comma_decimal = false;
  bool saw_point_decimal = false;

  void add(const std::vector<std::string_view>& cells) {
    ++data_rows;
    if (sample.size() < kSampleRows) sample.emplace_back(cells.begin(), cells.end());
    profile_row(columns, cells, data_rows, comma_possible, saw_comma_decimal, saw_point_decimal);
  }
  /// Adds the rows of `later`, read from where these end, as if they had been read here.
  void append(PreviewRows&& later);
};

/// Whether segment `seg` is what `value` of a segment column of group `group` names: a segment
/// of that group (or one without a group whose label names the column, as the template writes
/// it) whose label or id is the value, compared as normalise_header() does.
bool segment_matches(const Segment& seg, const std::string& group, std::string_view value);

inline constexpr std::size_t kNoSegment = static_cast<std::size_t>(-1);

/// The reason given for a repeated respondent id, followed by the row where it was first seen
/// (StagePart renumbers it in a second part's problems).
inline constexpr std::string_view kIdAlsoOnRow = "this respondent id is also on row ";

/// A confirmed survey mapping resolved against the target model: what each column is read as.
struct RowMapping {
  std::vector<std::pair<std::size_t, std::size_t>> item_columns;  // (column, item index)
  std::optional<std::size_t> metric_column[kMetricCount];
  std::vector<std::size_t> segment_columns;
  /// Per segment column (parallel to segment_columns): the group its new segments go in.
  std::vector<std::string> segment_groups;
  /// Per segment column: its values known beforehand (trimmed, not blank), and the segment
  /// each is (kNoSegment: not a plain-text name). Empty when the checker finds them itself.
  std::vector<std::vector<std::string>> segment_values;
  std::vector<std::vector<std::size_t>> segment_of_value;
  bool segments_known = false;  // a value not in segment_values is then an unknown segment
  std::optional<std::size_t> id_column;
  bool decimal_comma = false;

  bool any_metric() const { return metric_column[0] || metric_column[1] || metric_column[2]; }
};

/// Checks data rows against a mapping, one at a time: every cell that cannot be imported is a
/// problem (row, column, value and reason); a row without problems leaves its values here.
///
/// The segment columns' values are gathered on the way (collect()). Unless the mapping gives
/// them (segments_known), a value seen for the first time is resolved then: to the last
/// segment it names (segment_matches()), or else to a new segment of its column's group,
/// appended to segments() in order of first sight. stage_survey_rows() makes the final
/// segments from the whole file's values at the end and renumbers these to them.
class SurveyRowChecker {
 public:
  SurveyRowChecker(const Model& target, const std::vector<std::string>& headers,
                   RowMapping mapping);
  /// Gathers the segment values of a data row (any row, ragged ones included); false once a
  /// segment column has more than kMaxSegmentValues values (too_many() says which).
  bool collect(const std::vector<std::string_view>& cells);
  /// Reads a data row just given to collect(); its problems are then in problems() (moved out
  /// by the caller at will).
  void check(const CsvRecord& record);
  std::vector<ImportProblem>& problems() { return problems_; }
  /// A row without problems: per item of the target (NaN = blank), per segment of segments()
  /// (1 = member), NPS, CSAT, CES (NaN = blank; null when no metric is mapped), and the id (""
  /// when none).
  const double* answers() const { return answers_.data(); }
  const std::uint8_t* membership() const { return membership_.data(); }
  const double* metrics() const { return mapping_.any_metric() ? metrics_ : nullptr; }
  std::string_view id() const { return id_; }
  /// Whether the row just checked has an id seen here first (a row with other problems too:
  /// its id still makes a later row's a repeat).
  bool id_first_seen() const { return id_first_seen_; }

  /// The target's segments, then those found new (each labelled with its value).
  const std::vector<Segment>& segments() const { return segments_; }
  /// Per segment column: its values in order of first sight, and the segment each is
  /// (kNoSegment: not a plain-text name).
  const std::vector<std::vector<std::string>>& segment_values() const {
    return mapping_.segment_values;
  }
  const std::vector<std::vector<std::size_t>>& segment_of_value() const {
    return mapping_.segment_of_value;
  }
  /// The segment column (index into segment_columns) that has too many values, if any.
  std::optional<std::size_t> too_many() const { return too_many_; }
  /// The respondent ids seen so far (each with the row it was first on), moved out.
  IdRows take_ids() { return std::move(seen_ids_); }

 private:
  void add_problem(std::size_t row, std::size_t column, std::string_view value, std::string reason);
  std::size_t resolve(std::size_t k, std::string_view value);
  std::size_t group_number(const std::string& group);

  const Model& target_;
  const std::vector<std::string>& headers_;
  RowMapping mapping_;
  std::vector<ScoreBounds> item_bounds_;  // parallel to mapping_.item_columns
  ScoreBounds metric_bounds_[kMetricCount];
  std::vector<Segment> segments_;
  std::vector<std::string> groups_;            // the segment groups, numbered
  std::vector<std::size_t> group_of_segment_;  // kNoGroup for a segment without one
  std::vector<std::size_t> column_of_group_;   // in the current row, or kNoColumn
  std::vector<DistinctIndex> value_index_;     // per segment column, over its values
  std::vector<std::size_t> value_of_column_;   // in the current row: a position, or kNoValue
  std::optional<std::size_t> too_many_;
  IdRows seen_ids_;  // respondent id → the row that has it
  std::vector<double> answers_;
  std::vector<std::uint8_t> membership_;
  double metrics_[kMetricCount] = {};
  std::string_view id_;
  bool id_first_seen_ = false;
  std::vector<ImportProblem> problems_;
};

/// The import's pass over a file's records (stage_survey_rows()): the header skipped, every data
/// row's segment values gathered and the row checked, its problems counted (the first
/// kMaxListedProblems kept in `staged`), each new segment announced to the sink before the
/// first row that has it, and each valid row handed to the sink. Here, in the file built for
/// speed in the module, rather than in survey_import.cpp (built for size), where the calls it
/// makes per row cost 10% of the check (1M rows in wasm: 506 -> 451 ms with all of
/// survey_import.cpp built for speed, for 44 KB).
class RowPass {
 public:
  /// The sink has begun with the segments `checker` starts with; those it finds new are
  /// announced. `header_first`: the records start with the header row (else with a data row:
  /// the second part of a file checked in two, StagePart). `problem_ids`, when given, gets the ids
  /// first seen on rows left out for other problems (StagePart checks them across its parts).
  RowPass(StagedImport& staged, SurveyRowChecker& checker, SurveyRowSink& sink,
          bool header_first = true, IdList* problem_ids = nullptr);
  /// One record of the file; false to stop reading (a segment column has too many values:
  /// checker.too_many()).
  bool operator()(const CsvRecord& record);

 private:
  StagedImport& staged_;
  SurveyRowChecker& checker_;
  SurveyRowSink& sink_;
  IdList* problem_ids_;
  std::size_t index_;
  std::size_t announced_;
  bool sink_open_ = true;
};

/// Whether any respondent id of `rows` (blank ones aside) or of `more` is in `ids` (StagePart:
/// an id in both parts of a file; the ids of one part are unique, as its check left them).
/// Here, built for speed: a million ids go through it.
bool any_id_in(const IdRows& ids, const Responses& rows, const IdList& more);

/// The valid rows of an import stored as they come into responses (RowAppender), for
/// stage_survey_import().
class StagedRows : public SurveyRowSink {
 public:
  void begin(const Model& target) override;
  void add_segment(const Segment&) override;
  bool row(const double* answers, const std::uint8_t* membership, const double* metrics,
           std::string_view id) override;
  void end(const Model& target, const std::vector<std::size_t>& order) override;
  /// The responses, once end() was called.
  Responses take() { return std::move(responses_); }
  /// The responses without end(): their segments as the pass found them (StagePart).
  Responses take_in_pass_order();

 private:
  std::optional<RowAppender> rows_;
  Responses responses_;
};

}  // namespace cvc::detail
