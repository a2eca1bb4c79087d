// `cvc score`: the survey import's own preview, mapping and row checks, fed from a file in
// chunks, with every valid row going straight into sufficient statistics (survey_stats.hpp)
// in blocks of kStatsBlockRows rows. Nothing per row is kept except each respondent id (for
// the duplicate check, about 30 bytes each), so memory does not grow with the file otherwise.
//
// Passes over the file: two for the preview (number format, then column profiles), then two
// reading passes (each also gathers the segment columns' values).
// The first reading pass gathers the statistics and the range of the net values, the second
// counts the histogram's bins. Results are then exactly what the calculator gives for the same
// file imported in the page: the same checks, the same blocks, the same arithmetic.
#include "score.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include "cvc/byte_source.hpp"
#include "cvc/json_io.hpp"
#include "cvc/response_blocks.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/survey_stats.hpp"

namespace cvc::cli {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;
constexpr std::size_t kHeadBytes = 1 << 16;
constexpr std::size_t kMaxSmallFile = 64 << 20;  // model and mapping files
constexpr std::size_t kDefaultProblems = 20;

const char* const kUsageText =
    "usage: cvc score SURVEY.csv --model MODEL.json [--mapping MAPPING.json]\n"
    "                 [--max-problems N] [--strict]\n"
    "\n"
    "Scores a survey CSV against a model file and prints the results as JSON (the same\n"
    "object as calc.results() in the page), reading the file in chunks: for data beyond\n"
    "what a browser tab holds. Columns are mapped as the page's import proposes, or as\n"
    "MAPPING.json says (a list of {column, role, ...}, or {\"mapping\": [...],\n"
    "\"delimiter\", \"decimal_comma\", \"satisfaction\"}). Rejected rows are listed on\n"
    "stderr (the first N, default 20) and left out, as the import does.\n"
    "\n"
    "exit status: 0 scored; 1 bad input (the message names the file, row, column or\n"
    "field); 2 usage. With --strict, any rejected row is bad input.\n";

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

std::string system_error(const std::string& path) {
  return path + ": " + std::strerror(errno);
}

// A file read in chunks of kChunkBytes, as many times as the readers need.
class FileSource : public ByteSource {
 public:
  static Expected<std::unique_ptr<FileSource>> open(const std::string& path) {
    File file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) return Error{"file", "cannot read " + system_error(path)};
    std::unique_ptr<FileSource> source(new FileSource(path, std::move(file)));
    source->head_.resize(kHeadBytes);
    const std::size_t got = std::fread(source->head_.data(), 1, kHeadBytes, source->file_.get());
    if (std::ferror(source->file_.get())) return Error{"file", "cannot read " + system_error(path)};
    source->head_.resize(got);
    return source;
  }

  std::string_view head() const override { return head_; }

  Status feed(CsvReader& reader) const override {
    std::FILE* f = file_.get();
    if (std::fseek(f, 0, SEEK_SET) != 0) return Error{"file", "cannot read " + system_error(path_)};
    for (;;) {
      const std::size_t got = std::fread(chunk_.data(), 1, chunk_.size(), f);
      if (got > 0 && !reader.feed(std::string_view(chunk_.data(), got))) break;
      if (got < chunk_.size()) {
        if (std::ferror(f)) return Error{"file", "cannot read " + system_error(path_)};
        break;
      }
    }
    return Status::success();
  }

 private:
  FileSource(std::string path, File file)
      : path_(std::move(path)), file_(std::move(file)), chunk_(kChunkBytes) {}
  std::string path_;
  File file_;
  std::string head_;
  mutable std::vector<char> chunk_;
};

Expected<std::string> read_small_file(const std::string& path) {
  File file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Error{path, "cannot read " + system_error(path)};
  std::string text;
  char buffer[65536];
  for (;;) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, got);
    if (text.size() > kMaxSmallFile) {
      return Error{path, path + ": larger than " + std::to_string(kMaxSmallFile >> 20) + " MiB."};
    }
    if (got < sizeof buffer) break;
  }
  if (std::ferror(file.get())) return Error{path, "cannot read " + system_error(path)};
  return text;
}

// How the file is read: the mapping, number format and satisfaction settings.
struct ReadSettings {
  std::vector<ColumnMapping> mapping;
  char delimiter = ',';
  bool decimal_comma = false;
  std::optional<SatisfactionSettings> satisfaction;
};

// MAPPING.json: a list of columns, or an object with the list and the format.
Expected<ReadSettings> read_mapping(const std::string& text, const CsvPreview& preview) {
  auto document = parse_json(text, "mapping file");
  if (!document.ok()) return document.error();
  const nlohmann::json& root = document.value();
  ReadSettings settings;
  settings.delimiter = preview.delimiter;
  settings.decimal_comma = preview.decimal_comma;
  settings.satisfaction = preview.proposed_satisfaction;
  const nlohmann::json* list = &root;
  if (root.is_object()) {
    for (const auto& [key, value] : root.items()) {
      if (key == "mapping") {
        list = &value;
      } else if (key == "delimiter") {
        const auto d = value.is_string() ? delimiter_from_name(value.get<std::string>())
                                         : std::optional<char>();
        if (!d) return Error{"delimiter", "delimiter: must be \",\", \";\" or \"\\t\"."};
        settings.delimiter = *d;
      } else if (key == "decimal_comma") {
        if (!value.is_boolean()) return Error{key, "decimal_comma: must be true or false."};
        settings.decimal_comma = value.get<bool>();
      } else if (key == "satisfaction") {
        auto s = satisfaction_settings_from_json(value);
        if (!s.ok()) return s.error();
        settings.satisfaction = s.value();
      } else {
        return Error{key, "mapping file: unknown field \"" + key +
                              "\" (mapping, delimiter, decimal_comma, satisfaction)."};
      }
    }
    if (list == &root) return Error{"mapping", "mapping file: the \"mapping\" list is missing."};
  }
  auto mapping = mapping_from_json(*list);
  if (!mapping.ok()) return mapping.error();
  settings.mapping = std::move(mapping).value();
  return settings;
}

std::string describe(const ImportProblem& p) {
  std::string where = "row " + std::to_string(p.row);
  if (p.column > 0) {
    where += ", column " + std::to_string(p.column);
    if (!p.header.empty()) where += " (" + p.header + ")";
  }
  return where + (p.value.empty() ? "" : ": \"" + p.value + "\"") + ": " + p.reason;
}

Outcome bad_input(Outcome outcome, const std::string& message) {
  outcome.exit_code = kBadInput;
  outcome.err += "cvc: " + message + "\n";
  return outcome;
}

Outcome usage(const std::string& message) {
  Outcome outcome;
  outcome.exit_code = kUsage;
  outcome.err = "cvc: " + message + "\n" + kUsageText;
  return outcome;
}

Outcome score(const std::string& survey_path, const std::string& model_path,
              const std::optional<std::string>& mapping_path, std::size_t max_problems,
              bool strict) {
  Outcome outcome;
  auto model_text = read_small_file(model_path);
  if (!model_text.ok()) return bad_input(outcome, model_text.error().message);
  auto model = load_model(model_text.value());
  if (!model.ok()) return bad_input(outcome, model_path + ": " + model.error().message);

  auto opened = FileSource::open(survey_path);
  if (!opened.ok()) return bad_input(outcome, opened.error().message);
  const FileSource& source = *opened.value();
  auto preview = preview_survey_csv(source, model.value());
  if (!preview.ok()) return bad_input(outcome, survey_path + ": " + preview.error().message);

  ReadSettings settings;
  if (mapping_path) {
    auto text = read_small_file(*mapping_path);
    if (!text.ok()) return bad_input(outcome, text.error().message);
    auto read = read_mapping(text.value(), preview.value());
    if (!read.ok()) return bad_input(outcome, *mapping_path + ": " + read.error().message);
    settings = std::move(read).value();
  } else {
    settings.mapping = preview.value().proposed;
    settings.delimiter = preview.value().delimiter;
    settings.decimal_comma = preview.value().decimal_comma;
    settings.satisfaction = preview.value().proposed_satisfaction;
  }
  const SatisfactionSettings* satisfaction =
      settings.satisfaction ? &*settings.satisfaction : nullptr;

  // Pass 1: the statistics, and the net values' range.
  std::optional<SurveyStatsBuilder> stats;
  std::optional<NetValueHistogram> histogram;
  ResponseBlocks pass1(
      [&](const Model& target) {
        stats.emplace(target);
        histogram.emplace(target);
      },
      [&](const Responses& rows, std::size_t) {
        for_each_block(rows, [&](const SurveyBlock& block) {
          stats->add(block);
          histogram->observe(block);
        });
      },
      [&](const Model&, const std::vector<std::size_t>& order) { stats->order_segments(order); });
  auto staged = stage_survey_rows(source, model.value(), settings.mapping, settings.delimiter,
                                  settings.decimal_comma, satisfaction, pass1);
  if (!staged.ok()) return bad_input(outcome, survey_path + ": " + staged.error().message);
  if (!pass1.flush())
    return bad_input(outcome, survey_path + ": " + pass1.status().error().message);
  const StagedImport& report = staged.value();

  for (std::size_t i = 0; i < report.problems.size() && i < max_problems; ++i) {
    outcome.err += survey_path + ": " + describe(report.problems[i]) + "\n";
  }
  const std::size_t rejected = report.rows_total - report.rows_valid;
  if (report.problem_count > 0) {
    const std::size_t listed = std::min(max_problems, report.problems.size());
    outcome.err +=
        survey_path + ": " + std::to_string(rejected) + " of " + std::to_string(report.rows_total) +
        " rows rejected (" + std::to_string(report.problem_count) + " problems" +
        (listed < report.problem_count ? ", the first " + std::to_string(listed) + " listed" : "") +
        ").\n";
  }
  if (report.rows_valid == 0) {
    return bad_input(outcome,
                     survey_path + ": no row of the file can be imported; nothing to score.");
  }
  if (strict && rejected > 0) {
    return bad_input(outcome, survey_path + ": rows were rejected (--strict).");
  }

  // Pass 2: the histogram's bins.
  histogram->layout();
  ResponseBlocks pass2([](const Model&) {},
                       [&](const Responses& rows, std::size_t) {
                         for_each_block(rows,
                                        [&](const SurveyBlock& block) { histogram->count(block); });
                       },
                       [](const Model&, const std::vector<std::size_t>&) {});
  auto again = stage_survey_rows(source, model.value(), settings.mapping, settings.delimiter,
                                 settings.decimal_comma, satisfaction, pass2);
  if (!again.ok()) return bad_input(outcome, survey_path + ": " + again.error().message);
  if (!pass2.flush())
    return bad_input(outcome, survey_path + ": " + pass2.status().error().message);
  if (again.value().rows_valid != report.rows_valid) {
    return bad_input(outcome, survey_path + ": the file changed while it was read.");
  }

  ValueResults results = compute_value_results(report.model, stats->finish());
  results.net_value_histogram = histogram->result();
  outcome.out = dump_compact(results_to_json(report.model, results, report.rows_valid)) + "\n";
  outcome.err += survey_path + ": scored " + std::to_string(report.rows_valid) + " of " +
                 std::to_string(report.rows_total) + " rows.\n";
  return outcome;
}

}  // namespace

Outcome run(const std::vector<std::string>& args) {
  if (args.empty()) return usage("no command.");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    Outcome outcome;
    outcome.out = kUsageText;
    return outcome;
  }
  if (args[0] != "score") return usage("unknown command \"" + args[0] + "\".");
  std::optional<std::string> survey, model, mapping;
  std::size_t max_problems = kDefaultProblems;
  bool strict = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--model" || a == "--mapping") {
      auto v = value();
      if (!v) return usage(a + " needs a file.");
      (a == "--model" ? model : mapping) = *v;
    } else if (a == "--max-problems") {
      auto v = value();
      char* end = nullptr;
      const unsigned long long n = v ? std::strtoull(v->c_str(), &end, 10) : 0;
      if (!v || v->empty() || *end != '\0' || (*v)[0] == '-') {
        return usage("--max-problems needs a whole number.");
      }
      max_problems = n > std::numeric_limits<std::size_t>::max()
                         ? std::numeric_limits<std::size_t>::max()
                         : static_cast<std::size_t>(n);
    } else if (a == "--strict") {
      strict = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option \"" + a + "\".");
    } else if (survey) {
      return usage("one survey file at a time.");
    } else {
      survey = a;
    }
  }
  if (!survey) return usage("which survey file?");
  if (!model) return usage("--model MODEL.json is required.");
  return score(*survey, *model, mapping, max_problems, strict);
}

}  // namespace cvc::cli
