// Regressions for what the fuzzers (tests/fuzz) and sanitizers found: each case is the
// smallest input that showed the bug, with the property it broke.
#include <catch2/catch.hpp>
#include <string>

#include "cvc/calculator.hpp"
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
