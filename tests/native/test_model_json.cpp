#include <catch2/catch.hpp>
#include <string>

#include "cvc/customers.hpp"
#include "cvc/json_io.hpp"
#include "fixtures.hpp"

using Catch::Matchers::Contains;

TEST_CASE("Model JSON round-trips exactly", "[json]") {
  auto loaded = cvc::load_model(cvc::test::read_text("web/sample/model.json"));
  REQUIRE(loaded.ok());
  cvc::Model m = loaded.value();
  // Awkward doubles must survive: shortest round-trip formatting, not %g.
  m.items[0].weight = 0.1 + 0.2;
  m.items[1].entered_score = 4.0000000000000009;
  m.items[2].reverse = true;
  m.segments[3].entered_scores["price"] = 1.2345678901234567;
  m.satisfaction.csat_scale = cvc::ScaleType::likert_1_7;
  m.satisfaction.csat_satisfied_from = 6;
  m.satisfaction.ces_agree_from = 6;
  m.business.period = cvc::Period::year;
  m.business.as_of = cvc::parse_date("2026-06-30");
  m.business.satisfaction = cvc::SatisfactionAxis::csat;
  m.business.satisfied_from = 4;
  m.business.value = cvc::ValueMeasure::clv;
  m.business.health.pop_back();
  m.business.health[0].weight = 0.25;
  m.name = "Ünïcödé ✓ <b>not html</b> \"quoted\"";
  const std::string saved = cvc::save_model(m);
  auto again = cvc::load_model(saved);
  REQUIRE(again.ok());
  CHECK(again.value() == m);
  CHECK(cvc::save_model(again.value()) == saved);
}

TEST_CASE("Model JSON: bad documents get messages that name the field", "[json][bad-input]") {
  const auto error_of = [](const std::string& text) {
    auto r = cvc::load_model(text);
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  const std::string head = R"({"schema":"customer-value-model","version":1,)";
  const std::string item =
      R"({"id":"a","label":"A","side":"benefit","kind":"functional","weight":5,"scale":"1-5"})";

  SECTION("not JSON at all") {
    const auto e = error_of("{\"items\": [1, 2,");
    CHECK_THAT(e.message, Contains("model JSON is not valid JSON") && Contains("line 1"));
  }
  SECTION("empty text") {
    CHECK_THAT(error_of("").message, Contains("empty"));
  }
  SECTION("binary junk") {
    CHECK_THAT(error_of("\x89PNG\r\n\x1a\n").message, Contains("not valid"));
  }
  SECTION("nested 10,000 deep") {
    const std::string deep = std::string(10000, '[') + std::string(10000, ']');
    CHECK_THAT(error_of(deep).message, Contains("nested more than 64"));
  }
  SECTION("a JSON array, not an object") {
    CHECK_THAT(error_of("[]").message, Contains("expected a JSON object, got array"));
  }
  SECTION("wrong schema name") {
    CHECK(error_of(R"({"schema":"something-else","version":1,"items":[]})").field == "schema");
  }
  SECTION("newer version") {
    const auto e = error_of(R"({"schema":"customer-value-model","version":7,"items":[]})");
    CHECK_THAT(e.message, Contains("newer calculator") && Contains("version 7"));
  }
  SECTION("unknown field, e.g. a typo") {
    const auto e = error_of(head + R"("items":[{"id":"a","label":"A","side":"benefit",)"
                                   R"("kind":"functional","wieght":5,"scale":"1-5"}]})");
    CHECK(e.field == "items[0].wieght");
    CHECK_THAT(e.message, Contains("unknown field"));
  }
  SECTION("weight as text") {
    const auto e = error_of(head + R"("items":[{"id":"a","label":"A","side":"benefit",)"
                                   R"("kind":"functional","weight":"high","scale":"1-5"}]})");
    CHECK(e.field == "items[0].weight");
    CHECK_THAT(e.message, Contains("expected a number, got string"));
  }
  SECTION("weight out of range") {
    const auto e = error_of(head + R"("items":[{"id":"a","label":"A","side":"benefit",)"
                                   R"("kind":"functional","weight":10.5,"scale":"1-5"}]})");
    CHECK(e.field == "items[0].weight");
  }
  SECTION("number too large for a double") {
    const auto e = error_of(head + R"("items":[{"id":"a","label":"A","side":"benefit",)"
                                   R"("kind":"functional","weight":1e400,"scale":"1-5"}]})");
    CHECK_THAT(e.message, Contains("number overflow parsing '1e400'"));
  }
  SECTION("unknown scale") {
    const auto e = error_of(head + R"("items":[{"id":"a","label":"A","side":"benefit",)"
                                   R"("kind":"functional","scale":"1-6"}]})");
    CHECK(e.field == "items[0].scale");
  }
  SECTION("unknown kind") {
    const auto e = error_of(head + R"("items":[{"id":"a","label":"A","side":"benefit",)"
                                   R"("kind":"joy","scale":"1-5"}]})");
    CHECK_THAT(e.message, Contains("unknown kind \"joy\""));
  }
  SECTION("missing label") {
    const auto e = error_of(head + R"("items":[{"id":"a","side":"benefit",)"
                                   R"("kind":"functional","scale":"1-5"}]})");
    CHECK(e.field == "items[0].label");
  }
  SECTION("segment weights must be numbers") {
    const auto e = error_of(head + R"("items":[)" + item +
                            R"(],"segments":[{"id":"s","label":"S","weights":{"a":"x"}}]})");
    CHECK(e.field == "segments[0].weights.a");
  }
  SECTION("trailing garbage") {
    const auto e = error_of(head + R"("items":[)" + item + "]} xyz");
    CHECK_THAT(e.message, Contains("not valid JSON"));
  }
}

TEST_CASE("Model JSON: a minimal document loads with defaults", "[json]") {
  auto r = cvc::load_model(
      R"({"schema":"customer-value-model","version":1,"items":[{"id":"a","label":"A",)"
      R"("side":"cost","kind":"risk","scale":"0-10"}]})");
  REQUIRE(r.ok());
  CHECK(r.value().items[0].weight == 5.0);
  CHECK(r.value().currency == "USD");
  CHECK(r.value().segments.empty());
  CHECK_FALSE(r.value().items[0].entered_score.has_value());
}
