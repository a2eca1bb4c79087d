// Survey responses as a header + arrays (core/src/survey_transfer.cpp): how the page's import
// worker hands a checked import to the page, and how the autosave keeps a survey. Expected
// values are the fixtures' own (tests/fixtures/csv/small-survey.csv): whatever goes in must
// come out identical, and damaged arrays must be refused by name.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "cvc/survey_transfer.hpp"
#include "fixtures.hpp"

namespace {

struct Parts {
  std::string header;
  std::vector<std::vector<unsigned char>> arrays;

  // Copies each array as the page does (into its own buffer), then hands them back by index.
  cvc::Responses::PartFill fill() const {
    return [this](std::size_t index, void* dest, std::size_t bytes) {
      if (index >= arrays.size() || arrays[index].size() != bytes) return false;
      if (bytes != 0) std::memcpy(dest, arrays[index].data(), bytes);
      return true;
    };
  }
};

Parts copy_parts(std::string header, const cvc::Responses& responses) {
  Parts out{std::move(header), {}};
  for (const auto& part : responses.parts()) {
    const auto* bytes = static_cast<const unsigned char*>(part.data);
    out.arrays.emplace_back(bytes, bytes + part.bytes);
  }
  return out;
}

const nlohmann::json& fixture() {
  static const nlohmann::json document =
      nlohmann::json::parse(cvc::test::read_text("tests/fixtures/small-survey.json"));
  return document;
}

// Rows of answers and segment flags (row-major), optionally with ids.
cvc::ResponseInput rows_of(std::size_t rows, const std::vector<double>& answers,
                           const std::vector<std::uint8_t>& membership,
                           const std::vector<std::string>* ids = nullptr) {
  cvc::ResponseInput in;
  in.rows = rows;
  in.answers = answers.data();
  in.answer_count = answers.size();
  in.membership = membership.data();
  in.membership_count = membership.size();
  in.ids = ids;
  return in;
}

std::string survey_csv() {
  return cvc::test::read_text("tests/fixtures/csv/small-survey.csv");
}

cvc::Calculator calculator() {
  cvc::Calculator calc;
  REQUIRE(calc.load_model_json(fixture().at("model").dump()).ok());
  return calc;
}

// The worker's side: preview and stage the CSV in one calculator, and send header + arrays.
Parts staged_in_worker(const cvc::Model& model) {
  const std::string csv = survey_csv();
  auto preview = cvc::preview_survey_csv(csv, model);
  REQUIRE(preview.ok());
  auto staged =
      cvc::stage_survey_import(cvc::MemorySource(csv), model, preview.value().proposed, ',', false);
  REQUIRE(staged.ok());
  return copy_parts(cvc::staged_import_header(staged.value()), staged.value().responses);
}

}  // namespace

TEST_CASE("Survey parts: a survey with ids, metrics and segments comes back identical",
          "[transfer]") {
  cvc::Calculator calc = calculator();
  auto preview = calc.begin_csv_import(survey_csv());
  REQUIRE(preview.ok());
  REQUIRE(calc.stage_csv_import(preview.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_import().ok());
  REQUIRE(calc.responses().has_ids());
  REQUIRE(calc.responses().has_metrics());

  const Parts parts =
      copy_parts(cvc::survey_parts_header(calc.model(), calc.responses()), calc.responses());
  cvc::Calculator other = calculator();
  auto restored = cvc::survey_from_parts(other.model(), parts.header, parts.fill());
  INFO((restored.ok() ? std::string() : restored.error().message));
  REQUIRE(restored.ok());
  const std::size_t version = other.survey_version();
  REQUIRE(other.restore_survey(std::move(restored).value()).ok());
  CHECK(other.survey_version() != version);
  CHECK(other.project_json() == calc.project_json());
  CHECK(other.results_json() == calc.results_json());
}

TEST_CASE("Survey parts: amounts (doubles) and a survey without ids", "[transfer]") {
  cvc::Calculator calc;
  REQUIRE(calc.load_model_json(cvc::test::read_text("tests/fixtures/worked-example.json")).ok());
  const cvc::Model& model = calc.model();
  REQUIRE(model.items.size() == 2);
  // Hand-made answers in money (the worked example's items are both amounts), one missing.
  const std::vector<double> answers = {1200.5, 300, std::nan(""), 450.25, 80, 0};
  const std::vector<std::uint8_t> membership(3 * model.segments.size(), 0);
  REQUIRE(calc.set_responses(rows_of(3, answers, membership)).ok());
  REQUIRE(!calc.responses().has_ids());
  const Parts parts =
      copy_parts(cvc::survey_parts_header(model, calc.responses()), calc.responses());
  auto restored = cvc::survey_from_parts(model, parts.header, parts.fill());
  REQUIRE(restored.ok());
  CHECK(!restored.value().has_ids());
  CHECK(restored.value().column(0).value(0) == 1200.5);
  CHECK(restored.value().column(0).missing(1));
  CHECK(!restored.value().complete(1));
  CHECK(restored.value().column(1).value(2) == 0);
}

TEST_CASE("Survey parts: damaged or foreign arrays are refused, naming why", "[transfer]") {
  cvc::Calculator calc = calculator();
  auto preview = calc.begin_csv_import(survey_csv());
  REQUIRE(preview.ok());
  REQUIRE(calc.stage_csv_import(preview.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_import().ok());
  const cvc::Model& model = calc.model();
  const Parts good =
      copy_parts(cvc::survey_parts_header(model, calc.responses()), calc.responses());
  const auto refused = [&](const Parts& parts, const cvc::Model& for_model) {
    auto result = cvc::survey_from_parts(for_model, parts.header, parts.fill());
    REQUIRE(!result.ok());
    return result.error().message;
  };

  SECTION("a rating outside its item's scale") {
    Parts bad = good;
    bad.arrays[0][1] = 9;  // item "quality" is 1–5
    CHECK_THAT(refused(bad, model), Catch::Contains("item \"quality\" of respondent 2"));
  }
  SECTION("an array of the wrong size") {
    Parts bad = good;
    bad.arrays[2].pop_back();
    CHECK_THAT(refused(bad, model), Catch::Contains("part 3"));
  }
  SECTION("an array missing") {
    Parts bad = good;
    bad.arrays.pop_back();
    CHECK_THAT(refused(bad, model), Catch::Contains("missing or has the wrong size"));
  }
  SECTION("two segments of one group") {
    Parts bad = good;
    // Parts: 3 items, 3 metrics, then segments smb, ent (group size), empty.
    bad.arrays[6][0] = 1;
    bad.arrays[7][0] = 1;
    CHECK_THAT(refused(bad, model), Catch::Contains("segments of group \"size\""));
    Parts later = good;
    later.arrays[6][2] = 1;
    later.arrays[7][2] = 1;
    CHECK_THAT(refused(later, model),
               Catch::Contains("the segments of group \"size\" of respondent 3 is not"));
  }
  SECTION("faults past the first stretch of 4096 rows name their respondent") {
    // The fixture's rows over and over (5000 rows, without ids): every array a byte per row.
    nlohmann::json header = nlohmann::json::parse(good.header);
    const std::size_t rows = header.at("rows").get<std::size_t>();
    constexpr std::size_t n = 5000;
    header["rows"] = n;
    header["ids"] = false;
    header["id_text_bytes"] = 0;
    Parts big{header.dump(), {}};
    for (std::size_t a = 0; a + 2 < good.arrays.size(); ++a) {  // the two id arrays left out
      REQUIRE(good.arrays[a].size() == rows);
      big.arrays.emplace_back();
      for (std::size_t r = 0; r < n; ++r) big.arrays.back().push_back(good.arrays[a][r % rows]);
    }
    REQUIRE(cvc::survey_from_parts(model, big.header, big.fill()).ok());
    Parts group = big;
    group.arrays[6][4999] = 1;
    group.arrays[7][4999] = 1;
    CHECK_THAT(refused(group, model),
               Catch::Contains("the segments of group \"size\" of respondent 5000 is not"));
    Parts rating = big;
    rating.arrays[0][4500] = 9;
    CHECK_THAT(refused(rating, model), Catch::Contains("item \"quality\" of respondent 4501"));
  }
  SECTION("a segment flag other than 0 or 1") {
    Parts bad = good;
    bad.arrays[8][1] = 2;
    CHECK_THAT(refused(bad, model), Catch::Contains("a segment flag of respondent 2 is not"));
  }
  SECTION("an NPS answer off its 0–10 scale") {
    Parts bad = good;
    bad.arrays[3][0] = 11;
    CHECK_THAT(refused(bad, model), Catch::Contains("NPS"));
  }
  SECTION("ids out of order, or duplicated") {
    Parts bad = good;
    auto* ends = reinterpret_cast<std::size_t*>(bad.arrays[9].data());
    std::swap(ends[0], ends[1]);
    CHECK_THAT(refused(bad, model), Catch::Contains("the id of respondent"));
    Parts twice = good;
    REQUIRE(std::string(twice.arrays[10].begin(), twice.arrays[10].begin() + 4) == "r1r2");
    twice.arrays[10][3] = '1';  // "r1r1…": respondent 2 has respondent 1's id
    CHECK_THAT(refused(twice, model), Catch::Contains("is also the id of row 1"));
  }
  SECTION("a header for another model or another version") {
    cvc::Model other = model;
    other.items[1].id = "renamed";
    CHECK_THAT(refused(good, other), Catch::Contains("item 2 differs"));
    other = model;
    other.segments.pop_back();
    CHECK_THAT(refused(good, other), Catch::Contains("other items or segments"));
    Parts old = good;
    auto header = nlohmann::json::parse(old.header);
    header["format"] = 99;
    old.header = header.dump();
    CHECK_THAT(refused(old, model), Catch::Contains("another version"));
    old.header = "{\"format\": 1}";
    CHECK_THAT(refused(old, model), Catch::Contains("incomplete"));
    old.header = "[1,";
    CHECK(!cvc::survey_from_parts(model, old.header, old.fill()).ok());
  }
}

TEST_CASE("Adopted import: committing it is committing a local one", "[transfer]") {
  cvc::Calculator local = calculator();
  auto preview = local.begin_csv_import(survey_csv());
  REQUIRE(preview.ok());
  REQUIRE(local.stage_csv_import(preview.value().proposed, ',', false).ok());
  REQUIRE(local.commit_import().ok());

  cvc::Calculator page = calculator();
  const Parts parts = staged_in_worker(page.model());
  auto staged = cvc::staged_import_from_parts(parts.header, parts.fill());
  INFO((staged.ok() ? std::string() : staged.error().message));
  REQUIRE(staged.ok());
  CHECK(staged.value().rows_valid == local.response_rows());
  REQUIRE(page.adopt_staged_import(std::move(staged).value(), false).ok());
  REQUIRE(page.response_rows() == 0);  // nothing changes before the commit
  REQUIRE(page.commit_import().ok());
  CHECK(page.project_json() == local.project_json());
  CHECK(page.results_json() == local.results_json());
}

TEST_CASE("Adopted import: a weight moved meanwhile is kept; other items are refused",
          "[transfer]") {
  SECTION("weight moved while the worker read the file") {
    cvc::Calculator page = calculator();
    const Parts parts = staged_in_worker(page.model());
    REQUIRE(page.set_weight("quality", 9.5).ok());
    REQUIRE(page.adopt_staged_import(
                    cvc::staged_import_from_parts(parts.header, parts.fill()).value(), false)
                .ok());
    REQUIRE(page.set_weight("ease", 1.5).ok());  // and after the check
    REQUIRE(page.commit_import().ok());
    CHECK(page.model().items[0].weight == 9.5);
    CHECK(page.model().items[1].weight == 1.5);
    CHECK(page.response_rows() > 0);
  }
  SECTION("the model lost an item meanwhile") {
    cvc::Calculator page = calculator();
    const Parts parts = staged_in_worker(page.model());
    REQUIRE(page.adopt_staged_import(
                    cvc::staged_import_from_parts(parts.header, parts.fill()).value(), false)
                .ok());
    cvc::Model fewer = page.model();
    fewer.items.erase(fewer.items.begin() + 1);  // "ease" (the SMB segment weights "effort")
    REQUIRE(page.load_model(fewer).ok());        // drops the pending import
    CHECK(!page.commit_import().ok());
  }
  SECTION("a structural change after adopting asks for a new check") {
    cvc::Calculator page = calculator();
    const Parts parts = staged_in_worker(page.model());
    REQUIRE(page.adopt_staged_import(
                    cvc::staged_import_from_parts(parts.header, parts.fill()).value(), false)
                .ok());
    cvc::SatisfactionSettings settings = page.model().satisfaction;
    settings.csat_scale = cvc::ScaleType::likert_1_10;
    settings.csat_satisfied_from = 9;
    REQUIRE(page.set_satisfaction_settings(settings).ok());
    const auto status = page.commit_import();
    REQUIRE(!status.ok());
    CHECK(status.error().field == "import.stale");
    CHECK(page.response_rows() == 0);
  }
}

TEST_CASE("Respondent ids kept in one buffer: edits keep every other id", "[transfer]") {
  cvc::Calculator calc = calculator();
  auto preview = calc.begin_csv_import(survey_csv());
  REQUIRE(preview.ok());
  REQUIRE(calc.stage_csv_import(preview.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_import().ok());
  const std::size_t rows = calc.response_rows();
  std::vector<std::string> ids;
  for (std::size_t r = 0; r < rows; ++r) ids.emplace_back(calc.responses().id(r));

  const cvc::Model& model = calc.model();
  const std::vector<double> answers(model.items.size(), 3);
  const std::vector<std::uint8_t> membership(model.segments.size(), 0);
  const auto one = [&](const std::string& id) {
    static std::vector<std::string> held;
    held = {id};
    return rows_of(1, answers, membership, &held);
  };
  REQUIRE(calc.replace_response(1, one("a-much-longer-respondent-id")).ok());
  ids[1] = "a-much-longer-respondent-id";
  REQUIRE(calc.delete_response(0).ok());
  ids.erase(ids.begin());
  REQUIRE(calc.add_response(one("")).ok());
  ids.push_back("");
  CHECK(!calc.add_response(one(ids[2])).ok());  // still unique
  REQUIRE(calc.response_rows() == ids.size());
  for (std::size_t r = 0; r < ids.size(); ++r) CHECK(std::string(calc.responses().id(r)) == ids[r]);
}

namespace {

// A file read in slices of random sizes (1 byte to 4 KiB), as the import worker reads a File
// in slices: the head is the first 64 KiB or less.
class SlicedSource : public cvc::ByteSource {
 public:
  SlicedSource(std::string bytes, unsigned seed) : bytes_(std::move(bytes)), seed_(seed) {}
  std::string_view head() const override { return std::string_view(bytes_).substr(0, 64 * 1024); }
  cvc::Status feed(cvc::CsvReader& reader) const override {
    std::mt19937 random(seed_);
    std::uniform_int_distribution<std::size_t> size(1, 4096);
    for (std::size_t at = 0; at < bytes_.size();) {
      const std::size_t n = std::min(size(random), bytes_.size() - at);
      if (!reader.feed(std::string_view(bytes_).substr(at, n))) break;
      at += n;
    }
    return cvc::Status::success();
  }

 private:
  std::string bytes_;
  unsigned seed_;
};

}  // namespace

TEST_CASE("Checked import read in slices: the same header and arrays as read whole", "[transfer]") {
  cvc::Calculator calc = calculator();
  // The fixture with quoted fields, CRLF line ends and a bad row, repeated to span many slices.
  std::string csv = survey_csv();
  const std::string header = csv.substr(0, csv.find('\n') + 1);
  std::string body = csv.substr(header.size());
  body += "\"r9\",\"SMB\",\"11\",5,7,5,10,1\r\n";  // NPS 11: a problem row
  std::string big = header;
  for (int copy = 0; copy < 200; ++copy) {
    std::string rows = body;
    for (std::size_t at = 0; (at = rows.find("\nr", at)) != std::string::npos; at += 2) {
      rows.insert(at + 2, std::to_string(copy) + "-");
    }
    if (rows.rfind("r", 0) == 0) rows.insert(1, std::to_string(copy) + "-");
    big += rows;
  }
  const cvc::Model& model = calc.model();
  auto preview = cvc::preview_survey_csv(big, model);
  REQUIRE(preview.ok());
  const auto whole =
      cvc::stage_survey_import(cvc::MemorySource(big), model, preview.value().proposed, ',', false);
  REQUIRE(whole.ok());
  REQUIRE(whole.value().rows_valid == 1000);  // 5 valid rows per copy
  REQUIRE(whole.value().problem_count > 0);
  const Parts expected =
      copy_parts(cvc::staged_import_header(whole.value()), whole.value().responses);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    const auto sliced = cvc::stage_survey_import(SlicedSource(big, seed), model,
                                                 preview.value().proposed, ',', false);
    REQUIRE(sliced.ok());
    const Parts got =
        copy_parts(cvc::staged_import_header(sliced.value()), sliced.value().responses);
    CHECK(got.header == expected.header);
    CHECK(got.arrays == expected.arrays);
  }
}
