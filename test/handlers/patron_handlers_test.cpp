// 23 Patron Status, 63 Patron Information and 25 Patron Enable: what a wrong PIN may learn.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <regex>

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

BOOST_AUTO_TEST_SUITE(patron_profile_keys)

BOOST_AUTO_TEST_CASE(av_lines_follow_the_profiles_format_and_decimals) {
  using F = profiles::Behaviour::Fees;
  auto av = [](F::AvFormat format, int decimals) {
    Kiosk k;
    auto account = blocked_account();
    account.fees[0].title = "The Lost Atlas";
    account.fees[0].remaining = 3255;
    k.backend.set_account("p-1", account);
    k.terminal.behaviour.fees.av_format = format;
    k.terminal.behaviour.fees.amount_decimals = decimals;
    auto q = with_pin<sip2::PatronInformationRequest>(fake::patron_pin);
    q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::fine_items));
    const auto a = k.ask<sip2::PatronInformationResponse>(q);
    BOOST_TEST_REQUIRE(a.fine_items.size() == 1u);
    return a.fine_items[0];
  };
  BOOST_TEST(av(F::AvFormat::plain, 2) == "fee-1 32.55 Lost item fee The Lost Atlas");
  BOOST_TEST(av(F::AvFormat::quoted_type, 2) == "fee-1 32.55 \"Lost item fee\" The Lost Atlas");
  BOOST_TEST(av(F::AvFormat::dollar, 2) == "fee-1 $32.55 \"LOST ITEM FEE\" The Lost Atlas");
  BOOST_TEST(av(F::AvFormat::labelled, 2) ==
             "Charge-Number: fee-1, Amount-Due: 32.55, Fine-Type: Lost item fee, Title: The Lost "
             "Atlas");
  BOOST_TEST(av(F::AvFormat::plain, 0) == "fee-1 33 Lost item fee The Lost Atlas");
  BOOST_TEST(av(F::AvFormat::plain, 1) == "fee-1 32.6 Lost item fee The Lost Atlas");
  BOOST_TEST(av(F::AvFormat::plain, 4) == "fee-1 32.5500 Lost item fee The Lost Atlas");
}

BOOST_AUTO_TEST_CASE(a_64_lists_every_hold_and_envisionwares_fields_when_asked) {
  auto account = blocked_account();
  ils::Hold ready;
  ready.item_barcode = "31234000000200";
  ils::Hold waiting;
  waiting.item_barcode = "31234000000218";
  account.holds_available = {ready};
  account.holds_unavailable = {waiting};
  auto ask = [&](Kiosk& k) {
    k.backend.set_account("p-1", account);
    auto q = with_pin<sip2::PatronInformationRequest>(fake::patron_pin);
    q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::hold_items));
    return k.ask<sip2::PatronInformationResponse>(q);
  };
  Kiosk base;
  const auto a = ask(base);
  BOOST_TEST(a.hold_items == sip2::Lines{"31234000000200"});
  BOOST_TEST(a.extra.empty());
  Kiosk all;
  all.terminal.behaviour.all_holds_in_64 = true;
  all.terminal.behaviour.envisionware_64 = true;
  auto p = fake::patron("p-1", fake::patron_barcode, "Ada Reader");
  p.patron_group = "adult";
  p.expires_at = std::chrono::sys_days{std::chrono::year{2027} / 6 / 30};
  all.backend.update_patron(p);
  const auto b = ask(all);
  BOOST_TEST(b.hold_items == (sip2::Lines{"31234000000200", "31234000000218"}));
  const auto wire = *sip2::encode(sip2::AnyMessage{b});
  BOOST_TEST(wire.find("|PA20270630") != std::string::npos, wire);
  BOOST_TEST(wire.find("|PCadult|") != std::string::npos, wire);
  BOOST_TEST(wire.find("|PB") == std::string::npos, wire);  // birth dates are not read
}

BOOST_AUTO_TEST_CASE(a_24_carries_contact_fields_only_when_the_profile_asks) {
  auto p = fake::patron("p-1", fake::patron_barcode, "Ada Reader");
  p.address = "1 Main St, Springfield";
  p.email = "ada@example.org";
  p.phone = "555-0101";
  auto status = [&](Kiosk& k, const std::string& pin) {
    k.backend.update_patron(p);
    const auto a = k.ask<sip2::PatronStatusResponse>(with_pin<sip2::PatronStatusRequest>(pin));
    return *sip2::encode(sip2::AnyMessage{a});
  };
  Kiosk base;
  const auto plain = status(base, fake::patron_pin);
  for (auto code : {"|BD", "|BE", "|BF"})
    BOOST_TEST(plain.find(code) == std::string::npos, plain);
  Kiosk ill;
  ill.terminal.behaviour.status_24_fields = {"BE", "BF"};
  const auto relais = status(ill, fake::patron_pin);
  BOOST_TEST(relais.find("|BEada@example.org|") != std::string::npos, relais);
  BOOST_TEST(relais.find("|BF555-0101|") != std::string::npos, relais);
  BOOST_TEST(relais.find("|BD") == std::string::npos, relais);
  // A wrong PIN learns none of them.
  Kiosk wrong;
  wrong.terminal.behaviour.status_24_fields = {"BD", "BE", "BF"};
  const auto refused = status(wrong, "0000");
  for (auto code : {"|BD", "|BE", "|BF"})
    BOOST_TEST(refused.find(code) == std::string::npos, refused);
}

BOOST_AUTO_TEST_CASE(a_64s_lists_follow_the_profiles_info_64_keys) {
  auto account = blocked_account();
  ils::Loan second;
  second.item_barcode = "31234000000149";
  second.title = "Second Loan";
  account.loans.push_back(second);
  ils::Hold waiting;
  waiting.item_barcode = "31234000000218";
  waiting.title = "Waiting Title";
  account.holds_unavailable = {waiting};
  auto ask = [&](Kiosk& k) {
    k.backend.set_account("p-1", account);
    auto q = with_pin<sip2::PatronInformationRequest>(fake::patron_pin);
    q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::charged_items));
    q.summary.set(static_cast<std::size_t>(sip2::SummaryItem::unavailable_holds));
    return k.ask<sip2::PatronInformationResponse>(q);
  };
  Kiosk base;
  const auto a = ask(base);
  BOOST_TEST(a.charged_items == (sip2::Lines{"31234000000131", "31234000000149"}));
  BOOST_TEST(a.unavailable_hold_items == sip2::Lines{"31234000000218"});
  const auto plain = *sip2::encode(sip2::AnyMessage{a});
  BOOST_TEST(plain.find("|XI") == std::string::npos, plain);

  Kiosk titles;
  titles.terminal.behaviour.info_64.titles = true;
  const auto b = ask(titles);
  BOOST_TEST(b.charged_items == (sip2::Lines{"A Private Matter", "Second Loan"}));
  BOOST_TEST(b.unavailable_hold_items == sip2::Lines{"Waiting Title"});

  Kiosk capped;
  capped.terminal.behaviour.info_64.max_items = 1;
  capped.terminal.behaviour.info_64.unavailable_in_cd = false;
  capped.terminal.behaviour.info_64.internal_id = true;
  const auto c = ask(capped);
  BOOST_TEST(c.charged_items == sip2::Lines{"31234000000131"});
  BOOST_TEST(c.charged_items_count.value_or(0) == 2u);  // the count stays whole
  BOOST_TEST(c.unavailable_hold_items.empty());
  BOOST_TEST(c.unavailable_holds_count.value_or(0) == 1u);
  const auto wire = *sip2::encode(sip2::AnyMessage{c});
  BOOST_TEST(wire.find("|XIp-1|") != std::string::npos, wire);
  BOOST_TEST(wire.find("|CD") == std::string::npos, wire);
}

BOOST_AUTO_TEST_CASE(a_patron_identifier_is_trimmed_and_transformed_and_echoed_as_sent) {
  // A scanner that adds blanks and a leading "P-" (and a check letter at the end).
  const std::string sent = std::string(" P-") + fake::patron_barcode + "X ";
  auto status = [&](Kiosk& k) {
    auto q = with_pin<sip2::PatronStatusRequest>(fake::patron_pin);
    q.patron_identifier = sent;
    return k.ask<sip2::PatronStatusResponse>(q);
  };
  Kiosk base;
  BOOST_TEST(!status(base).valid_patron.value_or(false));
  Kiosk k;
  k.terminal.behaviour.identifier.trim = true;
  for (const auto& [find, replace] : {std::pair{"^P-", ""}, std::pair{"X$", ""}})
    k.terminal.behaviour.identifier.transforms.push_back(
        {find, replace, std::make_shared<const std::regex>(find)});
  const auto a = status(k);
  BOOST_TEST(a.valid_patron.value_or(false));
  BOOST_TEST(a.valid_patron_password.value_or(false));
  BOOST_TEST(a.patron_identifier == sent);  // the kiosk's own AA comes back
  // Only trimming: the prefix stays and the patron is not found.
  Kiosk trim_only;
  trim_only.terminal.behaviour.identifier.trim = true;
  BOOST_TEST(!status(trim_only).valid_patron.value_or(false));
}

BOOST_AUTO_TEST_SUITE_END()
