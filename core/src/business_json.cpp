// JSON forms of the customer import and of the business results.
#include <cmath>
#include <cstdio>

#include "cvc/json_io.hpp"
#include "json_parts.hpp"

namespace cvc {
namespace {

using nlohmann::json;
using namespace detail;  // NOLINT: json_parts.hpp

constexpr std::size_t kMaxPoints = 20000;  // points drawn on the map
constexpr std::size_t kMaxListed = 10000;  // satisfied-but-eroding customers listed

json group_json(const GroupSummary& g) {
  json contribution = {{"mean", g.contribution.n ? number_or_null(g.contribution.mean) : json()},
                       {"n", g.contribution.n},
                       {"ci_low", g.contribution.ci ? json(g.contribution.ci->low) : json()},
                       {"ci_high", g.contribution.ci ? json(g.contribution.ci->high) : json()}};
  if (!g.contribution.ci) contribution["no_interval_reason"] = g.contribution.no_interval_reason;
  json quadrants = json::object();
  for (int q = 0; q < 5; ++q) {
    quadrants[std::string(to_string(static_cast<Quadrant>(q)))] = g.quadrant_counts[q];
  }
  return {
      {"id", g.id},
      {"label", g.label},
      {"group", g.group},
      {"customers", g.customers},
      {"revenue", number_or_null(g.revenue)},
      {"contribution_total", number_or_null(g.contribution_total)},
      {"contribution", std::move(contribution)},
      {"churned", g.churned},
      {"exposure_months", number_or_null(g.exposure_months)},
      {"monthly_churn", outcome_to_json(g.monthly_churn)},
      {"clv_mean", outcome_to_json(g.clv_mean)},
      {"health",
       {{"red", g.health_bands[0]}, {"yellow", g.health_bands[1]}, {"green", g.health_bands[2]}}},
      {"quadrants", std::move(quadrants)}};
}

}  // namespace

Expected<Customer> customer_from_json(const json& record, const CustomerTable& table,
                                      const Scale& csat_scale, const std::string& where) {
  if (!record.is_object()) return Error{where, where + ": expected an object."};
  Customer c;
  c.mrr.assign(table.mrr_labels.size(), kNotGiven);
  // A JSON value as the text a CSV cell would hold, so one reader checks both.
  const auto text_of = [](const json& v, std::string& out) {
    if (v.is_string()) {
      out = v.get<std::string>();
    } else if (v.is_number()) {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.17g", v.get<double>());
      out = buffer;
    } else {
      return false;
    }
    return true;
  };
  for (auto it = record.begin(); it != record.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    const std::string field = where + ", " + key;
    if (value.is_null()) continue;
    if (key == "id") {
      if (!value.is_string()) return Error{field, field + ": expected text."};
      c.id = value.get<std::string>();
      bool control = false;
      for (const char ch : c.id) control = control || static_cast<unsigned char>(ch) < 0x20;
      if (control || c.id.size() > kMaxLabelLength || !is_valid_utf8(c.id)) {
        return Error{field, field + ": the id must be plain text of at most " +
                                std::to_string(kMaxLabelLength) + " bytes."};
      }
      continue;
    }
    if (key == "segments") {
      if (!value.is_array()) return Error{field, field + ": expected a list of segments."};
      for (const json& name : value) {
        // An id names one segment; a label may repeat across groups, so ids win.
        std::optional<std::size_t> found;
        for (std::size_t s = 0; s < table.segments.size() && name.is_string(); ++s) {
          if (table.segments[s].id == name.get_ref<const std::string&>()) found = s;
        }
        for (std::size_t s = 0; s < table.segments.size() && name.is_string() && !found; ++s) {
          if (table.segments[s].label == name.get_ref<const std::string&>()) found = s;
        }
        if (!found) {
          return Error{field, field + ": there is no customer segment " + name.dump() + "."};
        }
        for (const std::size_t other : c.segments) {
          if (table.segments[other].group == table.segments[*found].group) {
            return Error{field, field + ": at most one segment of group \"" +
                                    table.segments[other].group + "\"."};
          }
        }
        c.segments.push_back(*found);
      }
      continue;
    }
    const auto f = customer_field_from_string(key);
    if (!f || *f == CustomerField::ignore || *f == CustomerField::customer_id ||
        *f == CustomerField::segment) {
      return Error{field, field + ": unknown field."};
    }
    if (*f == CustomerField::mrr) {
      if (!value.is_array() || value.size() != c.mrr.size()) {
        return Error{field, field + ": expected a list of " + std::to_string(c.mrr.size()) +
                                " MRR values (one per MRR column)."};
      }
      for (std::size_t k = 0; k < value.size(); ++k) {
        if (value[k].is_null()) continue;
        std::string cell;
        if (!text_of(value[k], cell)) return Error{field, field + ": expected numbers."};
        if (auto reason = read_customer_value(*f, cell, false, csat_scale, c, k)) {
          return Error{field, field + " (" + table.mrr_labels[k] + "): " + *reason + "."};
        }
      }
      continue;
    }
    std::string cell;
    if (!text_of(value, cell)) return Error{field, field + ": expected a number or text."};
    if (auto reason = read_customer_value(*f, cell, false, csat_scale, c)) {
      return Error{field, field + ": " + *reason + "."};
    }
  }
  if (c.start_day && c.churn_day && *c.churn_day < *c.start_day) {
    return Error{where + ", churn_date", where +
                                             ", churn_date: the churn date is before the "
                                             "start date."};
  }
  return c;
}

json customer_to_json(const CustomerTable& table, const Customer& c, bool segment_ids) {
  json mrr = json::array();
  for (const double m : c.mrr) mrr.push_back(number_or_null(m));
  json segments = json::array();
  for (const std::size_t s : c.segments) {
    segments.push_back(segment_ids ? table.segments[s].id : table.segments[s].label);
  }
  const auto date = [](const std::optional<std::int32_t>& d) {
    return d ? json(format_date(*d)) : json(nullptr);
  };
  return {{"id", c.id},
          {"segments", std::move(segments)},
          {"revenue", number_or_null(c.revenue)},
          {"mrr", std::move(mrr)},
          {"purchases", number_or_null(c.purchases)},
          {"gross_margin", number_or_null(c.gross_margin)},
          {"support_cost", number_or_null(c.support_cost)},
          {"support_hours", number_or_null(c.support_hours)},
          {"onboarding_cost", number_or_null(c.onboarding_cost)},
          {"discounts", number_or_null(c.discounts)},
          {"other_cost", number_or_null(c.other_cost)},
          {"start_date", date(c.start_day)},
          {"churn_date", date(c.churn_day)},
          {"nps", number_or_null(c.nps)},
          {"csat", number_or_null(c.csat)},
          {"usage", number_or_null(c.usage)},
          {"payment_status",
           c.payment == PaymentStatus::unknown ? json(nullptr) : json(to_string(c.payment))}};
}

json customer_page_to_json(const CustomerTable& table, const BusinessResults& r, std::size_t offset,
                           std::size_t count) {
  json page = json::array();
  const std::size_t n = table.customers.size();
  const std::size_t end = offset >= n ? offset : offset + std::min(count, n - offset);
  for (std::size_t i = offset; i < end; ++i) {
    const Customer& c = table.customers[i];
    const CustomerResult& cr = r.customers[i];
    json segments = json::array();
    for (const std::size_t s : c.segments) segments.push_back(table.segments[s].label);
    json row = {{"row", i},
                {"input", customer_to_json(table, c, false)},
                {"id", c.id},
                {"segments", std::move(segments)},
                {"revenue", optional_number(cr.revenue)},
                {"cost_to_serve", number_or_null(cr.cost_to_serve)},
                {"contribution", optional_number(cr.contribution)},
                {"value_to_date", optional_number(cr.value_to_date)},
                {"clv", outcome_to_json(cr.clv)},
                {"satisfaction", optional_number(cr.satisfaction)},
                {"satisfaction_from_survey", cr.satisfaction_from_survey},
                {"health", optional_number(cr.health)},
                {"tenure_months", number_or_null(cr.tenure_months)},
                {"churned", cr.churned},
                {"payment_status", to_string(c.payment)},
                {"quadrant", to_string(cr.quadrant)}};
    page.push_back(std::move(row));
  }
  return {{"customers", n}, {"offset", offset}, {"page", std::move(page)}};
}

json customer_preview_to_json(const CustomerPreview& preview) {
  json columns = json::array();
  for (std::size_t c = 0; c < preview.headers.size(); ++c) {
    const CustomerColumnMapping& m = preview.proposed[c];
    columns.push_back(
        {{"column", c},
         {"header", preview.headers[c]},
         {"profile", profile_to_json(preview.profiles[c])},
         {"examples", preview.profiles[c].examples},
         {"proposed", {{"column", m.column}, {"field", to_string(m.field)}, {"label", m.label}}}});
  }
  return {{"delimiter", delimiter_name(preview.delimiter)},
          {"decimal_comma", preview.decimal_comma},
          {"data_rows", preview.data_rows},
          {"headers", preview.headers},
          {"sample_rows", preview.sample_rows},
          {"columns", std::move(columns)}};
}

Expected<std::vector<CustomerColumnMapping>> customer_mapping_from_json(const json& document) {
  if (!document.is_array()) return Error{"mapping", "mapping: expected a list of columns."};
  if (document.size() > kMaxColumns) return Error{"mapping", "mapping: too many columns."};
  std::vector<CustomerColumnMapping> mapping;
  for (std::size_t i = 0; i < document.size(); ++i) {
    const json& node = document[i];
    const std::string field = "mapping[" + std::to_string(i) + "]";
    if (!node.is_object()) return Error{field, field + ": expected an object."};
    const auto column = node.find("column");
    if (column == node.end() || !column->is_number_unsigned()) {
      return Error{field + ".column", field + ".column: expected a column number (0-based)."};
    }
    const auto f = node.find("field");
    if (f == node.end() || !f->is_string()) {
      return Error{field + ".field", field + ".field: expected a field name."};
    }
    const auto parsed = customer_field_from_string(f->get_ref<const std::string&>());
    if (!parsed) {
      return Error{field + ".field",
                   field + ".field: unknown field \"" + f->get<std::string>() + "\"."};
    }
    CustomerColumnMapping m;
    m.column = column->get<std::size_t>();
    m.field = *parsed;
    if (const auto label = node.find("label"); label != node.end() && label->is_string()) {
      m.label = label->get<std::string>();
    }
    mapping.push_back(std::move(m));
  }
  return mapping;
}

json staged_customers_to_json(const StagedCustomers& staged) {
  json segments = json::array();
  for (const CustomerSegment& s : staged.table.segments) {
    segments.push_back({{"id", s.id}, {"label", s.label}, {"group", s.group}});
  }
  return {{"rows_total", staged.rows_total},
          {"rows_valid", staged.rows_valid},
          {"rows_rejected", staged.rows_total - staged.rows_valid},
          {"problem_count", staged.problem_count},
          {"problems_listed", staged.problems.size()},
          {"problems", problems_to_json(staged.problems)},
          {"segments", std::move(segments)},
          {"mrr_columns", staged.table.mrr_labels}};
}

json business_to_json(const CustomerTable& table, const BusinessSettings& settings,
                      const BusinessResults& r) {
  json segments = json::array();
  for (const GroupSummary& g : r.segments) segments.push_back(group_json(g));
  json quadrants = json::object();
  for (int q = 0; q < 5; ++q) {
    const QuadrantSummary& s = r.quadrants[q];
    quadrants[std::string(to_string(static_cast<Quadrant>(q)))] = {
        {"customers", s.customers},
        {"revenue", number_or_null(s.revenue)},
        {"contribution", number_or_null(s.contribution)}};
  }
  json points = json::array();
  json eroding = json::array();
  std::size_t eroding_count = 0;
  const std::size_t n = table.customers.size();
  const std::size_t stride = n > kMaxPoints ? (n + kMaxPoints - 1) / kMaxPoints : 1;
  for (std::size_t i = 0; i < n; ++i) {
    const Customer& c = table.customers[i];
    const CustomerResult& cr = r.customers[i];
    const double y = settings.value == ValueMeasure::clv
                         ? (cr.clv.value ? *cr.clv.value : std::nan(""))
                         : (cr.contribution ? *cr.contribution : std::nan(""));
    json segment_labels = json::array();
    for (const std::size_t s : c.segments) segment_labels.push_back(table.segments[s].label);
    if (cr.quadrant != Quadrant::unplaced && i % stride == 0) {
      points.push_back({{"id", c.id},
                        {"x", optional_number(cr.satisfaction)},
                        {"y", number_or_null(y)},
                        {"quadrant", to_string(cr.quadrant)}});
    }
    if (cr.quadrant == Quadrant::satisfied_eroding) {
      ++eroding_count;
      if (eroding.size() < kMaxListed) {
        eroding.push_back({{"id", c.id},
                           {"segments", std::move(segment_labels)},
                           {"satisfaction", optional_number(cr.satisfaction)},
                           {"revenue", optional_number(cr.revenue)},
                           {"cost_to_serve", number_or_null(cr.cost_to_serve)},
                           {"contribution", optional_number(cr.contribution)},
                           {"clv", optional_number(cr.clv.value)},
                           {"health", optional_number(cr.health)}});
      }
    }
  }
  return {{"customers", n},
          {"period", to_string(settings.period)},
          {"as_of", r.as_of ? json(format_date(*r.as_of)) : json(nullptr)},
          {"settings", business_settings_to_json(settings)},
          {"overall", group_json(r.overall)},
          {"segments", std::move(segments)},
          {"quadrants", std::move(quadrants)},
          {"points", std::move(points)},
          {"points_sampled", stride > 1},
          {"eroding", std::move(eroding)},
          {"eroding_count", eroding_count},
          {"mrr", r.mrr ? mrr_movements_to_json(*r.mrr) : json(nullptr)},
          {"mrr_columns", table.mrr_labels},
          {"survey_join",
           {{"matched", r.survey_matched},
            {"unmatched_customers", r.unmatched_customers},
            {"unmatched_customer_count", r.unmatched_customer_count},
            {"unmatched_respondents", r.unmatched_respondents},
            {"unmatched_respondent_count", r.unmatched_respondent_count}}}};
}

}  // namespace cvc
