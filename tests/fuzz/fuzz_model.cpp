// libFuzzer target: model JSON files as users open or paste them, and the other JSON the page
// hands the core. The input is the text.
//  1. A model that loads must save, load back to the same model (operator==, which compares
//     doubles exactly) and save to the same bytes; the calculator must take it and compute
//     its results (entered scores, sensitivity) without a sanitizer report.
//  2. The same text as each other JSON input of the bindings: quick calculator inputs,
//     satisfaction and business settings, a customer record, a survey or customer column
//     mapping (staged against fixed CSV files). Whatever a calculator accepts must leave it
//     in a state that saves as a project and opens again (nothing lost).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cvc/json_io.hpp"
#include "fuzz_common.hpp"

using cvc::fuzz::describe;
using cvc::fuzz::fail;

namespace {

constexpr std::string_view kSurveyCsv =
    "respondent_id,segment:size,nps,csat,ces,benefit:Quality,benefit:Ease of use,cost:Effort,"
    "Price\r\nr1,SMB,10,5,7,5,10,1,3\r\nr2,SMB,9,4,6,4,5,3,\r\nr3,Enterprise,6,2,3,3,0,5,10\r\n";
constexpr std::string_view kCustomerCsv =
    "customer_id,segment,revenue,MRR 2026-09,MRR 2026-10,gross_margin,start_date,churn_date,nps,"
    "csat,usage,payment_status\nc1,SMB,1000,100,150,80%,2026-01-01,,10,5,90,current\nc2,"
    "Enterprise,5000,0,400,0.6,2025-11-01,2026-08-01,3,2,20,failed\n";

void other_inputs(const nlohmann::json& document) {
  for (const char* kind :
       {"simple_clv", "discounted_clv", "saas_ltv", "churn", "mrr_movements", "rate"}) {
    auto result = cvc::quick_calculation(kind, document);
    if (result.ok()) cvc::fuzz::check_finite(result.value(), kind);
  }

  cvc::Calculator calc = cvc::fuzz::calculator_with_model();
  if (auto settings = cvc::satisfaction_settings_from_json(document); settings.ok()) {
    (void)calc.set_satisfaction_settings(settings.value());
  }
  if (auto settings = cvc::business_settings_from_json(document); settings.ok()) {
    (void)calc.set_business_settings(settings.value());
  }
  if (!calc.begin_csv_import(std::string(kSurveyCsv)).ok()) fail("the survey CSV previews");
  if (auto mapping = cvc::mapping_from_json(document); mapping.ok()) {
    if (calc.stage_csv_import(mapping.value(), ',', false).ok()) (void)calc.commit_import(false);
  }
  if (!calc.begin_customer_import(std::string(kCustomerCsv)).ok()) fail("customer CSV previews");
  if (auto mapping = cvc::customer_mapping_from_json(document); mapping.ok()) {
    if (calc.stage_customer_import(mapping.value(), ',', false).ok()) {
      (void)calc.commit_customer_import();
    }
  }
  cvc::Scale csat;
  csat.type = calc.model().satisfaction.csat_scale;
  auto customer = cvc::customer_from_json(document, calc.customers(), csat, "new customer");
  if (customer.ok()) (void)calc.put_customer(std::nullopt, std::move(customer).value());
  cvc::fuzz::check_project_round_trip(calc);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto document = cvc::parse_json(text, "input"); document.ok()) other_inputs(document.value());
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
