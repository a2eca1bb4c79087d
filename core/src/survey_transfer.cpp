#include "cvc/survey_transfer.hpp"

#include <nlohmann/json.hpp>

#include "cvc/json_io.hpp"

namespace cvc {

namespace {

using nlohmann::json;

// Bumped when the arrays change meaning; a header of another format is refused.
constexpr int kPartsFormat = 1;

json parts_header(const Model& model, const Responses& responses) {
  const Responses::PartsLayout layout = responses.layout();
  json items = json::array();
  for (const Item& item : model.items) {
    items.push_back({{"id", item.id}, {"rating", item.scale.is_rating()}});
  }
  json segments = json::array();
  for (const Segment& segment : model.segments) segments.push_back(segment.id);
  return {{"format", kPartsFormat},
          {"rows", layout.rows},
          {"items", std::move(items)},
          {"segments", std::move(segments)},
          {"metrics", layout.metrics},
          {"ids", layout.ids},
          {"id_text_bytes", layout.id_text_bytes},
          // The id offsets are std::size_t: 4 bytes in wasm32, 8 natively.
          {"offset_bytes", sizeof(std::size_t)}};
}

Error damaged(const std::string& why) {
  return Error{"survey", "The survey data cannot be read: " + why};
}

// Readers that never throw (the wasm build has no exception catching): false when missing or
// of another type.
bool read(const json& object, const char* key, std::size_t& out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned()) return false;
  out = it->get<std::size_t>();
  return true;
}

bool read(const json& object, const char* key, bool& out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return false;
  out = it->get<bool>();
  return true;
}

bool read(const json& object, const char* key, std::string& out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

bool read(const json& object, const char* key, std::vector<std::string>& out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return false;
  out.clear();
  for (const json& value : *it) {
    if (!value.is_string()) return false;
    out.push_back(value.get<std::string>());
  }
  return true;
}

Expected<Responses> from_parts(const Model& model, const json& header,
                               const Responses::PartFill& fill) {
  std::size_t format = 0;
  if (!header.is_object() || !read(header, "format", format) || format != kPartsFormat) {
    return damaged("it was written by another version of the calculator.");
  }
  Responses::PartsLayout layout;
  std::size_t offset_bytes = 0;
  std::vector<std::string> segments;
  const auto items = header.find("items");
  if (!read(header, "offset_bytes", offset_bytes) || !read(header, "rows", layout.rows) ||
      !read(header, "metrics", layout.metrics) || !read(header, "ids", layout.ids) ||
      !read(header, "id_text_bytes", layout.id_text_bytes) || !read(header, "segments", segments) ||
      items == header.end() || !items->is_array()) {
    return damaged("its description is incomplete.");
  }
  if (offset_bytes != sizeof(std::size_t)) {
    return damaged("it was written on another kind of machine.");
  }
  if (items->size() != model.items.size() || segments.size() != model.segments.size()) {
    return damaged("it was kept for a model with other items or segments.");
  }
  for (std::size_t j = 0; j < items->size(); ++j) {
    std::string id;
    bool rating = false;
    const json& item = (*items)[j];
    if (!item.is_object() || !read(item, "id", id) || !read(item, "rating", rating) ||
        id != model.items[j].id || rating != model.items[j].scale.is_rating()) {
      return damaged("it was kept for a model with other items (item " + std::to_string(j + 1) +
                     " differs).");
    }
  }
  for (std::size_t s = 0; s < segments.size(); ++s) {
    if (segments[s] != model.segments[s].id) {
      return damaged("it was kept for a model with other segments.");
    }
  }
  return Responses::from_parts(model, layout, fill);
}

}  // namespace

std::string survey_parts_header(const Model& model, const Responses& responses) {
  return parts_header(model, responses).dump();
}

Expected<Responses> survey_from_parts(const Model& model, std::string_view header,
                                      const Responses::PartFill& fill) {
  auto document = parse_json(header, "survey");
  if (!document.ok()) return document.error();
  return from_parts(model, document.value(), fill);
}

std::string staged_import_header(const StagedImport& staged) {
  return json{{"model", model_to_json(staged.model)},
              {"rows_total", staged.rows_total},
              {"created_items", staged.created_items},
              {"created_segments", staged.created_segments},
              {"report", staged_import_to_json(staged)},
              {"survey", parts_header(staged.model, staged.responses)}}
      .dump();
}

Expected<StagedImport> staged_import_from_parts(std::string_view header,
                                                const Responses::PartFill& fill) {
  auto document = parse_json(header, "import");
  if (!document.ok()) return document.error();
  const json& doc = document.value();
  if (!doc.is_object() || !doc.contains("model") || !doc.contains("survey")) {
    return Error{"import", "The checked import is incomplete; nothing was changed."};
  }
  auto model = model_from_json(doc["model"]);
  if (!model.ok()) return model.error();
  StagedImport staged;
  staged.model = std::move(model).value();
  const auto report = doc.find("report");
  if (!read(doc, "rows_total", staged.rows_total) ||
      !read(doc, "created_items", staged.created_items) ||
      !read(doc, "created_segments", staged.created_segments) || report == doc.end() ||
      !report->is_object() || !read(*report, "problem_count", staged.problem_count)) {
    return Error{"import", "The checked import is incomplete; nothing was changed."};
  }
  if (staged.created_items.size() > staged.model.items.size() ||
      staged.created_segments.size() > staged.model.segments.size()) {
    return Error{"import", "The checked import does not match its model; nothing was changed."};
  }
  auto responses = from_parts(staged.model, doc["survey"], fill);
  if (!responses.ok()) return responses.error();
  staged.responses = std::move(responses).value();
  staged.rows_valid = staged.responses.rows();
  return staged;
}

}  // namespace cvc
