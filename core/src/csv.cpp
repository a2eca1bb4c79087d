#include "cvc/csv.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace cvc {
namespace {

constexpr std::array<unsigned char, 3> kUtf8Bom{0xEF, 0xBB, 0xBF};
constexpr std::size_t kDetectLines = 20;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

char detect_delimiter(std::string_view sample) {
  if (sample.size() >= 3 && static_cast<unsigned char>(sample[0]) == kUtf8Bom[0] &&
      static_cast<unsigned char>(sample[1]) == kUtf8Bom[1] &&
      static_cast<unsigned char>(sample[2]) == kUtf8Bom[2]) {
    sample.remove_prefix(3);
  }
  constexpr std::array<char, 3> kCandidates{',', ';', '\t'};
  // counts[line][candidate], counting only outside quotes.
  std::vector<std::array<std::size_t, 3>> counts;
  std::array<std::size_t, 3> current{0, 0, 0};
  bool in_quotes = false;
  bool line_has_content = false;
  bool last_line_terminated = true;
  for (std::size_t i = 0; i < sample.size() && counts.size() < kDetectLines; ++i) {
    const char c = sample[i];
    if (c == '"') {
      in_quotes = !in_quotes;
      line_has_content = true;
      continue;
    }
    if (in_quotes) continue;
    if (c == '\n' || c == '\r') {
      if (line_has_content) counts.push_back(current);
      current = {0, 0, 0};
      line_has_content = false;
      last_line_terminated = true;
      continue;
    }
    line_has_content = true;
    last_line_terminated = false;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) current[k] += c == kCandidates[k];
  }
  // A last line without a line break is used only when it is the only line (the sample may
  // have been cut in the middle of a line).
  if (line_has_content && (counts.empty() || last_line_terminated)) counts.push_back(current);
  if (counts.empty()) return ',';

  std::optional<std::size_t> best;
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    const std::size_t first = counts[0][k];
    if (first == 0) continue;
    bool consistent = true;
    for (const auto& line : counts) consistent = consistent && line[k] == first;
    if (consistent && (!best || first > counts[0][*best])) best = k;
  }
  if (!best) {  // nothing consistent (ragged file): the most frequent in the header
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
      if (counts[0][k] > 0 && (!best || counts[0][k] > counts[0][*best])) best = k;
    }
  }
  return best ? kCandidates[*best] : ',';
}

CsvReader::CsvReader(char delimiter, RecordCallback on_record)
    : delimiter_(delimiter), on_record_(std::move(on_record)) {}

void CsvReader::end_field() {
  ends_.push_back(buffer_.size());
}

bool CsvReader::end_record() {
  if (state_ != State::field_start || record_has_content_) end_field();
  ++row_;
  bool keep_going = true;
  if (record_has_content_) {
    views_.clear();
    std::size_t start = 0;
    for (const std::size_t end : ends_) {
      views_.emplace_back(buffer_.data() + start, end - start);
      start = end;
    }
    keep_going = on_record_(CsvRecord{row_, record_line_, views_});
  }
  buffer_.clear();
  ends_.clear();
  record_has_content_ = false;
  state_ = State::field_start;
  record_line_ = line_;
  return keep_going;
}

bool CsvReader::line_end(char c) {
  ++line_;
  pending_cr_ = c == '\r';  // a CRLF's LF, even in the next chunk, ends nothing more
  if (end_record()) return true;
  stopped_ = true;
  return false;
}

bool CsvReader::feed(std::string_view bytes) {
  if (stopped_) return false;
  std::size_t i = 0;
  // A UTF-8 byte-order mark is skipped, also when it arrives split across chunks.
  while (at_start_ && i < bytes.size()) {
    if (static_cast<unsigned char>(bytes[i]) == kUtf8Bom[bom_matched_]) {
      ++i;
      if (++bom_matched_ == 3) at_start_ = false;
      continue;
    }
    at_start_ = false;
    if (bom_matched_ > 0) {  // a partial match was data after all
      const std::string partial(kUtf8Bom.begin(), kUtf8Bom.begin() + bom_matched_);
      bom_matched_ = 0;
      if (!feed(partial)) return false;
    }
  }
  for (; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (pending_cr_) {
      pending_cr_ = false;
      if (c == '\n') continue;  // the LF of a CRLF split across chunks
    }
    switch (state_) {
      case State::field_start:
        if (c == '"') {
          state_ = State::quoted;
          quote_line_ = line_;
          quoted_cr_ = false;
          record_has_content_ = true;
        } else if (c == delimiter_) {
          end_field();
          record_has_content_ = true;
        } else if (c == '\r' || c == '\n') {
          if (!line_end(c)) return false;
        } else {
          buffer_.push_back(c);
          state_ = State::unquoted;
          record_has_content_ = true;
        }
        break;
      case State::unquoted:
        if (c == delimiter_) {
          end_field();
          state_ = State::field_start;
        } else if (c == '\r' || c == '\n') {
          if (!line_end(c)) return false;
        } else {
          buffer_.push_back(c);  // a stray quote inside an unquoted field is kept as text
        }
        break;
      case State::quoted:
        if (c == '"') {
          state_ = State::quote_in_quoted;
        } else {
          // CR, LF and CRLF each start one new line, also when a CRLF is split across chunks.
          if (c == '\r' || (c == '\n' && !quoted_cr_)) ++line_;
          buffer_.push_back(c);
        }
        quoted_cr_ = c == '\r';
        break;
      case State::quote_in_quoted:
        if (c == '"') {  // a doubled quote is one quote
          buffer_.push_back('"');
          state_ = State::quoted;
        } else if (c == delimiter_) {
          end_field();
          state_ = State::field_start;
        } else if (c == '\r' || c == '\n') {
          if (!line_end(c)) return false;
        } else {
          buffer_.push_back(c);  // text after a closing quote is kept, as spreadsheets do
          state_ = State::unquoted;
        }
        break;
    }
  }
  return true;
}

Status CsvReader::finish() {
  if (stopped_) return Status::success();
  if (state_ == State::quoted) {
    const std::size_t column = ends_.size() + 1;
    return Error{"row " + std::to_string(row_ + 1) + ", column " + std::to_string(column),
                 "Row " + std::to_string(row_ + 1) + ", column " + std::to_string(column) +
                     ": a quoted field opened on line " + std::to_string(quote_line_) +
                     " is never closed (unterminated quote)."};
  }
  if (state_ != State::field_start || record_has_content_) end_record();
  return Status::success();
}

Expected<CsvTable> read_csv(std::string_view bytes, std::optional<char> delimiter) {
  CsvTable table;
  table.delimiter = delimiter ? *delimiter : detect_delimiter(bytes.substr(0, 65536));
  CsvReader reader(table.delimiter, [&](const CsvRecord& record) {
    table.rows.emplace_back(record.fields.begin(), record.fields.end());
    return true;
  });
  reader.feed(bytes);
  if (auto s = reader.finish(); !s.ok()) return s.error();
  return table;
}

std::optional<double> parse_number(std::string_view text, bool decimal_comma) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 64) return std::nullopt;
  const char decimal = decimal_comma ? ',' : '.';
  const char grouping = decimal_comma ? '.' : ',';

  std::string clean;
  std::size_t i = 0;
  if (text[i] == '+' || text[i] == '-') clean.push_back(text[i++]);
  // Integer part, with optional thousands grouping in strict groups of three.
  std::size_t digits = 0;
  std::size_t group_digits = 0;
  bool grouped = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      clean.push_back(c);
      ++digits;
      ++group_digits;
    } else if (c == grouping && digits > 0 && (grouped ? group_digits == 3 : group_digits <= 3)) {
      grouped = true;
      group_digits = 0;
    } else {
      break;
    }
  }
  if (grouped && group_digits != 3) return std::nullopt;
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == decimal) {
    clean.push_back('.');
    for (++i; i < text.size() && is_digit(text[i]); ++i) {
      clean.push_back(text[i]);
      ++fraction_digits;
    }
  }
  if (digits + fraction_digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    clean.push_back('e');
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) clean.push_back(text[i++]);
    std::size_t exponent_digits = 0;
    for (; i < text.size() && is_digit(text[i]); ++i, ++exponent_digits) clean.push_back(text[i]);
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const double value = std::strtod(clean.c_str(), nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace cvc
