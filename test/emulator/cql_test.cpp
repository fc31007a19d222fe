// CQL subset: the query forms the FOLIO backend sends, sortBy, and refusal of everything else.
#define BOOST_TEST_MODULE emulator_cql
#include <boost/test/unit_test.hpp>

#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "cql_match.hpp"
#include "cql_query.hpp"

namespace {

using ils_emulator::cql_matches;
using ils_emulator::parse_cql;
using nlohmann::json;

const json kUser = json::parse(R"({"id": "u-1", "barcode": "12345", "username": "a\"b*c",
  "active": true, "status": {"name": "Open"}, "requestStatus": "Open - Not yet filled",
  "dueDate": "2024-05-01T12:00:00.000+00:00", "amount": 12.5,
  "items": [{"barcode": "X1"}, {"barcode": "X2"}]})");

bool matches(const std::string& query, const json& record = kUser) {
  const auto parsed = parse_cql(query);
  BOOST_TEST_REQUIRE(parsed.has_value(), query << ": " << parsed.error().message);
  return cql_matches(*parsed, record);
}

}  // namespace

BOOST_AUTO_TEST_CASE(matches_the_backends_user_lookup) {
  BOOST_TEST(matches(R"(barcode=="12345" or externalSystemId=="12345" or username=="12345")"));
  BOOST_TEST(!matches(R"(barcode=="1234" or externalSystemId=="1234" or username=="1234")"));
}

BOOST_AUTO_TEST_CASE(resolves_backslash_escapes_in_quoted_values) {
  BOOST_TEST(matches(R"(username=="a\"b\*c")"));
  BOOST_TEST(!matches(R"(username=="a\"bXc")"));
}

BOOST_AUTO_TEST_CASE(treats_unescaped_star_and_question_mark_as_wildcards) {
  BOOST_TEST(matches(R"(barcode=="123*")"));
  BOOST_TEST(matches(R"(barcode=="1?3?5")"));
  BOOST_TEST(!matches(R"(barcode=="123\*")"));
}

BOOST_AUTO_TEST_CASE(exact_relation_ignores_case_and_word_relation_needs_every_word) {
  BOOST_TEST(matches(R"(status.name=="open")"));
  BOOST_TEST(matches(R"(status.name=Open)"));
  BOOST_TEST(matches(R"(requestStatus="Open")"));
  BOOST_TEST(!matches(R"(requestStatus=="Open")"));
  BOOST_TEST(!matches(R"(requestStatus="Open filled closed")"));
}

BOOST_AUTO_TEST_CASE(handles_parentheses_value_lists_and_not) {
  BOOST_TEST(matches(R"((id==u-1 and status.name="Open"))"));
  BOOST_TEST(matches(R"(requestStatus==("Open - Awaiting pickup" or "Open - Not yet filled"))"));
  BOOST_TEST(matches(R"(id==u-1 not barcode==999)"));
  BOOST_TEST(!matches(R"(id==u-1 not barcode==12345)"));
  BOOST_TEST(matches(R"(cql.allRecords=1)"));
}

BOOST_AUTO_TEST_CASE(compares_dates_and_numbers_in_order_relations) {
  BOOST_TEST(matches(R"(dueDate<"2024-05-02T00:00:00Z")"));
  BOOST_TEST(!matches(R"(dueDate<2024-05-01)"));
  BOOST_TEST(matches(R"(amount>=12.5 and amount<13)"));
}

BOOST_AUTO_TEST_CASE(fans_out_over_arrays) {
  BOOST_TEST(matches(R"(items.barcode=="X2")"));
  BOOST_TEST(!matches(R"(items.barcode=="X3")"));
}

BOOST_AUTO_TEST_CASE(sorts_by_sortby_keys) {
  const auto parsed = parse_cql("cql.allRecords=1 sortBy n/sort.descending name");
  BOOST_TEST_REQUIRE(parsed.has_value());
  std::vector<json> records = {{{"n", 1}, {"name", "b"}},
                               {{"n", 2}, {"name", "z"}},
                               {{"name", "none"}},
                               {{"n", 2}, {"name", "a"}}};
  ils_emulator::cql_sort(*parsed, records);
  BOOST_TEST(records[0]["name"] == "a");
  BOOST_TEST(records[1]["name"] == "z");
  BOOST_TEST(records[2]["name"] == "b");
  BOOST_TEST(records[3]["name"] == "none");
}

BOOST_AUTO_TEST_CASE(rejects_unsupported_forms_with_a_position) {
  for (const char* query :
       {"", "barcode", "\"just a term\"", "barcode any x", "barcode==/string x", "barcode==\"x",
        "barcode==x\\", "(barcode==x", "barcode==x)", "barcode==x and", "and barcode==x",
        "id==(a and b)", "sortBy x", "a==b sortBy", "a==b sortBy x/sort.random", "a=<b"}) {
    const auto parsed = parse_cql(query);
    BOOST_TEST(!parsed.has_value(), "accepted: " << query);
  }
}

BOOST_AUTO_TEST_CASE(refuses_deep_nesting_and_overlong_queries) {
  BOOST_TEST(!parse_cql(std::string(200, '(') + "a==b" + std::string(200, ')')).has_value());
  BOOST_TEST(parse_cql(std::string(20, '(') + "a==b" + std::string(20, ')')).has_value());
  BOOST_TEST(!parse_cql("a==" + std::string(ils_emulator::kMaxCqlLength, 'x')).has_value());
}

BOOST_AUTO_TEST_CASE(survives_random_garbage) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab=<>()\"\\*?^/ orandtsoBy.1";
  for (int i = 0; i < 20000; ++i) {
    std::string query(rng() % 40, ' ');
    for (char& c : query)
      c = alphabet[rng() % alphabet.size()];
    const auto parsed = parse_cql(query);
    if (parsed) (void)cql_matches(*parsed, kUser);
  }
}

// A backtracking matcher would take exponential time here; the test's timeout would catch it.
BOOST_AUTO_TEST_CASE(matches_pathological_wildcards_without_backtracking_blowup) {
  const json record = {{"f", std::string(3000, 'a')}};
  const auto parsed = parse_cql("f==\"" + std::string(500, '*') + "a*a*a*a*b\"");
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(!cql_matches(*parsed, record));
  BOOST_TEST(matches(R"(barcode=="*1*2*3*4*5*")"));
}
