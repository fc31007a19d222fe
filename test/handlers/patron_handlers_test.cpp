// 23 Patron Status, 63 Patron Information and 25 Patron Enable: what a wrong PIN may learn.
#include <boost/test/unit_test.hpp>

#include "kiosk.hpp"

using fake::Kiosk;
using fake::Op;

namespace {

/// A patron who is blocked from borrowing and owes 32.00 on two fees, with one loan.
ils::PatronAccount blocked_account() {
  ils::PatronAccount a;
  ils::Block b;
  b.borrowing = b.renewals = true;
  b.message = "Owes too much";
  a.blocks.push_back(b);
  a.borrowing_blocked = a.renewals_blocked = true;
  ils::Fee f;
  f.id = "fee-1";
  f.type = "Lost item fee";
  f.remaining = 3200;
  a.fees.push_back(f);
  a.fee_total = 3200;
  ils::Loan l;
  l.item_barcode = "31234000000131";
  l.title = "A Private Matter";
  a.loans.push_back(l);
  return a;
}

template <class Q>
Q with_pin(const std::string& pin) {
  Q q;
  q.institution_id = "MAIN";
  q.patron_identifier = fake::patron_barcode;
  q.patron_password = pin;
  return q;
}

bool charge_denied(const sip2::PatronStatus& s) {
  return sip2::has(s, sip2::PatronFlag::charge_privileges_denied);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(patron)

BOOST_AUTO_TEST_CASE(a_wrong_pin_learns_no_name_and_no_fees_from_patron_status) {
  Kiosk k;
  k.backend.set_account("p-1", blocked_account());
  auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>("9999"));
  BOOST_TEST((a.valid_patron == std::optional<bool>(true)));
  BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
  BOOST_TEST(a.personal_name.empty());
  BOOST_TEST(!a.fee_amount.has_value());
  BOOST_TEST(a.screen_message == sip2::Lines{k.catalogue.text("patron.bad_password")});
  BOOST_TEST(charge_denied(a.patron_status), "the status bitmap still tells the truth");
}

BOOST_AUTO_TEST_CASE(a_wrong_pin_learns_no_name_items_or_fees_from_patron_information) {
  Kiosk k;
  k.backend.set_account("p-1", blocked_account());
  auto q = with_pin<sip2::PatronInformationRequest>("9999");
  q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::charged_items));
  q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::fine_items));
  auto a = k.ask<sip2::PatronInformationResponse>(q);
  BOOST_TEST((a.valid_patron == std::optional<bool>(true)));
  BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
  BOOST_TEST(a.personal_name.empty());
  BOOST_TEST(a.charged_items.empty());
  BOOST_TEST(a.fine_items.empty());
  BOOST_TEST(a.charged_items_count.value_or(99) == 0);
  BOOST_TEST(a.fine_items_count.value_or(99) == 0);
  BOOST_TEST(!a.fee_amount.has_value());
  BOOST_TEST(!a.borrower_type.has_value());
  BOOST_TEST(a.screen_message == sip2::Lines{k.catalogue.text("patron.bad_password")});
  BOOST_TEST(charge_denied(a.patron_status), "the status bitmap still tells the truth");
}

BOOST_AUTO_TEST_CASE(a_profile_may_ask_for_the_details_despite_a_wrong_pin) {
  Kiosk k;
  k.backend.set_account("p-1", blocked_account());
  k.terminal.dialect.patron_details_on_bad_password = true;
  auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>("9999"));
  BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
  BOOST_TEST(a.personal_name == "Ada Reader");
}

BOOST_AUTO_TEST_CASE(an_empty_ad_follows_the_profile) {
  using EP = sip2::Dialect::EmptyPin;
  {
    Kiosk k;  // by default an empty AD is no AD: no check, CQ not reported
    auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>(""));
    BOOST_TEST(!a.valid_patron_password.has_value());
    BOOST_TEST(k.backend.count(fake::Op::verify_credential) == 0);
    BOOST_TEST(a.personal_name == "Ada Reader");
  }
  {
    Kiosk k;
    k.terminal.dialect.empty_pin = EP::treat_valid;
    auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>(""));
    BOOST_TEST((a.valid_patron_password == std::optional<bool>(true)));
    BOOST_TEST(k.backend.count(fake::Op::verify_credential) == 0);
  }
  {
    Kiosk k;
    k.terminal.dialect.empty_pin = EP::treat_invalid;
    auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>(""));
    BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
    BOOST_TEST(a.personal_name.empty(), "a wrong (empty) PIN learns no name");
    BOOST_TEST(k.backend.count(fake::Op::verify_credential) == 0);
  }
  {
    Kiosk k;
    k.terminal.dialect.empty_pin = EP::verify;
    auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>(""));
    BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
    BOOST_TEST(k.backend.count(fake::Op::verify_credential) == 1);
  }
}

BOOST_AUTO_TEST_CASE(an_absent_ad_follows_the_profile_and_the_policy) {
  {
    Kiosk k;
    sip2::PatronStatusRequest q = with_pin<sip2::PatronStatusRequest>("");
    q.patron_password.reset();
    auto a = k.ask<sip2::PatronStatusResponse>(q);
    BOOST_TEST(!a.valid_patron_password.has_value());
  }
  {
    Kiosk k;
    k.terminal.dialect.absent_pin = sip2::Dialect::AbsentPin::treat_invalid;
    sip2::PatronStatusRequest q = with_pin<sip2::PatronStatusRequest>("");
    q.patron_password.reset();
    auto a = k.ask<sip2::PatronStatusResponse>(q);
    BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
    BOOST_TEST(k.backend.count(fake::Op::verify_credential) == 0);
  }
  {
    Kiosk k;
    k.terminal.account->policy.require_patron_password = true;
    sip2::PatronStatusRequest q = with_pin<sip2::PatronStatusRequest>("");
    q.patron_password.reset();
    auto a = k.ask<sip2::PatronStatusResponse>(q);
    BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
    BOOST_TEST(a.screen_message.front() == k.catalogue.text("patron.password_required"));
  }
}

BOOST_AUTO_TEST_CASE(the_right_pin_gets_the_whole_account) {
  Kiosk k;
  k.backend.set_account("p-1", blocked_account());
  auto q = with_pin<sip2::PatronInformationRequest>(fake::patron_pin);
  q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::charged_items));
  auto a = k.ask<sip2::PatronInformationResponse>(q);
  BOOST_TEST(a.personal_name == "Ada Reader");
  BOOST_TEST(a.charged_items == sip2::Lines{"31234000000131"});
  BOOST_TEST(a.fee_amount.value_or("") == "32.00");
}

BOOST_AUTO_TEST_CASE(a_refused_patron_enable_still_reports_the_blocks) {
  Kiosk k;
  k.backend.set_account("p-1", blocked_account());
  auto a = k.ask<sip2::PatronEnableResponse>(with_pin<sip2::PatronEnableRequest>("9999"));
  BOOST_TEST((a.valid_patron_password == std::optional<bool>(false)));
  BOOST_TEST(a.personal_name.empty());
  BOOST_TEST(charge_denied(a.patron_status));
  BOOST_TEST(k.backend.count(Op::enable_patron) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
