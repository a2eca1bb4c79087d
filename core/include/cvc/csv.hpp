// CSV reading on bytes, RFC 4180 and the variants spreadsheets actually write: quoted fields
// with doubled quotes, delimiters and line breaks inside quotes, CRLF / LF / CR line ends, a
// last line with or without a line break, UTF-8 with or without a byte-order mark, and the
// delimiter detected among comma, semicolon and tab.
//
// The reader is a push tokenizer: feed it bytes in chunks of any size (a file read in slices
// never has to be whole in memory) and it calls back once per record with that record's fields.
// A record that lies whole inside one chunk and needs no unescaping (the usual case) is handed
// on as views into the chunk, without copying a byte; the rest go byte by byte through a state
// machine. Both give the same fields, rows and lines, wherever the chunks split.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/status.hpp"

namespace cvc {

/// The delimiter most consistent over the first lines of `sample` among ',', ';' and '\t'
/// (quotes respected); ',' when nothing decides.
char detect_delimiter(std::string_view sample);

/// A record's fields, valid only during the callback. `row` is the 1-based record number
/// (the header is row 1); `line` the 1-based physical line the record starts on.
struct CsvRecord {
  std::size_t row = 0;
  std::size_t line = 0;
  const std::vector<std::string_view>& fields;
};

class CsvReader {
 public:
  /// Return false from the callback to stop reading (e.g. after a preview's first rows).
  using RecordCallback = std::function<bool(const CsvRecord&)>;

  CsvReader(char delimiter, RecordCallback on_record);

  /// Feeds the next bytes. Returns false once the callback asked to stop.
  bool feed(std::string_view bytes);
  /// Ends the input: flushes a last record without a line break. An unterminated quoted field
  /// is an error naming the row, the column and the line where the quote opened.
  Status finish();

  std::size_t records() const { return row_; }
  /// Whether the bytes fed so far end a record (outside quotes, after its line break): a file
  /// read in parts was split where a record ends.
  bool at_record_boundary() const {
    return state_ == State::field_start && !record_has_content_ && buffer_.empty() &&
           ends_.empty() && !pending_cr_;
  }
  /// The bytes to come start at a record boundary inside a file, not at its start: no
  /// byte-order mark is looked for.
  void start_inside_file() { at_start_ = false; }

 private:
  enum class State { field_start, unquoted, quoted, quote_in_quoted };
  /// Reads the records from bytes[start] on, as long as each ends inside `bytes` and has no
  /// doubled quote, no text after a closing quote and no line break inside quotes: their fields
  /// are views into `bytes`. Returns the bytes consumed (whole records with their line ends);
  /// the record where it stopped goes through step() instead.
  std::size_t fast_records(std::string_view bytes, std::size_t start);
  /// The state machine: one byte; false when the callback asked to stop.
  bool step(char c);
  void end_field();
  bool end_record();
  /// A CR or LF outside quotes ends the record; false when the callback asked to stop.
  bool line_end(char c);

  char delimiter_;
  bool fast_;  // fast_records() may be used
  RecordCallback on_record_;
  State state_ = State::field_start;
  bool at_start_ = true;     // for the byte-order mark
  bool pending_cr_ = false;  // a CR was the last byte of a chunk: swallow a following LF
  bool quoted_cr_ = false;   // the last byte read inside quotes was a CR (for line counts)
  bool stopped_ = false;
  bool record_has_content_ = false;
  std::size_t row_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 1;
  std::size_t quote_line_ = 0;     // where the open quoted field began
  std::string buffer_;             // the current record's field bytes, concatenated
  std::vector<std::size_t> ends_;  // end offset of each field in buffer_
  std::vector<std::string_view> views_;
  int bom_matched_ = 0;
};

/// Reads a whole buffer into rows of strings (tests, small files, previews).
struct CsvTable {
  char delimiter = ',';
  std::vector<std::vector<std::string>> rows;
};
Expected<CsvTable> read_csv(std::string_view bytes, std::optional<char> delimiter = std::nullopt);

/// Parses a number the way people type them in survey exports: surrounding spaces allowed,
/// optional sign, digits with one decimal separator ('.' or, when `decimal_comma`, ','),
/// optional exponent. With `decimal_comma`, '.' may group thousands ("1.234,5"). No "inf",
/// "nan", hex or other forms. Returns nullopt when the text is not such a number.
std::optional<double> parse_number(std::string_view text, bool decimal_comma = false);

}  // namespace cvc
