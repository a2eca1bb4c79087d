// Customer tables in: the same CSV reading, preview, mapping and staged import as the
// survey (survey_import.hpp), with the customer table's own columns.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cvc/customers.hpp"
#include "cvc/survey_import.hpp"

namespace cvc {

enum class CustomerField {
  ignore,
  customer_id,
  segment,
  revenue,
  mrr,
  purchases,
  gross_margin,
  support_cost,
  support_hours,
  onboarding_cost,
  discounts,
  other_cost,
  start_date,
  churn_date,
  nps,
  csat,
  usage,
  payment_status,
};
std::string_view to_string(CustomerField field);
std::optional<CustomerField> customer_field_from_string(std::string_view text);

struct CustomerColumnMapping {
  std::size_t column = 0;
  CustomerField field = CustomerField::ignore;
  std::string label;  // segment: the group (default the header); mrr: the month's label
};

struct CustomerPreview : TablePreview {
  std::vector<CustomerColumnMapping> proposed;
};

struct StagedCustomers {
  CustomerTable table;  // valid rows only
  std::size_t rows_total = 0;
  std::size_t rows_valid = 0;
  std::vector<ImportProblem> problems;  // the first kMaxListedProblems
  std::size_t problem_count = 0;
};

Expected<CustomerPreview> preview_customer_csv(std::string_view bytes);

/// Reads one value of a customer's field (not id or segment) from its text, as a customer
/// CSV cell; returns the reason when it is not valid. `mrr_index` picks the MRR column.
std::optional<std::string> read_customer_value(CustomerField field, std::string_view text,
                                               bool decimal_comma, const Scale& csat_scale,
                                               Customer& customer, std::size_t mrr_index = 0);

/// `csat_scale` is the model's CSAT scale, for checking a CSAT column.
Expected<StagedCustomers> stage_customer_import(std::string_view bytes,
                                                const std::vector<CustomerColumnMapping>& mapping,
                                                char delimiter, bool decimal_comma,
                                                const Scale& csat_scale);

}  // namespace cvc
