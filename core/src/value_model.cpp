#include "cvc/value_model.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace cvc {
namespace {

constexpr std::array<std::pair<Side, std::string_view>, 2> kSideNames{{
    {Side::benefit, "benefit"},
    {Side::cost, "cost"},
}};

constexpr std::array<std::pair<Kind, std::string_view>, 13> kKindNames{{
    {Kind::functional, "functional"},
    {Kind::psychological, "psychological"},
    {Kind::social, "social"},
    {Kind::monetary, "monetary"},
    {Kind::experiential, "experiential"},
    {Kind::price, "price"},
    {Kind::onboarding, "onboarding"},
    {Kind::training, "training"},
    {Kind::support, "support"},
    {Kind::time, "time"},
    {Kind::effort, "effort"},
    {Kind::frustration, "frustration"},
    {Kind::risk, "risk"},
}};

constexpr std::array<std::pair<ScaleType, std::string_view>, 5> kScaleNames{{
    {ScaleType::likert_1_5, "1-5"},
    {ScaleType::likert_1_7, "1-7"},
    {ScaleType::likert_1_10, "1-10"},
    {ScaleType::rating_0_10, "0-10"},
    {ScaleType::currency, "currency"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::pair<Enum, std::string_view>, N>& table,
                               std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

/// Formats a number for a message: integers without decimals, others with up to 6 digits.
std::string number_text(double x) {
  if (std::isnan(x)) return "not a number";
  if (std::isinf(x)) return x > 0 ? "infinity" : "minus infinity";
  char buffer[64];
  if (std::fabs(x) < 1e15 && x == std::floor(x)) {
    std::snprintf(buffer, sizeof buffer, "%.0f", x);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.6g", x);
  }
  return buffer;
}

// Ids travel through CSV headers, JSON keys and share links: keep them plain.
bool is_valid_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool has_control_characters(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

Status check_label(const std::string& label, const std::string& field, const std::string& what) {
  if (label.empty()) return Error{field, field + ": " + what + " needs a label."};
  if (label.size() > kMaxLabelLength) {
    return Error{field, field + ": the label of " + what + " is longer than " +
                            std::to_string(kMaxLabelLength) + " bytes."};
  }
  if (has_control_characters(label)) {
    return Error{field, field + ": the label of " + what + " contains control characters."};
  }
  return Status::success();
}

Status check_id(const std::string& id, const std::string& field) {
  if (!is_valid_id(id)) {
    return Error{field, field + ": id \"" + id.substr(0, kMaxIdLength) +
                            "\" must be 1–64 characters of letters, digits, '_', '-' or '.'."};
  }
  return Status::success();
}

}  // namespace

double Scale::low() const {
  switch (type) {
    case ScaleType::likert_1_5:
    case ScaleType::likert_1_7:
    case ScaleType::likert_1_10:
      return 1;
    case ScaleType::rating_0_10:
    case ScaleType::currency:
      return 0;
  }
  return 0;
}

double Scale::high() const {
  switch (type) {
    case ScaleType::likert_1_5:
      return 5;
    case ScaleType::likert_1_7:
      return 7;
    case ScaleType::likert_1_10:
    case ScaleType::rating_0_10:
      return 10;
    case ScaleType::currency:
      return reference_amount;
  }
  return 1;
}

std::optional<std::size_t> Model::item_index(std::string_view id) const {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Model::segment_index(std::string_view id) const {
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (segments[i].id == id) return i;
  }
  return std::nullopt;
}

double Model::weight(std::size_t item, std::optional<std::size_t> segment) const {
  if (segment) {
    const auto& overrides = segments[*segment].weight_overrides;
    const auto found = overrides.find(items[item].id);
    if (found != overrides.end()) return found->second;
  }
  return items[item].weight;
}

std::string_view to_string(Side side) {
  return name_of(kSideNames, side);
}
std::string_view to_string(Kind kind) {
  return name_of(kKindNames, kind);
}
std::string_view to_string(ScaleType type) {
  return name_of(kScaleNames, type);
}
std::optional<Side> side_from_string(std::string_view text) {
  return parse_name(kSideNames, text);
}
std::optional<Kind> kind_from_string(std::string_view text) {
  return parse_name(kKindNames, text);
}
std::optional<ScaleType> scale_type_from_string(std::string_view text) {
  return parse_name(kScaleNames, text);
}

Side side_of(Kind kind) {
  switch (kind) {
    case Kind::functional:
    case Kind::psychological:
    case Kind::social:
    case Kind::monetary:
    case Kind::experiential:
      return Side::benefit;
    default:
      return Side::cost;
  }
}

std::string describe(const Scale& scale) {
  if (scale.type == ScaleType::currency) {
    return "amount scale (0 or more, reference " + number_text(scale.reference_amount) + ")";
  }
  return number_text(scale.low()) + "–" + number_text(scale.high()) + " scale";
}

Status check_weight(double weight, const std::string& field, const std::string& item_label) {
  if (!std::isfinite(weight) || weight < kMinWeight || weight > kMaxWeight) {
    return Error{field, "The weight of \"" + item_label + "\" (" + field +
                            ") must be a number from " + number_text(kMinWeight) + " to " +
                            number_text(kMaxWeight) + "; got " + number_text(weight) + "."};
  }
  return Status::success();
}

namespace {

// check_score() for a score it refuses: which check fails, and the message.
Status score_error(double score, const Item& item, const std::string& field, bool whole_numbers) {
  const auto where = [&] { return "The score for \"" + item.label + "\" (" + field + ")"; };
  if (!std::isfinite(score)) {
    return Error{field, where() + " must be a number; got " + number_text(score) + "."};
  }
  if (item.scale.type == ScaleType::currency) {
    if (score < 0 || score > kMaxAmount) {
      return Error{field, where() + " must be an amount from 0 to " + number_text(kMaxAmount) +
                              "; got " + number_text(score) + "."};
    }
    return Status::success();
  }
  if (score < item.scale.low() || score > item.scale.high()) {
    return Error{field, where() + " is outside its " + describe(item.scale) + ": got " +
                            number_text(score) + "."};
  }
  if (whole_numbers && score != std::floor(score)) {
    return Error{field, where() + " must be a whole number on its " + describe(item.scale) +
                            ": got " + number_text(score) + "."};
  }
  return Status::success();
}

}  // namespace

Status check_score(double score, const Item& item, const std::string& field, bool whole_numbers) {
  // Called for every stored answer (Responses::from_input): the usual valid one returns at
  // once, in a function small enough to stay cheap where the module is built for size.
  const Scale& scale = item.scale;
  if (scale.type == ScaleType::currency) {
    if (score >= 0 && score <= kMaxAmount) return Status::success();
  } else if (score >= scale.low() && score <= scale.high() &&
             (!whole_numbers || score == std::floor(score))) {
    return Status::success();
  }
  return score_error(score, item, field, whole_numbers);
}

Status validate(const Model& model) {
  if (model.name.size() > kMaxLabelLength || has_control_characters(model.name)) {
    return Error{"name", "name: the model name must be at most " + std::to_string(kMaxLabelLength) +
                             " bytes without control characters."};
  }
  if (model.currency.size() != 3 || !(model.currency[0] >= 'A' && model.currency[0] <= 'Z') ||
      !(model.currency[1] >= 'A' && model.currency[1] <= 'Z') ||
      !(model.currency[2] >= 'A' && model.currency[2] <= 'Z')) {
    return Error{"currency", "currency: must be a three-letter ISO 4217 code such as USD or EUR."};
  }
  if (model.items.empty()) return Error{"items", "items: the model needs at least one item."};
  if (model.items.size() > kMaxItems) {
    return Error{"items", "items: a model can have at most " + std::to_string(kMaxItems) +
                              " items; got " + std::to_string(model.items.size()) + "."};
  }
  std::set<std::string> item_ids;
  for (std::size_t i = 0; i < model.items.size(); ++i) {
    const Item& item = model.items[i];
    const std::string field = "items[" + std::to_string(i) + "]";
    if (auto s = check_id(item.id, field + ".id"); !s.ok()) return s;
    if (!item_ids.insert(item.id).second) {
      return Error{field + ".id", field + ".id: the id \"" + item.id + "\" is used twice."};
    }
    if (auto s = check_label(item.label, field + ".label", "item \"" + item.id + "\""); !s.ok()) {
      return s;
    }
    if (side_of(item.kind) != item.side) {
      return Error{field + ".kind", field + ".kind: \"" + std::string(to_string(item.kind)) +
                                        "\" is a " + std::string(to_string(side_of(item.kind))) +
                                        " kind, but \"" + item.label + "\" is a " +
                                        std::string(to_string(item.side)) + "."};
    }
    if (item.scale.type == ScaleType::currency) {
      if (!std::isfinite(item.scale.reference_amount) || item.scale.reference_amount <= 0 ||
          item.scale.reference_amount > kMaxAmount) {
        return Error{field + ".reference_amount",
                     field + ".reference_amount: \"" + item.label +
                         "\" is scored as an amount and needs a reference amount above 0 (the "
                         "amount that counts as the top of the scale in the value index)."};
      }
      if (item.reverse) {
        return Error{field + ".reverse",
                     field + ".reverse: \"" + item.label +
                         "\" is scored as an amount and cannot be reverse-coded."};
      }
    }
    if (auto s = check_weight(item.weight, field + ".weight", item.label); !s.ok()) return s;
    if (item.entered_score) {
      if (auto s = check_score(*item.entered_score, item, field + ".score", false); !s.ok()) {
        return s;
      }
    }
  }
  if (model.segments.size() > kMaxSegments) {
    return Error{"segments", "segments: a model can have at most " + std::to_string(kMaxSegments) +
                                 " segments; got " + std::to_string(model.segments.size()) + "."};
  }
  if (auto s = validate(model.business); !s.ok()) return s;
  {
    // The map's "satisfied from" must be an answer on the chosen question's scale.
    Scale axis;
    axis.type = model.business.satisfaction == SatisfactionAxis::nps
                    ? ScaleType::rating_0_10
                    : model.satisfaction.csat_scale;
    const double from = model.business.satisfied_from;
    if (from < axis.low() || from > axis.high()) {
      return Error{"business.satisfied_from",
                   "business.satisfied_from: must be an answer on the " + describe(axis) + " of " +
                       (model.business.satisfaction == SatisfactionAxis::nps ? "NPS" : "CSAT") +
                       "; got " + number_text(from) + "."};
    }
  }
  const SatisfactionSettings& sat = model.satisfaction;
  if (sat.csat_scale == ScaleType::currency || sat.csat_scale == ScaleType::rating_0_10) {
    return Error{"satisfaction.csat_scale",
                 "satisfaction.csat_scale: CSAT is asked on 1-5, 1-7 or 1-10."};
  }
  Scale csat_scale;
  csat_scale.type = sat.csat_scale;
  if (sat.csat_satisfied_from <= csat_scale.low() || sat.csat_satisfied_from > csat_scale.high()) {
    return Error{"satisfaction.csat_satisfied_from",
                 "satisfaction.csat_satisfied_from: the lowest satisfied answer must be above " +
                     number_text(csat_scale.low()) + " and at most " +
                     number_text(csat_scale.high()) + " on the " + describe(csat_scale) + "; got " +
                     std::to_string(sat.csat_satisfied_from) + "."};
  }
  if (sat.ces_agree_from < 2 || sat.ces_agree_from > 7) {
    return Error{"satisfaction.ces_agree_from",
                 "satisfaction.ces_agree_from: the lowest agreeing answer on the 1–7 CES scale "
                 "must be 2 to 7; got " +
                     std::to_string(sat.ces_agree_from) + "."};
  }
  std::set<std::string> segment_ids;
  for (std::size_t s = 0; s < model.segments.size(); ++s) {
    const Segment& segment = model.segments[s];
    const std::string field = "segments[" + std::to_string(s) + "]";
    if (auto st = check_id(segment.id, field + ".id"); !st.ok()) return st;
    if (!segment_ids.insert(segment.id).second) {
      return Error{field + ".id", field + ".id: the id \"" + segment.id + "\" is used twice."};
    }
    if (auto st = check_label(segment.label, field + ".label", "segment \"" + segment.id + "\"");
        !st.ok()) {
      return st;
    }
    if (segment.group.size() > kMaxLabelLength || has_control_characters(segment.group)) {
      return Error{field + ".group", field + ".group: must be at most " +
                                         std::to_string(kMaxLabelLength) +
                                         " bytes without control characters."};
    }
    for (const auto& [item_id, weight] : segment.weight_overrides) {
      const auto index = model.item_index(item_id);
      const std::string f = field + ".weights." + item_id;
      if (!index) return Error{f, f + ": there is no item with id \"" + item_id + "\"."};
      if (auto st = check_weight(weight, f, model.items[*index].label); !st.ok()) return st;
    }
    for (const auto& [item_id, score] : segment.entered_scores) {
      const auto index = model.item_index(item_id);
      const std::string f = field + ".scores." + item_id;
      if (!index) return Error{f, f + ": there is no item with id \"" + item_id + "\"."};
      if (auto st = check_score(score, model.items[*index], f, false); !st.ok()) return st;
    }
  }
  return Status::success();
}

double oriented_score(const Item& item, double answer) {
  return item.reverse ? item.scale.low() + item.scale.high() - answer : answer;
}

double normalised_score(const Item& item, double answer) {
  const double low = item.scale.low();
  const double range = item.scale.high() - low;
  double u = (answer - low) / range;
  if (u > 1) u = 1;  // currency amounts above the reference count as the top of the scale
  if (u < 0) u = 0;
  return item.reverse ? 1 - u : u;
}

}  // namespace cvc
