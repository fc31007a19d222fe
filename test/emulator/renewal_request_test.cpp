// Renewal limits and refusals, and placing and cancelling requests in the emulated library.
#define BOOST_TEST_MODULE emulator_renewal_request
#include <boost/test/unit_test.hpp>

#include "iso_time.hpp"
#include "small_library.hpp"

namespace {

using emulator_test::checkin_body;
using emulator_test::checkout_body;
using emulator_test::first_error;
using emulator_test::json;
using emulator_test::small_library;
using ils_emulator::Collection;

json renew_body(const std::string& item, const std::string& user) {
  return {{"itemBarcode", item}, {"userBarcode", user}, {"servicePointId", "sp-main"}};
}

json hold_body(const std::string& item_id, const std::string& user_id, const char* type = "Hold") {
  return {{"requestType", type},
          {"requestLevel", "Item"},
          {"requestDate", "2024-05-01T10:00:00Z"},
          {"requesterId", user_id},
          {"itemId", item_id},
          {"fulfillmentPreference", "Hold Shelf"},
          {"pickupServicePointId", "sp-main"}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(renews_until_the_policy_limit) {
  auto library = small_library();
  BOOST_TEST_REQUIRE(library->check_out(checkout_body("I1", "P1")).has_value());
  const auto first = library->renew_by_barcode(renew_body("I1", "P1"));
  BOOST_TEST_REQUIRE(first.has_value(), first_error(first));
  BOOST_TEST((*first)["renewalCount"] == 1);
  const auto second = library->renew_by_barcode(renew_body("I1", "P1"));
  BOOST_TEST_REQUIRE(second.has_value(), first_error(second));
  const auto due = [](const json& loan) {
    return ils_emulator::parse_iso_time(loan["dueDate"].get<std::string>()).value();
  };
  BOOST_TEST((due(*second) > due(*first)));
  const auto third = library->renew_by_barcode(renew_body("I1", "P1"));
  BOOST_TEST(first_error(third) == "loan at maximum renewal number");
  BOOST_TEST(third.error().body["errors"][0]["parameters"][1]["value"] == "Standard");
}

BOOST_AUTO_TEST_CASE(refuses_renewal_when_another_patron_holds_the_item) {
  auto library = small_library();
  BOOST_TEST(first_error(library->renew_by_barcode(renew_body("I7", "P1"))) ==
             "Items with this loan policy cannot be renewed when there is an active, pending "
             "hold request");
  BOOST_TEST(first_error(library->renew_by_barcode(renew_body("I7", "P6"))) ==
             "Cannot renew item checked out to different user");
}

BOOST_AUTO_TEST_CASE(refuses_renewal_that_would_not_move_the_due_date) {
  auto library = small_library();
  BOOST_TEST_REQUIRE(library->check_out(checkout_body("I2", "P1")).has_value());
  library->clock().advance(-3600);  // renewing from "now" would end before the current due date
  BOOST_TEST(first_error(library->renew_by_barcode(renew_body("I2", "P1"))) ==
             "renewal would not change the due date");
}

BOOST_AUTO_TEST_CASE(refuses_renewal_for_blocked_patrons) {
  auto library = small_library();
  BOOST_TEST_REQUIRE(
      library->create_manual_block({{"userId", "u1"}, {"desc", "test"}, {"renewals", true}})
          .has_value());
  BOOST_TEST(first_error(library->renew_by_barcode(renew_body("I7", "P1"))) ==
             "Patron blocked from renewing");
}

BOOST_AUTO_TEST_CASE(places_a_hold_at_the_end_of_the_queue) {
  auto library = small_library();
  const auto placed = library->create_request(hold_body("i7", "u7"));
  BOOST_TEST_REQUIRE(placed.has_value(), first_error(placed));
  BOOST_TEST((*placed)["position"] == 2);
  BOOST_TEST((*placed)["status"] == "Open - Not yet filled");
  BOOST_TEST((*placed)["requester"]["barcode"] == "P7");
  const auto again = library->create_request(hold_body("i7", "u7"));
  BOOST_TEST(again.error().body["errors"][0]["code"] == "ITEM_ALREADY_REQUESTED");
  const auto own = library->create_request(hold_body("i7", "u1"));
  BOOST_TEST(own.error().body["errors"][0]["code"] == "REQUESTER_ALREADY_HAS_THIS_ITEM_ON_LOAN");
}

BOOST_AUTO_TEST_CASE(allows_only_pages_on_available_items) {
  auto library = small_library();
  BOOST_TEST(first_error(library->create_request(hold_body("i1", "u7"))) ==
             "Hold requests are not allowed for this patron and item combination");
  const auto page = library->create_request(hold_body("i1", "u7", "Page"));
  BOOST_TEST_REQUIRE(page.has_value(), first_error(page));
  BOOST_TEST((*library->get(Collection::inventory_items, "i1"))["status"]["name"] == "Paged");
  BOOST_TEST(first_error(library->create_request(hold_body("i7", "u2"))) ==
             "Patron blocked from requesting");
  BOOST_TEST(!library->create_request({{"requestType", "Hold"}}).has_value());
}

BOOST_AUTO_TEST_CASE(cancels_a_hold_and_releases_the_hold_shelf_item) {
  auto library = small_library();
  const auto open = library->query(Collection::requests, "itemId==i6", {0, 10});
  json request = (*open)["requests"][0];
  request["status"] = "Closed - Cancelled";
  BOOST_TEST(first_error(library->update_request(request["id"].get<std::string>(), request)) ==
             "Cancellation reason is required");
  request["cancellationReasonId"] = "reason-1";
  request["cancelledByUserId"] = "u6";
  const auto cancelled = library->update_request(request["id"].get<std::string>(), request);
  BOOST_TEST_REQUIRE(cancelled.has_value(), first_error(cancelled));
  BOOST_TEST((*library->get(Collection::inventory_items, "i6"))["status"]["name"] == "Available");
  BOOST_TEST(first_error(library->update_request(request["id"].get<std::string>(), request)) ==
             "The Request has already been closed");
  BOOST_TEST(library->update_request("nope", request).error().status == 404);
  BOOST_TEST(library->ledger().back()["action"] == "cancel_hold");
}

BOOST_AUTO_TEST_CASE(checking_in_after_a_cancelled_hold_shelves_the_item) {
  auto library = small_library();
  const auto open = library->query(Collection::requests, "itemId==i7", {0, 10});
  json request = (*open)["requests"][0];
  request["status"] = "Closed - Cancelled";
  request["cancellationReasonId"] = "reason-1";
  BOOST_TEST_REQUIRE(
      library->update_request(request["id"].get<std::string>(), request).has_value());
  const auto result = library->check_in(checkin_body("I7"));
  BOOST_TEST((*result)["item"]["status"]["name"] == "Available");
}
