// Turns a fixture survey (tests/fixtures/*.json: model + rows of answers) into the
// row-major matrices the calculator takes, the same way the JS API does.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cvc/json_io.hpp"
#include "fixtures.hpp"

namespace cvc::test {

struct SurveyFixture {
  Model model;
  std::vector<double> answers;
  std::vector<std::uint8_t> membership;
  std::size_t rows = 0;
};

inline SurveyFixture load_survey_fixture(const std::string& path) {
  const auto document = nlohmann::json::parse(read_text(path));
  SurveyFixture f;
  auto model = model_from_json(document.at("model"));
  if (!model.ok()) throw std::runtime_error(model.error().message);
  f.model = model.value();
  for (const auto& row : document.at("rows")) {
    for (const auto& a : row.at("answers")) {
      f.answers.push_back(a.is_null() ? std::numeric_limits<double>::quiet_NaN() : a.get<double>());
    }
    for (const auto& segment : f.model.segments) {
      bool member = false;
      for (const auto& s : row.at("segments"))
        member = member || s.get<std::string>() == segment.id;
      f.membership.push_back(member ? 1 : 0);
    }
    ++f.rows;
  }
  return f;
}

}  // namespace cvc::test
