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

void put(json& object, const char* key, const char* value) {
  object[key] = value;
}
void put(json& object, const char* key, json&& value) {
  object[key] = std::move(value);
}
void put_number(json& object, const char* key, double x) {
  object[key] = number_or_null(x);
}
void put_number(json& object, const char* key, const std::optional<double>& x) {
  object[key] = optional_number(x);
}

json outcome_to_json(const Outcome& o) {
  json out = json::object();
  put_number(out, "value", o.value);
  if (!o.value) put(out, "reason", o.undefined_reason);
  return out;
}

void put_interval(json& out, const std::optional<Interval>& ci, const std::string& reason) {
  put_number(out, "ci_low", ci ? std::optional<double>(ci->low) : std::nullopt);
  put_number(out, "ci_high", ci ? std::optional<double>(ci->high) : std::nullopt);
  if (!ci) put(out, "no_data_reason", reason);
}

json share_to_json(const ShareEstimate& e) {
  json out = json::object();
  put(out, "n", e.n);
  put(out, "count", e.count);
  put_number(out, "percent", e.n > 0 ? std::optional<double>(e.percent) : std::nullopt);
  put_interval(out, e.ci, e.no_data_reason);
  return out;
}

json segment_to_json(const std::string& id, const std::string& label, const std::string& group) {
  json out = json::object();
  put(out, "id", id);
  put(out, "label", label);
  put(out, "group", group);
  return out;
}

json problems_to_json(const std::vector<ImportProblem>& problems) {
  json out = json::array();
  for (const ImportProblem& p : problems) {
    json problem = json::object();
    put(problem, "row", p.row);
    put(problem, "column", p.column);
    put(problem, "header", p.header);
    put(problem, "value", p.value);
    put(problem, "reason", p.reason);
    out.push_back(std::move(problem));
  }
  return out;
}

json mrr_movements_to_json(const MrrMovements& m) {
  json out = json::object();
  put(out, "mrr_start", m.mrr_start);
  put(out, "mrr_end", m.mrr_end);
  put(out, "new", m.new_mrr);
  put(out, "expansion", m.expansion);
  put(out, "contraction", m.contraction);
  put(out, "churn", m.churned);
  put(out, "reactivation", m.reactivation);
  put(out, "net_new", m.net_new);
  put(out, "customers_new", m.customers_new);
  put(out, "customers_churned", m.customers_churned);
  put(out, "customers_reactivated", m.customers_reactivated);
  put(out, "nrr", outcome_to_json(m.nrr));
  put(out, "grr", outcome_to_json(m.grr));
  put(out, "quick_ratio", outcome_to_json(m.quick_ratio));
  return out;
}

json profile_to_json(const ColumnProfile& p) {
  json out = json::object();
  put(out, "numeric", p.numeric);
  put(out, "blank", p.blank);
  put(out, "text", p.text);
  put_number(out, "min", p.numeric > 0 ? std::optional<double>(p.min) : std::nullopt);
  put_number(out, "max", p.numeric > 0 ? std::optional<double>(p.max) : std::nullopt);
  put(out, "whole_numbers", p.numeric > 0 && p.whole_numbers);
  put(out, "distinct",
      p.distinct.size() > kMaxSegmentValues ? json(nullptr) : json(p.distinct.size()));
  put(out, "examples", p.examples);
  return out;
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
    json component = json::object();
    put(component, "measure", to_string(c.measure));
    put(component, "weight", c.weight);
    put(component, "red_at", c.red_at);
    put(component, "green_at", c.green_at);
    health.push_back(std::move(component));
  }
  json bands = json::object();
  put(bands, "red_max", b.red_max);
  put(bands, "yellow_max", b.yellow_max);
  json out = json::object();
  put(out, "period", to_string(b.period));
  put(out, "default_gross_margin", b.default_gross_margin);
  put(out, "support_hourly_rate", b.support_hourly_rate);
  put(out, "as_of", b.as_of ? json(format_date(*b.as_of)) : json(nullptr));
  put(out, "satisfaction", b.satisfaction == SatisfactionAxis::nps ? "nps" : "csat");
  put(out, "satisfied_from", b.satisfied_from);
  put(out, "value", b.value == ValueMeasure::clv ? "clv" : "contribution");
  put(out, "valuable_from", b.valuable_from);
  put(out, "health", std::move(health));
  put(out, "bands", std::move(bands));
  return out;
}

// ---- writing ----

json estimate_to_json(const MeanEstimate& e) {
  json out = json::object();
  put_number(out, "mean", e.mean);
  put(out, "n", e.n);
  put_number(out, "sd", e.n >= 2 ? std::optional<double>(e.standard_deviation) : std::nullopt);
  put_number(out, "ci_low", e.ci ? std::optional<double>(e.ci->low) : std::nullopt);
  put_number(out, "ci_high", e.ci ? std::optional<double>(e.ci->high) : std::nullopt);
  if (!e.ci) put(out, "no_interval_reason", e.no_interval_reason);
  return out;
}

json satisfaction_to_json(const SatisfactionResult& s) {
  const NpsEstimate& nps = s.nps;
  json nps_json = json::object();
  put(nps_json, "n", nps.n);
  put(nps_json, "promoters", nps.promoters);
  put(nps_json, "passives", nps.passives);
  put(nps_json, "detractors", nps.detractors);
  put_number(nps_json, "nps", nps.n > 0 ? std::optional<double>(nps.nps) : std::nullopt);
  put_number(nps_json, "wald_se",
             nps.n > 0 ? std::optional<double>(nps.wald_standard_error) : std::nullopt);
  put(nps_json, "interval", "adjusted-Wald");
  put_interval(nps_json, nps.ci, nps.no_data_reason);
  json csat = share_to_json(s.csat);
  put(csat, "satisfied_from", s.csat_satisfied_from);
  json ces = estimate_to_json(s.ces.mean);
  put(ces, "agreeing", share_to_json(s.ces.agreeing));
  put(ces, "agree_from", s.ces.agree_from);
  if (s.ces.mean.n == 0) put(ces, "mean", json(nullptr));
  json out = json::object();
  put(out, "nps", std::move(nps_json));
  put(out, "csat", std::move(csat));
  put(out, "ces", std::move(ces));
  return out;
}

json view_to_json(const Model& model, const ViewResult& view) {
  json out = json::object();
  put(out, "id", view.id);
  put(out, "label", view.label);
  put(out, "group", view.group);
  put(out, "source", to_string(view.source));
  put(out, "respondents", view.respondents);
  put(out, "excluded_incomplete", view.excluded_incomplete);
  put(out, "survey_rows", view.survey_rows);
  put(out, "low_confidence", view.low_confidence);
  put(out, "satisfaction", satisfaction_to_json(view.satisfaction));
  if (view.source == DataSource::none) {
    put(out, "no_data_reason", view.no_data_reason);
    put(out, "total_benefits", json(nullptr));
    put(out, "total_costs", json(nullptr));
    put(out, "net_value", json(nullptr));
    put(out, "value_index", json(nullptr));
    put(out, "items", json::array());
    return out;
  }
  put_number(out, "total_benefits", view.total_benefits);
  put_number(out, "total_costs", view.total_costs);
  put(out, "net_value", estimate_to_json(view.net_value));
  put(out, "value_index", estimate_to_json(view.value_index));
  json items = json::array();
  for (std::size_t j = 0; j < view.items.size(); ++j) {
    const ItemResult& r = view.items[j];
    json item = json::object();
    put(item, "id", model.items[j].id);
    put_number(item, "weight", r.weight);
    put_number(item, "mean_score", r.mean_score);
    put_number(item, "mean_normalised", r.mean_normalised);
    put_number(item, "contribution", r.contribution);
    items.push_back(std::move(item));
  }
  put(out, "items", std::move(items));
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
  json out = json::object();
  put(out, "csat_scale", to_string(s.csat_scale));
  put(out, "csat_satisfied_from", s.csat_satisfied_from);
  put(out, "ces_agree_from", s.ces_agree_from);
  return out;
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
  json node = json::object();
  put(node, "id", item.id);
  put(node, "label", item.label);
  put(node, "side", to_string(item.side));
  put(node, "kind", to_string(item.kind));
  put(node, "weight", item.weight);
  put(node, "scale", to_string(item.scale.type));
  if (item.scale.type == ScaleType::currency) {
    put(node, "reference_amount", item.scale.reference_amount);
  }
  if (item.reverse) put(node, "reverse", true);
  if (item.entered_score) put(node, "score", *item.entered_score);
  return node;
}

json model_to_json(const Model& model) {
  json items = json::array();
  for (const Item& item : model.items) items.push_back(item_to_json(item));
  json segments = json::array();
  for (const Segment& segment : model.segments) {
    json node = json::object();
    put(node, "id", segment.id);
    put(node, "label", segment.label);
    if (!segment.group.empty()) put(node, "group", segment.group);
    if (!segment.weight_overrides.empty()) put(node, "weights", segment.weight_overrides);
    if (!segment.entered_scores.empty()) put(node, "scores", segment.entered_scores);
    segments.push_back(std::move(node));
  }
  json out = json::object();
  put(out, "schema", kModelSchemaName);
  put(out, "version", kModelSchemaVersion);
  put(out, "name", model.name);
  put(out, "currency", model.currency);
  put(out, "items", std::move(items));
  put(out, "segments", std::move(segments));
  put(out, "satisfaction", satisfaction_settings_to_json(model.satisfaction));
  put(out, "business", settings_json(model.business));
  return out;
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
    json entry = json::object();
    put(entry, "item_id", item.id);
    put(entry, "label", item.label);
    put(entry, "side", to_string(item.side));
    put(entry, "weight", e.weight);
    put(entry, "weight_low", e.weight_low);
    put(entry, "weight_high", e.weight_high);
    put_number(entry, "net_value_low", e.net_value_low);
    put_number(entry, "net_value_high", e.net_value_high);
    put_number(entry, "value_index_low", e.value_index_low);
    put_number(entry, "value_index_high", e.value_index_high);
    put_number(entry, "net_value_swing", e.net_value_swing);
    put_number(entry, "value_index_swing", e.value_index_swing);
    sensitivity.push_back(std::move(entry));
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
  json histogram = json::object();
  put_number(histogram, "start", results.net_value_histogram.start);
  put_number(histogram, "bin_width", results.net_value_histogram.bin_width);
  put(histogram, "counts", results.net_value_histogram.counts);
  json out = json::object();
  put(out, "source", to_string(results.overall.source));
  put(out, "net_value_unit", unit);
  put(out, "currency", model.currency);
  put(out, "survey_rows", survey_rows);
  put(out, "weight_step", kWeightStep);
  put(out, "overall", view_to_json(model, results.overall));
  put(out, "segments", std::move(segments));
  put(out, "sensitivity", std::move(sensitivity));
  put(out, "net_value_histogram", std::move(histogram));
  return out;
}

std::string dump_compact(const json& document) {
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace cvc
