// The customer value model: what a customer gains (benefits) and what it costs them (costs),
// each item scored on a scale and weighted by importance, compared across segments.
//
//   net value   = Σ weight × score over benefit items − Σ weight × score over cost items
//   value index = 100 × (weighted mean of normalised benefit scores
//                        − weighted mean of normalised cost scores)      ∈ [−100, 100]
//
// (shared/METRICS.md, "Customer value (the core)").
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/business_settings.hpp"
#include "cvc/status.hpp"

namespace cvc {

enum class Side { benefit, cost };

/// Benefit kinds: functional, psychological, social, monetary, experiential (service quality,
/// responsiveness). Cost kinds: tangible (price and fees, onboarding and implementation,
/// training, maintenance and support) and intangible (time, effort, frustration, risk).
enum class Kind {
  functional,
  psychological,
  social,
  monetary,
  experiential,
  price,
  onboarding,
  training,
  support,
  time,
  effort,
  frustration,
  risk,
};

enum class ScaleType { likert_1_5, likert_1_7, likert_1_10, rating_0_10, currency };

/// How an item is scored. Rating scales have fixed bounds. A currency item is scored as an
/// amount (≥ 0); for the value index it is normalised against `reference_amount`, the amount
/// the user says counts as the top of the scale (amounts above it count as 1).
struct Scale {
  ScaleType type = ScaleType::likert_1_5;
  double reference_amount = 0;  // currency only; > 0

  double low() const;
  double high() const;
  bool is_rating() const { return type != ScaleType::currency; }
  bool operator==(const Scale& o) const {
    return type == o.type && reference_amount == o.reference_amount;
  }
};

/// Highest amount a currency score may have. Far above any per-customer amount, and low
/// enough that weighted sums over 200 items at weight 10 stay exactly representable.
inline constexpr double kMaxAmount = 1e12;
inline constexpr double kMinWeight = 0;
inline constexpr double kMaxWeight = 10;
/// The sensitivity analysis moves each weight by this much in each direction.
inline constexpr double kWeightStep = 1;
inline constexpr std::size_t kMaxItems = 200;
inline constexpr std::size_t kMaxSegments = 100;
inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxLabelLength = 200;

struct Item {
  std::string id;
  std::string label;
  Side side = Side::benefit;
  Kind kind = Kind::functional;
  double weight = 5;  // importance, kMinWeight..kMaxWeight
  Scale scale;
  /// Reverse-coded: a high answer means a low score (score' = low + high − answer).
  bool reverse = false;
  /// Score entered directly (a typical customer's score) for use when there is no survey data.
  std::optional<double> entered_score;

  bool operator==(const Item& o) const {
    return id == o.id && label == o.label && side == o.side && kind == o.kind &&
           weight == o.weight && scale == o.scale && reverse == o.reverse &&
           entered_score == o.entered_score;
  }
};

/// A group of customers compared with the others (SMB / Enterprise, new / advanced users).
/// `group` names the dimension ("size", "tenure") so that a respondent belongs to at most one
/// segment per group. Weight overrides say what matters to this segment; entered scores
/// override the model's entered scores for this segment.
struct Segment {
  std::string id;
  std::string label;
  std::string group;
  std::map<std::string, double> weight_overrides;  // item id → weight
  std::map<std::string, double> entered_scores;    // item id → score

  bool operator==(const Segment& o) const {
    return id == o.id && label == o.label && group == o.group &&
           weight_overrides == o.weight_overrides && entered_scores == o.entered_scores;
  }
};

/// How the satisfaction questions were asked (shared/METRICS.md, "Survey metrics"). NPS is
/// always 0–10. CSAT is reported as the share answering `csat_satisfied_from` or higher on
/// its scale (top-two-box, 4–5 on 1–5, by default). CES is CES 2.0: agreement 1–7 with "the
/// company made it easy to handle my issue", reported as the mean and as the share agreeing
/// (`ces_agree_from` or higher, 5–7 by default).
struct SatisfactionSettings {
  ScaleType csat_scale = ScaleType::likert_1_5;
  int csat_satisfied_from = 4;
  int ces_agree_from = 5;

  bool operator==(const SatisfactionSettings& o) const {
    return csat_scale == o.csat_scale && csat_satisfied_from == o.csat_satisfied_from &&
           ces_agree_from == o.ces_agree_from;
  }
};

struct Model {
  std::string name;
  std::string currency = "USD";  // ISO 4217 code, for display
  std::vector<Item> items;
  std::vector<Segment> segments;
  SatisfactionSettings satisfaction;
  BusinessSettings business;

  bool operator==(const Model& o) const {
    return name == o.name && currency == o.currency && items == o.items && segments == o.segments &&
           satisfaction == o.satisfaction && business == o.business;
  }

  std::optional<std::size_t> item_index(std::string_view id) const;
  std::optional<std::size_t> segment_index(std::string_view id) const;
  /// The weight of item `item` in segment `segment` (override or the item's own weight);
  /// segment = nullopt gives the base weights used for the overall results.
  double weight(std::size_t item, std::optional<std::size_t> segment) const;
};

std::string_view to_string(Side side);
std::string_view to_string(Kind kind);
std::string_view to_string(ScaleType type);
std::optional<Side> side_from_string(std::string_view text);
std::optional<Kind> kind_from_string(std::string_view text);
std::optional<ScaleType> scale_type_from_string(std::string_view text);
/// The side a kind belongs to (functional → benefit, price → cost, …).
Side side_of(Kind kind);
/// "1–5", "0–10", "amount (reference 5,000)": for messages.
std::string describe(const Scale& scale);

/// Checks one weight; `field` names it in the message.
Status check_weight(double weight, const std::string& field, const std::string& item_label);
/// Checks one score against an item's scale. `whole_numbers` requires integers on rating
/// scales (survey answers); entered averages may be fractional.
Status check_score(double score, const Item& item, const std::string& field, bool whole_numbers);

/// Full validation: ids unique and well-formed, labels present, kinds on the right side,
/// weights and entered scores in range, segment overrides naming existing items.
Status validate(const Model& model);

/// A score after reverse coding, in the item's own units.
double oriented_score(const Item& item, double answer);
/// A score mapped to [0, 1] by its scale (after reverse coding; currency clamped at 1).
double normalised_score(const Item& item, double answer);

}  // namespace cvc
