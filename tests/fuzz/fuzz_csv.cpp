// libFuzzer target: CSV files as users drop them on the page. The input is the file.
//  1. The push tokenizer, fed the whole file at once and again in chunks of sizes derived from
//     the input (down to one byte): records, row and line numbers, and the final status must
//     not depend on where the chunks split. Stopping early must stop.
//  2. preview_table, as every import starts.
//  3. The survey import through cvc::Calculator as the page drives it: preview with a
//     proposed mapping, the mapping through its JSON form and back, stage (which must work
//     unless the file leaves nothing to import), commit, results;
//     then the project round trip (nothing the import brought in is lost on save and load).
//  4. The customer import the same way.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cvc/csv.hpp"
#include "cvc/json_io.hpp"
#include "cvc/survey_import.hpp"
#include "fuzz_common.hpp"

namespace {

using cvc::fuzz::fail;

struct Tokens {
  struct Record {
    std::size_t row = 0;
    std::size_t line = 0;
    std::vector<std::string> fields;
    bool operator==(const Record& o) const {
      return row == o.row && line == o.line && fields == o.fields;
    }
  };
  std::vector<Record> records;
  std::string status;  // "" or the finish() error
  bool operator==(const Tokens& o) const { return records == o.records && status == o.status; }
};

std::string show(const Tokens& t) {
  std::string out;
  for (const auto& r : t.records) {
    out += "row " + std::to_string(r.row) + " line " + std::to_string(r.line) + ":";
    for (const auto& f : r.fields) out += " [" + f + "]";
    out += "\n";
  }
  return out + "status: " + t.status + "\n";
}

// Tokenizes `bytes` in chunks whose sizes come from `sizes` (cycled); stops after `stop_after`
// records when given.
Tokens tokenize(std::string_view bytes, char delimiter, cvc::fuzz::SplitMix* sizes,
                std::size_t max_chunk, std::optional<std::size_t> stop_after = std::nullopt) {
  Tokens out;
  cvc::CsvReader reader(delimiter, [&](const cvc::CsvRecord& record) {
    out.records.push_back({record.row, record.line, {record.fields.begin(), record.fields.end()}});
    return !stop_after || out.records.size() < *stop_after;
  });
  bool going = true;
  for (std::size_t i = 0; i < bytes.size() && going;) {
    const std::size_t n = sizes == nullptr ? bytes.size() : 1 + sizes->below(max_chunk);
    going = reader.feed(bytes.substr(i, n));
    i += n;
  }
  if (auto s = reader.finish(); !s.ok()) out.status = cvc::fuzz::describe(s.error());
  return out;
}

void check_tokenizer(std::string_view bytes) {
  const char delimiter = cvc::detect_delimiter(bytes.substr(0, 65536));
  if (delimiter != ',' && delimiter != ';' && delimiter != '\t') fail("delimiter is , ; or tab");
  const Tokens whole = tokenize(bytes, delimiter, nullptr, 0);
  auto sizes = cvc::fuzz::SplitMix::from(bytes);
  static constexpr std::size_t kMaxChunks[] = {1, 2, 3, 5, 16, 257};
  const std::size_t max_chunk = kMaxChunks[sizes.below(std::size(kMaxChunks))];
  const Tokens chunked = tokenize(bytes, delimiter, &sizes, max_chunk);
  if (!(chunked == whole)) {
    fail("chunked reading gives the same records", "max chunk " + std::to_string(max_chunk) +
                                                       "\nwhole:\n" + show(whole) + "chunked:\n" +
                                                       show(chunked));
  }
  std::size_t row = 0;
  for (const auto& r : whole.records) {
    if (r.row <= row) fail("row numbers increase", show(whole));
    row = r.row;
  }
  if (whole.records.size() > 1) {
    const std::size_t stop = 1 + sizes.below(whole.records.size() - 1);
    const Tokens stopped = tokenize(bytes, delimiter, &sizes, max_chunk, stop);
    if (stopped.records.size() != stop || !stopped.status.empty()) {
      fail("a callback returning false stops the reader", show(stopped));
    }
    for (std::size_t k = 0; k < stop; ++k) {
      if (!(stopped.records[k] == whole.records[k])) fail("stopped early, same records so far");
    }
  }
  // read_csv is the whole-buffer form of the same reader.
  auto table = cvc::read_csv(bytes, delimiter);
  if (table.ok() != whole.status.empty()) fail("read_csv agrees with the reader on errors");
  if (table.ok()) {
    const auto& rows = table.value().rows;
    if (rows.size() != whole.records.size()) fail("read_csv gives the reader's records");
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (rows[k] != whole.records[k].fields) fail("read_csv gives the reader's fields");
    }
  }
}

// The proposal is made from the file, so staging it may only fail when the file gives it
// nothing to work with (no column to import, a customer table without revenue) or more than
// the calculator keeps (a segment column with over 50 values; over 200 items or 100 segments
// in the model, each refused with a message naming the column). Any other error is the
// proposal or the import at fault.
void check_proposal_stages(const cvc::Error& error, std::initializer_list<const char*> allowed) {
  for (const char* part : allowed) {
    if (error.message.find(part) != std::string::npos) return;
  }
  fail("the proposed mapping stages", cvc::fuzz::describe(error));
}

void survey_import(std::string_view bytes) {
  cvc::Calculator calc = cvc::fuzz::calculator_with_model();
  auto preview = calc.begin_csv_import(std::string(bytes));
  if (!preview.ok()) return;
  const cvc::CsvPreview& p = preview.value();
  if (p.proposed.size() != p.headers.size() || p.profiles.size() != p.headers.size()) {
    fail("one proposal and one profile per column");
  }
  (void)cvc::dump_compact(cvc::preview_to_json(p));

  // The page receives the proposal as JSON and sends the mapping back as JSON.
  nlohmann::json mapping_json = nlohmann::json::array();
  for (const auto& m : p.proposed) mapping_json.push_back(cvc::mapping_to_json(m));
  auto document = cvc::parse_json(cvc::dump_compact(mapping_json), "mapping");
  if (!document.ok())
    fail("the proposed mapping's JSON parses", cvc::fuzz::describe(document.error()));
  auto mapping = cvc::mapping_from_json(document.value());
  if (!mapping.ok()) {
    fail("the proposed mapping reads back from JSON", cvc::fuzz::describe(mapping.error()));
  }

  auto staged =
      calc.stage_csv_import(mapping.value(), p.delimiter, p.decimal_comma, p.proposed_satisfaction);
  if (!staged.ok()) {
    check_proposal_stages(staged.error(),
                          {"Nothing to import", "different values", "a model can have at most"});
    return;
  }
  const cvc::StagedImport& s = *staged.value();
  if (s.rows_valid > s.rows_total || s.problems.size() > cvc::kMaxListedProblems ||
      s.problems.size() > s.problem_count || s.responses.rows() != s.rows_valid) {
    fail("the staged import's counts add up");
  }
  (void)cvc::dump_compact(cvc::staged_import_to_json(s));
  const bool any_valid = s.rows_valid > 0;
  if (calc.commit_import(false).ok() != any_valid) fail("commit succeeds when a row is valid");
  (void)calc.results_json();
  (void)cvc::dump_compact(cvc::responses_page_to_json(calc.model(), calc.responses(), 0, 50));
  cvc::fuzz::check_project_round_trip(calc);

  // The same file again, added to the survey just imported.
  auto again = calc.begin_csv_import(std::string(bytes));
  if (!again.ok()) return;
  auto staged_again =
      calc.stage_csv_import(again.value().proposed, again.value().delimiter,
                            again.value().decimal_comma, again.value().proposed_satisfaction);
  if (!staged_again.ok()) return;
  if (calc.commit_import(true).ok()) {
    (void)calc.results_json();
    cvc::fuzz::check_project_round_trip(calc);
  }
}

void customer_import(std::string_view bytes) {
  cvc::Calculator calc = cvc::fuzz::calculator_with_model();
  auto preview = calc.begin_customer_import(std::string(bytes));
  if (!preview.ok()) return;
  const cvc::CustomerPreview& p = preview.value();
  const nlohmann::json preview_json = cvc::customer_preview_to_json(p);
  (void)cvc::dump_compact(preview_json);
  nlohmann::json mapping_json = nlohmann::json::array();
  for (const auto& column : preview_json["columns"]) mapping_json.push_back(column["proposed"]);
  auto document = cvc::parse_json(cvc::dump_compact(mapping_json), "mapping");
  if (!document.ok()) fail("the proposed customer mapping's JSON parses");
  auto mapping = cvc::customer_mapping_from_json(document.value());
  if (!mapping.ok()) {
    fail("the proposed customer mapping reads back", cvc::fuzz::describe(mapping.error()));
  }
  auto staged = calc.stage_customer_import(mapping.value(), p.delimiter, p.decimal_comma);
  if (!staged.ok()) {
    check_proposal_stages(staged.error(), {"Map a revenue column", "different values"});
    return;
  }
  const cvc::StagedCustomers& s = *staged.value();
  if (s.rows_valid > s.rows_total || s.table.customers.size() != s.rows_valid) {
    fail("the staged customer import's counts add up");
  }
  (void)cvc::dump_compact(cvc::staged_customers_to_json(s));
  if (calc.commit_customer_import().ok() != (s.rows_valid > 0)) {
    fail("customer commit succeeds when a row is valid");
  }
  (void)calc.business_json();
  (void)cvc::dump_compact(
      cvc::customer_page_to_json(calc.customers(), calc.business_results(), 0, 50));
  cvc::fuzz::check_project_round_trip(calc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_tokenizer(bytes);
  (void)cvc::preview_table(bytes);
  survey_import(bytes);
  customer_import(bytes);
  return 0;
}
