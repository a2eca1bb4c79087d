// Text helpers shared by the table importers (survey and customer CSVs): header matching,
// ids from free text, the checks every file gets, and column profiling. Internal to the core.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/csv.hpp"
#include "cvc/status.hpp"
#include "cvc/survey_import.hpp"
#include "score_bounds.hpp"

namespace cvc::detail {

inline constexpr std::size_t kExamples = 3;
inline constexpr std::size_t kSniffBytes = 65536;

std::string lower_ascii(std::string_view text);
/// Without the spaces and tabs around it.
inline std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}
std::string trim(std::string_view text);
/// "Likelihood_to-Recommend " → "likelihood to recommend"
std::string normalise_header(std::string_view header);
bool starts_with(std::string_view text, std::string_view prefix);
bool contains(std::string_view text, std::string_view part);
/// A plain id from free text: "Time to value (days)" → "time-to-value-days".
std::string slug(std::string_view text);
std::string unique_id(const std::string& base, std::set<std::string>& taken);
/// 1, 2 or 5 × 10^k at or above x (x > 0): a reference amount people recognise.
double nice_ceiling(double x);
inline bool is_blank(std::string_view v) {
  for (const char c : v) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}
/// At most `max` bytes, cut on a UTF-8 boundary, with "…" when cut.
std::string clip(std::string_view text, std::size_t max = 60);
/// "column 3 (nps)"
std::string column_name(std::size_t column, const std::string& header);
/// Why `text` cannot be `what` (an id, a segment name: keys that the project file, joins and
/// share links carry as they are): not UTF-8, a control character, longer than
/// kMaxLabelLength bytes. nullopt when it can.
std::optional<std::string> plain_text_problem(std::string_view text, std::string_view what);
/// A header or a mapping's label made fit to name a group or a column: control characters
/// become spaces, at most kMaxLabelLength bytes, `fallback` when nothing is left.
std::string plain_label(std::string_view text, const std::string& fallback);
/// Empty (or blank) files and binary data are refused with a message.
Status check_file_is_text(std::string_view bytes);
/// Too many columns, headers that are not UTF-8, and duplicate names are refused.
Status check_headers(const std::vector<std::string>& headers);

/// The usual survey cell, one or two digits and nothing else: its value; -1 for any other text.
inline int small_whole_number(std::string_view v) {
  const auto digit = [](char c) { return static_cast<unsigned char>(c - '0') <= 9; };
  if (v.size() == 1) return digit(v[0]) ? v[0] - '0' : -1;
  if (v.size() == 2 && digit(v[0]) && digit(v[1])) return (v[0] - '0') * 10 + (v[1] - '0');
  return -1;
}

/// parse_number, with small_whole_number() first.
inline std::optional<double> read_number(std::string_view v, bool decimal_comma) {
  if (const int n = small_whole_number(v); n >= 0) return n;
  return parse_number(v, decimal_comma);
}

/// A rejected cell (column ≥ 1, named by headers[column - 1]) or row (column 0), its value
/// shown as text: clipped, or "(not UTF-8 text)".
ImportProblem import_problem(std::size_t row, std::size_t column,
                             const std::vector<std::string>& headers, std::string_view value,
                             std::string reason);

/// Records that `mapping` reads `column`; refuses a column the file does not have, or one
/// already mapped. `by_column` has one entry per header.
template <typename Mapping>
Status claim_column(std::size_t column, std::vector<const Mapping*>& by_column,
                    const Mapping* mapping) {
  const std::string where = "mapping, column " + std::to_string(column + 1);
  if (column >= by_column.size()) {
    return Error{where, "The mapping names column " + std::to_string(column + 1) +
                            ", but the file has " + std::to_string(by_column.size()) + "."};
  }
  if (by_column[column] != nullptr) {
    return Error{where, "Column " + std::to_string(column + 1) + " is mapped twice."};
  }
  by_column[column] = mapping;
  return Status::success();
}

}  // namespace cvc::detail
