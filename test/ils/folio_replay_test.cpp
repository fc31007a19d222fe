// What the outbox's delivery needs from the FOLIO backend, end to end against the ILS emulator:
// the kiosk's loan and return dates and due date sent, block overrides for a no-block replay,
// the read-back fields of items and loans, refusals a replay recognises, payments found by their
// transaction id, and answers lost after the change was applied.
#define BOOST_TEST_MODULE ils_folio_replay
#include <boost/test/unit_test.hpp>

#include "emulated_folio.hpp"
#include "ils/folio/folio_json.hpp"

using namespace std::chrono_literals;

namespace {

using emulated::Emulated;
using emulated::jack_barcode;
using emulated::reader_barcode;
using nlohmann::json;

constexpr const char* free_book = "326547658598";
constexpr const char* other_book = "10101";

ils::Timestamp now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

/// A ledger entry's time field.
ils::Timestamp time_of(const json& entry, const char* key) {
  const auto t = ils::folio::parse_timestamp(entry.value(key, ""));
  BOOST_TEST_REQUIRE(t.has_value(), key << " is not a time: " << entry.dump());
  return *t;
}

/// The ledger entries of `action`.
std::vector<json> entries(Emulated& e, const std::string& action) {
  std::vector<json> out;
  for (const auto& entry : e.state("ledger"))
    if (entry["action"] == action) out.push_back(entry);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(sends_the_kiosks_loan_date_and_sets_the_due_date_it_decided) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  ils::CheckoutRequest request{jack, free_book, ""};
  request.loan_date = now() - 2h;
  request.due_date = now() + 10 * 24h;
  auto loan = e.backend->checkout(e.ctx(), request);
  BOOST_TEST_REQUIRE(loan.has_value(), loan.error().message);
  BOOST_TEST((loan->loan_date == request.loan_date));
  BOOST_TEST((loan->due_date == request.due_date));
  BOOST_TEST(e.count("circulation.change-due-date") == 1);

  const auto checkouts = entries(e, "checkout");
  BOOST_TEST_REQUIRE(checkouts.size() == 1U);
  BOOST_TEST((time_of(checkouts[0], "at") == *request.loan_date));
  BOOST_TEST(checkouts[0]["user_id"] == jack.id);
  const auto changes = entries(e, "change_due_date");
  BOOST_TEST_REQUIRE(changes.size() == 1U);
  BOOST_TEST((time_of(changes[0], "due_date") == *request.due_date));

  // The read-back a replay makes: the item's open loan, its date and its renewals.
  auto item = e.backend->item(e.ctx(), free_book);
  BOOST_TEST_REQUIRE(item.has_value(), item.error().message);
  BOOST_TEST(item->borrower_id == jack.id);
  BOOST_TEST((item->loan_date == request.loan_date));
  BOOST_TEST((item->due_date == request.due_date));
  BOOST_TEST(item->renewal_count == 0U);
}

BOOST_AUTO_TEST_CASE(a_no_block_replay_overrides_the_patrons_blocks) {
  Emulated e;
  const ils::PatronRef reader = e.patron(reader_barcode).ref();
  e.control("patrons/block", R"({"barcode":"800000000002","desc":"Card reported stolen"})");
  auto refused = e.backend->checkout(e.ctx(), {reader, other_book, ""});
  BOOST_TEST_REQUIRE(!refused.has_value());
  BOOST_TEST((refused.error().code == ils::errc::rejected));
  BOOST_TEST((refused.error().reason == ils::Reason::unspecified));

  ils::CheckoutRequest replay{reader, other_book, ""};
  replay.override_blocks = true;
  replay.override_comment = "offline transaction 2025-03-14 09:41";
  auto loan = e.backend->checkout(e.ctx(), replay);
  BOOST_TEST_REQUIRE(loan.has_value(), loan.error().message);
  const auto checkouts = entries(e, "checkout");
  BOOST_TEST_REQUIRE(checkouts.size() == 1U);
  BOOST_TEST(checkouts[0]["overridden"] == json::array({"patronBlock"}));
  BOOST_TEST(checkouts[0]["override_comment"] == replay.override_comment);
  BOOST_TEST(e.count("circulation.change-due-date") == 0);
}

BOOST_AUTO_TEST_CASE(items_and_loans_carry_the_renewal_count_of_the_open_loan) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  auto twice = e.backend->item(e.ctx(), "453987605438");
  BOOST_TEST_REQUIRE(twice.has_value(), twice.error().message);
  BOOST_TEST(twice->renewal_count == 2U);
  BOOST_TEST(twice->loan_date.has_value());
  auto before = e.backend->item(e.ctx(), "4539876054383");
  BOOST_TEST_REQUIRE(before.has_value(), before.error().message);
  BOOST_TEST(before->renewal_count == 0U);

  auto renewed = e.backend->renew(e.ctx(), {jack, "4539876054383", ""});
  BOOST_TEST_REQUIRE(renewed.has_value(), renewed.error().message);
  BOOST_TEST(renewed->renewal_count == 1U);
  auto after = e.backend->item(e.ctx(), "4539876054383");
  BOOST_TEST(after->renewal_count == 1U);
  BOOST_TEST((after->due_date == renewed->due_date));
  BOOST_TEST((after->due_date > before->due_date));
}

BOOST_AUTO_TEST_CASE(a_repeated_checkout_or_hold_is_refused_with_a_reason_a_replay_recognises) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  const ils::PatronRef reader = e.patron(reader_barcode).ref();
  BOOST_TEST_REQUIRE(e.backend->checkout(e.ctx(), {jack, free_book, ""}).has_value());
  for (const ils::PatronRef& who : {jack, reader}) {
    auto again = e.backend->checkout(e.ctx(), {who, free_book, ""});
    BOOST_TEST_REQUIRE(!again.has_value());
    BOOST_TEST((again.error().code == ils::errc::rejected));
    BOOST_TEST((again.error().reason == ils::Reason::already_checked_out));
  }
  BOOST_TEST_REQUIRE(
      e.backend->place_hold(e.ctx(), {reader, "4539876054383", "", std::nullopt}).has_value());
  auto twice = e.backend->place_hold(e.ctx(), {reader, "4539876054383", "", std::nullopt});
  BOOST_TEST_REQUIRE(!twice.has_value());
  BOOST_TEST((twice.error().code == ils::errc::rejected));
  BOOST_TEST((twice.error().reason == ils::Reason::already_requested));
  BOOST_TEST(entries(e, "hold").size() == 1U);
}

BOOST_AUTO_TEST_CASE(finds_a_payment_by_its_transaction_id) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  const ils::PatronRef reader = e.patron(reader_barcode).ref();
  auto none = e.backend->find_payment(e.ctx(), jack, "job-1");
  BOOST_TEST_REQUIRE(none.has_value(), none.error().message);
  BOOST_TEST(!none->has_value());

  BOOST_TEST_REQUIRE(
      e.backend->pay_fee(e.ctx(), {jack, "8bd34ff2", 100, "", "job-1", "kiosk", ""}).has_value());
  auto one = e.backend->find_payment(e.ctx(), jack, "job-1");
  BOOST_TEST_REQUIRE(one.has_value(), one.error().message);
  BOOST_TEST_REQUIRE(one->has_value());
  BOOST_TEST((*one)->paid == 100);
  BOOST_TEST((*one)->remaining == 150);
  BOOST_TEST_REQUIRE((*one)->fees.size() == 1U);
  BOOST_TEST((*one)->fees[0].fee_id == "8bd34ff2-f9f2-43b6-9bc8-6a8ac4e6e1f3");

  BOOST_TEST_REQUIRE(
      e.backend->pay_fee(e.ctx(), {jack, "", 550, "", "job-3", "kiosk", ""}).has_value());
  auto bulk = e.backend->find_payment(e.ctx(), jack, "job-3");
  BOOST_TEST_REQUIRE((bulk.has_value() && bulk->has_value()));
  BOOST_TEST((*bulk)->paid == 550);
  BOOST_TEST((*bulk)->remaining == 0);
  BOOST_TEST((*bulk)->fees.size() == 2U);

  // Another patron's, a CQL-special and an empty transaction id find nothing.
  BOOST_TEST(!e.backend->find_payment(e.ctx(), reader, "job-1").value().has_value());
  auto special = e.backend->find_payment(e.ctx(), jack, R"(job-1" or transactionInformation=*)");
  BOOST_TEST_REQUIRE(special.has_value(), special.error().message);
  BOOST_TEST(!special->has_value());
  auto empty = e.backend->find_payment(e.ctx(), jack, "");
  BOOST_TEST_REQUIRE(!empty.has_value());
  BOOST_TEST((empty.error().code == ils::errc::invalid_identifier));

  const auto payments = entries(e, "pay");
  BOOST_TEST_REQUIRE(payments.size() == 3U);
  BOOST_TEST(payments[0]["transaction_information"] == "job-1");
  BOOST_TEST(payments[2]["transaction_information"] == "job-3");
}

BOOST_AUTO_TEST_CASE(checkin_sends_the_kiosks_return_date) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  BOOST_TEST_REQUIRE(e.backend->checkout(e.ctx(), {jack, free_book, ""}).has_value());
  const ils::Timestamp returned = now() - 90min;
  auto result = e.backend->checkin(e.ctx(), {free_book, returned, "", ""});
  BOOST_TEST_REQUIRE(result.has_value(), result.error().message);
  BOOST_TEST(result->had_loan);
  const auto checkins = entries(e, "checkin");
  BOOST_TEST_REQUIRE(checkins.size() == 1U);
  BOOST_TEST((time_of(checkins[0], "at") == returned));
  BOOST_TEST(checkins[0]["user_id"] == jack.id);
}

BOOST_AUTO_TEST_CASE(a_change_whose_answer_is_lost_was_still_applied) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  e.control("lose-answer", R"({"prefix":"/circulation/check-out-by-barcode","hold_ms":60000})");
  auto lost = e.backend->checkout(e.ctx(1500ms), {jack, free_book, ""});
  BOOST_TEST_REQUIRE(!lost.has_value());
  BOOST_TEST((lost.error().code == ils::errc::timeout));
  auto item = e.backend->item(e.ctx(), free_book);
  BOOST_TEST_REQUIRE(item.has_value(), item.error().message);
  BOOST_TEST(item->borrower_id == jack.id);
  auto retry = e.backend->checkout(e.ctx(), {jack, free_book, ""});
  BOOST_TEST_REQUIRE(!retry.has_value());
  BOOST_TEST((retry.error().reason == ils::Reason::already_checked_out));

  // A renewal answered 502 after it was applied: the read-back shows one renewal more.
  e.control("lose-answer", R"({"prefix":"/circulation/renew-by-barcode","mode":"502"})");
  auto renewed = e.backend->renew(e.ctx(), {jack, "4539876054383", ""});
  BOOST_TEST_REQUIRE(!renewed.has_value());
  BOOST_TEST((renewed.error().code == ils::errc::unavailable));
  BOOST_TEST(e.backend->item(e.ctx(), "4539876054383")->renewal_count == 1U);
  // A connection closed after the check-in was applied, without a byte of the answer.
  e.control("lose-answer", R"({"prefix":"/circulation/check-in-by-barcode","hold_ms":0})");
  auto returned = e.backend->checkin(e.ctx(), {free_book, now(), "", ""});
  BOOST_TEST_REQUIRE(!returned.has_value());
  BOOST_TEST((returned.error().code == ils::errc::unavailable));
  BOOST_TEST(e.backend->item(e.ctx(), free_book)->borrower_id.empty());

  BOOST_TEST(entries(e, "checkout").size() == 1U);
  BOOST_TEST(entries(e, "renew").size() == 1U);
  BOOST_TEST(entries(e, "checkin").size() == 1U);
  BOOST_TEST(e.state("stats")["lost_answers"] == 3);
}

BOOST_AUTO_TEST_CASE(a_payment_whose_connection_closes_unanswered_is_not_sent_again) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  // The connection used for the lookup is reused for the payment; FOLIO applies the payment and
  // the connection closes with no answer. Sending it again would pay twice.
  e.control("lose-answer", R"({"prefix":"/accounts/","hold_ms":0})");
  auto paid = e.backend->pay_fee(e.ctx(), {jack, "8bd34ff2", 100, "", "job-9", "kiosk", ""});
  const auto payments = entries(e, "pay");
  BOOST_TEST(payments.size() == 1U, "payments applied: " << payments.size());
  BOOST_TEST_REQUIRE(!paid.has_value());
  BOOST_TEST((paid.error().code == ils::errc::unavailable));
  auto found = e.backend->find_payment(e.ctx(), jack, "job-9");
  BOOST_TEST_REQUIRE((found.has_value() && found->has_value()));
  BOOST_TEST((*found)->paid == 100);
}
