#include "cvc/customer_import.hpp"

#include <array>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "cvc/csv.hpp"
#include "table_text.hpp"

namespace cvc {
namespace {

using namespace detail;  // NOLINT: the shared text helpers of table_text.hpp

struct FieldName {
  CustomerField field;
  std::string_view name;
};
constexpr std::array<FieldName, 18> kFieldNames{{
    {CustomerField::ignore, "ignore"},
    {CustomerField::customer_id, "customer_id"},
    {CustomerField::segment, "segment"},
    {CustomerField::revenue, "revenue"},
    {CustomerField::mrr, "mrr"},
    {CustomerField::purchases, "purchases"},
    {CustomerField::gross_margin, "gross_margin"},
    {CustomerField::support_cost, "support_cost"},
    {CustomerField::support_hours, "support_hours"},
    {CustomerField::onboarding_cost, "onboarding_cost"},
    {CustomerField::discounts, "discounts"},
    {CustomerField::other_cost, "other_cost"},
    {CustomerField::start_date, "start_date"},
    {CustomerField::churn_date, "churn_date"},
    {CustomerField::nps, "nps"},
    {CustomerField::csat, "csat"},
    {CustomerField::usage, "usage"},
    {CustomerField::payment_status, "payment_status"},
}};

// Headers people use for each field, after normalise_header().
const std::map<std::string, CustomerField>& header_names() {
  static const std::map<std::string, CustomerField> names{
      {"id", CustomerField::customer_id},
      {"customer", CustomerField::customer_id},
      {"customer id", CustomerField::customer_id},
      {"account", CustomerField::customer_id},
      {"account id", CustomerField::customer_id},
      {"respondent id", CustomerField::customer_id},
      {"segment", CustomerField::segment},
      {"plan", CustomerField::segment},
      {"tier", CustomerField::segment},
      {"size", CustomerField::segment},
      {"company size", CustomerField::segment},
      {"region", CustomerField::segment},
      {"industry", CustomerField::segment},
      {"revenue", CustomerField::revenue},
      {"period revenue", CustomerField::revenue},
      {"purchases", CustomerField::purchases},
      {"orders", CustomerField::purchases},
      {"transactions", CustomerField::purchases},
      {"gross margin", CustomerField::gross_margin},
      {"margin", CustomerField::gross_margin},
      {"support cost", CustomerField::support_cost},
      {"support costs", CustomerField::support_cost},
      {"support hours", CustomerField::support_hours},
      {"onboarding", CustomerField::onboarding_cost},
      {"onboarding cost", CustomerField::onboarding_cost},
      {"discount", CustomerField::discounts},
      {"discounts", CustomerField::discounts},
      {"other cost", CustomerField::other_cost},
      {"other costs", CustomerField::other_cost},
      {"start", CustomerField::start_date},
      {"start date", CustomerField::start_date},
      {"signup date", CustomerField::start_date},
      {"customer since", CustomerField::start_date},
      {"churn", CustomerField::churn_date},
      {"churn date", CustomerField::churn_date},
      {"churned at", CustomerField::churn_date},
      {"cancel date", CustomerField::churn_date},
      {"cancellation date", CustomerField::churn_date},
      {"nps", CustomerField::nps},
      {"csat", CustomerField::csat},
      {"usage", CustomerField::usage},
      {"usage %", CustomerField::usage},
      {"active seats %", CustomerField::usage},
      {"payment", CustomerField::payment_status},
      {"payment status", CustomerField::payment_status},
  };
  return names;
}

// "35%" → 35 (percent); plain numbers as they are. Returns nullopt when not a number.
std::optional<double> parse_percent_or_number(std::string_view v, bool decimal_comma,
                                              bool& had_percent_sign) {
  std::string text = trim(v);
  had_percent_sign = !text.empty() && text.back() == '%';
  if (had_percent_sign) text.pop_back();
  return parse_number(text, decimal_comma);
}

}  // namespace

std::string_view to_string(CustomerField field) {
  for (const auto& [f, name] : kFieldNames) {
    if (f == field) return name;
  }
  return "ignore";
}

std::optional<CustomerField> customer_field_from_string(std::string_view text) {
  for (const auto& [f, name] : kFieldNames) {
    if (name == text) return f;
  }
  return std::nullopt;
}

std::optional<std::string> read_customer_value(CustomerField field, std::string_view v,
                                               bool decimal_comma, const Scale& csat_scale,
                                               Customer& c, std::size_t mrr_index) {
  const auto amount = [&](double& out, const char* what) -> std::optional<std::string> {
    const auto x = parse_number(v, decimal_comma);
    if (!x) return std::string("not a number");
    if (*x < 0) return std::string("negative ") + what + " is not allowed";
    if (*x > kMaxAmount) return std::string(what) + " is too large";
    out = *x;
    return std::nullopt;
  };
  switch (field) {
    case CustomerField::ignore:
    case CustomerField::customer_id:
    case CustomerField::segment:
      return std::nullopt;  // handled by the caller: they depend on the whole table
    case CustomerField::revenue:
      return amount(c.revenue, "revenue");
    case CustomerField::mrr:
      if (mrr_index >= c.mrr.size()) return std::string("there is no such MRR column");
      return amount(c.mrr[mrr_index], "MRR");
    case CustomerField::purchases:
      return amount(c.purchases, "number of purchases");
    case CustomerField::gross_margin: {
      bool percent = false;
      const auto x = parse_percent_or_number(v, decimal_comma, percent);
      if (!x) return std::string("not a number");
      // "35%" and 35 are percent; 0.35 is a fraction.
      const double fraction = (percent || *x > 1) ? *x / 100 : *x;
      if (fraction < 0 || fraction > 1) return std::string("a margin must be 0% to 100%");
      c.gross_margin = fraction;
      return std::nullopt;
    }
    case CustomerField::support_cost:
      return amount(c.support_cost, "support cost");
    case CustomerField::support_hours:
      return amount(c.support_hours, "support hours");
    case CustomerField::onboarding_cost:
      return amount(c.onboarding_cost, "onboarding cost");
    case CustomerField::discounts:
      return amount(c.discounts, "discount");
    case CustomerField::other_cost:
      return amount(c.other_cost, "cost");
    case CustomerField::start_date:
    case CustomerField::churn_date: {
      const auto day = parse_date(v);
      if (!day) return std::string("not a date (write dates as YYYY-MM-DD)");
      (field == CustomerField::start_date ? c.start_day : c.churn_day) = day;
      return std::nullopt;
    }
    case CustomerField::nps:
    case CustomerField::csat: {
      Item pseudo;
      pseudo.label = field == CustomerField::nps ? "NPS" : "CSAT";
      pseudo.scale.type = ScaleType::rating_0_10;
      if (field == CustomerField::csat) pseudo.scale = csat_scale;
      const auto x = parse_number(v, decimal_comma);
      if (!x) return std::string("not a number");
      if (!check_score(*x, pseudo, "", true).ok()) {
        return "outside the " + describe(pseudo.scale) + " of " + pseudo.label + " (whole numbers)";
      }
      (field == CustomerField::nps ? c.nps : c.csat) = *x;
      return std::nullopt;
    }
    case CustomerField::usage: {
      bool percent = false;
      const auto x = parse_percent_or_number(v, decimal_comma, percent);
      if (!x) return std::string("not a number");
      if (*x < 0 || *x > 100) return std::string("usage must be 0% to 100%");
      c.usage = *x;
      return std::nullopt;
    }
    case CustomerField::payment_status: {
      const auto status = payment_status_from_string(v);
      if (!status) return std::string("unknown payment status (use current, late or failed)");
      c.payment = *status;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Expected<CustomerPreview> preview_customer_csv(std::string_view bytes) {
  auto table = preview_table(bytes);
  if (!table.ok()) return table.error();
  CustomerPreview preview;
  static_cast<TablePreview&>(preview) = std::move(table).value();
  std::set<CustomerField> taken;
  for (std::size_t c = 0; c < preview.headers.size(); ++c) {
    CustomerColumnMapping m;
    m.column = c;
    const std::string& header = preview.headers[c];
    const std::string key = normalise_header(header);
    if (starts_with(key, "mrr")) {  // "MRR 2026-01", "mrr:Jan", "MRR"
      m.field = CustomerField::mrr;
      std::string label = trim(std::string_view(header).substr(3));
      if (!label.empty() && (label[0] == ':' || label[0] == '_' || label[0] == '-')) {
        label = trim(std::string_view(label).substr(1));
      }
      m.label = label.empty() ? header : label;
    } else if (starts_with(key, "segment:")) {
      m.field = CustomerField::segment;
      m.label = trim(std::string_view(header).substr(header.find(':') + 1));
    } else if (const auto found = header_names().find(key); found != header_names().end()) {
      const bool repeatable = found->second == CustomerField::segment;
      if (repeatable || taken.insert(found->second).second) {
        m.field = found->second;
        if (m.field == CustomerField::segment) m.label = header;
      }
    }
    preview.proposed.push_back(std::move(m));
  }
  // More MRR columns than a table keeps: propose the latest (MRR columns run oldest first).
  std::size_t mrr_count = 0;
  for (const auto& m : preview.proposed) mrr_count += m.field == CustomerField::mrr;
  for (auto& m : preview.proposed) {
    if (mrr_count <= kMaxMrrColumns) break;
    if (m.field == CustomerField::mrr) {
      m.field = CustomerField::ignore;
      m.label.clear();
      --mrr_count;
    }
  }
  return preview;
}

Expected<StagedCustomers> stage_customer_import(std::string_view bytes,
                                                const std::vector<CustomerColumnMapping>& mapping,
                                                char delimiter, bool decimal_comma,
                                                const Scale& csat_scale) {
  if (delimiter != ',' && delimiter != ';' && delimiter != '\t') {
    return Error{"delimiter", "delimiter: must be a comma, a semicolon or a tab."};
  }
  auto header_row = read_headers(bytes, delimiter);
  if (!header_row.ok()) return header_row.error();
  const std::vector<std::string> headers = std::move(header_row).value();

  std::vector<const CustomerColumnMapping*> by_column(headers.size(), nullptr);
  std::map<CustomerField, std::size_t> single;  // fields that take one column
  std::vector<const CustomerColumnMapping*> mrr_columns;
  std::vector<const CustomerColumnMapping*> segment_columns;
  for (const CustomerColumnMapping& m : mapping) {
    const std::string where = "mapping, column " + std::to_string(m.column + 1);
    if (auto s = claim_column(m.column, by_column, &m); !s.ok()) return s.error();
    if (m.field == CustomerField::ignore) continue;
    if (m.field == CustomerField::mrr) {
      mrr_columns.push_back(&m);
    } else if (m.field == CustomerField::segment) {
      segment_columns.push_back(&m);
    } else if (const auto [it, inserted] = single.emplace(m.field, m.column); !inserted) {
      return Error{where, "Only one column can hold " + std::string(to_string(m.field)) + "; " +
                              column_name(it->second, headers[it->second]) + " and " +
                              column_name(m.column, headers[m.column]) + " both do."};
    }
  }
  if (mrr_columns.size() > kMaxMrrColumns) {
    return Error{"mapping", "The mapping has " + std::to_string(mrr_columns.size()) +
                                " MRR columns; the calculator keeps at most " +
                                std::to_string(kMaxMrrColumns) +
                                " (twenty years of months). Ignore the oldest."};
  }
  if (single.count(CustomerField::revenue) == 0 && mrr_columns.empty()) {
    return Error{"mapping",
                 "Map a revenue column, or one or more MRR columns: contribution and CLV need "
                 "revenue."};
  }

  StagedCustomers staged;
  CustomerTable& table = staged.table;
  // Labels and groups go into the project file as they are: plain text, not too long.
  for (const auto* m : mrr_columns) {
    table.mrr_labels.push_back(
        plain_label(m->label.empty() ? headers[m->column] : m->label, column_name(m->column, "")));
  }

  // Segments: every distinct value of a segment column, sorted, of that column's group.
  std::map<std::size_t, std::map<std::string, std::size_t>> segment_of_value;
  if (!segment_columns.empty()) {
    std::map<std::size_t, std::set<std::string>> values;
    std::size_t index = 0;
    bool too_many = false;
    CsvReader reader(delimiter, [&](const CsvRecord& record) {
      if (index++ == 0) return true;
      for (const auto* m : segment_columns) {
        if (m->column >= record.fields.size() || is_blank(record.fields[m->column])) continue;
        const std::string v = trim(record.fields[m->column]);
        if (plain_text_problem(v, "segment name")) continue;  // reported per row below
        values[m->column].insert(v);
        if (values[m->column].size() > kMaxSegmentValues) too_many = true;
      }
      return !too_many;
    });
    reader.feed(bytes);
    if (auto s = reader.finish(); !s.ok()) return s.error();
    std::set<std::string> taken_ids;
    std::map<std::string, std::size_t> column_of_group;
    for (const auto* m : segment_columns) {
      if (values[m->column].size() > kMaxSegmentValues) {
        return Error{"mapping, column " + std::to_string(m->column + 1),
                     column_name(m->column, headers[m->column]) + " has more than " +
                         std::to_string(kMaxSegmentValues) +
                         " different values; a segment column names a few groups of customers."};
      }
      const std::string group =
          plain_label(m->label.empty() ? headers[m->column] : m->label, column_name(m->column, ""));
      // A customer is in at most one segment of a group, so one column fills each group.
      if (const auto [it, added] = column_of_group.emplace(group, m->column); !added) {
        return Error{"mapping, column " + std::to_string(m->column + 1),
                     column_name(it->second, headers[it->second]) + " and " +
                         column_name(m->column, headers[m->column]) +
                         " both fill the segment group \"" + group +
                         "\"; give one of them another group."};
      }
      for (const std::string& value : values[m->column]) {
        CustomerSegment seg;
        seg.label = value;
        seg.group = group;
        seg.id = unique_id(slug(value).empty() ? slug(group) : slug(value), taken_ids);
        segment_of_value[m->column][value] = table.segments.size();
        table.segments.push_back(std::move(seg));
      }
    }
  }

  std::vector<std::size_t> mrr_index_of_column(headers.size(), 0);  // one lookup per cell
  for (std::size_t k = 0; k < mrr_columns.size(); ++k)
    mrr_index_of_column[mrr_columns[k]->column] = k;

  std::vector<ImportProblem> row_problems;
  const auto add_problem = [&](std::size_t row, std::size_t column, std::string_view value,
                               std::string reason) {
    row_problems.push_back(import_problem(row, column, headers, value, std::move(reason)));
  };

  std::size_t index = 0;
  std::set<std::string> seen_ids;
  CsvReader reader(delimiter, [&](const CsvRecord& record) {
    if (index++ == 0) return true;
    ++staged.rows_total;
    row_problems.clear();
    Customer c;
    if (record.fields.size() != headers.size()) {
      add_problem(record.row, 0, "",
                  "ragged row: " + std::to_string(record.fields.size()) +
                      " fields, but the header has " + std::to_string(headers.size()));
    } else {
      c.mrr.assign(mrr_columns.size(), kNotGiven);
      for (std::size_t col = 0; col < headers.size(); ++col) {
        const CustomerColumnMapping* m = by_column[col];
        if (m == nullptr || m->field == CustomerField::ignore) continue;
        const std::string_view v = record.fields[col];
        if (is_blank(v)) continue;
        const std::size_t column = col + 1;
        if (m->field == CustomerField::customer_id) {
          std::string id = trim(v);
          if (auto problem = plain_text_problem(id, "id")) {
            add_problem(record.row, column, v, std::move(*problem));
          } else if (!seen_ids.insert(id).second) {
            add_problem(record.row, column, v, "this customer id appears on an earlier row");
          } else {
            c.id = std::move(id);
          }
        } else if (m->field == CustomerField::segment) {
          const auto& known = segment_of_value[col];
          const auto found = known.find(trim(v));
          if (found == known.end()) {
            add_problem(record.row, column, v,
                        plain_text_problem(trim(v), "segment name").value_or("unknown segment"));
          } else {
            c.segments.push_back(found->second);
          }
        } else {
          if (auto reason = read_customer_value(m->field, v, decimal_comma, csat_scale, c,
                                                mrr_index_of_column[col])) {
            add_problem(record.row, column, v, std::move(*reason));
          }
        }
      }
      if (c.start_day && c.churn_day && *c.churn_day < *c.start_day) {
        const std::size_t column = single[CustomerField::churn_date] + 1;
        add_problem(record.row, column, record.fields[column - 1],
                    "the churn date is before the start date (" + format_date(*c.start_day) + ")");
      }
      if (c.id.empty() && row_problems.empty()) {
        // A customer without an id is named by its row, unless another customer has that id.
        const std::string base = "row " + std::to_string(record.row);
        c.id = base;
        for (int k = 2; seen_ids.count(c.id) > 0; ++k) c.id = base + " (" + std::to_string(k) + ")";
        seen_ids.insert(c.id);
      }
    }
    staged.problem_count += row_problems.size();
    for (auto& p : row_problems) {
      if (staged.problems.size() < kMaxListedProblems) staged.problems.push_back(std::move(p));
    }
    if (row_problems.empty()) {
      table.customers.push_back(std::move(c));
      ++staged.rows_valid;
    }
    return true;
  });
  reader.feed(bytes);
  if (auto s = reader.finish(); !s.ok()) return s.error();
  if (staged.rows_total == 0) return Error{"file", "The file has a header row but no data rows."};
  return staged;
}

}  // namespace cvc
