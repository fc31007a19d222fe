// What a gateway replaying kiosk transactions relies on in the emulated library: the loan and
// check-in dates it sends, block overrides, due-date changes, payment actions found by their
// transaction information, and a ledger complete enough to reconcile exactly-once.
#define BOOST_TEST_MODULE emulator_replay
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "iso_time.hpp"
#include "small_library.hpp"

namespace {

using emulator_test::checkin_body;
using emulator_test::checkout_body;
using emulator_test::first_error;
using emulator_test::json;
using emulator_test::pay_body;
using emulator_test::small_library;
using ils_emulator::Collection;
using ils_emulator::format_folio_time;
using ils_emulator::parse_iso_time;
using ils_emulator::TimePoint;
using namespace std::chrono_literals;

/// A check-out body that overrides the patron's blocks, with `comment`.
json overriding(json body, const std::string& comment = "kiosk offline replay") {
  body["overrideBlocks"] = {{"patronBlock", json::object()}, {"comment", comment}};
  return body;
}

TimePoint time_of(const json& record, const char* key) {
  const auto t = parse_iso_time(record.value(key, ""));
  BOOST_TEST_REQUIRE(t.has_value(), key << " is not a time: " << record.dump());
  return *t;
}

/// A second-precision instant some time before the library's clock.
TimePoint before(ils_emulator::Library& library, std::chrono::seconds ago) {
  return std::chrono::floor<std::chrono::seconds>(library.clock().now() - ago);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_loan_date_sent_is_the_loans_date_its_due_date_base_and_the_ledger_time) {
  auto library = small_library();
  const TimePoint loan_date = before(*library, 30h);
  json body = checkout_body("I1", "P1");
  body["loanDate"] = format_folio_time(loan_date);
  const auto loan = library->check_out(body);
  BOOST_TEST_REQUIRE(loan.has_value(), first_error(loan));
  BOOST_TEST((time_of(*loan, "loanDate") == loan_date));
  // Three weeks from the loan date, to the end of that day (pol-std).
  const auto due = time_of(*loan, "dueDate");
  BOOST_TEST((due >= loan_date + 21 * 24h && due < loan_date + 22 * 24h));

  const json entry = library->ledger().back();
  BOOST_TEST(entry["action"] == "checkout");
  BOOST_TEST((time_of(entry, "at") == loan_date));
  BOOST_TEST((time_of(entry, "recorded_at") > loan_date + 29h));
  BOOST_TEST(entry["loan_id"] == (*loan)["id"]);
  BOOST_TEST(entry["due_date"] == (*loan)["dueDate"]);

  json bad = checkout_body("I5", "P1");
  bad["loanDate"] = "yesterday";
  BOOST_TEST(first_error(library->check_out(bad)) == "loanDate is not a valid date-time");
}

BOOST_AUTO_TEST_CASE(an_override_lends_to_a_blocked_patron_and_is_recorded_as_one) {
  auto library = small_library();
  BOOST_TEST(first_error(library->check_out(checkout_body("I1", "P2"))) ==
             "Patron blocked from borrowing");
  const auto manual = library->check_out(overriding(checkout_body("I1", "P2"), "replayed"));
  BOOST_TEST_REQUIRE(manual.has_value(), first_error(manual));
  const json loan = *library->get(Collection::loans, (*manual)["id"].get<std::string>());
  BOOST_TEST(loan["action"] == "checkedOutThroughOverride");
  BOOST_TEST(loan["actionComment"] == "replayed");
  const json entry = library->ledger().back();
  BOOST_TEST(entry["overridden"] == json::array({"patronBlock"}));
  BOOST_TEST(entry["override_comment"] == "replayed");

  // Automated blocks too (P3 owes more than the limit); nothing to override is recorded so.
  BOOST_TEST_REQUIRE(library->check_out(overriding(checkout_body("I5", "P3"))).has_value());
  BOOST_TEST(library->ledger().back()["overridden"] == json::array({"patronBlock"}));
  BOOST_TEST_REQUIRE(library->check_out(overriding(checkout_body("I6", "P6"))).has_value());
  BOOST_TEST(library->ledger().back()["overridden"] == json::array());
}

BOOST_AUTO_TEST_CASE(an_override_needs_a_comment_and_cannot_lend_to_an_inactive_patron) {
  auto library = small_library();
  json body = checkout_body("I1", "P2");
  body["overrideBlocks"] = {{"patronBlock", json::object()}};
  const auto no_comment = library->check_out(body);
  BOOST_TEST(first_error(no_comment) == "Override should be performed with the comment specified");
  BOOST_TEST(first_error(library->check_out(overriding(checkout_body("I1", "P5")))) ==
             "Cannot check out to inactive user");
  BOOST_TEST(first_error(library->check_out(overriding(checkout_body("I7", "P2")))) ==
             "Item is already checked out");
  BOOST_TEST(library->ledger().empty());
}

BOOST_AUTO_TEST_CASE(a_not_loanable_item_goes_out_only_with_an_override_and_its_due_date) {
  auto library = small_library();
  const TimePoint due = before(*library, -72h);
  json body = checkout_body("I3", "P1");
  body["overrideBlocks"] = {{"itemNotLoanableBlock", json::object()}, {"comment", "replay"}};
  BOOST_TEST(first_error(library->check_out(body)) ==
             "Override should be performed with due date specified");
  body["overrideBlocks"]["itemNotLoanableBlock"]["dueDate"] =
      format_folio_time(before(*library, 1h));
  BOOST_TEST(first_error(library->check_out(body)) == "Due date should be later than loan date");
  body["overrideBlocks"]["itemNotLoanableBlock"]["dueDate"] = format_folio_time(due);
  const auto loan = library->check_out(body);
  BOOST_TEST_REQUIRE(loan.has_value(), first_error(loan));
  BOOST_TEST((time_of(*loan, "dueDate") == due));
  BOOST_TEST(library->ledger().back()["overridden"] == json::array({"itemNotLoanableBlock"}));
}

BOOST_AUTO_TEST_CASE(changes_the_due_date_of_an_open_loan_only) {
  auto library = small_library();
  const auto loan = library->check_out(checkout_body("I1", "P1"));
  BOOST_TEST_REQUIRE(loan.has_value(), first_error(loan));
  const std::string id = (*loan)["id"];
  const TimePoint due = before(*library, -5 * 24h);
  const auto changed = library->change_due_date(id, {{"dueDate", format_folio_time(due)}});
  BOOST_TEST_REQUIRE(changed.has_value(), first_error(changed));
  BOOST_TEST(changed->is_null());
  BOOST_TEST((time_of(*library->get(Collection::loans, id), "dueDate") == due));
  const json entry = library->ledger().back();
  BOOST_TEST(entry["action"] == "change_due_date");
  BOOST_TEST(entry["loan_id"] == id);
  BOOST_TEST(entry["item_barcode"] == "I1");
  BOOST_TEST(entry["user_id"] == "u1");

  BOOST_TEST(first_error(library->change_due_date(id, json::object())) ==
             "A new due date is required in order to change the due date");
  BOOST_TEST(
      library->change_due_date("nope", {{"dueDate", format_folio_time(due)}}).error().status ==
      404);
  BOOST_TEST_REQUIRE(library->check_in(checkin_body("I1")).has_value());
  BOOST_TEST(first_error(library->change_due_date(id, {{"dueDate", format_folio_time(due)}})) ==
             "Loan is closed");
}

BOOST_AUTO_TEST_CASE(a_check_in_date_sent_is_the_return_date_and_the_ledger_time) {
  auto library = small_library();
  const TimePoint returned = before(*library, 3h);
  json body = checkin_body("I7");
  body["checkInDate"] = format_folio_time(returned);
  const auto result = library->check_in(body);
  BOOST_TEST_REQUIRE(result.has_value(), first_error(result));
  BOOST_TEST((time_of((*result)["loan"], "returnDate") == returned));
  const json entry = library->ledger().back();
  BOOST_TEST((time_of(entry, "at") == returned));
  BOOST_TEST(entry["user_barcode"] == "P1");
  BOOST_TEST(entry["user_id"] == "u1");
  BOOST_TEST(entry["item_id"] == "i7");
  BOOST_TEST(entry["loan_id"] == (*result)["loan"]["id"]);

  // A check-in with no open loan closes nothing: no borrower, no loan id.
  BOOST_TEST_REQUIRE(library->check_in(checkin_body("I1")).has_value());
  BOOST_TEST(library->ledger().back()["user_id"] == "");
  BOOST_TEST(!library->ledger().back().contains("loan_id"));
}

BOOST_AUTO_TEST_CASE(finds_payment_actions_by_user_and_transaction_information) {
  auto library = small_library();
  json one = pay_body("1.25");
  one["transactionInfo"] = "job-7";
  BOOST_TEST_REQUIRE(library->pay("a1", one).has_value());
  json bulk = pay_body("9.00");
  bulk["transactionInfo"] = "job-9";
  bulk["accountIds"] = {"a3", "a4"};
  BOOST_TEST_REQUIRE(library->pay_bulk(bulk).has_value());

  const auto found = library->query(
      Collection::feefineactions,
      "userId==\"u1\" and transactionInformation==\"job-7\" sortby dateAction", {0, 10});
  BOOST_TEST_REQUIRE(found.has_value(), first_error(found));
  BOOST_TEST_REQUIRE((*found)["feefineactions"].size() == 1U);
  BOOST_TEST((*found)["feefineactions"][0]["amountAction"] == 1.25);
  BOOST_TEST((*found)["feefineactions"][0]["typeAction"] == "Paid partially");
  const auto both = library->query(Collection::feefineactions,
                                   "userId==\"u3\" and transactionInformation==\"job-9\"", {0, 10});
  BOOST_TEST((*both)["totalRecords"] == 2);
  const auto other_user = library->query(
      Collection::feefineactions, "userId==\"u3\" and transactionInformation==\"job-7\"", {0, 10});
  BOOST_TEST((*other_user)["totalRecords"] == 0);

  const json ledger = library->ledger();
  BOOST_TEST_REQUIRE(ledger.size() == 3U);
  BOOST_TEST(ledger[0]["transaction_information"] == "job-7");
  BOOST_TEST(ledger[0]["user_id"] == "u1");
  BOOST_TEST(ledger[0]["amount"] == "1.25");
  BOOST_TEST(ledger[0]["action_id"] == (*found)["feefineactions"][0]["id"]);
  BOOST_TEST(ledger[1]["transaction_information"] == "job-9");
  BOOST_TEST(ledger[2]["transaction_information"] == "job-9");
}

BOOST_AUTO_TEST_CASE(the_ledger_names_item_patron_and_time_of_every_change_in_order) {
  auto library = small_library();
  BOOST_TEST_REQUIRE(library->check_out(checkout_body("I1", "P1")).has_value());
  const auto renewed = library->renew_by_barcode({{"itemBarcode", "I1"}, {"userBarcode", "P1"}});
  BOOST_TEST_REQUIRE(renewed.has_value(), first_error(renewed));
  const auto hold = library->create_request({{"requesterId", "u6"},
                                             {"requestType", "Hold"},
                                             {"requestDate", "2025-01-01T00:00:00Z"},
                                             {"fulfillmentPreference", "Hold Shelf"},
                                             {"pickupServicePointId", "sp-main"},
                                             {"itemId", "i8"}});
  BOOST_TEST_REQUIRE(hold.has_value(), first_error(hold));
  const auto block = library->create_manual_block({{"userId", "u1"}, {"desc", "kiosk"}});
  BOOST_TEST_REQUIRE(block.has_value(), first_error(block));
  BOOST_TEST_REQUIRE(library->delete_manual_block((*block)["id"].get<std::string>()).has_value());

  const json ledger = library->ledger();
  BOOST_TEST_REQUIRE(ledger.size() == 5U);
  const char* actions[] = {"checkout", "renew", "hold", "block", "unblock"};
  for (std::size_t i = 0; i < ledger.size(); ++i) {
    BOOST_TEST(ledger[i]["seq"] == static_cast<long long>(i + 1));
    BOOST_TEST(ledger[i]["action"] == actions[i]);
    BOOST_TEST(ledger[i]["user_id"].is_string());
    BOOST_TEST(parse_iso_time(ledger[i].value("at", "")).has_value());
    BOOST_TEST(parse_iso_time(ledger[i].value("recorded_at", "")).has_value());
  }
  BOOST_TEST(ledger[1]["item_id"] == "i1");
  BOOST_TEST(ledger[1]["renewal_count"] == 1);
  BOOST_TEST(ledger[1]["due_date"] == (*renewed)["dueDate"]);
  BOOST_TEST(ledger[2]["user_id"] == "u6");
  BOOST_TEST(ledger[2]["item_barcode"] == "I8");
  BOOST_TEST(ledger[2]["request_id"] == (*hold)["id"]);
  BOOST_TEST(ledger[3]["user_id"] == "u1");
  BOOST_TEST(ledger[3]["block_id"] == (*block)["id"]);

  const json later = library->ledger(3);
  BOOST_TEST_REQUIRE(later.size() == 2U);
  BOOST_TEST(later[0]["seq"] == 4);
}
