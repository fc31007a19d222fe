// The real gateway against the emulator: login, status and the patron requests (23 63 35 01 25).
#define BOOST_TEST_MODULE integration_patron_requests
#include <boost/test/unit_test.hpp>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"
#include "sip2/values.hpp"

namespace integration {
namespace {

/// A stack with kiosk1 logged in.
struct LoggedIn : GatewayStack {
  SipClient kiosk = login();
};

char supported(const sip2::Message& m, sip2::Supported s) {
  const std::string bx = field(m, "BX");
  const auto i = static_cast<std::size_t>(s);
  return i < bx.size() ? bx[i] : '?';
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(login_accepts_right_password_and_refuses_wrong_one, GatewayStack) {
  auto kiosk = connect();
  auto refused = answer(kiosk.exchange(req::login("kiosk1", "not-the-password")), "94");
  BOOST_TEST(fixed(refused, "ok") == "0");
  auto unknown = answer(kiosk.exchange(req::login("nobody", req::kTerminalPassword)), "94");
  BOOST_TEST(fixed(unknown, "ok") == "0");
  auto ok = answer(kiosk.exchange(req::login("kiosk1", req::kTerminalPassword)), "94");
  BOOST_TEST(fixed(ok, "ok") == "1");
}

BOOST_FIXTURE_TEST_CASE(status_reports_what_each_terminal_policy_allows, GatewayStack) {
  auto kiosk = login("kiosk1");
  auto k = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(k, "online_status") == "Y");
  BOOST_TEST(fixed(k, "checkout_ok") == "Y");
  BOOST_TEST(fixed(k, "checkin_ok") == "Y");
  BOOST_TEST(field(k, "AO") == "MAIN");
  BOOST_TEST(field(k, "AM") == "sip2gw demo library");
  BOOST_TEST(supported(k, sip2::Supported::checkout) == 'Y');
  BOOST_TEST(supported(k, sip2::Supported::renew) == 'Y');
  BOOST_TEST(supported(k, sip2::Supported::hold) == 'Y');

  auto sorter = login("sorter1");
  auto s = answer(sorter.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(s, "checkout_ok") == "N");
  BOOST_TEST(fixed(s, "checkin_ok") == "Y");
  BOOST_TEST(fixed(s, "acs_renewal_policy") == "N");
  BOOST_TEST(supported(s, sip2::Supported::checkout) == 'N');
  BOOST_TEST(supported(s, sip2::Supported::checkin) == 'Y');
  BOOST_TEST(supported(s, sip2::Supported::fee_paid) == 'N');
  BOOST_TEST(supported(s, sip2::Supported::hold) == 'N');

  // The sorter is held to what its 98 says.
  auto lent =
      answer(sorter.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(lent, "ok") == "0");
  BOOST_TEST(!screen(lent).empty());
  auto returned = answer(sorter.exchange(req::checkin(req::kAdasLoan)), "10");
  BOOST_TEST(fixed(returned, "ok") == "1", screen(returned));
  std::vector<std::string> actions;
  for (const auto& e : emulator_state("ledger"))
    actions.push_back(e.value("action", ""));
  BOOST_TEST((actions == std::vector<std::string>{"checkin"}));
}

BOOST_FIXTURE_TEST_CASE(patron_status_validates_patron_and_pin, LoggedIn) {
  auto ok = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(ok, "BL") == "Y");
  BOOST_TEST(field(ok, "CQ") == "Y");
  BOOST_TEST(field(ok, "AA") == std::string(req::kAda));
  BOOST_TEST(field(ok, "AE").find("Ada") != std::string::npos);

  auto wrong_pin = answer(kiosk.exchange(req::patron_status(req::kAda, "9876")), "24");
  BOOST_TEST(field(wrong_pin, "BL") == "Y");
  BOOST_TEST(field(wrong_pin, "CQ") == "N");
  BOOST_TEST(!screen(wrong_pin).empty());

  auto unknown = answer(kiosk.exchange(req::patron_status(req::kUnknownPatron, "1111")), "24");
  BOOST_TEST(field(unknown, "BL") == "N");
  BOOST_TEST(!screen(unknown).empty());
}

BOOST_FIXTURE_TEST_CASE(patron_information_lists_charged_items, LoggedIn) {
  auto a =
      answer(kiosk.exchange(req::patron_information(req::kAda, req::kAdaPin, "  Y       ")), "64");
  BOOST_TEST(field(a, "BL") == "Y");
  BOOST_TEST(field(a, "CQ") == "Y");
  BOOST_TEST(fixed(a, "charged_items_count") == "0001");
  const auto charged = a.find_all(sip2::FieldCode("AU"));
  BOOST_REQUIRE_EQUAL(charged.size(), 1u);
  BOOST_TEST(charged[0] == req::kAdasLoan);
  BOOST_TEST(!has_field(a, "AT"));  // no other list was asked for
}

BOOST_FIXTURE_TEST_CASE(end_patron_session_says_goodbye, LoggedIn) {
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  auto a = answer(kiosk.exchange(req::end_session(req::kAda)), "36");
  BOOST_TEST(fixed(a, "end_session") == "Y");
  BOOST_TEST(field(a, "AA") == std::string(req::kAda));
}

BOOST_FIXTURE_TEST_CASE(block_patron_then_enable_patron_lift_the_block, LoggedIn) {
  auto blocked = answer(kiosk.exchange(req::block_patron(req::kAda)), "24");
  BOOST_TEST(field(blocked, "BL") == "Y");
  BOOST_TEST(fixed(blocked, "patron_status").at(0) == 'Y');  // charge privileges denied
  auto refused =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(refused, "ok") == "0");

  auto enabled = answer(kiosk.exchange(req::patron_enable(req::kAda, req::kAdaPin)), "26");
  BOOST_TEST(field(enabled, "BL") == "Y");
  BOOST_TEST(fixed(enabled, "patron_status").at(0) == ' ');
  auto lent =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(lent, "ok") == "1", screen(lent));

  const auto ledger = emulator_state("ledger");
  std::vector<std::string> actions;
  for (const auto& e : ledger)
    actions.push_back(e.value("action", ""));
  BOOST_TEST((actions == std::vector<std::string>{"block", "unblock", "checkout"}));
}

}  // namespace integration
