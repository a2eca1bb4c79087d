#include "cvc/csv.hpp"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cvc {
namespace {

constexpr std::array<unsigned char, 3> kUtf8Bom{0xEF, 0xBB, 0xBF};
constexpr std::size_t kDetectLines = 20;
constexpr std::size_t kMaxNumberLength = 64;  // longer text is not a number people type
// At most 19 decimal digits fit in 64 bits (10^19 < 2^64).
constexpr int kMaxMantissaDigits = 19;
// 10^0 … 10^22: each is exact in a double (5^22 < 2^53).
constexpr double kExactPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

constexpr std::size_t kBlock = 16;  // bytes looked at together by structural_bits()

// Bit k is set when p[k] is the delimiter, a quote, CR or LF, for k < min(len, kBlock): where
// fields and records may end. With SIMD (WebAssembly's, or SSE2 natively) when a whole block
// can be read.
inline std::uint32_t structural_bits(const char* p, std::size_t len, char delimiter) {
#if defined(__wasm_simd128__)
  if (len >= kBlock) {
    const v128_t b = wasm_v128_load(p);
    const v128_t hits = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(b, wasm_i8x16_splat(delimiter)),
                                                  wasm_i8x16_eq(b, wasm_i8x16_splat('"'))),
                                     wasm_v128_or(wasm_i8x16_eq(b, wasm_i8x16_splat('\r')),
                                                  wasm_i8x16_eq(b, wasm_i8x16_splat('\n'))));
    return wasm_i8x16_bitmask(hits);
  }
#elif defined(__SSE2__)
  if (len >= kBlock) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8(delimiter)),
                                                   _mm_cmpeq_epi8(b, _mm_set1_epi8('"'))),
                                      _mm_or_si128(_mm_cmpeq_epi8(b, _mm_set1_epi8('\r')),
                                                   _mm_cmpeq_epi8(b, _mm_set1_epi8('\n'))));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(hits));
  }
#endif
  std::uint32_t bits = 0;
  for (std::size_t k = 0; k < len && k < kBlock; ++k) {
    const char c = p[k];
    bits |= static_cast<std::uint32_t>(c == delimiter || c == '"' || c == '\r' || c == '\n') << k;
  }
  return bits;
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
    : delimiter_(delimiter),
      // A quote, CR or LF as the delimiter (nothing the imports allow) takes the slow way.
      fast_(delimiter != '"' && delimiter != '\r' && delimiter != '\n'),
      on_record_(std::move(on_record)) {}

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

std::size_t CsvReader::fast_records(std::string_view bytes, std::size_t start) {
  const char* const data = bytes.data();
  const std::size_t n = bytes.size();
  std::size_t record = start;  // where the current record starts
  std::size_t field = start;   // where the current field starts
  std::size_t base = start;    // bit k of `bits` stands for data[base + k]
  std::uint32_t bits = structural_bits(data + base, n - base, delimiter_);
  views_.clear();
  for (;;) {
    while (bits == 0) {
      base += kBlock;
      if (base >= n) return record - start;  // the record goes on in the next chunk
      bits = structural_bits(data + base, n - base, delimiter_);
    }
    std::size_t at = base + static_cast<std::size_t>(__builtin_ctz(bits));
    bits &= bits - 1;
    char c = data[at];
    if (c == delimiter_) {
      views_.emplace_back(data + field, at - field);
      field = at + 1;
      continue;
    }
    bool blank = false;
    if (c == '"') {
      if (at != field) continue;  // a quote inside an unquoted field is text
      const void* close = std::memchr(data + at + 1, '"', n - at - 1);
      if (close == nullptr) return record - start;
      const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(close) - data) + 1;
      const std::string_view content(data + at + 1, end - at - 2);
      // A doubled quote (unescaping), text after the closing quote, or a line break inside
      // the quotes (line counts) is left to the state machine.
      if (end == n || (data[end] != delimiter_ && data[end] != '\r' && data[end] != '\n') ||
          std::any_of(content.begin(), content.end(),
                      [](char x) { return x == '\r' || x == '\n'; })) {
        return record - start;
      }
      views_.push_back(content);
      at = end;  // the byte that ends the field
      c = data[at];
      field = base = at + 1;
      bits = structural_bits(data + base, n - base, delimiter_);
      if (c == delimiter_) continue;
    } else {
      // A CR or LF at the start of a record is a blank line: it counts as a row but is not
      // handed on.
      blank = at == record;
      if (!blank) views_.emplace_back(data + field, at - field);
    }
    // A CR or LF ends the record, as line_end() and end_record() do it.
    std::size_t next = at + 1;
    pending_cr_ = false;
    if (c == '\r') {
      if (next == n) {
        pending_cr_ = true;
      } else if (data[next] == '\n') {
        ++next;
      }
    }
    ++line_;
    ++row_;
    if (!blank) stopped_ = !on_record_(CsvRecord{row_, record_line_, views_});
    record_line_ = line_;
    if (stopped_ || next == n) return next - start;
    record = field = base = next;
    views_.clear();
    bits = structural_bits(data + base, n - base, delimiter_);
  }
}

bool CsvReader::step(char c) {
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
        return line_end(c);
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
        return line_end(c);
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
        return line_end(c);
      } else {
        buffer_.push_back(c);  // text after a closing quote is kept, as spreadsheets do
        state_ = State::unquoted;
      }
      break;
  }
  return true;
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
  while (i < bytes.size()) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (bytes[i] == '\n') {  // the LF of a CRLF split across chunks
        ++i;
        continue;
      }
    }
    // At the start of a record, try to read it whole; otherwise, or when that cannot be done,
    // one byte through the state machine.
    if (fast_ && state_ == State::field_start && !record_has_content_) {
      if (const std::size_t used = fast_records(bytes, i)) {
        if (stopped_) return false;
        i += used;
        continue;
      }
    }
    if (!step(bytes[i++])) return false;
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
  if (text.empty() || text.size() > kMaxNumberLength) return std::nullopt;
  const char decimal = decimal_comma ? ',' : '.';
  const char grouping = decimal_comma ? '.' : ',';

  // The number is gathered twice over: as plain text for strtod (the general case), and as an
  // integer mantissa with a power of ten for the exact fast path below.
  char clean[kMaxNumberLength + 2];
  std::size_t length = 0;
  std::uint64_t mantissa = 0;
  int significant = 0;  // digits in the mantissa, leading zeros left out
  bool exact = true;    // false once a digit did not fit in the mantissa
  long exponent = 0;    // of ten
  const auto add_digit = [&](char c) {
    clean[length++] = c;
    if (significant < kMaxMantissaDigits) {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
      significant += mantissa != 0;
    } else {
      exact = false;
    }
  };
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (text[i] == '+' || text[i] == '-') clean[length++] = text[i++];
  // Integer part, with optional thousands grouping in strict groups of three.
  std::size_t digits = 0;
  std::size_t group_digits = 0;
  bool grouped = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      add_digit(c);
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
    clean[length++] = '.';
    for (++i; i < text.size() && is_digit(text[i]); ++i) {
      add_digit(text[i]);
      ++fraction_digits;
    }
  }
  if (digits + fraction_digits == 0) return std::nullopt;
  exponent = -static_cast<long>(fraction_digits);
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    clean[length++] = 'e';
    ++i;
    const bool exponent_negative = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) clean[length++] = text[i++];
    std::size_t exponent_digits = 0;
    long written = 0;
    for (; i < text.size() && is_digit(text[i]); ++i, ++exponent_digits) {
      clean[length++] = text[i];
      written = std::min(written * 10 + (text[i] - '0'), 100000L);  // far outside any double
    }
    if (exponent_digits == 0) return std::nullopt;
    exponent += exponent_negative ? -written : written;
  }
  if (i != text.size()) return std::nullopt;

  // Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately",
  // PLDI 1990): when the mantissa m and 10^|k| are both exact doubles (m ≤ 2^53, |k| ≤ 22),
  // m × 10^k or m ÷ 10^-k is one correctly rounded IEEE operation, so it equals strtod's
  // correctly rounded result. Needs double arithmetic without extended precision.
  static_assert(FLT_EVAL_METHOD == 0, "the fast path needs plain double arithmetic");
  if (exact && mantissa <= (std::uint64_t{1} << 53) && exponent >= -22 && exponent <= 22) {
    const auto m = static_cast<double>(mantissa);
    const double value =
        exponent < 0 ? m / kExactPowersOfTen[-exponent] : m * kExactPowersOfTen[exponent];
    return negative ? -value : value;
  }
  clean[length] = '\0';
  const double value = std::strtod(clean, nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace cvc
