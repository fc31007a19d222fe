// Mapping of realistic FOLIO records (test/data/folio) and scalar values to ils types.
#define BOOST_TEST_MODULE ils_folio_json
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "ils/folio/folio_json.hpp"

namespace folio = ils::folio;
using folio::Json;
using namespace std::chrono;

namespace {

Json fixture(const std::string& name) {
  const char* dir = std::getenv("ILS_TEST_DATA");
  BOOST_TEST_REQUIRE(dir != nullptr, "ILS_TEST_DATA is not set");
  std::ifstream in(std::string(dir) + "/" + name);
  BOOST_TEST_REQUIRE(in.good(), "cannot open " << name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  Json json = Json::parse(buffer.str(), nullptr, false);
  BOOST_TEST_REQUIRE(!json.is_discarded(), name << " is not JSON");
  return json;
}

ils::Timestamp at(int y, unsigned m, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace

BOOST_AUTO_TEST_CASE(maps_a_user_record) {
  const ils::Patron p = folio::patron_from_json(fixture("user.json"));
  BOOST_TEST(p.id == "4f0e711c-d583-41e0-9555-b62f1725023f");
  BOOST_TEST(p.barcode == "929074568588779");
  BOOST_TEST(p.username == "jhandey");
  BOOST_TEST(p.external_system_id == "111_112");
  BOOST_TEST(p.active);
  BOOST_TEST((p.expires_at == at(2029, 5, 2, 23, 59, 59)));
  BOOST_TEST(p.patron_group_id == "3684a786-6671-4268-8ed0-9db82ebca60b");
  BOOST_TEST(p.display_name == "Jackie Michael Handey");
  BOOST_TEST(p.email == "jhandey@example.org");
  BOOST_TEST(p.phone == "2125551212");
  BOOST_TEST(p.address == "22 Main Street, Apt 3, Boston, MA, 02108");
  BOOST_TEST((p.updated_at == at(2024, 3, 1, 2, 42, 32)));
}

BOOST_AUTO_TEST_CASE(maps_a_loan_and_marks_it_overdue_after_its_due_date) {
  const Json json = fixture("loan.json");
  const ils::Loan loan = folio::loan_from_json(json, at(2024, 3, 2));
  BOOST_TEST(loan.id == "cf23adf0-61ba-4887-bf82-956c4aae2260");
  BOOST_TEST(loan.item_id == "bb5a6689-c008-4c96-8f8f-b666850ee12d");
  BOOST_TEST(loan.item_barcode == "326547658598");
  BOOST_TEST(loan.title == "A semantic web primer");
  BOOST_TEST(loan.call_number == "TK5105.88815 .A58 2004 FT MEADE");
  BOOST_TEST(loan.material_type == "book");
  BOOST_TEST(loan.location == "Main Library");
  BOOST_TEST((loan.due_date == at(2024, 3, 1, 23, 59, 59)));
  BOOST_TEST((loan.loan_date == at(2024, 2, 1, 10, 15)));
  BOOST_TEST(loan.renewal_count == 2);
  BOOST_TEST(loan.user_barcode == "929074568588779");
  BOOST_TEST(loan.overdue);
  BOOST_TEST(!folio::loan_from_json(json, at(2024, 3, 1)).overdue);
}

BOOST_AUTO_TEST_CASE(maps_a_request_waiting_on_the_hold_shelf) {
  const ils::Hold h = folio::hold_from_json(fixture("request.json"));
  BOOST_TEST(h.id == "dd238b5b-01fc-4205-83b8-ce27a650d827");
  BOOST_TEST((h.kind == ils::HoldKind::hold));
  BOOST_TEST(h.available);
  BOOST_TEST(h.status == "Open - Awaiting pickup");
  BOOST_TEST(h.requester_barcode == "929074568588779");
  BOOST_TEST(h.item_barcode == "10101");
  BOOST_TEST(h.title == "Interesting Times");
  BOOST_TEST(h.position == 1);
  BOOST_TEST(h.pickup_location_id == "3a40852d-49fd-4df2-a1f9-6e2641a6e91f");
  BOOST_TEST((h.hold_shelf_expires_at == at(2024, 2, 20, 23, 59, 59)));
}

BOOST_AUTO_TEST_CASE(maps_an_account_in_cents) {
  const ils::Fee f = folio::fee_from_json(fixture("account.json"));
  BOOST_TEST(f.id == "8bd34ff2-f9f2-43b6-9bc8-6a8ac4e6e1f3");
  BOOST_TEST(f.type == "Overdue fine");
  BOOST_TEST(f.amount == 1000);
  BOOST_TEST(f.remaining == 250);
  BOOST_TEST(f.item_barcode == "326547658598");
}

BOOST_AUTO_TEST_CASE(maps_manual_blocks_and_recognises_the_gateway_marker) {
  const Json blocks = fixture("manualblocks.json")["manualblocks"];
  const ils::Block staff = folio::manual_block_from_json(blocks[0], "[sip2gw]");
  BOOST_TEST(!staff.created_by_gateway);
  BOOST_TEST(staff.borrowing);
  BOOST_TEST(!staff.renewals);
  BOOST_TEST(staff.message == "Please contact the circulation desk");
  const ils::Block ours = folio::manual_block_from_json(blocks[1], "[sip2gw]");
  BOOST_TEST(ours.created_by_gateway);
  BOOST_TEST(ours.id == "a1b1c1d1-1111-4222-8333-944455556666");
  BOOST_TEST(ours.message == "Card retained by kiosk");
  BOOST_TEST((ours.expires_at == at(2099, 1, 1)));
}

BOOST_AUTO_TEST_CASE(maps_automated_blocks) {
  const Json json = fixture("automated-patron-blocks.json")["automatedPatronBlocks"][0];
  const ils::Block b = folio::automated_block_from_json(json);
  BOOST_TEST((b.source == ils::BlockSource::automated));
  BOOST_TEST(!b.borrowing);
  BOOST_TEST(b.renewals);
  BOOST_TEST(b.message == "Maximum number of overdue items has been reached");
}

BOOST_AUTO_TEST_CASE(maps_an_inventory_item) {
  const ils::Item i = folio::item_from_json(fixture("item.json"));
  BOOST_TEST(i.barcode == "10101");
  BOOST_TEST((i.status == ils::ItemStatus::on_hold_shelf));
  BOOST_TEST(i.status_name == "Awaiting pickup");
  BOOST_TEST(i.call_number == "PR6066.R34 I58 1994");
  BOOST_TEST(i.permanent_location == "Main Library");
  BOOST_TEST(i.current_location == "Annex");
  BOOST_TEST(i.material_type == "book");
  BOOST_TEST(i.holdings_record_id == "e3ff6133-b9a2-4d4c-a1c9-dc1867d4df19");
}

BOOST_AUTO_TEST_CASE(maps_item_statuses_as_edge_sip2_does) {
  using S = ils::ItemStatus;
  const std::vector<std::pair<std::string, S>> table = {
      {"Available", S::available},
      {"Awaiting pickup", S::on_hold_shelf},
      {"In transit", S::in_transit},
      {"Awaiting delivery", S::in_transit},
      {"Checked out", S::charged},
      {"Paged", S::recalled},
      {"On order", S::on_order},
      {"In process", S::in_process},
      {"Claimed returned", S::claimed_returned},
      {"Declared lost", S::lost},
      {"Aged to lost", S::lost},
      {"Lost and paid", S::lost},
      {"Long missing", S::missing},
      {"Withdrawn", S::other},
      {"", S::other},
  };
  for (const auto& [name, status] : table)
    BOOST_TEST((folio::map_item_status(name) == status), name);
}

BOOST_AUTO_TEST_CASE(joins_every_error_message_of_a_422) {
  const std::string body = fixture("check-out-422.json").dump();
  BOOST_TEST(folio::error_message(body) ==
             "Item is already checked out; Patron has reached maximum limit of 5 items for loan "
             "type");
  BOOST_TEST(folio::error_message(fixture("pay-422.json").dump()) ==
             "Requested amount exceeds remaining amount");
  BOOST_TEST(folio::error_message("User not found\n") == "User not found");
  BOOST_TEST(folio::error_message("<html><body>Bad gateway</body></html>").empty());
  BOOST_TEST(folio::error_message("{broken").empty());
}

BOOST_AUTO_TEST_CASE(recognises_the_refusals_a_replay_must_read_back) {
  using ils::Reason;
  const auto reason = [](const Json& errors) {
    return folio::refusal_reason(Json{{"errors", errors}}.dump());
  };
  // The fixture (a 422 of check-out-by-barcode) holds the already-checked-out refusal.
  BOOST_TEST(
      (folio::refusal_reason(fixture("check-out-422.json").dump()) == Reason::already_checked_out));
  BOOST_TEST(
      (reason({{{"message", "Item is already checked out"}}}) == Reason::already_checked_out));
  BOOST_TEST((reason({{{"message",
                        "A (book) (Barcode: 1) has the item status Checked out and "
                        "cannot be checked out"}}}) == Reason::already_checked_out));
  BOOST_TEST((reason({{{"message", "x"}, {"code", "ITEM_HAS_OPEN_LOAN"}}}) ==
              Reason::already_checked_out));
  BOOST_TEST((reason({{{"message", "This requester already has an open request for this item"},
                       {"code", "ITEM_ALREADY_REQUESTED"}}}) == Reason::already_requested));
  BOOST_TEST((reason({{{"message", "x"}, {"code", "INSTANCE_ALREADY_REQUESTED"}}}) ==
              Reason::already_requested));
  // A refusal listed with others is still found; anything else is unspecified.
  BOOST_TEST(
      (reason({{{"message", "Patron blocked from borrowing"}, {"code", "USER_IS_BLOCKED_MANUALLY"}},
               {{"message", "Item is already checked out"}}}) == Reason::already_checked_out));
  BOOST_TEST((reason({{{"message", "Item is not loanable"}, {"code", "ITEM_NOT_LOANABLE"}}}) ==
              Reason::unspecified));
  BOOST_TEST((reason({{{"message", "A has the item status Missing and cannot be checked out"}}}) ==
              Reason::unspecified));
  BOOST_TEST((folio::refusal_reason(fixture("pay-422.json").dump()) == Reason::unspecified));
  BOOST_TEST((folio::refusal_reason("Item is already checked out") == Reason::unspecified));
  BOOST_TEST((folio::refusal_reason("{broken") == Reason::unspecified));
}

BOOST_AUTO_TEST_CASE(parses_folio_timestamps) {
  BOOST_TEST((folio::parse_timestamp("2024-05-01") == at(2024, 5, 1)));
  BOOST_TEST((folio::parse_timestamp("2024-05-01T12:00:00Z") == at(2024, 5, 1, 12)));
  BOOST_TEST((folio::parse_timestamp("2024-05-01T12:00:00.123+00:00") == at(2024, 5, 1, 12)));
  BOOST_TEST((folio::parse_timestamp("2024-05-01T12:00:00.000+0200") == at(2024, 5, 1, 10)));
  BOOST_TEST((folio::parse_timestamp("2024-05-01T07:00:00-05:00") == at(2024, 5, 1, 12)));
  BOOST_TEST(!folio::parse_timestamp("2024-13-01").has_value());
  BOOST_TEST(!folio::parse_timestamp("2024-05-01T25:00:00Z").has_value());
  BOOST_TEST(!folio::parse_timestamp("yesterday").has_value());
  BOOST_TEST(!folio::parse_timestamp("").has_value());
  BOOST_TEST(folio::format_timestamp(at(2024, 5, 1, 9, 5, 7)) == "2024-05-01T09:05:07.000Z");
}

BOOST_AUTO_TEST_CASE(converts_money_to_and_from_cents) {
  BOOST_TEST(folio::to_cents(Json(2.5)).value_or(-1) == 250);
  BOOST_TEST(folio::to_cents(Json(0.29)).value_or(-1) == 29);
  BOOST_TEST(folio::to_cents(Json("5.00")).value_or(-1) == 500);
  BOOST_TEST(folio::to_cents(Json(7)).value_or(-1) == 700);
  BOOST_TEST(!folio::to_cents(Json("5 EUR")).has_value());
  BOOST_TEST(!folio::to_cents(Json("")).has_value());
  BOOST_TEST(!folio::to_cents(Json(nullptr)).has_value());
  BOOST_TEST(folio::format_amount(150) == "1.50");
  BOOST_TEST(folio::format_amount(12345) == "123.45");
  BOOST_TEST(folio::format_amount(-50) == "-0.50");
}

BOOST_AUTO_TEST_CASE(tolerates_records_of_the_wrong_shape) {
  const Json odd = Json::parse(R"({"id": 5, "active": "yes", "personal": [1, 2],
      "expirationDate": "soon", "item": "x", "renewalCount": "two"})");
  const ils::Patron p = folio::patron_from_json(odd);
  BOOST_TEST(p.id.empty());
  BOOST_TEST(!p.active);
  BOOST_TEST(!p.expires_at.has_value());
  BOOST_TEST(p.display_name.empty());
  const ils::Loan l = folio::loan_from_json(odd, at(2024, 1, 1));
  BOOST_TEST(l.renewal_count == 0);
  BOOST_TEST(l.item_barcode.empty());
  BOOST_TEST(folio::item_from_json(Json::array()).id.empty());
  BOOST_TEST(folio::fee_from_json(Json("text")).amount == 0);
}
