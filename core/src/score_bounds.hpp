// The answers an item's scale takes, as a quick test for the loops that check every answer
// (the survey import's rows, Responses::from_input): a value it accepts is valid at once;
// anything else still goes through check_score(), which decides and says why. Internal to
// the core.
#pragma once

#include <cmath>
#include <cstdint>

#include "cvc/value_model.hpp"

namespace cvc::detail {

/// x == std::floor(x), without the call: x86-64 before SSE4.1 has no instruction for floor.
/// Every double of magnitude 2^52 or more is whole; below that the cast is exact and defined.
inline bool is_whole(double x) {
  return std::fabs(x) < 0x1p52 ? x == static_cast<double>(static_cast<std::int64_t>(x)) : x == x;
}

/// The answers check_score(x, item, field, true) accepts for an item on `scale`: an amount from
/// 0 to kMaxAmount, or a whole number on the rating scale. A shortcut for the hot loops:
/// whatever it refuses still goes through check_score(), so it must never accept more.
struct ScoreBounds {
  double low = 0;
  double high = 0;
  bool whole = true;
  ScoreBounds() = default;
  explicit ScoreBounds(const Scale& scale)
      : low(scale.type == ScaleType::currency ? 0 : scale.low()),
        high(scale.type == ScaleType::currency ? kMaxAmount : scale.high()),
        whole(scale.type != ScaleType::currency) {}
  bool accepts(double x) const { return x >= low && x <= high && (!whole || is_whole(x)); }
  bool accepts_whole(int x) const { return x >= low && x <= high; }
};

}  // namespace cvc::detail
