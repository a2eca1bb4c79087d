#include "survey_rows.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

namespace cvc {

// Here, built for speed: the row checker asks it of every text cell it keeps, and the page asks
// it of all the respondent ids it adopts from the import worker.
bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    // ASCII, most of any survey, eight bytes at a time (1M respondent ids adopted from the
    // import worker: 40 -> 5 ms in wasm).
    while (i + 8 <= n) {
      std::uint64_t eight = 0;
      std::memcpy(&eight, text.data() + i, 8);
      if ((eight & 0x8080808080808080ull) != 0) break;
      i += 8;
    }
    if (i == n) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      code = (code << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629).
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
        (length == 4 && code < 0x10000) || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace cvc

namespace cvc::detail {
namespace {

constexpr std::size_t kNoGroup = std::numeric_limits<std::size_t>::max();
constexpr std::size_t kNoColumn = kNoGroup;
constexpr std::size_t kNoValue = kNoGroup;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Profiles one cell of data row `row` (see profile_row).
void profile_value(ColumnProfiler& profiler, std::string_view value, std::size_t row,
                   bool comma_possible, bool& saw_comma_decimal, bool& saw_point_decimal) {
  ColumnProfile& p = profiler.profile;
  const int small = small_whole_number(value);
  if (small >= 0) {
    if (p.examples.size() < kExamples) p.examples.push_back(clip(value));
    const std::size_t text = value.size() == 1 ? static_cast<std::size_t>(small) : 10u + small;
    if (profiler.small_first_row[text] == 0) profiler.small_first_row[text] = row;
    ++profiler.small_count[text];
    return;
  }
  const std::string_view v = trimmed(value);
  if (v.empty()) {
    ++p.blank;
    return;
  }
  if (p.examples.size() < kExamples) p.examples.push_back(clip(value));
  profiler.add_distinct(v, row);
  // The two readings differ only when the cell has a '.' or a ','.
  if (std::none_of(value.begin(), value.end(), [](char c) { return c == '.' || c == ','; })) {
    profiler.same.add(parse_number(value, false), row);
    return;
  }
  const auto point = parse_number(value, false);
  const auto comma = parse_number(value, true);
  if (comma_possible && comma && !point) saw_comma_decimal = true;
  if (point && !comma) saw_point_decimal = true;
  profiler.point.add(point, row);
  profiler.comma.add(comma, row);
}

}  // namespace

void NumberStats::merge(const NumberStats& other) {
  if (other.numeric > 0) {
    if (numeric == 0 || other.min < min || (!(min < other.min) && other.min_row < min_row)) {
      min = other.min;
      min_row = other.min_row;
    }
    if (numeric == 0 || other.max > max || (!(max > other.max) && other.max_row < max_row)) {
      max = other.max;
      max_row = other.max_row;
    }
    numeric += other.numeric;
    whole_numbers = whole_numbers && other.whole_numbers;
  }
  text += other.text;
}

std::size_t DistinctIndex::find_or_add(std::vector<std::string>& list, std::string_view value) {
  if (value.size() == 1) {  // most survey cells: a position per byte value
    std::uint8_t& at = one_byte_[static_cast<unsigned char>(value[0])];
    if (at != 0) return at - 1u;
    list.emplace_back(value);
    at = static_cast<std::uint8_t>(list.size());
    return kNotFound;
  }
  std::uint32_t hash = 2166136261u;  // FNV-1a (Fowler, Noll, Vo), 32 bits
  for (const char c : value) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = (hash ^ (hash >> 16)) & mask;
  for (; slots_[slot] != 0; slot = (slot + 1) & mask) {
    const std::string& listed = list[slots_[slot] - 1u];
    if (listed.size() == value.size() && std::equal(value.begin(), value.end(), listed.begin())) {
      return slots_[slot] - 1u;
    }
  }
  list.emplace_back(value);
  slots_[slot] = static_cast<std::uint8_t>(list.size());
  return kNotFound;
}

void profile_row(std::vector<ColumnProfiler>& columns, const std::vector<std::string_view>& cells,
                 std::size_t row, bool comma_possible, bool& saw_comma_decimal,
                 bool& saw_point_decimal) {
  const std::size_t n = std::min(cells.size(), columns.size());
  for (std::size_t c = 0; c < n; ++c) {
    profile_value(columns[c], cells[c], row, comma_possible, saw_comma_decimal, saw_point_decimal);
  }
}

bool segment_matches(const Segment& seg, const std::string& group, std::string_view value) {
  const bool same_group =
      normalise_header(seg.group) == normalise_header(group) ||
      (seg.group.empty() && normalise_header(seg.label) == normalise_header(group));
  return same_group && (normalise_header(seg.label) == normalise_header(value) ||
                        normalise_header(seg.id) == normalise_header(value));
}

SurveyRowChecker::SurveyRowChecker(const Model& target, const std::vector<std::string>& headers,
                                   RowMapping mapping)
    : target_(target),
      headers_(headers),
      mapping_(std::move(mapping)),
      segments_(target.segments),
      answers_(target.items.size()),
      membership_(target.segments.size()) {
  for (const auto& [c, j] : mapping_.item_columns) item_bounds_.emplace_back(target.items[j].scale);
  for (std::size_t k = 0; k < kMetricCount; ++k) {
    metric_bounds_[k] = ScoreBounds(metric_scale(target, static_cast<Metric>(k)));
  }
  // Segment groups by number, for the one-segment-per-group check.
  for (const Segment& segment : segments_) group_of_segment_.push_back(group_number(segment.group));
  const std::size_t columns = mapping_.segment_columns.size();
  value_index_.resize(columns);
  value_of_column_.resize(columns, kNoValue);
  mapping_.segment_values.resize(columns);
  mapping_.segment_of_value.resize(columns);
  for (std::size_t k = 0; k < columns; ++k) {
    std::vector<std::string> given = std::move(mapping_.segment_values[k]);
    mapping_.segment_values[k].clear();
    for (const std::string& value : given) {
      value_index_[k].find_or_add(mapping_.segment_values[k], value);
    }
  }
}

std::size_t SurveyRowChecker::group_number(const std::string& group) {
  if (group.empty()) return kNoGroup;
  const auto found = std::find(groups_.begin(), groups_.end(), group);
  if (found != groups_.end()) return static_cast<std::size_t>(found - groups_.begin());
  groups_.push_back(group);
  column_of_group_.resize(groups_.size());
  return groups_.size() - 1;
}

// A value of segment column k seen for the first time (see the class).
std::size_t SurveyRowChecker::resolve(std::size_t k, std::string_view value) {
  if (mapping_.segments_known || plain_text_problem(value, "segment name")) return kNoSegment;
  const std::string& group = mapping_.segment_groups[k];
  std::size_t found = kNoSegment;
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    if (segment_matches(segments_[s], group, value)) found = s;
  }
  if (found != kNoSegment) return found;
  Segment seg;
  seg.label = value;
  seg.group = group;
  seg.id = seg.label;  // for now: a new segment is matched by its label only
  segments_.push_back(std::move(seg));
  group_of_segment_.push_back(group_number(group));
  membership_.push_back(0);
  return segments_.size() - 1;
}

bool SurveyRowChecker::collect(const std::vector<std::string_view>& cells) {
  for (std::size_t k = 0; k < mapping_.segment_columns.size(); ++k) {
    const std::size_t c = mapping_.segment_columns[k];
    value_of_column_[k] = kNoValue;
    if (c >= cells.size()) continue;
    const std::string_view value = trimmed(cells[c]);
    if (value.empty()) continue;
    auto& values = mapping_.segment_values[k];
    std::size_t at = value_index_[k].find_or_add(values, value);
    if (at == DistinctIndex::kNotFound) {
      if (values.size() > kMaxSegmentValues) {
        too_many_ = k;
        return false;
      }
      at = values.size() - 1;
      mapping_.segment_of_value[k].push_back(resolve(k, value));
    }
    value_of_column_[k] = at;
  }
  return true;
}

void SurveyRowChecker::add_problem(std::size_t row, std::size_t column, std::string_view value,
                                   std::string reason) {
  problems_.push_back(import_problem(row, column, headers_, value, std::move(reason)));
}

void SurveyRowChecker::check(const CsvRecord& record) {
  problems_.clear();
  id_first_seen_ = false;
  const std::vector<std::string_view>& cells = record.fields;
  if (cells.size() != headers_.size()) {
    add_problem(record.row, 0, "",
                "ragged row: " + std::to_string(cells.size()) + " fields, but the " +
                    "header has " + std::to_string(headers_.size()));
    return;
  }
  std::fill(answers_.begin(), answers_.end(), kNaN);
  std::fill(membership_.begin(), membership_.end(), 0);
  std::fill(std::begin(metrics_), std::end(metrics_), kNaN);
  // A score inside its bounds is taken at once; anything else goes through check_score() or
  // check_metric(), which decide and say why.
  for (std::size_t i = 0; i < mapping_.item_columns.size(); ++i) {
    const auto [c, j] = mapping_.item_columns[i];
    const std::string_view v = cells[c];
    const ScoreBounds& bounds = item_bounds_[i];
    if (const int small = small_whole_number(v); small >= 0 && bounds.accepts_whole(small)) {
      answers_[j] = small;
      continue;
    }
    if (is_blank(v)) continue;
    const auto number = read_number(v, mapping_.decimal_comma);
    if (number && bounds.accepts(*number)) {
      answers_[j] = *number;
      continue;
    }
    if (!number) {
      add_problem(record.row, c + 1, v, "not a number");
      continue;
    }
    const Item& item = target_.items[j];
    if (auto s = check_score(*number, item, "", true); !s.ok()) {
      add_problem(record.row, c + 1, v,
                  item.scale.is_rating()
                      ? (*number != std::floor(*number) && *number >= item.scale.low() &&
                                 *number <= item.scale.high()
                             ? "not a whole number on the " + describe(item.scale)
                             : "outside the " + describe(item.scale) + " of \"" + item.label + "\"")
                      : "outside 0 to " + std::to_string(static_cast<long long>(kMaxAmount)));
      continue;
    }
    answers_[j] = *number;
  }
  for (std::size_t k = 0; k < kMetricCount; ++k) {
    if (!mapping_.metric_column[k]) continue;
    const std::size_t c = *mapping_.metric_column[k];
    const std::string_view v = cells[c];
    if (const int small = small_whole_number(v);
        small >= 0 && metric_bounds_[k].accepts_whole(small)) {
      metrics_[k] = small;
      continue;
    }
    if (is_blank(v)) continue;
    const auto number = read_number(v, mapping_.decimal_comma);
    const auto metric = static_cast<Metric>(k);
    if (number && metric_bounds_[k].accepts(*number)) {
      metrics_[k] = *number;
    } else if (!number) {
      add_problem(record.row, c + 1, v, "not a number");
    } else if (!check_metric(target_, metric, *number, "").ok()) {
      add_problem(record.row, c + 1, v,
                  "outside the " + describe(metric_scale(target_, metric)) + " of " +
                      std::string(metric_label(metric)) + " (whole numbers)");
    } else {
      metrics_[k] = *number;
    }
  }
  std::fill(column_of_group_.begin(), column_of_group_.end(), kNoColumn);
  for (std::size_t k = 0; k < mapping_.segment_columns.size(); ++k) {
    const std::size_t c = mapping_.segment_columns[k];
    if (value_of_column_[k] == kNoValue) continue;  // blank
    const std::size_t segment = mapping_.segment_of_value[k][value_of_column_[k]];
    if (segment == kNoSegment) {
      const std::string_view v = cells[c];
      add_problem(record.row, c + 1, v,
                  plain_text_problem(trimmed(v), "segment name").value_or("unknown segment"));
      continue;
    }
    // Two columns may fill one group (the proposal maps "plan" and "tier" onto the model's
    // "size" when their values are its segments), but a respondent is in at most one segment
    // of a group.
    const std::size_t group = group_of_segment_[segment];
    if (group != kNoGroup && membership_[segment] == 0) {
      const std::size_t other = column_of_group_[group];
      if (other != kNoColumn) {
        add_problem(record.row, c + 1, cells[c],
                    "a second segment of group \"" + groups_[group] + "\" (" +
                        column_name(other, headers_[other]) + " already gives one)");
        continue;
      }
      column_of_group_[group] = c;
    }
    membership_[segment] = 1;
  }
  id_ = {};
  if (mapping_.id_column) {
    const std::string_view v = cells[*mapping_.id_column];
    id_ = trimmed(v);
    if (auto problem = plain_text_problem(id_, "id")) {
      add_problem(record.row, *mapping_.id_column + 1, v, std::move(*problem));
    } else if (!id_.empty()) {
      if (const auto first = seen_ids_.insert(id_, record.row)) {
        add_problem(record.row, *mapping_.id_column + 1, v,
                    std::string(kIdAlsoOnRow) + std::to_string(*first));
      } else {
        id_first_seen_ = true;
      }
    }
  }
}

RowPass::RowPass(StagedImport& staged, SurveyRowChecker& checker, SurveyRowSink& sink,
                 bool header_first, IdList* problem_ids)
    : staged_(staged),
      checker_(checker),
      sink_(sink),
      problem_ids_(problem_ids),
      index_(header_first ? 0 : 1),
      announced_(checker.segments().size()) {
  staged_.rows_total = staged_.rows_valid = staged_.problem_count = 0;
  staged_.problems.clear();
}

bool RowPass::operator()(const CsvRecord& record) {
  if (index_++ == 0) return true;  // the header
  if (!checker_.collect(record.fields)) return false;
  for (; announced_ < checker_.segments().size(); ++announced_) {
    sink_.add_segment(checker_.segments()[announced_]);
  }
  if (!sink_open_) return true;  // the rest of the file still names segments
  ++staged_.rows_total;
  checker_.check(record);
  std::vector<ImportProblem>& problems = checker_.problems();
  if (!problems.empty()) {
    if (problem_ids_ != nullptr && checker_.id_first_seen()) problem_ids_->add(checker_.id());
    staged_.problem_count += problems.size();
    for (auto& p : problems) {
      if (staged_.problems.size() < kMaxListedProblems) staged_.problems.push_back(std::move(p));
    }
    return true;
  }
  ++staged_.rows_valid;
  sink_open_ =
      sink_.row(checker_.answers(), checker_.membership(), checker_.metrics(), checker_.id());
  return true;
}

bool any_id_in(const IdRows& ids, const Responses& rows, const IdList& more) {
  // Serial ids (most exports): when those in `ids` were in order, and these follow on in order,
  // none can be one of them (a second part's 500k ids in wasm: 60 -> 23 -> 4 ms).
  if (ids.in_order() && more.size() == 0 && rows.has_ids() && rows.ids_increasing() &&
      (ids.last().empty() || id_before(ids.last(), rows.id(0)))) {
    return false;
  }
  // Else each is looked up (500k random ids against 500k in wasm: inserting them took 230 ms).
  if (rows.has_ids()) {
    for (std::size_t r = 0; r < rows.rows(); ++r) {
      const std::string_view id = rows.id(r);
      if (!id.empty() && ids.find(id)) return true;
    }
  }
  for (std::size_t k = 0; k < more.size(); ++k) {
    if (more[k].empty() || ids.find(more[k])) return true;
  }
  return false;
}

void StagedRows::begin(const Model& target) {
  // The target's empty columns (with no rows there is nothing to refuse).
  auto empty = Responses::from_input(target, ResponseInput{});
  rows_.emplace(empty.ok() ? std::move(empty).value() : Responses());
}

void StagedRows::add_segment(const Segment&) {
  rows_->add_segment_column();
}

bool StagedRows::row(const double* answers, const std::uint8_t* membership, const double* metrics,
                     std::string_view id) {
  rows_->append(answers, membership, metrics, id);
  return true;
}

void StagedRows::end(const Model&, const std::vector<std::size_t>& order) {
  responses_ = take_in_pass_order();
  responses_.order_segments(order);  // one column per segment of `target`
}

Responses StagedRows::take_in_pass_order() {
  Responses out = rows_->finish();
  rows_.reset();
  return out;
}

}  // namespace cvc::detail
