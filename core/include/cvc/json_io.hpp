// JSON in and out of the core (nlohmann/json, used without exceptions): the model file format
// with its schema version, and the results object handed to JavaScript and the CLI.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cvc/customer_import.hpp"
#include "cvc/customers.hpp"
#include "cvc/responses.hpp"
#include "cvc/status.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/value_model.hpp"
#include "cvc/value_results.hpp"

namespace cvc {

inline constexpr std::string_view kModelSchemaName = "customer-value-model";
inline constexpr int kModelSchemaVersion = 1;
/// Deeper nesting than any of our documents needs; refusing it keeps hostile input cheap.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Parses JSON text without throwing. The error names `what` (e.g. "model JSON") and says
/// where the text goes wrong (line and column) or that it nests too deeply.
Expected<nlohmann::json> parse_json(std::string_view text, const std::string& what);

/// Reads a model from its JSON document, then validates it. Unknown fields are refused (a
/// misspelt "wieght" would otherwise be silently ignored).
Expected<Model> model_from_json(const nlohmann::json& document);
Expected<Model> load_model(std::string_view text);

nlohmann::json model_to_json(const Model& model);
/// One item in the model file's form (also used by the import mapping for new items).
nlohmann::json item_to_json(const Item& item);
/// Reads one item in the model file's form; `field` names it in messages. Not validated
/// against a model (ids, weights in range): validate() does that.
Expected<Item> item_from_json(const nlohmann::json& node, const std::string& field);
/// Pretty-printed model file; load_model(save_model(m)) == m exactly (doubles are written with
/// the shortest representation that reads back to the same value).
std::string save_model(const Model& model);

nlohmann::json results_to_json(const Model& model, const ValueResults& results,
                               std::size_t survey_rows);

// ---- survey import (import_json.cpp) ----

nlohmann::json preview_to_json(const CsvPreview& preview);
nlohmann::json mapping_to_json(const ColumnMapping& mapping);
/// Reads a confirmed mapping: a list of {column, role, item_id, create_item, new_item, group}.
Expected<std::vector<ColumnMapping>> mapping_from_json(const nlohmann::json& document);
nlohmann::json staged_import_to_json(const StagedImport& staged);
/// Rows [offset, offset + count) of the survey, for the respondent grid.
nlohmann::json responses_page_to_json(const Model& model, const Responses& responses,
                                      std::size_t offset, std::size_t count);
nlohmann::json customer_preview_to_json(const CustomerPreview& preview);
Expected<std::vector<CustomerColumnMapping>> customer_mapping_from_json(
    const nlohmann::json& document);
nlohmann::json staged_customers_to_json(const StagedCustomers& staged);
/// Business results: per-group summaries, quadrants, the map's points, the list of
/// satisfied-but-value-eroding customers, MRR movements and the survey join.
nlohmann::json business_to_json(const CustomerTable& table, const BusinessSettings& settings,
                                const BusinessResults& results);
/// One customer from a record with the customer CSV's field names ({id, segments: [labels or
/// ids], revenue, mrr: [one per MRR column], gross_margin, …, start_date, payment_status}),
/// each value checked as the CSV import checks it. `where` names the record in messages.
Expected<Customer> customer_from_json(const nlohmann::json& record, const CustomerTable& table,
                                      const Scale& csat_scale, const std::string& where);
/// One customer in the record form customer_from_json reads (the customer's own inputs, not
/// results); segments by label (for editors) or by id (for files, where labels may repeat).
nlohmann::json customer_to_json(const CustomerTable& table, const Customer& customer,
                                bool segment_ids);
/// Customers [offset, offset + count) with their own results, for the customer list.
nlohmann::json customer_page_to_json(const CustomerTable& table, const BusinessResults& results,
                                     std::size_t offset, std::size_t count);
Expected<SatisfactionSettings> satisfaction_settings_from_json(const nlohmann::json& node);
nlohmann::json satisfaction_settings_to_json(const SatisfactionSettings& settings);
Expected<BusinessSettings> business_settings_from_json(const nlohmann::json& node);
nlohmann::json business_settings_to_json(const BusinessSettings& settings);

/// The quick calculators: kind is simple_clv, discounted_clv, saas_ltv, churn,
/// mrr_movements or rate; inputs are named as in business.hpp's input structs (periods as
/// "month" / "year"). Errors name the missing or bad field.
Expected<nlohmann::json> quick_calculation(const std::string& kind, const nlohmann::json& inputs);

/// A delimiter as JSON text ("," ";" "\t") and back.
std::string delimiter_name(char delimiter);
std::optional<char> delimiter_from_name(std::string_view name);

/// Compact serialisation for crossing into JavaScript; invalid UTF-8 is replaced, never thrown.
std::string dump_compact(const nlohmann::json& document);

}  // namespace cvc
