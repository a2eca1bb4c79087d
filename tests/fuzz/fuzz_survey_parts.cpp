// libFuzzer target: a survey as a header and arrays (core/src/survey_transfer.cpp), as the
// import worker hands a checked import to the page and as the autosave keeps a survey. The
// input is one line of JSON, then the arrays' bytes, handed out in order as the core asks for
// them (an array the bytes cannot fill is missing):
//  - {"model": …, "report": …, "survey": …} (a staged import's header): adopted by a calculator
//    with the fuzz model and committed; with "join" too, the arrays of two parts joined (as two
//    import workers send a large file's check: each array's first part, then its second);
//  - {"model": …, "survey": …}: the model loaded, the survey restored for it.
// Whatever is accepted must compute finite results and save as a project that opens again
// (nothing lost); nothing may crash, leak or trip a sanitizer, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "cvc/json_io.hpp"
#include "cvc/survey_transfer.hpp"
#include "fuzz_common.hpp"

namespace {

// Hands out consecutive slices of `bytes`.
cvc::Responses::PartFill slices(std::string_view bytes) {
  return [bytes, at = std::size_t{0}](std::size_t, void* dest, std::size_t n) mutable {
    if (n > bytes.size() - at) return false;
    if (n != 0) std::memcpy(dest, bytes.data() + at, n);
    at += n;
    return true;
  };
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t line_end = input.find('\n');
  if (line_end == std::string_view::npos) return 0;
  const std::string_view header = input.substr(0, line_end);
  const std::string_view arrays = input.substr(line_end + 1);
  auto document = cvc::parse_json(header, "header");
  if (!document.ok() || !document.value().is_object()) return 0;
  const nlohmann::json& doc = document.value();

  if (doc.contains("report")) {
    // One import's arrays, or two parts' joined (the fill asks for both parts' slices, array
    // by array, from the one stream).
    const cvc::Responses::PartFill fill = slices(arrays);
    auto staged =
        cvc::staged_import_from_parts(header, fill, doc.contains("join") ? &fill : nullptr);
    if (!staged.ok()) return 0;
    cvc::Calculator calc = cvc::fuzz::calculator_with_model();
    if (!calc.adopt_staged_import(std::move(staged).value(), false).ok()) return 0;
    if (!calc.commit_import(false).ok()) return 0;
    cvc::fuzz::check_results_finite(calc);
    cvc::fuzz::check_project_round_trip(calc);
    return 0;
  }
  const auto model = doc.find("model");
  const auto survey = doc.find("survey");
  if (model == doc.end() || survey == doc.end()) return 0;
  cvc::Calculator calc;
  if (!calc.load_model_json(cvc::dump_compact(*model)).ok()) return 0;
  auto restored = cvc::survey_from_parts(calc.model(), cvc::dump_compact(*survey), slices(arrays));
  if (!restored.ok()) return 0;
  if (!calc.restore_survey(std::move(restored).value()).ok()) {
    cvc::fuzz::fail("a survey made for the model is refused by it");
  }
  cvc::fuzz::check_results_finite(calc);
  cvc::fuzz::check_project_round_trip(calc);
  return 0;
}
