// Sufficient statistics (see survey_stats.hpp for the design and its accuracy) and the net
// value kernel. The inner loops are written for the auto-vectoriser (contiguous arrays, fixed
// strides, no branches, integer accumulators where the data are whole numbers), except the two
// it did not do well for wasm: the cross products (dot, dot4) and the histogram's table lookups
// (sum_steps), written with SIMD intrinsics and a plain C++ fallback.
#include "cvc/survey_stats.hpp"

#include <cmath>
#include <limits>
#include <optional>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#endif

#include "cvc/stats.hpp"
#include "cvc/summation.hpp"

namespace cvc {
namespace {

__extension__ typedef __int128 Int128;  // exact co-moments (GCC and clang, also for wasm32)

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr std::size_t kPad = 32;  // gathered columns are zero-padded to a multiple of this

std::size_t packed_index(std::size_t j, std::size_t k, std::size_t n) {
  return j * n - j * (j - 1) / 2 + (k - j);  // j ≤ k, row-major upper triangle
}

// Σ x[i]·y[i] over n (a multiple of kPad) answers widened to 16 bits, for one column y or for
// four at once (each chunk of x then loaded once for four products; the accumulators are
// named, not an array, so that they stay in registers). With SIMD one i32x4.dot_i16x8_s
// (pmaddwd natively) per 8 products: clang 14's auto-vectoriser widens and multiplies in
// several steps instead for wasm. Exact in 32 bits: answers are at most 255 and a lane adds
// 2 × 256 products per block of 2048 rows (< 2^25).
#if defined(__wasm_simd128__)
using Lanes = v128_t;
Lanes zero_lanes() {
  return wasm_i32x4_splat(0);
}
Lanes load_lanes(const std::int16_t* p) {
  return wasm_v128_load(p);
}
Lanes add_dot(Lanes acc, Lanes a, Lanes b) {
  return wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(a, b));
}
std::int32_t lane_sum(Lanes v) {
  return wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1) +
         wasm_i32x4_extract_lane(v, 2) + wasm_i32x4_extract_lane(v, 3);
}
#elif defined(__x86_64__) && defined(__GNUC__)
using Lanes = __m128i;
Lanes zero_lanes() {
  return _mm_setzero_si128();
}
Lanes load_lanes(const std::int16_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
Lanes add_dot(Lanes acc, Lanes a, Lanes b) {
  return _mm_add_epi32(acc, _mm_madd_epi16(a, b));
}
std::int32_t lane_sum(Lanes v) {
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0x4E));  // + the upper half
  v = _mm_add_epi32(v, _mm_shuffle_epi32(v, 0xB1));  // + the neighbour
  return _mm_cvtsi128_si32(v);
}
#endif

std::int32_t dot(const std::int16_t* x, const std::int16_t* y, std::size_t n) {
#if defined(__wasm_simd128__) || (defined(__x86_64__) && defined(__GNUC__))
  Lanes acc = zero_lanes();
  for (std::size_t i = 0; i < n; i += 8) acc = add_dot(acc, load_lanes(x + i), load_lanes(y + i));
  return lane_sum(acc);
#else
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += x[i] * y[i];
  return sum;
#endif
}

void dot4(const std::int16_t* x, const std::int16_t* y0, const std::int16_t* y1,
          const std::int16_t* y2, const std::int16_t* y3, std::size_t n, std::int32_t* out) {
#if defined(__wasm_simd128__) || (defined(__x86_64__) && defined(__GNUC__))
  Lanes acc0 = zero_lanes();
  Lanes acc1 = zero_lanes();
  Lanes acc2 = zero_lanes();
  Lanes acc3 = zero_lanes();
  for (std::size_t i = 0; i < n; i += 8) {
    const Lanes a = load_lanes(x + i);
    acc0 = add_dot(acc0, a, load_lanes(y0 + i));
    acc1 = add_dot(acc1, a, load_lanes(y1 + i));
    acc2 = add_dot(acc2, a, load_lanes(y2 + i));
    acc3 = add_dot(acc3, a, load_lanes(y3 + i));
  }
  out[0] = lane_sum(acc0);
  out[1] = lane_sum(acc1);
  out[2] = lane_sum(acc2);
  out[3] = lane_sum(acc3);
#else
  out[0] = dot(x, y0, n);
  out[1] = dot(x, y1, n);
  out[2] = dot(x, y2, n);
  out[3] = dot(x, y3, n);
#endif
}

std::int32_t total(const std::int16_t* a, std::size_t n) {
  std::int32_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += a[i];
  return sum;
}

// Per-item facts the statistics need.
struct ItemShape {
  bool rating = true;
  bool reverse = false;
  double low = 0;
  double high = 0;
  std::size_t rating_index = kNone;  // position among the rating items
  std::size_t amount_index = kNone;  // position among the amount items
};

struct ViewAccumulator {
  std::size_t survey_rows = 0;
  std::size_t complete = 0;
  // Rating items: exact integer sums and cross products (packed upper triangle).
  std::vector<std::uint64_t> sum;
  std::vector<std::uint64_t> cross;
  // With amount items: running means and co-moments of every variable (Chan et al.), and
  // Neumaier sums of the amount items' scores in row order.
  std::vector<double> mean;
  std::vector<double> comoment;
  std::vector<NeumaierSum> amount_score;
  std::vector<NeumaierSum> amount_normalised;
  std::array<std::array<std::size_t, 256>, kMetricCount> metric_counts{};
};

}  // namespace

struct SurveyStatsBuilder::State {
  std::vector<Item> items;
  std::vector<ItemShape> shape;
  std::vector<std::size_t> rating_items;  // item index of each rating item
  std::vector<std::size_t> amount_items;
  std::size_t variables = 0;
  std::size_t rows = 0;
  std::vector<ViewAccumulator> views;  // 0: all respondents; 1 + s: segment s
  // Scratch for one block.
  std::vector<std::uint32_t> members;   // rows of the block in the view
  std::vector<std::uint32_t> complete;  // of those, the complete ones
  std::vector<std::uint8_t> mask;       // per row of the block: 0xFF when complete and in view
  std::vector<std::int16_t> gathered;   // rating items × kStatsBlockRows
  std::vector<double> values;           // variables × kStatsBlockRows (with amount items)
  std::vector<double> block_mean;
  std::vector<double> block_comoment;

  void add_view(ViewAccumulator& view, const SurveyBlock& block, const std::uint8_t* member);
  // Empty views up to `count`.
  void add_views(std::size_t count) {
    const std::size_t r = rating_items.size();
    while (views.size() < count) {
      ViewAccumulator& view = views.emplace_back();
      view.sum.assign(r, 0);
      view.cross.assign(r * (r + 1) / 2, 0);
      if (!amount_items.empty()) {
        view.mean.assign(variables, 0.0);
        view.comoment.assign(variables * (variables + 1) / 2, 0.0);
        view.amount_score.resize(amount_items.size());
        view.amount_normalised.resize(amount_items.size());
      }
    }
  }
  void add_floats(ViewAccumulator& view, const SurveyBlock& block, std::size_t n);
};

SurveyStatsBuilder::SurveyStatsBuilder(const Model& model) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.items = model.items;
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    const Item& item = model.items[j];
    ItemShape shape;
    shape.rating = item.scale.is_rating();
    shape.reverse = item.reverse;
    shape.low = item.scale.low();
    shape.high = item.scale.high();
    if (shape.rating) {
      shape.rating_index = s.rating_items.size();
      s.rating_items.push_back(j);
    } else {
      shape.amount_index = s.amount_items.size();
      s.amount_items.push_back(j);
    }
    s.shape.push_back(shape);
  }
  s.variables = model.items.size() + s.amount_items.size();
  const std::size_t r = s.rating_items.size();
  s.add_views(1 + model.segments.size());
  s.members.resize(kStatsBlockRows);
  s.complete.resize(kStatsBlockRows);
  s.mask.resize(kStatsBlockRows);
  s.gathered.assign(r * kStatsBlockRows, 0);
  if (!s.amount_items.empty()) {
    s.values.assign(s.variables * kStatsBlockRows, 0.0);
    s.block_mean.assign(s.variables, 0.0);
    s.block_comoment.assign(s.variables * (s.variables + 1) / 2, 0.0);
  }
}

SurveyStatsBuilder::~SurveyStatsBuilder() = default;

void SurveyStatsBuilder::add(const SurveyBlock& block) {
  State& s = *state_;
  s.rows += block.rows;
  s.add_view(s.views[0], block, nullptr);
  s.add_views(1 + block.membership.size());
  for (std::size_t seg = 0; seg < block.membership.size(); ++seg) {
    s.add_view(s.views[seg + 1], block, block.membership[seg]);
  }
}

void SurveyStatsBuilder::order_segments(const std::vector<std::size_t>& order) {
  State& s = *state_;
  s.add_views(1 + std::max(order.size(), s.views.size() - 1));
  std::vector<ViewAccumulator> old = std::move(s.views);
  s.views.clear();
  s.views.push_back(std::move(old[0]));
  for (const std::size_t seg : order) s.views.push_back(std::move(old[1 + seg]));
}

void SurveyStatsBuilder::State::add_view(ViewAccumulator& view, const SurveyBlock& block,
                                         const std::uint8_t* member) {
  // The view's rows, and its complete rows, as index lists (branch-free compaction), and
  // the complete rows as a mask (0xFF or 0).
  std::size_t in_view = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < block.rows; ++i) {
    const std::uint32_t m = member != nullptr ? member[i] : 1u;
    members[in_view] = static_cast<std::uint32_t>(i);
    in_view += m;
    complete[n] = static_cast<std::uint32_t>(i);
    const std::uint32_t use = m & block.complete[i];
    n += use;
    mask[i] = static_cast<std::uint8_t>(0u - use);
  }
  view.survey_rows += in_view;
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const std::uint8_t* answers = block.metrics[m];
    if (answers == nullptr) continue;
    auto& counts = view.metric_counts[m];
    for (std::size_t k = 0; k < in_view; ++k) ++counts[answers[members[k]]];
  }
  if (n == 0) return;

  // Rating items: the complete rows' answers widened to 16 bits, zero-padded, then exact sums
  // and the upper triangle of cross products. When most of the block is in the view, the
  // other rows are masked to 0 (contiguous, vectorised) rather than the view's gathered.
  const std::size_t r = rating_items.size();
  const bool dense = 2 * n >= block.rows;
  const std::size_t used = dense ? block.rows : n;
  const std::size_t padded = (used + kPad - 1) / kPad * kPad;
  for (std::size_t a = 0; a < r; ++a) {
    const std::uint8_t* column = block.ratings[rating_items[a]];
    std::int16_t* out = gathered.data() + a * kStatsBlockRows;
    if (dense) {
      for (std::size_t k = 0; k < used; ++k) out[k] = column[k] & mask[k];
    } else {
      for (std::size_t k = 0; k < used; ++k) out[k] = column[complete[k]];
    }
    for (std::size_t k = used; k < padded; ++k) out[k] = 0;
  }
  const auto column_of = [&](std::size_t a) { return gathered.data() + a * kStatsBlockRows; };
  for (std::size_t a = 0; a < r; ++a) {
    const std::int16_t* x = column_of(a);
    view.sum[a] += static_cast<std::uint64_t>(total(x, padded));
    std::uint64_t* row = view.cross.data() + packed_index(a, a, r);
    std::int32_t products[4];
    std::size_t b = a;
    for (; b + 4 <= r; b += 4) {
      dot4(x, column_of(b), column_of(b + 1), column_of(b + 2), column_of(b + 3), padded, products);
      for (std::size_t k = 0; k < 4; ++k) row[b + k - a] += static_cast<std::uint64_t>(products[k]);
    }
    for (; b < r; ++b) row[b - a] += static_cast<std::uint64_t>(dot(x, column_of(b), padded));
  }
  if (!amount_items.empty()) add_floats(view, block, n);
  view.complete += n;
}

// With amount items: every variable as doubles, the block's means and centred co-moments,
// merged into the running ones (Chan, Golub & LeVeque 1979: M = M_a + M_b + δδᵀ·n_a·n_b/n).
void SurveyStatsBuilder::State::add_floats(ViewAccumulator& view, const SurveyBlock& block,
                                           std::size_t n) {
  const std::size_t p = items.size();
  const std::size_t q = variables;
  for (std::size_t j = 0; j < p; ++j) {
    double* out = values.data() + j * kStatsBlockRows;
    const ItemShape& shape = this->shape[j];
    if (shape.rating) {
      const std::uint8_t* column = block.ratings[j];
      for (std::size_t k = 0; k < n; ++k) out[k] = column[complete[k]];
      continue;
    }
    const double* column = block.amounts[j];
    double* normalised = values.data() + (p + shape.amount_index) * kStatsBlockRows;
    NeumaierSum& score_sum = view.amount_score[shape.amount_index];
    NeumaierSum& normalised_sum = view.amount_normalised[shape.amount_index];
    for (std::size_t k = 0; k < n; ++k) {
      const double answer = column[complete[k]];
      out[k] = answer;
      normalised[k] = normalised_score(items[j], answer);
      score_sum.add(oriented_score(items[j], answer));
      normalised_sum.add(normalised[k]);
    }
  }
  const double nb = static_cast<double>(n);
  for (std::size_t v = 0; v < q; ++v) {
    const double* x = values.data() + v * kStatsBlockRows;
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) sum += x[k];
    block_mean[v] = sum / nb;
  }
  // Pairs of two rating variables are kept exactly in integers instead.
  const auto is_rating_variable = [&](std::size_t v) { return v < p && shape[v].rating; };
  for (std::size_t v = 0; v < q; ++v) {
    const double* x = values.data() + v * kStatsBlockRows;
    for (std::size_t w = v; w < q; ++w) {
      if (is_rating_variable(v) && is_rating_variable(w)) continue;
      const double* y = values.data() + w * kStatsBlockRows;
      double sum = 0;
      for (std::size_t k = 0; k < n; ++k) sum += (x[k] - block_mean[v]) * (y[k] - block_mean[w]);
      block_comoment[packed_index(v, w, q)] = sum;
    }
  }
  const double na = static_cast<double>(view.complete);
  const double total_n = na + nb;
  for (std::size_t v = 0; v < q; ++v) {
    const double dv = block_mean[v] - view.mean[v];
    for (std::size_t w = v; w < q; ++w) {
      if (is_rating_variable(v) && is_rating_variable(w)) continue;
      const double dw = block_mean[w] - view.mean[w];
      view.comoment[packed_index(v, w, q)] +=
          block_comoment[packed_index(v, w, q)] + dv * dw * (na * nb / total_n);
    }
  }
  for (std::size_t v = 0; v < q; ++v) {
    view.mean[v] += (block_mean[v] - view.mean[v]) * (nb / total_n);
  }
}

SurveyStats SurveyStatsBuilder::finish() {
  State& s = *state_;
  SurveyStats stats;
  stats.rows = s.rows;
  stats.variables = s.variables;
  const std::size_t p = s.items.size();
  const std::size_t q = s.variables;
  const std::size_t r = s.rating_items.size();
  for (std::size_t j = 0; j < p; ++j) {
    stats.scales.push_back(s.items[j].scale);
    stats.reverse.push_back(s.items[j].reverse);
    stats.normalised_variable.push_back(s.shape[j].rating ? j : p + s.shape[j].amount_index);
  }
  std::optional<double> t_cache[2];  // views often share n; t(0.975, df) is costly at large df
  std::size_t t_cache_n[2] = {0, 0};
  const auto t975 = [&](std::size_t n) {
    for (int c = 0; c < 2; ++c) {
      if (t_cache[c] && t_cache_n[c] == n) return *t_cache[c];
    }
    const double t = student_t_quantile(0.975, static_cast<double>(n - 1));
    t_cache[1] = t_cache[0];
    t_cache_n[1] = t_cache_n[0];
    t_cache[0] = t;
    t_cache_n[0] = n;
    return t;
  };

  const auto finish_view = [&](const ViewAccumulator& acc) {
    ViewStats view;
    view.survey_rows = acc.survey_rows;
    view.complete = acc.complete;
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      for (std::size_t v = 0; v < 11; ++v) view.metric_counts[m][v] = acc.metric_counts[m][v];
    }
    std::size_t ces_n = 0;
    for (const std::size_t c : view.metric_counts[static_cast<std::size_t>(Metric::ces)]) {
      ces_n += c;
    }
    if (ces_n >= 2) view.ces_t975 = t975(ces_n);
    const std::size_t n = acc.complete;
    if (n == 0) return view;
    const double nd = static_cast<double>(n);
    view.mean_score.resize(p);
    view.mean_normalised.resize(p);
    for (std::size_t j = 0; j < p; ++j) {
      const ItemShape& shape = s.shape[j];
      if (shape.rating) {
        // Σ score = Σ answer, or n·(low + high) − Σ answer when reverse-coded: exact integers.
        const auto sum = static_cast<std::int64_t>(acc.sum[shape.rating_index]);
        const auto low = static_cast<std::int64_t>(shape.low);
        const auto high = static_cast<std::int64_t>(shape.high);
        const auto count = static_cast<std::int64_t>(n);
        const std::int64_t scores = shape.reverse ? count * (low + high) - sum : sum;
        view.mean_score[j] = static_cast<double>(scores) / nd;
        view.mean_normalised[j] =
            static_cast<double>(scores - count * low) / (nd * (shape.high - shape.low));
      } else {
        view.mean_score[j] = acc.amount_score[shape.amount_index].value() / nd;
        view.mean_normalised[j] = acc.amount_normalised[shape.amount_index].value() / nd;
      }
    }
    if (n < 2) return view;
    view.t975 = t975(n);
    view.covariance.assign(q * (q + 1) / 2, 0.0);
    const double divisor = nd - 1;
    if (!s.amount_items.empty()) {
      for (std::size_t i = 0; i < view.covariance.size(); ++i) {
        view.covariance[i] = acc.comoment[i] / divisor;
      }
    }
    // Rating pairs, exactly: n·Σx_a·x_b − Σx_a·Σx_b in 128 bits, rounded once.
    for (std::size_t a = 0; a < r; ++a) {
      for (std::size_t b = a; b < r; ++b) {
        const Int128 comoment =
            static_cast<Int128>(n) * static_cast<Int128>(acc.cross[packed_index(a, b, r)]) -
            static_cast<Int128>(acc.sum[a]) * static_cast<Int128>(acc.sum[b]);
        view.covariance[packed_index(s.rating_items[a], s.rating_items[b], q)] =
            static_cast<double>(comoment) / nd / divisor;
      }
    }
    return view;
  };
  stats.overall = finish_view(s.views[0]);
  for (std::size_t v = 1; v < s.views.size(); ++v)
    stats.segments.push_back(finish_view(s.views[v]));
  return stats;
}

bool SurveyStats::fits(const Model& model, std::size_t survey_rows) const {
  if (survey_rows != rows || model.items.size() != scales.size() ||
      model.segments.size() != segments.size()) {
    return false;
  }
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    if (!(model.items[j].scale == scales[j]) || model.items[j].reverse != reverse[j]) return false;
  }
  return true;
}

SurveyBlock block_of(const Responses& responses, std::size_t first, std::size_t rows) {
  SurveyBlock block;
  block.rows = rows;
  for (std::size_t j = 0; j < responses.item_count(); ++j) {
    const ScoreColumn& column = responses.column(j);
    block.ratings.push_back(column.is_rating() ? column.ratings().data() + first : nullptr);
    block.amounts.push_back(column.is_rating() ? nullptr : column.amounts().data() + first);
  }
  block.complete = responses.complete_data() + first;
  for (std::size_t s = 0; s < responses.segment_count(); ++s) {
    block.membership.push_back(responses.membership_data(s) + first);
  }
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const std::uint8_t* column = responses.metric_data(static_cast<Metric>(m));
    block.metrics[m] = column != nullptr ? column + first : nullptr;
  }
  return block;
}

SurveyStats survey_stats(const Model& model, const Responses& responses) {
  SurveyStatsBuilder builder(model);
  for_each_block(responses, [&](const SurveyBlock& block) { builder.add(block); });
  return builder.finish();
}

// ---- the net value kernel ----

NetValueKernel::NetValueKernel(const Model& model) : items_(model.items) {
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    const Item& item = model.items[j];
    const double sign = item.side == Side::benefit ? 1.0 : -1.0;
    const double coefficient = sign * model.weight(j, std::nullopt);
    coefficient_.push_back(coefficient);
    // For a rating, ±w × score for every answer 0–10: exactly the product the per-respondent
    // sum adds. Other bytes (255, "missing") only ever reach rows that are not used: 0.
    for (int answer = 0; answer < 256; ++answer) {
      table_.push_back(answer <= 10 ? coefficient * oriented_score(item, answer) : 0.0);
    }
  }
}

void NetValueKernel::compute(const SurveyBlock& block, double* __restrict out) const {
  const std::size_t n = block.rows;
  for (std::size_t i = 0; i < n; ++i) out[i] = 0.0;
  // In item order (the order of the per-respondent sum), contiguous passes over the columns.
  // A table lookup measured twice as fast as converting the bytes (SSE2 and wasm); four
  // rating items per pass add in the same order as four passes, with a quarter of the
  // loads and stores of out[].
  const std::size_t p = coefficient_.size();
  const auto rating = [&](std::size_t j) { return j < p && block.ratings[j] != nullptr; };
  for (std::size_t j = 0; j < p;) {
    if (rating(j) && rating(j + 1) && rating(j + 2) && rating(j + 3)) {
      const double* t0 = table_.data() + j * 256;
      const double* t1 = t0 + 256;
      const double* t2 = t1 + 256;
      const double* t3 = t2 + 256;
      const std::uint8_t* x0 = block.ratings[j];
      const std::uint8_t* x1 = block.ratings[j + 1];
      const std::uint8_t* x2 = block.ratings[j + 2];
      const std::uint8_t* x3 = block.ratings[j + 3];
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = (((out[i] + t0[x0[i]]) + t1[x1[i]]) + t2[x2[i]]) + t3[x3[i]];
      }
      j += 4;
    } else if (rating(j)) {
      const double* table = table_.data() + j * 256;
      const std::uint8_t* ratings = block.ratings[j];
      for (std::size_t i = 0; i < n; ++i) out[i] += table[ratings[i]];
      j += 1;
    } else {
      const double c = coefficient_[j];
      const double* amounts = block.amounts[j];
      for (std::size_t i = 0; i < n; ++i) out[i] += c * oriented_score(items_[j], amounts[i]);
      j += 1;
    }
  }
}

// ---- the whole-number path ----

std::optional<NetValueSteps> NetValueSteps::of(const Model& model, const NetValueKernel& kernel) {
  constexpr int kMaxShift = 16;
  NetValueSteps steps;
  steps.items = model.items.size();
  // The smallest shift that makes every term a whole number of steps.
  std::vector<double> lowest(steps.items, 0.0);
  for (std::size_t j = 0; j < steps.items; ++j) {
    const Item& item = model.items[j];
    if (!item.scale.is_rating()) return std::nullopt;
    const auto low = static_cast<int>(item.scale.low());
    const auto high = static_cast<int>(item.scale.high());
    lowest[j] = std::numeric_limits<double>::infinity();
    for (int a = low; a <= high; ++a) {
      const double term = kernel.term(j, static_cast<std::uint8_t>(a));
      if (!std::isfinite(term) || std::fabs(term) > 1e6) return std::nullopt;
      lowest[j] = std::min(lowest[j], term);
      while (steps.shift <= kMaxShift &&
             std::ldexp(term, steps.shift) != std::floor(std::ldexp(term, steps.shift))) {
        ++steps.shift;
      }
      if (steps.shift > kMaxShift) return std::nullopt;
    }
  }
  // Differences of multiples of 2^-shift below 1e6 are exact in doubles, as is every sum here.
  std::size_t top = 0;
  steps.table.assign(32 * steps.items, 0);
  for (std::size_t j = 0; j < steps.items; ++j) {
    const Item& item = model.items[j];
    std::size_t item_top = 0;
    for (int a = static_cast<int>(item.scale.low()); a <= static_cast<int>(item.scale.high());
         ++a) {
      const double difference =
          std::ldexp(kernel.term(j, static_cast<std::uint8_t>(a)) - lowest[j], steps.shift);
      if (difference > 65534) return std::nullopt;
      const auto n = static_cast<std::size_t>(difference);
      steps.table[32 * j + static_cast<std::size_t>(a)] = static_cast<std::uint8_t>(n & 0xFF);
      steps.table[32 * j + 16 + static_cast<std::size_t>(a)] = static_cast<std::uint8_t>(n >> 8);
      item_top = std::max(item_top, n);
    }
    top += item_top;
    if (top > 65534) return std::nullopt;
    steps.base += lowest[j];  // in item order from 0.0, as the kernel adds: exact, never −0
  }
  steps.top = static_cast<std::uint16_t>(top);
  return steps;
}

double NetValueSteps::value(std::size_t sum) const {
  return base + std::ldexp(static_cast<double>(sum), -shift);
}

namespace {

// Rows [first, rows) in plain C++, item by item over the columns: the reference for the SIMD
// versions below. An answer's index is its low 4 bits: 0–10 for answers, 15 (an entry of 0)
// for the missing answer 255, as the byte shuffles give it.
void sum_steps_plain(const NetValueSteps& steps, const SurveyBlock& block, std::size_t first,
                     std::uint16_t* out) {
  for (std::size_t i = first; i < block.rows; ++i) out[i] = 0;
  for (std::size_t j = 0; j < steps.items; ++j) {
    std::array<std::uint16_t, 16> table;
    for (std::size_t a = 0; a < 16; ++a) {
      table[a] =
          static_cast<std::uint16_t>(steps.table[32 * j + a] | steps.table[32 * j + 16 + a] << 8);
    }
    const std::uint8_t* answers = block.ratings[j];
    for (std::size_t i = first; i < block.rows; ++i) {
      out[i] = static_cast<std::uint16_t>(out[i] + table[answers[i] & 15]);
    }
  }
  const auto incomplete = static_cast<std::uint16_t>(steps.top + 1);
  for (std::size_t i = first; i < block.rows; ++i) {
    out[i] = block.complete[i] != 0 && out[i] <= steps.top ? out[i] : incomplete;
  }
}

#if defined(__wasm_simd128__)

// 16 rows at a time: per item, the answers' low and high bytes looked up with i8x16.swizzle
// (an index of 16 or more, the missing answer 255, gives 0), interleaved into 16-bit lanes and
// added. V8 compiles the swizzle to pshufb and the interleaving shuffles to punpck{l,h}bw.
std::size_t sum_steps_simd(const NetValueSteps& steps, const SurveyBlock& block,
                           std::uint16_t* out) {
  const v128_t incomplete = wasm_i16x8_splat(static_cast<std::int16_t>(steps.top + 1));
  const v128_t zero = wasm_i8x16_splat(0);
  std::size_t i = 0;
  for (; i + 16 <= block.rows; i += 16) {
    v128_t low_rows = zero;
    v128_t high_rows = zero;
    for (std::size_t j = 0; j < steps.items; ++j) {
      const std::uint8_t* table = steps.table.data() + 32 * j;
      const v128_t answers = wasm_v128_load(block.ratings[j] + i);
      const v128_t low = wasm_i8x16_swizzle(wasm_v128_load(table), answers);
      const v128_t high = wasm_i8x16_swizzle(wasm_v128_load(table + 16), answers);
      low_rows = wasm_i16x8_add(low_rows, wasm_i8x16_shuffle(low, high, 0, 16, 1, 17, 2, 18, 3, 19,
                                                             4, 20, 5, 21, 6, 22, 7, 23));
      high_rows = wasm_i16x8_add(high_rows, wasm_i8x16_shuffle(low, high, 8, 24, 9, 25, 10, 26, 11,
                                                               27, 12, 28, 13, 29, 14, 30, 15, 31));
    }
    // Incomplete rows (and, defensively, any sum above the top) become top + 1.
    const v128_t skipped = wasm_i8x16_eq(wasm_v128_load(block.complete + i), zero);
    low_rows = wasm_v128_bitselect(incomplete, wasm_u16x8_min(low_rows, incomplete),
                                   wasm_i16x8_extend_low_i8x16(skipped));
    high_rows = wasm_v128_bitselect(incomplete, wasm_u16x8_min(high_rows, incomplete),
                                    wasm_i16x8_extend_high_i8x16(skipped));
    wasm_v128_store(out + i, low_rows);
    wasm_v128_store(out + i + 8, high_rows);
  }
  return i;
}
constexpr bool kHaveSimd = true;

#elif defined(__x86_64__) && defined(__GNUC__)

// The same with SSSE3's pshufb (an index with its top bit set, 255, gives 0; complete rows
// only hold answers 0–10). Chosen at run time: the build targets baseline x86-64.
__attribute__((target("ssse3"))) std::size_t sum_steps_ssse3(const NetValueSteps& steps,
                                                             const SurveyBlock& block,
                                                             std::uint16_t* out) {
  const __m128i incomplete = _mm_set1_epi16(static_cast<short>(steps.top + 1));
  const __m128i zero = _mm_setzero_si128();
  std::size_t i = 0;
  for (; i + 16 <= block.rows; i += 16) {
    __m128i low_rows = zero;
    __m128i high_rows = zero;
    for (std::size_t j = 0; j < steps.items; ++j) {
      const auto* table = reinterpret_cast<const __m128i*>(steps.table.data() + 32 * j);
      const __m128i answers =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(block.ratings[j] + i));
      const __m128i low = _mm_shuffle_epi8(_mm_loadu_si128(table), answers);
      const __m128i high = _mm_shuffle_epi8(_mm_loadu_si128(table + 1), answers);
      low_rows = _mm_add_epi16(low_rows, _mm_unpacklo_epi8(low, high));
      high_rows = _mm_add_epi16(high_rows, _mm_unpackhi_epi8(low, high));
    }
    // min(x, incomplete) = x − saturating(x − incomplete); then incomplete rows.
    low_rows = _mm_sub_epi16(low_rows, _mm_subs_epu16(low_rows, incomplete));
    high_rows = _mm_sub_epi16(high_rows, _mm_subs_epu16(high_rows, incomplete));
    const __m128i skipped =
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block.complete + i)), zero);
    const __m128i skipped_low = _mm_unpacklo_epi8(skipped, skipped);
    const __m128i skipped_high = _mm_unpackhi_epi8(skipped, skipped);
    low_rows = _mm_or_si128(_mm_and_si128(skipped_low, incomplete),
                            _mm_andnot_si128(skipped_low, low_rows));
    high_rows = _mm_or_si128(_mm_and_si128(skipped_high, incomplete),
                             _mm_andnot_si128(skipped_high, high_rows));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), low_rows);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 8), high_rows);
  }
  return i;
}
std::size_t sum_steps_simd(const NetValueSteps& steps, const SurveyBlock& block,
                           std::uint16_t* out) {
  static const bool ssse3 = __builtin_cpu_supports("ssse3");
  return ssse3 ? sum_steps_ssse3(steps, block, out) : 0;
}
constexpr bool kHaveSimd = true;

#else

std::size_t sum_steps_simd(const NetValueSteps&, const SurveyBlock&, std::uint16_t*) {
  return 0;
}
constexpr bool kHaveSimd = false;

#endif

}  // namespace

void sum_steps(const NetValueSteps& steps, const SurveyBlock& block, std::uint16_t* out,
               Simd simd) {
  const std::size_t done =
      kHaveSimd && simd == Simd::automatic ? sum_steps_simd(steps, block, out) : 0;
  sum_steps_plain(steps, block, done, out);
}

namespace {

// Counts the rows of `block` per sum of `steps` (counts has top + 2 entries, the last for the
// incomplete rows). One call per block, so that a wasm engine optimises it after the first few
// (a single call with a loop over every row would run in its baseline compiler throughout).
void count_sums(const NetValueSteps& steps, const SurveyBlock& block, std::uint16_t* sums,
                std::size_t* counts, Simd simd) {
  sum_steps(steps, block, sums, simd);
  for (std::size_t i = 0; i < block.rows; ++i) ++counts[sums[i]];
}

}  // namespace

// ---- the histogram ----

NetValueHistogram::NetValueHistogram(const Model& model, std::size_t target_bins, Simd simd)
    : kernel_(model), target_bins_(target_bins), simd_(simd) {
  steps_ = NetValueSteps::of(model, kernel_);
  if (steps_) {
    per_sum_.assign(static_cast<std::size_t>(steps_->top) + 2, 0);
    sums_.resize(kStatsBlockRows);
  } else {
    scratch_.resize(kStatsBlockRows);
  }
}

void NetValueHistogram::observe(const SurveyBlock& block) {
  if (steps_) {
    // Respondents counted per sum: the bins follow in layout(), with no second pass.
    count_sums(*steps_, block, sums_.data(), per_sum_.data(), simd_);
    return;
  }
  kernel_.compute(block, scratch_.data());
  double low = seen_ > 0 ? low_ : std::numeric_limits<double>::infinity();
  double high = seen_ > 0 ? high_ : -std::numeric_limits<double>::infinity();
  std::size_t seen = 0;
  for (std::size_t i = 0; i < block.rows; ++i) {
    const bool use = block.complete[i] != 0;
    const double v = scratch_[i];
    low = use && v < low ? v : low;
    high = use && v > high ? v : high;
    seen += use;
  }
  seen_ += seen;
  low_ = low;
  high_ = high;
}

void NetValueHistogram::layout() {
  if (steps_) {
    // Each sum of steps is one exact net value: its respondents go to that value's bin.
    const std::size_t sums = per_sum_.size() - 1;  // the last counts the incomplete rows
    std::size_t first = 0;
    while (first < sums && per_sum_[first] == 0) ++first;
    std::size_t last = sums;
    while (last > first && per_sum_[last - 1] == 0) --last;
    histogram_ = Histogram{};
    if (first == sums || target_bins_ == 0) return;
    low_ = steps_->value(first);
    high_ = steps_->value(last - 1);
    histogram_ = histogram_layout(low_, high_, target_bins_);
    for (std::size_t sum = first; sum < last; ++sum) {
      if (per_sum_[sum] != 0) {
        histogram_.counts[histogram_bin(histogram_, steps_->value(sum))] += per_sum_[sum];
      }
    }
    return;
  }
  histogram_ =
      seen_ > 0 && target_bins_ > 0 ? histogram_layout(low_, high_, target_bins_) : Histogram{};
}

void NetValueHistogram::count(const SurveyBlock& block) {
  if (steps_ || histogram_.counts.empty()) return;
  kernel_.compute(block, scratch_.data());
  for (std::size_t i = 0; i < block.rows; ++i) {
    if (block.complete[i] != 0) ++histogram_.counts[histogram_bin(histogram_, scratch_[i])];
  }
}

// ---- across weight changes ----

namespace {

constexpr std::size_t kAnswers = 11;  // rating answers 0–10

// Per item, the kernel's term for each answer 0–10; nothing when some item is an amount.
std::optional<std::vector<std::vector<double>>> terms_of(const Model& model,
                                                         const NetValueKernel& kernel) {
  std::vector<std::vector<double>> terms(model.items.size(), std::vector<double>(kAnswers));
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    if (!model.items[j].scale.is_rating()) return std::nullopt;
    for (std::size_t a = 0; a < kAnswers; ++a) {
      terms[j][a] = kernel.term(j, static_cast<std::uint8_t>(a));
    }
  }
  return terms;
}

// True when every term is a whole number of 2^-16 steps (and far from overflowing): then the
// sums from_counts() forms are exact.
bool whole_steps(const std::vector<double>& terms) {
  for (const double term : terms) {
    if (!(std::fabs(term) <= 1e6) || std::ldexp(term, 16) != std::floor(std::ldexp(term, 16))) {
      return false;
    }
  }
  return true;
}

// The one item whose terms differ between `a` and `b`, or kNone (none, or several).
std::size_t only_difference(const std::vector<std::vector<double>>& a,
                            const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return kNone;
  std::size_t found = kNone;
  for (std::size_t j = 0; j < a.size(); ++j) {
    if (a[j] == b[j]) continue;
    if (found != kNone) return kNone;
    found = j;
  }
  return found;
}

}  // namespace

Histogram NetValueCache::histogram(const Model& model, const Responses& responses, Simd simd) {
  const NetValueKernel kernel(model);
  const auto terms = terms_of(model, kernel);
  if (rows_ != responses.rows() || !terms) {
    *this = NetValueCache{};
    rows_ = responses.rows();
    if (!terms) return net_value_histogram(model, responses, simd);
  }
  if (histogram_ && *terms == terms_) return *histogram_;
  std::optional<Histogram> result;
  if (item_ != kNone && (*terms == others_ || only_difference(*terms, others_) == item_)) {
    // The item counted for moved again (nothing when its new terms are not whole steps).
    result = from_counts((*terms)[item_]);
  } else if (const std::size_t moved = only_difference(*terms, terms_);
             moved != kNone && whole_steps((*terms)[moved]) &&
             counts_for(moved, model, responses, simd)) {
    others_ = *terms;
    result = from_counts((*terms)[moved]);
  }
  if (!result) result = net_value_histogram(model, responses, simd);
  terms_ = *terms;
  histogram_ = result;
  return *result;
}

// Counts the respondents per answer to `item` and sum of the other items' steps, in one pass
// of the same kernel: with the item's steps replaced by answer × (the other items' top + 1),
// a row's sum is its (answer, other items' sum) pair as one index.
bool NetValueCache::counts_for(std::size_t item, const Model& model, const Responses& responses,
                               Simd simd) {
  item_ = kNone;
  Model others = model;
  others.items[item].weight = 0;  // its terms are then all 0: the sums leave it out
  rest_ = NetValueSteps::of(others, NetValueKernel(others));
  if (!rest_) return false;
  const std::size_t sums = static_cast<std::size_t>(rest_->top) + 1;
  if (kAnswers * sums > 65535) return false;  // the pairs must fit the kernel's 16 bits
  NetValueSteps pairs = *rest_;
  for (std::size_t a = 0; a < 16; ++a) {
    const std::size_t index = a < kAnswers ? a * sums : 0;
    pairs.table[32 * item + a] = static_cast<std::uint8_t>(index & 0xFF);
    pairs.table[32 * item + 16 + a] = static_cast<std::uint8_t>(index >> 8);
  }
  pairs.top = static_cast<std::uint16_t>(kAnswers * sums - 1);
  per_answer_.assign(kAnswers * sums + 1, 0);  // the last: incomplete rows
  rest_values_.resize(sums);
  for (std::size_t sum = 0; sum < sums; ++sum) rest_values_[sum] = rest_->value(sum);
  std::vector<std::uint16_t> out(kStatsBlockRows);
  for_each_block(responses, [&](const SurveyBlock& block) {
    count_sums(pairs, block, out.data(), per_answer_.data(), simd);
  });
  item_ = item;
  return true;
}

// The histogram from the counts, for the moved item's `item_terms`: each answer and sum with
// respondents is one net value, the sum's value plus the answer's term. Both are multiples of
// small powers of two (the term is checked here), so their double sum is exact and equals the
// kernel's, which adds the same exact terms in another order. Nothing when the term is not.
std::optional<Histogram> NetValueCache::from_counts(const std::vector<double>& item_terms) const {
  if (!whole_steps(item_terms)) return std::nullopt;
  const std::size_t sums = rest_values_.size();
  double low = std::numeric_limits<double>::infinity();
  double high = -low;
  for (std::size_t a = 0; a < kAnswers; ++a) {
    const std::size_t* counts = per_answer_.data() + a * sums;
    for (std::size_t sum = 0; sum < sums; ++sum) {
      if (counts[sum] == 0) continue;
      const double value = rest_values_[sum] + item_terms[a];
      low = std::min(low, value);
      high = std::max(high, value);
    }
  }
  if (!(low <= high)) return Histogram{};  // no complete respondent
  Histogram histogram = histogram_layout(low, high);
  for (std::size_t a = 0; a < kAnswers; ++a) {
    const std::size_t* counts = per_answer_.data() + a * sums;
    for (std::size_t sum = 0; sum < sums; ++sum) {
      if (counts[sum] != 0) {
        histogram.counts[histogram_bin(histogram, rest_values_[sum] + item_terms[a])] +=
            counts[sum];
      }
    }
  }
  return histogram;
}

Histogram net_value_histogram(const Model& model, const Responses& responses, Simd simd) {
  NetValueHistogram histogram(model, 20, simd);
  for_each_block(responses, [&](const SurveyBlock& block) { histogram.observe(block); });
  histogram.layout();
  if (histogram.needs_count()) {
    for_each_block(responses, [&](const SurveyBlock& block) { histogram.count(block); });
  }
  return histogram.result();
}

}  // namespace cvc
