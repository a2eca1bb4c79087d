// JSON forms of the survey import's preview, mapping and report, and of survey rows.
#include <cmath>

#include "cvc/json_io.hpp"
#include "json_parts.hpp"

namespace cvc {
namespace {

using nlohmann::json;
using namespace detail;  // NOLINT: json_parts.hpp

Error mapping_error(const std::string& field, const std::string& what) {
  return Error{field, field + ": " + what};
}

}  // namespace

std::string delimiter_name(char delimiter) {
  return delimiter == '\t' ? "\t" : std::string(1, delimiter);
}

std::optional<char> delimiter_from_name(std::string_view name) {
  if (name == "," || name == ";" || name == "\t") return name[0];
  return std::nullopt;
}

json mapping_to_json(const ColumnMapping& m) {
  json out = json::object();
  put(out, "column", m.column);
  put(out, "role", to_string(m.role));
  if (m.role == ColumnRole::item) {
    put(out, "item_id", m.item_id);
    put(out, "create_item", m.create_item);
    if (m.create_item) {
      Item item = m.new_item;
      item.id = m.item_id;
      put(out, "new_item", item_to_json(item));
    }
  }
  if (m.role == ColumnRole::segment) put(out, "group", m.group);
  return out;
}

namespace detail {

json table_preview_to_json(const TablePreview& preview) {
  json columns = json::array();
  for (std::size_t c = 0; c < preview.headers.size(); ++c) {
    json column = json::object();
    put(column, "column", c);
    put(column, "header", preview.headers[c]);
    put(column, "profile", profile_to_json(preview.profiles[c]));
    columns.push_back(std::move(column));
  }
  json out = json::object();
  put(out, "delimiter", delimiter_name(preview.delimiter));
  put(out, "decimal_comma", preview.decimal_comma);
  put(out, "data_rows", preview.data_rows);
  put(out, "headers", preview.headers);
  put(out, "sample_rows", preview.sample_rows);
  put(out, "columns", std::move(columns));
  return out;
}

}  // namespace detail

json preview_to_json(const CsvPreview& preview) {
  json out = table_preview_to_json(preview);
  json& columns = out["columns"];
  for (std::size_t c = 0; c < preview.headers.size(); ++c) {
    put(columns[c], "proposed", mapping_to_json(preview.proposed[c]));
  }
  put(out, "satisfaction", satisfaction_settings_to_json(preview.proposed_satisfaction));
  return out;
}

Expected<std::vector<ColumnMapping>> mapping_from_json(const json& document) {
  if (!document.is_array()) return mapping_error("mapping", "expected a list of columns.");
  if (document.size() > kMaxColumns) return mapping_error("mapping", "too many columns.");
  std::vector<ColumnMapping> mapping;
  for (std::size_t i = 0; i < document.size(); ++i) {
    const json& node = document[i];
    const std::string field = "mapping[" + std::to_string(i) + "]";
    if (!node.is_object()) return mapping_error(field, "expected an object.");
    ColumnMapping m;
    const auto column = node.find("column");
    if (column == node.end() || !column->is_number_unsigned()) {
      return mapping_error(field + ".column", "expected a column number (0-based).");
    }
    m.column = column->get<std::size_t>();
    const auto role = node.find("role");
    if (role == node.end() || !role->is_string()) {
      return mapping_error(field + ".role", "expected a role.");
    }
    const auto parsed = column_role_from_string(role->get_ref<const std::string&>());
    if (!parsed) {
      return mapping_error(field + ".role",
                           "unknown role \"" + role->get<std::string>() +
                               "\" (ignore, respondent_id, segment, nps, csat, ces, item).");
    }
    m.role = *parsed;
    if (const auto group = node.find("group"); group != node.end()) {
      if (!group->is_string()) return mapping_error(field + ".group", "expected text.");
      m.group = group->get<std::string>();
    }
    if (m.role == ColumnRole::item) {
      const auto item_id = node.find("item_id");
      if (item_id == node.end() || !item_id->is_string()) {
        return mapping_error(field + ".item_id", "expected the id of an item.");
      }
      m.item_id = item_id->get<std::string>();
      const auto create = node.find("create_item");
      m.create_item = create != node.end() && create->is_boolean() && create->get<bool>();
      if (m.create_item) {
        const auto new_item = node.find("new_item");
        if (new_item == node.end()) {
          return mapping_error(field + ".new_item", "a new item needs its definition.");
        }
        auto item = item_from_json(*new_item, field + ".new_item");
        if (!item.ok()) return item.error();
        m.new_item = std::move(item).value();
        m.new_item.id = m.item_id;
      }
    }
    mapping.push_back(std::move(m));
  }
  return mapping;
}

json staged_import_to_json(const StagedImport& staged) {
  json items = json::array();
  for (const std::string& id : staged.created_items) {
    if (const auto j = staged.model.item_index(id)) {
      items.push_back(item_to_json(staged.model.items[*j]));
    }
  }
  json segments = json::array();
  for (const std::string& id : staged.created_segments) {
    if (const auto s = staged.model.segment_index(id)) {
      const Segment& seg = staged.model.segments[*s];
      segments.push_back(segment_to_json(seg.id, seg.label, seg.group));
    }
  }
  json out = json::object();
  put(out, "rows_total", staged.rows_total);
  put(out, "rows_valid", staged.rows_valid);
  put(out, "rows_rejected", staged.rows_total - staged.rows_valid);
  put(out, "problem_count", staged.problem_count);
  put(out, "problems", problems_to_json(staged.problems));
  put(out, "problems_listed", staged.problems.size());
  put(out, "created_items", std::move(items));
  put(out, "created_segments", std::move(segments));
  return out;
}

json responses_page_to_json(const Model& model, const Responses& responses, std::size_t offset,
                            std::size_t count) {
  json page = json::array();
  const std::size_t end =
      offset >= responses.rows() ? offset : offset + std::min(count, responses.rows() - offset);
  for (std::size_t r = offset; r < end; ++r) {
    json answers = json::array();
    for (std::size_t j = 0; j < model.items.size() && j < responses.item_count(); ++j) {
      const ScoreColumn& column = responses.column(j);
      answers.push_back(column.missing(r) ? json(nullptr) : number_or_null(column.value(r)));
    }
    json segments = json::array();
    for (std::size_t s = 0; s < model.segments.size() && s < responses.segment_count(); ++s) {
      if (responses.in_segment(r, s)) segments.push_back(model.segments[s].id);
    }
    json row = json::object();
    put(row, "row", r);
    put(row, "id", std::string(responses.id(r)));
    put(row, "answers", std::move(answers));
    put(row, "segments", std::move(segments));
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      const auto metric = static_cast<Metric>(m);
      const auto value =
          responses.has_metrics() ? responses.metric(metric, r) : ScoreColumn::kMissingRating;
      row[std::string(to_string(metric))] =
          value == ScoreColumn::kMissingRating ? json(nullptr) : json(value);
    }
    page.push_back(std::move(row));
  }
  json item_ids = json::array();
  for (const Item& item : model.items) item_ids.push_back(item.id);
  json out = json::object();
  put(out, "rows", responses.rows());
  put(out, "offset", offset);
  put(out, "item_ids", std::move(item_ids));
  put(out, "page", std::move(page));
  return out;
}

}  // namespace cvc
