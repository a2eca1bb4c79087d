// embind bindings for the calculator core. Coarse on purpose: a model crosses as one JSON
// string, survey answers as one typed array each (copied once into wasm memory), results as
// one JSON string. Errors are values here ({field, message} or null); cvc-api.js turns them
// into thrown JavaScript Errors. Nothing below throws: the module is built without exceptions.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cvc/calculator.hpp"

namespace {

using emscripten::val;
// Names for the JS types that cross the boundary (the CanvasKit convention).
using Float64Array = val;
using Uint8Array = val;
using ErrorOrNull = val;

ErrorOrNull to_js(const cvc::Status& status) {
  if (status.ok()) return val::null();
  val error = val::object();
  error.set("field", status.error().field);
  error.set("message", status.error().message);
  return error;
}

// Copies a JS typed array (or plain array) into a new vector with one TypedArray.set() call.
template <typename T>
std::vector<T> copy_in(const val& array) {
  const auto length = array["length"].as<std::size_t>();
  std::vector<T> out(length);
  if (length > 0) val(emscripten::typed_memory_view(length, out.data())).call<void>("set", array);
  return out;
}

class WasmCalculator {
 public:
  ErrorOrNull loadModel(const std::string& json) { return to_js(calc_.load_model_json(json)); }
  std::string modelJson() const { return calc_.has_model() ? calc_.model_json() : "null"; }

  ErrorOrNull setResponses(const Float64Array& answers, const Uint8Array& membership, double rows) {
    if (!(rows >= 0 && rows <= 4294967295.0) ||
        rows != static_cast<double>(static_cast<std::uint32_t>(rows))) {
      return to_js(cvc::Error{"rows", "rows: must be a whole number of respondents."});
    }
    const std::vector<double> a = copy_in<double>(answers);
    const std::vector<std::uint8_t> m = copy_in<std::uint8_t>(membership);
    return to_js(calc_.set_responses(a.data(), a.size(), m.data(), m.size(),
                                     static_cast<std::size_t>(rows)));
  }
  void clearResponses() { calc_.clear_responses(); }
  double responseRows() const { return static_cast<double>(calc_.response_rows()); }

  ErrorOrNull setWeight(const std::string& item, double weight, const std::string& segment) {
    return to_js(calc_.set_weight(item, weight, segment));
  }
  // score: a number, or null to clear the entered score.
  ErrorOrNull setEnteredScore(const std::string& item, const val& score,
                              const std::string& segment) {
    std::optional<double> value;
    if (!score.isNull() && !score.isUndefined()) {
      if (!score.isNumber()) {
        return to_js(cvc::Error{"score", "The score for item \"" + item + "\" must be a number."});
      }
      value = score.as<double>();
    }
    return to_js(calc_.set_entered_score(item, value, segment));
  }

  std::string resultsJson() { return calc_.results_json(); }

 private:
  cvc::Calculator calc_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(customer_value_calculator) {
  emscripten::class_<WasmCalculator>("Calculator")
      .constructor<>()
      .function("loadModel", &WasmCalculator::loadModel)
      .function("modelJson", &WasmCalculator::modelJson)
      .function("setResponses", &WasmCalculator::setResponses)
      .function("clearResponses", &WasmCalculator::clearResponses)
      .function("responseRows", &WasmCalculator::responseRows)
      .function("setWeight", &WasmCalculator::setWeight)
      .function("setEnteredScore", &WasmCalculator::setEnteredScore)
      .function("resultsJson", &WasmCalculator::resultsJson);
}
