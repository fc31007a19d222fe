// CQL escaping and identifier hygiene: no kiosk input can change the shape of a FOLIO query.
#define BOOST_TEST_MODULE ils_cql
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "ils/folio/cql.hpp"

namespace cql = ils::folio::cql;

namespace {

/// A query split into its structure (quoted strings replaced by "Q") and the unescaped strings.
struct Parsed {
  std::string skeleton;
  std::vector<std::string> strings;
  bool well_formed = true;
};

/// A minimal CQL reader: quoted strings with backslash escapes, everything else kept verbatim.
Parsed parse(const std::string& query) {
  Parsed out;
  for (std::size_t i = 0; i < query.size(); ++i) {
    if (query[i] != '"') {
      out.skeleton.push_back(query[i]);
      continue;
    }
    std::string value;
    ++i;
    while (i < query.size() && query[i] != '"') {
      if (query[i] == '\\' && i + 1 < query.size()) ++i;
      value.push_back(query[i]);
      ++i;
    }
    if (i >= query.size()) out.well_formed = false;
    out.skeleton += "Q";
    out.strings.push_back(value);
  }
  return out;
}

const std::vector<std::string> hostile = {
    R"(" or barcode=="*)",
    R"(x" or active==true or "y)",
    R"(\" or 1=1 \)",
    R"(*)",
    R"(?)",
    R"(^start)",
    R"(a\)",
    R"(") sortBy barcode/sort.descending (")",
    R"(abc" prox/unit=word "def)",
    "caf\xc3\xa9 \"",
};

}  // namespace

BOOST_AUTO_TEST_CASE(escapes_every_cql_special_character) {
  BOOST_TEST(cql::escape(R"(a"b\c*d?e^f)") == R"(a\"b\\c\*d\?e\^f)");
  BOOST_TEST(cql::escape("plain 123-ABC") == "plain 123-ABC");
  BOOST_TEST(cql::quoted("*") == R"("\*")");
}

BOOST_AUTO_TEST_CASE(hostile_patron_identifier_stays_inside_its_strings) {
  for (const std::string& id : hostile) {
    const Parsed parsed =
        parse(cql::users_by_identifier(id, {"barcode", "externalSystemId", "username"}));
    BOOST_TEST_CONTEXT(id) {
      BOOST_TEST(parsed.well_formed);
      BOOST_TEST(parsed.skeleton == "barcode==Q or externalSystemId==Q or username==Q");
      BOOST_TEST_REQUIRE(parsed.strings.size() == 3U);
      for (const std::string& value : parsed.strings)
        BOOST_TEST(value == id);
    }
  }
}

BOOST_AUTO_TEST_CASE(hostile_values_keep_every_query_shape) {
  for (const std::string& v : hostile) {
    BOOST_TEST_CONTEXT(v) {
      BOOST_TEST(parse(cql::item_by_barcode(v)).skeleton == "barcode==Q");
      BOOST_TEST(parse(cql::open_loans_of_user(v)).skeleton == "(userId==Q and status.name=Q)");
      BOOST_TEST(parse(cql::open_loan_of_item(v)).skeleton == "(itemId==Q and status.name=Q)");
      BOOST_TEST(parse(cql::open_holds_of_user(v)).skeleton ==
                 "requesterId==Q and status=Q and requestType==Q");
      BOOST_TEST(parse(cql::open_recalls_of_item(v)).skeleton ==
                 "itemId==Q and status=Q and requestType==Q");
      BOOST_TEST(parse(cql::open_requests_of_item(v)).skeleton == "itemId==Q and status=Q");
      BOOST_TEST(parse(cql::open_requests_of_user_for_item(v, v)).skeleton ==
                 "requesterId==Q and itemId==Q and status=Q");
      BOOST_TEST(parse(cql::open_fees_of_user(v)).skeleton == "userId==Q and status.name==Q");
      BOOST_TEST(parse(cql::manual_blocks_of_user(v)).skeleton == "userId==Q");
      BOOST_TEST(parse(cql::item_by_barcode(v)).strings.front() == v);
    }
  }
}

BOOST_AUTO_TEST_CASE(builds_the_edge_sip2_queries) {
  BOOST_TEST(cql::users_by_identifier("123", {"barcode", "externalSystemId", "username"}) ==
             R"(barcode=="123" or externalSystemId=="123" or username=="123")");
  BOOST_TEST(cql::open_loans_of_user("u-1") == R"((userId=="u-1" and status.name="Open"))");
  BOOST_TEST(cql::open_fees_of_user("u-1") == R"(userId=="u-1" and status.name=="Open")");
}

BOOST_AUTO_TEST_CASE(trims_identifiers) {
  auto value = cql::normalize_identifier("  \t929074568588779\r\n");
  BOOST_TEST_REQUIRE(value.has_value());
  BOOST_TEST(*value == "929074568588779");
}

BOOST_AUTO_TEST_CASE(rejects_empty_overlong_control_and_non_utf8_identifiers) {
  const std::vector<std::string> bad = {
      "",
      "   ",
      std::string(cql::max_identifier_length + 1, '1'),
      "12\x01"
      "34",
      "12\n34",
      std::string("12\0"
                  "34",
                  5),
      "12\x7f",
      "\xff\xfe",
      "caf\xc3",
      "\xc0\xaf",      // overlong '/'
      "\xed\xa0\x80",  // UTF-16 surrogate
  };
  for (const std::string& raw : bad) {
    auto value = cql::normalize_identifier(raw);
    BOOST_TEST(!value.has_value());
    if (!value) BOOST_TEST((value.error().code == ils::errc::invalid_identifier));
  }
}

BOOST_AUTO_TEST_CASE(accepts_longest_identifier_and_utf8) {
  BOOST_TEST(cql::normalize_identifier(std::string(cql::max_identifier_length, '7')).has_value());
  BOOST_TEST(cql::normalize_identifier("M\xc3\xbcller-\xe2\x82\xac").has_value());
}

BOOST_AUTO_TEST_CASE(record_ids_are_hex_and_dashes_only) {
  BOOST_TEST(cql::is_record_id("4f0e711c-d583-41e0-9555-b62f1725023f"));
  BOOST_TEST(!cql::is_record_id(""));
  BOOST_TEST(!cql::is_record_id("../users"));
  BOOST_TEST(!cql::is_record_id("4f0e711c d583"));
  BOOST_TEST(!cql::is_record_id("4f0e711c?x=1"));
  BOOST_TEST(!cql::is_record_id(std::string(65, 'a')));
}

BOOST_AUTO_TEST_CASE(query_string_percent_encodes_every_value) {
  BOOST_TEST(cql::query_string({{"query", R"(barcode=="a&b #1")"}, {"limit", "1"}}) ==
             "?query=barcode%3D%3D%22a%26b%20%231%22&limit=1");
  BOOST_TEST(cql::query_string({{"q", "\xc3\xa9+/"}}) == "?q=%C3%A9%2B%2F");
}
