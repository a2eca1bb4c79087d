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
  const MeanEstimate& c = g.contribution;
  json contribution = json::object();
  put_number(contribution, "mean", c.n ? std::optional<double>(c.mean) : std::nullopt);
  put(contribution, "n", c.n);
  put(contribution, "ci_low", c.ci ? json(c.ci->low) : json());
  put(contribution, "ci_high", c.ci ? json(c.ci->high) : json());
  if (!c.ci) put(contribution, "no_interval_reason", c.no_interval_reason);
  json quadrants = json::object();
  for (int q = 0; q < 5; ++q) {
    quadrants[std::string(to_string(static_cast<Quadrant>(q)))] = g.quadrant_counts[q];
  }
  json health = json::object();
  put(health, "red", g.health_bands[0]);
  put(health, "yellow", g.health_bands[1]);
  put(health, "green", g.health_bands[2]);
  json out = json::object();
  put(out, "id", g.id);
  put(out, "label", g.label);
  put(out, "group", g.group);
  put(out, "customers", g.customers);
  put_number(out, "revenue", g.revenue);
  put_number(out, "contribution_total", g.contribution_total);
  put(out, "contribution", std::move(contribution));
  put(out, "churned", g.churned);
  put_number(out, "exposure_months", g.exposure_months);
  put(out, "monthly_churn", outcome_to_json(g.monthly_churn));
  put(out, "clv_mean", outcome_to_json(g.clv_mean));
  put(out, "health", std::move(health));
  put(out, "quadrants", std::move(quadrants));
  return out;
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
  json out = json::object();
  put(out, "id", c.id);
  put(out, "segments", std::move(segments));
  put_number(out, "revenue", c.revenue);
  put(out, "mrr", std::move(mrr));
  put_number(out, "purchases", c.purchases);
  put_number(out, "gross_margin", c.gross_margin);
  put_number(out, "support_cost", c.support_cost);
  put_number(out, "support_hours", c.support_hours);
  put_number(out, "onboarding_cost", c.onboarding_cost);
  put_number(out, "discounts", c.discounts);
  put_number(out, "other_cost", c.other_cost);
  put(out, "start_date", date(c.start_day));
  put(out, "churn_date", date(c.churn_day));
  put_number(out, "nps", c.nps);
  put_number(out, "csat", c.csat);
  put_number(out, "usage", c.usage);
  put(out, "payment_status",
      c.payment == PaymentStatus::unknown ? json(nullptr) : json(to_string(c.payment)));
  return out;
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
    json row = json::object();
    put(row, "row", i);
    put(row, "input", customer_to_json(table, c, false));
    put(row, "id", c.id);
    put(row, "segments", std::move(segments));
    put_number(row, "revenue", cr.revenue);
    put_number(row, "cost_to_serve", cr.cost_to_serve);
    put_number(row, "contribution", cr.contribution);
    put_number(row, "value_to_date", cr.value_to_date);
    put(row, "clv", outcome_to_json(cr.clv));
    put_number(row, "satisfaction", cr.satisfaction);
    put(row, "satisfaction_from_survey", cr.satisfaction_from_survey);
    put_number(row, "health", cr.health);
    put_number(row, "tenure_months", cr.tenure_months);
    put(row, "churned", cr.churned);
    put(row, "payment_status", to_string(c.payment));
    put(row, "quadrant", to_string(cr.quadrant));
    page.push_back(std::move(row));
  }
  json out = json::object();
  put(out, "customers", n);
  put(out, "offset", offset);
  put(out, "page", std::move(page));
  return out;
}

json customer_preview_to_json(const CustomerPreview& preview) {
  json out = table_preview_to_json(preview);
  json& columns = out["columns"];
  for (std::size_t c = 0; c < preview.headers.size(); ++c) {
    const CustomerColumnMapping& m = preview.proposed[c];
    json proposed = json::object();
    put(proposed, "column", m.column);
    put(proposed, "field", to_string(m.field));
    put(proposed, "label", m.label);
    put(columns[c], "examples", preview.profiles[c].examples);
    put(columns[c], "proposed", std::move(proposed));
  }
  return out;
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
    segments.push_back(segment_to_json(s.id, s.label, s.group));
  }
  json out = json::object();
  put(out, "rows_total", staged.rows_total);
  put(out, "rows_valid", staged.rows_valid);
  put(out, "rows_rejected", staged.rows_total - staged.rows_valid);
  put(out, "problem_count", staged.problem_count);
  put(out, "problems_listed", staged.problems.size());
  put(out, "problems", problems_to_json(staged.problems));
  put(out, "segments", std::move(segments));
  put(out, "mrr_columns", staged.table.mrr_labels);
  return out;
}

json business_to_json(const CustomerTable& table, const BusinessSettings& settings,
                      const BusinessResults& r) {
  json segments = json::array();
  for (const GroupSummary& g : r.segments) segments.push_back(group_json(g));
  json quadrants = json::object();
  for (int q = 0; q < 5; ++q) {
    const QuadrantSummary& s = r.quadrants[q];
    json quadrant = json::object();
    put(quadrant, "customers", s.customers);
    put_number(quadrant, "revenue", s.revenue);
    put_number(quadrant, "contribution", s.contribution);
    quadrants[std::string(to_string(static_cast<Quadrant>(q)))] = std::move(quadrant);
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
      json point = json::object();
      put(point, "id", c.id);
      put_number(point, "x", cr.satisfaction);
      put_number(point, "y", y);
      put(point, "quadrant", to_string(cr.quadrant));
      points.push_back(std::move(point));
    }
    if (cr.quadrant == Quadrant::satisfied_eroding) {
      ++eroding_count;
      if (eroding.size() < kMaxListed) {
        json customer = json::object();
        put(customer, "id", c.id);
        put(customer, "segments", std::move(segment_labels));
        put_number(customer, "satisfaction", cr.satisfaction);
        put_number(customer, "revenue", cr.revenue);
        put_number(customer, "cost_to_serve", cr.cost_to_serve);
        put_number(customer, "contribution", cr.contribution);
        put_number(customer, "clv", cr.clv.value);
        put_number(customer, "health", cr.health);
        eroding.push_back(std::move(customer));
      }
    }
  }
  json survey_join = json::object();
  put(survey_join, "matched", r.survey_matched);
  put(survey_join, "unmatched_customers", r.unmatched_customers);
  put(survey_join, "unmatched_customer_count", r.unmatched_customer_count);
  put(survey_join, "unmatched_respondents", r.unmatched_respondents);
  put(survey_join, "unmatched_respondent_count", r.unmatched_respondent_count);
  json out = json::object();
  put(out, "customers", n);
  put(out, "period", to_string(settings.period));
  put(out, "as_of", r.as_of ? json(format_date(*r.as_of)) : json(nullptr));
  put(out, "settings", business_settings_to_json(settings));
  put(out, "overall", group_json(r.overall));
  put(out, "segments", std::move(segments));
  put(out, "quadrants", std::move(quadrants));
  put(out, "points", std::move(points));
  put(out, "points_sampled", stride > 1);
  put(out, "eroding", std::move(eroding));
  put(out, "eroding_count", eroding_count);
  put(out, "mrr", r.mrr ? mrr_movements_to_json(*r.mrr) : json(nullptr));
  put(out, "mrr_columns", table.mrr_labels);
  put(out, "survey_join", std::move(survey_join));
  return out;
}

}  // namespace cvc
