// The loops that check and store every answer of a survey: Responses::from_input and append
// (the import, block by block), Responses::from_parts (an import checked in the worker,
// adopted by the page; the autosave restored) and the check of their respondent ids, apart from the
// rest of responses.cpp so that the WebAssembly module can build them for speed and the rest for
// size (core/CMakeLists.txt).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cvc/responses.hpp"
#include "cvc/survey_import.hpp"
#include "id_rows.hpp"
#include "score_bounds.hpp"

namespace cvc {

namespace {

// Which of the 256 bytes a column of ratings may hold (1 = allowed).
using ByteSet = std::array<std::uint8_t, 256>;

// The bytes a ByteSet allows, when they are kMissingRating and the run from `low` to
// low + span (a rating scale's answers, always): the check of a byte is then a subtraction
// and a comparison, which the compiler does 16 bytes at a time (-msimd128), where a table
// lookup goes byte by byte.
struct ByteRun {
  std::uint8_t low = 0;
  std::uint8_t span = 0;
};
std::optional<ByteRun> as_run(const ByteSet& ok) {
  constexpr int kMissing = ScoreColumn::kMissingRating;
  if (!ok[kMissing]) return std::nullopt;
  int low = 0;
  while (low < kMissing && !ok[low]) ++low;
  int high = low;
  while (high + 1 < kMissing && ok[high + 1]) ++high;
  if (low == kMissing) return std::nullopt;  // no answer allowed at all: looked up instead
  for (int b = high + 1; b < kMissing; ++b) {
    if (ok[b]) return std::nullopt;
  }
  return ByteRun{static_cast<std::uint8_t>(low), static_cast<std::uint8_t>(high - low)};
}

// Whether every one of `rows` bytes is in `run` or missing; with `complete`, also clears the
// flag of each row whose byte is missing. No branch per row.
bool all_in_run(const std::uint8_t* bytes, std::size_t rows, ByteRun run, std::uint8_t* complete) {
  const auto answered = [](std::uint8_t b) {
    return static_cast<std::uint8_t>(b != ScoreColumn::kMissingRating);
  };
  const auto refused = [&](std::uint8_t b) {
    return static_cast<std::uint8_t>(
        static_cast<std::uint8_t>(static_cast<std::uint8_t>(b - run.low) > run.span) & answered(b));
  };
  std::uint8_t out = 0;
  if (complete) {
    for (std::size_t r = 0; r < rows; ++r) {
      out |= refused(bytes[r]);
      complete[r] &= answered(bytes[r]);
    }
  } else {
    for (std::size_t r = 0; r < rows; ++r) out |= refused(bytes[r]);
  }
  return out == 0;
}

// Whether every one of `rows` bytes is one `ok` allows; with `complete`, also clears the flag
// of each row whose byte is missing. The whole column is read at once (no branch per row).
bool all_allowed(const std::uint8_t* bytes, std::size_t rows, const ByteSet& ok,
                 std::uint8_t* complete) {
  if (const auto run = as_run(ok)) return all_in_run(bytes, rows, *run, complete);
  unsigned all_ok = 1;
  for (std::size_t r = 0; r < rows; ++r) all_ok &= ok[bytes[r]];
  if (complete) {
    for (std::size_t r = 0; r < rows; ++r) complete[r] &= bytes[r] != ScoreColumn::kMissingRating;
  }
  return all_ok != 0;
}

// The first of `rows` bytes that `ok` does not allow, once all_allowed() said there is one.
std::size_t first_refused(const std::uint8_t* bytes, std::size_t rows, const ByteSet& ok) {
  std::size_t r = 0;
  while (r < rows && ok[bytes[r]]) ++r;
  return r;
}

// The first of `rows` bytes above 1 (a segment flag, or a count of a row's segments), if any.
std::optional<std::size_t> first_above_one(const std::uint8_t* bytes, std::size_t rows) {
  unsigned any = 0;
  for (std::size_t r = 0; r < rows; ++r) any |= bytes[r] & 0xfeu;
  if (any == 0) return std::nullopt;
  for (std::size_t r = 0; r < rows; ++r) {
    if (bytes[r] > 1) return r;
  }
  return std::nullopt;
}

// The first row in more than one of the segments `members` (their flags 0 or 1): the flags
// are added a column at a time, over stretches of rows (no memory per row).
std::optional<std::size_t> first_in_two(const std::vector<std::vector<std::uint8_t>>& membership,
                                        const std::vector<std::size_t>& members, std::size_t rows) {
  static_assert(kMaxSegments < 255, "a byte counts a row's segments");
  constexpr std::size_t kStretch = 4096;
  std::array<std::uint8_t, kStretch> count;
  for (std::size_t first = 0; first < rows; first += kStretch) {
    const std::size_t n = std::min(kStretch, rows - first);
    std::fill(count.begin(), count.begin() + n, 0);
    for (const std::size_t s : members) {
      const std::uint8_t* flags = membership[s].data() + first;
      for (std::size_t r = 0; r < n; ++r) {
        count[r] = static_cast<std::uint8_t>(count[r] + flags[r]);
      }
    }
    if (const auto r = first_above_one(count.data(), n)) return first + *r;
  }
  return std::nullopt;
}

}  // namespace

void ScoreColumn::push_back(double value) {
  if (rating_) {
    ratings_.push_back(std::isnan(value) ? kMissingRating : static_cast<std::uint8_t>(value));
  } else {
    amounts_.push_back(value);
  }
}

void ScoreColumn::append(const ScoreColumn& other) {
  ratings_.insert(ratings_.end(), other.ratings_.begin(), other.ratings_.end());
  amounts_.insert(amounts_.end(), other.amounts_.begin(), other.amounts_.end());
}

RowAppender::RowAppender(Responses start) : out_(std::move(start)) {
  has_metrics_ = out_.has_metrics();
  capacity_ = out_.rows_;
  grow();
}

void RowAppender::grow() {
  // Every column is sized for capacity_ rows; rows() of them hold answers until finish().
  capacity_ = std::max<std::size_t>(4096, capacity_ * 2);
  const std::size_t items = out_.columns_.size();
  ratings_.assign(items, nullptr);
  amounts_.assign(items, nullptr);
  for (std::size_t j = 0; j < items; ++j) {
    ScoreColumn& column = out_.columns_[j];
    if (column.rating_) {
      column.ratings_.resize(capacity_);
      ratings_[j] = column.ratings_.data();
    } else {
      column.amounts_.resize(capacity_);
      amounts_[j] = column.amounts_.data();
    }
  }
  members_.clear();
  for (auto& flags : out_.membership_) {
    flags.resize(capacity_);
    members_.push_back(flags.data());
  }
  if (has_metrics_) {
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      out_.metrics_[m].resize(capacity_);
      metrics_[m] = out_.metrics_[m].data();
    }
  }
  out_.complete_.resize(capacity_);
  out_.id_ends_.resize(capacity_);
}

void RowAppender::add_segment_column() {
  out_.membership_.emplace_back(capacity_, 0);
  members_.push_back(out_.membership_.back().data());
}

void RowAppender::append(const double* answers, const std::uint8_t* membership,
                         const double* metrics, std::string_view id) {
  const std::size_t r = out_.rows_;
  if (r == capacity_) grow();
  if (metrics != nullptr && !has_metrics_) {  // the first row (every row has them or none)
    has_metrics_ = true;
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      out_.metrics_[m].resize(capacity_, ScoreColumn::kMissingRating);
      metrics_[m] = out_.metrics_[m].data();
    }
  }
  std::uint8_t complete = 1;
  const std::size_t items = ratings_.size();
  for (std::size_t j = 0; j < items; ++j) {
    const double answer = answers[j];
    const bool missing = std::isnan(answer);
    complete &= static_cast<std::uint8_t>(!missing);
    if (ratings_[j] != nullptr) {
      ratings_[j][r] = missing ? ScoreColumn::kMissingRating : static_cast<std::uint8_t>(answer);
    } else {
      amounts_[j][r] = answer;
    }
  }
  out_.complete_[r] = complete;
  for (std::size_t s = 0; s < members_.size(); ++s) members_[s][r] = membership[s] != 0 ? 1 : 0;
  if (metrics != nullptr) {
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      metrics_[m][r] = std::isnan(metrics[m]) ? ScoreColumn::kMissingRating
                                              : static_cast<std::uint8_t>(metrics[m]);
    }
  }
  out_.id_text_.append(id.data(), id.size());
  out_.id_ends_[r] = out_.id_text_.size();
  out_.rows_ = r + 1;
}

Responses RowAppender::finish() {
  const std::size_t rows = out_.rows_;
  for (ScoreColumn& column : out_.columns_) {
    column.ratings_.resize(column.rating_ ? rows : 0);
    column.amounts_.resize(column.rating_ ? 0 : rows);
  }
  for (auto& flags : out_.membership_) flags.resize(rows);
  for (auto& column : out_.metrics_) column.resize(has_metrics_ && rows != 0 ? rows : 0);
  out_.complete_.resize(rows);
  out_.id_ends_.resize(rows);
  capacity_ = rows;
  return std::move(out_);
}

void Responses::order_segments(const std::vector<std::size_t>& order) {
  std::vector<std::vector<std::uint8_t>> old = std::move(membership_);
  membership_.clear();
  for (const std::size_t s : order) {
    membership_.push_back(s < old.size() ? std::move(old[s]) : std::vector<std::uint8_t>(rows_, 0));
  }
}

void Responses::append(const Responses& other) {
  if (rows_ == 0) {
    *this = other;
    return;
  }
  if (other.has_metrics() && !has_metrics()) {
    for (auto& column : metrics_) column.assign(rows_, ScoreColumn::kMissingRating);
  }
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (other.has_metrics()) {
      metrics_[m].insert(metrics_[m].end(), other.metrics_[m].begin(), other.metrics_[m].end());
    } else if (has_metrics()) {
      metrics_[m].insert(metrics_[m].end(), other.rows_, ScoreColumn::kMissingRating);
    }
  }
  if (has_ids() || other.has_ids()) {
    if (!has_ids()) id_ends_.assign(rows_, 0);
    const std::size_t base = id_text_.size();
    id_text_ += other.id_text_;
    for (std::size_t r = 0; r < other.rows_; ++r) {
      id_ends_.push_back(base + (other.has_ids() ? other.id_ends_[r] : 0));
    }
  }
  for (std::size_t j = 0; j < columns_.size(); ++j) columns_[j].append(other.columns_[j]);
  // A survey import's later blocks may have segments the earlier ones did not.
  while (membership_.size() < other.membership_.size()) membership_.emplace_back(rows_, 0);
  for (std::size_t s = 0; s < membership_.size(); ++s) {
    membership_[s].insert(membership_[s].end(), other.membership_[s].begin(),
                          other.membership_[s].end());
  }
  complete_.insert(complete_.end(), other.complete_.begin(), other.complete_.end());
  rows_ += other.rows_;
}

Expected<Responses> Responses::from_input(const Model& model, const ResponseInput& in) {
  const double* answers = in.answers;
  const std::size_t answer_count = in.answer_count;
  const std::uint8_t* membership = in.membership;
  const std::size_t membership_count = in.membership_count;
  const std::size_t rows = in.rows;
  const std::size_t items = model.items.size();
  const std::size_t segments = model.segments.size();
  // The first test guards the product below against overflow (size_t is 32 bits in wasm).
  if ((items != 0 && rows > answer_count / items) || answer_count != rows * items) {
    return Error{"scores", "scores: expected " + std::to_string(rows) + " rows × " +
                               std::to_string(items) + " items of answers, got " +
                               std::to_string(answer_count) + " answers."};
  }
  if ((segments != 0 && rows > membership_count / segments) ||
      membership_count != rows * segments) {
    return Error{"segments",
                 "segments: expected " + std::to_string(rows) + " rows × " +
                     std::to_string(segments) + " segments = " + std::to_string(rows * segments) +
                     " membership flags, got " + std::to_string(membership_count) + "."};
  }

  Responses result;
  result.rows_ = rows;
  result.columns_.reserve(items);
  for (const Item& item : model.items) {
    result.columns_.emplace_back(item.scale.is_rating());
    result.columns_.back().reserve(rows);
  }
  result.complete_.assign(rows, 1);
  // Validate and store column by column: the reads stride through the row-major input, the
  // writes stream into each column. An answer inside the item's bounds is valid at once;
  // anything else goes through check_score(), which decides and words the message.
  const std::string no_field;
  std::uint8_t* complete = result.complete_.data();
  for (std::size_t j = 0; j < items; ++j) {
    const Item& item = model.items[j];
    const detail::ScoreBounds bounds(item.scale);
    ScoreColumn& column = result.columns_[j];
    // Written in place (a byte per rating, a double per amount), not pushed one by one.
    if (column.is_rating()) {
      column.ratings_.resize(rows);
    } else {
      column.amounts_.resize(rows);
    }
    std::uint8_t* ratings = column.ratings_.data();
    double* amounts = column.amounts_.data();
    for (std::size_t r = 0; r < rows; ++r) {
      const double answer = answers[r * items + j];
      if (std::isnan(answer)) {
        complete[r] = 0;
      } else if (!bounds.accepts(answer) && !check_score(answer, item, no_field, true).ok()) {
        // The field is named only on error: building it for every answer cost more than
        // the check itself.
        const std::string field =
            "row " + std::to_string(r + in.first_row_number) + ", item " + item.id;
        return check_score(answer, item, field, true).error();
      }
      if (ratings != nullptr) {
        ratings[r] =
            std::isnan(answer) ? ScoreColumn::kMissingRating : static_cast<std::uint8_t>(answer);
      } else {
        amounts[r] = answer;
      }
    }
  }

  // One segment per group: "SMB" and "Enterprise" are exclusive, "SMB" and "new" are not.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t s = 0; s < segments; ++s) {
    if (!model.segments[s].group.empty()) groups[model.segments[s].group].push_back(s);
  }
  result.membership_.assign(segments, std::vector<std::uint8_t>(rows, 0));
  for (std::size_t s = 0; s < segments; ++s) {
    std::uint8_t* flags = result.membership_[s].data();
    for (std::size_t r = 0; r < rows; ++r) flags[r] = membership[r * segments + s] != 0 ? 1 : 0;
  }
  // The first row in more than one segment of a group is named (of two groups on that row,
  // the first in the map's order).
  std::optional<std::size_t> bad_row;
  const std::string* bad_group = nullptr;
  for (const auto& [group, members] : groups) {
    const auto row = first_in_two(result.membership_, members, rows);
    if (row && (!bad_row || *row < *bad_row)) {
      bad_row = row;
      bad_group = &group;
    }
  }
  if (bad_row) {
    const std::string row = std::to_string(*bad_row + in.first_row_number);
    return Error{"row " + row + ", segments",
                 "Row " + row + " is in more than one segment of group \"" + *bad_group +
                     "\"; a respondent belongs to at most one."};
  }
  if (in.metric_count != 0) {
    if (rows > in.metric_count / kMetricCount || in.metric_count != rows * kMetricCount) {
      return Error{"metrics", "metrics: expected " + std::to_string(rows) +
                                  " rows × 3 (NPS, CSAT, CES) values, got " +
                                  std::to_string(in.metric_count) + "."};
    }
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      const auto metric = static_cast<Metric>(m);
      const detail::ScoreBounds bounds(metric_scale(model, metric));  // check_metric's scale
      auto& column = result.metrics_[m];
      column.resize(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double value = in.metrics[r * kMetricCount + m];
        if (std::isnan(value)) {
          column[r] = ScoreColumn::kMissingRating;
          continue;
        }
        if (!bounds.accepts(value) && !check_metric(model, metric, value, no_field).ok()) {
          const std::string field = "row " + std::to_string(r + in.first_row_number) + ", " +
                                    std::string(to_string(metric));
          return check_metric(model, metric, value, field).error();
        }
        column[r] = static_cast<std::uint8_t>(value);
      }
    }
  }
  if (in.ids != nullptr) {
    if (in.ids->size() != rows) {
      return Error{"ids", "ids: expected " + std::to_string(rows) + " respondent ids, got " +
                              std::to_string(in.ids->size()) + "."};
    }
    for (const std::string& id : *in.ids) {
      result.id_text_ += id;
      result.id_ends_.push_back(result.id_text_.size());
    }
    if (auto s = result.check_ids(in.first_row_number); !s.ok()) return s.error();
  }
  return result;
}

Expected<Responses> Responses::from_parts(const Model& model, const PartsLayout& layout,
                                          const PartFill& fill) {
  const std::size_t rows = layout.rows;
  std::size_t index = 0;
  // Each part is sized first (refusing sizes that overflow) and then filled in place.
  const auto take = [&](void* dest, std::size_t count, std::size_t size) -> Status {
    if (size != 0 && count > std::numeric_limits<std::size_t>::max() / size) {
      return Error{"survey", "The saved survey is too large for this browser tab."};
    }
    if (!fill(index, dest, count * size)) {
      return Error{"survey", "The survey data is damaged: part " + std::to_string(index + 1) +
                                 " is missing or has the wrong size."};
    }
    ++index;
    return Status::success();
  };
  const auto bad = [](const std::string& what, std::size_t r) {
    return Error{"survey", "The survey data is damaged: " + what + " of respondent " +
                               std::to_string(r + 1) + " is not a valid answer."};
  };

  Responses result;
  result.rows_ = rows;
  result.complete_.assign(rows, 1);
  const std::string no_field;
  for (const Item& item : model.items) {
    ScoreColumn column(item.scale.is_rating());
    if (column.is_rating()) {
      column.ratings_.resize(rows);
      if (auto s = take(column.ratings_.data(), rows, 1); !s.ok()) return s.error();
    } else {
      column.amounts_.resize(rows);
      if (auto s = take(column.amounts_.data(), rows, sizeof(double)); !s.ok()) return s.error();
    }
    const detail::ScoreBounds bounds(item.scale);  // valid at once; else check_score decides
    const auto valid = [&](double x) {
      return bounds.accepts(x) || check_score(x, item, no_field, true).ok();
    };
    if (column.is_rating()) {
      // A byte per answer: which of the 256 are answers is decided once, then each row is a
      // lookup (the rows of a 1M survey in a few ms, where asking per row took ~50).
      ByteSet ok{};
      for (int b = 0; b < 256; ++b) {
        ok[b] = b == ScoreColumn::kMissingRating || valid(static_cast<double>(b));
      }
      // One pass for the check and the completeness; the row is looked for only on a fault.
      const std::uint8_t* bytes = column.ratings_.data();
      if (!all_allowed(bytes, rows, ok, result.complete_.data())) {
        return bad("item \"" + item.id + "\"", first_refused(bytes, rows, ok));
      }
    } else {
      for (std::size_t r = 0; r < rows; ++r) {
        if (column.missing(r)) {
          result.complete_[r] = 0;
        } else if (!valid(column.value(r))) {
          return bad("item \"" + item.id + "\"", r);
        }
      }
    }
    result.columns_.push_back(std::move(column));
  }
  if (layout.metrics) {
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      auto& column = result.metrics_[m];
      column.resize(rows);
      if (auto s = take(column.data(), rows, 1); !s.ok()) return s.error();
      const auto metric = static_cast<Metric>(m);
      const detail::ScoreBounds bounds(metric_scale(model, metric));  // check_metric's scale
      ByteSet ok{};                                                   // as for the items' ratings
      for (int b = 0; b < 256; ++b) {
        ok[b] = b == ScoreColumn::kMissingRating || bounds.accepts(b) ||
                check_metric(model, metric, b, no_field).ok();
      }
      if (!all_allowed(column.data(), rows, ok, nullptr)) {
        return bad(std::string(metric_label(metric)), first_refused(column.data(), rows, ok));
      }
    }
  }
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t s = 0; s < model.segments.size(); ++s) {
    if (!model.segments[s].group.empty()) groups[model.segments[s].group].push_back(s);
    result.membership_.emplace_back(rows);
    if (auto st = take(result.membership_.back().data(), rows, 1); !st.ok()) return st.error();
    if (const auto r = first_above_one(result.membership_.back().data(), rows)) {
      return bad("a segment flag", *r);
    }
  }
  for (const auto& [group, members] : groups) {  // flags are 0 or 1 by now
    if (const auto r = first_in_two(result.membership_, members, rows)) {
      return bad("the segments of group \"" + group + "\"", *r);
    }
  }
  if (layout.ids) {
    result.id_ends_.resize(rows);
    if (auto s = take(result.id_ends_.data(), rows, sizeof(std::size_t)); !s.ok()) {
      return s.error();
    }
    result.id_text_.resize(layout.id_text_bytes);
    if (auto s = take(result.id_text_.data(), layout.id_text_bytes, 1); !s.ok()) return s.error();
    std::size_t previous = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      if (result.id_ends_[r] < previous || result.id_ends_[r] > layout.id_text_bytes) {
        return bad("the id", r);
      }
      previous = result.id_ends_[r];
    }
    if (previous != layout.id_text_bytes) return bad("the id", rows == 0 ? 0 : rows - 1);
    if (!is_valid_utf8(result.id_text_)) {
      return Error{"survey", "The survey data is damaged: its respondent ids are not text."};
    }
    if (auto s = result.check_ids(1); !s.ok()) {
      return Error{"survey", "The survey data is damaged: " + s.error().message};
    }
  }
  return result;
}

bool Responses::ids_increasing() const {
  // Here (built for speed in the module) with the ids read inline: through id(), built for
  // size, a second part's 500k ids took 23 ms in wasm when the import merged two parts.
  std::size_t begin = 0;
  std::string_view before;
  for (const std::size_t end : id_ends_) {
    const std::string_view id(id_text_.data() + begin, end - begin);
    if (id.empty() || (!before.empty() && !detail::id_before(before, id))) return false;
    before = id;
    begin = end;
  }
  return !id_ends_.empty();
}

Status Responses::check_ids(std::size_t first_row_number) const {
  // Ids join the survey to other tables, so they must be usable as keys: plain text, not too
  // long, and unique (blank ids are allowed and never match anything). Repeats are found with
  // an IdIndex over the ids where they are stored (nothing for ids in increasing order, else
  // 4 bytes a slot: 8 MB for a million rows, where a set holding copies of the ids took 50 MB).
  // In this file (built for speed in the module) with the ids read inline: through id(), built
  // for size, the check of a 1M-row import's ids took several times as long in wasm.
  const auto id_of = [this](std::size_t row) {
    const std::size_t begin = row == 0 ? 0 : id_ends_[row - 1];
    return std::string_view(id_text_).substr(begin, id_ends_[row] - begin);
  };
  // Control characters are looked for in all the ids' text at once (a loop without a branch per
  // byte), and the row that has one only when there is one.
  unsigned control = 0;
  for (const char c : id_text_) {
    const auto b = static_cast<unsigned char>(c);
    control |= static_cast<unsigned>(b < 0x20) | static_cast<unsigned>(b == 0x7f);
  }
  detail::IdIndex index(id_ends_.size());
  // Once the ids are out of order, a batch of them is hashed and their slots touched before
  // they are checked one by one (IdIndex::touch): adopting 1M rows with random ids
  // natively 139-219 -> 117-119 ms (touching each id's slot just before its check, in the
  // import's row check, gained nothing measurable).
  constexpr std::size_t kBatch = 16;
  std::array<std::uint32_t, kBatch> hashes{};
  bool hashed = false;
  for (std::size_t r = 0; r < id_ends_.size(); ++r) {
    if (r % kBatch == 0) {
      hashed = !index.in_run();
      if (hashed) {
        std::uint32_t touched = 0;
        const std::size_t end = std::min(id_ends_.size(), r + kBatch);
        for (std::size_t k = r; k < end; ++k) hashes[k - r] = detail::IdIndex::hash_of(id_of(k));
        for (std::size_t k = r; k < end; ++k) touched ^= index.touch(hashes[k - r]);
        index.keep(touched);
      }
    }
    const std::string_view id = id_of(r);
    // Built only on error: a string per row would cost more than the checks.
    const auto row = [&] { return std::to_string(r + first_row_number); };
    const auto field = [&] { return "row " + row() + ", id"; };
    if (id.size() > kMaxLabelLength) {
      return Error{field(), "Row " + row() + ": the respondent id is longer than " +
                                std::to_string(kMaxLabelLength) + " bytes."};
    }
    if (control != 0 && std::any_of(id.begin(), id.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        })) {
      return Error{field(), "Row " + row() +
                                ": the respondent id contains control characters (such as a "
                                "line break)."};
    }
    if (id.empty()) {
      index.skip();
      continue;
    }
    const auto n = static_cast<std::uint32_t>(r);
    if (const auto first =
            hashed ? index.insert(id, n, id_of, hashes[r % kBatch]) : index.insert(id, n, id_of)) {
      return Error{field(), "Row " + row() + ": the respondent id \"" + std::string(id) +
                                "\" is also the id of row " +
                                std::to_string(*first + first_row_number) + "."};
    }
  }
  return Status::success();
}

}  // namespace cvc
