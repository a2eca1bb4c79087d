#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "cvc/json_io.hpp"
#include "cvc/value_model.hpp"
#include "fixtures.hpp"

using Catch::Matchers::Contains;

namespace {

cvc::Model sample() {
  auto model = cvc::load_model(cvc::test::read_text("web/sample/model.json"));
  REQUIRE(model.ok());
  return model.value();
}

}  // namespace

TEST_CASE("Scales map scores to [0, 1] as (x − lo)/(hi − lo)", "[model]") {
  // shared/METRICS.md, "Value index": x on [lo, hi] maps to (x − lo)/(hi − lo); reverse: 1 − that.
  cvc::Item item;
  item.scale.type = cvc::ScaleType::likert_1_5;
  CHECK(cvc::normalised_score(item, 1) == 0.0);
  CHECK(cvc::normalised_score(item, 4) == 0.75);
  item.scale.type = cvc::ScaleType::likert_1_7;
  CHECK(cvc::normalised_score(item, 4) == 0.5);
  item.scale.type = cvc::ScaleType::likert_1_10;
  CHECK(cvc::normalised_score(item, 10) == 1.0);
  CHECK(cvc::normalised_score(item, 4) == Approx(1.0 / 3.0).epsilon(1e-15));
  item.scale.type = cvc::ScaleType::rating_0_10;
  CHECK(cvc::normalised_score(item, 7) == 0.7);
  item.reverse = true;
  CHECK(cvc::normalised_score(item, 7) == Approx(0.3).epsilon(1e-15));
  CHECK(cvc::oriented_score(item, 7) == 3.0);
  item.reverse = false;
  item.scale.type = cvc::ScaleType::currency;
  item.scale.reference_amount = 2000;
  CHECK(cvc::normalised_score(item, 500) == 0.25);
  CHECK(cvc::normalised_score(item, 5000) == 1.0);  // above the reference: the top
}

TEST_CASE("Validation names the field and the reason", "[model][bad-input]") {
  cvc::Model m = sample();
  REQUIRE(cvc::validate(m).ok());

  SECTION("weight out of range") {
    m.items[2].weight = 11;
    const auto s = cvc::validate(m);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().field == "items[2].weight");
    CHECK_THAT(s.error().message,
               Contains("Cost savings") && Contains("0 to 10") && Contains("got 11"));
  }
  SECTION("negative weight") {
    m.items[0].weight = -1;
    CHECK(cvc::validate(m).error().field == "items[0].weight");
  }
  SECTION("NaN weight") {
    m.items[0].weight = std::numeric_limits<double>::quiet_NaN();
    CHECK_THAT(cvc::validate(m).error().message, Contains("got not a number"));
  }
  SECTION("entered score outside its scale") {
    m.items[1].entered_score = 6;
    const auto s = cvc::validate(m);
    CHECK(s.error().field == "items[1].score");
    CHECK_THAT(s.error().message, Contains("Reliability and uptime") && Contains("1–5 scale"));
  }
  SECTION("duplicate item id") {
    m.items[1].id = m.items[0].id;
    CHECK_THAT(cvc::validate(m).error().message, Contains("used twice"));
  }
  SECTION("id with spaces") {
    m.items[1].id = "a b";
    CHECK(cvc::validate(m).error().field == "items[1].id");
  }
  SECTION("kind on the wrong side") {
    m.items[0].kind = cvc::Kind::price;
    CHECK_THAT(cvc::validate(m).error().message, Contains("\"price\" is a cost kind"));
  }
  SECTION("currency item without a reference amount") {
    m.items[0].scale.type = cvc::ScaleType::currency;
    m.items[0].entered_score.reset();
    CHECK(cvc::validate(m).error().field == "items[0].reference_amount");
  }
  SECTION("segment override naming a missing item") {
    m.segments[0].weight_overrides["nope"] = 3;
    CHECK(cvc::validate(m).error().field == "segments[0].weights.nope");
  }
  SECTION("segment override out of range") {
    m.segments[1].weight_overrides["price"] = 12;
    CHECK_THAT(cvc::validate(m).error().message, Contains("Price and subscription fees"));
  }
  SECTION("no items") {
    m.items.clear();
    m.segments.clear();
    CHECK(cvc::validate(m).error().field == "items");
  }
  SECTION("label with control characters") {
    m.items[0].label = "bad\x01label";
    CHECK(cvc::validate(m).error().field == "items[0].label");
  }
}

TEST_CASE("Scores on rating scales must be whole numbers for survey answers",
          "[model][bad-input]") {
  cvc::Model m = sample();
  const auto& item = m.items[0];
  CHECK(cvc::check_score(3, item, "f", true).ok());
  CHECK_THAT(cvc::check_score(3.5, item, "f", true).error().message, Contains("whole number"));
  CHECK(cvc::check_score(3.5, item, "f", false).ok());  // an entered average may be fractional
  CHECK_THAT(cvc::check_score(0, item, "f", true).error().message, Contains("outside"));
  CHECK_THAT(
      cvc::check_score(std::numeric_limits<double>::infinity(), item, "f", true).error().message,
      Contains("must be a number; got infinity"));
}
