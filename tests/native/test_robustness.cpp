// Regressions for what the fuzzers (tests/fuzz) and sanitizers found: each case is the
// smallest input that showed the bug, with the property it broke.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/csv.hpp"
#include "cvc/customer_import.hpp"
#include "fixtures.hpp"

namespace {

cvc::Calculator worked_example() {
  cvc::Calculator calc;
  REQUIRE(calc.load_model_json(cvc::test::read_text("tests/fixtures/worked-example.json")).ok());
  return calc;
}

// Nothing lost: the calculator's project opens in a fresh calculator and saves the same.
void check_reopens(const cvc::Calculator& calc) {
  const std::string saved = calc.project_json();
  cvc::Calculator reopened;
  const cvc::Status status = reopened.load_project_json(saved);
  INFO((status.ok() ? std::string() : status.error().message));
  REQUIRE(status.ok());
  CHECK(reopened.project_json() == saved);
}

}  // namespace

TEST_CASE("Robustness: a project with no survey saves, opens and saves to the same bytes",
          "[robustness][project]") {
  // Found by fuzz_model: the first save wrote "items": [] for a survey never set, the
  // reopened project listed the model's items.
  check_reopens(worked_example());
}

TEST_CASE("Robustness: line numbers do not depend on where a CRLF inside quotes is split",
          "[robustness][csv]") {
  // Found by fuzz_csv: a CRLF inside a quoted field, split between two feed() calls, counted
  // as two lines, so later records and the unterminated-quote message named the wrong line.
  const std::string text = "a,\"x\r\ny\"\r\nb,c\r\n\"open\r\n";
  const auto read = [&](std::size_t chunk) {
    std::vector<std::size_t> lines;
    cvc::CsvReader reader(',', [&](const cvc::CsvRecord& r) {
      lines.push_back(r.line);
      return true;
    });
    for (std::size_t i = 0; i < text.size(); i += chunk) reader.feed(text.substr(i, chunk));
    const cvc::Status status = reader.finish();
    REQUIRE_FALSE(status.ok());
    return std::make_pair(lines, status.error().message);
  };
  const auto whole = read(text.size());
  CHECK(whole.first == std::vector<std::size_t>{1, 3});
  CHECK_THAT(whole.second, Catch::Matchers::Contains("opened on line 4"));
  for (std::size_t chunk = 1; chunk <= 5; ++chunk) CHECK(read(chunk) == whole);
}

namespace {

// Imports `csv` as the customer table (the proposed mapping unless one is given), then saves
// the project and opens it in a fresh calculator: what an import accepts must load again.
cvc::StagedCustomers import_and_reopen(
    const std::string& csv, std::optional<std::vector<cvc::CustomerColumnMapping>> mapping = {}) {
  cvc::Calculator calc = worked_example();
  auto preview = calc.begin_customer_import(csv);
  REQUIRE(preview.ok());
  auto staged = calc.stage_customer_import(mapping ? *mapping : preview.value().proposed,
                                           preview.value().delimiter, false);
  REQUIRE(staged.ok());
  cvc::StagedCustomers copy = *staged.value();
  REQUIRE(calc.commit_customer_import().ok());
  check_reopens(calc);
  return copy;
}

}  // namespace

TEST_CASE("Robustness: what the customer import accepts, the project file opens again",
          "[robustness][customers]") {
  // Found by fuzz_csv: the customer import kept ids and names that the project loader
  // refuses, so a saved project (and autosave, and share links) could not be opened.
  SECTION("ids with control characters or longer than 200 bytes are listed as problems") {
    const std::string long_id(250, 'x');
    const auto staged =
        import_and_reopen("customer_id,revenue\n\"a\x05\",10\n" + long_id + ",20\nok,30\n");
    CHECK(staged.rows_valid == 1);
    REQUIRE(staged.problems.size() == 2);
    CHECK_THAT(staged.problems[0].reason, Catch::Matchers::Contains("control character"));
    CHECK_THAT(staged.problems[1].reason, Catch::Matchers::Contains("longer than 200 bytes"));
  }
  SECTION("a customer without an id is named by its row, unless that name is taken") {
    const auto staged = import_and_reopen("customer_id,revenue\nrow 3,10\n,20\n");
    REQUIRE(staged.rows_valid == 2);
    CHECK(staged.table.customers[0].id == "row 3");
    CHECK(staged.table.customers[1].id == "row 3 (2)");
  }
  SECTION("segment names with control characters are problems; groups and MRR labels fit") {
    const std::string long_header = "MRR " + std::string(300, 'm');
    const auto staged = import_and_reopen("customer_id,segment,revenue," + long_header +
                                          "\na,\"SMB\nX\",10,1\nb,SMB,20,2\n");
    CHECK(staged.rows_valid == 1);
    REQUIRE(staged.problems.size() == 1);
    CHECK_THAT(staged.problems[0].reason, Catch::Matchers::Contains("control character"));
    REQUIRE(staged.table.mrr_labels.size() == 1);
    CHECK(staged.table.mrr_labels[0].size() <= cvc::kMaxLabelLength);
  }
  SECTION("a segment column without a header or label gets a group name") {
    std::vector<cvc::CustomerColumnMapping> mapping(3);
    mapping[0] = {0, cvc::CustomerField::customer_id, ""};
    mapping[1] = {1, cvc::CustomerField::segment, ""};
    mapping[2] = {2, cvc::CustomerField::revenue, ""};
    const auto staged = import_and_reopen("customer_id,,revenue\na,SMB,10\n", mapping);
    REQUIRE(staged.table.segments.size() == 1);
    CHECK(staged.table.segments[0].group == "column 2");
  }
  SECTION("two segment columns cannot fill one group") {
    cvc::Calculator calc;
    REQUIRE(calc.begin_customer_import("id,plan,tier,revenue\na,SMB,Pro,10\n").ok());
    std::vector<cvc::CustomerColumnMapping> mapping(4);
    mapping[0] = {0, cvc::CustomerField::customer_id, ""};
    mapping[1] = {1, cvc::CustomerField::segment, "size"};
    mapping[2] = {2, cvc::CustomerField::segment, "size"};
    mapping[3] = {3, cvc::CustomerField::revenue, ""};
    auto staged = calc.stage_customer_import(mapping, ',', false);
    REQUIRE_FALSE(staged.ok());
    CHECK_THAT(staged.error().message, Catch::Matchers::Contains("both fill the segment group"));
  }
}

TEST_CASE("Robustness: a survey id with DEL is one row's problem, not the whole import's",
          "[robustness][import]") {
  // The import checked ids for control characters below 0x20 only; Responses (and so the
  // project loader) also refuse DEL (0x7f), which then refused the whole import.
  cvc::Calculator calc = worked_example();
  auto preview = calc.begin_csv_import("id,nps\na\x7f,9\nb,8\n");
  REQUIRE(preview.ok());
  auto staged = calc.stage_csv_import(preview.value().proposed, ',', false);
  REQUIRE(staged.ok());
  CHECK(staged.value()->rows_valid == 1);
  REQUIRE(staged.value()->problems.size() == 1);
  CHECK_THAT(staged.value()->problems[0].reason, Catch::Matchers::Contains("control character"));
}

TEST_CASE("Robustness: the proposed survey mapping stages, whatever the headers and cells",
          "[robustness][import]") {
  // Found by fuzz_csv (staging the proposal must not fail for the file's content): a header
  // with a control character or over 200 bytes made a new item or segment group the model
  // refuses, and one segment cell with a line break refused the whole import.
  const std::string long_label(300, 'q');
  const std::string csv = "id,\"segment:si\x02ze\",\"benefit:Qua\x01lity\",benefit:" + long_label +
                          ",plan\nr1,S,4,5,SMB\nr2,M,3,4,\"SMB\nX\"\nr3,L,5,5,Enterprise\n";
  cvc::Calculator calc = worked_example();
  auto preview = calc.begin_csv_import(csv);
  REQUIRE(preview.ok());
  auto staged = calc.stage_csv_import(preview.value().proposed, ',', false);
  INFO((staged.ok() ? std::string() : staged.error().message));
  REQUIRE(staged.ok());
  const cvc::StagedImport& s = *staged.value();
  CHECK(s.rows_valid == 2);
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].row == 3);
  CHECK_THAT(s.problems[0].reason, Catch::Matchers::Contains("control character"));
  for (const cvc::Item& item : s.model.items) CHECK(item.label.size() <= cvc::kMaxLabelLength);
  REQUIRE(calc.commit_import().ok());
  check_reopens(calc);
}

TEST_CASE("Robustness: two segment columns filling one group make row problems, not an error",
          "[robustness][import]") {
  // Both "plan" and "tier" hold the model's "size" segments, so both are proposed into that
  // group; a respondent with two different sizes refused the whole import ("Row 1 is in more
  // than one segment of group", naming the wrong row too).
  cvc::Calculator calc;
  REQUIRE(calc.load_model_json(R"({"schema": "customer-value-model", "version": 1,
    "items": [{"id": "q", "label": "Quality", "side": "benefit", "kind": "functional", "scale": "1-5"}],
    "segments": [{"id": "smb", "label": "SMB", "group": "size"},
                 {"id": "ent", "label": "Enterprise", "group": "size"}]})")
              .ok());
  auto preview =
      calc.begin_csv_import("id,plan,tier,nps\na,SMB,Enterprise,9\nb,Enterprise,,8\nc,SMB,SMB,7\n");
  REQUIRE(preview.ok());
  REQUIRE(preview.value().proposed[1].group == "size");
  REQUIRE(preview.value().proposed[2].group == "size");
  auto staged = calc.stage_csv_import(preview.value().proposed, ',', false);
  INFO((staged.ok() ? std::string() : staged.error().message));
  REQUIRE(staged.ok());
  const cvc::StagedImport& s = *staged.value();
  CHECK(s.rows_valid == 2);  // b, and c (the same segment twice is one segment)
  REQUIRE(s.problems.size() == 1);
  CHECK(s.problems[0].row == 2);
  CHECK(s.problems[0].column == 3);
  CHECK_THAT(s.problems[0].reason, Catch::Matchers::Contains("second segment of group \"size\""));
}

TEST_CASE("Robustness: business settings the model refuses are refused, and the project opens",
          "[robustness][business]") {
  // Found by fuzz_model (JSON the page sends): set_business_settings checked the settings
  // alone, not against the model, so "satisfied from" 50 on NPS (0-10) was taken, saved, and
  // the project (the autosave too) could not be opened again.
  cvc::Calculator calc = worked_example();
  const std::string before = calc.project_json();
  cvc::BusinessSettings settings;
  settings.satisfaction = cvc::SatisfactionAxis::nps;
  settings.satisfied_from = 50;
  const cvc::Status status = calc.set_business_settings(settings);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().field == "business.satisfied_from");
  CHECK(calc.project_json() == before);
  settings.satisfaction = cvc::SatisfactionAxis::csat;
  settings.satisfied_from = 9;  // CSAT is on 1-5 here
  CHECK_FALSE(calc.set_business_settings(settings).ok());
  settings.satisfied_from = 4;
  REQUIRE(calc.set_business_settings(settings).ok());
  check_reopens(calc);
}

TEST_CASE("Robustness: a customer table keeps at most 240 MRR columns, the latest proposed",
          "[robustness][customers]") {
  // The project loader refuses more than 240 MRR columns, but the import took any number:
  // a table with 300 monthly columns imported, saved, and could not be opened again.
  std::string header = "id,revenue";
  std::string row = "a,10";
  for (int k = 0; k < 300; ++k) {
    header += ",MRR " + std::to_string(k);
    row += "," + std::to_string(k);
  }
  const std::string csv = header + "\n" + row + "\n";
  const auto staged = import_and_reopen(csv);
  REQUIRE(staged.table.mrr_labels.size() == cvc::kMaxMrrColumns);
  CHECK(staged.table.mrr_labels.front() == "60");  // the oldest 60 are not proposed
  CHECK(staged.table.customers[0].mrr.back() == 299);

  cvc::Calculator calc;
  auto preview = calc.begin_customer_import(csv);
  REQUIRE(preview.ok());
  auto mapping = preview.value().proposed;
  mapping[2].field = cvc::CustomerField::mrr;  // 241 MRR columns
  auto refused = calc.stage_customer_import(mapping, ',', false);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Matchers::Contains("at most 240"));
}
