#include "table_text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "cvc/csv.hpp"

namespace cvc::detail {

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string trim(std::string_view text) {
  return std::string(trimmed(text));
}

// "Likelihood_to-Recommend " → "likelihood to recommend"
std::string normalise_header(std::string_view header) {
  std::string out;
  for (char c : lower_ascii(trim(header))) {
    if (c == '_' || c == '-') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// A plain id from free text: "Time to value (days)" → "time-to-value-days".
std::string slug(std::string_view text) {
  std::string out;
  for (const char c : lower_ascii(text)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
    if (out.size() >= 48) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string unique_id(const std::string& base, std::set<std::string>& taken) {
  std::string id = base.empty() ? "column" : base;
  for (int n = 2; taken.count(id) > 0; ++n) id = base + "-" + std::to_string(n);
  taken.insert(id);
  return id;
}

// 1, 2 or 5 × 10^k at or above x (x > 0): a reference amount people recognise.
double nice_ceiling(double x) {
  if (!(x > 0)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(x)));
  for (const double step : {1.0, 2.0, 5.0, 10.0}) {
    if (magnitude * step >= x) return magnitude * step;
  }
  return magnitude * 10;
}

std::string clip(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return std::string(text.substr(0, cut)) + "…";
}

std::string column_name(std::size_t column, const std::string& header) {
  return "column " + std::to_string(column + 1) + (header.empty() ? "" : " (" + header + ")");
}

std::optional<std::string> plain_text_problem(std::string_view text, std::string_view what) {
  if (!is_valid_utf8(text)) return std::string("not UTF-8 text");
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "the " + std::string(what) + " contains a line break, tab or other control character";
    }
  }
  if (text.size() > kMaxLabelLength) {
    return "the " + std::string(what) + " is longer than " + std::to_string(kMaxLabelLength) +
           " bytes";
  }
  return std::nullopt;
}

std::string plain_label(std::string_view text, const std::string& fallback) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  out = clip(trim(out), kMaxLabelLength - 4);
  return out.empty() ? fallback : out;
}

Status check_file_is_text(std::string_view bytes) {
  std::string_view content = bytes;
  if (content.size() >= 3 && content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  bool only_space = true;
  for (const char c : content) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      only_space = false;
      break;
    }
  }
  if (only_space) return Error{"file", "The file is empty: there is no header row and no data."};
  const std::string_view head = bytes.substr(0, kSniffBytes);
  if (head.find('\0') != std::string_view::npos) {
    return Error{"file",
                 "This file is not a CSV text file: it contains binary data. Export the survey "
                 "as CSV (comma, semicolon or tab separated) and try again."};
  }
  return Status::success();
}

ImportProblem import_problem(std::size_t row, std::size_t column,
                             const std::vector<std::string>& headers, std::string_view value,
                             std::string reason) {
  ImportProblem p;
  p.row = row;
  p.column = column;
  p.header = column == 0 ? "" : headers[column - 1];
  p.value = is_valid_utf8(value) ? clip(value) : "(not UTF-8 text)";
  p.reason = std::move(reason);
  return p;
}

Status check_headers(const std::vector<std::string>& headers) {
  if (headers.size() > kMaxColumns) {
    return Error{"header", "The file has " + std::to_string(headers.size()) +
                               " columns; the calculator reads at most " +
                               std::to_string(kMaxColumns) + "."};
  }
  std::map<std::string, std::size_t> seen;
  for (std::size_t c = 0; c < headers.size(); ++c) {
    if (!is_valid_utf8(headers[c])) {
      return Error{"header, column " + std::to_string(c + 1),
                   "The header of column " + std::to_string(c + 1) +
                       " is not UTF-8 text. Save the file as \"CSV UTF-8\" and try again."};
    }
    const std::string key = normalise_header(headers[c]);
    if (key.empty()) continue;  // unnamed columns can still be mapped by position
    const auto [it, inserted] = seen.emplace(key, c);
    if (!inserted) {
      return Error{"header, column " + std::to_string(c + 1),
                   "Columns " + std::to_string(it->second + 1) + " and " + std::to_string(c + 1) +
                       " are both named \"" + clip(headers[c]) +
                       "\". Rename one of them so each column can be mapped."};
    }
  }
  return Status::success();
}

}  // namespace cvc::detail
