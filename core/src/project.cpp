#include "cvc/project.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "cvc/json_io.hpp"
#include "cvc/survey_import.hpp"
#include "json_parts.hpp"

namespace cvc {
namespace {

using nlohmann::json;
using namespace detail;  // NOLINT: json_parts.hpp

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string row_field(const char* part, std::size_t row) {
  return std::string(part) + ", row " + std::to_string(row + 1);
}

// ---------------------------------------------------------------- writing

json survey_to_json(const Model& model, const Responses& survey) {
  // A survey without rows lists every model item, as it reads back (a survey that was never
  // set has no columns at all, and "items": [] would come back as the model's items).
  const std::size_t columns = survey.rows() == 0 ? model.items.size() : survey.item_count();
  json items = json::array();
  for (std::size_t j = 0; j < columns && j < model.items.size(); ++j) {
    items.push_back(model.items[j].id);
  }
  json rows = json::array();
  for (std::size_t r = 0; r < survey.rows(); ++r) {
    json answers = json::array();
    for (std::size_t j = 0; j < items.size(); ++j) {
      const ScoreColumn& column = survey.column(j);
      answers.push_back(column.missing(r) ? json(nullptr) : number_or_null(column.value(r)));
    }
    json segments = json::array();
    for (std::size_t s = 0; s < survey.segment_count() && s < model.segments.size(); ++s) {
      if (survey.in_segment(r, s)) segments.push_back(model.segments[s].id);
    }
    json row = json::object();
    put(row, "id", std::string(survey.id(r)));
    put(row, "answers", std::move(answers));
    put(row, "segments", std::move(segments));
    if (survey.has_metrics()) {
      for (std::size_t m = 0; m < kMetricCount; ++m) {
        const auto metric = static_cast<Metric>(m);
        const auto value = survey.metric(metric, r);
        row[std::string(to_string(metric))] =
            value == ScoreColumn::kMissingRating ? json(nullptr) : json(value);
      }
    }
    rows.push_back(std::move(row));
  }
  json out = json::object();
  put(out, "items", std::move(items));
  put(out, "rows", std::move(rows));
  return out;
}

json customers_to_json(const CustomerTable& table) {
  json segments = json::array();
  for (const CustomerSegment& s : table.segments) {
    segments.push_back(segment_to_json(s.id, s.label, s.group));
  }
  json rows = json::array();
  for (const Customer& c : table.customers) rows.push_back(customer_to_json(table, c, true));
  json out = json::object();
  put(out, "segments", std::move(segments));
  put(out, "mrr_columns", table.mrr_labels);
  put(out, "rows", std::move(rows));
  return out;
}

// ---------------------------------------------------------------- reading

Status read_list(const json& object, const char* key, const std::string& field, bool required,
                 const json*& out) {
  out = member(object, key);
  const std::string f = field + ", " + key;
  if (out == nullptr) {
    return required ? Status(Error{f, f + ": missing (expected a list)."}) : Status::success();
  }
  if (!out->is_array()) return wrong_type(f, "a list", *out);
  return Status::success();
}

// A label-like text: non-empty, plain (no control characters), valid UTF-8, not too long.
Status read_label(const json& object, const char* key, const std::string& field, std::string& out) {
  if (auto s = read_string(object, key, field, true, out); !s.ok()) return s;
  bool control = false;
  for (const char ch : out) control = control || static_cast<unsigned char>(ch) < 0x20;
  if (out.empty() || control || out.size() > kMaxLabelLength || !is_valid_utf8(out)) {
    const std::string f = field + "." + key;
    return Error{
        f, f + ": expected plain text of 1 to " + std::to_string(kMaxLabelLength) + " bytes."};
  }
  return Status::success();
}

// A satisfaction answer or an item answer: a number, or null for "not answered".
Status read_answer(const json& value, const std::string& field, double& out) {
  if (value.is_null()) {
    out = kNaN;
    return Status::success();
  }
  if (!value.is_number()) return wrong_type(field, "a number or null", value);
  out = value.get<double>();
  return Status::success();
}

Expected<Responses> survey_from_json(const Model& model, const json& node) {
  if (!node.is_object()) return wrong_type("survey", "an object", node);
  if (auto s = check_keys(node, "survey", {"items", "rows"}); !s.ok()) return s.error();
  const json* items = nullptr;
  const json* rows = nullptr;
  if (auto s = read_list(node, "items", "survey", true, items); !s.ok()) return s.error();
  if (auto s = read_list(node, "rows", "survey", true, rows); !s.ok()) return s.error();

  // The file's answer columns, by item id, to the model's item order.
  std::vector<std::size_t> column_item;
  std::set<std::string> seen;
  for (std::size_t k = 0; k < items->size(); ++k) {
    const json& id = (*items)[k];
    const std::string f = "survey, items[" + std::to_string(k) + "]";
    if (!id.is_string()) return wrong_type(f, "an item id", id);
    const auto& text = id.get_ref<const std::string&>();
    std::optional<std::size_t> found;
    for (std::size_t j = 0; j < model.items.size(); ++j) {
      if (model.items[j].id == text) found = j;
    }
    if (!found) return Error{f, f + ": the model has no item \"" + text + "\"."};
    if (!seen.insert(text).second) return Error{f, f + ": item \"" + text + "\" is listed twice."};
    column_item.push_back(*found);
  }
  std::map<std::string, std::size_t> segment_index;
  for (std::size_t s = 0; s < model.segments.size(); ++s) segment_index[model.segments[s].id] = s;

  const std::size_t n = rows->size();
  const std::size_t item_count = model.items.size();
  const std::size_t segment_count = model.segments.size();
  ResponseBuffers buffers;
  auto& answers = buffers.answers;
  auto& metrics = buffers.metrics;
  auto& ids = buffers.ids;
  answers.assign(n * item_count, kNaN);
  buffers.membership.assign(n * segment_count, 0);
  ids.resize(n);
  bool any_metric = false;
  for (std::size_t r = 0; r < n; ++r) {
    const json& row = (*rows)[r];
    const std::string where = row_field("survey", r);
    if (!row.is_object()) return wrong_type(where, "an object", row);
    if (auto s = check_keys(row, where, {"id", "answers", "segments", "nps", "csat", "ces"});
        !s.ok()) {
      return s.error();
    }
    if (auto s = read_string(row, "id", where, false, ids[r]); !s.ok()) return s.error();
    const json* given = nullptr;
    if (auto s = read_list(row, "answers", where, true, given); !s.ok()) return s.error();
    if (given->size() != column_item.size()) {
      return Error{where + ", answers", where + ", answers: expected " +
                                            std::to_string(column_item.size()) +
                                            " answers (one per survey item), got " +
                                            std::to_string(given->size()) + "."};
    }
    for (std::size_t k = 0; k < given->size(); ++k) {
      const std::string f = where + ", answers[" + std::to_string(k) + "]";
      if (auto s = read_answer((*given)[k], f, answers[r * item_count + column_item[k]]); !s.ok()) {
        return s.error();
      }
    }
    const json* segments = nullptr;
    if (auto s = read_list(row, "segments", where, false, segments); !s.ok()) return s.error();
    for (std::size_t k = 0; segments != nullptr && k < segments->size(); ++k) {
      const json& id = (*segments)[k];
      const std::string f = where + ", segments[" + std::to_string(k) + "]";
      const auto it = id.is_string() ? segment_index.find(id.get_ref<const std::string&>())
                                     : segment_index.end();
      if (it == segment_index.end()) {
        return Error{f, f + ": the model has no segment " +
                            id.dump(-1, ' ', false, json::error_handler_t::replace) + "."};
      }
      buffers.membership[r * segment_count + it->second] = 1;
    }
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      const std::string name(to_string(static_cast<Metric>(m)));
      const json* value = member(row, name.c_str());
      if (value == nullptr) continue;
      if (!any_metric) {
        metrics.assign(n * kMetricCount, kNaN);
        any_metric = true;
      }
      if (auto s = read_answer(*value, where + ", " + name, metrics[r * kMetricCount + m]);
          !s.ok()) {
        return s.error();
      }
    }
  }
  auto survey = Responses::from_input(model, buffers.input(n));
  if (!survey.ok()) {
    const Error& e = survey.error();
    return Error{"survey, " + e.field, "In the survey: " + e.message};
  }
  return survey;
}

Expected<CustomerTable> customers_from_json(const Model& model, const json& node) {
  if (!node.is_object()) return wrong_type("customers", "an object", node);
  if (auto s = check_keys(node, "customers", {"segments", "mrr_columns", "rows"}); !s.ok()) {
    return s.error();
  }
  CustomerTable table;
  const json* segments = nullptr;
  const json* mrr = nullptr;
  const json* rows = nullptr;
  if (auto s = read_list(node, "segments", "customers", false, segments); !s.ok()) {
    return s.error();
  }
  if (auto s = read_list(node, "mrr_columns", "customers", false, mrr); !s.ok()) return s.error();
  if (auto s = read_list(node, "rows", "customers", true, rows); !s.ok()) return s.error();

  std::set<std::string> ids;
  std::set<std::pair<std::string, std::string>> labels;
  for (std::size_t k = 0; segments != nullptr && k < segments->size(); ++k) {
    const json& s = (*segments)[k];
    const std::string f = "customers, segments[" + std::to_string(k) + "]";
    if (!s.is_object()) return wrong_type(f, "an object", s);
    if (auto st = check_keys(s, f, {"id", "label", "group"}); !st.ok()) return st.error();
    CustomerSegment segment;
    for (auto [key, out] : {std::pair{"id", &segment.id}, std::pair{"label", &segment.label},
                            std::pair{"group", &segment.group}}) {
      if (auto st = read_label(s, key, f, *out); !st.ok()) return st.error();
    }
    if (!ids.insert(segment.id).second) {
      return Error{f + ".id", f + ".id: segment id \"" + segment.id + "\" is used twice."};
    }
    if (!labels.insert({segment.group, segment.label}).second) {
      return Error{f + ".label", f + ".label: group \"" + segment.group + "\" has segment \"" +
                                     segment.label + "\" twice."};
    }
    table.segments.push_back(std::move(segment));
  }
  if (mrr != nullptr && mrr->size() > kMaxMrrColumns) {
    return Error{"customers, mrr_columns", "customers, mrr_columns: at most " +
                                               std::to_string(kMaxMrrColumns) + " MRR columns."};
  }
  for (std::size_t k = 0; mrr != nullptr && k < mrr->size(); ++k) {
    const std::string f = "customers, mrr_columns[" + std::to_string(k) + "]";
    if (!(*mrr)[k].is_string()) return wrong_type(f, "text", (*mrr)[k]);
    const auto& label = (*mrr)[k].get_ref<const std::string&>();
    if (label.size() > kMaxLabelLength || !is_valid_utf8(label)) {
      return Error{
          f, f + ": expected plain text of at most " + std::to_string(kMaxLabelLength) + " bytes."};
    }
    table.mrr_labels.push_back(label);
  }

  const Scale csat = metric_scale(model, Metric::csat);
  std::map<std::string, std::size_t> row_of_id;
  for (std::size_t r = 0; r < rows->size(); ++r) {
    const std::string where = row_field("customers", r);
    if (!(*rows)[r].is_object()) return wrong_type(where, "an object", (*rows)[r]);
    auto customer = customer_from_json((*rows)[r], table, csat, where);
    if (!customer.ok()) return customer.error();
    Customer c = std::move(customer).value();
    if (c.id.empty()) c.id = "row " + std::to_string(r + 1);
    const auto [it, added] = row_of_id.emplace(c.id, r);
    if (!added) {
      return Error{where + ", id", where + ", id: customer \"" + c.id + "\" is already in row " +
                                       std::to_string(it->second + 1) + "."};
    }
    table.customers.push_back(std::move(c));
  }
  return table;
}

}  // namespace

std::string save_project(const Model& model, const Responses* survey,
                         const CustomerTable* customers) {
  json document = json::object();
  put(document, "schema", kProjectSchemaName);
  put(document, "version", kProjectSchemaVersion);
  put(document, "model", model_to_json(model));
  if (survey != nullptr) put(document, "survey", survey_to_json(model, *survey));
  if (customers != nullptr) put(document, "customers", customers_to_json(*customers));
  return dump_compact(document) + "\n";
}

Expected<Project> project_from_json(const json& document) {
  if (!document.is_object()) {
    return Error{"file",
                 "This is not a Customer Value Calculator project: expected a JSON "
                 "object, got " +
                     std::string(document.type_name()) + "."};
  }
  const json* schema = member(document, "schema");
  const std::string name =
      schema != nullptr && schema->is_string() ? schema->get<std::string>() : std::string();
  if (name == kModelSchemaName) {  // a bare model file: a project with no data
    auto model = model_from_json(document);
    if (!model.ok()) return model.error();
    Project project;
    project.model = std::move(model).value();
    project.source = "model";
    return project;
  }
  if (name != kProjectSchemaName) {
    return Error{"schema",
                 "schema: this is not a Customer Value Calculator project or model "
                 "(expected \"schema\": \"" +
                     std::string(kProjectSchemaName) + "\")."};
  }
  const json* version = member(document, "version");
  if (version == nullptr || !version->is_number_integer()) {
    return Error{"version", "version: missing or not a whole number."};
  }
  const auto v = version->get<std::int64_t>();
  if (v > kProjectSchemaVersion) {
    return Error{"version",
                 "version: this project was saved by a newer version of the "
                 "calculator (project version " +
                     std::to_string(v) + "); this page reads up to version " +
                     std::to_string(kProjectSchemaVersion) +
                     ". Open it with the newer calculator."};
  }
  if (v < 1) return Error{"version", "version: must be 1 or more; got " + std::to_string(v) + "."};
  if (auto s = check_keys(document, "", {"schema", "version", "model", "survey", "customers"});
      !s.ok()) {
    return s.error();
  }
  const json* model_node = member(document, "model");
  if (model_node == nullptr) return Error{"model", "model: missing (a project needs a model)."};
  auto model = model_from_json(*model_node);
  if (!model.ok()) {
    const Error& e = model.error();
    return Error{"model." + e.field, "In the model: " + e.message};
  }
  Project project;
  project.model = std::move(model).value();
  if (const json* survey = member(document, "survey"); survey != nullptr && !survey->is_null()) {
    auto responses = survey_from_json(project.model, *survey);
    if (!responses.ok()) return responses.error();
    project.survey = std::move(responses).value();
  }
  if (const json* customers = member(document, "customers");
      customers != nullptr && !customers->is_null()) {
    auto table = customers_from_json(project.model, *customers);
    if (!table.ok()) return table.error();
    project.customers = std::move(table).value();
  }
  return project;
}

Expected<Project> load_project(std::string_view text) {
  auto document = parse_json(text, "project file");
  if (!document.ok()) return document.error();
  return project_from_json(document.value());
}

}  // namespace cvc
