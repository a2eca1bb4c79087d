#include "cvc/survey_import.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "cvc/csv.hpp"
#include "survey_rows.hpp"
#include "table_text.hpp"

namespace cvc {
namespace {

using namespace detail;  // NOLINT: the shared text helpers of table_text.hpp

Kind guess_kind(const std::string& label, Side side) {
  const std::string l = lower_ascii(label);
  const auto any = [&](std::initializer_list<const char*> words) {
    for (const char* w : words) {
      if (contains(l, w)) return true;
    }
    return false;
  };
  if (side == Side::cost) {
    if (any({"frustrat", "annoy", "stress"})) return Kind::frustration;
    if (any({"risk", "lock-in", "lock in", "complian", "security"})) return Kind::risk;
    if (any({"onboard", "implement", "setup", "set-up", "migrat"})) return Kind::onboarding;
    if (any({"train", "learn"})) return Kind::training;
    if (any({"support", "mainten", "upkeep"})) return Kind::support;
    if (any({"effort", "hard", "difficult", "complex"})) return Kind::effort;
    if (any({"time", "hours", "wait", "slow"})) return Kind::time;
    return Kind::price;
  }
  if (any({"saving", "money", "roi", "revenue", "cost", "discount"})) return Kind::monetary;
  if (any({"confiden", "peace", "trust", "secure", "calm"})) return Kind::psychological;
  if (any({"recogni", "status", "social", "peer", "community", "reputation"})) {
    return Kind::social;
  }
  if (any({"service", "respons", "experience", "support", "friendl"})) return Kind::experiential;
  return Kind::functional;
}

// The scale a numeric column was most likely asked on.
Scale detect_scale(const ColumnProfile& p) {
  Scale scale;
  if (p.numeric == 0) return scale;  // nothing to go on: the default 1–5
  if (p.whole_numbers && p.min >= 0) {
    if (p.min >= 1 && p.max <= 5) return scale;
    scale.type = ScaleType::likert_1_7;
    if (p.min >= 1 && p.max <= 7) return scale;
    scale.type = ScaleType::likert_1_10;
    if (p.min >= 1 && p.max <= 10) return scale;
    scale.type = ScaleType::rating_0_10;
    if (p.max <= 10) return scale;
  }
  scale.type = ScaleType::currency;
  scale.reference_amount = std::min(kMaxAmount, nice_ceiling(std::max(p.max, 1.0)));
  return scale;
}

std::optional<std::size_t> find_item(const Model& model, const std::string& name,
                                     std::optional<Side> side) {
  const std::string key = normalise_header(name);
  for (std::size_t j = 0; j < model.items.size(); ++j) {
    const Item& item = model.items[j];
    if (side && item.side != *side) continue;
    if (normalise_header(item.id) == key || normalise_header(item.label) == key) return j;
  }
  return std::nullopt;
}

ColumnMapping propose(std::size_t column, const std::string& header, const ColumnProfile& profile,
                      const Model& model, std::set<std::string>& taken_ids, bool& have_id,
                      std::set<ColumnRole>& metrics_taken) {
  ColumnMapping m;
  m.column = column;
  const std::string key = normalise_header(header);
  const auto metric = [&](ColumnRole role) {
    if (metrics_taken.insert(role).second) m.role = role;
    return m;
  };
  if (starts_with(key, "benefit:") || starts_with(key, "cost:")) {
    const Side side = starts_with(key, "benefit:") ? Side::benefit : Side::cost;
    const std::string label = trim(std::string_view(header).substr(header.find(':') + 1));
    m.role = ColumnRole::item;
    if (const auto existing = find_item(model, label, side)) {
      m.item_id = model.items[*existing].id;
      return m;
    }
    m.create_item = true;
    // The label becomes the item's: plain text of at most kMaxLabelLength bytes.
    m.new_item.label = plain_label(label.empty() ? header : label, column_name(column, ""));
    m.new_item.side = side;
    m.new_item.kind = guess_kind(m.new_item.label, side);
    m.new_item.scale = detect_scale(profile);
    m.item_id = unique_id(slug(m.new_item.label), taken_ids);
    m.new_item.id = m.item_id;
    return m;
  }
  if (starts_with(key, "segment:")) {
    m.role = ColumnRole::segment;
    m.group = plain_label(std::string_view(header).substr(header.find(':') + 1), "");
    return m;
  }
  static const std::set<std::string> kIdHeaders{
      "id",       "respondent", "respondent id", "response id", "customer id",
      "customer", "user id",    "account id",    "record id",   "respondentid"};
  if (kIdHeaders.count(key) > 0 && !have_id) {
    have_id = true;
    m.role = ColumnRole::respondent_id;
    return m;
  }
  if (key == "nps" || key == "ltr" || contains(key, "recommend") || key == "net promoter score") {
    return metric(ColumnRole::nps);
  }
  if (key == "csat" || key == "satisfaction" || key == "customer satisfaction" ||
      key == "csat score") {
    return metric(ColumnRole::csat);
  }
  if (key == "ces" || key == "customer effort" || key == "customer effort score" ||
      key == "effort score" || key == "ces score") {
    return metric(ColumnRole::ces);
  }
  if (const auto existing = find_item(model, header, std::nullopt)) {
    m.role = ColumnRole::item;
    m.item_id = model.items[*existing].id;
    return m;
  }
  static const std::set<std::string> kSegmentHeaders{
      "segment", "plan",   "tier",   "company size", "size",   "experience",
      "tenure",  "region", "market", "industry",     "cohort", "user type"};
  const bool few_text_values = profile.text > 0 && profile.numeric == 0 &&
                               !profile.distinct.empty() && profile.distinct.size() <= 12 &&
                               profile.distinct.size() * 2 <= profile.text + profile.blank;
  if (kSegmentHeaders.count(key) > 0 || few_text_values) {
    m.role = ColumnRole::segment;
    m.group = plain_label(header, "");
    // A column whose values are all segments of one existing group ("plan": SMB, Enterprise)
    // fills that group instead of starting a new one.
    if (!profile.distinct.empty() && profile.distinct.size() <= kMaxSegmentValues) {
      std::set<std::string> groups;
      for (const Segment& seg : model.segments) {
        if (!seg.group.empty()) groups.insert(seg.group);
      }
      for (const std::string& group : groups) {
        bool all = true;
        for (const std::string& value : profile.distinct) {
          bool found = false;
          for (const Segment& seg : model.segments) {
            found = found || (seg.group == group &&
                              (normalise_header(seg.label) == normalise_header(value) ||
                               normalise_header(seg.id) == normalise_header(value)));
          }
          all = all && found;
        }
        if (all) {
          m.group = group;
          break;
        }
      }
    }
  }
  return m;
}

// The segments of the segment columns' values, as the import makes them: column by column, each
// value in sorted order is the last segment it names (segment_matches), or else a new segment
// of its column's group, appended to `target` with an id made from the value. Per column,
// `segment_of_value` says the segment of each value (parallel to `values`; kNoSegment for a
// value that is not a plain-text name).
Status make_segments(const std::vector<std::vector<std::string>>& values, const RowMapping& rows,
                     const std::vector<std::string>& headers, Model& target,
                     std::vector<std::string>& created,
                     std::vector<std::vector<std::size_t>>& segment_of_value) {
  std::set<std::string> taken;
  for (const Segment& s : target.segments) taken.insert(s.id);
  segment_of_value.assign(values.size(), {});
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::size_t c = rows.segment_columns[k];
    const std::string& group = rows.segment_groups[k];
    const std::vector<std::string>& list = values[k];
    if (list.size() > kMaxSegmentValues) {
      return Error{"mapping, column " + std::to_string(c + 1),
                   column_name(c, headers[c]) + " has more than " +
                       std::to_string(kMaxSegmentValues) +
                       " different values; a segment column names a few groups of customers "
                       "(map it as the respondent id or ignore it)."};
    }
    std::vector<std::size_t> sorted(list.size());
    std::iota(sorted.begin(), sorted.end(), std::size_t{0});
    std::sort(sorted.begin(), sorted.end(),
              [&](std::size_t a, std::size_t b) { return list[a] < list[b]; });
    segment_of_value[k].assign(list.size(), kNoSegment);
    for (const std::size_t i : sorted) {
      const std::string& value = list[i];
      if (plain_text_problem(value, "segment name")) continue;  // reported per row
      std::optional<std::size_t> found;
      for (std::size_t s = 0; s < target.segments.size(); ++s) {
        if (segment_matches(target.segments[s], group, value)) found = s;
      }
      if (!found) {
        Segment seg;
        seg.label = value;
        seg.group = group;
        seg.id = unique_id(slug(value).empty() ? slug(group) : slug(value), taken);
        target.segments.push_back(seg);
        if (auto s = validate(target); !s.ok()) {
          return Error{"mapping, column " + std::to_string(c + 1),
                       "The segment \"" + clip(value) + "\" of " + column_name(c, headers[c]) +
                           " cannot be created: " + s.error().message};
        }
        created.push_back(seg.id);
        found = target.segments.size() - 1;
      }
      segment_of_value[k][i] = *found;
    }
  }
  return Status::success();
}

// The segment of a pass over the rows (a checker's: `seen`, its segment column values in order
// of first sight and the segment each is) for each final segment of `target` (made from the
// values of the whole file, `values` with `segment_of_value`): the given segments where they
// were, each new one the pass's segment of all its values and of the same group, kNoSegment
// for one the pass never saw (a part of the file). Nothing when the pass's segments are not the
// final ones renumbered one to one: its checks (one segment per group) would then differ.
std::optional<std::vector<std::size_t>> pass_order(
    const std::vector<Segment>& seen, std::size_t given, const Model& target,
    const std::vector<std::vector<std::string>>& seen_values,
    const std::vector<std::vector<std::size_t>>& seen_segment_of_value,
    const std::vector<std::vector<std::string>>& values,
    const std::vector<std::vector<std::size_t>>& segment_of_value) {
  if (seen.size() > target.segments.size() || seen_values.size() != values.size()) {
    return std::nullopt;
  }
  std::vector<std::size_t> order(target.segments.size(), kNoSegment);
  for (std::size_t s = 0; s < given; ++s) order[s] = s;
  for (std::size_t k = 0; k < values.size(); ++k) {
    for (std::size_t i = 0; i < seen_values[k].size(); ++i) {
      const std::string& value = seen_values[k][i];
      std::size_t j = i;  // the whole file's list starts with the first part's
      if (j >= values[k].size() || values[k][j] != value) {
        j = static_cast<std::size_t>(std::find(values[k].begin(), values[k].end(), value) -
                                     values[k].begin());
        if (j == values[k].size()) return std::nullopt;
      }
      const std::size_t was = seen_segment_of_value[k][i];
      const std::size_t is = segment_of_value[k][j];
      if (was == kNoSegment || is == kNoSegment || was < given || is < given) {
        if (was != is) return std::nullopt;
        continue;
      }
      if (seen[was].group != target.segments[is].group) return std::nullopt;
      if (order[is] != kNoSegment && order[is] != was) return std::nullopt;
      order[is] = was;
    }
  }
  std::vector<bool> used(seen.size(), false);
  for (const std::size_t was : order) {
    if (was == kNoSegment) continue;
    if (used[was]) return std::nullopt;
    used[was] = true;
  }
  if (std::find(used.begin(), used.end(), false) != used.end()) return std::nullopt;
  return order;
}

// pass_order() for a pass over the whole file, where every final segment is one of the pass's.
std::optional<std::vector<std::size_t>> final_order(
    const SurveyRowChecker& checker, std::size_t given, const Model& target,
    const std::vector<std::vector<std::size_t>>& segment_of_value) {
  if (checker.segments().size() != target.segments.size()) return std::nullopt;
  return pass_order(checker.segments(), given, target, checker.segment_values(),
                    checker.segment_of_value(), checker.segment_values(), segment_of_value);
}

}  // namespace

std::string_view to_string(ColumnRole role) {
  switch (role) {
    case ColumnRole::ignore:
      return "ignore";
    case ColumnRole::respondent_id:
      return "respondent_id";
    case ColumnRole::segment:
      return "segment";
    case ColumnRole::nps:
      return "nps";
    case ColumnRole::csat:
      return "csat";
    case ColumnRole::ces:
      return "ces";
    case ColumnRole::item:
      return "item";
  }
  return "ignore";
}

std::optional<ColumnRole> column_role_from_string(std::string_view text) {
  for (const auto role : {ColumnRole::ignore, ColumnRole::respondent_id, ColumnRole::segment,
                          ColumnRole::nps, ColumnRole::csat, ColumnRole::ces, ColumnRole::item}) {
    if (to_string(role) == text) return role;
  }
  return std::nullopt;
}

namespace detail {

// Here rather than in survey_rows.cpp (built for speed in the module): it runs once per
// column, and for speed its sort and searches took 3.9 KB more of the page gzipped.
ColumnProfile finish_profile(ColumnProfiler&& profiler, bool decimal_comma) {
  ColumnProfile p = std::move(profiler.profile);
  // The one- and two-digit cells: their numbers (a text's first row is where its number was
  // first reached, and "7" and "07" are one number) and their texts among the distinct values,
  // which stay in order of first appearance and are cut as add_distinct() cuts them.
  NumberStats small;
  std::vector<std::pair<std::size_t, std::string>> texts;  // (first row, text)
  for (std::size_t t = 0; t < ColumnProfiler::kSmallTexts; ++t) {
    const std::size_t count = profiler.small_count[t];
    if (count == 0) continue;
    const std::size_t row = profiler.small_first_row[t];
    const std::size_t n = t < 10 ? t : t - 10;
    NumberStats one;
    one.numeric = count;
    one.min = one.max = static_cast<double>(n);
    one.min_row = one.max_row = row;
    small.merge(one);
    const char ones = static_cast<char>('0' + n % 10);
    texts.emplace_back(
        row, t < 10 ? std::string(1, ones) : std::string{static_cast<char>('0' + n / 10), ones});
  }
  if (!texts.empty()) {
    std::vector<std::pair<std::size_t, std::string>> all = std::move(texts);
    for (std::size_t i = 0; i < p.distinct.size(); ++i) {
      all.emplace_back(profiler.distinct_rows[i], std::move(p.distinct[i]));
    }
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    p.distinct.clear();
    for (auto& [row, text] : all) {
      if (p.distinct.size() > kMaxSegmentValues) break;
      // A cell such as " 7" (not counted as a digit, but "7" once trimmed) may repeat a text
      // counted here: the first one stays.
      if (text.size() <= 2 &&
          std::find(p.distinct.begin(), p.distinct.end(), text) != p.distinct.end()) {
        continue;
      }
      p.distinct.push_back(std::move(text));
    }
  }
  NumberStats numbers = profiler.same;
  numbers.merge(small);
  numbers.merge(decimal_comma ? profiler.comma : profiler.point);
  p.numeric = numbers.numeric;
  p.text = numbers.text;
  p.min = numbers.min;
  p.max = numbers.max;
  p.whole_numbers = numbers.whole_numbers;
  return p;
}

}  // namespace detail

Expected<TablePreview> preview_table(std::string_view bytes) {
  return preview_table(MemorySource(bytes));
}

namespace detail {

void PreviewRows::append(PreviewRows&& later) {
  const std::size_t offset = data_rows;  // later's rows are numbered from 1 again
  const auto shifted = [offset](NumberStats stats) {
    stats.min_row += offset;
    stats.max_row += offset;
    return stats;
  };
  for (std::size_t c = 0; c < columns.size() && c < later.columns.size(); ++c) {
    ColumnProfiler& to = columns[c];
    ColumnProfiler& from = later.columns[c];
    to.profile.blank += from.profile.blank;
    for (auto& example : from.profile.examples) {
      if (to.profile.examples.size() < kExamples) to.profile.examples.push_back(std::move(example));
    }
    // The later part's distinct values in their order, after these: those it cut are never
    // needed (at most as many of the ones it kept repeat values here as there are here).
    for (std::size_t i = 0; i < from.profile.distinct.size(); ++i) {
      to.add_distinct(from.profile.distinct[i], from.distinct_rows[i] + offset);
    }
    to.same.merge(shifted(from.same));
    to.point.merge(shifted(from.point));
    to.comma.merge(shifted(from.comma));
    for (std::size_t t = 0; t < ColumnProfiler::kSmallTexts; ++t) {
      if (from.small_count[t] == 0) continue;
      if (to.small_first_row[t] == 0) to.small_first_row[t] = from.small_first_row[t] + offset;
      to.small_count[t] += from.small_count[t];
    }
  }
  data_rows += later.data_rows;
  for (auto& row : later.sample) {
    if (sample.size() < kSampleRows) sample.push_back(std::move(row));
  }
  saw_comma_decimal = saw_comma_decimal || later.saw_comma_decimal;
  saw_point_decimal = saw_point_decimal || later.saw_point_decimal;
}

}  // namespace detail

struct PreviewPart::State {
  char delimiter = ',';
  std::vector<std::string> headers;
  bool boundary = true;
  detail::PreviewRows rows;
};

PreviewPart::PreviewPart() : state_(std::make_unique<State>()) {}
PreviewPart::~PreviewPart() = default;
PreviewPart::PreviewPart(PreviewPart&&) noexcept = default;
PreviewPart& PreviewPart::operator=(PreviewPart&&) noexcept = default;

namespace {

// The header row when it ends within `head` (a part from inside the file reads it there).
// A reader's callback that takes the first record as the header row (its cells trimmed), notes
// that it was read, and stops the reader.
CsvReader::RecordCallback take_header_row(std::vector<std::string>& headers, bool& read) {
  return [&headers, &read](const CsvRecord& record) {
    for (const auto field : record.fields) headers.push_back(trim(field));
    read = true;
    return false;
  };
}

Expected<std::vector<std::string>> header_row_in(std::string_view head, char delimiter) {
  std::vector<std::string> headers;
  bool ended = false;  // the record ended before the head did: fed, not only flushed by finish()
  CsvReader reader(delimiter, take_header_row(headers, ended));
  reader.feed(head);
  if (!ended) return Error{"file", "The header row does not end in the file's first bytes."};
  if (auto s = check_headers(headers); !s.ok()) return s.error();
  return headers;
}

}  // namespace

Expected<PreviewPart> PreviewPart::read(const ByteSource& source, bool first) {
  if (auto s = check_file_is_text(source.head()); !s.ok()) return s.error();
  PreviewPart part;
  State& st = *part.state_;
  st.delimiter = detect_delimiter(source.head().substr(0, kSniffBytes));
  st.rows.comma_possible = st.delimiter != ',';
  bool have_header = !first;
  if (!first) {
    auto headers = header_row_in(source.head(), st.delimiter);
    if (!headers.ok()) return headers.error();
    st.headers = std::move(headers).value();
    st.rows.columns.resize(st.headers.size());
  }
  Status header_status;
  CsvReader reader(st.delimiter, [&](const CsvRecord& record) {
    if (!have_header) {
      have_header = true;
      for (const auto field : record.fields) st.headers.push_back(trim(field));
      header_status = check_headers(st.headers);
      st.rows.columns.resize(st.headers.size());
      return header_status.ok();
    }
    st.rows.add(record.fields);
    return true;
  });
  if (!first) reader.start_inside_file();
  if (auto s = source.feed(reader); !s.ok()) return s.error();
  if (!header_status.ok()) return header_status.error();
  // A first part must hold the header row (else it could not be followed by the rest).
  if (!have_header) return Error{"file", "The file's first part has no header row."};
  st.boundary = reader.at_record_boundary();
  if (auto s = reader.finish(); !s.ok()) return s.error();
  return part;
}

bool PreviewPart::ends_on_record_boundary() const {
  return state_->boundary;
}

Status PreviewPart::append(PreviewPart&& later) {
  State& st = *state_;
  if (!st.boundary) {
    return Error{"file", "The file's first part does not end where a row ends (inside quotes?)."};
  }
  if (later.state_->delimiter != st.delimiter || later.state_->headers != st.headers) {
    return Error{"file", "The parts are not of one file: their header rows differ."};
  }
  st.rows.append(std::move(later.state_->rows));
  st.boundary = later.state_->boundary;
  return Status::success();
}

Expected<TablePreview> PreviewPart::table() const {
  const State& st = *state_;
  if (st.headers.empty()) {
    return Error{"file", "The file is empty: there is no header row and no data."};
  }
  if (st.rows.data_rows == 0) {
    return Error{"file", "The file has a header row but no data rows."};
  }
  TablePreview preview;
  preview.delimiter = st.delimiter;
  preview.headers = st.headers;
  preview.data_rows = st.rows.data_rows;
  preview.decimal_comma = st.rows.saw_comma_decimal && !st.rows.saw_point_decimal;
  for (const auto& profiler : st.rows.columns) {
    preview.profiles.push_back(
        finish_profile(detail::ColumnProfiler(profiler), preview.decimal_comma));
  }
  preview.sample_rows = st.rows.sample;
  for (auto& row : preview.sample_rows) {
    for (auto& v : row) {
      if (!is_valid_utf8(v)) v = "(not UTF-8 text)";
      v = clip(v, 200);
    }
  }
  return preview;
}

namespace {

// A part's bytes (PreviewPart::to_bytes): numbers as 8 bytes, little-endian (doubles by their
// bits, so -0 stays -0), and strings as their length and bytes.
class PartWriter {
 public:
  void number(std::uint64_t n) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  void real(double x) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    number(bits);
  }
  void text(std::string_view s) {
    number(s.size());
    out_.append(s.data(), s.size());
  }
  void texts(const std::vector<std::string>& list) {
    number(list.size());
    for (const auto& s : list) text(s);
  }
  void stats(const detail::NumberStats& n) {
    number(n.numeric);
    number(n.text);
    real(n.min);
    real(n.max);
    number(n.min_row);
    number(n.max_row);
    number(n.whole_numbers);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what PartWriter wrote; once anything is out of bounds, ok() is false for good.
class PartReader {
 public:
  explicit PartReader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  std::uint64_t number() {
    if (in_.size() < 8) return fail();
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i) n |= std::uint64_t{static_cast<unsigned char>(in_[i])} << (8 * i);
    in_.remove_prefix(8);
    return n;
  }
  // A count of things of at least `unit` bytes each: never more than the bytes left allow.
  std::size_t count(std::size_t unit = 1) {
    const std::uint64_t n = number();
    if (n > in_.size() / unit) return static_cast<std::size_t>(fail());
    return static_cast<std::size_t>(n);
  }
  // A number that must fit a std::size_t (a count or a row).
  std::size_t size() {
    const std::uint64_t n = number();
    if (n > std::numeric_limits<std::size_t>::max()) return static_cast<std::size_t>(fail());
    return static_cast<std::size_t>(n);
  }
  double real() {
    const std::uint64_t bits = number();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    return x;
  }
  std::string text() {
    const std::size_t n = count();
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  std::vector<std::string> texts() {
    std::vector<std::string> list(count(8));
    for (auto& s : list) s = text();
    return list;
  }
  detail::NumberStats stats() {
    detail::NumberStats n;
    n.numeric = static_cast<std::size_t>(number());
    n.text = static_cast<std::size_t>(number());
    n.min = real();
    n.max = real();
    n.min_row = static_cast<std::size_t>(number());
    n.max_row = static_cast<std::size_t>(number());
    n.whole_numbers = number() != 0;
    return n;
  }
  bool at_end() const { return in_.empty(); }

 private:
  std::uint64_t fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string PreviewPart::to_bytes() const {
  const State& st = *state_;
  PartWriter w;
  w.text("cvc-preview-part-1");
  w.number(static_cast<unsigned char>(st.delimiter));
  w.texts(st.headers);
  w.number(st.boundary);
  w.number(st.rows.data_rows);
  w.number(st.rows.sample.size());
  for (const auto& row : st.rows.sample) w.texts(row);
  w.number(st.rows.comma_possible);
  w.number(st.rows.saw_comma_decimal);
  w.number(st.rows.saw_point_decimal);
  w.number(st.rows.columns.size());
  for (const auto& c : st.rows.columns) {
    w.number(c.profile.blank);
    w.texts(c.profile.examples);
    w.texts(c.profile.distinct);
    for (const std::size_t row : c.distinct_rows) w.number(row);
    w.stats(c.same);
    w.stats(c.point);
    w.stats(c.comma);
    for (std::size_t t = 0; t < detail::ColumnProfiler::kSmallTexts; ++t) {
      w.number(c.small_count[t]);
      w.number(c.small_first_row[t]);
    }
  }
  return w.take();
}

Expected<PreviewPart> PreviewPart::from_bytes(std::string_view bytes) {
  const Error damaged{"file", "The preview of the file's second part is damaged."};
  PartReader r(bytes);
  if (r.text() != "cvc-preview-part-1") return damaged;
  PreviewPart part;
  State& st = *part.state_;
  st.delimiter = static_cast<char>(r.number());
  st.headers = r.texts();
  st.boundary = r.number() != 0;
  st.rows.data_rows = static_cast<std::size_t>(r.number());
  st.rows.sample.resize(r.count(8));
  for (auto& row : st.rows.sample) row = r.texts();
  st.rows.comma_possible = r.number() != 0;
  st.rows.saw_comma_decimal = r.number() != 0;
  st.rows.saw_point_decimal = r.number() != 0;
  const std::size_t columns = r.count(8);
  if (!r.ok() || columns != st.headers.size() || st.headers.size() > kMaxColumns ||
      st.rows.sample.size() > kSampleRows) {
    return damaged;
  }
  st.rows.columns.resize(columns);
  for (auto& c : st.rows.columns) {
    c.profile.blank = static_cast<std::size_t>(r.number());
    c.profile.examples = r.texts();
    // The distinct values go through the index again (DistinctIndex holds at most
    // kMaxSegmentValues + 1, each once).
    const std::vector<std::string> distinct = r.texts();
    if (!r.ok() || distinct.size() > kMaxSegmentValues + 1 ||
        c.profile.examples.size() > detail::kExamples) {
      return damaged;
    }
    for (const auto& value : distinct) {
      if (c.distinct_index.find_or_add(c.profile.distinct, value) !=
          detail::DistinctIndex::kNotFound) {
        return damaged;
      }
      c.distinct_rows.push_back(static_cast<std::size_t>(r.number()));
    }
    c.same = r.stats();
    c.point = r.stats();
    c.comma = r.stats();
    for (std::size_t t = 0; t < detail::ColumnProfiler::kSmallTexts; ++t) {
      c.small_count[t] = static_cast<std::size_t>(r.number());
      c.small_first_row[t] = static_cast<std::size_t>(r.number());
    }
  }
  if (!r.ok() || !r.at_end()) return damaged;
  return part;
}

Expected<TablePreview> preview_table(const ByteSource& source) {
  auto part = PreviewPart::read(source, true);
  if (!part.ok()) return part.error();
  return part.value().table();
}

Expected<std::vector<std::string>> read_headers(std::string_view bytes, char delimiter) {
  return read_headers(MemorySource(bytes), delimiter);
}

Expected<std::vector<std::string>> read_headers(const ByteSource& source, char delimiter) {
  if (auto s = check_file_is_text(source.head()); !s.ok()) return s.error();
  std::vector<std::string> headers;
  bool read = false;
  CsvReader header_reader(delimiter, take_header_row(headers, read));
  if (auto s = source.feed(header_reader); !s.ok()) return s.error();
  if (auto s = header_reader.finish(); !s.ok()) return s.error();
  if (auto s = check_headers(headers); !s.ok()) return s.error();
  return headers;
}

namespace {
CsvPreview with_proposals(TablePreview table, const Model& model);
}  // namespace

Expected<CsvPreview> preview_survey_csv(std::string_view bytes, const Model& model) {
  return preview_survey_csv(MemorySource(bytes), model);
}

Expected<CsvPreview> preview_survey_csv(const ByteSource& source, const Model& model) {
  auto table = preview_table(source);
  if (!table.ok()) return table.error();
  return with_proposals(std::move(table).value(), model);
}

Expected<CsvPreview> PreviewPart::preview(const Model& model) const {
  auto table = this->table();
  if (!table.ok()) return table.error();
  return with_proposals(std::move(table).value(), model);
}

namespace {

// The preview of a table: a proposed mapping of its columns onto `model`.
CsvPreview with_proposals(TablePreview table, const Model& model) {
  CsvPreview preview;
  static_cast<TablePreview&>(preview) = std::move(table);
  std::set<std::string> taken_ids;
  for (const Item& item : model.items) taken_ids.insert(item.id);
  bool have_id = false;
  std::set<ColumnRole> metrics_taken;
  for (std::size_t c = 0; c < preview.headers.size(); ++c) {
    preview.proposed.push_back(propose(c, preview.headers[c], preview.profiles[c], model, taken_ids,
                                       have_id, metrics_taken));
  }
  // A CSAT column asked on another scale than the model's: propose that scale, with its
  // top-two-box cut (4 on 1–5, 6 on 1–7, 9 on 1–10).
  preview.proposed_satisfaction = model.satisfaction;
  for (std::size_t c = 0; c < preview.proposed.size(); ++c) {
    const ColumnProfile& p = preview.profiles[c];
    if (preview.proposed[c].role != ColumnRole::csat || p.numeric == 0 || !p.whole_numbers ||
        p.min < 1) {
      continue;
    }
    const ScaleType detected = p.max <= 5    ? ScaleType::likert_1_5
                               : p.max <= 7  ? ScaleType::likert_1_7
                               : p.max <= 10 ? ScaleType::likert_1_10
                                             : model.satisfaction.csat_scale;
    Scale current;
    current.type = model.satisfaction.csat_scale;
    if (detected != current.type && p.max > current.high()) {
      Scale scale;
      scale.type = detected;
      preview.proposed_satisfaction.csat_scale = detected;
      preview.proposed_satisfaction.csat_satisfied_from = static_cast<int>(scale.high()) - 1;
    }
  }
  return preview;
}

}  // namespace

Expected<StagedImport> stage_survey_import(std::string_view bytes, const Model& model,
                                           const std::vector<ColumnMapping>& mapping,
                                           char delimiter, bool decimal_comma,
                                           const SatisfactionSettings* satisfaction) {
  return stage_survey_import(MemorySource(bytes), model, mapping, delimiter, decimal_comma,
                             satisfaction);
}

Expected<StagedImport> stage_survey_import(const ByteSource& source, const Model& model,
                                           const std::vector<ColumnMapping>& mapping,
                                           char delimiter, bool decimal_comma,
                                           const SatisfactionSettings* satisfaction) {
  // The valid rows are stored as they come (RowAppender): the row checker has checked each
  // value as Responses::from_input() would. A row-major buffer checked again by from_input()
  // took a third of the check in wasm (1M rows: from_input 150 ms, the buffer 90 ms of 850).
  StagedRows rows;
  auto staged =
      stage_survey_rows(source, model, mapping, delimiter, decimal_comma, satisfaction, rows);
  if (!staged.ok()) return staged.error();
  StagedImport result = std::move(staged).value();
  result.responses = rows.take();
  return result;
}

namespace {

// A confirmed mapping resolved against a file's header row: the target model (the given one
// plus the items the mapping creates; `staged` holds it and created_items) and what each column
// is read as.
struct ImportPlan {
  StagedImport staged;
  RowMapping rows;
};

Status check_delimiter(char delimiter) {
  if (delimiter != ',' && delimiter != ';' && delimiter != '\t') {
    return Error{"delimiter", "delimiter: must be a comma, a semicolon or a tab."};
  }
  return Status::success();
}

Expected<ImportPlan> plan_import(const std::vector<std::string>& headers, const Model& model,
                                 const std::vector<ColumnMapping>& mapping, bool decimal_comma,
                                 const SatisfactionSettings* satisfaction) {
  ImportPlan plan;
  StagedImport& staged = plan.staged;
  staged.model = model;
  Model& target = staged.model;
  RowMapping& rows = plan.rows;
  if (satisfaction != nullptr) {
    target.satisfaction = *satisfaction;
    if (auto s = validate(target); !s.ok()) return s.error();
  }

  // Check the mapping and build the target model (created items first).
  std::vector<const ColumnMapping*> by_column(headers.size(), nullptr);
  rows.decimal_comma = decimal_comma;
  for (const ColumnMapping& m : mapping) {
    const std::string where = "mapping, column " + std::to_string(m.column + 1);
    if (auto s = claim_column(m.column, by_column, &m); !s.ok()) return s.error();
    const std::string name = column_name(m.column, headers[m.column]);
    switch (m.role) {
      case ColumnRole::ignore:
        break;
      case ColumnRole::respondent_id:
        if (rows.id_column) {
          return Error{where, "Only one column can hold the respondent id; " +
                                  column_name(*rows.id_column, headers[*rows.id_column]) + " and " +
                                  name + " both do."};
        }
        rows.id_column = m.column;
        break;
      case ColumnRole::nps:
      case ColumnRole::csat:
      case ColumnRole::ces: {
        const std::size_t k = m.role == ColumnRole::nps ? 0 : m.role == ColumnRole::csat ? 1 : 2;
        if (rows.metric_column[k]) {
          return Error{where,
                       "Only one column can hold " +
                           std::string(metric_label(static_cast<Metric>(k))) + "; " +
                           column_name(*rows.metric_column[k], headers[*rows.metric_column[k]]) +
                           " and " + name + " both do."};
        }
        rows.metric_column[k] = m.column;
        break;
      }
      case ColumnRole::segment:
        rows.segment_columns.push_back(m.column);
        rows.segment_groups.push_back(
            plain_label(m.group.empty() ? headers[m.column] : m.group, column_name(m.column, "")));
        break;
      case ColumnRole::item: {
        if (m.create_item) {
          if (target.item_index(m.item_id)) {
            return Error{where, "An item with id \"" + m.item_id + "\" already exists; map " +
                                    name + " to it or choose another id."};
          }
          Item item = m.new_item;
          item.id = m.item_id;
          target.items.push_back(item);
          if (auto s = validate(target); !s.ok()) {
            return Error{where, "The new item for " + name + " is not valid: " + s.error().message};
          }
          staged.created_items.push_back(item.id);
          rows.item_columns.emplace_back(m.column, target.items.size() - 1);
        } else {
          const auto index = target.item_index(m.item_id);
          if (!index) {
            return Error{where, name + " is mapped to item \"" + m.item_id +
                                    "\", which is not in the model."};
          }
          for (const auto& [other_column, other_item] : rows.item_columns) {
            if (other_item == *index) {
              return Error{where, column_name(other_column, headers[other_column]) + " and " +
                                      name + " are both mapped to item \"" + m.item_id + "\"."};
            }
          }
          rows.item_columns.emplace_back(m.column, *index);
        }
        break;
      }
    }
  }
  if (rows.item_columns.empty() && !rows.any_metric()) {
    return Error{"mapping",
                 "Nothing to import: map at least one column to a benefit or cost item, or to "
                 "NPS, CSAT or CES."};
  }

  return plan;
}

// The import's pass over the records `source` feeds (from the header row when `header_first`,
// else from a record boundary inside the file): every row checked by `checker`, counted into
// `staged` and handed to `sink`. `records` (when given) is set to the records read, and
// `boundary` to whether the bytes ended on a record boundary.
Status read_rows(const ByteSource& source, char delimiter, bool header_first, StagedImport& staged,
                 SurveyRowChecker& checker, SurveyRowSink& sink, std::size_t* records = nullptr,
                 bool* boundary = nullptr, IdList* problem_ids = nullptr) {
  RowPass pass(staged, checker, sink, header_first, problem_ids);
  CsvReader reader(delimiter, [&](const CsvRecord& record) { return pass(record); });
  if (!header_first) reader.start_inside_file();
  if (auto s = source.feed(reader); !s.ok()) return s;
  if (boundary != nullptr) *boundary = reader.at_record_boundary();
  if (auto s = reader.finish(); !s.ok()) return s;
  if (records != nullptr) *records = reader.records();
  return Status::success();
}

}  // namespace

Expected<StagedImport> stage_survey_rows(const ByteSource& source, const Model& model,
                                         const std::vector<ColumnMapping>& mapping, char delimiter,
                                         bool decimal_comma,
                                         const SatisfactionSettings* satisfaction,
                                         SurveyRowSink& sink) {
  if (auto s = check_file_is_text(source.head()); !s.ok()) return s.error();
  if (auto s = check_delimiter(delimiter); !s.ok()) return s.error();
  auto header_row = read_headers(source, delimiter);
  if (!header_row.ok()) return header_row.error();
  const std::vector<std::string> headers = std::move(header_row).value();
  auto planned = plan_import(headers, model, mapping, decimal_comma, satisfaction);
  if (!planned.ok()) return planned.error();
  StagedImport staged = std::move(planned.value().staged);
  RowMapping rows = std::move(planned.value().rows);
  Model& target = staged.model;

  // One pass over the rows, which gathers the segment columns' values on the way: the checker
  // numbers the segments it finds new in order of first sight, and the sink hears of each
  // before the first row in it. At the end the segments are made from the whole file's values
  // (make_segments) and the sink is told their final order.
  sink.begin(target);
  const std::size_t given_segments = target.segments.size();
  SurveyRowChecker checker(target, headers, rows);
  if (auto s = read_rows(source, delimiter, true, staged, checker, sink); !s.ok()) {
    return s.error();
  }
  std::vector<std::vector<std::size_t>> segment_of_value;
  if (auto s = make_segments(checker.segment_values(), rows, headers, target,
                             staged.created_segments, segment_of_value);
      !s.ok()) {
    return s.error();
  }
  auto order = final_order(checker, given_segments, target, segment_of_value);
  if (!order) {
    // The first-sight numbering did not hold: a value names a new segment only through the id
    // it is given at the end, or two columns' groups differ only as normalise_header() sees
    // them. Rare: read the rows again with the final segments (the sink starts over).
    rows.segment_values = checker.segment_values();
    rows.segment_of_value = std::move(segment_of_value);
    rows.segments_known = true;
    sink.begin(target);
    SurveyRowChecker again(target, headers, std::move(rows));
    if (auto s = read_rows(source, delimiter, true, staged, again, sink); !s.ok()) {
      return s.error();
    }
    if (again.too_many()) return Error{"file", "The file changed while it was read."};
    order.emplace(target.segments.size());
    std::iota(order->begin(), order->end(), std::size_t{0});
  }
  if (staged.rows_total == 0) {
    return Error{"file", "The file has a header row but no data rows."};
  }
  sink.end(target, *order);
  return staged;
}

// ---------------------------------------------------------------------------------------------
// StagePart: an import checked in two parts at once.

struct StagePart::State {
  struct Pass {                     // one part's pass over its rows
    std::vector<Segment> segments;  // the target's, then those it found new
    std::vector<std::vector<std::string>> values;
    std::vector<std::vector<std::size_t>> segment_of_value;
    Responses responses;  // membership in the order of `segments` (a join's later part: ids only)
    Responses::PartsLayout layout;  // of its arrays
  };

  bool first = true;
  bool boundary = false;
  bool too_many = false;  // a segment column has more values than a segment column may
  bool usable = true;     // false after an append that failed
  char delimiter = ',';
  std::vector<std::string> headers;
  StagedImport staged;  // the target model and created items; counts and problems so far
  RowMapping rows;
  std::size_t given = 0;    // the target's segments
  std::size_t records = 0;  // the records read, through the last part appended
  std::vector<Pass> passes;
  IdRows ids;          // the respondent ids of the parts appended
  IdList problem_ids;  // those first seen on rows left out for other problems

  // The whole file's segments, made in the target model, and each pass's order of them
  // (pass_order); nothing when a pass's segments cannot be put in that order.
  Expected<std::vector<std::vector<std::size_t>>> segment_orders();
};

StagePart::StagePart() : state_(std::make_unique<State>()) {}
StagePart::~StagePart() = default;
StagePart::StagePart(StagePart&&) noexcept = default;
StagePart& StagePart::operator=(StagePart&&) noexcept = default;

Expected<StagePart> StagePart::read(const ByteSource& source, bool first, const Model& model,
                                    const std::vector<ColumnMapping>& mapping, char delimiter,
                                    bool decimal_comma, const SatisfactionSettings* satisfaction) {
  if (auto s = check_file_is_text(source.head()); !s.ok()) return s.error();
  if (auto s = check_delimiter(delimiter); !s.ok()) return s.error();
  auto headers = header_row_in(source.head(), delimiter);
  if (!headers.ok()) return headers.error();
  auto planned = plan_import(headers.value(), model, mapping, decimal_comma, satisfaction);
  if (!planned.ok()) return planned.error();

  StagePart part;
  State& st = *part.state_;
  st.first = first;
  st.delimiter = delimiter;
  st.headers = std::move(headers).value();
  st.staged = std::move(planned.value().staged);
  st.rows = std::move(planned.value().rows);
  st.given = st.staged.model.segments.size();
  StagedRows sink;
  sink.begin(st.staged.model);
  SurveyRowChecker checker(st.staged.model, st.headers, st.rows);
  if (auto s = read_rows(source, delimiter, first, st.staged, checker, sink, &st.records,
                         &st.boundary, &st.problem_ids);
      !s.ok()) {
    return s.error();
  }
  // A first part must hold the header row (else it could not be followed by the rest).
  if (first && st.records == 0) return Error{"file", "The file's first part has no header row."};
  st.too_many = checker.too_many().has_value();
  st.passes.push_back({checker.segments(),
                       checker.segment_values(),
                       checker.segment_of_value(),
                       sink.take_in_pass_order(),
                       {}});
  st.passes.back().layout = st.passes.back().responses.layout();
  st.ids = checker.take_ids();
  return part;
}

bool StagePart::ends_on_record_boundary() const {
  return state_->boundary;
}

namespace {

constexpr std::string_view kStagePartMagic = "cvc stage part 1";

// What both parts must have been read with: the header row, the delimiter and the mapping as
// resolved.
std::string stage_fingerprint(const std::vector<std::string>& headers, char delimiter,
                              const RowMapping& rows, std::size_t given) {
  PartWriter out;
  out.texts(headers);
  out.number(static_cast<unsigned char>(delimiter));
  out.number(rows.decimal_comma);
  out.number(given);
  out.number(rows.item_columns.size());
  for (const auto& [column, item] : rows.item_columns) {
    out.number(column);
    out.number(item);
  }
  for (const auto& column : rows.metric_column) out.number(column ? *column + 1 : 0);
  out.number(rows.segment_columns.size());
  for (const std::size_t column : rows.segment_columns) out.number(column);
  out.texts(rows.segment_groups);
  out.number(rows.id_column ? *rows.id_column + 1 : 0);
  return out.take();
}

// FNV-1a, 64 bits (Fowler, Noll, Vo): a part's bytes end with the hash of the rest, so that
// damage is found before anything is read from them.
std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash;
}

// The rows of a problem of a later part, which numbers its rows from 1, renumbered in the
// whole file (`offset`: the records before it); false when a repeated id's reason does not
// name a row.
bool renumber(ImportProblem& problem, std::size_t offset) {
  problem.row += offset;
  if (problem.reason.compare(0, kIdAlsoOnRow.size(), kIdAlsoOnRow) != 0) return true;
  const std::string digits = problem.reason.substr(kIdAlsoOnRow.size());
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  problem.reason = std::string(kIdAlsoOnRow) + std::to_string(std::stoull(digits) + offset);
  return true;
}

}  // namespace

std::string StagePart::to_bytes() const {
  const State& st = *state_;
  const State::Pass& pass = st.passes.front();
  PartWriter out;
  out.text(kStagePartMagic);
  out.text(stage_fingerprint(st.headers, st.delimiter, st.rows, st.given));
  out.number(st.staged.rows_total);
  out.number(st.staged.rows_valid);
  out.number(st.staged.problem_count);
  out.number(st.records);
  out.number(st.too_many);
  out.number(st.staged.problems.size());
  for (const ImportProblem& p : st.staged.problems) {
    out.number(p.row);
    out.number(p.column);
    out.text(p.header);
    out.text(p.value);
    out.text(p.reason);
  }
  out.number(pass.segments.size() - st.given);
  for (std::size_t s = st.given; s < pass.segments.size(); ++s) {
    out.text(pass.segments[s].label);
    out.text(pass.segments[s].group);
  }
  out.number(pass.values.size());
  for (std::size_t k = 0; k < pass.values.size(); ++k) {
    out.texts(pass.values[k]);
    for (const std::size_t s : pass.segment_of_value[k]) out.number(s);
  }
  const Responses::PartsLayout layout = pass.responses.layout();
  out.number(layout.rows);
  out.number(layout.metrics);
  out.number(layout.ids);
  out.number(layout.id_text_bytes);
  // The ids of its rows are in the arrays; those of the rows left out that first had them here.
  out.text(st.problem_ids.bytes);
  out.number(st.problem_ids.ends.size());
  for (const std::size_t end : st.problem_ids.ends) out.number(end);
  std::string bytes = out.take();
  PartWriter hash;
  hash.number(fnv1a64(bytes));
  return bytes + hash.take();
}

std::vector<Responses::Part> StagePart::parts() const {
  return state_->passes.front().responses.parts();
}

Status StagePart::append(std::string_view later, const Responses::PartFill& fill) {
  return append_part(later, fill, false);
}

Status StagePart::append_part(std::string_view later, const Responses::PartFill& fill,
                              bool ids_only) {
  State& st = *state_;
  const auto refuse = [&st](const std::string& why) -> Status {
    st.usable = false;
    return Error{"file", "The file's two parts cannot be merged (" + why +
                             "); check it in one pass instead."};
  };
  if (!st.usable || st.passes.size() != 1) return refuse("this part cannot take another");
  if (!st.boundary) return refuse("the first part does not end where a record ends");

  if (later.size() < 8 || PartReader(later.substr(later.size() - 8)).number() !=
                              fnv1a64(later.substr(0, later.size() - 8))) {
    return refuse("the second part is damaged");
  }
  PartReader in(later.substr(0, later.size() - 8));
  if (in.text() != kStagePartMagic ||
      in.text() != stage_fingerprint(st.headers, st.delimiter, st.rows, st.given)) {
    return refuse("the parts were read differently");
  }
  StagedImport counts;
  counts.rows_total = in.size();
  counts.rows_valid = in.size();
  counts.problem_count = in.size();
  const std::size_t records = in.size();
  const bool too_many = in.number() != 0;
  std::vector<ImportProblem> problems(in.count(40));
  for (ImportProblem& p : problems) {
    p.row = in.size();
    p.column = in.size();
    p.header = in.text();
    p.value = in.text();
    p.reason = in.text();
  }
  State::Pass pass;
  pass.segments = st.staged.model.segments;
  pass.segments.resize(st.given + in.count(16));
  for (std::size_t s = st.given; s < pass.segments.size(); ++s) {
    pass.segments[s].label = in.text();
    pass.segments[s].group = in.text();
    pass.segments[s].id = pass.segments[s].label;
  }
  pass.values.resize(in.count(8));
  pass.segment_of_value.resize(pass.values.size());
  for (std::size_t k = 0; k < pass.values.size() && in.ok(); ++k) {
    pass.values[k] = in.texts();
    for (std::size_t i = 0; i < pass.values[k].size() && in.ok(); ++i) {
      const std::uint64_t s = in.number();
      pass.segment_of_value[k].push_back(s < pass.segments.size() ? static_cast<std::size_t>(s)
                                                                  : kNoSegment);
    }
  }
  Responses::PartsLayout layout;
  layout.rows = in.size();
  layout.metrics = in.number() != 0;
  layout.ids = in.number() != 0;
  layout.id_text_bytes = in.size();
  IdList problem_ids;
  problem_ids.bytes = in.text();
  problem_ids.ends.resize(in.count(8));
  std::size_t id_begin = 0;
  for (std::size_t& end : problem_ids.ends) {
    end = in.size();
    if (end <= id_begin || end > problem_ids.bytes.size())
      return refuse("the second part is damaged");
    id_begin = end;
  }
  if (!in.ok() || !in.at_end() || pass.values.size() != st.rows.segment_columns.size() ||
      counts.rows_valid > counts.rows_total || counts.rows_total > records ||
      layout.rows != counts.rows_valid || problems.size() > counts.problem_count ||
      layout.id_text_bytes / kMaxLabelLength > layout.rows) {  // sized before they are filled
    return refuse("the second part is damaged");
  }
  if (st.too_many || too_many) return refuse("a segment column has too many values");

  // Its rows, each checked again (they came from another instance of the module); for a join,
  // its ids only (the rest is checked where the parts are joined).
  pass.layout = layout;
  Model pass_model = st.staged.model;
  pass_model.segments = pass.segments;
  if (ids_only) {
    pass_model.items.clear();
    pass_model.segments.clear();
    layout.metrics = false;
  }
  auto responses = Responses::from_parts(pass_model, layout, fill);
  if (!responses.ok()) return refuse(responses.error().message);
  pass.responses = std::move(responses).value();

  // A respondent id in both parts is a problem of the second part's row in one pass.
  if (any_id_in(st.ids, pass.responses, problem_ids)) {
    return refuse("a respondent id is in both parts");
  }

  for (ImportProblem& p : problems) {
    if (!renumber(p, st.records)) return refuse("the second part is damaged");
    if (st.staged.problems.size() < kMaxListedProblems) {
      st.staged.problems.push_back(std::move(p));
    }
  }
  st.staged.rows_total += counts.rows_total;
  st.staged.rows_valid += counts.rows_valid;
  st.staged.problem_count += counts.problem_count;
  st.records += records;
  st.passes.push_back(std::move(pass));
  return Status::success();
}

namespace {

const Error kCannotMerge{"file",
                         "The file's parts cannot be merged; check it in one pass instead."};

}  // namespace

Expected<std::vector<std::vector<std::size_t>>> StagePart::State::segment_orders() {
  if (!usable || too_many) return kCannotMerge;
  if (staged.rows_total == 0) return Error{"file", "The file has a header row but no data rows."};
  // The whole file's segment values in order of first sight: the first part's, then those
  // each later part adds.
  std::vector<std::vector<std::string>> values = passes.front().values;
  for (std::size_t p = 1; p < passes.size(); ++p) {
    for (std::size_t k = 0; k < values.size(); ++k) {
      for (const std::string& value : passes[p].values[k]) {
        if (std::find(values[k].begin(), values[k].end(), value) == values[k].end()) {
          values[k].push_back(value);
        }
      }
    }
  }
  Model& target = staged.model;
  std::vector<std::vector<std::size_t>> segment_of_value;
  if (auto s = make_segments(values, this->rows, headers, target, staged.created_segments,
                             segment_of_value);
      !s.ok()) {
    return s.error();
  }
  std::vector<std::vector<std::size_t>> orders;
  for (const Pass& pass : passes) {
    auto order = pass_order(pass.segments, given, target, pass.values, pass.segment_of_value,
                            values, segment_of_value);
    if (!order) return kCannotMerge;
    orders.push_back(std::move(*order));
  }
  return orders;
}

Expected<StagedImport> StagePart::finish() && {
  State& st = *state_;
  auto orders = st.segment_orders();
  if (!orders.ok()) return orders.error();
  for (std::size_t p = 0; p < st.passes.size(); ++p) {
    State::Pass& pass = st.passes[p];
    pass.responses.order_segments(orders.value()[p]);
    if (p == 0) {
      st.staged.responses = std::move(pass.responses);
    } else {
      st.staged.responses.append(pass.responses);
    }
    pass.responses = Responses();
  }
  return std::move(st.staged);
}

Expected<JoinedImport> StagePart::join(std::string_view later,
                                       const Responses::PartFill& later_ids) {
  State& st = *state_;
  if (auto s = append_part(later, later_ids, true); !s.ok()) return s.error();
  auto orders = st.segment_orders();
  if (!orders.ok()) return orders.error();
  const State::Pass& first = st.passes.front();
  const State::Pass& second = st.passes.back();
  // Both parts were read with one mapping, so they have the same arrays; but a part without
  // rows has none (no metrics, no ids), and takes the other's.
  Responses::PartsLayout a = first.layout;
  Responses::PartsLayout b = second.layout;
  if (a.rows == 0) std::tie(a.metrics, a.ids) = std::pair(b.metrics, b.ids);
  if (b.rows == 0) std::tie(b.metrics, b.ids) = std::pair(a.metrics, a.ids);
  if (a.metrics != b.metrics || a.ids != b.ids) {
    st.usable = false;
    return kCannotMerge;
  }
  JoinedImport out;
  out.join.parts = {a, b};
  out.join.segments = {first.segments.size(), second.segments.size()};
  for (std::size_t s = 0; s < st.staged.model.segments.size(); ++s) {
    const std::size_t a = orders.value().front()[s];
    const std::size_t b = orders.value().back()[s];
    out.join.order.push_back({a == kNoSegment ? PartsJoin::kNoPartSegment : a,
                              b == kNoSegment ? PartsJoin::kNoPartSegment : b});
  }
  out.staged = st.staged;  // without responses: the model, counts and problems
  st.usable = false;       // nothing more to append; parts() still gives the first part's arrays
  return out;
}

std::string survey_template_csv(const Model& model) {
  const auto quote = [](const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string out = "\"";
    for (const char c : field) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    return out + "\"";
  };
  std::vector<std::string> header{"respondent_id"};
  std::vector<std::string> example{"R0001"};
  std::vector<std::string> groups;
  for (const Segment& s : model.segments) {
    const std::string group = s.group.empty() ? s.label : s.group;
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
      groups.push_back(group);
      header.push_back("segment:" + group);
      example.push_back(s.group.empty() ? s.id : s.label);
    }
  }
  header.insert(header.end(), {"nps", "csat", "ces"});
  example.insert(example.end(), {"9", std::to_string(model.satisfaction.csat_satisfied_from), "6"});
  for (const Item& item : model.items) {
    header.push_back(std::string(to_string(item.side)) + ":" + item.label);
    double v = item.entered_score ? *item.entered_score : item.scale.low();
    if (item.scale.is_rating()) v = std::round(v);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    example.emplace_back(buffer);
  }
  std::string out;
  for (const auto* row : {&header, &example}) {
    for (std::size_t i = 0; i < row->size(); ++i) {
      if (i > 0) out.push_back(',');
      out += quote((*row)[i]);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace cvc
