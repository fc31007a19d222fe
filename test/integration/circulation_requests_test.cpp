// The real gateway against the emulator: circulation and item requests (11 09 17 19 29 65 15 37).
#define BOOST_TEST_MODULE integration_circulation_requests
#include <boost/test/unit_test.hpp>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

/// A stack with kiosk1 logged in.
struct LoggedIn : GatewayStack {
  SipClient kiosk = login();
  explicit LoggedIn(StackOptions o = {}) : GatewayStack(std::move(o)) {}

  /// Ledger actions since start, in order.
  std::vector<std::string> ledger_actions() {
    std::vector<std::string> out;
    for (const auto& e : emulator_state("ledger"))
      out.push_back(e.value("action", "") + " " + e.value("item_barcode", ""));
    return out;
  }
};

/// FOLIO needs a cancellation reason to cancel a request; without one in the config the gateway
/// does not offer hold cancel (15 with mode '-').
struct NoCancellationReason : LoggedIn {
  NoCancellationReason()
      : LoggedIn({[](nlohmann::json& c) { c["backend"]["folio"].erase("cancellation_reason_id"); },
                  true}) {}
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(checkout_lends_an_available_item, LoggedIn) {
  auto a =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(a, "ok") == "1", screen(a));
  BOOST_TEST(fixed(a, "desensitize") == "Y");
  BOOST_TEST(field(a, "AB") == std::string(req::kAvailableBook));
  BOOST_TEST(field(a, "AJ") == "The Hidden Orchard");
  BOOST_TEST(!field(a, "AH").empty());  // due date
  BOOST_TEST((ledger_actions() == std::vector<std::string>{"checkout 31234000000016"}));
}

BOOST_FIXTURE_TEST_CASE(checkout_refuses_blocked_patron_and_item_already_out, LoggedIn) {
  auto blocked =
      answer(kiosk.exchange(req::checkout(req::kBoris, req::kAvailableBook, "2222")), "12");
  BOOST_TEST(fixed(blocked, "ok") == "0");
  BOOST_TEST(!screen(blocked).empty());

  auto taken = answer(kiosk.exchange(req::checkout(req::kAda, req::kHeldItem, req::kAdaPin)), "12");
  BOOST_TEST(fixed(taken, "ok") == "0");
  BOOST_TEST(fixed(taken, "desensitize") == "N");
  BOOST_TEST(!screen(taken).empty());
  BOOST_TEST(ledger_actions().empty());
}

BOOST_FIXTURE_TEST_CASE(checkin_returns_item_alerts_on_hold_and_refuses_unknown_item, LoggedIn) {
  auto ok = answer(kiosk.exchange(req::checkin(req::kAdasLoan)), "10");
  BOOST_TEST(fixed(ok, "ok") == "1", screen(ok));
  BOOST_TEST(fixed(ok, "alert") == "N");
  BOOST_TEST(field(ok, "AB") == std::string(req::kAdasLoan));

  auto held = answer(kiosk.exchange(req::checkin(req::kHeldItem)), "10");
  BOOST_TEST(fixed(held, "ok") == "1", screen(held));
  BOOST_TEST(fixed(held, "alert") == "Y");
  const std::string cv = field(held, "CV");
  BOOST_TEST((cv == "01" || cv == "02"), "CV is '" << cv << "'");
  BOOST_TEST(fixed(held, "resensitize") == "N");

  auto unknown = answer(kiosk.exchange(req::checkin(req::kUnknownItem)), "10");
  BOOST_TEST(fixed(unknown, "ok") == "0");
  BOOST_TEST(!screen(unknown).empty());
}

BOOST_FIXTURE_TEST_CASE(item_information_describes_item, LoggedIn) {
  auto a = answer(kiosk.exchange(req::item_information(req::kAvailableBook)), "18");
  BOOST_TEST(fixed(a, "circulation_status") == "03");  // available
  BOOST_TEST(field(a, "AJ") == "The Hidden Orchard");
  BOOST_TEST(field(a, "AB") == std::string(req::kAvailableBook));

  auto out = answer(kiosk.exchange(req::item_information(req::kAdasLoan)), "18");
  BOOST_TEST(fixed(out, "circulation_status") == "04");  // charged
  BOOST_TEST(!field(out, "AH").empty());

  auto unknown = answer(kiosk.exchange(req::item_information(req::kUnknownItem)), "18");
  BOOST_TEST(fixed(unknown, "circulation_status") == "01");  // other
  BOOST_TEST(!screen(unknown).empty());
}

BOOST_FIXTURE_TEST_CASE(item_status_update_is_refused_as_not_supported, LoggedIn) {
  auto a = answer(kiosk.exchange(req::item_status_update(req::kAvailableBook)), "20");
  BOOST_TEST(fixed(a, "item_properties_ok") == "0");
  BOOST_TEST(!screen(a).empty());
}

BOOST_FIXTURE_TEST_CASE(renew_extends_loan_and_refuses_at_renewal_limit, LoggedIn) {
  auto ok = answer(kiosk.exchange(req::renew(req::kAda, req::kAdasLoan, req::kAdaPin)), "30");
  BOOST_TEST(fixed(ok, "ok") == "1", screen(ok));
  BOOST_TEST(fixed(ok, "renewal_ok") == "Y");
  BOOST_TEST(!field(ok, "AH").empty());

  auto refused = answer(kiosk.exchange(req::renew(req::kIvo, req::kIvosLoan, "9999")), "30");
  BOOST_TEST(fixed(refused, "ok") == "0");
  BOOST_TEST(!screen(refused).empty());
  BOOST_TEST((ledger_actions() == std::vector<std::string>{"renew 31234000000131"}));
}

BOOST_FIXTURE_TEST_CASE(renew_all_renews_the_patrons_loans, LoggedIn) {
  auto a = answer(kiosk.exchange(req::renew_all(req::kAda, req::kAdaPin)), "66");
  BOOST_TEST(fixed(a, "ok") == "1", screen(a));
  BOOST_TEST(fixed(a, "renewed_count") == "0001");
  BOOST_TEST(fixed(a, "unrenewed_count") == "0000");
  BOOST_TEST(field(a, "BM") == std::string(req::kAdasLoan));
}

BOOST_FIXTURE_TEST_CASE(hold_cancel_is_refused_without_cancellation_reason, NoCancellationReason) {
  auto placed =
      answer(kiosk.exchange(req::hold('+', req::kAda, req::kHeldItem, req::kAdaPin)), "16");
  BOOST_TEST(fixed(placed, "ok") == "1", screen(placed));
  auto refused =
      answer(kiosk.exchange(req::hold('-', req::kAda, req::kHeldItem, req::kAdaPin)), "16");
  BOOST_TEST(fixed(refused, "ok") == "0");
  BOOST_TEST(!screen(refused).empty());
  BOOST_TEST((ledger_actions() == std::vector<std::string>{"hold 31234000000040"}));
}

BOOST_FIXTURE_TEST_CASE(hold_is_placed_and_cancelled, LoggedIn) {
  auto placed =
      answer(kiosk.exchange(req::hold('+', req::kAda, req::kHeldItem, req::kAdaPin)), "16");
  BOOST_TEST(fixed(placed, "ok") == "1", screen(placed));
  BOOST_TEST(fixed(placed, "available") == "N");
  auto cancelled =
      answer(kiosk.exchange(req::hold('-', req::kAda, req::kHeldItem, req::kAdaPin)), "16");
  BOOST_TEST(fixed(cancelled, "ok") == "1", screen(cancelled));
  BOOST_TEST((ledger_actions() ==
              std::vector<std::string>{"hold 31234000000040", "cancel_hold 31234000000040"}));
}

BOOST_FIXTURE_TEST_CASE(fee_paid_accepts_payment_and_refuses_overpayment, LoggedIn) {
  auto paid = answer(kiosk.exchange(req::fee_paid(req::kFarah, req::kFarahPin, "2.50")), "38");
  BOOST_TEST(fixed(paid, "payment_accepted") == "Y", screen(paid));
  auto over = answer(kiosk.exchange(req::fee_paid(req::kFarah, req::kFarahPin, "100.00")), "38");
  BOOST_TEST(fixed(over, "payment_accepted") == "N");
  BOOST_TEST(!screen(over).empty());
  const auto ledger = emulator_state("ledger");
  int payments = 0;
  for (const auto& e : ledger)
    payments += e.value("action", "") == "pay" ? 1 : 0;
  BOOST_TEST(payments >= 1);
}

}  // namespace integration
