// Every reason a library-system call can fail shows the kiosk its own screen message.
#include <boost/test/unit_test.hpp>

#include <functional>
#include <map>
#include <set>

#include "handlers/support.hpp"
#include "kiosk.hpp"

using fake::Kiosk;
using fake::Op;
using fake::screen_of;

namespace {

/// Every ils::errc, read from the category so that a new code is walked too.
std::vector<ils::errc> every_errc() {
  std::vector<ils::errc> all;
  for (int v = 1; ils::category().message(v) != "unknown ils error"; ++v)
    all.push_back(static_cast<ils::errc>(v));
  return all;
}

struct Scenario {
  std::string name;
  Op op;  ///< the call that fails
  std::function<sip2::AnyMessage()> request;
};

template <class Q>
Q patron_request() {
  Q q;
  q.institution_id = "MAIN";
  q.patron_identifier = fake::patron_barcode;
  if constexpr (requires { q.patron_password; }) q.patron_password = fake::patron_pin;
  return q;
}

std::vector<Scenario> scenarios() {
  std::vector<Scenario> all;
  all.push_back({"patron status: lookup", Op::lookup_patron,
                 [] { return patron_request<sip2::PatronStatusRequest>(); }});
  all.push_back({"patron information: account", Op::patron_account,
                 [] { return patron_request<sip2::PatronInformationRequest>(); }});
  all.push_back({"checkout", Op::checkout, [] {
                   auto q = patron_request<sip2::CheckoutRequest>();
                   q.item_identifier = fake::book_barcode;
                   return q;
                 }});
  all.push_back({"checkin", Op::checkin, [] {
                   sip2::CheckinRequest q;
                   q.item_identifier = fake::book_barcode;
                   return q;
                 }});
  all.push_back({"renew", Op::renew, [] {
                   auto q = patron_request<sip2::RenewRequest>();
                   q.item_identifier = fake::book_barcode;
                   return q;
                 }});
  all.push_back(
      {"renew all", Op::renew_all, [] { return patron_request<sip2::RenewAllRequest>(); }});
  all.push_back({"item information", Op::item, [] {
                   sip2::ItemInformationRequest q;
                   q.item_identifier = fake::book_barcode;
                   return q;
                 }});
  all.push_back({"hold +", Op::place_hold, [] {
                   auto q = patron_request<sip2::HoldRequest>();
                   q.item_identifier = fake::book_barcode;
                   return q;
                 }});
  all.push_back({"hold -", Op::cancel_hold, [] {
                   auto q = patron_request<sip2::HoldRequest>();
                   q.hold_mode = sip2::HoldMode::remove;
                   q.item_identifier = fake::book_barcode;
                   return q;
                 }});
  all.push_back({"fee paid, one fee", Op::pay_fee, [] {
                   auto q = patron_request<sip2::FeePaidRequest>();
                   q.fee_amount = "1.00";
                   q.fee_identifier = "fee-1";
                   return q;
                 }});
  all.push_back({"fee paid, all fees", Op::pay_fee, [] {
                   auto q = patron_request<sip2::FeePaidRequest>();
                   q.fee_amount = "1.00";
                   return q;
                 }});
  all.push_back({"block patron", Op::block_patron,
                 [] { return patron_request<sip2::BlockPatronRequest>(); }});
  all.push_back({"patron enable", Op::enable_patron,
                 [] { return patron_request<sip2::PatronEnableRequest>(); }});
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(refusal_reasons)

BOOST_AUTO_TEST_CASE(a_fee_payment_by_a_patron_who_owes_nothing_says_so) {
  Kiosk k;
  auto q = patron_request<sip2::FeePaidRequest>();
  q.fee_amount = "1.00";
  auto out = k.handle(q);
  const auto& a = std::get<sip2::FeePaidResponse>(out.response);
  BOOST_TEST(!a.payment_accepted);
  BOOST_TEST(out.result == "refused");
  BOOST_TEST(screen_of(a) == k.catalogue.text("fee.none_owed"));
  BOOST_TEST(screen_of(a) != k.catalogue.text("patron.unknown"));
}

BOOST_AUTO_TEST_CASE(every_failure_of_every_request_has_its_own_catalogue_message) {
  for (const auto& sc : scenarios()) {
    std::map<std::string, ils::errc> seen;
    for (const auto e : every_errc()) {
      Kiosk k;
      k.backend.script(sc.op, fake::Outcome::fail(e, "the library says no"));
      const std::string screen = screen_of(k.handle(sc.request()).response);
      const std::string what = sc.name + " / " + ils::make_error_code(e).message();
      // A key missing from the catalogue comes back as the key itself ("fee.none_owed").
      BOOST_TEST(!handlers::Catalogue::builtin().contains(screen), what << ": " << screen);
      const bool fresh = seen.emplace(screen, e).second;
      BOOST_TEST(fresh, what << " shows the same message as "
                             << ils::make_error_code(seen[screen]).message() << ": " << screen);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_action_maps_every_errc_to_a_distinct_builtin_key) {
  using A = handlers::detail::Action;
  for (int v = static_cast<int>(A::find_patron); v <= static_cast<int>(A::update_item); ++v) {
    std::set<std::string_view> keys;
    for (const auto e : every_errc()) {
      const auto key = handlers::detail::failure_key(static_cast<A>(v), e);
      BOOST_TEST(handlers::Catalogue::builtin().contains(key), "action " << v << ": " << key);
      BOOST_TEST(keys.insert(key).second, "action " << v << ": " << key << " used twice");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
