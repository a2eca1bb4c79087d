#include "cvc/survey_transfer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cvc/json_io.hpp"

namespace cvc {

namespace {

using nlohmann::json;

// Bumped when the arrays change meaning; a header of another format is refused.
constexpr int kPartsFormat = 1;

json parts_header(const Model& model, const Responses::PartsLayout& layout) {
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

// The survey layout a header describes (checked against `model`), for from_parts().
Expected<Responses::PartsLayout> layout_of(const Model& model, const json& header) {
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
  return layout;
}

Expected<Responses> from_parts(const Model& model, const json& header,
                               const Responses::PartFill& fill) {
  auto layout = layout_of(model, header);
  if (!layout.ok()) return layout.error();
  return Responses::from_parts(model, layout.value(), fill);
}

// ---- a survey in two parts, joined where it is adopted (PartsJoin)

json join_to_json(const PartsJoin& join) {
  json order = json::array();
  for (const auto& both : join.order) {
    json pair = json::array();
    for (const std::size_t s : both) {
      pair.push_back(s == PartsJoin::kNoPartSegment ? json(nullptr) : json(s));
    }
    order.push_back(std::move(pair));
  }
  return {{"rows", {join.parts[0].rows, join.parts[1].rows}},
          {"id_text_bytes", {join.parts[0].id_text_bytes, join.parts[1].id_text_bytes}},
          {"segments", {join.segments[0], join.segments[1]}},
          {"order", std::move(order)}};
}

bool read_pair(const json& object, const char* key, std::array<std::size_t, 2>& out) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array() || it->size() != 2) return false;
  for (std::size_t p = 0; p < 2; ++p) {
    if (!(*it)[p].is_number_unsigned()) return false;
    out[p] = (*it)[p].get<std::size_t>();
  }
  return true;
}

// The join a header describes, for `whole` (the survey's layout, checked for `model`): the
// parts' rows and id text add up to the whole's, and each part's segment columns are each
// used once.
Expected<PartsJoin> join_of(const json& doc, const Responses::PartsLayout& whole,
                            std::size_t segments) {
  const Error bad = damaged("its two parts do not make the survey.");
  const auto it = doc.find("join");
  if (it == doc.end() || !it->is_object()) return bad;
  PartsJoin join;
  std::array<std::size_t, 2> rows{}, text{};
  if (!read_pair(*it, "rows", rows) || !read_pair(*it, "id_text_bytes", text) ||
      !read_pair(*it, "segments", join.segments)) {
    return bad;
  }
  if (rows[0] > whole.rows || rows[1] != whole.rows - rows[0] || text[0] > whole.id_text_bytes ||
      text[1] != whole.id_text_bytes - text[0] || (rows[0] == 0 && text[0] != 0) ||
      (rows[1] == 0 && text[1] != 0)) {
    return bad;
  }
  const auto order = it->find("order");
  if (order == it->end() || !order->is_array() || order->size() != segments ||
      join.segments[0] > segments || join.segments[1] > segments) {
    return bad;
  }
  std::array<std::vector<bool>, 2> used{std::vector<bool>(join.segments[0]),
                                        std::vector<bool>(join.segments[1])};
  for (const json& pair : *order) {
    if (!pair.is_array() || pair.size() != 2) return bad;
    std::array<std::size_t, 2> both{};
    for (std::size_t p = 0; p < 2; ++p) {
      both[p] = PartsJoin::kNoPartSegment;
      if (pair[p].is_null()) continue;
      if (!pair[p].is_number_unsigned()) return bad;
      const auto s = pair[p].get<std::size_t>();
      if (s >= join.segments[p] || used[p][s]) return bad;
      used[p][s] = true;
      both[p] = s;
    }
    join.order.push_back(both);
  }
  for (const auto& part : used) {
    if (std::find(part.begin(), part.end(), false) != part.end()) return bad;
  }
  for (std::size_t p = 0; p < 2; ++p) {
    join.parts[p] = whole;
    join.parts[p].rows = rows[p];
    join.parts[p].id_text_bytes = text[p];
  }
  return join;
}

// The fill of the whole survey's arrays (in parts() order) from the two parts' fills: each
// array is filled in place, the first part's rows then the second's, with no copy between.
Responses::PartFill joined_fill(const Model& model, const PartsJoin& join,
                                const Responses::PartFill& first,
                                const Responses::PartFill& second) {
  std::vector<std::size_t> item_bytes;
  for (const Item& item : model.items) {
    item_bytes.push_back(item.scale.is_rating() ? 1 : sizeof(double));
  }
  return [item_bytes, join, &first, &second](std::size_t index, void* dest, std::size_t bytes) {
    const std::array<const Responses::PartFill*, 2> fills{&first, &second};
    const std::size_t items = item_bytes.size();
    const std::size_t metrics = join.parts[0].metrics ? kMetricCount : 0;
    const std::size_t segments = join.order.size();
    const std::size_t ids_at = items + metrics + segments;  // the id ends, then the id text
    std::array<std::size_t, 2> from{index, index};          // the array in each part
    std::array<std::size_t, 2> size{};                      // its bytes in each part
    std::size_t per_row = 1;
    if (index < items) {
      per_row = item_bytes[index];
    } else if (index < items + metrics) {
      per_row = 1;
    } else if (index < ids_at) {
      for (std::size_t p = 0; p < 2; ++p) from[p] = join.order[index - items - metrics][p];
      for (std::size_t p = 0; p < 2; ++p) {
        if (from[p] != PartsJoin::kNoPartSegment) from[p] += items + metrics;
      }
    } else if (join.parts[0].ids && (index == ids_at || index == ids_at + 1)) {
      for (std::size_t p = 0; p < 2; ++p)
        from[p] = items + metrics + join.segments[p] + index - ids_at;
      per_row = index == ids_at ? sizeof(std::size_t) : 0;
    } else {
      return false;
    }
    for (std::size_t p = 0; p < 2; ++p) {
      size[p] = per_row == 0 ? join.parts[p].id_text_bytes : join.parts[p].rows * per_row;
    }
    if (size[0] + size[1] != bytes) return false;
    auto* out = static_cast<unsigned char*>(dest);
    for (std::size_t p = 0; p < 2; ++p) {
      if (join.parts[p].rows == 0) continue;  // a part without rows has no arrays
      if (from[p] == PartsJoin::kNoPartSegment) {
        std::memset(out, 0, size[p]);  // no member of this segment in that part
      } else if (!(*fills[p])(from[p], out, size[p])) {
        return false;
      }
      out += size[p];
    }
    if (per_row == sizeof(std::size_t) && index == ids_at) {
      // The second part's id ends count from its own text: move them past the first's.
      auto* ends = static_cast<std::size_t*>(dest) + join.parts[0].rows;
      const std::size_t text = join.parts[1].id_text_bytes;
      const std::size_t shift = join.parts[0].id_text_bytes;
      for (std::size_t r = 0; r < join.parts[1].rows; ++r) {
        if (ends[r] > text) return false;  // damaged; and never wrapped into a valid end
        ends[r] += shift;
      }
    }
    return true;
  };
}

}  // namespace

std::string survey_parts_header(const Model& model, const Responses& responses) {
  return parts_header(model, responses.layout()).dump();
}

Expected<Responses> survey_from_parts(const Model& model, std::string_view header,
                                      const Responses::PartFill& fill) {
  auto document = parse_json(header, "survey");
  if (!document.ok()) return document.error();
  return from_parts(model, document.value(), fill);
}

namespace {

json staged_header(const StagedImport& staged, const Responses::PartsLayout& layout) {
  return {
      {"model", model_to_json(staged.model)},    {"rows_total", staged.rows_total},
      {"created_items", staged.created_items},   {"created_segments", staged.created_segments},
      {"report", staged_import_to_json(staged)}, {"survey", parts_header(staged.model, layout)}};
}

}  // namespace

std::string staged_import_header(const StagedImport& staged) {
  return staged_header(staged, staged.responses.layout()).dump();
}

std::string staged_import_header(const JoinedImport& joined) {
  const PartsJoin& join = joined.join;
  Responses::PartsLayout whole = join.parts[0];
  whole.rows = join.parts[0].rows + join.parts[1].rows;
  whole.id_text_bytes = join.parts[0].id_text_bytes + join.parts[1].id_text_bytes;
  json header = staged_header(joined.staged, whole);
  header["join"] = join_to_json(join);
  return header.dump();
}

Expected<StagedImport> staged_import_from_parts(std::string_view header,
                                                const Responses::PartFill& fill,
                                                const Responses::PartFill* later) {
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
  // In two parts (staged_import_header(JoinedImport)): both parts' arrays, joined as they are
  // filled in.
  const bool joined = doc.contains("join");
  if (joined != (later != nullptr)) {
    return Error{"import", joined
                               ? "The checked import's second part is missing; nothing was changed."
                               : "The checked import is in one part; nothing was changed."};
  }
  auto layout = layout_of(staged.model, doc["survey"]);
  if (!layout.ok()) return layout.error();
  Expected<Responses> responses = Error{"import", ""};
  if (joined) {
    auto join = join_of(doc, layout.value(), staged.model.segments.size());
    if (!join.ok()) return join.error();
    responses = Responses::from_parts(staged.model, layout.value(),
                                      joined_fill(staged.model, join.value(), fill, *later));
  } else {
    responses = Responses::from_parts(staged.model, layout.value(), fill);
  }
  if (!responses.ok()) return responses.error();
  staged.responses = std::move(responses).value();
  staged.rows_valid = staged.responses.rows();
  return staged;
}

}  // namespace cvc
