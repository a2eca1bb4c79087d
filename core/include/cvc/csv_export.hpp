// CSV out: results and lists for spreadsheets. Text cells that a spreadsheet would read as a
// formula (starting with =, +, -, @, tab or carriage return) are neutralised with a leading
// apostrophe (OWASP, "CSV Injection"); numbers are written as numbers, so a negative amount
// stays a number.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cvc/value_model.hpp"
#include "cvc/value_results.hpp"

namespace cvc {

/// A cell: text (quoted and neutralised as needed), a number, or empty.
using CsvCell = std::variant<std::monostate, std::string, double>;

/// One RFC 4180 record, CRLF-terminated.
std::string csv_record(const std::vector<CsvCell>& cells);
/// A text cell made safe for spreadsheets (before quoting).
std::string neutralise_formula(std::string_view text);

/// The value and satisfaction results, one row per view (all customers, then each segment),
/// with every number unrounded and intervals in their own columns.
std::string results_csv(const Model& model, const ValueResults& results);

}  // namespace cvc
