// The project file (model + survey + customers) and the share-link codec.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "cvc/project.hpp"
#include "cvc/share_link.hpp"
#include "fixtures.hpp"

namespace {

// A calculator with the small-survey model, its CSV survey (answers, segments, NPS, CSAT,
// CES, ids) and the customer fixture (segments, MRR columns, dates, payment status).
cvc::Calculator filled_calculator() {
  cvc::Calculator calc;
  const auto fixture =
      nlohmann::json::parse(cvc::test::read_text("tests/fixtures/small-survey.json"));
  REQUIRE(calc.load_model_json(fixture.at("model").dump()).ok());
  auto preview = calc.begin_csv_import(cvc::test::read_text("tests/fixtures/csv/small-survey.csv"));
  REQUIRE(preview.ok());
  REQUIRE(calc.stage_csv_import(preview.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_import().ok());
  auto customers =
      calc.begin_customer_import(cvc::test::read_text("tests/fixtures/csv/customers.csv"));
  REQUIRE(customers.ok());
  REQUIRE(calc.stage_customer_import(customers.value().proposed, ',', false).ok());
  REQUIRE(calc.commit_customer_import().ok());
  REQUIRE(calc.response_rows() > 0);
  REQUIRE(!calc.customers().customers.empty());
  REQUIRE(calc.set_weight("quality", 7.25).ok());  // an edit after the imports is kept too
  return calc;
}

struct Snapshot {
  std::string model, project, results, business;
};
Snapshot snapshot(cvc::Calculator& calc) {
  return {calc.model_json(), calc.project_json(), calc.results_json(), calc.business_json()};
}
void check_same(const Snapshot& a, const Snapshot& b) {
  CHECK(a.model == b.model);
  CHECK(a.project == b.project);
  CHECK(a.results == b.results);
  CHECK(a.business == b.business);
}

}  // namespace

TEST_CASE("Project: save → open → save round-trips exactly", "[project]") {
  cvc::Calculator calc = filled_calculator();
  const Snapshot before = snapshot(calc);

  cvc::Calculator reopened;
  const auto status = reopened.load_project_json(before.project);
  INFO((status.ok() ? std::string() : status.error().message));
  REQUIRE(status.ok());
  check_same(before, snapshot(reopened));
  CHECK(reopened.response_rows() == calc.response_rows());
  CHECK(reopened.responses().has_metrics());
  CHECK(reopened.customers().mrr_labels == calc.customers().mrr_labels);
  CHECK(reopened.customers().segments == calc.customers().segments);
}

TEST_CASE("Project: parts can be left out, as a share link without data does", "[project]") {
  cvc::Calculator calc = filled_calculator();
  const std::string model_only = calc.project_json(false, false);
  const auto document = nlohmann::json::parse(model_only);
  CHECK(document.at("schema") == "customer-value-project");
  CHECK(document.at("version") == 1);
  CHECK_FALSE(document.contains("survey"));
  CHECK_FALSE(document.contains("customers"));

  // Opening it replaces the work: the model comes back, the data is gone.
  REQUIRE(calc.load_project_json(model_only).ok());
  CHECK(calc.response_rows() == 0);
  CHECK(calc.customers().customers.empty());
  CHECK(calc.project_json(false, false) == model_only);

  // With the survey but not the customers.
  cvc::Calculator full = filled_calculator();
  cvc::Calculator survey_only;
  REQUIRE(survey_only.load_project_json(full.project_json(true, false)).ok());
  CHECK(survey_only.response_rows() == full.response_rows());
  CHECK(survey_only.customers().customers.empty());
  CHECK(survey_only.results_json() == full.results_json());
}

TEST_CASE("Project: a bare model file (the older format) opens as a project", "[project]") {
  cvc::Calculator calc = filled_calculator();
  const std::string model_file = calc.model_json();
  auto project = cvc::load_project(model_file);
  REQUIRE(project.ok());
  CHECK(project.value().source == "model");
  CHECK(project.value().survey.rows() == 0);

  REQUIRE(calc.load_project_json(model_file).ok());
  CHECK(calc.model_json() == model_file);
  CHECK(calc.response_rows() == 0);
  CHECK(calc.customers().customers.empty());
}

TEST_CASE("Project: bad, foreign and newer files are refused and nothing changes",
          "[project][errors]") {
  cvc::Calculator calc = filled_calculator();
  const Snapshot before = snapshot(calc);
  auto document = nlohmann::json::parse(before.project);

  const auto refused = [&](const std::string& text, const std::string& field,
                           const std::string& words) {
    const auto status = calc.load_project_json(text);
    REQUIRE_FALSE(status.ok());
    INFO(status.error().message);
    CHECK(status.error().field == field);
    CHECK(status.error().message.find(words) != std::string::npos);
    check_same(before, snapshot(calc));
  };
  const auto with = [&](const nlohmann::json::json_pointer& at, const nlohmann::json& value) {
    auto changed = document;
    changed[at] = value;
    return changed.dump();
  };
  using ptr = nlohmann::json::json_pointer;

  SECTION("not JSON, truncated, too deep") {
    refused("", "project file", "project file");
    refused(before.project.substr(0, before.project.size() / 2), "project file", "line 1");
    refused(std::string(10000, '[') + std::string(10000, ']'), "project file", "nest");
  }
  SECTION("foreign JSON") {
    refused("[1, 2, 3]", "file", "not a Customer Value Calculator project");
    refused(R"({"name": "a spreadsheet export"})", "schema", "not a Customer Value Calculator");
  }
  SECTION("a newer version") {
    refused(with(ptr("/version"), 2), "version", "newer version of the calculator");
    refused(with(ptr("/version"), "1"), "version", "whole number");
  }
  SECTION("unknown fields are named") {
    refused(with(ptr("/surveys"), 1), "surveys", "unknown field");
    refused(with(ptr("/survey/rows/0/nsp"), 9), "survey, row 1.nsp", "unknown field");
  }
  SECTION("the model part names its field") {
    refused(with(ptr("/model/items/0/weight"), 99), "model.items[0].weight",
            "In the model: The weight of \"Quality\" (items[0].weight)");
  }
  SECTION("survey answers are checked like an import") {
    refused(with(ptr("/survey/rows/1/answers/0"), 42), "survey, row 2, item quality", "row 2");
    refused(with(ptr("/survey/rows/1/answers/0"), "4"), "survey, row 2, answers[0]", "a number");
    refused(with(ptr("/survey/rows/0/answers"), nlohmann::json::array({1})),
            "survey, row 1, answers", "expected 3 answers");
    refused(with(ptr("/survey/items/1"), "speed"), "survey, items[1]", "no item \"speed\"");
    refused(with(ptr("/survey/items/1"), "quality"), "survey, items[1]", "listed twice");
    refused(with(ptr("/survey/rows/0/segments"), nlohmann::json::array({"mars"})),
            "survey, row 1, segments[0]", "no segment \"mars\"");
    refused(with(ptr("/survey/rows/0/nps"), 11), "survey, row 1, nps", "row 1");
    refused(with(ptr("/survey/rows/1/id"), document["survey"]["rows"][0]["id"]),
            "survey, row 2, id", "In the survey: Row 2: the respondent id \"r1\" is also");
  }
  SECTION("customers are checked like an import") {
    refused(with(ptr("/customers/rows/1/id"), document["customers"]["rows"][0]["id"]),
            "customers, row 2, id", "already in row 1");
    refused(with(ptr("/customers/rows/0/gross_margin"), "lots"), "customers, row 1, gross_margin",
            "customers, row 1");
    refused(with(ptr("/customers/rows/0/segments"), nlohmann::json::array({"nowhere"})),
            "customers, row 1, segments", "no customer segment");
    refused(with(ptr("/customers/segments/0/label"), ""), "customers, segments[0].label",
            "plain text");
  }
}

// RFC 4648 §10 test vectors (base64; base64url differs only in the two last letters of the
// alphabet and in leaving out the padding, §5).
TEST_CASE("Share link: base64url against RFC 4648", "[share]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(cvc::base64url_encode(plain) == encoded);
    auto decoded = cvc::base64url_decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == plain);
  }
  // 0xFB 0xFF: bits 111110 111111 1111(00) → the URL-safe letters 62 '-' and 63 '_'.
  CHECK(cvc::base64url_encode("\xfb\xff") == "-_8");
  // Random bytes round-trip.
  std::mt19937 rng(20261122);
  for (int n = 0; n < 200; ++n) {
    std::string bytes(static_cast<std::size_t>(n), '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    auto back = cvc::base64url_decode(cvc::base64url_encode(bytes));
    REQUIRE(back.ok());
    CHECK(back.value() == bytes);
  }
}

TEST_CASE("Share link: fragments are read from a URL, and bad links say what is wrong",
          "[share][errors]") {
  const std::string fragment = cvc::share_fragment("foobar");
  CHECK(fragment == "cvc1.Zm9vYmFy");
  for (const std::string link :
       {"https://example.com/calc.html#cvc1.Zm9vYmFy", "#cvc1.Zm9vYmFy", "cvc1.Zm9vYmFy",
        "  file:///home/a/calc.html?x=1#cvc1.Zm9vYmFy\n"}) {
    auto payload = cvc::share_payload(link);
    INFO(link);
    REQUIRE(payload.ok());
    CHECK(payload.value() == "foobar");
  }
  const auto refused = [](const std::string& link, const std::string& words) {
    auto payload = cvc::share_payload(link);
    INFO(link);
    REQUIRE_FALSE(payload.ok());
    INFO(payload.error().message);
    CHECK(payload.error().field == "link");
    CHECK(payload.error().message.find(words) != std::string::npos);
  };
  refused("https://example.com/calc.html", "no calculator data");
  refused("https://example.com/calc.html#", "no calculator data");
  refused("#results", "not a Customer Value Calculator share link");
  refused("#cvc2.Zm9v", "format 2");
  refused("#cvc1.", "no data");
  refused("#cvc1.Zm9vY", "cut off");                 // 5 characters: not a whole byte
  refused("#cvc1.Zm9v%20", "\"%\" at position 5");   // changed by a mail client
  refused("#cvc1.Zm9vYmE=", "\"=\" at position 8");  // padding is not part of the format
  refused("#cvc1.Zh", "last characters");            // 'h' leaves non-zero unused bits
  refused("#cvc1." + std::string(cvc::kMaxShareLinkLength, 'A'), "too long");
}
