// The project file: one JSON document with the model, its survey responses and the customer
// table ("schema": "customer-value-project"), for "Save project" / "Open project", the
// browser's autosave and share links. save → load → save gives the same bytes.
//
// Versions: the document carries "version"; a newer version than this code reads is refused
// with a message saying so. A bare model file (the "customer-value-model" schema the page has
// always saved) is read as a project with no data. When version 2 comes, its migration from 1
// goes in project.cpp's reader, and the tests keep a version-1 file to prove it.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "cvc/customers.hpp"
#include "cvc/responses.hpp"
#include "cvc/status.hpp"
#include "cvc/value_model.hpp"

namespace cvc {

inline constexpr std::string_view kProjectSchemaName = "customer-value-project";
inline constexpr int kProjectSchemaVersion = 1;

struct Project {
  Model model;
  Responses survey;         // no rows when the document has no survey
  CustomerTable customers;  // no customers when the document has none
  /// What the document was: "project", or "model" for a bare model file.
  std::string source = "project";
};

/// The project as compact JSON (one line, then "\n"). A null `survey` or `customers` leaves
/// that part out (a share link without data); an empty one is written as empty.
std::string save_project(const Model& model, const Responses* survey,
                         const CustomerTable* customers);

/// Reads a project (or a bare model) document. Every answer and customer value is checked as
/// an import checks it; messages name the part, row and field ("survey, row 3, answers[2]").
Expected<Project> project_from_json(const nlohmann::json& document);
Expected<Project> load_project(std::string_view text);

}  // namespace cvc
