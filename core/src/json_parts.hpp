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

/// {value} or {value: null, reason}.
inline nlohmann::json outcome_to_json(const Outcome& o) {
  nlohmann::json out = {{"value", optional_number(o.value)}};
  if (!o.value) out["reason"] = o.undefined_reason;
  return out;
}

/// Adds ci_low / ci_high, or nulls and the reason there is none.
inline nlohmann::json with_interval(nlohmann::json out, const std::optional<Interval>& ci,
                                    const std::string& reason) {
  out["ci_low"] = ci ? number_or_null(ci->low) : nlohmann::json(nullptr);
  out["ci_high"] = ci ? number_or_null(ci->high) : nlohmann::json(nullptr);
  if (!ci) out["no_data_reason"] = reason;
  return out;
}

/// A share in percent with its Wilson interval; percent is null when n = 0.
inline nlohmann::json share_to_json(const ShareEstimate& e) {
  return with_interval({{"n", e.n},
                        {"count", e.count},
                        {"percent", e.n > 0 ? number_or_null(e.percent) : nlohmann::json(nullptr)}},
                       e.ci, e.no_data_reason);
}

/// An import's rejected cells.
inline nlohmann::json problems_to_json(const std::vector<ImportProblem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const ImportProblem& p : problems) {
    out.push_back({{"row", p.row},
                   {"column", p.column},
                   {"header", p.header},
                   {"value", p.value},
                   {"reason", p.reason}});
  }
  return out;
}

/// MRR movements with NRR, GRR and quick ratio.
inline nlohmann::json mrr_movements_to_json(const MrrMovements& m) {
  return {{"mrr_start", m.mrr_start},
          {"mrr_end", m.mrr_end},
          {"new", m.new_mrr},
          {"expansion", m.expansion},
          {"contraction", m.contraction},
          {"churn", m.churned},
          {"reactivation", m.reactivation},
          {"net_new", m.net_new},
          {"customers_new", m.customers_new},
          {"customers_churned", m.customers_churned},
          {"customers_reactivated", m.customers_reactivated},
          {"nrr", outcome_to_json(m.nrr)},
          {"grr", outcome_to_json(m.grr)},
          {"quick_ratio", outcome_to_json(m.quick_ratio)}};
}

/// What a column's values look like (an import preview).
inline nlohmann::json profile_to_json(const ColumnProfile& p) {
  return {{"numeric", p.numeric},
          {"blank", p.blank},
          {"text", p.text},
          {"min", p.numeric > 0 ? number_or_null(p.min) : nlohmann::json(nullptr)},
          {"max", p.numeric > 0 ? number_or_null(p.max) : nlohmann::json(nullptr)},
          {"whole_numbers", p.numeric > 0 && p.whole_numbers},
          {"distinct", p.distinct.size() > kMaxSegmentValues ? nlohmann::json(nullptr)
                                                             : nlohmann::json(p.distinct.size())},
          {"examples", p.examples}};
}

}  // namespace cvc::detail
