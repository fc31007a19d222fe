// Circulation rules of the emulated library: check-out refusals, due dates, check-in routing.
#define BOOST_TEST_MODULE emulator_circulation
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "iso_time.hpp"
#include "small_library.hpp"

namespace {

using emulator_test::checkin_body;
using emulator_test::checkout_body;
using emulator_test::first_error;
using emulator_test::json;
using emulator_test::small_library;
using ils_emulator::Collection;

json item(ils_emulator::Library& library, const std::string& id) {
  return *library.get(Collection::inventory_items, id);
}

long long hours_until(const json& loan) {
  const auto due = ils_emulator::parse_iso_time(loan.value("dueDate", ""));
  BOOST_TEST_REQUIRE(due.has_value());
  return std::chrono::duration_cast<std::chrono::hours>(*due - std::chrono::system_clock::now())
      .count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(checks_out_with_the_due_date_of_the_matching_loan_policy) {
  auto library = small_library();
  BOOST_TEST_REQUIRE(library != nullptr);
  const auto book = library->check_out(checkout_body("I1", "P6"));
  BOOST_TEST_REQUIRE(book.has_value(), first_error(book));
  BOOST_TEST(hours_until(*book) >= 20 * 24);  // three weeks, to the end of the day
  BOOST_TEST(hours_until(*book) <= 22 * 24);
  BOOST_TEST((*book)["item"]["title"] == "A Book");
  BOOST_TEST((*book)["borrower"]["barcode"] == "P6");
  const auto dvd = library->check_out(checkout_body("I2", "P6"));
  BOOST_TEST_REQUIRE(dvd.has_value(), first_error(dvd));
  BOOST_TEST(hours_until(*dvd) <= 2);
  BOOST_TEST(item(*library, "i1")["status"]["name"] == "Checked out");
}

BOOST_AUTO_TEST_CASE(refuses_an_item_already_checked_out_to_someone_else) {
  auto library = small_library();
  const auto result = library->check_out(checkout_body("I7", "P6"));
  BOOST_TEST(first_error(result) == "Item is already checked out");
  BOOST_TEST(result.error().status == 422);
  BOOST_TEST(result.error().body["errors"][0]["parameters"][0]["key"] == "itemBarcode");
}

BOOST_AUTO_TEST_CASE(refuses_expired_and_inactive_patrons) {
  auto library = small_library();
  BOOST_TEST(first_error(library->check_out(checkout_body("I1", "P4"))) ==
             "Cannot check out to inactive user");
  BOOST_TEST(first_error(library->check_out(checkout_body("I1", "P5"))) ==
             "Cannot check out to inactive user");
}

BOOST_AUTO_TEST_CASE(refuses_manually_and_automatically_blocked_patrons) {
  auto library = small_library();
  const auto manual = library->check_out(checkout_body("I1", "P2"));
  BOOST_TEST(first_error(manual) == "Patron blocked from borrowing");
  BOOST_TEST(manual.error().body["errors"][0]["code"] == "USER_IS_BLOCKED_MANUALLY");
  BOOST_TEST(first_error(library->check_out(checkout_body("I1", "P3"))) == "Too much owed");
  BOOST_TEST(first_error(library->check_out(checkout_body("I1", "P7"))) == "Too many overdue");
  const auto blocks = library->automated_patron_blocks("u7");
  BOOST_TEST((*blocks)["automatedPatronBlocks"].size() == 1U);
  BOOST_TEST((*blocks)["automatedPatronBlocks"][0]["blockRequests"] == false);
}

BOOST_AUTO_TEST_CASE(refuses_non_loanable_missing_and_unknown_items) {
  auto library = small_library();
  BOOST_TEST(first_error(library->check_out(checkout_body("I3", "P1"))) == "Item is not loanable");
  BOOST_TEST(first_error(library->check_out(checkout_body("I4", "P1"))) ==
             "A Book (book) (Barcode: I4) has the item status Missing and cannot be checked out");
  const auto unknown = library->check_out(checkout_body("nope", "nobody"));
  BOOST_TEST(unknown.error().body["errors"].size() == 2U);
}

BOOST_AUTO_TEST_CASE(keeps_an_item_on_the_hold_shelf_for_its_requester) {
  auto library = small_library();
  BOOST_TEST(first_error(library->check_out(checkout_body("I6", "P1")))
                 .find("requested by another patron") != std::string::npos);
  BOOST_TEST_REQUIRE(library->check_out(checkout_body("I6", "P6")).has_value());
  const auto filled = library->query(Collection::requests, "itemId==i6", {0, 10});
  BOOST_TEST((*filled)["requests"][0]["status"] == "Closed - Filled");
}

BOOST_AUTO_TEST_CASE(checks_in_an_item_without_a_loan_as_receiving) {
  auto library = small_library();
  const auto result = library->check_in(checkin_body("I1"));
  BOOST_TEST_REQUIRE(result.has_value(), first_error(result));
  BOOST_TEST(!result->contains("loan"));
  BOOST_TEST((*result)["item"]["status"]["name"] == "Available");
  BOOST_TEST(first_error(library->check_in(checkin_body("nope"))) ==
             "No item with barcode nope exists");
}

BOOST_AUTO_TEST_CASE(traps_a_hold_at_check_in_and_sends_it_in_transit) {
  auto library = small_library();
  const auto result = library->check_in(checkin_body("I7"));
  BOOST_TEST_REQUIRE(result.has_value(), first_error(result));
  BOOST_TEST((*result)["loan"]["status"]["name"] == "Closed");
  BOOST_TEST((*result)["loan"]["borrower"]["barcode"] == "P1");
  BOOST_TEST((*result)["item"]["status"]["name"] == "In transit");
  BOOST_TEST((*result)["item"]["inTransitDestinationServicePoint"]["name"] == "East Desk");
  BOOST_TEST((*result)["staffSlipContext"]["requester"]["barcode"] == "P6");
  const auto arrived = library->check_in(checkin_body("I7", "sp-east"));
  BOOST_TEST((*arrived)["item"]["status"]["name"] == "Awaiting pickup");
  const auto open = library->query(Collection::requests, "itemId==i7 and status=\"Open\"", {0, 10});
  BOOST_TEST((*open)["requests"][0]["status"] == "Open - Awaiting pickup");
}

BOOST_AUTO_TEST_CASE(sends_an_item_home_when_checked_in_elsewhere) {
  auto library = small_library();
  const auto away = library->check_in(checkin_body("I5"));
  BOOST_TEST((*away)["item"]["status"]["name"] == "In transit");
  const auto home = library->check_in(checkin_body("I5", "sp-east"));
  BOOST_TEST((*home)["item"]["status"]["name"] == "Available");
  BOOST_TEST(!(*home)["item"].contains("inTransitDestinationServicePoint"));
}

BOOST_AUTO_TEST_CASE(records_check_out_and_check_in_in_the_ledger) {
  auto library = small_library();
  BOOST_TEST_REQUIRE(library->check_out(checkout_body("I1", "P1")).has_value());
  BOOST_TEST_REQUIRE(library->check_in(checkin_body("I1")).has_value());
  const json ledger = library->ledger();
  BOOST_TEST_REQUIRE(ledger.size() == 2U);
  BOOST_TEST(ledger[0]["seq"] == 1);
  BOOST_TEST(ledger[0]["action"] == "checkout");
  BOOST_TEST(ledger[0]["user_barcode"] == "P1");
  BOOST_TEST(ledger[1]["action"] == "checkin");
  BOOST_TEST(ledger[1]["item_barcode"] == "I1");
}
