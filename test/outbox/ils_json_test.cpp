// JSON of the ils types a job carries: what goes in comes out.
#include "outbox_world.hpp"

using namespace obtest;

BOOST_AUTO_TEST_SUITE(ils_json)

BOOST_AUTO_TEST_CASE(a_checkout_request_keeps_its_dates_and_override) {
  ils::CheckoutRequest q;
  q.patron = patron_ref();
  q.item_barcode = item_barcode;
  q.service_point_id = "sp-1";
  q.loan_date = seconds(start_time());
  q.due_date = seconds(start_time() + 24h);
  q.override_blocks = true;
  q.override_comment = "no-block replay";
  const auto back = nlohmann::json(q).get<ils::CheckoutRequest>();
  BOOST_TEST(back.patron.id == patron_id);
  BOOST_TEST(back.patron.barcode == patron_barcode);
  BOOST_TEST(back.item_barcode == item_barcode);
  BOOST_TEST(back.service_point_id == "sp-1");
  BOOST_TEST((back.loan_date == q.loan_date));
  BOOST_TEST((back.due_date == q.due_date));
  BOOST_TEST(back.override_blocks);
  BOOST_TEST(back.override_comment == "no-block replay");
  const auto bare = nlohmann::json(ils::CheckoutRequest{}).get<ils::CheckoutRequest>();
  BOOST_TEST(!bare.loan_date.has_value());
  BOOST_TEST(!bare.override_blocks);
}

BOOST_AUTO_TEST_CASE(results_round_trip) {
  ils::CheckinResult c;
  c.item = fake::item("I1", item_barcode, "The Hidden Orchard");
  c.item.status = ils::ItemStatus::in_transit;
  c.item.loan_date = seconds(start_time());
  c.had_loan = true;
  c.hold_trapped = true;
  c.alert = ils::CheckinAlert::hold_in_transit;
  c.hold_check_failure = ils::Failure{ils::make_error_code(ils::errc::timeout), "slow"};
  const auto cb = nlohmann::json(c).get<ils::CheckinResult>();
  BOOST_TEST(cb.item.barcode == item_barcode);
  BOOST_TEST((cb.item.status == ils::ItemStatus::in_transit));
  BOOST_TEST((cb.item.loan_date == c.item.loan_date));
  BOOST_TEST(cb.had_loan);
  BOOST_TEST(cb.hold_trapped);
  BOOST_TEST((cb.alert == ils::CheckinAlert::hold_in_transit));
  BOOST_REQUIRE(cb.hold_check_failure.has_value());
  BOOST_TEST((cb.hold_check_failure->code == ils::errc::timeout));

  ils::RenewAllResult r;
  ils::Loan l;
  l.item_barcode = item_barcode;
  l.renewal_count = 3;
  l.due_date = seconds(start_time() + 48h);
  r.renewed.push_back(l);
  r.unrenewed.push_back({item2_barcode, "A Second Book", "too many renewals"});
  const auto rb = nlohmann::json(r).get<ils::RenewAllResult>();
  BOOST_REQUIRE(rb.renewed.size() == 1u);
  BOOST_TEST(rb.renewed[0].renewal_count == 3u);
  BOOST_TEST((rb.renewed[0].due_date == l.due_date));
  BOOST_REQUIRE(rb.unrenewed.size() == 1u);
  BOOST_TEST(rb.unrenewed[0].reason == "too many renewals");

  ils::PaymentResult p{300, 200, {{"fee-1", 300, 200}}};
  const auto pb = nlohmann::json(p).get<ils::PaymentResult>();
  BOOST_TEST(pb.paid == 300);
  BOOST_REQUIRE(pb.fees.size() == 1u);
  BOOST_TEST(pb.fees[0].fee_id == "fee-1");

  ils::EnableResult e;
  e.removed = 2;
  ils::Block b;
  b.source = ils::BlockSource::automated;
  b.borrowing = true;
  b.message = "Too many overdue items";
  e.remaining.push_back(b);
  const auto eb = nlohmann::json(e).get<ils::EnableResult>();
  BOOST_TEST(eb.removed == 2u);
  BOOST_REQUIRE(eb.remaining.size() == 1u);
  BOOST_TEST((eb.remaining[0].source == ils::BlockSource::automated));
  BOOST_TEST(eb.remaining[0].message == "Too many overdue items");

  ils::Hold h;
  h.kind = ils::HoldKind::recall;
  h.item_barcode = item_barcode;
  h.position = 2;
  h.expires_at = seconds(start_time());
  const auto hb = nlohmann::json(h).get<ils::Hold>();
  BOOST_TEST((hb.kind == ils::HoldKind::recall));
  BOOST_TEST(hb.position == 2);
  BOOST_TEST((hb.expires_at == h.expires_at));
}

BOOST_AUTO_TEST_CASE(a_request_missing_a_member_does_not_parse) {
  nlohmann::json no_item;
  no_item["patron"] = patron_ref();
  BOOST_CHECK_THROW((void)no_item.get<ils::CheckoutRequest>(), nlohmann::json::exception);
}

BOOST_AUTO_TEST_SUITE_END()
