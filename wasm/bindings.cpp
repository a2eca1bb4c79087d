// embind bindings for the calculator core. Coarse on purpose: a model crosses as one JSON
// string, survey answers as one typed array each (copied once into wasm memory), results as
// one JSON string. Errors are values here ({field, message} or null); cvc-api.js turns them
// into thrown JavaScript Errors. Nothing below throws: the module is built without exceptions.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/csv_export.hpp"
#include "cvc/json_io.hpp"
#include "cvc/share_link.hpp"
#include "cvc/survey_transfer.hpp"

namespace {

using emscripten::val;
// Names for the JS types that cross the boundary (the CanvasKit convention).
using Float64Array = val;
using Uint8Array = val;
using ErrorOrNull = val;
using JsArray = val;

ErrorOrNull to_js(const cvc::Status& status) {
  if (status.ok()) return val::null();
  val error = val::object();
  error.set("field", status.error().field);
  error.set("message", status.error().message);
  return error;
}

// Copies a JS typed array (or plain array) into a new vector with one TypedArray.set() call.
template <typename T>
std::vector<T> copy_in(const val& array) {
  const auto length = array["length"].as<std::size_t>();
  std::vector<T> out(length);
  if (length > 0) val(emscripten::typed_memory_view(length, out.data())).call<void>("set", array);
  return out;
}

// The bytes of a Uint8Array, in one copy.
std::string copy_bytes(const val& bytes) {
  const auto length = bytes["length"].as<std::size_t>();
  std::string out(length, '\0');
  if (length > 0) {
    val(emscripten::typed_memory_view(length, reinterpret_cast<unsigned char*>(out.data())))
        .call<void>("set", bytes);
  }
  return out;
}

// Results that carry data cross as one JSON text: {"value": …} or {"error": {field, message}}.
std::string envelope(const nlohmann::json& value) {
  return cvc::dump_compact(nlohmann::json{{"value", value}});
}
std::string envelope(const cvc::Error& error) {
  return cvc::dump_compact(
      nlohmann::json{{"error", {{"field", error.field}, {"message", error.message}}}});
}

// Survey rows from JS: answers (rows × items), membership (rows × segments), metrics (rows × 3
// or empty) and ids (an array of strings, or null).
using RowsFromJs = cvc::ResponseBuffers;

RowsFromJs rows_from_js(const val& answers, const val& membership, const val& metrics,
                        const val& ids) {
  RowsFromJs out;
  out.has_ids = false;
  out.answers = copy_in<double>(answers);
  out.membership = copy_in<std::uint8_t>(membership);
  if (!metrics.isNull() && !metrics.isUndefined()) out.metrics = copy_in<double>(metrics);
  if (!ids.isNull() && !ids.isUndefined()) {
    out.ids = emscripten::vecFromJSArray<std::string>(ids);
    out.has_ids = true;
  }
  return out;
}

bool whole_count(double x) {
  return x >= 0 && x <= 4294967295.0 && x == static_cast<double>(static_cast<std::uint32_t>(x));
}

// A survey import's options as they cross from JS: the mapping as JSON, the delimiter's name,
// and the satisfaction settings as JSON ("" keeps the model's).
struct ImportOptions {
  std::vector<cvc::ColumnMapping> mapping;
  char delimiter = ',';
  bool decimal_comma = false;
  std::optional<cvc::SatisfactionSettings> satisfaction;
};

cvc::Expected<ImportOptions> import_options(const std::string& mapping_json,
                                            const std::string& delimiter, bool decimal_comma,
                                            const std::string& satisfaction_json) {
  ImportOptions out;
  auto document = cvc::parse_json(mapping_json, "mapping");
  if (!document.ok()) return document.error();
  auto mapping = cvc::mapping_from_json(document.value());
  if (!mapping.ok()) return mapping.error();
  out.mapping = std::move(mapping).value();
  const auto d = cvc::delimiter_from_name(delimiter);
  if (!d) return cvc::Error{"delimiter", "delimiter: must be a comma, a semicolon or a tab."};
  out.delimiter = *d;
  out.decimal_comma = decimal_comma;
  if (!satisfaction_json.empty()) {
    auto node = cvc::parse_json(satisfaction_json, "satisfaction");
    if (!node.ok()) return node.error();
    auto settings = cvc::satisfaction_settings_from_json(node.value());
    if (!settings.ok()) return settings.error();
    out.satisfaction = settings.value();
  }
  return out;
}

// Fills the arrays of a survey (Responses::PartFill) from a JS array of ArrayBuffers, each
// copied once, straight into the array it becomes.
cvc::Responses::PartFill fill_from(const JsArray& parts) {
  return [parts](std::size_t index, void* dest, std::size_t bytes) {
    if (!parts.isArray() || index >= parts["length"].as<std::size_t>()) return false;
    const val part = parts[index];
    if (!part.instanceof
        (val::global("ArrayBuffer")) || part["byteLength"].as<std::size_t>() != bytes) {
      return false;
    }
    if (bytes != 0) {
      val(emscripten::typed_memory_view(bytes, static_cast<unsigned char*>(dest)))
          .call<void>("set", val::global("Uint8Array").new_(part));
    }
    return true;
  };
}

// Copies of the survey's arrays as a JS array of ArrayBuffers (JS owns them; they can be
// transferred to another thread or stored).
JsArray copies_of(const std::vector<cvc::Responses::Part>& parts) {
  val out = val::array();
  for (const auto& part : parts) {
    const val view = val(
        emscripten::typed_memory_view(part.bytes, static_cast<const unsigned char*>(part.data)));
    out.call<void>("push", view.call<val>("slice")["buffer"]);
  }
  return out;
}

// A file read slice by slice from JavaScript (the import worker: File.slice + FileReaderSync),
// so the whole file is never in memory. read(offset, view) fills the Uint8Array `view` (wasm
// memory) with the bytes from `offset` and returns how many it wrote; progress(bytes, records)
// hears after each slice.
class JsFileSource : public cvc::ByteSource {
 public:
  static constexpr std::size_t kHeadBytes = 64 * 1024;
  // Slices of 2 MiB, doubling up to 8 MiB: each read is a round trip to the browser's file
  // thread (Chromium reads a 60 MB file in 110-150 ms in 8 MiB slices, 175-270 ms in 2 MiB
  // ones), while a small first slice gives progress early and lets the engine optimise the
  // parser (it runs a new module's function in baseline code until the function returns).
  static constexpr std::size_t kFirstSliceBytes = 2 * 1024 * 1024;
  static constexpr std::size_t kMaxSliceBytes = 8 * 1024 * 1024;

  // Feeds bytes [begin, end) of a file of `size` bytes (a part of it, when the file is previewed
  // by two workers); the head is always the file's start.
  JsFileSource(val read, val progress, std::size_t size, std::size_t begin, std::size_t end)
      : read_(std::move(read)), progress_(std::move(progress)), begin_(begin), end_(end) {
    head_.resize(std::min(size, kHeadBytes));
    head_ok_ = read_into(0, head_.data(), head_.size());
  }
  std::string_view head() const override { return head_; }
  cvc::Status feed(cvc::CsvReader& reader) const override {
    if (!head_ok_) return unreadable();
    std::string slice(std::min(end_ - begin_, kMaxSliceBytes), '\0');
    std::size_t slice_bytes = kFirstSliceBytes;
    for (std::size_t offset = begin_; offset < end_;) {
      const std::size_t n = std::min(slice_bytes, end_ - offset);
      slice_bytes = std::min(2 * slice_bytes, kMaxSliceBytes);
      if (!read_into(offset, slice.data(), n)) return unreadable();
      offset += n;
      const bool more = reader.feed(std::string_view(slice.data(), n));
      // The bytes of this part read, and its data rows (the records, less the header row when
      // the part starts the file).
      const std::size_t records = reader.records();
      const std::size_t header = begin_ == 0 && records > 0 ? 1 : 0;
      progress_(static_cast<double>(offset - begin_), static_cast<double>(records - header));
      if (!more) break;
    }
    return cvc::Status::success();
  }

 private:
  static cvc::Status unreadable() {
    return cvc::Error{"file",
                      "The file could not be read to the end (was it changed, moved or deleted "
                      "while it was read?)."};
  }
  bool read_into(std::size_t offset, char* dest, std::size_t n) const {
    if (n == 0) return true;
    const val view = val(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(dest)));
    return read_(static_cast<double>(offset), view).as<double>() == static_cast<double>(n);
  }

  val read_;
  val progress_;
  std::size_t begin_;
  std::size_t end_;
  std::string head_;
  bool head_ok_ = false;
};

// The import worker's side of a survey file (wasm/cvc-import-worker.js): preview and check
// the file against a model, as the page's calculator would, and hand the checked import's
// header and arrays to the page (WasmCalculator::adoptStagedImport).
class SurveyFile {
 public:
  // The file's bytes [begin, end) are the ones read (all of them for one worker; a part when two
  // preview it).
  ErrorOrNull open(const std::string& model_json, double size, double begin, double end, val read,
                   val progress) {
    auto model = cvc::load_model(model_json);
    if (!model.ok()) return to_js(model.status());
    if (!whole_count(size) || !whole_count(begin) || !whole_count(end) || begin > end ||
        end > size) {
      return to_js(cvc::Error{"file", "The file's size is not readable."});
    }
    model_ = std::move(model).value();
    source_.emplace(std::move(read), std::move(progress), static_cast<std::size_t>(size),
                    static_cast<std::size_t>(begin), static_cast<std::size_t>(end));
    staged_.reset();
    part_.reset();
    stage_part_.reset();
    return val::null();
  }
  std::string preview() {
    if (!source_) return envelope(cvc::Error{"file", "Open a file first."});
    auto preview = cvc::preview_survey_csv(*source_, model_);
    return preview.ok() ? envelope(cvc::preview_to_json(preview.value()))
                        : envelope(preview.error());
  }
  // A part of the file for a preview in two workers (cvc::PreviewPart): the first (from the
  // file's start) is kept here for previewWithPart(); the second's bytes go to the first's
  // worker (partBytes()). {value: {boundary}}: whether the part ended where a record ends.
  std::string previewPart(bool first) {
    if (!source_) return envelope(cvc::Error{"file", "Open a file first."});
    auto part = cvc::PreviewPart::read(*source_, first);
    if (!part.ok()) return envelope(part.error());
    part_ = std::move(part).value();
    return envelope(nlohmann::json{{"boundary", part_->ends_on_record_boundary()}});
  }
  // The part as bytes, a Uint8Array of its own (not a view of wasm memory).
  val partBytes() const { return part_ ? own_bytes(part_->to_bytes()) : val::null(); }
  // The file's preview from the part kept here and the bytes of the part after it.
  std::string previewWithPart(const std::string& later_bytes) {
    if (!part_) return envelope(cvc::Error{"file", "Read the file's first part first."});
    auto later = cvc::PreviewPart::from_bytes(later_bytes);
    if (!later.ok()) return envelope(later.error());
    if (auto s = part_->append(std::move(later).value()); !s.ok()) return envelope(s.error());
    auto preview = part_->preview(model_);
    part_.reset();
    return preview.ok() ? envelope(cvc::preview_to_json(preview.value()))
                        : envelope(preview.error());
  }
  // {value: {header, report}}: the report as stageCsvImport gives it; the arrays follow with
  // parts().
  std::string stage(const std::string& mapping_json, const std::string& delimiter,
                    bool decimal_comma, const std::string& satisfaction_json) {
    if (!source_) return envelope(cvc::Error{"file", "Open a file first."});
    auto options = import_options(mapping_json, delimiter, decimal_comma, satisfaction_json);
    if (!options.ok()) return envelope(options.error());
    const ImportOptions& o = options.value();
    auto staged =
        cvc::stage_survey_import(*source_, model_, o.mapping, o.delimiter, o.decimal_comma,
                                 o.satisfaction ? &*o.satisfaction : nullptr);
    return staged_envelope(std::move(staged));
  }
  JsArray parts() const { return staged_ ? copies_of(staged_->responses.parts()) : val::array(); }

  // A part of the file for a check in two workers (cvc::StagePart), as previewPart() is for the
  // preview: the first is kept here for stageJoin(); the second's bytes and arrays go to the
  // first's worker (stagePartBytes(), stagePartArrays()). {value: {boundary}}.
  std::string stagePart(const std::string& mapping_json, const std::string& delimiter,
                        bool decimal_comma, const std::string& satisfaction_json, bool first) {
    if (!source_) return envelope(cvc::Error{"file", "Open a file first."});
    auto options = import_options(mapping_json, delimiter, decimal_comma, satisfaction_json);
    if (!options.ok()) return envelope(options.error());
    const ImportOptions& o = options.value();
    auto part = cvc::StagePart::read(*source_, first, model_, o.mapping, o.delimiter,
                                     o.decimal_comma, o.satisfaction ? &*o.satisfaction : nullptr);
    if (!part.ok()) return envelope(part.error());
    stage_part_ = std::move(part).value();
    return envelope(nlohmann::json{{"boundary", stage_part_->ends_on_record_boundary()}});
  }
  val stagePartBytes() const {
    return stage_part_ ? own_bytes(stage_part_->to_bytes()) : val::null();
  }
  JsArray stagePartArrays() const {
    return stage_part_ ? copies_of(stage_part_->parts()) : val::array();
  }
  // The checked import from the part kept here and the part after it, joined (cvc::StagePart::
  // join): from the later part's bytes and its last two arrays (its ids, when it has any), the
  // import's {value: {header, report}}, whose header says how the arrays of this part
  // (stagePartArrays()) and the later one's make the survey, where the page adopts it
  // (WasmCalculator::adoptStagedImport with both).
  std::string stageJoin(const std::string& later_bytes, const JsArray& later_ids) {
    if (!stage_part_) return envelope(cvc::Error{"file", "Check the file's first part first."});
    auto joined = stage_part_->join(later_bytes, fill_from(later_ids));
    if (!joined.ok()) {
      stage_part_.reset();
      return envelope(joined.error());
    }
    return envelope(nlohmann::json{{"header", cvc::staged_import_header(joined.value())},
                                   {"report", cvc::staged_import_to_json(joined.value().staged)}});
  }

 private:
  static val own_bytes(const std::string& bytes) {
    return val::global("Uint8Array")
        .new_(emscripten::typed_memory_view(bytes.size(),
                                            reinterpret_cast<const unsigned char*>(bytes.data())));
  }
  // {value: {header, report}} of a checked import, kept for parts().
  std::string staged_envelope(cvc::Expected<cvc::StagedImport> staged) {
    if (!staged.ok()) return envelope(staged.error());
    staged_ = std::move(staged).value();
    return envelope(nlohmann::json{{"header", cvc::staged_import_header(*staged_)},
                                   {"report", cvc::staged_import_to_json(*staged_)}});
  }

  cvc::Model model_;
  std::optional<JsFileSource> source_;
  std::optional<cvc::StagedImport> staged_;
  std::optional<cvc::PreviewPart> part_;
  std::optional<cvc::StagePart> stage_part_;
};

class WasmCalculator {
 public:
  ErrorOrNull loadModel(const std::string& json) { return to_js(calc_.load_model_json(json)); }
  std::string modelJson() const { return calc_.has_model() ? calc_.model_json() : "null"; }
  std::string projectJson(bool with_survey, bool with_customers) const {
    return calc_.has_model() ? calc_.project_json(with_survey, with_customers) : "null";
  }
  // name / currency: text, or null to leave as it is.
  ErrorOrNull setModelInfo(const val& name, const val& currency) {
    const auto text = [](const val& v) -> std::optional<std::string> {
      if (v.isNull() || v.isUndefined()) return std::nullopt;
      return v.as<std::string>();
    };
    if ((!name.isNull() && !name.isUndefined() && !name.isString()) ||
        (!currency.isNull() && !currency.isUndefined() && !currency.isString())) {
      return to_js(cvc::Error{"model", "The model's name and currency must be text."});
    }
    return to_js(calc_.set_model_info(text(name), text(currency)));
  }
  ErrorOrNull loadProjectJson(const std::string& json) {
    return to_js(calc_.load_project_json(json));
  }

  // metrics: Float64Array (rows × 3: NPS, CSAT, CES) or null; ids: array of strings or null.
  ErrorOrNull setResponses(const Float64Array& answers, const Uint8Array& membership, double rows,
                           const Float64Array& metrics, const JsArray& ids) {
    if (!whole_count(rows)) {
      return to_js(cvc::Error{"rows", "rows: must be a whole number of respondents."});
    }
    const RowsFromJs data = rows_from_js(answers, membership, metrics, ids);
    return to_js(calc_.set_responses(data.input(static_cast<std::size_t>(rows))));
  }
  // One respondent: row = -1 adds, otherwise replaces that 0-based row.
  ErrorOrNull putResponse(double row, const Float64Array& answers, const Uint8Array& membership,
                          const Float64Array& metrics, const JsArray& ids) {
    const RowsFromJs data = rows_from_js(answers, membership, metrics, ids);
    if (row == -1) return to_js(calc_.add_response(data.input(1)));
    if (!whole_count(row)) return to_js(cvc::Error{"row", "row: must be a row number."});
    return to_js(calc_.replace_response(static_cast<std::size_t>(row), data.input(1)));
  }
  ErrorOrNull deleteResponse(double row) {
    if (!whole_count(row)) return to_js(cvc::Error{"row", "row: must be a row number."});
    return to_js(calc_.delete_response(static_cast<std::size_t>(row)));
  }
  std::string responsesPage(double offset, double count) {
    if (!whole_count(offset) || !whole_count(count)) {
      return envelope(cvc::Error{"offset", "offset and count must be whole numbers."});
    }
    return envelope(cvc::responses_page_to_json(calc_.model(), calc_.responses(),
                                                static_cast<std::size_t>(offset),
                                                static_cast<std::size_t>(count)));
  }

  std::string beginCsvImport(const Uint8Array& bytes) {
    auto preview = calc_.begin_csv_import(copy_bytes(bytes));
    return preview.ok() ? envelope(cvc::preview_to_json(preview.value()))
                        : envelope(preview.error());
  }
  // satisfaction_json: "" keeps the model's satisfaction settings for this import.
  std::string stageCsvImport(const std::string& mapping_json, const std::string& delimiter,
                             bool decimal_comma, const std::string& satisfaction_json) {
    auto options = import_options(mapping_json, delimiter, decimal_comma, satisfaction_json);
    if (!options.ok()) return envelope(options.error());
    const ImportOptions& o = options.value();
    auto staged = calc_.stage_csv_import(o.mapping, o.delimiter, o.decimal_comma, o.satisfaction);
    return staged.ok() ? envelope(cvc::staged_import_to_json(*staged.value()))
                       : envelope(staged.error());
  }
  // What the import worker checked (SurveyFile::stage): its header and its arrays (a JS array
  // of ArrayBuffers, in Responses::parts() order) become the checked import.
  // `later`: null, or the second part's arrays of an import checked in two parts and joined
  // (SurveyFile::stageJoin; `parts` are then the first part's).
  ErrorOrNull adoptStagedImport(const std::string& header, const JsArray& parts,
                                bool satisfaction_given, const val& later) {
    const cvc::Responses::PartFill later_fill =
        later.isNull() ? cvc::Responses::PartFill() : fill_from(later);
    auto staged = cvc::staged_import_from_parts(header, fill_from(parts),
                                                later.isNull() ? nullptr : &later_fill);
    if (!staged.ok()) return to_js(staged.status());
    return to_js(calc_.adopt_staged_import(std::move(staged).value(), satisfaction_given));
  }
  // The survey as a header and copies of its arrays, for the autosave; and back.
  std::string surveyHeader() const {
    return calc_.has_model() ? cvc::survey_parts_header(calc_.model(), calc_.responses()) : "";
  }
  JsArray surveyParts() const { return copies_of(calc_.responses().parts()); }
  ErrorOrNull restoreSurvey(const std::string& header, const JsArray& parts) {
    if (!calc_.has_model()) return to_js(cvc::Error{"model", "Load a model first."});
    auto survey = cvc::survey_from_parts(calc_.model(), header, fill_from(parts));
    if (!survey.ok()) return to_js(survey.status());
    return to_js(calc_.restore_survey(std::move(survey).value()));
  }
  double surveyVersion() const { return static_cast<double>(calc_.survey_version()); }
  ErrorOrNull setSatisfactionSettings(const std::string& json) {
    auto node = cvc::parse_json(json, "satisfaction");
    if (!node.ok()) return to_js(node.status());
    auto settings = cvc::satisfaction_settings_from_json(node.value());
    if (!settings.ok()) return to_js(settings.status());
    return to_js(calc_.set_satisfaction_settings(settings.value()));
  }
  ErrorOrNull commitImport(bool append) { return to_js(calc_.commit_import(append)); }
  void cancelImport() { calc_.cancel_import(); }
  std::string templateCsv() const {
    return calc_.has_model() ? cvc::survey_template_csv(calc_.model()) : "";
  }
  void clearResponses() { calc_.clear_responses(); }
  double responseRows() const { return static_cast<double>(calc_.response_rows()); }

  ErrorOrNull setWeight(const std::string& item, double weight, const std::string& segment) {
    return to_js(calc_.set_weight(item, weight, segment));
  }
  // score: a number, or null to clear the entered score.
  ErrorOrNull setEnteredScore(const std::string& item, const val& score,
                              const std::string& segment) {
    std::optional<double> value;
    if (!score.isNull() && !score.isUndefined()) {
      if (!score.isNumber()) {
        return to_js(cvc::Error{"score", "The score for item \"" + item + "\" must be a number."});
      }
      value = score.as<double>();
    }
    return to_js(calc_.set_entered_score(item, value, segment));
  }

  std::string beginCustomerImport(const Uint8Array& bytes) {
    auto preview = calc_.begin_customer_import(copy_bytes(bytes));
    return preview.ok() ? envelope(cvc::customer_preview_to_json(preview.value()))
                        : envelope(preview.error());
  }
  std::string stageCustomerImport(const std::string& mapping_json, const std::string& delimiter,
                                  bool decimal_comma) {
    auto document = cvc::parse_json(mapping_json, "mapping");
    if (!document.ok()) return envelope(document.error());
    auto mapping = cvc::customer_mapping_from_json(document.value());
    if (!mapping.ok()) return envelope(mapping.error());
    const auto d = cvc::delimiter_from_name(delimiter);
    if (!d) {
      return envelope(cvc::Error{"delimiter", "delimiter: must be a comma, a semicolon or a tab."});
    }
    auto staged = calc_.stage_customer_import(mapping.value(), *d, decimal_comma);
    return staged.ok() ? envelope(cvc::staged_customers_to_json(*staged.value()))
                       : envelope(staged.error());
  }
  ErrorOrNull commitCustomerImport() { return to_js(calc_.commit_customer_import()); }
  void cancelCustomerImport() { calc_.cancel_customer_import(); }
  void clearCustomers() { calc_.clear_customers(); }
  double customerCount() const { return static_cast<double>(calc_.customers().customers.size()); }
  ErrorOrNull setBusinessSettings(const std::string& json) {
    auto document = cvc::parse_json(json, "business settings");
    if (!document.ok()) return to_js(document.status());
    auto settings = cvc::business_settings_from_json(document.value());
    if (!settings.ok()) return to_js(settings.status());
    return to_js(calc_.set_business_settings(settings.value()));
  }
  // row = -1 adds a customer; otherwise replaces that 0-based row.
  ErrorOrNull putCustomer(double row, const std::string& record_json) {
    if (row != -1 && !whole_count(row)) {
      return to_js(cvc::Error{"row", "row: must be a row number."});
    }
    auto record = cvc::parse_json(record_json, "customer");
    if (!record.ok()) return to_js(record.status());
    cvc::Scale csat;
    csat.type = calc_.model().satisfaction.csat_scale;
    const std::string where =
        row == -1 ? "new customer" : "row " + std::to_string(static_cast<std::size_t>(row) + 1);
    auto customer = cvc::customer_from_json(record.value(), calc_.customers(), csat, where);
    if (!customer.ok()) return to_js(customer.status());
    std::optional<std::size_t> target;
    if (row != -1) target = static_cast<std::size_t>(row);
    return to_js(calc_.put_customer(target, std::move(customer).value()));
  }
  ErrorOrNull deleteCustomer(double row) {
    if (!whole_count(row)) return to_js(cvc::Error{"row", "row: must be a row number."});
    return to_js(calc_.delete_customer(static_cast<std::size_t>(row)));
  }
  std::string customersPage(double offset, double count) {
    if (!whole_count(offset) || !whole_count(count)) {
      return envelope(cvc::Error{"offset", "offset and count must be whole numbers."});
    }
    return envelope(cvc::customer_page_to_json(calc_.customers(), calc_.business_results(),
                                               static_cast<std::size_t>(offset),
                                               static_cast<std::size_t>(count)));
  }
  std::string businessJson() {
    if (!calc_.has_model()) return "null";
    return calc_.business_json();
  }

  std::string resultsJson() { return calc_.results_json(); }
  std::string resultsCsv() {
    return calc_.has_model() ? cvc::results_csv(calc_.model(), calc_.results()) : "";
  }

 private:
  cvc::Calculator calc_;
};

// The quick calculators need no state: {kind, inputs} in, an envelope out.
std::string quickCalculate(const std::string& kind, const std::string& inputs_json) {
  auto inputs = cvc::parse_json(inputs_json, "inputs");
  if (!inputs.ok()) return envelope(inputs.error());
  auto result = cvc::quick_calculation(kind, inputs.value());
  return result.ok() ? envelope(result.value()) : envelope(result.error());
}

// Share links: the compressed project bytes in, the "cvc1.…" fragment out; and back, the
// bytes (a new Uint8Array) or {field, message}. Compression is the browser's (cvc-api.js).
std::string shareFragment(const Uint8Array& compressed) {
  return cvc::share_fragment(copy_bytes(compressed));
}
val sharePayload(const std::string& link) {
  auto bytes = cvc::share_payload(link);
  if (!bytes.ok()) return to_js(bytes.error());
  const std::string& b = bytes.value();
  return val::global("Uint8Array")
      .new_(
          emscripten::typed_memory_view(b.size(), reinterpret_cast<const unsigned char*>(b.data())))
      .call<val>("slice");  // a copy JS owns, not a view of wasm memory
}

}  // namespace

EMSCRIPTEN_BINDINGS(customer_value_calculator) {
  emscripten::class_<WasmCalculator>("Calculator")
      .constructor<>()
      .function("loadModel", &WasmCalculator::loadModel)
      .function("modelJson", &WasmCalculator::modelJson)
      .function("projectJson", &WasmCalculator::projectJson)
      .function("loadProjectJson", &WasmCalculator::loadProjectJson)
      .function("setModelInfo", &WasmCalculator::setModelInfo)
      .function("setResponses", &WasmCalculator::setResponses)
      .function("putResponse", &WasmCalculator::putResponse)
      .function("deleteResponse", &WasmCalculator::deleteResponse)
      .function("responsesPage", &WasmCalculator::responsesPage)
      .function("beginCsvImport", &WasmCalculator::beginCsvImport)
      .function("stageCsvImport", &WasmCalculator::stageCsvImport)
      .function("commitImport", &WasmCalculator::commitImport)
      .function("adoptStagedImport", &WasmCalculator::adoptStagedImport)
      .function("surveyHeader", &WasmCalculator::surveyHeader)
      .function("surveyParts", &WasmCalculator::surveyParts)
      .function("restoreSurvey", &WasmCalculator::restoreSurvey)
      .function("surveyVersion", &WasmCalculator::surveyVersion)
      .function("setSatisfactionSettings", &WasmCalculator::setSatisfactionSettings)
      .function("cancelImport", &WasmCalculator::cancelImport)
      .function("templateCsv", &WasmCalculator::templateCsv)
      .function("clearResponses", &WasmCalculator::clearResponses)
      .function("responseRows", &WasmCalculator::responseRows)
      .function("setWeight", &WasmCalculator::setWeight)
      .function("setEnteredScore", &WasmCalculator::setEnteredScore)
      .function("beginCustomerImport", &WasmCalculator::beginCustomerImport)
      .function("stageCustomerImport", &WasmCalculator::stageCustomerImport)
      .function("commitCustomerImport", &WasmCalculator::commitCustomerImport)
      .function("cancelCustomerImport", &WasmCalculator::cancelCustomerImport)
      .function("clearCustomers", &WasmCalculator::clearCustomers)
      .function("customerCount", &WasmCalculator::customerCount)
      .function("setBusinessSettings", &WasmCalculator::setBusinessSettings)
      .function("businessJson", &WasmCalculator::businessJson)
      .function("customersPage", &WasmCalculator::customersPage)
      .function("putCustomer", &WasmCalculator::putCustomer)
      .function("deleteCustomer", &WasmCalculator::deleteCustomer)
      .function("resultsJson", &WasmCalculator::resultsJson)
      .function("resultsCsv", &WasmCalculator::resultsCsv);
  emscripten::class_<SurveyFile>("SurveyFile")
      .constructor<>()
      .function("open", &SurveyFile::open)
      .function("preview", &SurveyFile::preview)
      .function("previewPart", &SurveyFile::previewPart)
      .function("partBytes", &SurveyFile::partBytes)
      .function("previewWithPart", &SurveyFile::previewWithPart)
      .function("stage", &SurveyFile::stage)
      .function("stagePart", &SurveyFile::stagePart)
      .function("stagePartBytes", &SurveyFile::stagePartBytes)
      .function("stagePartArrays", &SurveyFile::stagePartArrays)
      .function("stageJoin", &SurveyFile::stageJoin)
      .function("parts", &SurveyFile::parts);
  emscripten::function("quickCalculate", &quickCalculate);
  emscripten::function("shareFragment", &shareFragment);
  emscripten::function("sharePayload", &sharePayload);
  emscripten::constant("maxSharePayloadBytes", static_cast<double>(cvc::kMaxSharePayloadBytes));
}
