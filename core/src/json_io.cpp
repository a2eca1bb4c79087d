#include "cvc/json_io.hpp"

#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

#include "cvc/customers.hpp"
#include "json_parts.hpp"

namespace cvc {
namespace detail {

using nlohmann::json;

Error wrong_type(const std::string& field, const char* expected, const json& value) {
  return Error{field, field + ": expected " + expected + ", got " + value.type_name() + "."};
}

Status check_keys(const json& object, const std::string& field,
                  std::initializer_list<const char*> allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (const char* name : allowed) known = known || it.key() == name;
    if (!known) {
      std::string list;
      for (const char* name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      const std::string where = field.empty() ? it.key() : field + "." + it.key();
      return Error{where, where + ": unknown field (known fields: " + list + ")."};
    }
  }
  return Status::success();
}

const json* member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

Status read_string(const json& object, const char* key, const std::string& field, bool required,
                   std::string& out) {
  const json* value = member(object, key);
  const std::string f = field.empty() ? key : field + "." + key;
  if (value == nullptr) {
    return required ? Status(Error{f, f + ": missing (a text value is required)."})
                    : Status::success();
  }
  if (!value->is_string()) return wrong_type(f, "text", *value);
  out = value->get_ref<const std::string&>();
  return Status::success();
}

}  // namespace detail

namespace {

using nlohmann::json;
using namespace detail;  // NOLINT: json_parts.hpp

// A SAX handler that builds the DOM like nlohmann's own, but limits nesting depth and keeps
// the parser's message (line, column, reason) instead of throwing it.
class BoundedDomBuilder {
 public:
  explicit BoundedDomBuilder(json& root) : builder_(root, false) {}

  bool null() { return builder_.null(); }
  bool boolean(bool v) { return builder_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return builder_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return builder_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return builder_.number_float(v, s);
  }
  bool string(json::string_t& v) { return builder_.string(v); }
  bool binary(json::binary_t& v) { return builder_.binary(v); }
  bool start_object(std::size_t n) { return enter() && builder_.start_object(n); }
  bool key(json::string_t& v) { return builder_.key(v); }
  bool end_object() {
    --depth_;
    return builder_.end_object();
  }
  bool start_array(std::size_t n) { return enter() && builder_.start_array(n); }
  bool end_array() {
    --depth_;
    return builder_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) {
    std::string text = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." → drop the tag.
    if (const auto close = text.find("] ");
        text.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      text = text.substr(close + 2);
    }
    message_ = text.empty() ? "syntax error at byte " + std::to_string(position) : text;
    return false;
  }

  const std::string& message() const { return message_; }
  bool too_deep() const { return too_deep_; }

 private:
  bool enter() {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> builder_;
  std::size_t depth_ = 0;
  bool too_deep_ = false;
  std::string message_;
};

// ---- reading fields, each failure naming its field ----

Status read_number(const json& value, const std::string& field, double& out) {
  if (!value.is_number()) return wrong_type(field, "a number", value);
  out = value.get<double>();
  if (!std::isfinite(out)) return Error{field, field + ": the number is too large."};
  return Status::success();
}

Status read_number_map(const json& object, const char* key, const std::string& field,
                       std::map<std::string, double>& out) {
  const json* value = member(object, key);
  if (value == nullptr) return Status::success();
  const std::string f = field + "." + key;
  if (!value->is_object()) return wrong_type(f, "an object of item id → number", *value);
  for (auto it = value->begin(); it != value->end(); ++it) {
    double number = 0;
    if (auto s = read_number(it.value(), f + "." + it.key(), number); !s.ok()) return s;
    out[it.key()] = number;
  }
  return Status::success();
}

Expected<Item> read_item(const json& node, const std::string& field) {
  if (!node.is_object()) return wrong_type(field, "an object", node);
  if (auto s = check_keys(node, field,
                          {"id", "label", "side", "kind", "weight", "scale", "reference_amount",
                           "reverse", "score"});
      !s.ok()) {
    return s.error();
  }
  Item item;
  if (auto s = read_string(node, "id", field, true, item.id); !s.ok()) return s.error();
  if (auto s = read_string(node, "label", field, true, item.label); !s.ok()) return s.error();

  std::string text;
  if (auto s = read_string(node, "side", field, true, text); !s.ok()) return s.error();
  const auto side = side_from_string(text);
  if (!side) {
    return Error{field + ".side",
                 field + ".side: must be \"benefit\" or \"cost\"; got \"" + text + "\"."};
  }
  item.side = *side;

  if (auto s = read_string(node, "kind", field, true, text); !s.ok()) return s.error();
  const auto kind = kind_from_string(text);
  if (!kind) {
    return Error{field + ".kind",
                 field + ".kind: unknown kind \"" + text +
                     "\" (benefits: functional, psychological, social, monetary, experiential; "
                     "costs: price, onboarding, training, support, time, effort, frustration, "
                     "risk)."};
  }
  item.kind = *kind;

  if (const json* weight = member(node, "weight")) {
    if (auto s = read_number(*weight, field + ".weight", item.weight); !s.ok()) return s.error();
  }

  if (auto s = read_string(node, "scale", field, true, text); !s.ok()) return s.error();
  const auto scale = scale_type_from_string(text);
  if (!scale) {
    return Error{field + ".scale", field +
                                       ".scale: must be one of \"1-5\", \"1-7\", \"1-10\", "
                                       "\"0-10\" or \"currency\"; got \"" +
                                       text + "\"."};
  }
  item.scale.type = *scale;
  if (const json* reference = member(node, "reference_amount")) {
    if (*scale != ScaleType::currency) {
      return Error{field + ".reference_amount",
                   field + ".reference_amount: only items on the \"currency\" scale have one."};
    }
    if (auto s = read_number(*reference, field + ".reference_amount", item.scale.reference_amount);
        !s.ok()) {
      return s.error();
    }
  }
  if (const json* reverse = member(node, "reverse")) {
    if (!reverse->is_boolean()) return wrong_type(field + ".reverse", "true or false", *reverse);
    item.reverse = reverse->get<bool>();
  }
  if (const json* score = member(node, "score"); score != nullptr && !score->is_null()) {
    double value = 0;
    if (auto s = read_number(*score, field + ".score", value); !s.ok()) return s.error();
    item.entered_score = value;
  }
  return item;
}

Expected<Segment> segment_from_json(const json& node, const std::string& field) {
  if (!node.is_object()) return wrong_type(field, "an object", node);
  if (auto s = check_keys(node, field, {"id", "label", "group", "weights", "scores"}); !s.ok()) {
    return s.error();
  }
  Segment segment;
  if (auto s = read_string(node, "id", field, true, segment.id); !s.ok()) return s.error();
  if (auto s = read_string(node, "label", field, true, segment.label); !s.ok()) return s.error();
  if (auto s = read_string(node, "group", field, false, segment.group); !s.ok()) return s.error();
  if (auto s = read_number_map(node, "weights", field, segment.weight_overrides); !s.ok()) {
    return s.error();
  }
  if (auto s = read_number_map(node, "scores", field, segment.entered_scores); !s.ok()) {
    return s.error();
  }
  return segment;
}

Status read_whole_number(const json& object, const char* key, const std::string& field, int& out) {
  const json* value = member(object, key);
  if (value == nullptr) return Status::success();
  const std::string f = field + "." + key;
  if (value->is_number_float()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value->get<double>());
    return Error{f, f + ": must be a whole number; got " + buffer + "."};
  }
  if (!value->is_number_integer()) return wrong_type(f, "a whole number", *value);
  const auto v = value->get<std::int64_t>();
  if (v < -1000 || v > 1000) return Error{f, f + ": out of range."};
  out = static_cast<int>(v);
  return Status::success();
}

Status satisfaction_from_json(const json& node, SatisfactionSettings& out) {
  const std::string field = "satisfaction";
  if (!node.is_object()) return wrong_type(field, "an object", node);
  if (auto s = check_keys(node, field, {"csat_scale", "csat_satisfied_from", "ces_agree_from"});
      !s.ok()) {
    return s;
  }
  std::string text;
  if (auto s = read_string(node, "csat_scale", field, false, text); !s.ok()) return s;
  if (!text.empty()) {
    const auto scale = scale_type_from_string(text);
    if (!scale) {
      return Error{field + ".csat_scale", field +
                                              ".csat_scale: must be \"1-5\", \"1-7\" or "
                                              "\"1-10\"; got \"" +
                                              text + "\"."};
    }
    out.csat_scale = *scale;
  }
  if (auto s = read_whole_number(node, "csat_satisfied_from", field, out.csat_satisfied_from);
      !s.ok()) {
    return s;
  }
  return read_whole_number(node, "ces_agree_from", field, out.ces_agree_from);
}

Status read_number_field(const json& object, const char* key, const std::string& field,
                         double& out) {
  const json* value = member(object, key);
  if (value == nullptr) return Status::success();
  return read_number(*value, field + "." + key, out);
}

Status business_from_json(const json& node, BusinessSettings& out) {
  const std::string field = "business";
  if (!node.is_object()) return wrong_type(field, "an object", node);
  if (auto s = check_keys(
          node, field,
          {"period", "default_gross_margin", "support_hourly_rate", "as_of", "satisfaction",
           "satisfied_from", "value", "valuable_from", "health", "bands"});
      !s.ok()) {
    return s;
  }
  std::string text;
  if (auto s = read_string(node, "period", field, false, text); !s.ok()) return s;
  if (!text.empty()) {
    const auto period = period_from_string(text);
    if (!period) return Error{field + ".period", field + ".period: \"month\" or \"year\"."};
    out.period = *period;
  }
  if (auto s = read_number_field(node, "default_gross_margin", field, out.default_gross_margin);
      !s.ok()) {
    return s;
  }
  if (auto s = read_number_field(node, "support_hourly_rate", field, out.support_hourly_rate);
      !s.ok()) {
    return s;
  }
  if (const json* as_of = member(node, "as_of"); as_of != nullptr && !as_of->is_null()) {
    if (!as_of->is_string()) return wrong_type(field + ".as_of", "a date (YYYY-MM-DD)", *as_of);
    const auto day = parse_date(as_of->get_ref<const std::string&>());
    if (!day) return Error{field + ".as_of", field + ".as_of: not a date (YYYY-MM-DD)."};
    out.as_of = day;
  }
  text.clear();
  if (auto s = read_string(node, "satisfaction", field, false, text); !s.ok()) return s;
  if (!text.empty()) {
    if (text != "nps" && text != "csat") {
      return Error{field + ".satisfaction", field + ".satisfaction: \"nps\" or \"csat\"."};
    }
    out.satisfaction = text == "nps" ? SatisfactionAxis::nps : SatisfactionAxis::csat;
  }
  if (auto s = read_number_field(node, "satisfied_from", field, out.satisfied_from); !s.ok()) {
    return s;
  }
  text.clear();
  if (auto s = read_string(node, "value", field, false, text); !s.ok()) return s;
  if (!text.empty()) {
    if (text != "contribution" && text != "clv") {
      return Error{field + ".value", field + ".value: \"contribution\" or \"clv\"."};
    }
    out.value = text == "clv" ? ValueMeasure::clv : ValueMeasure::contribution;
  }
  if (auto s = read_number_field(node, "valuable_from", field, out.valuable_from); !s.ok()) {
    return s;
  }
  if (const json* health = member(node, "health")) {
    if (!health->is_array()) return wrong_type(field + ".health", "a list", *health);
    if (health->size() > 12) return Error{field + ".health", field + ".health: at most 12."};
    out.health.clear();
    for (std::size_t i = 0; i < health->size(); ++i) {
      const json& h = (*health)[i];
      const std::string f = field + ".health[" + std::to_string(i) + "]";
      if (!h.is_object()) return wrong_type(f, "an object", h);
      if (auto s = check_keys(h, f, {"measure", "weight", "red_at", "green_at"}); !s.ok()) {
        return s;
      }
      HealthComponent c;
      std::string measure;
      if (auto s = read_string(h, "measure", f, true, measure); !s.ok()) return s;
      const auto m = health_measure_from_string(measure);
      if (!m) {
        return Error{f + ".measure", f + ".measure: unknown measure \"" + measure +
                                         "\" (usage, nps, csat, support_load, revenue_growth, "
                                         "payment)."};
      }
      c.measure = *m;
      if (auto s = read_number_field(h, "weight", f, c.weight); !s.ok()) return s;
      if (auto s = read_number_field(h, "red_at", f, c.red_at); !s.ok()) return s;
      if (auto s = read_number_field(h, "green_at", f, c.green_at); !s.ok()) return s;
      out.health.push_back(c);
    }
  }
  if (const json* bands = member(node, "bands")) {
    if (!bands->is_object()) return wrong_type(field + ".bands", "an object", *bands);
    if (auto s = check_keys(*bands, field + ".bands", {"red_max", "yellow_max"}); !s.ok()) return s;
    if (auto s = read_number_field(*bands, "red_max", field + ".bands", out.red_max); !s.ok()) {
      return s;
    }
    if (auto s = read_number_field(*bands, "yellow_max", field + ".bands", out.yellow_max);
        !s.ok()) {
      return s;
    }
  }
  return Status::success();
}

json settings_json(const BusinessSettings& b) {
  json health = json::array();
  for (const HealthComponent& c : b.health) {
    health.push_back({{"measure", to_string(c.measure)},
                      {"weight", c.weight},
                      {"red_at", c.red_at},
                      {"green_at", c.green_at}});
  }
  return {{"period", to_string(b.period)},
          {"default_gross_margin", b.default_gross_margin},
          {"support_hourly_rate", b.support_hourly_rate},
          {"as_of", b.as_of ? json(format_date(*b.as_of)) : json(nullptr)},
          {"satisfaction", b.satisfaction == SatisfactionAxis::nps ? "nps" : "csat"},
          {"satisfied_from", b.satisfied_from},
          {"value", b.value == ValueMeasure::clv ? "clv" : "contribution"},
          {"valuable_from", b.valuable_from},
          {"health", std::move(health)},
          {"bands", {{"red_max", b.red_max}, {"yellow_max", b.yellow_max}}}};
}

// ---- writing ----

json estimate_to_json(const MeanEstimate& e) {
  json out = {{"mean", number_or_null(e.mean)},
              {"n", e.n},
              {"sd", e.n >= 2 ? number_or_null(e.standard_deviation) : json(nullptr)}};
  if (e.ci) {
    out["ci_low"] = number_or_null(e.ci->low);
    out["ci_high"] = number_or_null(e.ci->high);
  } else {
    out["ci_low"] = nullptr;
    out["ci_high"] = nullptr;
    out["no_interval_reason"] = e.no_interval_reason;
  }
  return out;
}

json satisfaction_to_json(const SatisfactionResult& s) {
  const NpsEstimate& nps = s.nps;
  json nps_json = with_interval(
      {{"n", nps.n},
       {"promoters", nps.promoters},
       {"passives", nps.passives},
       {"detractors", nps.detractors},
       {"nps", number_or_null(nps.nps)},
       {"wald_se", nps.n > 0 ? number_or_null(nps.wald_standard_error) : json(nullptr)},
       {"interval", "adjusted-Wald"}},
      nps.ci, nps.no_data_reason);
  json csat = share_to_json(s.csat);
  csat["satisfied_from"] = s.csat_satisfied_from;
  json ces = estimate_to_json(s.ces.mean);
  ces["agreeing"] = share_to_json(s.ces.agreeing);
  ces["agree_from"] = s.ces.agree_from;
  if (s.ces.mean.n == 0) ces["mean"] = nullptr;
  if (nps.n == 0) nps_json["nps"] = nullptr;
  if (s.csat.n == 0) csat["percent"] = nullptr;
  return {{"nps", std::move(nps_json)}, {"csat", std::move(csat)}, {"ces", std::move(ces)}};
}

json view_to_json(const Model& model, const ViewResult& view) {
  json out = {{"id", view.id},
              {"label", view.label},
              {"group", view.group},
              {"source", to_string(view.source)},
              {"respondents", view.respondents},
              {"excluded_incomplete", view.excluded_incomplete},
              {"survey_rows", view.survey_rows},
              {"low_confidence", view.low_confidence},
              {"satisfaction", satisfaction_to_json(view.satisfaction)}};
  if (view.source == DataSource::none) {
    out["no_data_reason"] = view.no_data_reason;
    out["total_benefits"] = nullptr;
    out["total_costs"] = nullptr;
    out["net_value"] = nullptr;
    out["value_index"] = nullptr;
    out["items"] = json::array();
    return out;
  }
  out["total_benefits"] = number_or_null(view.total_benefits);
  out["total_costs"] = number_or_null(view.total_costs);
  out["net_value"] = estimate_to_json(view.net_value);
  out["value_index"] = estimate_to_json(view.value_index);
  json items = json::array();
  for (std::size_t j = 0; j < view.items.size(); ++j) {
    const ItemResult& r = view.items[j];
    items.push_back({{"id", model.items[j].id},
                     {"weight", number_or_null(r.weight)},
                     {"mean_score", number_or_null(r.mean_score)},
                     {"mean_normalised", number_or_null(r.mean_normalised)},
                     {"contribution", number_or_null(r.contribution)}});
  }
  out["items"] = std::move(items);
  return out;
}

}  // namespace

Expected<json> parse_json(std::string_view text, const std::string& what) {
  if (text.empty()) return Error{what, what + ": the text is empty."};
  json root;
  BoundedDomBuilder builder(root);
  const bool ok = json::sax_parse(text.begin(), text.end(), &builder);
  if (builder.too_deep()) {
    return Error{what, what + ": nested more than " + std::to_string(kMaxJsonDepth) +
                           " levels deep; this is not a document the calculator wrote."};
  }
  if (!ok) return Error{what, what + " is not valid JSON: " + builder.message()};
  return root;
}

Expected<Model> model_from_json(const json& document) {
  if (!document.is_object()) return wrong_type("model", "a JSON object", document);
  const json* schema = member(document, "schema");
  if (schema == nullptr || !schema->is_string() ||
      schema->get_ref<const std::string&>() != kModelSchemaName) {
    return Error{"schema", "schema: this is not a customer value model (expected \"schema\": \"" +
                               std::string(kModelSchemaName) + "\")."};
  }
  const json* version = member(document, "version");
  if (version == nullptr || !version->is_number_integer()) {
    return Error{"version", "version: missing or not a whole number (this page reads version " +
                                std::to_string(kModelSchemaVersion) + ")."};
  }
  const auto v = version->get<std::int64_t>();
  if (v > kModelSchemaVersion) {
    return Error{"version", "version: the model was saved by a newer calculator (schema version " +
                                std::to_string(v) + "); this page reads up to version " +
                                std::to_string(kModelSchemaVersion) + "."};
  }
  if (v < 1) return Error{"version", "version: must be 1 or more; got " + std::to_string(v) + "."};
  if (auto s = check_keys(document, "",
                          {"schema", "version", "name", "currency", "items", "segments",
                           "satisfaction", "business"});
      !s.ok()) {
    return s.error();
  }

  Model model;
  if (auto s = read_string(document, "name", "", false, model.name); !s.ok()) return s.error();
  if (auto s = read_string(document, "currency", "", false, model.currency); !s.ok()) {
    return s.error();
  }
  const json* items = member(document, "items");
  if (items == nullptr) return Error{"items", "items: missing (the model needs a list of items)."};
  if (!items->is_array()) return wrong_type("items", "a list", *items);
  if (items->size() > kMaxItems) {
    return Error{"items", "items: a model can have at most " + std::to_string(kMaxItems) +
                              " items; got " + std::to_string(items->size()) + "."};
  }
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto item = read_item((*items)[i], "items[" + std::to_string(i) + "]");
    if (!item.ok()) return item.error();
    model.items.push_back(std::move(item).value());
  }
  if (const json* segments = member(document, "segments")) {
    if (!segments->is_array()) return wrong_type("segments", "a list", *segments);
    if (segments->size() > kMaxSegments) {
      return Error{"segments", "segments: a model can have at most " +
                                   std::to_string(kMaxSegments) + " segments; got " +
                                   std::to_string(segments->size()) + "."};
    }
    for (std::size_t s = 0; s < segments->size(); ++s) {
      auto segment = segment_from_json((*segments)[s], "segments[" + std::to_string(s) + "]");
      if (!segment.ok()) return segment.error();
      model.segments.push_back(std::move(segment).value());
    }
  }
  if (const json* sat = member(document, "satisfaction")) {
    if (auto s = satisfaction_from_json(*sat, model.satisfaction); !s.ok()) return s.error();
  }
  if (const json* business = member(document, "business")) {
    if (auto s = business_from_json(*business, model.business); !s.ok()) return s.error();
  }
  if (auto s = validate(model); !s.ok()) return s.error();
  return model;
}

Expected<Item> item_from_json(const json& node, const std::string& field) {
  return read_item(node, field);
}

Expected<SatisfactionSettings> satisfaction_settings_from_json(const json& node) {
  SatisfactionSettings settings;
  if (auto s = satisfaction_from_json(node, settings); !s.ok()) return s.error();
  return settings;
}

json satisfaction_settings_to_json(const SatisfactionSettings& s) {
  return {{"csat_scale", to_string(s.csat_scale)},
          {"csat_satisfied_from", s.csat_satisfied_from},
          {"ces_agree_from", s.ces_agree_from}};
}

Expected<BusinessSettings> business_settings_from_json(const json& node) {
  BusinessSettings settings;
  if (auto s = business_from_json(node, settings); !s.ok()) return s.error();
  if (auto s = validate(settings); !s.ok()) return s.error();
  return settings;
}

json business_settings_to_json(const BusinessSettings& settings) {
  return settings_json(settings);
}

Expected<Model> load_model(std::string_view text) {
  auto document = parse_json(text, "model JSON");
  if (!document.ok()) return document.error();
  return model_from_json(document.value());
}

json item_to_json(const Item& item) {
  json node = {{"id", item.id},
               {"label", item.label},
               {"side", to_string(item.side)},
               {"kind", to_string(item.kind)},
               {"weight", item.weight},
               {"scale", to_string(item.scale.type)}};
  if (item.scale.type == ScaleType::currency)
    node["reference_amount"] = item.scale.reference_amount;
  if (item.reverse) node["reverse"] = true;
  if (item.entered_score) node["score"] = *item.entered_score;
  return node;
}

json model_to_json(const Model& model) {
  json items = json::array();
  for (const Item& item : model.items) items.push_back(item_to_json(item));
  json segments = json::array();
  for (const Segment& segment : model.segments) {
    json node = {{"id", segment.id}, {"label", segment.label}};
    if (!segment.group.empty()) node["group"] = segment.group;
    if (!segment.weight_overrides.empty()) node["weights"] = segment.weight_overrides;
    if (!segment.entered_scores.empty()) node["scores"] = segment.entered_scores;
    segments.push_back(std::move(node));
  }
  return {{"schema", kModelSchemaName},
          {"version", kModelSchemaVersion},
          {"name", model.name},
          {"currency", model.currency},
          {"items", std::move(items)},
          {"segments", std::move(segments)},
          {"satisfaction", satisfaction_settings_to_json(model.satisfaction)},
          {"business", settings_json(model.business)}};
}

std::string save_model(const Model& model) {
  return model_to_json(model).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

json results_to_json(const Model& model, const ValueResults& results, std::size_t survey_rows) {
  json segments = json::array();
  for (const ViewResult& view : results.segments) segments.push_back(view_to_json(model, view));
  json sensitivity = json::array();
  for (const SensitivityEntry& e : results.sensitivity) {
    const Item& item = model.items[e.item];
    sensitivity.push_back({{"item_id", item.id},
                           {"label", item.label},
                           {"side", to_string(item.side)},
                           {"weight", e.weight},
                           {"weight_low", e.weight_low},
                           {"weight_high", e.weight_high},
                           {"net_value_low", number_or_null(e.net_value_low)},
                           {"net_value_high", number_or_null(e.net_value_high)},
                           {"value_index_low", number_or_null(e.value_index_low)},
                           {"value_index_high", number_or_null(e.value_index_high)},
                           {"net_value_swing", number_or_null(e.net_value_swing)},
                           {"value_index_swing", number_or_null(e.value_index_swing)}});
  }
  // Net value adds weighted scores as they are: in money when every item is an amount, in
  // scale points when every item is a rating, and in mixed units otherwise (then only the
  // value index compares fairly).
  bool any_currency = false;
  bool any_rating = false;
  for (const Item& item : model.items) {
    (item.scale.type == ScaleType::currency ? any_currency : any_rating) = true;
  }
  const char* unit = any_currency ? (any_rating ? "mixed" : "currency") : "points";
  return {{"source", to_string(results.overall.source)},
          {"net_value_unit", unit},
          {"currency", model.currency},
          {"survey_rows", survey_rows},
          {"weight_step", kWeightStep},
          {"overall", view_to_json(model, results.overall)},
          {"segments", std::move(segments)},
          {"sensitivity", std::move(sensitivity)},
          {"net_value_histogram",
           {{"start", number_or_null(results.net_value_histogram.start)},
            {"bin_width", number_or_null(results.net_value_histogram.bin_width)},
            {"counts", results.net_value_histogram.counts}}}};
}

std::string dump_compact(const json& document) {
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace cvc
