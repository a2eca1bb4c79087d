// libFuzzer target: model JSON files as users open or paste them. The input is the file.
// A model that loads must save, load back to the same model (operator==, which compares
// doubles exactly) and save to the same bytes; the calculator must take it and compute its
// results (entered scores, sensitivity) without a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cvc/json_io.hpp"
#include "fuzz_common.hpp"

using cvc::fuzz::describe;
using cvc::fuzz::fail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto model = cvc::load_model(text);
  cvc::Calculator calc;
  const cvc::Status loaded = calc.load_model_json(text);
  if (loaded.ok() != model.ok()) fail("Calculator::load_model_json agrees with load_model");
  if (!model.ok()) {
    if (model.error().message.empty()) fail("an error has a message");
    return 0;
  }
  const std::string saved = cvc::save_model(model.value());
  auto reloaded = cvc::load_model(saved);
  if (!reloaded.ok()) fail("a saved model loads", describe(reloaded.error()) + "\n" + saved);
  if (!(reloaded.value() == model.value())) fail("load(save(m)) == m", saved);
  const std::string saved_again = cvc::save_model(reloaded.value());
  if (saved_again != saved) fail("save(load(save(m))) == save(m)", saved + "\n" + saved_again);

  (void)calc.results_json();
  (void)calc.business_json();
  cvc::fuzz::check_project_round_trip(calc);
  return 0;
}
