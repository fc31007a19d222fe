// RFC 4180 quoting of the staff report: fields with commas, quotes and line breaks survive a
// reader's round trip; formulas are kept as text.
#define BOOST_TEST_MODULE csv
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "server/csv.hpp"

namespace {

/// A strict RFC 4180 reader of one record (CRLF-terminated), for the round trip.
std::vector<std::string> read_record(const std::string& text) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"' && fields.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\r' && i + 2 == text.size() && text[i + 1] == '\n') {
      return fields;
    } else if (c == '"' || c == '\r' || c == '\n') {
      BOOST_FAIL("unquoted " << int(c) << " at " << i << " in " << text);
    } else {
      fields.back() += c;
    }
  }
  BOOST_FAIL("record not ended by CRLF: " << text);
  return fields;
}

}  // namespace

BOOST_AUTO_TEST_CASE(plain_fields_are_left_as_they_are) {
  BOOST_TEST(server::csv_field("exception") == "exception");
  BOOST_TEST(server::csv_field("p:0123456789abcdef") == "p:0123456789abcdef");
  BOOST_TEST(server::csv_field("") == "");
}

BOOST_AUTO_TEST_CASE(commas_quotes_and_line_breaks_are_quoted) {
  BOOST_TEST(server::csv_field("returned, see desk note") == "\"returned, see desk note\"");
  BOOST_TEST(server::csv_field("the \"hold\" shelf") == "\"the \"\"hold\"\" shelf\"");
  BOOST_TEST(server::csv_field("two\nlines") == "\"two\nlines\"");
  BOOST_TEST(server::csv_field("cr\rhere") == "\"cr\rhere\"");
  BOOST_TEST(server::csv_field(" padded ") == "\" padded \"");
}

BOOST_AUTO_TEST_CASE(a_row_ends_in_crlf_and_reads_back_field_for_field) {
  const std::vector<std::string> fields = {
      "12", "2026-12-06 19:00:01", "refused after the kiosk was told yes: item \"X\", lost",
      "",   "multi\r\nline",       "\"quoted\"",
      ","};
  const std::string row = server::csv_row(fields);
  BOOST_TEST(row.substr(row.size() - 2) == "\r\n");
  BOOST_TEST(read_record(row) == fields, row);
  BOOST_TEST(server::csv_row({}) == "\r\n");
  BOOST_TEST(server::csv_row({"a", "b"}) == "a,b\r\n");
}

BOOST_AUTO_TEST_CASE(text_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text) {
  BOOST_TEST(server::csv_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")");
  BOOST_TEST(server::csv_text("+1") == "'+1");
  BOOST_TEST(server::csv_text("-1") == "'-1");
  BOOST_TEST(server::csv_text("@SUM(A1)") == "'@SUM(A1)");
  BOOST_TEST(server::csv_text("\tx") == "'\tx");
  BOOST_TEST(server::csv_text("dropped by staff: x") == "dropped by staff: x");
  BOOST_TEST(server::csv_text("") == "");
  BOOST_TEST(server::csv_field(server::csv_text("=1,2")) == "\"'=1,2\"");
}
