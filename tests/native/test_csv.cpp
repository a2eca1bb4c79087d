// CSV conformance: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180, section 2) and the
// variants spreadsheets write. Each case names the rule it checks.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cvc/csv.hpp"
#include "same_double.hpp"

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

// parse_number's exact fast path (W. D. Clinger, "How to read floating point numbers
// accurately", PLDI 1990: m × 10^k or m ÷ 10^-k is one correctly rounded operation when m ≤ 2^53
// and |k| ≤ 22) against strtod, which glibc and musl round correctly, bit for bit.
using cvc::test::check_same;

namespace {

// strtod's reading of plain text ("-12.5e3"), or nullopt when it is not finite.
std::optional<double> reference(const std::string& plain) {
  const double x = std::strtod(plain.c_str(), nullptr);
  if (!std::isfinite(x)) return std::nullopt;
  return x;
}

}  // namespace

TEST_CASE("Numbers: the exact fast path gives strtod's correctly rounded double", "[numbers]") {
  // Near the fast path's limits (2^53 = 9007199254740992, 10^22) and past them, where strtod
  // takes over; the expected values are C++ literals, which the compiler rounds to nearest.
  CHECK(cvc::parse_number("9007199254740992") == 9007199254740992.0);  // 2^53: still exact
  CHECK(cvc::parse_number("9007199254740993") == 9007199254740992.0);  // ties to even
  CHECK(cvc::parse_number("1e22") == 1e22);                            // 10^22 is exact
  CHECK(cvc::parse_number("1e23") == 1e23);                            // 10^23 is not
  CHECK(cvc::parse_number("0.1") == 0.1);
  CHECK(cvc::parse_number("4.35") == 4.35);
  CHECK(cvc::parse_number("1.234,5", true) == 1234.5);
  CHECK(std::signbit(*cvc::parse_number("-0")));
  CHECK(std::signbit(*cvc::parse_number("-0,0", true)));
  const char* hand_picked[] = {"0",
                               "7",
                               "10",
                               "-3",
                               "+.5",
                               "0.30000000000000004",
                               "123456789012345",
                               "1234567890123456",
                               "12345678901234567",
                               "123456789012345678901",
                               "3.14159265358979323846",
                               "0.000001",
                               "1e-22",
                               "1e-23",
                               "4.9e-324",
                               "2.2250738585072014e-308",
                               "1.7976931348623157e308",
                               "1.7976931348623159e308",
                               "1e308",
                               "1e309",
                               "1e-400",
                               "0e999",
                               "5e-1",
                               "25e-1",
                               "9007199254740991.5",
                               "4503599627370497.5",
                               "1e0000000000000000000000003",
                               "0.00000000000000000000000000000000000000000000000000000000000001"};
  for (const char* text : hand_picked) check_same(cvc::parse_number(text), reference(text), text);

  std::mt19937_64 rng(20261122);
  SECTION("random doubles, printed with 1 to 17 significant digits") {
    for (int i = 0; i < 200000; ++i) {
      double x = 0;
      const std::uint64_t b = rng();
      std::memcpy(&x, &b, sizeof x);
      if (i % 2 == 0) x = std::ldexp(static_cast<double>(rng() % 100000000), -int(rng() % 40));
      if (!std::isfinite(x)) continue;
      char text[64];
      std::snprintf(text, sizeof text, "%.*g", 1 + static_cast<int>(rng() % 17), x);
      check_same(cvc::parse_number(text), reference(text), text);
    }
  }
  SECTION("random decimals as people type them, with a point or a comma and grouping") {
    for (int i = 0; i < 100000; ++i) {
      const int digits = 1 + static_cast<int>(rng() % 20);
      std::string whole;
      for (int d = 0; d < digits; ++d) whole.push_back(static_cast<char>('0' + rng() % 10));
      std::string fraction;
      for (int d = static_cast<int>(rng() % 8); d > 0; --d) {
        fraction.push_back(static_cast<char>('0' + rng() % 10));
      }
      const int exponent = static_cast<int>(rng() % 61) - 30;
      const bool with_exponent = rng() % 3 == 0;
      const std::string tail = with_exponent ? "e" + std::to_string(exponent) : "";
      const std::string sign = rng() % 4 == 0 ? "-" : "";
      const std::string plain = sign + whole + (fraction.empty() ? "" : "." + fraction) + tail;
      check_same(cvc::parse_number(plain), reference(plain), plain);
      // The same number with a decimal comma and '.' grouping thousands (1.234.567,89).
      std::string grouped;
      for (std::size_t k = 0; k < whole.size(); ++k) {
        if (k > 0 && (whole.size() - k) % 3 == 0) grouped.push_back('.');
        grouped.push_back(whole[k]);
      }
      const std::string comma = sign + grouped + (fraction.empty() ? "" : "," + fraction) + tail;
      check_same(cvc::parse_number(comma, true), reference(plain), comma);
    }
  }
}

// The reader's whole-record path (views into the chunk, SIMD scanning) against its
// byte-by-byte state machine, whatever the chunk sizes.
namespace {

struct Tokens {
  std::vector<std::vector<std::string>> fields;
  std::vector<std::size_t> rows, lines;
  std::string status;
  bool operator==(const Tokens& o) const {
    return fields == o.fields && rows == o.rows && lines == o.lines && status == o.status;
  }
};

// Reads `text` in chunks of the given sizes (cycled; 0 = the rest at once).
Tokens tokenize(const std::string& text, char delimiter, const std::vector<std::size_t>& sizes) {
  Tokens out;
  cvc::CsvReader reader(delimiter, [&](const cvc::CsvRecord& record) {
    out.fields.emplace_back(record.fields.begin(), record.fields.end());
    out.rows.push_back(record.row);
    out.lines.push_back(record.line);
    return true;
  });
  for (std::size_t i = 0, k = 0; i < text.size(); ++k) {
    const std::size_t n = sizes[k % sizes.size()] == 0 ? text.size() : sizes[k % sizes.size()];
    reader.feed(std::string_view(text).substr(i, n));
    i += n;
  }
  if (auto s = reader.finish(); !s.ok()) out.status = s.error().message;
  return out;
}

}  // namespace

TEST_CASE("CSV: whole records read from the chunk give the state machine's fields, rows, lines",
          "[csv]") {
  // Fed a byte at a time, no record is ever whole in a chunk: that is the state machine alone.
  // Every other split must give the same. The text has records longer than the 16-byte blocks
  // the fast path scans, quoted fields it takes (plain, with delimiters) and ones it leaves to
  // the state machine (doubled quotes, line breaks inside, text after the closing quote), blank
  // lines, a stray quote, and every line end.
  const std::string text =
      "\xEF\xBB\xBFrespondent_id,segment:size,nps,\"benefit:Faster, better decisions\"\r\n"
      "R0000001,SMB,,3,5,2,6,4,4,4,5,4,3,3,6,2,3,4,6,4,4,2,4,2,2\r\n"
      "R0000002,\"ENT\",9,\"4,5\",6\n"
      "\n"
      "R0000003,\"say \"\"hi\"\"\",10,\"two\r\nlines\",x\r"
      "R0000004,a\"b,7,\"q\"tail,\"\"\r\n"
      "\r\n"
      ",,,,\n"
      "\"\",\"only quoted fields here, and long enough to span blocks\",\"\"\n"
      "last,line,without,a,break";
  for (const char delimiter : {',', ';'}) {
    std::string t = text;
    if (delimiter == ';') {
      for (char& c : t) c = c == ',' ? ';' : c;
    }
    const Tokens reference = tokenize(t, delimiter, {1});
    REQUIRE(reference.fields.size() == 8);
    CHECK(reference.fields[3] ==
          std::vector<std::string>{"R0000003", "say \"hi\"", "10", "two\r\nlines", "x"});
    CHECK(reference.fields[4] == std::vector<std::string>{"R0000004", "a\"b", "7", "qtail", ""});
    CHECK(reference.rows == std::vector<std::size_t>{1, 2, 3, 5, 6, 8, 9, 10});
    CHECK(reference.lines == std::vector<std::size_t>{1, 2, 3, 5, 7, 9, 10, 11});
    CHECK(tokenize(t, delimiter, {0}) == reference);
    for (std::size_t split = 1; split < t.size(); ++split) {
      CAPTURE(delimiter, split);
      CHECK(tokenize(t, delimiter, {split, 0}) == reference);
    }
    for (std::size_t chunk = 2; chunk <= 70; ++chunk) {
      CAPTURE(delimiter, chunk);
      CHECK(tokenize(t, delimiter, {chunk}) == reference);
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 200; ++i) {
      std::vector<std::size_t> sizes;
      for (int k = 0; k < 16; ++k) sizes.push_back(1 + rng() % 40);
      CHECK(tokenize(t, delimiter, sizes) == reference);
    }
  }
  // An unterminated quote is the same error whichever path met it first.
  const std::string open = "a,b\n1,\"never closed, and longer than a block\n2,3\n";
  CHECK(tokenize(open, ',', {0}) == tokenize(open, ',', {1}));
  CHECK_FALSE(tokenize(open, ',', {0}).status.empty());
}
