// Regressions for what the fuzzers (tests/fuzz) and sanitizers found: each case is the
// smallest input that showed the bug, with the property it broke.
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "cvc/calculator.hpp"
#include "cvc/csv.hpp"
#include "fixtures.hpp"

TEST_CASE("Robustness: a project with no survey saves, opens and saves to the same bytes",
          "[robustness][project]") {
  // Found by fuzz_model: the first save wrote "items": [] for a survey never set, the
  // reopened project listed the model's items.
  cvc::Calculator calc;
  REQUIRE(calc.load_model_json(cvc::test::read_text("tests/fixtures/worked-example.json")).ok());
  const std::string saved = calc.project_json();
  cvc::Calculator reopened;
  REQUIRE(reopened.load_project_json(saved).ok());
  CHECK(reopened.project_json() == saved);
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
