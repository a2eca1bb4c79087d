// A large file's import checked in two parts at once (StagePart: the page's import, a worker per
// core). The reference is the serial import, stage_survey_import() over the whole file: it is
// the import users have always had, and StagePart's contract is to give exactly its answer or
// to refuse (the page then imports the file in one pass). So, for random survey files split
// just after a random line break (inside quotes or not), the parts read on their own (each fed
// in chunks of random sizes, the second through to_bytes() and its parts() arrays, as they
// travel between workers), appended and finished, must either fail somewhere or give the
// serial StagedImport field for field: the model, the counts, every listed problem (row,
// column, header, value, reason), the created items and segments, and the responses' arrays
// byte for byte. A file the serial import refuses must never come out of the parts. And the
// parts must merge most of the time (when the split is between records and no respondent id is
// in both parts, as the contract promises), so that the test cannot pass by always refusing.
//
// The files exercise what the parts have to put back together: row numbers (blank lines count
// as rows), the listed-problems cap crossed around the split, respondent ids repeated within a
// part and across the split (also on rows with other problems, which still hold their id),
// segment values new in either part or both, in different orders of first sight, differing
// only in case, two columns filling one group, a column with too many values, created items,
// CRLF, a byte-order mark, quoted line breaks, control characters and text that is not UTF-8.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cvc/byte_source.hpp"
#include "cvc/csv.hpp"
#include "cvc/json_io.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/survey_transfer.hpp"
#include "part_source.hpp"

using cvc::ColumnRole;

namespace {

using cvc_test::PartSource;

cvc::Item make_item(const std::string& id, cvc::Side side, cvc::Kind kind, cvc::ScaleType type,
                    double reference = 0) {
  cvc::Item item;
  item.id = id;
  item.label = id;
  item.label[0] = static_cast<char>(item.label[0] - 'a' + 'A');
  item.side = side;
  item.kind = kind;
  item.scale.type = type;
  item.scale.reference_amount = reference;
  return item;
}

cvc::Segment make_segment(const std::string& id, const std::string& label,
                          const std::string& group) {
  cvc::Segment segment;
  segment.id = id;
  segment.label = label;
  segment.group = group;
  return segment;
}

// Items on 1–5, 0–10 and an amount; segments SMB and Enterprise (size), EMEA (region) and Beta
// (no group: a column whose group is "beta" names it).
cvc::Model survey_model() {
  cvc::Model model;
  model.name = "stage parts";
  model.items.push_back(
      make_item("like", cvc::Side::benefit, cvc::Kind::functional, cvc::ScaleType::likert_1_5));
  model.items.push_back(
      make_item("rate", cvc::Side::benefit, cvc::Kind::experiential, cvc::ScaleType::rating_0_10));
  model.items.push_back(
      make_item("spend", cvc::Side::cost, cvc::Kind::price, cvc::ScaleType::currency, 1000));
  model.segments.push_back(make_segment("smb", "SMB", "size"));
  model.segments.push_back(make_segment("ent", "Enterprise", "size"));
  model.segments.push_back(make_segment("emea", "EMEA", "region"));
  model.segments.push_back(make_segment("beta", "Beta", ""));
  return model;
}

// The columns of a generated file, by what they hold (their order in the file is shuffled).
enum Column {
  kId,
  kPlan,    // segment, group "size"
  kTier,    // segment, group "size" too: a second segment of the group
  kRegion,  // segment, group "region" (its header)
  kMany,    // segment with up to ~70 values
  kBeta,    // segment, group "beta" (the model's Beta has no group)
  kNps,
  kCsat,
  kCes,
  kLike,     // item on 1–5
  kRate,     // item on 0–10
  kSpend,    // amount item
  kSpeed,    // created item on 0–10
  kFee,      // created amount item
  kComment,  // ignored: quoted text with line breaks
  kColumns
};
const char* const kHeaders[kColumns] = {"id",   "plan",  "tier",  "region", "many",
                                        "beta", "nps",   "csat",  "ces",    "like",
                                        "rate", "spend", "speed", "fee",    "comment"};

struct SurveyFile {
  std::string csv;
  char delimiter = ',';
  bool decimal_comma = false;
  std::vector<cvc::ColumnMapping> mapping;
  std::optional<cvc::SatisfactionSettings> satisfaction;
  std::vector<std::size_t> row_starts;  // byte offset of each record after the header
  // Files the serial import may read again, whose parts may be refused (their segments do not
  // map one to one): values that name a new segment only through the id the import gives it at
  // the end ("Big Co!" makes big-co, which "big co" names), or two columns whose groups differ
  // only in case ("size" and "Size").
  bool read_again = false;
  const cvc::SatisfactionSettings* settings() const {
    return satisfaction ? &*satisfaction : nullptr;
  }
};

class FileMaker {
 public:
  explicit FileMaker(std::mt19937& rng) : rng_(rng) {}

  // A random file. `rows` data rows; `big` files are made cheaply (few columns quoted, no
  // repeated ids) and with many problems, so that the listed-problems cap falls in them.
  SurveyFile make(std::size_t rows, bool big) {
    SurveyFile f;
    const auto d = rng_() % 4;
    f.delimiter = d == 0 ? ';' : d == 1 ? '\t' : ',';
    f.decimal_comma = f.delimiter != ',' ? rng_() % 2 == 0 : rng_() % 6 == 0;
    const auto e = rng_() % 6;
    const std::string eol = e < 3 ? "\n" : e < 5 ? "\r\n" : "";  // "": mixed, per row
    if (rng_() % 5 == 0) {
      cvc::SatisfactionSettings s;
      s.csat_scale = cvc::ScaleType::likert_1_10;
      s.csat_satisfied_from = 9;
      f.satisfaction = s;
    }
    cross_ids_ = !big && rng_() % 3 == 0;  // ids repeated from anywhere earlier
    serial_ids_ = rng_() % 4 == 0;
    id_named_ = !big && rng_() % 6 == 0;
    const bool group_in_case = !big && rng_() % 8 == 0;
    f.read_again = id_named_ || group_in_case;
    many_spread_ = rng_() % 4 == 0 ? 70 : 5 + rng_() % 40;
    late_ = rows * (5 + rng_() % 5) / 10;  // values first seen only from here on
    ids_.clear();
    next_id_ = rng_() % 1000;

    // The columns in a random order, and the mapping.
    std::vector<std::size_t> at(kColumns);
    for (std::size_t c = 0; c < kColumns; ++c) at[c] = c;
    std::shuffle(at.begin(), at.end(), rng_);
    const auto map = [&](Column c, ColumnRole role, double chance) {
      if (std::uniform_real_distribution<>(0, 1)(rng_) >= chance) return;
      cvc::ColumnMapping m;
      m.column = at[c];
      m.role = role;
      f.mapping.push_back(m);
    };
    map(kId, ColumnRole::respondent_id, big ? 0.5 : 0.9);
    map(kPlan, ColumnRole::segment, 0.9);
    map(kTier, ColumnRole::segment, 0.8);
    map(kRegion, ColumnRole::segment, 0.8);
    map(kMany, ColumnRole::segment, big ? 0.3 : 0.4);
    map(kBeta, ColumnRole::segment, 0.5);
    map(kNps, ColumnRole::nps, 0.85);
    map(kCsat, ColumnRole::csat, 0.85);
    map(kCes, ColumnRole::ces, 0.85);
    map(kLike, ColumnRole::item, 0.9);
    map(kRate, ColumnRole::item, 0.9);
    map(kSpend, ColumnRole::item, 0.8);
    map(kSpeed, ColumnRole::item, 0.8);
    map(kFee, ColumnRole::item, 0.5);
    for (auto& m : f.mapping) {
      const auto c =
          static_cast<std::size_t>(std::find(at.begin(), at.end(), m.column) - at.begin());
      if (c == kPlan || c == kTier) m.group = "size";  // kRegion, kMany, kBeta: their header
      if (c == kTier && group_in_case) m.group = "Size";
      if (c == kLike) m.item_id = "like";
      if (c == kRate) m.item_id = "rate";
      if (c == kSpend) m.item_id = "spend";
      if (c == kSpeed) {
        m.item_id = "speed";
        m.create_item = true;
        m.new_item = make_item("speed", cvc::Side::benefit, cvc::Kind::functional,
                               cvc::ScaleType::rating_0_10);
      }
      if (c == kFee) {
        m.item_id = "fee";
        m.create_item = true;
        m.new_item =
            make_item("fee", cvc::Side::cost, cvc::Kind::support, cvc::ScaleType::currency, 500);
      }
    }
    std::shuffle(f.mapping.begin(), f.mapping.end(), rng_);

    std::string& csv = f.csv;
    if (rng_() % 5 == 0) csv += "\xEF\xBB\xBF";
    std::vector<std::string> cells(kColumns);
    for (std::size_t c = 0; c < kColumns; ++c) cells[at[c]] = kHeaders[c];
    csv += join(cells, f.delimiter, false) + row_end(eol);
    for (std::size_t r = 0; r < rows; ++r) {
      if (!big && rng_() % 40 == 0) {
        f.row_starts.push_back(csv.size());
        csv += row_end(eol);  // a blank line: a row number, no record
      }
      for (std::size_t c = 0; c < kColumns; ++c)
        cells[at[c]] = value(static_cast<Column>(c), r, big);
      std::vector<std::string> row = cells;
      if (rng_() % 70 == 0) row.pop_back();                      // ragged: too few
      if (rng_() % 90 == 0) row.push_back(value(kNps, r, big));  // ragged: too many
      f.row_starts.push_back(csv.size());
      csv += join(row, f.delimiter, !big);
      if (r + 1 < rows || rng_() % 8 != 0) csv += row_end(eol);  // sometimes no last line end
    }
    if (!big && rng_() % 40 == 0) csv += "x" + std::string(1, f.delimiter) + "\"never closed\n";
    return f;
  }

 private:
  bool one_in(unsigned n) { return rng_() % n == 0; }
  std::string pick(std::initializer_list<const char*> values) {
    return *(values.begin() + rng_() % values.size());
  }
  std::string row_end(const std::string& eol) {
    return eol.empty() ? pick({"\n", "\r\n", "\n", "\r"}) : eol;
  }

  // The fields of a row: those that need it quoted (the delimiter, a quote, a line break),
  // some others quoted anyway.
  std::string join(const std::vector<std::string>& cells, char delimiter, bool quote_some) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out.push_back(delimiter);
      const std::string& v = cells[i];
      if (v.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos ||
          (quote_some && one_in(25))) {
        out.push_back('"');
        for (const char ch : v) {
          if (ch == '"') out.push_back('"');
          out.push_back(ch);
        }
        out.push_back('"');
      } else {
        out += v;
      }
    }
    return out;
  }

  std::string id(std::size_t r, bool big) {
    if (serial_ids_) {
      // Ids in increasing order (an export sorted by id), but for a repeat of the row before's
      // now and then: where the parts meet, the last of the first part and the first of the
      // second.
      if (!big && !ids_.empty() && one_in(cross_ids_ ? 20 : 60)) return ids_.back();
      char made[16];
      std::snprintf(made, sizeof made, "R%05zu", next_id_++);
      ids_.push_back(made);
      return made;
    }
    if (!big) {
      if (one_in(30)) return pick({"", "", "  "});
      if (one_in(80)) return "R\x01" + std::to_string(r);  // a control character
      if (one_in(150)) return "\xFFR";                     // not UTF-8
      if (!ids_.empty() && one_in(cross_ids_ ? 25 : 60)) {
        // A repeat: of a recent row (in the same part, mostly), or in files with cross_ids_ of
        // any earlier row (across the split, often); sometimes with spaces around.
        const std::size_t back =
            cross_ids_ && one_in(2)
                ? rng_() % ids_.size()
                : ids_.size() - 1 - rng_() % std::min<std::size_t>(ids_.size(), 4);
        return one_in(3) ? " " + ids_[back] + " " : ids_[back];
      }
    }
    next_id_ += 1 + (one_in(5) ? rng_() % 50 : 0);
    std::string made = (one_in(10) ? "c-" : "R") + std::to_string(next_id_);
    if (!big) ids_.push_back(made);
    return made;
  }

  std::string value(Column c, std::size_t r, bool big) {
    const bool late = r >= late_;
    switch (c) {
      case kId:
        return id(r, big);
      case kPlan:
        // "Enterprise!" makes a segment with the id "enterprise", which "enterprise" names as
        // well as the model's Enterprise (the last one it names wins).
        if (late && id_named_ && one_in(15)) return pick({"Big Co!", "big co", "Enterprise!"});
        if (late && one_in(12)) return pick({"Alpha", "Zeta", "zeta"});
        if (!late && one_in(30)) return "Legacy";
        if (one_in(100)) return "a\001b";  // a control character
        if (one_in(200)) return "\xC3";
        return pick({"SMB", "smb", " SMB ", "Enterprise", "enterprise", "ent", "Mid", "mid",
                     "Startup", ""});
      case kTier:
        if (!one_in(4)) return "";
        return pick({"Gold", "Silver", "SMB", "Enterprise", "gold", "Mid"});
      case kRegion:
        if (late && one_in(20)) return "Oceania";
        return pick({"EMEA", "emea", "APAC", "Americas", "", "apac"});
      case kMany:
        return "v" +
               std::to_string(r * many_spread_ / std::max<std::size_t>(1, late_ * 2) + rng_() % 5);
      case kBeta:
        return pick({"Beta", "beta", "yes", "", ""});
      case kNps:
        if (one_in(big ? 3 : 30)) return pick({"11", "x", "-1", "7.5", "10,0"});
        if (one_in(20)) return "";
        return std::to_string(rng_() % 11);
      case kCsat:
        if (one_in(25)) return std::to_string(6 + rng_() % 5);  // 1–10 only with the override
        if (one_in(50)) return "0";
        return std::to_string(1 + rng_() % 5);
      case kCes:
        if (one_in(40)) return "8";
        if (one_in(20)) return "";
        return std::to_string(1 + rng_() % 7);
      case kLike:
        if (one_in(big ? 4 : 12)) return pick({"6", "0", "abc", "4,5", "4.5", "", " 3 ", "05"});
        return std::to_string(1 + rng_() % 5);
      case kRate:
        if (one_in(15)) return pick({"11", "07", "10.0", "", "-0", "1e1"});
        return std::to_string(rng_() % 11);
      case kSpend:
        return pick({"123.45", "0", "1e3", "-5", "2000", "1.234,5", "abc", "", "12,5", "1e13", "40",
                     "999.999"});
      case kSpeed:
        if (one_in(30)) return "12";
        return std::to_string(rng_() % 11);
      case kFee:
        return pick({"10", "", "500", "2,5", "0.5", "x"});
      case kComment:
        if (big) return one_in(3) ? "ok" : "";
        return pick({"", "", "ok", "line one\nline two", "a\r\nb", "x, y; z\tw", "say \"hi\"", "\n",
                     "caf\xC3\xA9"});
      case kColumns:
        break;
    }
    return "";
  }

  std::mt19937& rng_;
  bool cross_ids_ = false;
  bool serial_ids_ = false;
  bool id_named_ = false;
  std::size_t many_spread_ = 10;
  std::size_t late_ = 0;
  std::vector<std::string> ids_;
  std::size_t next_id_ = 0;
};

// ---- Comparing two StagedImports: "" when equal, else the first difference, in words. ----

// Text with its control characters and other bytes escaped, cut at `max` bytes.
std::string show(std::string_view text, std::size_t max = 200) {
  std::string out;
  for (const char ch : text.substr(0, max)) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u >= 0x7f || ch == '\\') {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02X", u);
      out += buffer;
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::string show(const cvc::ImportProblem& p) {
  return "{row " + std::to_string(p.row) + ", column " + std::to_string(p.column) + ", header \"" +
         show(p.header) + "\", value \"" + show(p.value) + "\", reason \"" + show(p.reason) + "\"}";
}

std::string show(const std::vector<std::string>& list) {
  std::string out = "[";
  for (const auto& s : list) out += (out.size() > 1 ? ", \"" : "\"") + show(s) + "\"";
  return out + "]";
}

std::string responses_difference(const cvc::Responses& got, const cvc::Responses& want) {
  const auto count = [](const char* what, std::size_t g, std::size_t w) {
    return g == w ? std::string()
                  : std::string("responses.") + what + ": " + std::to_string(g) + " instead of " +
                        std::to_string(w);
  };
  for (const auto& d :
       {count("rows()", got.rows(), want.rows()),
        count("item_count()", got.item_count(), want.item_count()),
        count("segment_count()", got.segment_count(), want.segment_count()),
        count("has_ids()", got.has_ids(), want.has_ids()),
        count("has_metrics()", got.has_metrics(), want.has_metrics()),
        count("layout().rows", got.layout().rows, want.layout().rows),
        count("layout().metrics", got.layout().metrics, want.layout().metrics),
        count("layout().ids", got.layout().ids, want.layout().ids),
        count("layout().id_text_bytes", got.layout().id_text_bytes, want.layout().id_text_bytes)}) {
    if (!d.empty()) return d;
  }
  const auto g = got.parts();
  const auto w = want.parts();
  if (g.size() != w.size()) return count("parts().size()", g.size(), w.size());
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i].bytes != w[i].bytes) {
      return count(("parts()[" + std::to_string(i) + "].bytes").c_str(), g[i].bytes, w[i].bytes);
    }
    if (w[i].bytes == 0) continue;
    const auto* a = static_cast<const unsigned char*>(g[i].data);
    const auto* b = static_cast<const unsigned char*>(w[i].data);
    if (std::memcmp(a, b, w[i].bytes) != 0) {
      std::size_t k = 0;
      while (a[k] == b[k]) ++k;
      return "responses.parts()[" + std::to_string(i) + "] differs first at byte " +
             std::to_string(k) + " (" + std::to_string(a[k]) + " instead of " +
             std::to_string(b[k]) + ")";
    }
  }
  return "";
}

std::string difference(const cvc::StagedImport& got, const cvc::StagedImport& want) {
  const std::string gm = cvc::model_to_json(got.model).dump();
  const std::string wm = cvc::model_to_json(want.model).dump();
  if (gm != wm || !(got.model == want.model)) {
    std::size_t k = 0;
    while (k < gm.size() && k < wm.size() && gm[k] == wm[k]) ++k;
    const std::size_t from = k > 80 ? k - 80 : 0;
    return "model: ..." + gm.substr(from, 200) + "\n  instead of ..." + wm.substr(from, 200);
  }
  const auto count = [](const char* what, std::size_t g, std::size_t w) {
    return g == w
               ? std::string()
               : std::string(what) + ": " + std::to_string(g) + " instead of " + std::to_string(w);
  };
  for (const auto& d : {count("rows_total", got.rows_total, want.rows_total),
                        count("rows_valid", got.rows_valid, want.rows_valid),
                        count("problem_count", got.problem_count, want.problem_count),
                        count("problems.size()", got.problems.size(), want.problems.size())}) {
    if (!d.empty()) return d;
  }
  for (std::size_t i = 0; i < want.problems.size(); ++i) {
    const auto& g = got.problems[i];
    const auto& w = want.problems[i];
    if (g.row != w.row || g.column != w.column || g.header != w.header || g.value != w.value ||
        g.reason != w.reason) {
      return "problems[" + std::to_string(i) + "]: " + show(g) + "\n  instead of " + show(w);
    }
  }
  if (got.created_items != want.created_items) {
    return "created_items: " + show(got.created_items) + " instead of " + show(want.created_items);
  }
  if (got.created_segments != want.created_segments) {
    return "created_segments: " + show(got.created_segments) + " instead of " +
           show(want.created_segments);
  }
  return responses_difference(got.responses, want.responses);
}

// ---- The two ways of staging a file in parts. ----

// Fills the arrays of a part from `parts` (as a worker's message carries them); false for an
// index or a size that is not theirs.
cvc::Responses::PartFill fill_from(const std::vector<cvc::Responses::Part>& parts) {
  return [&parts](std::size_t index, void* dest, std::size_t bytes) {
    if (index >= parts.size() || parts[index].bytes != bytes) return false;
    if (bytes > 0) std::memcpy(dest, parts[index].data, bytes);
    return true;
  };
}

// The respondent ids in a part's arrays (the last two: the ids' ends, then their text).
std::vector<std::string> ids_in(const std::vector<cvc::Responses::Part>& parts) {
  std::vector<std::string> ids;
  if (parts.size() < 2) return ids;
  const auto& ends = parts[parts.size() - 2];
  const auto& text = parts.back();
  const std::string all(static_cast<const char*>(text.data), text.bytes);
  std::size_t begin = 0;
  for (std::size_t k = 0; k < ends.bytes / sizeof(std::size_t); ++k) {
    std::size_t end = 0;
    std::memcpy(&end, static_cast<const char*>(ends.data) + k * sizeof end, sizeof end);
    ids.push_back(all.substr(begin, end - begin));
    begin = end;
  }
  return ids;
}

// Two ids of one length, the second after the first (positions in `ids`); false when there are
// none.
bool same_length(const std::vector<std::string>& ids, std::size_t& a, std::size_t& b) {
  for (a = 0; a < ids.size(); ++a) {
    for (b = a + 1; b < ids.size(); ++b) {
      if (!ids[a].empty() && ids[a].size() == ids[b].size()) return true;
    }
  }
  return false;
}

// The part [begin, end) of a file, read as the first (from the file's start, its header row
// included) or as a later one.
cvc::Expected<cvc::StagePart> read_part(const SurveyFile& f, const cvc::Model& model,
                                        std::size_t begin, std::size_t end, unsigned seed,
                                        bool first) {
  return cvc::StagePart::read(PartSource(f.csv, begin, end, seed), first, model, f.mapping,
                              f.delimiter, f.decimal_comma, f.settings());
}
cvc::Expected<cvc::StagePart> read_part(const SurveyFile& f, const cvc::Model& model,
                                        std::size_t begin, std::size_t end, unsigned seed) {
  return read_part(f, model, begin, end, seed, begin == 0);
}

// The result of staging a file in two parts: the import, or where it was refused.
struct InParts {
  std::string refused;  // "" when the parts merged
  std::optional<cvc::StagedImport> staged;
  // append() took a second part although the first did not end on a record boundary (the page
  // asks ends_on_record_boundary() first; append() must refuse such a part all the same).
  bool appended_off_boundary = false;
  // The page's way (join, then adopt) did not give what append() and finish() gave.
  std::string join_differs{};
};

// The page's way with the same parts: the first part's worker joins the second part's bytes
// and ids to its own (StagePart::join), and the page adopts both parts' arrays into one survey
// (staged_import_from_parts with the join's header). `fill` gives the second part's `arrays`
// arrays; its ids are the last two. "" and the import, or where it was refused.
InParts join_in_two(cvc::StagePart& first, std::string_view later,
                    const cvc::Responses::PartFill& fill, std::size_t arrays) {
  const cvc::Responses::PartFill ids = [&](std::size_t index, void* dest, std::size_t bytes) {
    return index < 2 && arrays >= 2 && fill(arrays - 2 + index, dest, bytes);
  };
  auto joined = first.join(later, ids);
  if (!joined.ok()) return {"join: " + joined.error().message, {}};
  const std::string header = cvc::staged_import_header(joined.value());
  const auto first_parts = first.parts();
  auto adopted = cvc::staged_import_from_parts(header, fill_from(first_parts), &fill);
  if (!adopted.ok()) return {"adopt: " + adopted.error().message, {}};
  cvc::StagedImport staged = std::move(adopted).value();
  // The page has the report (in the header) and lists its problems from there.
  staged.problems = joined.value().staged.problems;
  return {"", std::move(staged)};
}

// Both ways agree: both refuse, or both give the same import.
std::string disagreement(const InParts& merged, const InParts& joined) {
  if (merged.staged.has_value() != joined.staged.has_value()) {
    return "merged: " + (merged.staged ? std::string("ok") : merged.refused) +
           "; joined: " + (joined.staged ? std::string("ok") : joined.refused);
  }
  return merged.staged ? difference(*joined.staged, *merged.staged) : "";
}

InParts stage_in_two(const SurveyFile& f, const cvc::Model& model, std::size_t split,
                     unsigned seed) {
  auto first = read_part(f, model, 0, split, seed, true);
  auto second = read_part(f, model, split, f.csv.size(), seed + 7919, false);
  if (!first.ok()) return {"read (first part): " + first.error().message, {}};
  if (!second.ok()) return {"read (second part): " + second.error().message, {}};
  const bool boundary = first.value().ends_on_record_boundary();
  cvc::StagePart part = std::move(first).value();
  const std::string bytes = second.value().to_bytes();
  const auto parts = second.value().parts();
  InParts merged = [&]() -> InParts {
    if (auto s = part.append(bytes, fill_from(parts)); !s.ok()) {
      return {(boundary ? "append: " : "not on a record boundary; append: ") + s.error().message,
              {}};
    }
    if (!boundary) return {"appended, though not on a record boundary", {}, true};
    auto staged = std::move(part).finish();
    if (!staged.ok()) return {"finish: " + staged.error().message, {}};
    return {"", std::move(staged).value()};
  }();
  auto again = read_part(f, model, 0, split, seed, true);
  if (!again.ok()) return {"read (first part again): " + again.error().message, {}};
  cvc::StagePart joining = std::move(again).value();
  const InParts joined = join_in_two(joining, bytes, fill_from(parts), parts.size());
  merged.join_differs = disagreement(merged, joined);
  return merged;
}

InParts stage_in_one(const SurveyFile& f, const cvc::Model& model, unsigned seed) {
  auto part = read_part(f, model, 0, f.csv.size(), seed);
  if (!part.ok()) return {"read: " + part.error().message, {}};
  auto staged = std::move(part).value().finish();
  if (!staged.ok()) return {"finish: " + staged.error().message, {}};
  return {"", std::move(staged).value()};
}

cvc::Expected<cvc::StagedImport> stage_serial(const SurveyFile& f, const cvc::Model& model) {
  return cvc::stage_survey_import(cvc::MemorySource(f.csv), model, f.mapping, f.delimiter,
                                  f.decimal_comma, f.settings());
}

// Whether the bytes before `split` end inside a quoted field: the generated files quote whole
// fields only (inner quotes doubled), so an odd number of quotes before it says so.
bool inside_quotes(const std::string& csv, std::size_t split) {
  return std::count(csv.begin(), csv.begin() + static_cast<std::ptrdiff_t>(split), '"') % 2 != 0;
}

// The serial row number of the first record after `split` (the header is row 1; blank lines
// count).
std::size_t first_row_after(const std::string& csv, std::size_t split, char delimiter) {
  cvc::CsvReader reader(delimiter, [](const cvc::CsvRecord&) { return true; });
  reader.feed(std::string_view(csv).substr(0, split));
  return reader.records() + 1;
}

// Whether the serial import lists a row of the second part whose id is also on a row of the
// first (the parts must then not merge into anything else); nullopt when it cannot tell (not
// every problem is listed). `seam`: such an id is on the last row of the first part and the
// first of the second.
std::optional<bool> id_in_both(const cvc::StagedImport& serial, std::size_t first_row, bool& seam) {
  if (serial.problems.size() < serial.problem_count) return std::nullopt;
  const std::string also = "this respondent id is also on row ";
  for (const auto& p : serial.problems) {
    if (p.row < first_row || p.reason.compare(0, also.size(), also) != 0) continue;
    const std::size_t row = std::stoul(p.reason.substr(also.size()));
    seam = seam || (p.row == first_row && row + 1 == first_row);
    if (row < first_row) return true;
  }
  return false;
}

// The file around the split, for a failure's message (whole when small).
std::string excerpt(const std::string& csv, std::size_t split) {
  const std::size_t n = std::string::npos;
  if (csv.size() <= 4000)
    return show(csv.substr(0, split), n) + "\n|split|\n" + show(csv.substr(split), n);
  const std::size_t from = split > 1500 ? split - 1500 : 0;
  return "(" + std::to_string(csv.size()) + " bytes) ..." +
         show(csv.substr(from, split - from), n) + "\n|split|\n" +
         show(csv.substr(split, 1500), n) + "...";
}

struct Tally {
  std::size_t cases = 0;
  std::size_t serial_ok = 0;
  std::size_t merged = 0;
  std::size_t expected_to_merge = 0;  // serial ok, split between records, no id in both parts
  std::size_t merged_of_expected = 0;
  std::size_t split_in_quotes = 0;
  std::size_t id_in_both = 0;
  std::size_t id_at_seam = 0;  // on the rows either side of the split
  std::size_t serial_failed = 0;
  std::size_t cap_crossed = 0;        // merged, with the problems' cap reached in the second part
  std::vector<std::string> refusals;  // of cases expected to merge: the first few
  // Among the splits that merged: how many had each thing the parts must put together right.
  std::map<std::string, std::size_t> seen;
  std::string refused() const {
    std::string out;
    for (const auto& r : refusals) out += "\n  " + r;
    return out;
  }
};

// What a merged split had, in the second part or across the split (for the coverage checks).
void note_what_merged(const SurveyFile& f, std::size_t split, std::size_t first_row,
                      const cvc::StagedImport& want, std::map<std::string, std::size_t>& seen) {
  const std::string_view before = std::string_view(f.csv).substr(0, split);
  const std::string_view after = std::string_view(f.csv).substr(split);
  const auto in = [](std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
  };
  if (before.empty() || first_row <= 2) ++seen["a first part without data rows"];
  if (after.find_first_not_of("\r\n") == std::string_view::npos) ++seen["an empty second part"];
  if (in(after, "\n\n") || in(after, "\r\n\r\n") || after.substr(0, 1) == "\n") {
    ++seen["a blank line in the second part"];
  }
  if (in(f.csv, "\xEF\xBB\xBF")) ++seen["a byte-order mark"];
  if (in(f.csv, "\r\n")) ++seen["CRLF"];
  if (!want.created_items.empty()) ++seen["created items"];
  if (want.problem_count > cvc::kMaxListedProblems &&
      std::count_if(want.problems.begin(), want.problems.end(), [&](const cvc::ImportProblem& p) {
        return p.row >= first_row;
      }) >= static_cast<std::ptrdiff_t>(cvc::kMaxListedProblems) - 5) {
    ++seen["a second part over the problems' cap"];  // nearly all the listed are its own
  }
  // Ids in increasing order all through, none blank (the merge compares them with the one before
  // alone).
  const cvc::Responses& r = want.responses;
  bool in_order = r.has_ids() && r.rows() > 1;
  for (std::size_t i = 0; in_order && i < r.rows(); ++i) {
    const auto id = r.id(i);
    in_order = !id.empty() && (i == 0 || r.id(i - 1).size() < id.size() ||
                               (r.id(i - 1).size() == id.size() && r.id(i - 1) < id));
  }
  if (in_order) ++seen["ids in increasing order"];
  const std::string also = "this respondent id is also on row ";
  for (const auto& p : want.problems) {
    if (p.row < first_row) continue;
    if (p.reason.compare(0, also.size(), also) == 0) ++seen["an id repeated in the second part"];
    if (p.reason.find("a second segment of group") == 0) ++seen["a second segment of a group"];
    if (p.reason.find("control character") != std::string::npos) ++seen["a control character"];
    if (p.reason.find("not UTF-8") != std::string::npos) ++seen["text that is not UTF-8"];
    if (p.reason.find("ragged row") == 0) ++seen["a ragged row"];
    if (p.reason.find("outside") == 0) ++seen["a value out of range"];
    if (p.reason == "not a number") ++seen["text for a number"];
  }
  // A segment made from a value only the second part has (its label nowhere before the split;
  // "mid" there would also name "Mid").
  for (std::size_t s = 0; s < want.model.segments.size(); ++s) {
    const std::string& label = want.model.segments[s].label;
    std::string lower = label;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::find(want.created_segments.begin(), want.created_segments.end(),
                  want.model.segments[s].id) != want.created_segments.end() &&
        !in(before, label) && !in(before, lower) && in(after, label)) {
      ++seen["a segment new in the second part"];
    }
  }
}

// One file split at `split`: the property, and the tally.
void check_split(const SurveyFile& f, const cvc::Model& model,
                 const cvc::Expected<cvc::StagedImport>& serial, std::size_t split, unsigned seed,
                 const std::string& name, Tally& tally) {
  ++tally.cases;
  // The worker splits just after a line break; a split anywhere else must be refused too (the
  // first part does not end on a record boundary), or give the same import.
  const bool after_break = split > 0 && f.csv[split - 1] == '\n';
  const InParts parts = stage_in_two(f, model, split, seed);
  const bool quoted = inside_quotes(f.csv, split);
  tally.split_in_quotes += quoted;
  const std::size_t first_row = first_row_after(f.csv, split, f.delimiter);
  std::optional<bool> repeated;
  if (serial.ok()) {
    ++tally.serial_ok;
    bool seam = false;
    repeated = id_in_both(serial.value(), first_row, seam);
    tally.id_in_both += repeated.value_or(false);
    tally.id_at_seam += seam;
  } else {
    ++tally.serial_failed;
  }
  const bool expected = serial.ok() && after_break && !quoted && repeated == false && !f.read_again;
  tally.expected_to_merge += expected;
  if (parts.appended_off_boundary) {
    FAIL_CHECK(name << ", split at byte " << split << ": " << parts.refused);
  }
  if (!parts.join_differs.empty()) {
    FAIL_CHECK(name << ", split at byte " << split << ", joined, not merged: " << parts.join_differs
                    << "\n"
                    << excerpt(f.csv, split));
  }
  if (!parts.staged) {
    if (expected && tally.refusals.size() < 5) {
      tally.refusals.push_back(name + ", split " + std::to_string(split) + ": " + parts.refused);
    }
    return;
  }
  ++tally.merged;
  tally.merged_of_expected += expected;
  INFO(name << ", split at byte " << split << " (second part from row " << first_row
            << "), delimiter '" << show(std::string(1, f.delimiter)) << "', decimal comma "
            << f.decimal_comma << "\n"
            << excerpt(f.csv, split));
  CHECK_FALSE(quoted);  // a split inside quotes never merges
  if (!serial.ok()) {
    FAIL_CHECK("the parts merged, but the whole file is refused: " << serial.error().message);
    return;
  }
  const auto& want = serial.value();
  if (want.problem_count > cvc::kMaxListedProblems && want.problems.back().row >= first_row) {
    ++tally.cap_crossed;
  }
  const std::string diff = difference(*parts.staged, want);
  CHECK(diff == "");
  note_what_merged(f, split, first_row, want, tally.seen);
}

// Line breaks a file may be split after: any, the header's and the last included.
std::vector<std::size_t> line_breaks(const std::string& csv) {
  std::vector<std::size_t> breaks;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') breaks.push_back(i + 1);
  }
  return breaks;
}

cvc::ColumnMapping mapped(std::size_t column, ColumnRole role, const std::string& item = "",
                          const std::string& group = "") {
  cvc::ColumnMapping m;
  m.column = column;
  m.role = role;
  m.item_id = item;
  m.group = group;
  return m;
}

// A hand-made file: "id,plan,nps,like" rows, mapped as such (plan fills "size").
SurveyFile simple_file(const std::string& csv) {
  SurveyFile f;
  f.csv = csv;
  f.mapping = {mapped(0, ColumnRole::respondent_id), mapped(1, ColumnRole::segment, "", "size"),
               mapped(2, ColumnRole::nps), mapped(3, ColumnRole::item, "like")};
  return f;
}

}  // namespace

TEST_CASE("Stage in two parts: appended, they give the serial import or refuse",
          "[import][stage-parts]") {
  const cvc::Model model = survey_model();
  REQUIRE(cvc::validate(model).ok());
  std::mt19937 rng(20260611);
  FileMaker maker(rng);
  Tally tally;
  std::size_t whole_ok = 0;
  std::size_t whole_serial_ok = 0;
  std::vector<std::string> whole_refusals;  // files the serial import takes, but not one part
  for (unsigned file = 0; file < 360; ++file) {
    // Some files of a row or few (parts without a valid row, or without any row).
    const SurveyFile f = maker.make(rng() % 10 == 0 ? 1 + rng() % 4 : 1 + rng() % 240, false);
    const auto serial = stage_serial(f, model);
    const std::string name = "file " + std::to_string(file);

    // In one part: the same as the serial import whenever it succeeds.
    {
      const InParts whole = stage_in_one(f, model, file);
      whole_serial_ok += serial.ok();
      if (serial.ok() && !whole.staged && whole_refusals.size() < 5 && !f.read_again) {
        whole_refusals.push_back(name + ": " + whole.refused);
      }
      if (whole.staged) {
        INFO(name << " in one part\n" << excerpt(f.csv, f.csv.size()));
        ++whole_ok;
        REQUIRE(serial.ok());
        CHECK(difference(*whole.staged, serial.value()) == "");
      }
    }

    const auto breaks = line_breaks(f.csv);
    for (int k = 0; k < 3 && !breaks.empty(); ++k) {
      const std::size_t split = breaks[rng() % breaks.size()];
      check_split(f, model, serial, split, file * 4 + k, name, tally);
    }
    // And one split after any byte (inside a record, a CRLF, a UTF-8 sequence, the header row),
    // or before the first (a first part without the header row must be refused).
    check_split(f, model, serial, rng() % (f.csv.size() + 1), file * 4 + 3, name, tally);
  }
  std::string refused_whole;
  for (const auto& r : whole_refusals) refused_whole += "\n  " + r;
  INFO("whole file in one part: " << whole_ok << " of " << whole_serial_ok << refused_whole);
  // Read whole, a file may be refused only when the serial import may read it again
  // (read_again: segments named through the ids made at the end, groups differing in case).
  CHECK(whole_refusals.empty());
  CHECK(whole_ok * 10 >= whole_serial_ok * 8);

  INFO("cases " << tally.cases << ", serial ok " << tally.serial_ok << ", serial refused "
                << tally.serial_failed << ", merged " << tally.merged << ", inside quotes "
                << tally.split_in_quotes << ", an id in both parts " << tally.id_in_both
                << " (at the seam " << tally.id_at_seam << ")"
                << ", expected to merge " << tally.expected_to_merge << ", of which merged "
                << tally.merged_of_expected);
  INFO("refused, though expected to merge:" << tally.refused());
  // The mix the files are made for: every way of going wrong is there.
  CHECK(tally.split_in_quotes > 20);
  CHECK(tally.id_in_both > 20);
  CHECK(tally.id_at_seam > 5);
  CHECK(tally.serial_failed > 20);
  // Not passing by refusing: the contract refuses only a split inside quotes, an id in both
  // parts, a segment column over the cap (the serial import refuses the file then) and segments
  // that do not map one to one (files with read_again). Every other split must merge.
  CHECK(tally.merged_of_expected == tally.expected_to_merge);
  CHECK(tally.expected_to_merge > 400);
  for (const char* what :
       {"a first part without data rows", "an empty second part", "a blank line in the second part",
        "a byte-order mark", "CRLF", "created items", "an id repeated in the second part",
        "a second segment of a group", "a control character", "text that is not UTF-8",
        "a ragged row", "a value out of range", "text for a number",
        "a segment new in the second part", "ids in increasing order"}) {
    CAPTURE(what);
    CHECK(tally.seen[what] >= 10);
  }
  CHECK(tally.merged > 400);
}

TEST_CASE("Stage in two parts: the listed-problems cap crossed around the split",
          "[import][stage-parts]") {
  const cvc::Model model = survey_model();
  std::mt19937 rng(77);
  FileMaker maker(rng);
  Tally tally;
  for (unsigned file = 0; file < 4; ++file) {
    const SurveyFile f = maker.make(2600 + rng() % 800, true);
    const auto serial = stage_serial(f, model);
    const std::string name = "big file " + std::to_string(file);
    if (!serial.ok() || serial.value().problem_count <= cvc::kMaxListedProblems) {
      // The many-valued column, or few problems mapped: still the property.
      for (int k = 0; k < 2; ++k) {
        const auto breaks = line_breaks(f.csv);
        check_split(f, model, serial, breaks[rng() % breaks.size()], 1000 + k, name, tally);
      }
      continue;
    }
    const auto& want = serial.value();
    // Splits just before, on and after the row of the last listed problem (where the cap is
    // reached), near the start (the second part lists all the problems), and a few anywhere.
    const std::size_t cap_row = want.problems.back().row;  // 1 = header, row_starts from row 2
    for (const std::size_t row : {std::size_t{2}, std::size_t{3}, std::size_t{9}}) {
      check_split(f, model, serial, f.row_starts[row - 2], static_cast<unsigned>(row), name, tally);
    }
    for (std::size_t row = cap_row - 2; row <= cap_row + 2; ++row) {
      if (row < 2 || row - 2 >= f.row_starts.size()) continue;
      check_split(f, model, serial, f.row_starts[row - 2], static_cast<unsigned>(2000 + row), name,
                  tally);
    }
    for (int k = 0; k < 3; ++k) {
      const auto breaks = line_breaks(f.csv);
      check_split(f, model, serial, breaks[rng() % breaks.size()], 3000 + k, name, tally);
    }
  }
  INFO("cases " << tally.cases << ", merged " << tally.merged << ", cap reached in the second part "
                << tally.cap_crossed);
  INFO("refused, though expected to merge:" << tally.refused());
  CHECK(tally.cap_crossed >= 8);
  CHECK(tally.seen["a second part over the problems' cap"] >= 3);
  CHECK(tally.merged_of_expected == tally.expected_to_merge);
}

TEST_CASE("Stage in two parts: ids and segments across the split, by hand",
          "[import][stage-parts]") {
  const cvc::Model model = survey_model();
  const auto check_all_splits = [&](const SurveyFile& f, bool must_merge_between_records) {
    const auto serial = stage_serial(f, model);
    Tally tally;
    for (const std::size_t split : line_breaks(f.csv)) {
      check_split(f, model, serial, split, static_cast<unsigned>(split), "hand-made", tally);
    }
    if (must_merge_between_records) CHECK(tally.merged_of_expected == tally.expected_to_merge);
    return tally;
  };

  SECTION("a problem row of the first part holds an id the second part repeats") {
    // Row 3 has a bad NPS but still holds "b"; row 5 repeats it: serial lists row 5 as "also on
    // row 3". Split after row 3 or 4 the parts must refuse (or give exactly that).
    const SurveyFile f =
        simple_file("id,plan,nps,like\na,SMB,9,4\nb,SMB,x,4\nc,Mid,5,3\nb,ent,7,2\n");
    const auto serial = stage_serial(f, model);
    REQUIRE(serial.ok());
    REQUIRE(serial.value().problem_count == 2);
    CHECK(serial.value().problems[1].row == 5);
    CHECK(serial.value().problems[1].reason == "this respondent id is also on row 3");
    const Tally tally = check_all_splits(f, false);
    CHECK(tally.id_in_both == 2);  // split after row 3 or 4
    const InParts parts = stage_in_two(f, model, f.csv.find("c,Mid"), 1);
    CHECK((!parts.staged || difference(*parts.staged, serial.value()).empty()));
  }

  SECTION("ids in order in the second part, after ids out of order in the first") {
    // The first part's last id is R20, but R30 is among its ids; the second part's ids follow
    // R20 in order, and repeat R30 (serial: row 6 is also on row 3).
    const SurveyFile f = simple_file(
        "id,plan,nps,like\nR10,SMB,9,4\nR30,SMB,9,4\nR20,SMB,9,4\nR25,Mid,5,3\nR30,ent,7,2\n"
        "R31,ent,7,2\n");
    const auto serial = stage_serial(f, model);
    REQUIRE(serial.ok());
    REQUIRE(serial.value().problem_count == 1);
    CHECK(serial.value().problems[0].reason == "this respondent id is also on row 3");
    const Tally tally = check_all_splits(f, true);
    CHECK(tally.id_in_both == 3);
    const InParts parts = stage_in_two(f, model, f.csv.find("R25"), 1);
    CHECK_FALSE(parts.staged);
  }

  SECTION("an id repeated inside the second part is listed with the serial row numbers") {
    const SurveyFile f = simple_file(
        "id,plan,nps,like\na,SMB,9,4\n\nb,SMB,8,4\nc,Mid,5,3\nd,mid,7,2\n\"c\",ent,6,1\n");
    const auto serial = stage_serial(f, model);
    REQUIRE(serial.ok());
    REQUIRE(serial.value().problem_count == 1);
    CHECK(serial.value().problems[0].row == 7);
    CHECK(serial.value().problems[0].reason == "this respondent id is also on row 5");
    const std::size_t split = f.csv.find("c,Mid");
    const InParts parts = stage_in_two(f, model, split, 1);
    INFO(parts.refused);
    REQUIRE(parts.staged);
    CHECK(difference(*parts.staged, serial.value()) == "");
    check_all_splits(f, true);
  }

  SECTION("segments new in the second part only, or in both in another order, or in case") {
    // Zeta and Alpha only after the split (Alpha sorts first), mid and Mid first seen in the
    // other order in each part, Enterprise and enterprise (the model's), a second segment of
    // "size" from a second column.
    SurveyFile f = simple_file(
        "id,plan,nps,like,tier\nr1,Mid,9,4,\nr2,enterprise,8,4,\nr3,mid,5,3,Gold\nr4,smb,1,1,\n"
        "r5,Zeta,7,2,\nr6,mid,6,1,\nr7,Alpha,6,1,SMB\nr8,Mid,6,1,gold\nr9,Enterprise,0,5,\n");
    f.mapping.push_back(mapped(4, ColumnRole::segment, "", "size"));
    const auto serial = stage_serial(f, model);
    REQUIRE(serial.ok());
    CHECK(serial.value().created_segments ==
          std::vector<std::string>{"alpha", "mid", "zeta", "gold"});
    CHECK(serial.value().problem_count == 3);
    check_all_splits(f, true);
  }

  SECTION("a segment column with too many values only once the parts are put together") {
    std::string csv = "id,plan,nps,like\n";
    for (int i = 0; i < 60; ++i)
      csv += "r" + std::to_string(i) + ",v" + std::to_string(i) + ",9,4\n";
    const SurveyFile f = simple_file(csv);
    REQUIRE_FALSE(stage_serial(f, model).ok());
    const Tally tally = check_all_splits(f, false);
    CHECK(tally.merged == 0);
    // A part with more values than a segment column may have cannot be appended (the contract
    // of append(), not only of finish()).
    const InParts parts = stage_in_two(f, model, f.csv.find("r5,"), 1);
    INFO(parts.refused);
    CHECK(parts.refused.compare(0, 7, "finish:") != 0);
  }

  SECTION("created items, CRLF and a byte-order mark") {
    SurveyFile f = simple_file(
        "\xEF\xBB\xBFid,plan,nps,like,speed\r\nr1,SMB,9,4,10\r\nr2,Mid,8,4,11\r\n\r\nr3,Big Co!,"
        "5,3,0\r\nr4,big co,5,3,2\r\nr5,\"two\r\nlines\",5,3,2\r\n");
    cvc::ColumnMapping speed = mapped(4, ColumnRole::item, "speed");
    speed.create_item = true;
    speed.new_item =
        make_item("speed", cvc::Side::benefit, cvc::Kind::functional, cvc::ScaleType::rating_0_10);
    f.mapping.push_back(speed);
    const auto serial = stage_serial(f, model);
    REQUIRE(serial.ok());
    CHECK(serial.value().created_items == std::vector<std::string>{"speed"});
    check_all_splits(f, false);
  }
}

TEST_CASE("Stage in two parts: ids in order, repeated in the arrays, are refused",
          "[import][stage-parts]") {
  // Ids in increasing order in both parts (the merge then compares each with the one before):
  // the second part's arrays changed so that an id repeats, one of its own or the first
  // part's.
  const cvc::Model model = survey_model();
  const SurveyFile f = simple_file(
      "id,plan,nps,like\nR11,SMB,9,4\nR12,SMB,9,4\nR13,SMB,9,4\nR14,Mid,5,3\nR15,ent,7,2\n"
      "R16,ent,7,2\nR17,ent,7,2\n");
  const std::size_t split = f.csv.find("R14");
  REQUIRE(stage_in_two(f, model, split, 1).staged);
  auto second = read_part(f, model, split, f.csv.size(), 2);
  REQUIRE(second.ok());
  const auto parts = second.value().parts();
  REQUIRE(ids_in(parts) == std::vector<std::string>{"R14", "R15", "R16", "R17"});
  for (const char* text : {"R14R15R15R17", "R14R15R16R15", "R13R15R16R17", "R11R15R16R17",
                           "R14R15R16R13", "R14R14R16R17"}) {
    CAPTURE(text);
    const std::string ids = text;
    std::vector<cvc::Responses::Part> bad = parts;
    bad.back() = {ids.data(), ids.size()};
    auto first = read_part(f, model, 0, split, 1);
    REQUIRE(first.ok());
    cvc::StagePart part = std::move(first).value();
    CHECK_FALSE(part.append(second.value().to_bytes(), fill_from(bad)).ok());
  }
}

TEST_CASE("Stage in two parts: damaged bytes or arrays are refused", "[import][stage-parts]") {
  const cvc::Model model = survey_model();
  std::mt19937 rng(5);
  FileMaker maker(rng);
  // A file that merges: found among random ones.
  SurveyFile f;
  std::size_t split = 0;
  std::optional<cvc::StagedImport> want;
  for (int attempt = 0; attempt < 200 && !want; ++attempt) {
    f = maker.make(25, false);
    const auto breaks = line_breaks(f.csv);
    split = breaks[breaks.size() / 2];
    const auto serial = stage_serial(f, model);
    const InParts parts = stage_in_two(f, model, split, 1);
    if (!serial.ok() || !parts.staged || serial.value().problem_count == 0 ||
        serial.value().responses.rows() < 4) {
      continue;
    }
    // With ids that can be made to repeat: two of one length in the second part's rows, and one
    // of that length in the first's.
    auto a = read_part(f, model, 0, split, 1);
    auto b = read_part(f, model, split, f.csv.size(), 2);
    const auto later = ids_in(b.value().parts());
    std::size_t i = 0;
    std::size_t j = 0;
    if (!same_length(later, i, j)) continue;
    for (const auto& id : ids_in(a.value().parts())) {
      if (id.size() == later[i].size()) want = serial.value();
    }
  }
  REQUIRE(want);
  INFO(excerpt(f.csv, split));
  auto second = read_part(f, model, split, f.csv.size(), 2);
  REQUIRE(second.ok());
  const std::string bytes = second.value().to_bytes();
  const auto parts = second.value().parts();
  REQUIRE(second.value().to_bytes() == bytes);
  const auto first = [&] {
    auto part = read_part(f, model, 0, split, 1);
    REQUIRE(part.ok());
    return std::move(part).value();
  };
  // What an append that succeeds must give: the serial import, or an error at finish(). And the
  // page's way (join, then adopt) the same: refused by the join or by the adopt, or the import.
  const auto append_and_finish = [&](std::string_view later, const cvc::Responses::PartFill& fill,
                                     std::size_t arrays = 0) -> std::string {
    cvc::StagePart joining = first();
    const InParts joined = join_in_two(joining, later, fill, arrays ? arrays : parts.size());
    const std::string join = joined.staged ? difference(*joined.staged, *want) : "refused";
    cvc::StagePart part = first();
    std::string merge = "refused";
    if (part.append(later, fill).ok()) {
      auto staged = std::move(part).finish();
      if (staged.ok()) merge = difference(staged.value(), *want);
    }
    return merge == join ? merge : "merged: " + merge + "; joined: " + join;
  };
  REQUIRE(append_and_finish(bytes, fill_from(parts)) == "");

  SECTION("truncated or extended bytes") {
    for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 9) {
      CAPTURE(n, bytes.size());
      CHECK(append_and_finish(bytes.substr(0, n), fill_from(parts)) == "refused");
    }
    CHECK(append_and_finish(bytes + "x", fill_from(parts)) == "refused");
    CHECK(append_and_finish(bytes + std::string(8, '\0'), fill_from(parts)) == "refused");
  }

  SECTION("a byte flipped") {
    // Every byte, each flipped one way: never an exception (the core never throws; in the
    // module an allocation sized by a damaged count aborts), never another import.
    std::size_t refused = 0;
    std::vector<std::string> threw;  // the first few flips that threw, or gave another import
    std::vector<std::string> wrong;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string flipped = bytes;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << (i % 8)));
      std::string result;
      try {
        result = append_and_finish(flipped, fill_from(parts));
      } catch (const std::exception& e) {
        result = std::string("threw ") + e.what();
      }
      if (result == "refused") {
        ++refused;
      } else if (!result.empty()) {
        auto& list = result.compare(0, 6, "threw ") == 0 ? threw : wrong;
        if (list.size() < 3) {
          list.push_back("byte " + std::to_string(i) + " of " + std::to_string(bytes.size()) +
                         ": " + result);
        }
      }
    }
    INFO("flips refused: " << refused << " of " << bytes.size());
    for (const auto& w : threw) FAIL_CHECK(w);
    for (const auto& w : wrong) FAIL_CHECK(w);
  }

  SECTION("arrays that cannot be filled, or that are not the part's") {
    for (std::size_t k = 0; k < parts.size(); ++k) {
      CAPTURE(k);
      const auto base = fill_from(parts);
      CHECK(append_and_finish(bytes, [&](std::size_t index, void* dest, std::size_t n) {
              return index != k && base(index, dest, n);
            }) == "refused");
    }
    // An answer off its scale (the first item column is a rating: 200 is on none).
    std::vector<std::uint8_t> ratings(
        static_cast<const std::uint8_t*>(parts[0].data),
        static_cast<const std::uint8_t*>(parts[0].data) + parts[0].bytes);
    REQUIRE(!ratings.empty());
    ratings[ratings.size() / 2] = 200;
    std::vector<cvc::Responses::Part> bad = parts;
    bad[0] = {ratings.data(), ratings.size()};
    CHECK(append_and_finish(bytes, fill_from(bad)) == "refused");
    // Too few arrays: the fill is asked for one it does not have.
    std::vector<cvc::Responses::Part> fewer(parts.begin(), parts.end() - 1);
    CHECK(append_and_finish(bytes, fill_from(fewer), fewer.size()) == "refused");
  }

  SECTION("arrays whose ids repeat, in the part or across the parts") {
    // The ids travel in the arrays, outside the hashed bytes: a repeat there must be found.
    const auto later = ids_in(parts);
    std::size_t i = 0;
    std::size_t j = 0;
    REQUIRE(same_length(later, i, j));
    std::string text(static_cast<const char*>(parts.back().data), parts.back().bytes);
    std::size_t at_j = 0;  // where id j starts in the text
    for (std::size_t k = 0; k < j; ++k) at_j += later[k].size();
    const auto with_id_j = [&](const std::string& id) {
      std::string changed = text;
      changed.replace(at_j, id.size(), id);
      return changed;
    };
    std::vector<cvc::Responses::Part> bad = parts;
    const std::string repeated = with_id_j(later[i]);  // id j is now id i
    bad.back() = {repeated.data(), repeated.size()};
    CHECK(append_and_finish(bytes, fill_from(bad)) == "refused");
    // Id j is now one of the first part's (of the same length).
    auto first_part = read_part(f, model, 0, split, 1);
    REQUIRE(first_part.ok());
    std::string earlier;
    for (const auto& id : ids_in(first_part.value().parts())) {
      if (id.size() == later[j].size()) earlier = id;
    }
    REQUIRE(!earlier.empty());
    const std::string across = with_id_j(earlier);
    bad.back() = {across.data(), across.size()};
    CHECK(append_and_finish(bytes, fill_from(bad)) == "refused");
    // A control character in an id.
    std::string control = text;
    control[at_j] = '\x01';
    bad.back() = {control.data(), control.size()};
    CHECK(append_and_finish(bytes, fill_from(bad)) == "refused");
  }

  SECTION("a join whose description does not fit its parts") {
    // The header the first part's worker sends the page: each change to how the parts join
    // (rows, id text, segment columns, their order) is refused as the page adopts it, or (a
    // change that still describes these arrays) gives this import; never another. (Two
    // segments' columns swapped describe other arrays just as well: like two arrays swapped in
    // any transfer, that is not damage the page could see.)
    cvc::StagePart joining = first();
    const auto ids = [&](std::size_t index, void* dest, std::size_t n) {
      return index < 2 && fill_from(parts)(parts.size() - 2 + index, dest, n);
    };
    auto joined = joining.join(bytes, ids);
    REQUIRE(joined.ok());
    const auto first_parts = joining.parts();
    const auto adopt = [&](const nlohmann::json& header) {
      const auto fill = fill_from(parts);
      auto staged = cvc::staged_import_from_parts(header.dump(), fill_from(first_parts), &fill);
      if (!staged.ok()) return std::string("refused");
      cvc::StagedImport got = std::move(staged).value();
      got.problems = want->problems;
      return difference(got, *want);
    };
    const nlohmann::json header = nlohmann::json::parse(cvc::staged_import_header(joined.value()));
    REQUIRE(adopt(header) == "");
    REQUIRE(header["join"]["order"].size() >= 2);
    // Without the second part's arrays, or a join's arrays read as one part.
    CHECK_FALSE(cvc::staged_import_from_parts(header.dump(), fill_from(first_parts)).ok());
    nlohmann::json one = header;
    one.erase("join");
    const auto fill = fill_from(parts);
    CHECK_FALSE(cvc::staged_import_from_parts(one.dump(), fill_from(first_parts), &fill).ok());
    std::vector<std::function<void(nlohmann::json&)>> changes = {
        [](nlohmann::json& j) {
          j["join"]["rows"][0] = j["join"]["rows"][0].get<std::size_t>() + 1;
        },
        [](nlohmann::json& j) { std::swap(j["join"]["rows"][0], j["join"]["rows"][1]); },
        [](nlohmann::json& j) {
          j["join"]["rows"] = {0, 0};
        },
        [](nlohmann::json& j) { j["join"]["id_text_bytes"][1] = 0; },
        [](nlohmann::json& j) { j["join"]["segments"][0] = 0; },
        [](nlohmann::json& j) {
          j["join"]["segments"][1] = j["join"]["segments"][1].get<std::size_t>() + 1;
        },
        [](nlohmann::json& j) { j["join"]["order"][1] = j["join"]["order"][0]; },
        [](nlohmann::json& j) { j["join"]["order"][0][1] = nullptr; },
        [](nlohmann::json& j) { j["join"]["order"][0][0] = 99; },
        [](nlohmann::json& j) { j["join"]["order"][0][0] = -1; },
        [](nlohmann::json& j) { j["join"]["order"].erase(0); },
        [](nlohmann::json& j) { j["join"]["order"] = "x"; },
        [](nlohmann::json& j) { j["join"] = 1; },
        [](nlohmann::json& j) { j["join"].erase("rows"); },
    };
    for (std::size_t k = 0; k < changes.size(); ++k) {
      CAPTURE(k);
      nlohmann::json changed = header;
      changes[k](changed);
      if (changed == header) continue;  // (a swap of equal values)
      const std::string got = adopt(changed);
      CHECK((got == "refused" || got == ""));
    }
  }

  SECTION("a second part of another mapping, delimiter or file") {
    std::vector<cvc::ColumnMapping> other = f.mapping;
    other.pop_back();
    auto foreign = cvc::StagePart::read(PartSource(f.csv, split, f.csv.size(), 3), false, model,
                                        other, f.delimiter, f.decimal_comma, f.settings());
    if (foreign.ok()) {
      const auto foreign_parts = foreign.value().parts();
      CHECK(append_and_finish(foreign.value().to_bytes(), fill_from(foreign_parts)) == "refused");
    }
    const std::string renamed = "x" + f.csv;  // the first header differs
    auto other_file =
        cvc::StagePart::read(PartSource(renamed, split + 1, renamed.size(), 3), false, model,
                             f.mapping, f.delimiter, f.decimal_comma, f.settings());
    if (other_file.ok()) {
      const auto other_parts = other_file.value().parts();
      CHECK(append_and_finish(other_file.value().to_bytes(), fill_from(other_parts)) == "refused");
    }
  }
}
