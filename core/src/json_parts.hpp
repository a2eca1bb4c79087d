// Small JSON building blocks shared by the result writers. Internal to the core.
#pragma once

#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cvc/business.hpp"
#include "cvc/satisfaction.hpp"
#include "cvc/survey_import.hpp"

namespace cvc::detail {

// Readers shared by the JSON loaders (defined in json_io.cpp). Messages name the field.
Error wrong_type(const std::string& field, const char* expected, const nlohmann::json& value);
/// Refuses keys not in `allowed` (a misspelt key would otherwise be silently ignored).
Status check_keys(const nlohmann::json& object, const std::string& field,
                  std::initializer_list<const char*> allowed);
const nlohmann::json* member(const nlohmann::json& object, const char* key);
Status read_string(const nlohmann::json& object, const char* key, const std::string& field,
                   bool required, std::string& out);

/// A finite number, else null: no NaN or Infinity ever reaches a result.
inline nlohmann::json number_or_null(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr);
}

inline nlohmann::json optional_number(const std::optional<double>& x) {
  return x ? number_or_null(*x) : nlohmann::json(nullptr);
}

// Writers build objects field by field, `put(out, "key", value)` for `out["key"] = value`,
// rather than with nlohmann's initializer lists: a list inlines about 100 bytes of wasm per
// field, a put call about 20 (measured with em++ -Oz), and results are most of what the
// module writes. Out of line on purpose. Values keep their C++ type (a std::size_t stays an
// unsigned integer, a double a float), as in a list.
template <class T>
[[gnu::noinline]] void put(nlohmann::json& object, const char* key, const T& value) {
  object[key] = value;
}
void put(nlohmann::json& object, const char* key, const char* value);
void put(nlohmann::json& object, const char* key, nlohmann::json&& value);
/// object[key] = number_or_null(x), and optional_number(x).
void put_number(nlohmann::json& object, const char* key, double x);
void put_number(nlohmann::json& object, const char* key, const std::optional<double>& x);

/// {value} or {value: null, reason}.
nlohmann::json outcome_to_json(const Outcome& o);

/// Adds ci_low / ci_high, or nulls and the reason there is none.
void put_interval(nlohmann::json& out, const std::optional<Interval>& ci,
                  const std::string& reason);

/// A share in percent with its Wilson interval; percent is null when n = 0.
nlohmann::json share_to_json(const ShareEstimate& e);

/// A segment as imports and projects list it: {id, label, group}.
nlohmann::json segment_to_json(const std::string& id, const std::string& label,
                               const std::string& group);

/// An import's rejected cells.
nlohmann::json problems_to_json(const std::vector<ImportProblem>& problems);

/// MRR movements with NRR, GRR and quick ratio.
nlohmann::json mrr_movements_to_json(const MrrMovements& m);

/// What a column's values look like (an import preview).
nlohmann::json profile_to_json(const ColumnProfile& p);

/// What the survey and the customer import previews share: delimiter, decimal_comma,
/// data_rows, headers, sample_rows and columns, each {column, header, profile}.
nlohmann::json table_preview_to_json(const TablePreview& preview);

}  // namespace cvc::detail
