// Handlers with the identity cache in Services: 23 answered from the cached record, what a wrong
// PIN learns, 63 when the item lists cannot be read, and what the network thread may answer.
#include <boost/test/unit_test.hpp>

#include "../handlers/kiosk.hpp"
#include "identity_world.hpp"

namespace {

using namespace idtest;
using fake::Op;

/// A kiosk whose handlers validate patrons through a real identity cache.
struct CachedKiosk : fake::Kiosk {
  World world;
  CachedKiosk() {
    services.identity = world.validator.get();
    services.crypto = world.crypto();
    services.background = world.background();
    world.now = now;
  }
  /// The demo patron cached as read just now, blocked from borrowing and owing 12.50.
  void cache_patron() { world.put(fake::patron("p-1", barcode), demo_summary(), now); }
};

template <class Q>
Q request_for(std::optional<std::string> password = std::nullopt) {
  Q q;
  q.institution_id = institution;
  q.patron_identifier = barcode;
  if constexpr (requires { q.patron_password; }) q.patron_password = std::move(password);
  return q;
}

bool charge_denied(const sip2::PatronStatus& s) {
  return sip2::has(s, sip2::PatronFlag::charge_privileges_denied);
}

BOOST_AUTO_TEST_SUITE(cached_handlers)

BOOST_AUTO_TEST_CASE(patron_status_is_answered_from_the_cached_record) {
  CachedKiosk k;
  k.cache_patron();
  auto a = k.ask<sip2::PatronStatusResponse>(request_for<sip2::PatronStatusRequest>());
  BOOST_TEST((a.valid_patron == std::optional<bool>(true)));
  BOOST_TEST(a.personal_name == "Ada Reader");
  BOOST_TEST(a.fee_amount.value_or("") == "12.50");
  BOOST_TEST(charge_denied(a.patron_status));
  BOOST_TEST(!sip2::has(a.patron_status, sip2::PatronFlag::renewal_privileges_denied));
  BOOST_TEST(k.backend.calls().empty());  // neither the patron nor the account was read
}

BOOST_AUTO_TEST_CASE(a_wrong_pin_withholds_details_but_keeps_the_true_status_bits) {
  CachedKiosk k;
  k.cache_patron();
  auto a = k.ask<sip2::PatronStatusResponse>(request_for<sip2::PatronStatusRequest>("9999"));
  BOOST_TEST((a.valid_patron == std::optional<bool>(true)));
  BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
  BOOST_TEST(a.personal_name.empty());
  BOOST_TEST(!a.fee_amount.has_value());
  BOOST_TEST(a.screen_message == sip2::Lines{k.catalogue.text("patron.bad_password")});
  BOOST_TEST(charge_denied(a.patron_status));
  BOOST_TEST(k.backend.count(Op::verify_credential) == 1);
  BOOST_TEST(k.backend.count(Op::patron_account) == 0);
}

BOOST_AUTO_TEST_CASE(a_locked_patron_is_told_so_without_asking_the_library) {
  CachedKiosk k;
  k.cache_patron();
  for (int i = 0; i < 3; ++i)
    (void)k.ask<sip2::PatronStatusResponse>(request_for<sip2::PatronStatusRequest>("9999"));
  k.world.flush();
  auto a =
      k.ask<sip2::PatronStatusResponse>(request_for<sip2::PatronStatusRequest>(fake::patron_pin));
  BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
  BOOST_TEST(a.screen_message == sip2::Lines{k.catalogue.text("patron.locked")});
  BOOST_TEST(k.backend.count(Op::verify_credential) == 3);
}

BOOST_AUTO_TEST_CASE(patron_information_falls_back_to_cached_counts) {
  CachedKiosk k;
  k.cache_patron();
  k.backend.script(Op::patron_account, fake::Outcome::fail(ils::errc::unavailable));
  auto a = k.ask<sip2::PatronInformationResponse>(request_for<sip2::PatronInformationRequest>());
  BOOST_TEST((a.valid_patron == std::optional<bool>(true)));
  BOOST_TEST(a.hold_items_count.value_or(0) == 2);
  BOOST_TEST(a.overdue_items_count.value_or(0) == 1);
  BOOST_TEST(a.charged_items_count.value_or(0) == 3);
  BOOST_TEST(a.unavailable_holds_count.value_or(0) == 1);
  BOOST_TEST(a.fee_amount.value_or("") == "12.50");
  BOOST_TEST(charge_denied(a.patron_status));
  BOOST_REQUIRE(!a.screen_message.empty());
  BOOST_TEST(a.screen_message.back() == k.catalogue.text("patron.details_unavailable"));
  BOOST_TEST(k.backend.count(Op::patron_account) == 1);
}

BOOST_AUTO_TEST_CASE(the_network_thread_answers_only_patron_status) {
  CachedKiosk k;
  k.cache_patron();
  const auto status =
      handlers::answer_locally(request_for<sip2::PatronStatusRequest>(), k.terminal, k.services);
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(std::holds_alternative<sip2::PatronStatusResponse>(status->response));
  const sip2::AnyMessage info = request_for<sip2::PatronInformationRequest>();
  BOOST_TEST(!handlers::answer_locally(info, k.terminal, k.services).has_value());
  sip2::ItemInformationRequest item;
  item.institution_id = institution;
  item.item_identifier = fake::book_barcode;
  BOOST_TEST(!handlers::answer_locally(item, k.terminal, k.services).has_value());
  // A PIN not checked moments ago needs Argon2id or the library: not on the network thread.
  BOOST_TEST(!handlers::answer_locally(request_for<sip2::PatronStatusRequest>(fake::patron_pin),
                                       k.terminal, k.services)
                  .has_value());
  BOOST_TEST(k.backend.calls().empty());
}

BOOST_AUTO_TEST_CASE(a_card_blocked_at_the_kiosk_is_no_longer_answered_as_unblocked) {
  CachedKiosk k;
  k.world.put(fake::patron("p-1", barcode), {}, k.now);
  auto before =
      handlers::answer_locally(request_for<sip2::PatronStatusRequest>(), k.terminal, k.services);
  BOOST_REQUIRE(before.has_value());
  BOOST_TEST(!charge_denied(std::get<sip2::PatronStatusResponse>(before->response).patron_status));

  auto block = request_for<sip2::BlockPatronRequest>();
  block.card_retained = true;
  block.blocked_card_msg = "Card reported stolen";
  (void)k.handle(block);
  k.world.flush();
  auto after =
      handlers::answer_locally(request_for<sip2::PatronStatusRequest>(), k.terminal, k.services);
  BOOST_REQUIRE(after.has_value());
  BOOST_TEST(charge_denied(std::get<sip2::PatronStatusResponse>(after->response).patron_status));
}

BOOST_AUTO_TEST_CASE(a_partial_record_is_answered_locally_with_its_manual_blocks_and_fees) {
  CachedKiosk k;
  auto listed = demo_summary();  // a manual block on borrowing, 12.50 owed
  listed.complete = false;       // as a bulk listing: no automated blocks, no counts
  k.world.put(fake::patron("p-1", barcode), listed, k.now);
  ils::Block automated;
  automated.source = ils::BlockSource::automated;
  automated.borrowing = automated.renewals = true;
  automated.message = "Maximum number of overdue items";
  ils::PatronAccount account;
  account.blocks.push_back(automated);
  k.world.backend.set_account("p-1", account);  // the library system the refresh asks

  auto before =
      handlers::answer_locally(request_for<sip2::PatronStatusRequest>(), k.terminal, k.services);
  BOOST_REQUIRE(before.has_value());
  const auto& a = std::get<sip2::PatronStatusResponse>(before->response);
  BOOST_TEST((a.valid_patron == std::optional<bool>(true)));
  BOOST_TEST(a.fee_amount.value_or("") == "12.50");
  BOOST_TEST(charge_denied(a.patron_status));
  // The automated block is not known until the record is read in full.
  BOOST_TEST(!sip2::has(a.patron_status, sip2::PatronFlag::renewal_privileges_denied));
  BOOST_TEST(k.backend.calls().empty());
  BOOST_TEST(k.world.queued.size() == 1u);  // its read in full is asked for

  k.world.run_background();
  auto after =
      handlers::answer_locally(request_for<sip2::PatronStatusRequest>(), k.terminal, k.services);
  BOOST_REQUIRE(after.has_value());
  const auto& b = std::get<sip2::PatronStatusResponse>(after->response);
  BOOST_TEST(sip2::has(b.patron_status, sip2::PatronFlag::renewal_privileges_denied));
  BOOST_TEST(b.fee_amount.value_or("") == "0.00");  // read in full: the fee was paid since
}

BOOST_AUTO_TEST_CASE(an_unreadable_identifier_gets_its_own_message) {
  CachedKiosk k;
  k.backend.script(Op::lookup_patron, fake::Outcome::fail(ils::errc::invalid_identifier));
  auto a = k.ask<sip2::PatronStatusResponse>(request_for<sip2::PatronStatusRequest>());
  BOOST_TEST((a.valid_patron == std::optional<bool>(false)));
  BOOST_TEST(a.screen_message == sip2::Lines{k.catalogue.text("identifier.invalid")});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
