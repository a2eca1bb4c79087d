// The calculator's state: one model, optional survey responses, and the results derived from
// them. Every mutation is transactional: it validates first and changes nothing on error, so
// the previous model, data and results stay exactly as they were. This is the object the
// WebAssembly bindings and the command-line tools wrap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cvc/customer_import.hpp"
#include "cvc/customers.hpp"
#include "cvc/responses.hpp"
#include "cvc/status.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/survey_stats.hpp"
#include "cvc/value_model.hpp"
#include "cvc/value_results.hpp"

namespace cvc {

class Calculator {
 public:
  /// Replaces the model (from its JSON file format). Survey responses are cleared, because
  /// they were validated against the previous model's items and scales.
  Status load_model_json(std::string_view text);
  Status load_model(Model model);
  const Model& model() const { return model_; }
  bool has_model() const { return has_model_; }
  std::string model_json() const;

  /// The project file (project.hpp): the model, and the survey and the customer table unless
  /// left out (a share link without data).
  std::string project_json(bool with_survey = true, bool with_customers = true) const;
  /// Replaces the model, the survey and the customer table with a project's (or, for a bare
  /// model file, the model alone, with no data). All or nothing: on error nothing changes.
  Status load_project_json(std::string_view text);

  /// Replaces the survey responses: `rows` × items answers, row-major, NaN = not answered, in
  /// the model's item order; `rows` × segments membership flags in the model's segment order.
  Status set_responses(const double* answers, std::size_t answer_count,
                       const std::uint8_t* membership, std::size_t membership_count,
                       std::size_t rows);
  Status set_responses(const ResponseInput& input);
  void clear_responses();
  const Responses& responses() const { return responses_; }

  /// Manual editing, one respondent at a time; `one_row` holds exactly one row. `row` is
  /// 0-based; messages name it 1-based.
  Status add_response(ResponseInput one_row);
  Status replace_response(std::size_t row, ResponseInput one_row);
  Status delete_response(std::size_t row);

  /// Survey CSV import in three steps; nothing changes until commit_import(). begin holds
  /// the file's bytes (one copy) and returns the preview with a proposed mapping; stage reads
  /// the file against a mapping and keeps the result; commit applies its valid rows (and the
  /// items and segments it creates), replacing the current survey; cancel drops it all.
  Expected<CsvPreview> begin_csv_import(std::string bytes);
  Expected<const StagedImport*> stage_csv_import(
      const std::vector<ColumnMapping>& mapping, char delimiter, bool decimal_comma,
      const std::optional<SatisfactionSettings>& satisfaction = std::nullopt);
  /// append = false replaces the survey; true adds the file's rows to it (ids must stay
  /// unique; existing rows get no answers for items the import creates).
  Status commit_import(bool append = false);
  void cancel_import();
  std::size_t response_rows() const { return responses_.rows(); }

  /// The page's import worker reads the file in another instance of the core and hands over
  /// what stage_csv_import() would have kept: it becomes this calculator's checked import, to
  /// commit or cancel as usual. `satisfaction_given`: the import was read with satisfaction
  /// settings of its own. A model changed in the meantime (a weight moved while the file was
  /// read) is taken as it is now at commit, as long as its items and segments are those the
  /// file was read for; otherwise commit refuses with field "import.stale" (read it again).
  Status adopt_staged_import(StagedImport staged, bool satisfaction_given);
  /// Replaces the survey with responses made for the current model (Responses::from_parts).
  Status restore_survey(Responses responses);
  /// Changes whenever the survey responses change, so that a copy of them is only rewritten
  /// then.
  std::size_t survey_version() const { return survey_version_; }

  /// Renames the model and/or sets the currency its amounts are in (an ISO 4217 code); an
  /// empty optional leaves that one as it is. Survey and customer data are kept.
  Status set_model_info(const std::optional<std::string>& name,
                        const std::optional<std::string>& currency);
  /// Sets an item's weight (segment_id empty) or a segment's override of it.
  Status set_weight(std::string_view item_id, double weight, std::string_view segment_id = {});
  /// Sets (or with nullopt clears) an entered score, for the model or for one segment.
  Status set_entered_score(std::string_view item_id, std::optional<double> score,
                           std::string_view segment_id = {});

  /// The customer table, imported the same way as the survey (preview, stage, commit).
  Expected<CustomerPreview> begin_customer_import(std::string bytes);
  Expected<const StagedCustomers*> stage_customer_import(
      const std::vector<CustomerColumnMapping>& mapping, char delimiter, bool decimal_comma);
  Status commit_customer_import();
  void cancel_customer_import();
  void clear_customers();
  /// Editing the customer table one customer at a time: row nullopt adds, otherwise replaces
  /// that 0-based row. Ids stay unique.
  Status put_customer(std::optional<std::size_t> row, Customer customer);
  Status delete_customer(std::size_t row);
  const CustomerTable& customers() const { return customers_; }
  /// Replaces how CSAT and CES were asked; refused when survey answers already loaded do not
  /// fit the new CSAT scale.
  Status set_satisfaction_settings(const SatisfactionSettings& settings);
  /// Replaces the business settings (validated; nothing changes on error).
  Status set_business_settings(const BusinessSettings& settings);
  /// Business results for the customer table, joined to the survey by respondent id.
  const BusinessResults& business_results();
  std::string business_json();

  /// Results for the current state, recomputed only after a change.
  const ValueResults& results();
  std::string results_json();

 private:
  Status check_unique_id(std::string_view id, std::size_t row) const;
  Status find(std::string_view item_id, std::string_view segment_id, std::size_t& item,
              std::optional<std::size_t>& segment) const;
  void invalidate() {
    results_.reset();
    business_.reset();
    ++model_version_;
  }
  /// After the survey data changed: the sufficient statistics are rebuilt too.
  void invalidate_data() {
    stats_.reset();
    ++survey_version_;
    invalidate();
  }
  /// An adopted import's model, made again from the current one (see adopt_staged_import).
  Status rebase_adopted_import();

  Model model_;
  bool has_model_ = false;
  Responses responses_;
  std::string import_bytes_;
  std::optional<StagedImport> staged_;
  // What the staged import was read with, so that a model edited after staging (a weight
  // moved while the mapping step was open) is re-read at commit rather than overwritten.
  std::vector<ColumnMapping> staged_mapping_;
  char staged_delimiter_ = ',';
  bool staged_decimal_comma_ = false;
  std::optional<SatisfactionSettings> staged_satisfaction_;
  std::size_t staged_model_version_ = 0;
  bool staged_adopted_ = false;  // made elsewhere: there are no bytes here to read again
  bool staged_satisfaction_given_ = false;
  std::size_t model_version_ = 0;
  std::size_t survey_version_ = 0;
  std::optional<ValueResults> results_;
  // Built once per data change; a weight change only recomputes results from them.
  std::optional<SurveyStats> stats_;
  CustomerTable customers_;
  std::string customer_bytes_;
  std::optional<StagedCustomers> staged_customers_;
  std::optional<BusinessResults> business_;
};

}  // namespace cvc
