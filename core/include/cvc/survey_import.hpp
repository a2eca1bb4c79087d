// Survey files in: a CSV is previewed (delimiter, headers, a profile of each column and a
// proposed mapping of columns to respondent id, segments, NPS/CSAT/CES and value items), the
// user adjusts and confirms the mapping, and the import is staged: every rejected cell is
// reported with its row, column, value and reason, and nothing changes until the user
// chooses to import the valid rows.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/byte_source.hpp"
#include "cvc/responses.hpp"
#include "cvc/status.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

enum class ColumnRole { ignore, respondent_id, segment, nps, csat, ces, item };
std::string_view to_string(ColumnRole role);
std::optional<ColumnRole> column_role_from_string(std::string_view text);

/// What the values in one column look like, over the whole file.
struct ColumnProfile {
  std::size_t numeric = 0;  // values that parse as numbers
  std::size_t blank = 0;
  std::size_t text = 0;  // values that are neither
  double min = 0;
  double max = 0;
  bool whole_numbers = true;
  std::vector<std::string> distinct;  // up to kMaxSegmentValues + 1 distinct non-blank values
  std::vector<std::string> examples;  // the first few non-blank values
};

/// How one CSV column is read.
struct ColumnMapping {
  std::size_t column = 0;  // 0-based
  ColumnRole role = ColumnRole::ignore;
  std::string item_id;  // role item: an existing item, or the id of the item to create
  bool create_item = false;
  Item new_item;      // role item with create_item: the item to add (its id is item_id)
  std::string group;  // role segment: the segment group (defaults to the header)
};

/// What any table file looks like, before it is mapped.
struct TablePreview {
  char delimiter = ',';
  bool decimal_comma = false;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> sample_rows;  // the first data rows, as text
  std::size_t data_rows = 0;
  std::vector<ColumnProfile> profiles;  // parallel to headers
};

struct CsvPreview : TablePreview {
  std::vector<ColumnMapping> proposed;  // parallel to headers
  /// The model's satisfaction settings, with the CSAT scale (and its top-two-box cut)
  /// detected from a CSAT column's data when it differs from the model's.
  SatisfactionSettings proposed_satisfaction;
};

/// One rejected cell (column ≥ 1) or row (column 0, e.g. a ragged row).
struct ImportProblem {
  std::size_t row = 0;  // 1-based, the header is row 1
  std::size_t column = 0;
  std::string header;
  std::string value;
  std::string reason;
};

struct StagedImport {
  Model model;          // the current model plus created items and segments
  Responses responses;  // the valid rows
  std::size_t rows_total = 0;
  std::size_t rows_valid = 0;
  std::vector<ImportProblem> problems;  // the first kMaxListedProblems
  std::size_t problem_count = 0;
  std::vector<std::string> created_items;
  std::vector<std::string> created_segments;
};

inline constexpr std::size_t kMaxListedProblems = 1000;
inline constexpr std::size_t kMaxSegmentValues = 50;
inline constexpr std::size_t kSampleRows = 10;
inline constexpr std::size_t kMaxColumns = 1000;

/// Reads a table file: delimiter and decimal comma, headers, a sample and column profiles.
/// Refuses, with a message, an empty file, a header without data rows, binary data, text
/// that is not UTF-8, duplicate or too many headers, and unterminated quotes.
Expected<TablePreview> preview_table(std::string_view bytes);
/// The header row, checked as preview_table checks it.
Expected<std::vector<std::string>> read_headers(std::string_view bytes, char delimiter);

/// Reads the file once: delimiter and decimal comma, headers, column profiles, a proposed
/// mapping. Refuses, with a message, an empty file, a header without data rows, binary data,
/// text that is not UTF-8, duplicate or too many headers, and unterminated quotes.
Expected<CsvPreview> preview_survey_csv(std::string_view bytes, const Model& model);

/// Reads the file against a confirmed mapping. Errors (the whole import refused) are for
/// mappings that cannot work: a column out of range or mapped twice, two id columns, no
/// column to import, an item that does not exist or cannot be created. Everything about the
/// data itself is a problem listed per row and cell; rows with a problem are left out.
/// `satisfaction`, when given, replaces the model's satisfaction settings for this import
/// (e.g. a CSAT column asked on 1–10).
Expected<StagedImport> stage_survey_import(std::string_view bytes, const Model& model,
                                           const std::vector<ColumnMapping>& mapping,
                                           char delimiter, bool decimal_comma,
                                           const SatisfactionSettings* satisfaction = nullptr);

/// Receives the rows of a survey file that pass every check, in file order.
///
/// The file is read once, so the segments its values create are known only at its end. During
/// the pass the segments are the given model's, then each new one as first seen
/// (add_segment); end() then gives the final model, whose new segments are in the order
/// the import gives them (sorted by value), and where each of them was during the pass.
class SurveyRowSink {
 public:
  virtual ~SurveyRowSink() = default;
  /// Before the first row: the model the rows are read for (the given one plus the items the
  /// mapping creates; the segments are the given model's so far). Called again, it starts
  /// over: the rows handed on before are to be dropped.
  virtual void begin(const Model& target) = 0;
  /// A new segment, one more in `membership` from the next row on.
  virtual void add_segment(const Segment& segment) = 0;
  /// One valid row: `answers` per item of the target (NaN = blank), `membership` per segment
  /// so far (1 = member), `metrics` NPS, CSAT, CES (NaN = blank) or null when no metric column
  /// is mapped, and the respondent id ("" when none). Return false to stop reading.
  virtual bool row(const double* answers, const std::uint8_t* membership, const double* metrics,
                   std::string_view id) = 0;
  /// After the last row, when the import succeeds: the final model (the given one plus the
  /// items and segments the mapping creates) and, for each of its segments, the one it was
  /// during the pass (`order[s]`; the given segments keep their place). A segment added after
  /// the last row handed on has no member.
  virtual void end(const Model& target, const std::vector<std::size_t>& order) = 0;
};

/// A large file previewed in two parts at once (the page's import runs a worker per core): the
/// first part from the file's start to just after a line break, the second from there to the
/// end. Appended in file order, the parts give exactly what preview_survey_csv() gives for
/// the whole file. The second part travels to the first's worker as bytes (to_bytes(): cells
/// need not be UTF-8, so not as JSON).
class PreviewPart {
 public:
  PreviewPart();
  ~PreviewPart();
  PreviewPart(PreviewPart&&) noexcept;
  PreviewPart& operator=(PreviewPart&&) noexcept;

  /// Reads the part that `source` feeds: the file from its start when `first` (the header row
  /// first), else from a record boundary inside it (the header row is read from
  /// source.head(), the file's start). An error when the part cannot be read on its own (the
  /// file is not text, the header row is bad or does not end within the head, a quote is not
  /// closed): preview the whole file in one pass instead, which words the right message.
  static Expected<PreviewPart> read(const ByteSource& source, bool first);
  /// Whether the part ended on a record boundary (not inside quotes): false when the file was
  /// split inside a quoted field, and its parts cannot be appended.
  bool ends_on_record_boundary() const;
  std::string to_bytes() const;
  /// A part from to_bytes(); an error when the bytes are not one (damaged, or truncated).
  static Expected<PreviewPart> from_bytes(std::string_view bytes);
  /// Appends the part of the file that follows this one. An error when it cannot follow:
  /// this part did not end on a record boundary, or the two differ in delimiter or headers.
  Status append(PreviewPart&& later);
  /// The file's table preview from the parts appended (as preview_table() gives it).
  Expected<TablePreview> table() const;
  /// The file's preview from the parts appended (as preview_survey_csv() gives it).
  Expected<CsvPreview> preview(const Model& model) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// A large file's import checked in two parts at once, as its preview is (PreviewPart): the
/// first part from the file's start to just after a line break, the second from there to the
/// end. Appended in file order, the parts give exactly what stage_survey_import() gives for the
/// whole file, or refuse to be appended (then check the whole file in one pass, which also
/// words any error).
///
/// A part is read on its own, so it numbers the segments it finds new in its own order of
/// first sight; append() maps each part's segments to the whole file's (as one pass does at its
/// end) and refuses when that mapping is not exact. Respondent ids are checked across the two
/// parts: an id of the second part already in the first is refused (one pass would list it as a
/// problem of the first part's row).
/// How the arrays of a survey are made from those of two consecutive parts of it, where the
/// survey is adopted (staged_import_from_parts) rather than copied into one first: each array of
/// the whole is the first part's followed by the second's (the second's id ends moved by the
/// first's id text), and segment s's membership is column order[s][p] of part p, or zeros where
/// that part has no member of it (order[s][p] == kNoPartSegment).
struct PartsJoin {
  static constexpr std::size_t kNoPartSegment = static_cast<std::size_t>(-1);
  std::array<Responses::PartsLayout, 2> parts;
  std::array<std::size_t, 2> segments{};          // each part's membership columns
  std::vector<std::array<std::size_t, 2>> order;  // per segment of the whole
};

/// A checked import in two parts, joined: the import without its responses (the model, the
/// counts, the problems), and how the parts' arrays make its responses.
struct JoinedImport {
  StagedImport staged;
  PartsJoin join;
};

class StagePart {
 public:
  StagePart();
  ~StagePart();
  StagePart(StagePart&&) noexcept;
  StagePart& operator=(StagePart&&) noexcept;

  /// Reads and checks the part that `source` feeds: the file from its start when `first`, else
  /// from a record boundary inside it (the header row is read from source.head()). The other
  /// arguments as for stage_survey_import(). An error when the part cannot be read on its own.
  static Expected<StagePart> read(const ByteSource& source, bool first, const Model& model,
                                  const std::vector<ColumnMapping>& mapping, char delimiter,
                                  bool decimal_comma,
                                  const SatisfactionSettings* satisfaction = nullptr);
  /// Whether the part ended on a record boundary (not inside quotes).
  bool ends_on_record_boundary() const;
  /// The part without its responses' arrays (counts, problems, segments found, the ids it
  /// holds), as bytes: cells need not be UTF-8.
  std::string to_bytes() const;
  /// Its responses' arrays, as Responses::parts() gives them (its segments in its own order).
  std::vector<Responses::Part> parts() const;
  /// Appends the part of the file that follows this one, from its to_bytes() and its arrays
  /// (filled by `fill` in parts() order, each checked as Responses::from_parts() does). An
  /// error when it cannot follow exactly: this part did not end on a record boundary, the
  /// parts differ in their header or mapping, a respondent id is in both, a segment column
  /// has too many values, or their segments do not map one to one onto the whole file's.
  /// This part is then unusable.
  Status append(std::string_view later, const Responses::PartFill& fill);
  /// The whole import from the parts appended, as stage_survey_import() gives it; an error
  /// when the parts cannot give it exactly (check the file in one pass instead).
  Expected<StagedImport> finish() &&;
  /// append() and finish() without copying the later part's arrays here: from its to_bytes()
  /// and its respondent ids alone (`later_ids` fills its two id arrays, their ends then their
  /// text, when it has ids), the whole import with how its arrays join (PartsJoin), for the
  /// first part's arrays (parts(), still here) and the later part's, which are checked where
  /// they are joined. The same refusals as append() and finish() otherwise. The page's import
  /// worker does this: the parts' arrays go to the page, and are copied once, into the survey.
  Expected<JoinedImport> join(std::string_view later, const Responses::PartFill& later_ids);

 private:
  Status append_part(std::string_view later, const Responses::PartFill& fill, bool ids_only);
  struct State;
  std::unique_ptr<State> state_;
};

/// The streaming form of the two calls above, for input read in chunks (a large file):
/// the same checks, problems and counts; stage_survey_rows() hands the valid rows to `sink`
/// instead of keeping them (the returned StagedImport has no responses).
Expected<CsvPreview> preview_survey_csv(const ByteSource& source, const Model& model);
Expected<StagedImport> stage_survey_rows(const ByteSource& source, const Model& model,
                                         const std::vector<ColumnMapping>& mapping, char delimiter,
                                         bool decimal_comma,
                                         const SatisfactionSettings* satisfaction,
                                         SurveyRowSink& sink);
/// stage_survey_import() for input read in chunks (the page's import worker reads a file
/// slice by slice): the same result, responses included.
Expected<StagedImport> stage_survey_import(const ByteSource& source, const Model& model,
                                           const std::vector<ColumnMapping>& mapping,
                                           char delimiter, bool decimal_comma,
                                           const SatisfactionSettings* satisfaction = nullptr);
Expected<TablePreview> preview_table(const ByteSource& source);
Expected<std::vector<std::string>> read_headers(const ByteSource& source, char delimiter);

/// A CSV with the header row that matches `model` (and would be proposed back exactly as
/// the model's items, segments and satisfaction questions), plus one example row.
std::string survey_template_csv(const Model& model);

/// True when `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace cvc
