#include "cvc/calculator.hpp"

#include <map>
#include <utility>

#include "cvc/json_io.hpp"
#include "cvc/project.hpp"

namespace cvc {

Status Calculator::load_model_json(std::string_view text) {
  auto model = cvc::load_model(text);
  if (!model.ok()) return model.error();
  return load_model(std::move(model).value());
}

Status Calculator::load_model(Model model) {
  if (auto s = validate(model); !s.ok()) return s;
  model_ = std::move(model);
  has_model_ = true;
  responses_ = Responses();
  cancel_import();
  invalidate_data();
  return Status::success();
}

std::string Calculator::model_json() const {
  return save_model(model_);
}

std::string Calculator::project_json(bool with_survey, bool with_customers) const {
  return save_project(model_, with_survey ? &responses_ : nullptr,
                      with_customers ? &customers_ : nullptr);
}

Status Calculator::load_project_json(std::string_view text) {
  auto project = load_project(text);
  if (!project.ok()) return project.error();
  Project p = std::move(project).value();
  if (auto s = load_model(std::move(p.model)); !s.ok()) return s;  // validated already
  responses_ = std::move(p.survey);
  cancel_customer_import();
  customers_ = std::move(p.customers);
  invalidate_data();
  return Status::success();
}

Status Calculator::set_model_info(const std::optional<std::string>& name,
                                  const std::optional<std::string>& currency) {
  if (!has_model_) return Error{"model", "Load a model first."};
  Model changed = model_;
  if (name) changed.name = *name;
  if (currency) changed.currency = *currency;
  if (auto s = validate(changed); !s.ok()) return s;
  model_ = std::move(changed);
  invalidate();
  return Status::success();
}

Status Calculator::set_responses(const double* answers, std::size_t answer_count,
                                 const std::uint8_t* membership, std::size_t membership_count,
                                 std::size_t rows) {
  if (!has_model_) return Error{"model", "Load a model before adding survey responses."};
  auto responses =
      Responses::from_matrix(model_, answers, answer_count, membership, membership_count, rows);
  if (!responses.ok()) return responses.error();
  responses_ = std::move(responses).value();
  invalidate_data();
  return Status::success();
}

Status Calculator::set_responses(const ResponseInput& input) {
  if (!has_model_) return Error{"model", "Load a model before adding survey responses."};
  auto responses = Responses::from_input(model_, input);
  if (!responses.ok()) return responses.error();
  responses_ = std::move(responses).value();
  invalidate_data();
  return Status::success();
}

Status Calculator::add_response(ResponseInput one_row) {
  if (!has_model_) return Error{"model", "Load a model before adding survey responses."};
  if (one_row.rows != 1) return Error{"rows", "rows: add one respondent at a time."};
  one_row.first_row_number = responses_.rows() + 1;
  auto single = Responses::from_input(model_, one_row);
  if (!single.ok()) return single.error();
  if (auto s = check_unique_id(single.value().id(0), responses_.rows()); !s.ok()) return s;
  responses_.append(single.value());
  invalidate_data();
  return Status::success();
}

Status Calculator::replace_response(std::size_t row, ResponseInput one_row) {
  if (row >= responses_.rows()) {
    return Error{"row", "There is no respondent in row " + std::to_string(row + 1) + "."};
  }
  if (one_row.rows != 1) return Error{"rows", "rows: replace one respondent at a time."};
  one_row.first_row_number = row + 1;
  auto single = Responses::from_input(model_, one_row);
  if (!single.ok()) return single.error();
  if (auto s = check_unique_id(single.value().id(0), row); !s.ok()) return s;
  responses_.replace_row(row, single.value());
  invalidate_data();
  return Status::success();
}

Status Calculator::check_unique_id(std::string_view id, std::size_t row) const {
  if (id.empty()) return Status::success();
  for (std::size_t r = 0; r < responses_.rows(); ++r) {
    if (r != row && responses_.id(r) == id) {
      return Error{"row " + std::to_string(row + 1) + ", id",
                   "Row " + std::to_string(row + 1) + ": the respondent id \"" + std::string(id) +
                       "\" is also the id of row " + std::to_string(r + 1) + "."};
    }
  }
  return Status::success();
}

Status Calculator::delete_response(std::size_t row) {
  if (row >= responses_.rows()) {
    return Error{"row", "There is no respondent in row " + std::to_string(row + 1) + "."};
  }
  responses_.erase_row(row);
  invalidate_data();
  return Status::success();
}

Expected<CsvPreview> Calculator::begin_csv_import(std::string bytes) {
  if (!has_model_) return Error{"model", "Load a model before importing survey responses."};
  auto preview = preview_survey_csv(bytes, model_);
  if (!preview.ok()) return preview.error();
  import_bytes_ = std::move(bytes);
  staged_.reset();
  return preview;
}

Expected<const StagedImport*> Calculator::stage_csv_import(
    const std::vector<ColumnMapping>& mapping, char delimiter, bool decimal_comma,
    const std::optional<SatisfactionSettings>& satisfaction) {
  if (import_bytes_.empty()) return Error{"import", "Choose a CSV file to import first."};
  auto staged = stage_survey_import(import_bytes_, model_, mapping, delimiter, decimal_comma,
                                    satisfaction ? &*satisfaction : nullptr);
  if (!staged.ok()) return staged.error();
  staged_ = std::move(staged).value();
  staged_mapping_ = mapping;
  staged_delimiter_ = delimiter;
  staged_decimal_comma_ = decimal_comma;
  staged_satisfaction_ = satisfaction;
  staged_model_version_ = model_version_;
  staged_adopted_ = false;
  return &*staged_;
}

Status Calculator::adopt_staged_import(StagedImport staged, bool satisfaction_given) {
  if (!has_model_) return Error{"model", "Load a model before importing survey responses."};
  if (auto s = validate(staged.model); !s.ok()) return s;
  if (staged.responses.item_count() != staged.model.items.size() ||
      staged.responses.segment_count() != staged.model.segments.size() ||
      staged.responses.rows() != staged.rows_valid) {
    return Error{"import", "The checked import does not match its model; nothing was changed."};
  }
  cancel_import();
  staged_ = std::move(staged);
  staged_adopted_ = true;
  staged_satisfaction_given_ = satisfaction_given;
  // Compared with the model as it is now at commit (rebase_adopted_import).
  staged_model_version_ = model_version_ - 1;
  return Status::success();
}

Status Calculator::rebase_adopted_import() {
  const Model& read_for = staged_->model;
  const std::size_t created_items = staged_->created_items.size();
  const std::size_t created_segments = staged_->created_segments.size();
  bool same = read_for.items.size() == model_.items.size() + created_items &&
              read_for.segments.size() == model_.segments.size() + created_segments &&
              (staged_satisfaction_given_ || read_for.satisfaction == model_.satisfaction);
  for (std::size_t j = 0; same && j < model_.items.size(); ++j) {
    same = read_for.items[j].id == model_.items[j].id &&
           read_for.items[j].scale == model_.items[j].scale;
  }
  for (std::size_t s = 0; same && s < model_.segments.size(); ++s) {
    same = read_for.segments[s].id == model_.segments[s].id &&
           read_for.segments[s].group == model_.segments[s].group;
  }
  if (!same) {
    return Error{"import.stale",
                 "The model's items or segments changed after the file was checked; check the "
                 "file again."};
  }
  Model target = model_;
  if (staged_satisfaction_given_) target.satisfaction = read_for.satisfaction;
  target.items.insert(target.items.end(), read_for.items.end() - created_items,
                      read_for.items.end());
  target.segments.insert(target.segments.end(), read_for.segments.end() - created_segments,
                         read_for.segments.end());
  if (auto s = validate(target); !s.ok()) return s;
  staged_->model = std::move(target);
  staged_model_version_ = model_version_;
  return Status::success();
}

Status Calculator::restore_survey(Responses responses) {
  if (!has_model_) return Error{"model", "Load a model first."};
  if (responses.item_count() != model_.items.size() ||
      responses.segment_count() != model_.segments.size()) {
    return Error{"survey", "The survey data does not match the model's items and segments."};
  }
  responses_ = std::move(responses);
  invalidate_data();
  return Status::success();
}

Status Calculator::commit_import(bool append) {
  if (!staged_) return Error{"import", "There is no checked import to apply."};
  if (staged_adopted_ && staged_model_version_ != model_version_) {
    if (auto s = rebase_adopted_import(); !s.ok()) return s;
  } else if (staged_model_version_ != model_version_) {
    auto again = stage_csv_import(staged_mapping_, staged_delimiter_, staged_decimal_comma_,
                                  staged_satisfaction_);
    if (!again.ok()) return again.error();
  }
  if (staged_->rows_valid == 0) {
    return Error{"import", "No row of the file can be imported; nothing was changed."};
  }
  if (append) {
    // Existing CSAT answers were given on the survey's scale: appending a file read on
    // another scale would silently re-read them.
    if (staged_->model.satisfaction.csat_scale != model_.satisfaction.csat_scale &&
        responses_.has_metrics()) {
      for (std::size_t r = 0; r < responses_.rows(); ++r) {
        if (responses_.metric(Metric::csat, r) == ScoreColumn::kMissingRating) continue;
        Scale before, after;
        before.type = model_.satisfaction.csat_scale;
        after.type = staged_->model.satisfaction.csat_scale;
        return Error{"satisfaction.csat_scale",
                     "The file's CSAT is read on the " + describe(after) +
                         ", but the survey's CSAT answers are on the " + describe(before) +
                         "; adding the file would re-read them. Import with the survey's scale, "
                         "or replace the survey."};
      }
    }
    const Responses& incoming = staged_->responses;
    std::map<std::string_view, std::size_t> existing;
    for (std::size_t r = 0; r < responses_.rows(); ++r) {
      if (!responses_.id(r).empty()) existing.emplace(responses_.id(r), r);
    }
    for (std::size_t r = 0; r < incoming.rows(); ++r) {
      const auto found = existing.find(incoming.id(r));
      if (found != existing.end()) {
        return Error{"import", "The file's respondent \"" + std::string(incoming.id(r)) +
                                   "\" is already in the survey (row " +
                                   std::to_string(found->second + 1) +
                                   "); nothing was added. Replace the survey instead, or remove "
                                   "the duplicate."};
      }
    }
    Responses merged = responses_;
    merged.extend_to(staged_->model);
    merged.append(incoming);
    responses_ = std::move(merged);
  } else {
    responses_ = std::move(staged_->responses);
  }
  model_ = std::move(staged_->model);
  cancel_import();
  invalidate_data();
  return Status::success();
}

void Calculator::cancel_import() {
  staged_.reset();
  staged_adopted_ = false;
  import_bytes_.clear();
  import_bytes_.shrink_to_fit();
}

Expected<CustomerPreview> Calculator::begin_customer_import(std::string bytes) {
  auto preview = preview_customer_csv(bytes);
  if (!preview.ok()) return preview.error();
  customer_bytes_ = std::move(bytes);
  staged_customers_.reset();
  return preview;
}

Expected<const StagedCustomers*> Calculator::stage_customer_import(
    const std::vector<CustomerColumnMapping>& mapping, char delimiter, bool decimal_comma) {
  if (customer_bytes_.empty()) return Error{"import", "Choose a customer CSV file first."};
  Scale csat;
  csat.type = model_.satisfaction.csat_scale;
  auto staged =
      cvc::stage_customer_import(customer_bytes_, mapping, delimiter, decimal_comma, csat);
  if (!staged.ok()) return staged.error();
  staged_customers_ = std::move(staged).value();
  return &*staged_customers_;
}

Status Calculator::commit_customer_import() {
  if (!staged_customers_) return Error{"import", "There is no checked customer import to apply."};
  if (staged_customers_->rows_valid == 0) {
    return Error{"import", "No row of the file can be imported; nothing was changed."};
  }
  customers_ = std::move(staged_customers_->table);
  cancel_customer_import();
  business_.reset();
  return Status::success();
}

void Calculator::cancel_customer_import() {
  staged_customers_.reset();
  customer_bytes_.clear();
  customer_bytes_.shrink_to_fit();
}

void Calculator::clear_customers() {
  customers_ = CustomerTable();
  business_.reset();
}

Status Calculator::put_customer(std::optional<std::size_t> row, Customer customer) {
  auto& list = customers_.customers;
  if (row && *row >= list.size()) {
    return Error{"row", "There is no customer in row " + std::to_string(*row + 1) + "."};
  }
  const std::size_t index = row ? *row : list.size();
  if (customer.id.empty()) customer.id = "row " + std::to_string(index + 1);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i != index && list[i].id == customer.id) {
      const std::string where = row ? "row " + std::to_string(*row + 1) : "new customer";
      return Error{where + ", id", where + ", id: customer \"" + customer.id +
                                       "\" is already in row " + std::to_string(i + 1) + "."};
    }
  }
  customer.mrr.resize(customers_.mrr_labels.size(), kNotGiven);
  if (row) {
    list[*row] = std::move(customer);
  } else {
    list.push_back(std::move(customer));
  }
  business_.reset();
  return Status::success();
}

Status Calculator::delete_customer(std::size_t row) {
  auto& list = customers_.customers;
  if (row >= list.size()) {
    return Error{"row", "There is no customer in row " + std::to_string(row + 1) + "."};
  }
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(row));
  business_.reset();
  return Status::success();
}

Status Calculator::set_satisfaction_settings(const SatisfactionSettings& settings) {
  if (!has_model_) return Error{"model", "Load a model first."};
  Model changed = model_;
  changed.satisfaction = settings;
  if (auto s = validate(changed); !s.ok()) return s;
  if (responses_.has_metrics()) {
    for (std::size_t r = 0; r < responses_.rows(); ++r) {
      const auto csat = responses_.metric(Metric::csat, r);
      if (csat == ScoreColumn::kMissingRating) continue;
      const std::string field = "row " + std::to_string(r + 1) + ", csat";
      if (auto s = check_metric(changed, Metric::csat, csat, field); !s.ok()) {
        return Error{"satisfaction.csat_scale",
                     "The survey's CSAT answers do not fit that scale: " + s.error().message};
      }
    }
  }
  model_.satisfaction = settings;
  invalidate();
  return Status::success();
}

Status Calculator::set_business_settings(const BusinessSettings& settings) {
  if (auto s = validate(settings); !s.ok()) return s;
  if (has_model_) {
    // The model checks the settings against itself too (the map's "satisfied from" is an
    // answer on the NPS or CSAT scale): a model it refuses could not be opened once saved.
    Model changed = model_;
    changed.business = settings;
    if (auto s = validate(changed); !s.ok()) return s;
  }
  model_.business = settings;
  invalidate();
  return Status::success();
}

const BusinessResults& Calculator::business_results() {
  if (!business_) {
    // The survey read in place: copying a million ids and answers cost ~100 MB at the peak.
    struct FromResponses : SurveySatisfaction {
      explicit FromResponses(const Responses& r) : responses(r) {}
      std::size_t rows() const override { return responses.rows(); }
      std::string_view id(std::size_t row) const override { return responses.id(row); }
      double nps(std::size_t row) const override { return metric(Metric::nps, row); }
      double csat(std::size_t row) const override { return metric(Metric::csat, row); }
      double metric(Metric m, std::size_t row) const {
        const auto v =
            responses.has_metrics() ? responses.metric(m, row) : ScoreColumn::kMissingRating;
        return v == ScoreColumn::kMissingRating ? kNotGiven : static_cast<double>(v);
      }
      const Responses& responses;
    };
    const FromResponses survey(responses_);
    business_ =
        compute_business(customers_, model_.business, responses_.rows() > 0 ? &survey : nullptr);
  }
  return *business_;
}

void Calculator::clear_responses() {
  responses_ = Responses();
  invalidate_data();
}

Status Calculator::find(std::string_view item_id, std::string_view segment_id, std::size_t& item,
                        std::optional<std::size_t>& segment) const {
  if (!has_model_) return Error{"model", "Load a model first."};
  const auto i = model_.item_index(item_id);
  if (!i) {
    return Error{"item", "There is no item with id \"" + std::string(item_id) + "\"."};
  }
  item = *i;
  segment.reset();
  if (!segment_id.empty()) {
    segment = model_.segment_index(segment_id);
    if (!segment) {
      return Error{"segment", "There is no segment with id \"" + std::string(segment_id) + "\"."};
    }
  }
  return Status::success();
}

Status Calculator::set_weight(std::string_view item_id, double weight,
                              std::string_view segment_id) {
  std::size_t item = 0;
  std::optional<std::size_t> segment;
  if (auto s = find(item_id, segment_id, item, segment); !s.ok()) return s;
  const std::string field =
      segment ? "segments[" + std::to_string(*segment) + "].weights." + model_.items[item].id
              : "items[" + std::to_string(item) + "].weight";
  if (auto s = check_weight(weight, field, model_.items[item].label); !s.ok()) return s;
  if (segment) {
    model_.segments[*segment].weight_overrides[model_.items[item].id] = weight;
  } else {
    model_.items[item].weight = weight;
  }
  invalidate();
  return Status::success();
}

Status Calculator::set_entered_score(std::string_view item_id, std::optional<double> score,
                                     std::string_view segment_id) {
  std::size_t item = 0;
  std::optional<std::size_t> segment;
  if (auto s = find(item_id, segment_id, item, segment); !s.ok()) return s;
  const Item& target = model_.items[item];
  const std::string field = segment
                                ? "segments[" + std::to_string(*segment) + "].scores." + target.id
                                : "items[" + std::to_string(item) + "].score";
  if (score) {
    if (auto s = check_score(*score, target, field, false); !s.ok()) return s;
  }
  if (segment) {
    auto& scores = model_.segments[*segment].entered_scores;
    if (score) {
      scores[target.id] = *score;
    } else {
      scores.erase(target.id);
    }
  } else {
    model_.items[item].entered_score = score;
  }
  invalidate();
  return Status::success();
}

const ValueResults& Calculator::results() {
  if (!results_) {
    if (has_model_ && responses_.rows() > 0) {
      if (!stats_ || !stats_->fits(model_, responses_.rows())) {
        stats_ = survey_stats(model_, responses_);
      }
      results_ = compute_value_results(model_, responses_, *stats_);
    } else {
      results_ = compute_value_results(model_, nullptr);
    }
  }
  return *results_;
}

std::string Calculator::business_json() {
  return dump_compact(business_to_json(customers_, model_.business, business_results()));
}

std::string Calculator::results_json() {
  if (!has_model_) return "null";
  return dump_compact(results_to_json(model_, results(), responses_.rows()));
}

}  // namespace cvc
