#include "cvc/csv_export.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cvc {
namespace {

std::string number_text(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  // The shortest text that reads back to the same double, for people who open the file.
  for (int precision = 6; precision < 17; ++precision) {
    char shorter[40];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, x);
    if (std::strtod(shorter, nullptr) == x) return shorter;
  }
  return buffer;
}

CsvCell number(double x) {
  return std::isfinite(x) ? CsvCell(x) : CsvCell();
}
CsvCell optional_interval_end(const std::optional<Interval>& ci, bool low) {
  return ci ? number(low ? ci->low : ci->high) : CsvCell();
}

}  // namespace

std::string neutralise_formula(std::string_view text) {
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    return "'" + std::string(text);
  }
  return std::string(text);
}

std::string csv_record(const std::vector<CsvCell>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (const auto* text = std::get_if<std::string>(&cells[i])) {
      const std::string safe = neutralise_formula(*text);
      if (safe.find_first_of(",\"\r\n") == std::string::npos) {
        out += safe;
      } else {
        out.push_back('"');
        for (const char c : safe) {
          if (c == '"') out.push_back('"');
          out.push_back(c);
        }
        out.push_back('"');
      }
    } else if (const auto* x = std::get_if<double>(&cells[i])) {
      out += number_text(*x);
    }
  }
  out += "\r\n";
  return out;
}

std::string results_csv(const Model& model, const ValueResults& results) {
  std::vector<CsvCell> header{std::string("view"),
                              std::string("group"),
                              std::string("source"),
                              std::string("survey_rows"),
                              std::string("respondents"),
                              std::string("excluded_incomplete"),
                              std::string("total_benefits"),
                              std::string("total_costs"),
                              std::string("net_value"),
                              std::string("net_value_ci_low"),
                              std::string("net_value_ci_high"),
                              std::string("value_index"),
                              std::string("value_index_ci_low"),
                              std::string("value_index_ci_high"),
                              std::string("nps"),
                              std::string("nps_ci_low"),
                              std::string("nps_ci_high"),
                              std::string("nps_n"),
                              std::string("csat_percent"),
                              std::string("csat_ci_low"),
                              std::string("csat_ci_high"),
                              std::string("csat_n"),
                              std::string("ces_mean"),
                              std::string("ces_ci_low"),
                              std::string("ces_ci_high"),
                              std::string("ces_n"),
                              std::string("note")};
  for (const Item& item : model.items) header.emplace_back("mean score: " + item.label);
  std::string out = csv_record(header);
  const auto row = [&](const ViewResult& v) {
    const bool data = v.source != DataSource::none;
    const SatisfactionResult& s = v.satisfaction;
    std::string note = data ? "" : v.no_data_reason;
    if (v.low_confidence) note = "low confidence: fewer than 30 respondents";
    std::vector<CsvCell> cells{v.label,
                               v.group,
                               std::string(to_string(v.source)),
                               static_cast<double>(v.survey_rows),
                               static_cast<double>(v.respondents),
                               static_cast<double>(v.excluded_incomplete),
                               data ? number(v.total_benefits) : CsvCell(),
                               data ? number(v.total_costs) : CsvCell(),
                               data ? number(v.net_value.mean) : CsvCell(),
                               optional_interval_end(v.net_value.ci, true),
                               optional_interval_end(v.net_value.ci, false),
                               data ? number(v.value_index.mean) : CsvCell(),
                               optional_interval_end(v.value_index.ci, true),
                               optional_interval_end(v.value_index.ci, false),
                               s.nps.n ? number(s.nps.nps) : CsvCell(),
                               optional_interval_end(s.nps.ci, true),
                               optional_interval_end(s.nps.ci, false),
                               static_cast<double>(s.nps.n),
                               s.csat.n ? number(s.csat.percent) : CsvCell(),
                               optional_interval_end(s.csat.ci, true),
                               optional_interval_end(s.csat.ci, false),
                               static_cast<double>(s.csat.n),
                               s.ces.mean.n ? number(s.ces.mean.mean) : CsvCell(),
                               optional_interval_end(s.ces.mean.ci, true),
                               optional_interval_end(s.ces.mean.ci, false),
                               static_cast<double>(s.ces.mean.n),
                               note};
    for (std::size_t j = 0; j < model.items.size(); ++j) {
      cells.push_back(j < v.items.size() ? number(v.items[j].mean_score) : CsvCell());
    }
    out += csv_record(cells);
  };
  row(results.overall);
  for (const ViewResult& v : results.segments) row(v);
  return out;
}

}  // namespace cvc
