// libFuzzer target: share links and project files. The input is read two ways:
//  1. as a link: share_payload(text) → zlib inflate (Debian's zlib standing in for the
//     browser's DecompressionStream, with the page's 64 MB cap) → load_project →
//     Calculator::load_project_json;
//  2. as a project file (raw JSON): load_project → Calculator::load_project_json.
// Whatever loads must agree between load_project and the calculator, survive the project
// round trip (save, load, save gives the same bytes), and, made into a share link again,
// decode to the same project.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cvc/project.hpp"
#include "cvc/share_link.hpp"
#include "fuzz_common.hpp"

namespace {

using cvc::fuzz::describe;
using cvc::fuzz::fail;

void load_project_text(std::string_view json) {
  auto project = cvc::load_project(json);
  cvc::Calculator calc;
  const cvc::Status loaded = calc.load_project_json(json);
  if (loaded.ok() != project.ok()) {
    fail("Calculator::load_project_json agrees with load_project",
         project.ok() ? describe(loaded.error()) : describe(project.error()));
  }
  if (!project.ok()) return;
  if (!(calc.model() == project.value().model)) fail("the calculator holds the project's model");
  if (calc.response_rows() != project.value().survey.rows()) fail("all survey rows are kept");
  if (calc.customers().customers.size() != project.value().customers.customers.size()) {
    fail("all customers are kept");
  }
  (void)calc.results_json();
  (void)calc.business_json();
  cvc::fuzz::check_project_round_trip(calc);

  // The project as a share link decodes to the same bytes.
  const std::string saved = calc.project_json();
  const std::string link =
      "https://example.org/calculator.html#" + cvc::share_fragment(cvc::fuzz::deflate_bytes(saved));
  auto payload = cvc::share_payload(link);
  if (!payload.ok()) fail("a made share link decodes", describe(payload.error()));
  auto inflated = cvc::fuzz::inflate_capped(payload.value());
  if (!inflated.ok() || inflated.value() != saved) fail("a made share link gives the project back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto payload = cvc::share_payload(text);
  if (payload.ok()) {
    // base64url is canonical: encoding the bytes gives the link's data back.
    const std::string fragment = cvc::share_fragment(payload.value());
    auto again = cvc::share_payload(fragment);
    if (!again.ok() || again.value() != payload.value()) fail("base64url round trip");
    auto json = cvc::fuzz::inflate_capped(payload.value());
    if (json.ok()) load_project_text(json.value());
  } else if (payload.error().message.empty()) {
    fail("a refused link has a message");
  }
  load_project_text(text);
  return 0;
}
