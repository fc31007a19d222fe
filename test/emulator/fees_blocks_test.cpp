// Fee payments, manual blocks, credentials and queries of the emulated library.
#define BOOST_TEST_MODULE emulator_fees_blocks
#include <boost/test/unit_test.hpp>

#include "small_library.hpp"

namespace {

using emulator_test::checkout_body;
using emulator_test::first_error;
using emulator_test::json;
using emulator_test::pay_body;
using emulator_test::small_library;
using ils_emulator::Collection;

json account(ils_emulator::Library& library, const std::string& id) {
  return *library.get(Collection::accounts, id);
}

}  // namespace

BOOST_AUTO_TEST_CASE(pays_a_fee_partially_then_fully) {
  auto library = small_library();
  const auto partial = library->pay("a1", pay_body("1.25"));
  BOOST_TEST_REQUIRE(partial.has_value(), first_error(partial));
  BOOST_TEST((*partial)["remainingAmount"] == "1.75");
  BOOST_TEST((*partial)["feefineactions"][0]["typeAction"] == "Paid partially");
  BOOST_TEST(account(*library, "a1")["paymentStatus"]["name"] == "Paid partially");
  const auto full = library->pay("a1", pay_body("1.75"));
  BOOST_TEST_REQUIRE(full.has_value(), first_error(full));
  BOOST_TEST((*full)["feefineactions"][0]["balance"] == 0.0);
  BOOST_TEST(account(*library, "a1")["status"]["name"] == "Closed");
  BOOST_TEST(first_error(library->pay("a1", pay_body("1.00"))) == "Fee/fine is already closed");
}

BOOST_AUTO_TEST_CASE(refuses_overpayment_and_bad_amounts) {
  auto library = small_library();
  const auto over = library->pay("a1", pay_body("3.01"));
  BOOST_TEST(over.error().status == 422);
  BOOST_TEST(over.error().body["errorMessage"] == "Requested amount exceeds remaining amount");
  BOOST_TEST(over.error().body["accountId"] == "a1");
  BOOST_TEST(first_error(library->pay("a1", pay_body("abc"))) == "Invalid amount entered");
  BOOST_TEST(first_error(library->pay("a1", pay_body("-1"))) == "Amount must be positive");
  BOOST_TEST(first_error(library->pay("a1", pay_body("0"))) == "Amount must be positive");
  BOOST_TEST(library->pay("zzz", pay_body("1.00")).error().status == 404);
  BOOST_TEST(first_error(library->pay("a1", {{"amount", "1.00"}})) == "must not be null");
  BOOST_TEST(account(*library, "a1")["remaining"] == 3.0);
}

BOOST_AUTO_TEST_CASE(check_pay_has_no_side_effects) {
  auto library = small_library();
  const auto allowed = library->check_pay("a1", {{"amount", "2.00"}});
  BOOST_TEST((*allowed)["allowed"] == true);
  BOOST_TEST((*allowed)["remainingAmount"] == "1.00");
  const auto refused = library->check_pay("a1", {{"amount", "9.00"}});
  BOOST_TEST(refused.error().body["allowed"] == false);
  BOOST_TEST(account(*library, "a1")["remaining"] == 3.0);
  BOOST_TEST(library->ledger().empty());
}

BOOST_AUTO_TEST_CASE(bulk_payment_pays_the_oldest_fee_first_and_lifts_the_block) {
  auto library = small_library();
  json body = pay_body("6.00");
  body["accountIds"] = {"a3", "a4"};
  const auto paid = library->pay_bulk(body);
  BOOST_TEST_REQUIRE(paid.has_value(), first_error(paid));
  BOOST_TEST((*paid)["remainingAmount"] == "6.00");
  BOOST_TEST(account(*library, "a4")["status"]["name"] == "Closed");
  BOOST_TEST(account(*library, "a3")["remaining"] == 6.0);
  BOOST_TEST(library->ledger().size() == 2U);
  BOOST_TEST(library->check_out(checkout_body("I1", "P3")).has_value());
  body["amount"] = "6.01";
  BOOST_TEST(first_error(library->pay_bulk(body)) == "Requested amount exceeds remaining amount");
}

BOOST_AUTO_TEST_CASE(creates_and_deletes_manual_blocks) {
  auto library = small_library();
  const auto created = library->create_manual_block(
      {{"userId", "u1"}, {"desc", "[sip2gw] lost card"}, {"borrowing", true}});
  BOOST_TEST_REQUIRE(created.has_value(), first_error(created));
  const std::string id = (*created)["id"];
  BOOST_TEST((*created)["renewals"] == false);
  BOOST_TEST(first_error(library->check_out(checkout_body("I1", "P1"))) ==
             "Patron blocked from borrowing");
  const auto listed = library->query(Collection::manualblocks, "userId==u1", {0, 10});
  BOOST_TEST((*listed)["totalRecords"] == 1);
  BOOST_TEST(library->delete_manual_block(id).has_value());
  BOOST_TEST(library->delete_manual_block(id).error().status == 404);
  BOOST_TEST(library->check_out(checkout_body("I1", "P1")).has_value());
  const json ledger = library->ledger();
  BOOST_TEST(ledger[0]["action"] == "block");
  BOOST_TEST(ledger[1]["action"] == "unblock");
  BOOST_TEST(ledger[1]["user_barcode"] == "P1");
  BOOST_TEST(!library->create_manual_block({{"userId", "u1"}}).has_value());
  BOOST_TEST(!library->create_manual_block({{"userId", "u1"}, {"desc", "x"}, {"borrowing", 1}})
                  .has_value());
}

BOOST_AUTO_TEST_CASE(verifies_pins_and_passwords) {
  auto library = small_library();
  BOOST_TEST(library->verify_pin({{"id", "u1"}, {"pin", "1111"}}).has_value());
  BOOST_TEST(library->verify_pin({{"id", "u1"}, {"pin", "1112"}}).error().status == 422);
  BOOST_TEST(!library->verify_pin({{"id", "u2"}, {"pin", "1111"}}).has_value());
  BOOST_TEST(!library->verify_pin({{"id", "u1"}, {"pin", 1111}}).has_value());
  BOOST_TEST(library->check_password("gw", "gw-pass"));
  BOOST_TEST(library->check_password("pat1", "pw1"));
  BOOST_TEST(!library->check_password("pat1", "gw-pass"));
  const auto login = library->patron_login({{"username", "pat1"}, {"password", "pw1"}});
  BOOST_TEST((*login)["user"]["barcode"] == "P1");
  BOOST_TEST((*login)["patronGroup"]["group"] == "patron");
}

BOOST_AUTO_TEST_CASE(pages_and_counts_query_results) {
  auto library = small_library();
  const auto page = library->query(Collection::users, "active==true sortBy barcode", {1, 2});
  BOOST_TEST_REQUIRE(page.has_value());
  BOOST_TEST((*page)["totalRecords"] == 6);
  BOOST_TEST((*page)["users"].size() == 2U);
  BOOST_TEST((*page)["users"][0]["barcode"] == "P2");
  const auto loans =
      library->query(Collection::loans, "(userId==u7 and status.name=\"Open\")", {0, 500});
  BOOST_TEST((*loans)["totalRecords"] == 2);
  BOOST_TEST((*loans)["loans"][0]["item"]["barcode"] == "I8");
  const auto bad = library->query(Collection::users, "barcode==\"open", {0, 10});
  BOOST_TEST(bad.error().status == 400);
  BOOST_TEST(library->get(Collection::users, "nobody").error().status == 404);
  const auto search = library->query(Collection::search_instances, "items.barcode==I7", {0, 1});
  BOOST_TEST((*search)["instances"][0]["title"] == "A Book");
}
