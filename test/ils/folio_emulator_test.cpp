// The FOLIO backend end to end against the ILS emulator (tools/ils-emulator) seeded with
// test/data/folio/emulator-seed.json: one fresh emulator process per test case.
#define BOOST_TEST_MODULE ils_folio_emulator
#include <boost/test/unit_test.hpp>

#include "emulated_folio.hpp"

using namespace std::chrono_literals;

namespace {

using emulated::Emulated;
using emulated::jack_barcode;
using emulated::reader_barcode;

}  // namespace

BOOST_AUTO_TEST_CASE(finds_a_patron_by_barcode_username_or_external_id) {
  Emulated e;
  const ils::Patron jack = e.patron(jack_barcode);
  BOOST_TEST(jack.id == "4f0e711c-d583-41e0-9555-b62f1725023f");
  BOOST_TEST(jack.active);
  BOOST_TEST(jack.display_name == "Jack Handey");
  BOOST_TEST(jack.patron_group == "undergrad");
  BOOST_TEST(e.patron("111_112").id == jack.id);
  BOOST_TEST(!e.patron("800000000001").active);
  auto nobody = e.backend->lookup_patron(e.ctx(), R"(nobody" or barcode=="*)");
  BOOST_TEST_REQUIRE(!nobody.has_value());
  BOOST_TEST((nobody.error().code == ils::errc::not_found));
}

BOOST_AUTO_TEST_CASE(never_finds_staff_system_or_excluded_group_users) {
  Emulated e;
  auto not_found = [&](const std::string& identifier) {
    auto found = e.backend->lookup_patron(e.ctx(), identifier);
    return !found.has_value() && found.error().code == ils::errc::not_found;
  };
  BOOST_TEST(not_found("700000000001"), "a staff user's barcode");
  BOOST_TEST(not_found("700000000002"), "a system user's barcode");
  BOOST_TEST(not_found("jhandey"), "usernames are not searched by default");
  // A system user sharing a patron's identifier does not hide the patron.
  BOOST_TEST(e.patron("929074568588779").id == "4f0e711c-d583-41e0-9555-b62f1725023f");
  BOOST_TEST(e.patron("700000000003").patron_group == "kiosk-test");

  auto config = e.config(ils::CredentialMode::pin);
  config.patron_identifier_fields = {"barcode", "username"};
  config.excluded_patron_groups = {"kiosk-test"};
  auto backend = ils::folio::make_backend(config);
  BOOST_TEST(backend->lookup_patron(e.ctx(), "jhandey").has_value());
  BOOST_TEST(!backend->lookup_patron(e.ctx(), "700000000003").has_value());
  BOOST_TEST(!backend->lookup_patron(e.ctx(), "circ.staff").has_value());
}

BOOST_AUTO_TEST_CASE(verifies_pins_and_passwords) {
  Emulated e;
  const ils::Patron jack = e.patron(jack_barcode);
  BOOST_TEST(
      (e.backend->verify_credential(e.ctx(), jack, "1234").value() == ils::CredentialCheck::valid));
  BOOST_TEST((e.backend->verify_credential(e.ctx(), jack, "9999").value() ==
              ils::CredentialCheck::invalid));
  Emulated p(ils::CredentialMode::password);
  BOOST_TEST((p.backend->verify_credential(p.ctx(), jack, "Patron-pass-1").value() ==
              ils::CredentialCheck::valid));
  BOOST_TEST((p.backend->verify_credential(p.ctx(), jack, "wrong").value() ==
              ils::CredentialCheck::invalid));
}

BOOST_AUTO_TEST_CASE(reads_the_patron_account) {
  Emulated e;
  auto account = e.backend->patron_account(e.ctx(), e.patron(jack_barcode).ref(), {});
  BOOST_TEST_REQUIRE(account.has_value(), account.error().message);
  BOOST_TEST(account->fee_total == 650);
  BOOST_TEST(account->fees.size() == 2U);
  BOOST_TEST(account->loans.size() == 2U);
  BOOST_TEST(account->overdue_count == 1U);
  BOOST_TEST(account->requests_blocked);
  BOOST_TEST(!account->borrowing_blocked);
}

BOOST_AUTO_TEST_CASE(checks_out_renews_and_checks_in_an_item) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  auto loan = e.backend->checkout(e.ctx(), {jack, "326547658598", ""});
  BOOST_TEST_REQUIRE(loan.has_value(), loan.error().message);
  BOOST_TEST(loan->due_date.has_value());
  BOOST_TEST(loan->title == "A semantic web primer");

  auto again = e.backend->checkout(e.ctx(), {jack, "326547658598", ""});
  BOOST_TEST_REQUIRE(!again.has_value());
  BOOST_TEST((again.error().code == ils::errc::rejected));
  BOOST_TEST(!again.error().message.empty());

  auto item = e.backend->item(e.ctx(), "326547658598");
  BOOST_TEST_REQUIRE(item.has_value(), item.error().message);
  BOOST_TEST((item->status == ils::ItemStatus::charged));
  BOOST_TEST(item->borrower_id == jack.id);
  BOOST_TEST(item->due_date.has_value());

  // Renewing from the system date changes the due date only once time has passed.
  e.control("clock", R"({"advance_seconds":259200})");
  auto renewed = e.backend->renew(e.ctx(), {jack, "326547658598", ""});
  BOOST_TEST_REQUIRE(renewed.has_value(), renewed.error().message);
  BOOST_TEST(renewed->renewal_count == 1);

  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto returned = e.backend->checkin(e.ctx(), {"326547658598", now, "", ""});
  BOOST_TEST_REQUIRE(returned.has_value(), returned.error().message);
  BOOST_TEST(returned->had_loan);
  BOOST_TEST((returned->item.status == ils::ItemStatus::available));
}

BOOST_AUTO_TEST_CASE(renew_all_renews_what_it_may_and_reports_the_rest) {
  Emulated e;
  auto result = e.backend->renew_all(e.ctx(), e.patron(jack_barcode).ref());
  BOOST_TEST_REQUIRE(result.has_value(), result.error().message);
  BOOST_TEST_REQUIRE(result->renewed.size() == 1U);
  BOOST_TEST(result->renewed[0].item_barcode == "4539876054383");
  BOOST_TEST_REQUIRE(result->unrenewed.size() == 1U);
  BOOST_TEST(result->unrenewed[0].item_barcode == "453987605438");
  BOOST_TEST(!result->unrenewed[0].reason.empty());
  BOOST_TEST(e.count("circulation.renew") == 2);
}

BOOST_AUTO_TEST_CASE(pays_fees_and_refuses_overpayment) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  auto part = e.backend->pay_fee(e.ctx(), {jack, "8bd34ff2", 100, "", "job-1", "kiosk", ""});
  BOOST_TEST_REQUIRE(part.has_value(), part.error().message);
  BOOST_TEST(part->remaining == 150);
  auto over = e.backend->pay_fee(e.ctx(), {jack, "", 551, "", "job-2", "kiosk", ""});
  BOOST_TEST_REQUIRE(!over.has_value());
  BOOST_TEST((over.error().code == ils::errc::rejected));
  auto rest = e.backend->pay_fee(e.ctx(), {jack, "", 550, "", "job-3", "kiosk", ""});
  BOOST_TEST_REQUIRE(rest.has_value(), rest.error().message);
  auto account = e.backend->patron_account(e.ctx(), jack, {false, false, false, true, false});
  BOOST_TEST_REQUIRE(account.has_value());
  BOOST_TEST(account->fee_total == 0);
}

BOOST_AUTO_TEST_CASE(blocks_and_enables_a_patron_keeping_staff_blocks) {
  Emulated e;
  const ils::PatronRef jack = e.patron(jack_barcode).ref();
  auto block = e.backend->block_patron(e.ctx(), {jack, "Card retained", true});
  BOOST_TEST_REQUIRE(block.has_value(), block.error().message);
  auto blocked = e.backend->patron_account(e.ctx(), jack, {false, false, false, false, true});
  BOOST_TEST_REQUIRE(blocked.has_value());
  BOOST_TEST(blocked->borrowing_blocked);
  auto enabled = e.backend->enable_patron(e.ctx(), jack);
  BOOST_TEST_REQUIRE(enabled.has_value(), enabled.error().message);
  BOOST_TEST(enabled->removed == 1U);
  BOOST_TEST(enabled->remaining.size() == 1U);
  auto after = e.backend->patron_account(e.ctx(), jack, {false, false, false, false, true});
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(!after->borrowing_blocked);
  BOOST_TEST(after->requests_blocked);
}

BOOST_AUTO_TEST_CASE(places_and_cancels_holds) {
  Emulated e;
  const ils::PatronRef reader = e.patron(reader_barcode).ref();
  auto hold = e.backend->place_hold(e.ctx(), {reader, "4539876054383", "", std::nullopt});
  BOOST_TEST_REQUIRE(hold.has_value(), hold.error().message);
  BOOST_TEST((hold->kind == ils::HoldKind::hold));
  auto page = e.backend->place_hold(e.ctx(), {reader, "10101", "", std::nullopt});
  BOOST_TEST_REQUIRE(page.has_value(), page.error().message);
  BOOST_TEST((page->kind == ils::HoldKind::page));
  auto twice = e.backend->place_hold(e.ctx(), {reader, "4539876054383", "", std::nullopt});
  BOOST_TEST_REQUIRE(!twice.has_value());
  BOOST_TEST((twice.error().code == ils::errc::rejected));

  auto cancelled = e.backend->cancel_hold(e.ctx(), {reader, "4539876054383", ""});
  BOOST_TEST_REQUIRE(cancelled.has_value(), cancelled.error().message);
  auto account = e.backend->patron_account(e.ctx(), reader, {false, true, false, false, false});
  BOOST_TEST_REQUIRE(account.has_value());
  BOOST_TEST(account->holds_unavailable.empty());
}

BOOST_AUTO_TEST_CASE(survives_token_revocation_and_short_lived_tokens) {
  Emulated e;
  e.patron(jack_barcode);
  e.control("tokens", R"({"revoke":true})");
  e.patron(jack_barcode);
  BOOST_TEST(e.count("authn.login") == 2);
  e.control("tokens", R"({"access_ttl_seconds":1,"revoke":true})");
  e.patron(jack_barcode);
  e.patron(jack_barcode);
  BOOST_TEST(e.count("authn.refresh") >= 1);
}

BOOST_AUTO_TEST_CASE(slow_or_down_folio_gives_timeout_or_unavailable) {
  Emulated e;
  e.patron(jack_barcode);
  e.control("latency", R"({"ms":3000,"path_prefix":"/users"})");
  const auto start = std::chrono::steady_clock::now();
  auto slow = e.backend->lookup_patron(e.ctx(300ms), jack_barcode);
  BOOST_TEST((std::chrono::steady_clock::now() - start < 2s));
  BOOST_TEST_REQUIRE(!slow.has_value());
  BOOST_TEST((slow.error().code == ils::errc::timeout));
  e.control("reset", "{}");
  e.control("outage", R"({"on":true})");
  auto down = e.backend->lookup_patron(e.ctx(), jack_barcode);
  BOOST_TEST_REQUIRE(!down.has_value());
  BOOST_TEST((down.error().code == ils::errc::unavailable));
}
