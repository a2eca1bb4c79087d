// Survey responses moved or kept without JSON rows: a small JSON header plus the arrays the
// responses are stored in (Responses::parts). The page's import worker sends a checked import
// this way (the header carries the model it was read for and the report), and the page's
// autosave keeps the survey this way (a million respondents are ~30 MB of arrays instead of
// ~300 MB of JSON). The header names each item and segment, so arrays kept for another model
// are refused, never misread.
#pragma once

#include <string>
#include <string_view>

#include "cvc/responses.hpp"
#include "cvc/status.hpp"
#include "cvc/survey_import.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

/// The header of `responses` (stored for `model`): rows, which arrays there are and whose.
std::string survey_parts_header(const Model& model, const Responses& responses);
/// Responses for `model` from a header and its arrays (filled by `fill` in parts() order).
/// Refused, naming what differs, when the header is not for this model or an array is
/// damaged.
Expected<Responses> survey_from_parts(const Model& model, std::string_view header,
                                      const Responses::PartFill& fill);

/// The header of a staged import: the model it was read for, what it created, its counts
/// and its report (staged_import_to_json, which the page shows as it is), and the survey
/// header of its responses.
std::string staged_import_header(const StagedImport& staged);
/// The header of a checked import in two parts (StagePart::join): as above, plus how the two
/// parts' arrays make its responses.
std::string staged_import_header(const JoinedImport& joined);
/// The staged import again, from the header and its responses' arrays; for a header of two
/// parts, `fill` gives the first part's arrays and `later` the second's (each in its part's
/// parts() order), joined into the survey's arrays as they are filled. The report's problem
/// list is not rebuilt (the page already has it): `problems` stays empty.
Expected<StagedImport> staged_import_from_parts(std::string_view header,
                                                const Responses::PartFill& fill,
                                                const Responses::PartFill* later = nullptr);

}  // namespace cvc
