// `cvc score` (native only): its output is exactly calc.results() for the same file imported
// through the calculator, bad input exits 1 with a message that says where, usage exits 2.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "fixtures.hpp"
#include "score.hpp"

using Catch::Matchers::Contains;

namespace {

const std::string kSmallModel = "tests/fixtures/cli/small-survey-model.json";

std::string source_path(const std::string& relative) {
  return std::string(CVC_SOURCE_DIR) + "/" + relative;
}

// A file in the build tree, named after the test that writes it.
std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(CVC_TEST_TMP) + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The page's path: import the file with the proposed mapping (or the given one), commit, and
// take the results JSON.
std::string calculator_results(const std::string& model_json, const std::string& csv,
                               const std::vector<cvc::ColumnMapping>* mapping = nullptr) {
  cvc::Calculator calc;
  REQUIRE(calc.load_model_json(model_json).ok());
  auto preview = calc.begin_csv_import(csv);
  REQUIRE(preview.ok());
  const auto& p = preview.value();
  auto staged = calc.stage_csv_import(mapping ? *mapping : p.proposed, p.delimiter, p.decimal_comma,
                                      p.proposed_satisfaction);
  REQUIRE(staged.ok());
  REQUIRE(calc.commit_import().ok());
  return calc.results_json() + "\n";
}

cvc::cli::Outcome score(const std::string& csv_path, const std::string& model_path,
                        std::vector<std::string> more = {}) {
  std::vector<std::string> args{"score", csv_path, "--model", model_path};
  args.insert(args.end(), more.begin(), more.end());
  return cvc::cli::run(args);
}

// A survey over several statistics blocks: ratings, an amount column (a currency item is
// created), blanks, rejected rows, two segment columns and satisfaction answers.
std::string generated_survey(std::size_t rows) {
  std::string csv =
      "respondent_id,segment:size,segment:tenure,nps,csat,ces,benefit:Quality,benefit:Ease of "
      "use,cost:Effort,benefit:Savings per month,cost:Setup hours\n";
  std::uint32_t state = 12345;
  const auto next = [&](std::uint32_t n) {
    state = state * 1664525u + 1013904223u;
    return (state >> 8) % n;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    const auto cell = [&](std::uint32_t low, std::uint32_t high) {
      return next(50) == 0 ? std::string() : std::to_string(low + next(high - low + 1));
    };
    csv += "R" + std::to_string(r + 1) + "," + (next(3) == 0 ? "Enterprise" : "SMB") + "," +
           (next(2) == 0 ? "new" : "old") + "," + cell(0, 10) + "," + cell(1, 5) + "," +
           cell(1, 7) + "," + (next(400) == 0 ? "6" : cell(1, 5)) + "," + cell(0, 10) + "," +
           cell(1, 5) + "," + std::to_string(next(200000)) + "." + std::to_string(next(100)) + "," +
           cell(0, 40) + "\n";
  }
  return csv;
}

}  // namespace

TEST_CASE("cvc score prints exactly the calculator's results for the same file", "[cli][import]") {
  const std::string model = cvc::test::read_text(kSmallModel);
  SECTION("the small survey") {
    const auto out =
        score(source_path("tests/fixtures/csv/small-survey.csv"), source_path(kSmallModel));
    CHECK(out.exit_code == 0);
    CHECK(out.out ==
          calculator_results(model, cvc::test::read_text("tests/fixtures/csv/small-survey.csv")));
    CHECK_THAT(out.err, Contains("scored 5 of 5 rows"));
  }
  SECTION("semicolons, decimal commas and created amount items") {
    const std::string file = "tests/fixtures/csv/semicolon-decimal-comma.csv";
    const auto out = score(source_path(file), source_path(kSmallModel));
    CHECK(out.exit_code == 0);
    CHECK(out.out == calculator_results(model, cvc::test::read_text(file)));
  }
  SECTION("rejected rows are listed and left out, as the import does") {
    const std::string file = "tests/fixtures/csv/bad-rows.csv";
    const auto out = score(source_path(file), source_path(kSmallModel), {"--max-problems", "2"});
    CHECK(out.exit_code == 0);
    CHECK(out.out == calculator_results(model, cvc::test::read_text(file)));
    CHECK_THAT(out.err, Contains("row 3, column 2 (nps): \"11\": outside the 0–10 scale"));
    CHECK_THAT(out.err, Contains("4 of 5 rows rejected (4 problems, the first 2 listed)"));
    CHECK_THAT(out.err, !Contains("row 5: ragged"));
  }
  SECTION("several blocks of rows, amounts, segments and blanks") {
    const std::string csv = generated_survey(5000);
    const auto out = score(write_temp("cli-generated.csv", csv), source_path(kSmallModel));
    CHECK(out.exit_code == 0);
    CHECK(out.out == calculator_results(model, csv));
    CHECK_THAT(out.out, Contains("\"survey_rows\":"));
  }
}

TEST_CASE("cvc score reads a mapping file", "[cli][import]") {
  const std::string model = cvc::test::read_text(kSmallModel);
  const std::string file = "tests/fixtures/csv/small-survey.csv";
  // Leave out CES and Effort; the segment column fills a group of its own.
  const std::string mapping_json =
      R"([{"column": 0, "role": "respondent_id"}, {"column": 1, "role": "segment", "group": "tier"},
          {"column": 2, "role": "nps"}, {"column": 3, "role": "csat"}, {"column": 4, "role": "ignore"},
          {"column": 5, "role": "item", "item_id": "quality"},
          {"column": 6, "role": "item", "item_id": "ease"}, {"column": 7, "role": "ignore"}])";
  auto mapping = cvc::mapping_from_json(nlohmann::json::parse(mapping_json));
  REQUIRE(mapping.ok());
  SECTION("as a list") {
    const auto out = score(source_path(file), source_path(kSmallModel),
                           {"--mapping", write_temp("cli-mapping.json", mapping_json)});
    CHECK(out.exit_code == 0);
    CHECK(out.out == calculator_results(model, cvc::test::read_text(file), &mapping.value()));
  }
  SECTION("with the format, and a bad field named") {
    const auto out =
        score(source_path(file), source_path(kSmallModel),
              {"--mapping", write_temp("cli-mapping-object.json",
                                       R"({"mapping": )" + mapping_json +
                                           R"(, "delimiter": ",", "decimal_comma": false})")});
    CHECK(out.exit_code == 0);
    CHECK(out.out == calculator_results(model, cvc::test::read_text(file), &mapping.value()));
    const auto bad = score(
        source_path(file), source_path(kSmallModel),
        {"--mapping", write_temp("cli-mapping-bad.json", R"([{"column": 0, "role": "owner"}])")});
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Contains("mapping[0].role") && Contains("unknown role \"owner\""));
  }
}

TEST_CASE("cvc score: bad input exits 1 and says where", "[cli][bad-input]") {
  const std::string model = source_path(kSmallModel);
  SECTION("an unterminated quote names the row and column") {
    const auto out = score(source_path("tests/fixtures/csv/unterminated-quote.csv"), model);
    CHECK(out.exit_code == 1);
    CHECK(out.out.empty());
    CHECK_THAT(out.err, Contains("Row 3, column 2") && Contains("unterminated quote"));
  }
  SECTION("a file that does not exist") {
    const auto out = score(source_path("tests/fixtures/csv/none.csv"), model);
    CHECK(out.exit_code == 1);
    CHECK_THAT(out.err, Contains("cannot read") && Contains("none.csv"));
  }
  SECTION("a model that is not valid names the field") {
    const auto out = score(source_path("tests/fixtures/csv/small-survey.csv"),
                           write_temp("cli-bad-model.json", R"({"schema": "customer-value-model",
              "version": 1, "name": "x", "items": [{"id": "a", "label": "A", "side": "benefit",
              "kind": "functional", "weight": 12, "scale": "1-5"}], "segments": []})"));
    CHECK(out.exit_code == 1);
    CHECK_THAT(out.err, Contains("items[0].weight"));
  }
  SECTION("no row can be scored") {
    const auto out =
        score(write_temp("cli-all-bad.csv", "respondent_id,nps\nr1,11\nr2,x\n"), model);
    CHECK(out.exit_code == 1);
    CHECK_THAT(out.err, Contains("row 2, column 2 (nps)") && Contains("no row of the file"));
  }
  SECTION("--strict refuses any rejected row") {
    const auto out = score(source_path("tests/fixtures/csv/bad-rows.csv"), model, {"--strict"});
    CHECK(out.exit_code == 1);
    CHECK(out.out.empty());
    CHECK_THAT(out.err, Contains("--strict"));
  }
}

TEST_CASE("cvc: usage errors exit 2", "[cli]") {
  CHECK(cvc::cli::run({}).exit_code == 2);
  CHECK(cvc::cli::run({"sum"}).exit_code == 2);
  CHECK(cvc::cli::run({"score", "a.csv"}).exit_code == 2);
  CHECK(cvc::cli::run({"score", "--model"}).exit_code == 2);
  CHECK(cvc::cli::run({"score", "a.csv", "b.csv", "--model", "m.json"}).exit_code == 2);
  CHECK(cvc::cli::run({"score", "a.csv", "--model", "m.json", "--max-problems", "-1"}).exit_code ==
        2);
  const auto unknown = cvc::cli::run({"score", "a.csv", "--fast"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Contains("unknown option \"--fast\"") && Contains("usage: cvc score"));
  const auto help = cvc::cli::run({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Contains("usage: cvc score"));
}
