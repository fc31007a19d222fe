// 11 Checkout, 09 Checkin, 29 Renew and 65 Renew All through handlers::handle.
#include <boost/test/unit_test.hpp>

#include <bitset>
#include <memory>
#include <regex>

#include "kiosk.hpp"

using namespace std::chrono_literals;
using fake::Kiosk;
using fake::Op;

namespace {

sip2::CheckoutRequest checkout_of(const std::string& item) {
  sip2::CheckoutRequest q;
  q.institution_id = "MAIN";
  q.patron_identifier = fake::patron_barcode;
  q.item_identifier = item;
  q.patron_password = fake::patron_pin;
  return q;
}

sip2::CheckinRequest checkin_of(const std::string& item) {
  sip2::CheckinRequest q;
  q.institution_id = "MAIN";
  q.item_identifier = item;
  return q;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(circulation)

BOOST_AUTO_TEST_CASE(checks_out_an_item_after_checking_the_pin) {
  Kiosk k;
  auto a = k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(a.ok);
  BOOST_TEST(a.title_identifier == "The Hidden Orchard");
  BOOST_TEST((a.desensitize == sip2::Tristate::yes));
  BOOST_TEST(k.backend.count(Op::verify_credential) == 1);
  BOOST_TEST(k.backend.stored_item(fake::book_barcode)->borrower_id == "p-1");
}

BOOST_AUTO_TEST_CASE(a_scripted_failure_hits_only_the_nth_call) {
  Kiosk k;
  k.backend.script(Op::checkout, fake::Outcome::fail(ils::errc::unavailable), 2);
  BOOST_TEST(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  auto second = k.handle(checkout_of(fake::dvd_barcode));
  BOOST_TEST(!std::get<sip2::CheckoutResponse>(second.response).ok);
  BOOST_TEST(second.result == "error");
  BOOST_TEST(k.backend.stored_item(fake::dvd_barcode)->borrower_id.empty());
}

BOOST_AUTO_TEST_CASE(a_lost_checkin_answer_is_a_failure_although_the_item_is_back) {
  Kiosk k;
  BOOST_TEST(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  k.backend.script(Op::checkin, fake::Outcome::apply_then_lose());
  auto out = k.handle(checkin_of(fake::book_barcode));
  BOOST_TEST(!std::get<sip2::CheckinResponse>(out.response).ok);
  BOOST_TEST(out.result == "error");
  BOOST_TEST(k.backend.stored_item(fake::book_barcode)->borrower_id.empty());
}

BOOST_AUTO_TEST_CASE(a_checkin_whose_hold_check_failed_is_still_a_success) {
  Kiosk k;
  BOOST_TEST(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  k.backend.hold_check_failure = ils::Failure{ils::make_error_code(ils::errc::unavailable), "503"};
  auto out = k.handle(checkin_of(fake::book_barcode));
  const auto& a = std::get<sip2::CheckinResponse>(out.response);
  BOOST_TEST(a.ok);
  BOOST_TEST(a.title_identifier.value_or("") == "The Hidden Orchard");
  BOOST_TEST(out.result == "ok");
  BOOST_TEST(out.detail.find("open requests not read") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(checkin_answers_follow_the_profiles_checkin_keys) {
  // Baseline, then each checkin key flipped (a profile's Behaviour), on the wire.
  auto wire_of_checkin = [](Kiosk& k) {
    BOOST_TEST_REQUIRE(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
    auto a = k.ask<sip2::CheckinResponse>(checkin_of(fake::book_barcode));
    BOOST_TEST(a.ok);
    return *sip2::encode(sip2::AnyMessage{a});
  };
  Kiosk base;
  const auto plain = wire_of_checkin(base);
  BOOST_TEST(plain.find("|AA" + std::string(fake::patron_barcode) + "|") != std::string::npos,
             plain);
  BOOST_TEST(plain.find("|AF") != std::string::npos, plain);
  BOOST_TEST(plain.find("|CT") == std::string::npos, plain);
  BOOST_TEST(plain.find("|CV") == std::string::npos, plain);
  Kiosk flipped;
  auto& c = flipped.terminal.behaviour.checkin;
  c.ct_always = true;
  c.cv_00_on_success = true;
  c.message_on_success = false;
  c.patron_aa = false;
  const auto quirky = wire_of_checkin(flipped);
  BOOST_TEST(quirky.find("|AA") == std::string::npos, quirky);
  BOOST_TEST(quirky.find("|AF") == std::string::npos, quirky);
  BOOST_TEST(quirky.find("|CT|") != std::string::npos, quirky);
  BOOST_TEST(quirky.find("|CV00|") != std::string::npos, quirky);
}

BOOST_AUTO_TEST_CASE(checkin_cv_codes_alerts_and_resensitize_follow_the_profile) {
  auto checkin = [](Kiosk& k) {
    BOOST_TEST_REQUIRE(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
    return k.ask<sip2::CheckinResponse>(checkin_of(fake::book_barcode));
  };
  auto cv = [](const sip2::CheckinResponse& a) {
    return a.alert_type ? static_cast<int>(*a.alert_type) : -1;
  };
  // A trapped hold here: CV01 and no resensitize by default; the profile's code and
  // resensitize always_on_success.
  Kiosk base;
  base.backend.hold_for_barcode = "21234000000026";
  const auto a = checkin(base);
  BOOST_TEST(cv(a) == 1);
  BOOST_TEST((a.resensitize == sip2::Tristate::no));
  Kiosk coded;
  coded.backend.hold_for_barcode = "21234000000026";
  coded.terminal.behaviour.checkin.codes.hold_here = 11;
  coded.terminal.behaviour.checkin.resensitize_always = true;
  const auto b = checkin(coded);
  BOOST_TEST(cv(b) == 11);
  BOOST_TEST(b.alert);
  BOOST_TEST((b.resensitize == sip2::Tristate::yes));
  // In transit: CV04, or the profile's; a hold at another pickup point: CV02, or the profile's.
  Kiosk transit;
  transit.backend.transit_to = "Branch B";
  BOOST_TEST(cv(checkin(transit)) == 4);
  Kiosk transit_coded;
  transit_coded.backend.transit_to = "Branch B";
  transit_coded.terminal.behaviour.checkin.codes.transit = 14;
  BOOST_TEST(cv(checkin(transit_coded)) == 14);
  Kiosk elsewhere;
  elsewhere.backend.transit_to = "Branch B";
  elsewhere.backend.hold_for_barcode = "21234000000026";
  elsewhere.terminal.behaviour.checkin.codes.hold_elsewhere = 12;
  BOOST_TEST(cv(checkin(elsewhere)) == 12);
}

BOOST_AUTO_TEST_CASE(a_return_not_on_loan_and_a_refused_one_follow_ok_and_alert_keys) {
  // An item that was not on loan: ok by default; ok=0 with a message when the profile says so,
  // and the alert only when on_failure is set and a CV is not required.
  auto not_on_loan = [](Kiosk& k) {
    return k.ask<sip2::CheckinResponse>(checkin_of(fake::dvd_barcode));
  };
  Kiosk base;
  const auto a = not_on_loan(base);
  BOOST_TEST(a.ok);
  BOOST_TEST(!a.alert);
  Kiosk strict;
  strict.terminal.behaviour.checkin.ok_when_not_on_loan = false;
  const auto b = not_on_loan(strict);
  BOOST_TEST(!b.ok);
  BOOST_TEST(!b.alert);
  BOOST_TEST(fake::screen_of(b) == "Night Harbour was not checked out");
  BOOST_TEST(strict.backend.checkins().size() == 1u);  // the library system did check it in
  Kiosk alerting;
  alerting.terminal.behaviour.checkin.ok_when_not_on_loan = false;
  alerting.terminal.behaviour.checkin.alert_on_failure = true;
  BOOST_TEST(not_on_loan(alerting).alert);
  Kiosk cv_only;
  cv_only.terminal.behaviour.checkin.ok_when_not_on_loan = false;
  cv_only.terminal.behaviour.checkin.alert_on_failure = true;
  cv_only.terminal.behaviour.checkin.alert_only_with_cv = true;
  BOOST_TEST(!not_on_loan(cv_only).alert);
  // An unknown item is refused; on_failure raises the alert there too.
  Kiosk unknown;
  unknown.terminal.behaviour.checkin.alert_on_failure = true;
  const auto c = unknown.ask<sip2::CheckinResponse>(checkin_of("39999999999999"));
  BOOST_TEST(!c.ok);
  BOOST_TEST(c.alert);
  BOOST_TEST(!c.alert_type.has_value());
}

BOOST_AUTO_TEST_CASE(reject_item_statuses_refuse_a_return_and_travel_with_the_request) {
  Kiosk k;
  auto lost = fake::item("i-3", "31234000000032", "Gone Astray", "book");
  lost.status = ils::ItemStatus::lost;
  lost.status_name = "Aged to lost";
  k.backend.add_item(lost);
  BOOST_TEST(k.ask<sip2::CheckinResponse>(checkin_of("31234000000032")).ok);  // baseline
  Kiosk strict;
  strict.backend.add_item(lost);
  strict.terminal.behaviour.checkin.reject_statuses = {"LOST"};  // the gateway's name, any case
  const auto a = strict.ask<sip2::CheckinResponse>(checkin_of("31234000000032"));
  BOOST_TEST(!a.ok);
  BOOST_TEST(strict.backend.checkins().empty());
  Kiosk by_name;
  by_name.backend.add_item(lost);
  by_name.terminal.behaviour.checkin.reject_statuses = {"Aged to lost"};  // the system's name
  BOOST_TEST(!by_name.ask<sip2::CheckinResponse>(checkin_of("31234000000032")).ok);
  // An item whose status is not listed is returned as usual.
  BOOST_TEST(by_name.ask<sip2::CheckinResponse>(checkin_of(fake::book_barcode)).ok);
}

BOOST_AUTO_TEST_CASE(sort_bin_rules_give_the_cl_of_a_return) {
  using R = profiles::Behaviour::Checkin::SortRule;
  auto wire = [](Kiosk& k, const std::string& barcode) {
    return *sip2::encode(sip2::AnyMessage{k.ask<sip2::CheckinResponse>(checkin_of(barcode))});
  };
  Kiosk base;
  BOOST_TEST(wire(base, fake::dvd_barcode).find("|CL") == std::string::npos);
  Kiosk k;
  auto& c = k.terminal.behaviour.checkin;
  c.sort_rules.push_back({R::Attribute::cv, R::Op::eq, "04", nullptr, "TRANSIT"});
  c.sort_rules.push_back({R::Attribute::material_type, R::Op::eq, "dvd", nullptr, "AV"});
  c.sort_rules.push_back({R::Attribute::permanent_location, R::Op::regex, "Stacks$",
                          std::make_shared<const std::regex>("Stacks$"), "STACKS"});
  c.default_bin = "OTHER";
  BOOST_TEST(wire(k, fake::dvd_barcode).find("|CLAV|") != std::string::npos);
  BOOST_TEST(wire(k, fake::book_barcode).find("|CLSTACKS|") != std::string::npos);
  k.backend.transit_to = "Branch B";
  BOOST_TEST(wire(k, fake::dvd_barcode).find("|CLTRANSIT|") != std::string::npos);
  k.backend.transit_to.clear();
  c.sort_rules.pop_back();
  BOOST_TEST(wire(k, fake::book_barcode).find("|CLOTHER|") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(checkout_item_type_and_rescan_keys_follow_the_profile) {
  // blocked_item_types: refused before the library system lends it.
  Kiosk blocked;
  blocked.terminal.behaviour.checkout.blocked_types = {"dvd"};
  const auto a = blocked.ask<sip2::CheckoutResponse>(checkout_of(fake::dvd_barcode));
  BOOST_TEST(!a.ok);
  BOOST_TEST(a.title_identifier == "Night Harbour");
  BOOST_TEST(blocked.backend.count(Op::checkout) == 0);
  BOOST_TEST(blocked.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  // in_house_only_item_types: lent, the item stays sensitized, the screen says so.
  Kiosk in_house;
  in_house.terminal.behaviour.checkout.in_house_types = {"dvd"};
  const auto b = in_house.ask<sip2::CheckoutResponse>(checkout_of(fake::dvd_barcode));
  BOOST_TEST(b.ok);
  BOOST_TEST((b.desensitize == sip2::Tristate::no));
  BOOST_TEST(fake::screen_of(b) == "For use in the library only; please do not take it out");
  // already_on_loan_to_same_patron: a re-scan is renewed (SC renewal policy Y), or refused.
  auto rescan = [](Kiosk& k) {
    BOOST_TEST_REQUIRE(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
    auto q = checkout_of(fake::book_barcode);
    q.sc_renewal_policy = true;
    return k.ask<sip2::CheckoutResponse>(q);
  };
  Kiosk renewing;
  BOOST_TEST(rescan(renewing).renewal_ok);
  Kiosk rejecting;
  rejecting.terminal.behaviour.checkout.renew_on_rescan = false;
  const auto c = rescan(rejecting);
  BOOST_TEST(!c.ok);
  BOOST_TEST(!c.renewal_ok);
  BOOST_TEST(rejecting.backend.count(Op::renew) == 0);
  BOOST_TEST(fake::screen_of(c) == "You have already borrowed this item");
}

BOOST_AUTO_TEST_CASE(
    an_in_house_item_stays_sensitized_when_renewed_and_unknown_attributes_sort_nowhere) {
  Kiosk k;
  k.terminal.behaviour.checkout.in_house_types = {"book"};
  BOOST_TEST_REQUIRE(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  sip2::RenewRequest q;
  q.patron_identifier = fake::patron_barcode;
  q.patron_password = fake::patron_pin;
  q.item_identifier = fake::book_barcode;
  const auto a = k.ask<sip2::RenewResponse>(q);
  BOOST_TEST(a.ok);
  BOOST_TEST((a.desensitize == sip2::Tristate::no));
  BOOST_TEST(fake::screen_of(a) == "For use in the library only; please do not take it out");
  // A plain return has no CV: a rule "CV ne 04" does not hold for it (unknown is no match).
  using R = profiles::Behaviour::Checkin::SortRule;
  Kiosk sorter;
  sorter.terminal.behaviour.checkin.sort_rules.push_back(
      {R::Attribute::cv, R::Op::ne, "04", nullptr, "NOT-TRANSIT"});
  sorter.terminal.behaviour.checkin.default_bin = "DEFAULT";
  const auto wire = *sip2::encode(
      sip2::AnyMessage{sorter.ask<sip2::CheckinResponse>(checkin_of(fake::dvd_barcode))});
  BOOST_TEST(wire.find("|CLDEFAULT|") != std::string::npos, wire);
}

BOOST_AUTO_TEST_CASE(due_dates_follow_the_profiles_format) {
  Kiosk sip;
  const auto a = sip.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST_REQUIRE(a.due_date.size() == 18u);  // YYYYMMDDZZZZHHMMSS
  Kiosk iso;
  iso.terminal.dialect.due_date_format = sip2::DueDateFormat::iso_local;
  const auto b = iso.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  // "YYYY-MM-DD HH:MM:SS", the same local time as the SIP date.
  BOOST_TEST(b.due_date.size() == 19u, b.due_date);
  BOOST_TEST(b.due_date.substr(0, 10) == a.due_date.substr(0, 4) + "-" + a.due_date.substr(4, 2) +
                                             "-" + a.due_date.substr(6, 2));
  BOOST_TEST(b.due_date.substr(11) == a.due_date.substr(12, 2) + ":" + a.due_date.substr(14, 2) +
                                          ":" + a.due_date.substr(16, 2));
}

BOOST_AUTO_TEST_CASE(no_change_is_started_with_too_little_time_left) {
  sip2::RenewRequest renew;
  renew.patron_identifier = fake::patron_barcode;
  renew.patron_password = fake::patron_pin;
  renew.item_identifier = fake::book_barcode;
  sip2::FeePaidRequest pay;
  pay.patron_identifier = fake::patron_barcode;
  pay.patron_password = fake::patron_pin;
  pay.fee_amount = "1.00";
  const std::vector<std::pair<Op, sip2::AnyMessage>> changes = {
      {Op::checkout, checkout_of(fake::book_barcode)},
      {Op::checkin, checkin_of(fake::book_barcode)},
      {Op::renew, renew},
      {Op::pay_fee, pay}};
  for (const auto& [op, request] : changes) {
    Kiosk k;
    ils::PatronAccount owes;
    owes.fee_total = 500;
    k.backend.set_account("p-1", owes);
    auto out = k.handle(request, 300ms);
    BOOST_TEST(out.result == "refused", static_cast<int>(sip2::command_of(request)));
    BOOST_TEST(k.backend.count(op) == 0, static_cast<int>(sip2::command_of(request)));
    BOOST_TEST(fake::screen_of(out.response) == k.catalogue.text("backend.try_again"),
               static_cast<int>(sip2::command_of(request)));
  }
}

BOOST_AUTO_TEST_CASE(a_change_starts_with_the_minimum_budget_left) {
  Kiosk k;
  auto a = k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode), 1600ms);
  BOOST_TEST(a.ok);
}

BOOST_AUTO_TEST_CASE(a_refused_checkout_names_the_known_item) {
  Kiosk k;
  k.backend.script(Op::checkout, fake::Outcome::fail(ils::errc::rejected, "Item is not loanable"));
  auto a = k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(!a.ok);
  BOOST_TEST(a.title_identifier == "The Hidden Orchard");
}

BOOST_AUTO_TEST_CASE(a_refused_renewal_says_do_not_desensitize) {
  Kiosk k;
  sip2::RenewRequest q;
  q.patron_identifier = fake::patron_barcode;
  q.patron_password = fake::patron_pin;
  q.item_identifier = fake::book_barcode;
  auto refused = k.ask<sip2::RenewResponse>(q);
  BOOST_TEST(!refused.ok);
  BOOST_TEST((refused.desensitize == sip2::Tristate::no));
  BOOST_TEST(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  auto renewed = k.ask<sip2::RenewResponse>(q);
  BOOST_TEST(renewed.ok);
  BOOST_TEST((renewed.desensitize == sip2::Tristate::yes));
}

BOOST_AUTO_TEST_CASE(magnetic_media_follows_the_material_type) {
  Kiosk k;
  k.backend.add_item(fake::item("i-3", "31234000000099", "Old Tapes", "video recording"));
  k.backend.add_item(fake::item("i-4", "31234000000107", "Odd Thing", "realia"));
  BOOST_TEST((k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).magnetic_media ==
              sip2::Tristate::no));
  BOOST_TEST((k.ask<sip2::CheckinResponse>(checkin_of(fake::book_barcode)).magnetic_media ==
              sip2::Tristate::no));
  BOOST_TEST((k.ask<sip2::CheckoutResponse>(checkout_of("31234000000107")).magnetic_media ==
              sip2::Tristate::unknown));
  k.services.settings.magnetic_media["video recording"] = true;
  BOOST_TEST((k.ask<sip2::CheckoutResponse>(checkout_of("31234000000099")).magnetic_media ==
              sip2::Tristate::yes));
}

BOOST_AUTO_TEST_CASE(a_return_date_outside_the_window_is_replaced_by_the_gateway_clock) {
  using std::chrono::hours;
  const std::vector<std::pair<hours, bool>> cases = {{hours(-2), true},   {hours(-71), true},
                                                     {hours(-73), false}, {hours(-24 * 400), false},
                                                     {hours(1), false},   {hours(24 * 30), false}};
  for (const auto& [offset, kept] : cases) {
    Kiosk k;
    auto q = checkin_of(fake::book_barcode);
    q.return_date = sip2::Timestamp::from_sys(k.now + offset, true);
    auto out = k.handle(q);
    BOOST_TEST(std::get<sip2::CheckinResponse>(out.response).ok);
    BOOST_TEST_REQUIRE(k.backend.checkins().size() == 1U);
    const auto sent = k.backend.checkins().front().return_date;
    BOOST_TEST((sent == (kept ? k.now + offset : k.now)), offset.count() << " h");
    BOOST_TEST((out.detail.find("return date") != std::string::npos) == !kept,
               offset.count() << " h: " << out.detail);
    BOOST_TEST(out.detail.find(fake::book_barcode) == std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(circulation_profile_keys)

BOOST_AUTO_TEST_CASE(desensitize_follows_the_profile_the_material_and_the_patron_group) {
  using D = profiles::Behaviour::Checkout::Desensitize;
  auto desensitized = [](Kiosk& k, const char* item) {
    auto a = k.ask<sip2::CheckoutResponse>(checkout_of(item));
    BOOST_TEST_REQUIRE(a.ok, fake::screen_of(a));
    return a.desensitize;
  };
  // Baseline (ils_decides): yes, but a magnetic item stays sensitized.
  Kiosk base;
  base.services.settings.magnetic_media["dvd"] = true;
  BOOST_TEST((desensitized(base, fake::book_barcode) == sip2::Tristate::yes));
  BOOST_TEST((desensitized(base, fake::dvd_barcode) == sip2::Tristate::no));
  Kiosk always;
  always.services.settings.magnetic_media["dvd"] = true;
  always.terminal.behaviour.checkout.desensitize = D::always_on_success;
  BOOST_TEST((desensitized(always, fake::dvd_barcode) == sip2::Tristate::yes));
  Kiosk never;
  never.terminal.behaviour.checkout.desensitize = D::never;
  BOOST_TEST((desensitized(never, fake::book_barcode) == sip2::Tristate::no));
  // A patron group the profile names is never desensitized for.
  Kiosk staff;
  auto p = fake::patron("p-1", fake::patron_barcode, "Ada Reader");
  p.patron_group = "staff";
  staff.backend.update_patron(p);
  staff.terminal.behaviour.checkout.no_desensitize_groups = {"staff"};
  BOOST_TEST((desensitized(staff, fake::book_barcode) == sip2::Tristate::no));
}

BOOST_AUTO_TEST_CASE(magnetic_media_and_the_media_type_follow_the_profile) {
  Kiosk base;
  auto a = base.ask<sip2::CheckoutResponse>(checkout_of(fake::dvd_barcode));
  BOOST_TEST((a.magnetic_media == sip2::Tristate::no));  // dvd: false in the default map
  BOOST_TEST(!a.media_type.has_value());
  Kiosk k;
  k.terminal.behaviour.checkout.magnetic_from_ils = false;  // report_unknown
  k.terminal.behaviour.checkout.media_type_ck = true;
  auto b = k.ask<sip2::CheckoutResponse>(checkout_of(fake::dvd_barcode));
  BOOST_TEST((b.magnetic_media == sip2::Tristate::unknown));
  BOOST_TEST(b.media_type.value_or("") == "006");
  auto c = k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(c.media_type.value_or("") == "001");
  k.services.settings.media_types.erase("book");
  BOOST_TEST(k.ask<sip2::CheckinResponse>(checkin_of(fake::book_barcode)).ok);
  auto d = k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(d.media_type.value_or("") == "000");  // a material type not listed
}

BOOST_AUTO_TEST_CASE(a_trapped_hold_names_its_patron_in_cy_and_its_phone_in_bf_as_asked) {
  auto p = fake::patron("p-2", "21234000000026", "Ben Waiting");
  p.phone = "555-0100";
  auto returned = [&](Kiosk& k) {
    k.backend.add_patron(p, "2222");
    BOOST_TEST_REQUIRE(k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
    k.backend.hold_for_barcode = p.barcode;
    auto a = k.ask<sip2::CheckinResponse>(checkin_of(fake::book_barcode));
    BOOST_TEST(a.ok);
    return *sip2::encode(sip2::AnyMessage{a});
  };
  Kiosk base;
  const auto plain = returned(base);
  BOOST_TEST(plain.find("|CY21234000000026|") != std::string::npos, plain);
  BOOST_TEST(plain.find("|BF") == std::string::npos, plain);
  BOOST_TEST(base.backend.count(Op::lookup_patron) == 1, "no lookup of the hold's patron");
  Kiosk slip;
  slip.terminal.behaviour.hold_patron_phone = true;
  slip.terminal.behaviour.hold_patron_cy = false;
  const auto quirky = returned(slip);
  BOOST_TEST(quirky.find("|CY") == std::string::npos, quirky);
  BOOST_TEST(quirky.find("|BF555-0100|") != std::string::npos, quirky);
}

BOOST_AUTO_TEST_CASE(a_payment_without_cg_is_refused_when_the_profile_says_so) {
  auto pay = [](Kiosk& k, const char* fee) {
    ils::PatronAccount owes;
    ils::Fee f;
    f.id = "fee-1";
    f.type = "Overdue fine";
    f.remaining = 500;
    owes.fees.push_back(f);
    owes.fee_total = 500;
    k.backend.set_account("p-1", owes);
    sip2::FeePaidRequest q;
    q.institution_id = "MAIN";
    q.patron_identifier = fake::patron_barcode;
    q.patron_password = fake::patron_pin;
    q.fee_amount = "1.00";
    if (fee != nullptr) q.fee_identifier = fee;
    q.extra = {{sip2::FieldCode("OR"), "register-2"},
               {sip2::FieldCode("RN"), "1042"},
               {sip2::FieldCode("XX"), "not carried"}};
    return k.ask<sip2::FeePaidResponse>(q);
  };
  Kiosk base;
  BOOST_TEST(pay(base, nullptr).payment_accepted);  // bulk
  BOOST_TEST_REQUIRE(base.backend.payments().size() == 1u);
  BOOST_TEST(base.backend.payments()[0].comments == "");
  Kiosk mk;
  mk.terminal.behaviour.fees.require_fee_id = true;
  const auto refused = pay(mk, nullptr);
  BOOST_TEST(!refused.payment_accepted);
  BOOST_TEST(fake::screen_of(refused) == mk.catalogue.text("fee.id_required"));
  BOOST_TEST(mk.backend.count(Op::pay_fee) == 0);
  BOOST_TEST(pay(mk, "fee-1").payment_accepted);
  // EnvisionWare: the register and check number go with the payment; other fields do not.
  Kiosk ew;
  ew.terminal.behaviour.fees.payment_extensions = {"OR", "RN"};
  BOOST_TEST(pay(ew, "fee-1").payment_accepted);
  BOOST_TEST_REQUIRE(ew.backend.payments().size() == 1u);
  BOOST_TEST(ew.backend.payments()[0].comments == "OR register-2; RN 1042");
}

BOOST_AUTO_TEST_CASE(the_profiles_acs_status_narrows_what_the_98_says_and_what_is_done) {
  Kiosk base;
  const auto plain = handlers::acs_status(base.terminal, base.services, true);
  BOOST_TEST(plain.checkout_ok);
  BOOST_TEST(plain.library_name.value_or("") == "Test Library");
  Kiosk sorter;
  auto& acs = sorter.terminal.behaviour.acs;
  acs.checkout_ok = false;
  acs.renewal_ok = false;
  acs.timeout_period = 50;
  acs.retries_allowed = 9;
  acs.library_name = "Main Library Return Wall";
  const auto a = handlers::acs_status(sorter.terminal, sorter.services, true);
  BOOST_TEST(!a.checkout_ok);
  BOOST_TEST(!a.acs_renewal_policy);
  BOOST_TEST(a.checkin_ok);
  BOOST_TEST(a.timeout_period == 50);
  BOOST_TEST(a.retries_allowed == 9);
  BOOST_TEST(a.library_name.value_or("") == "Main Library Return Wall");
  BOOST_TEST(!a.supported_messages.test(static_cast<std::size_t>(sip2::Supported::checkout)));
  // What the 98 says is what is done: the check-out is refused without a library-system call.
  const auto out = sorter.handle(checkout_of(fake::book_barcode));
  BOOST_TEST(!std::get<sip2::CheckoutResponse>(out.response).ok);
  BOOST_TEST(sorter.backend.count(Op::checkout) == 0);
  // A profile cannot give what the account does not allow.
  Kiosk narrow;
  narrow.terminal.account->policy.checkin = false;
  BOOST_TEST(!handlers::acs_status(narrow.terminal, narrow.services, true).checkin_ok);
}

BOOST_AUTO_TEST_CASE(the_98s_ao_an_online_flag_and_bx_follow_the_profile) {
  Kiosk base;
  base.terminal.location = "";
  const auto plain = handlers::acs_status(base.terminal, base.services, true);
  BOOST_TEST(plain.online_status);
  BOOST_TEST(plain.institution_id == "MAIN");
  BOOST_TEST(!plain.terminal_location.has_value());
  BOOST_TEST(plain.supported_messages.test(static_cast<std::size_t>(sip2::Supported::hold)));
  Kiosk k;
  auto& acs = k.terminal.behaviour.acs;
  acs.online = false;
  acs.institution_id = "CONSORTIUM";
  std::bitset<16> bx;
  bx.set();
  bx.reset(static_cast<std::size_t>(sip2::Supported::hold));
  bx.reset(static_cast<std::size_t>(sip2::Supported::checkin));
  acs.supported = bx;
  k.terminal.behaviour.session.location_fallback = "WALL-1";
  const auto a = handlers::acs_status(k.terminal, k.services, true);
  BOOST_TEST(!a.online_status);
  BOOST_TEST(a.institution_id == "CONSORTIUM");
  BOOST_TEST(a.terminal_location.value_or("") == "WALL-1");
  BOOST_TEST(!a.supported_messages.test(static_cast<std::size_t>(sip2::Supported::hold)));
  BOOST_TEST(!a.checkin_ok);
  BOOST_TEST(a.supported_messages.test(static_cast<std::size_t>(sip2::Supported::checkout)));
  // What BX takes away is refused without a library-system call.
  const auto out = k.handle(checkin_of(fake::book_barcode));
  BOOST_TEST(!std::get<sip2::CheckinResponse>(out.response).ok);
  BOOST_TEST(k.backend.count(Op::checkin) == 0);
  // The CP the kiosk sent wins over the fallback; the account's location or none when asked.
  k.terminal.location = "DESK-2";
  BOOST_TEST(handlers::acs_status(k.terminal, k.services, true).terminal_location.value_or("") ==
             "DESK-2");
  k.terminal.account->location = "BRANCH-3";
  acs.location_source = profiles::Behaviour::Acs::LocationSource::config;
  BOOST_TEST(handlers::acs_status(k.terminal, k.services, true).terminal_location.value_or("") ==
             "BRANCH-3");
  acs.location_source = profiles::Behaviour::Acs::LocationSource::none;
  BOOST_TEST(!handlers::acs_status(k.terminal, k.services, true).terminal_location.has_value());
}

BOOST_AUTO_TEST_CASE(an_outstanding_amount_is_shown_on_a_loan_when_the_profile_asks) {
  ils::PatronAccount owes;
  ils::Fee f;
  f.id = "fee-1";
  f.remaining = 450;
  owes.fees.push_back(f);
  owes.fee_total = 450;
  Kiosk base;
  base.backend.set_account("p-1", owes);
  const auto a = base.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(a.ok);
  BOOST_TEST(a.screen_message.size() == 1u);
  Kiosk k;
  k.backend.set_account("p-1", owes);
  k.terminal.behaviour.checkout.show_outstanding = true;
  const auto b = k.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(b.ok);
  BOOST_TEST(fake::screen_of(b) == "You owe 4.50");
  BOOST_TEST(!b.fee_amount.has_value());  // BV is a loan's own fee, not the balance
}

BOOST_AUTO_TEST_CASE(payment_methods_register_currency_and_an_empty_ah_follow_the_profile) {
  ils::PatronAccount owes;
  ils::Fee f;
  f.id = "fee-1";
  f.remaining = 500;
  owes.fees.push_back(f);
  owes.fee_total = 500;
  sip2::FeePaidRequest pay;
  pay.patron_identifier = fake::patron_barcode;
  pay.patron_password = fake::patron_pin;
  pay.fee_identifier = "fee-1";
  pay.fee_amount = "1.00";
  pay.payment_type = static_cast<sip2::PaymentType>(1);  // VISA
  Kiosk base;
  base.backend.set_account("p-1", owes);
  BOOST_TEST(base.ask<sip2::FeePaidResponse>(pay).payment_accepted);
  BOOST_TEST_REQUIRE(base.backend.payments().size() == 1u);
  BOOST_TEST(base.backend.payments()[0].payment_method.empty());
  BOOST_TEST(base.backend.payments()[0].comments.empty());
  Kiosk k;
  k.backend.set_account("p-1", owes);
  k.terminal.behaviour.fees.payment_methods = {{1, "Credit card"}, {0, "Cash"}};
  k.terminal.behaviour.fees.register_id = "REG-7";
  k.terminal.behaviour.fees.currency = "EUR";
  BOOST_TEST(k.ask<sip2::FeePaidResponse>(pay).payment_accepted);
  BOOST_TEST_REQUIRE(k.backend.payments().size() == 1u);
  BOOST_TEST(k.backend.payments()[0].payment_method == "Credit card");
  BOOST_TEST(k.backend.payments()[0].comments == "register REG-7");
  sip2::PatronInformationRequest info;
  info.patron_identifier = fake::patron_barcode;
  info.patron_password = fake::patron_pin;
  BOOST_TEST(base.ask<sip2::PatronInformationResponse>(info).currency_type.value_or("") == "USD");
  BOOST_TEST(k.ask<sip2::PatronInformationResponse>(info).currency_type.value_or("") == "EUR");
  // An 18 of an item not on loan: no AH, or an empty one.
  sip2::ItemInformationRequest item;
  item.item_identifier = fake::dvd_barcode;
  BOOST_TEST(!base.ask<sip2::ItemInformationResponse>(item).due_date.has_value());
  k.terminal.behaviour.empty_due_when_not_on_loan = true;
  BOOST_TEST(k.ask<sip2::ItemInformationResponse>(item).due_date.value_or("x") == "");
}

BOOST_AUTO_TEST_CASE(cq_is_left_out_without_an_ad_when_the_profile_asks) {
  sip2::PatronStatusRequest q;
  q.patron_identifier = fake::patron_barcode;  // no AD
  Kiosk strict;                                // an absent AD is a wrong one: CQ N
  strict.terminal.dialect.absent_pin = sip2::Dialect::AbsentPin::treat_invalid;
  BOOST_TEST(strict.ask<sip2::PatronStatusResponse>(q).valid_patron_password.has_value());
  Kiosk quiet;
  quiet.terminal.dialect.absent_pin = sip2::Dialect::AbsentPin::treat_invalid;
  quiet.terminal.behaviour.cq_only_with_ad = true;
  BOOST_TEST(!quiet.ask<sip2::PatronStatusResponse>(q).valid_patron_password.has_value());
  q.patron_password = fake::patron_pin;  // with an AD, CQ is sent as ever
  BOOST_TEST(quiet.ask<sip2::PatronStatusResponse>(q).valid_patron_password.value_or(false));
}

BOOST_AUTO_TEST_CASE(a_profiles_time_zone_dates_what_the_kiosk_is_sent_and_reads_what_it_sends) {
  Kiosk base;  // the site's zone: UTC in these tests
  const auto a = base.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  Kiosk tokyo;
  tokyo.terminal.time_zone = zone::TimeZone::locate("Asia/Tokyo");
  BOOST_TEST_REQUIRE(tokyo.terminal.time_zone.has_value());
  const auto b = tokyo.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  // The same instant, nine hours later on Tokyo's clock: 10:30 UTC is 19:30 there.
  BOOST_TEST(sip2::format_timestamp(a.transaction_date).substr(12) == "103000");
  BOOST_TEST(sip2::format_timestamp(b.transaction_date).substr(12) == "193000");
  BOOST_TEST(a.due_date.substr(0, 8) == b.due_date.substr(0, 8));
  BOOST_TEST(a.due_date != b.due_date);
}

BOOST_AUTO_TEST_CASE(titles_in_refusals_follow_the_profile) {
  sip2::RenewRequest q;
  q.patron_identifier = fake::patron_barcode;
  q.patron_password = fake::patron_pin;
  q.item_identifier = fake::book_barcode;  // not on loan: the renewal is refused
  Kiosk base;  // the baseline: a refused checkout names the title, a refused renewal does not
  const auto plain = base.ask<sip2::RenewResponse>(q);
  BOOST_TEST(!plain.ok);
  BOOST_TEST(plain.title_identifier.empty());
  Kiosk named;
  named.terminal.behaviour.renewal_title_in_failure = true;
  const auto titled = named.ask<sip2::RenewResponse>(q);
  BOOST_TEST(!titled.ok);
  BOOST_TEST(titled.title_identifier == "The Hidden Orchard");
  Kiosk quiet;
  quiet.terminal.behaviour.checkout.title_in_failure = false;
  quiet.backend.script(Op::checkout, fake::Outcome::fail(ils::errc::rejected, "Not loanable"));
  const auto out = quiet.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode));
  BOOST_TEST(!out.ok);
  BOOST_TEST(out.title_identifier.empty());
}

BOOST_AUTO_TEST_CASE(without_renewals_a_rescanned_loan_is_not_renewed) {
  auto again = checkout_of(fake::book_barcode);
  again.sc_renewal_policy = true;  // the kiosk lets a re-scan renew
  Kiosk base;
  BOOST_TEST(base.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  BOOST_TEST(base.ask<sip2::CheckoutResponse>(again).renewal_ok);
  Kiosk none;  // renewal.supported false (or acs_status.acs_renewal_policy false)
  none.terminal.behaviour.acs.renewal_ok = false;
  BOOST_TEST(none.ask<sip2::CheckoutResponse>(checkout_of(fake::book_barcode)).ok);
  const auto refused = none.ask<sip2::CheckoutResponse>(again);
  BOOST_TEST(!refused.ok);
  BOOST_TEST(!refused.renewal_ok);
  BOOST_TEST(none.backend.count(Op::renew) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
