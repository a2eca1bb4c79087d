// CSV conformance: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180, section 2) and the
// variants spreadsheets write. Each case names the rule it checks.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cvc/csv.hpp"

using Catch::Matchers::Contains;
using Rows = std::vector<std::vector<std::string>>;

namespace {

Rows parse(const std::string& text, std::optional<char> delimiter = std::nullopt) {
  auto table = cvc::read_csv(text, delimiter);
  REQUIRE(table.ok());
  return table.value().rows;
}

// Feeds the text in chunks of `chunk` bytes: results must not depend on where chunks split.
Rows parse_chunked(const std::string& text, std::size_t chunk, char delimiter = ',') {
  Rows rows;
  cvc::CsvReader reader(delimiter, [&](const cvc::CsvRecord& r) {
    rows.emplace_back(r.fields.begin(), r.fields.end());
    return true;
  });
  for (std::size_t i = 0; i < text.size(); i += chunk)
    reader.feed(std::string_view(text).substr(i, chunk));
  REQUIRE(reader.finish().ok());
  return rows;
}

}  // namespace

TEST_CASE("CSV: RFC 4180 §2.1–2.2, records end with CRLF, the last one optionally", "[csv]") {
  CHECK(parse("a,b\r\nc,d\r\n") == Rows{{"a", "b"}, {"c", "d"}});
  CHECK(parse("a,b\r\nc,d") == Rows{{"a", "b"}, {"c", "d"}});
}

TEST_CASE("CSV: LF and lone CR line ends, as Unix and old Mac files have", "[csv]") {
  CHECK(parse("a,b\nc,d\n") == Rows{{"a", "b"}, {"c", "d"}});
  CHECK(parse("a,b\rc,d\r") == Rows{{"a", "b"}, {"c", "d"}});
  CHECK(parse("a,b\r\nc,d\ne,f\rg,h") == Rows{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}});
}

TEST_CASE("CSV: RFC 4180 §2.4, spaces are part of a field; empty fields are kept", "[csv]") {
  CHECK(parse(" a , b \n") == Rows{{" a ", " b "}});
  CHECK(parse("a,,c\n,,\n") == Rows{{"a", "", "c"}, {"", "", ""}});
  CHECK(parse("a,b,\n") == Rows{{"a", "b", ""}});
}

TEST_CASE("CSV: RFC 4180 §2.5–2.7, quoted fields", "[csv]") {
  SECTION("quotes around a plain field") {
    CHECK(parse("\"a\",\"b\"\n") == Rows{{"a", "b"}});
  }
  SECTION("delimiters, CRLF, LF and CR inside quotes") {
    CHECK(parse("\"a,b\",\"c\r\nd\",\"e\nf\",\"g\rh\"\nx,y,z,w\n") ==
          Rows{{"a,b", "c\r\nd", "e\nf", "g\rh"}, {"x", "y", "z", "w"}});
  }
  SECTION("a doubled quote is one quote") {
    CHECK(parse("\"say \"\"hi\"\"\",\"\"\"\"\n") == Rows{{"say \"hi\"", "\""}});
  }
  SECTION("an empty quoted field") {
    CHECK(parse("\"\",x\n") == Rows{{"", "x"}});
  }
  SECTION("a quoted last field without a line break") {
    CHECK(parse("a,\"b\"") == Rows{{"a", "b"}});
  }
}

TEST_CASE("CSV: lenient where spreadsheets are lenient", "[csv]") {
  // A quote in the middle of an unquoted field is text; text after a closing quote is kept.
  CHECK(parse("ab\"c,d\n") == Rows{{"ab\"c", "d"}});
  CHECK(parse("\"ab\"c,d\n") == Rows{{"abc", "d"}});
  // Blank lines are not records (but still count as rows, see below).
  CHECK(parse("a,b\n\n\nc,d\n") == Rows{{"a", "b"}, {"c", "d"}});
}

TEST_CASE("CSV: UTF-8 with and without a byte-order mark", "[csv]") {
  CHECK(parse("\xEF\xBB\xBFid,name\n1,Zoë\n") == Rows{{"id", "name"}, {"1", "Zoë"}});
  CHECK(parse("id,name\n1,日本語\n") == Rows{{"id", "name"}, {"1", "日本語"}});
  // A file that starts with the BOM's first byte but is not a BOM keeps its bytes.
  CHECK(parse("\xEF\xBBx,y\n") == Rows{{"\xEF\xBBx", "y"}});
}

TEST_CASE("CSV: results do not depend on how the bytes are chunked", "[csv]") {
  const std::string text =
      "\xEF\xBB\xBFid,\"note, with comma\"\r\n1,\"multi\r\nline \"\"quoted\"\"\"\r\n2,plain\r\n";
  const Rows whole = parse(text);
  for (std::size_t chunk = 1; chunk <= 8; ++chunk) {
    CAPTURE(chunk);
    CHECK(parse_chunked(text, chunk) == whole);
  }
}

TEST_CASE("CSV: an unterminated quote is an error naming row, column and line",
          "[csv][bad-input]") {
  auto table = cvc::read_csv("id,comment\n1,ok\n2,\"never closed\n3,x\n");
  REQUIRE_FALSE(table.ok());
  CHECK(table.error().field == "row 3, column 2");
  CHECK_THAT(table.error().message, Contains("opened on line 3") && Contains("unterminated quote"));
}

TEST_CASE("CSV: row numbers count the header as row 1 and blank lines as rows", "[csv]") {
  std::vector<std::pair<std::size_t, std::size_t>> seen;  // (row, line)
  cvc::CsvReader reader(',', [&](const cvc::CsvRecord& r) {
    seen.emplace_back(r.row, r.line);
    return true;
  });
  reader.feed("h1,h2\n\"a\nb\",c\n\nd,e\n");
  REQUIRE(reader.finish().ok());
  CHECK(seen == std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {2, 2}, {4, 5}});
}

TEST_CASE("CSV: the callback can stop reading early (previews)", "[csv]") {
  int calls = 0;
  cvc::CsvReader reader(',', [&](const cvc::CsvRecord&) { return ++calls < 2; });
  CHECK_FALSE(reader.feed("a\nb\nc\nd\n"));
  CHECK(calls == 2);
  CHECK(reader.finish().ok());
}

TEST_CASE("CSV: delimiter detection among comma, semicolon and tab", "[csv]") {
  CHECK(cvc::detect_delimiter("a,b,c\n1,2,3\n") == ',');
  CHECK(cvc::detect_delimiter("a;b;c\n1;2;3\n") == ';');
  CHECK(cvc::detect_delimiter("a\tb\tc\n1\t2\t3\n") == '\t');
  // European spreadsheets: semicolons, with decimal commas in the amounts.
  CHECK(cvc::detect_delimiter("id;amount;nps\n1;1.234,50;9\n2;12,5;7\n") == ';');
  // Commas inside quotes do not count.
  CHECK(cvc::detect_delimiter("\"a,b,c\";d\n\"x,y\";z\n") == ';');
  // One column: nothing to detect, comma.
  CHECK(cvc::detect_delimiter("nps\n9\n10\n") == ',');
  CHECK(cvc::detect_delimiter("") == ',');
  CHECK(cvc::detect_delimiter("\xEF\xBB\xBF"
                              "a;b\n1;2\n") == ';');
}

TEST_CASE("Numbers as survey exports write them", "[csv]") {
  using cvc::parse_number;
  CHECK(parse_number("42") == 42.0);
  CHECK(parse_number(" 4.5 ") == 4.5);
  CHECK(parse_number("-3") == -3.0);
  CHECK(parse_number("+.5") == 0.5);
  CHECK(parse_number("1e3") == 1000.0);
  CHECK(parse_number("1,234.5") == 1234.5);
  CHECK(parse_number("12,5", true) == 12.5);
  CHECK(parse_number("1.234,50", true) == 1234.5);
  CHECK(parse_number("1.234.567", true) == 1234567.0);
  for (const char* bad : {"", " ", "abc", "4,5", "1,23", "1.2.3", "inf", "nan", "NaN", "0x10", "1e",
                          "1e400", "--1", "5 stars", "12,5"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_number(bad).has_value());
  }
  CHECK_FALSE(parse_number("12.5", true).has_value());  // '.' groups thousands: 12.5 is not valid
}
