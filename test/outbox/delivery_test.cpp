// Delivery of each operation, the read-back that resolves an ambiguous failure (applied: no
// second call; not applied: sent again), refusals, and the replay guard.
#include <functional>

#include "outbox_world.hpp"

using namespace obtest;

namespace {

/// One operation as the tests exercise it.
struct Case {
  const char* name;
  fake::Op call;                      ///< the Backend call that makes the change
  std::function<void(World&)> setup;  ///< the library before the job
  std::function<NewJob()> job;
  std::function<void(World&, const Job&)> applied_once;  ///< the change is there, once
};

void lend_both(World& w) {
  lend(w.backend, item_barcode, patron_ref());
  lend(w.backend, item2_barcode, patron_ref());
}

void owes(World& w, ils::Cents cents) {
  ils::PatronAccount a;
  a.fee_total = cents;
  w.backend.set_account(patron_id, a);
}

std::vector<ils::Hold> holds(World& w) {
  auto a = w.backend.patron_account({"check", soon(), 0ms}, patron_ref(), {});
  BOOST_REQUIRE(a.has_value());
  return a->holds_unavailable;
}

std::vector<ils::Block> blocks(World& w) {
  auto a = w.backend.patron_account({"check", soon(), 0ms}, patron_ref(), {});
  BOOST_REQUIRE(a.has_value());
  return a->blocks;
}

std::vector<Case> cases() {
  return {
      {"checkout", fake::Op::checkout, [](World&) {}, [] { return checkout_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(w.backend.checkouts().size() == 1u);
         BOOST_TEST(w.backend.stored_item(item_barcode)->borrower_id == patron_id);
         BOOST_TEST(j.result.get<ils::Loan>().user_id == patron_id);
       }},
      {"checkin", fake::Op::checkin,
       [](World& w) { lend(w.backend, item_barcode, patron_ref(), seconds(start_time() - 2h)); },
       [] { return checkin_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(w.backend.checkins().size() == 1u);
         BOOST_TEST(w.backend.stored_item(item_barcode)->borrower_id.empty());
         BOOST_TEST(j.result.get<ils::CheckinResult>().item.barcode == item_barcode);
       }},
      {"renew", fake::Op::renew, [](World& w) { lend(w.backend, item_barcode, patron_ref()); },
       [] { return renew_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(w.backend.stored_item(item_barcode)->renewal_count == 1u);
         BOOST_TEST(j.result.get<ils::Loan>().renewal_count == 1u);
       }},
      {"renew_all", fake::Op::renew_all, lend_both, [] { return renew_all_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(w.backend.stored_item(item_barcode)->renewal_count == 1u);
         BOOST_TEST(w.backend.stored_item(item2_barcode)->renewal_count == 1u);
         BOOST_TEST(j.result.get<ils::RenewAllResult>().renewed.size() == 2u);
       }},
      {"fee_paid", fake::Op::pay_fee, [](World& w) { owes(w, 1000); }, [] { return fee_job(250); },
       [](World& w, const Job& j) {
         BOOST_REQUIRE(w.backend.payments().size() == 1u);
         BOOST_TEST(w.backend.payments()[0].transaction_id == j.reference());
         BOOST_TEST(j.result.get<ils::PaymentResult>().remaining == 750);
       }},
      {"hold_place", fake::Op::place_hold, [](World&) {}, [] { return hold_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(holds(w).size() == 1u);
         BOOST_TEST(j.result.get<ils::Hold>().item_barcode == item_barcode);
       }},
      {"hold_cancel", fake::Op::cancel_hold,
       [](World& w) {
         ils::HoldRequest q;
         q.patron = patron_ref();
         q.item_barcode = item_barcode;
         BOOST_REQUIRE(w.backend.place_hold({"setup", soon(), 0ms}, q).has_value());
       },
       [] { return cancel_hold_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(holds(w).empty());
         BOOST_TEST(j.result.get<ils::Hold>().item_barcode == item_barcode);
       }},
      {"block_patron", fake::Op::block_patron, [](World&) {}, [] { return block_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(blocks(w).size() == 1u);
         BOOST_TEST(j.result.get<ils::Block>().created_by_gateway);
       }},
      {"enable_patron", fake::Op::enable_patron,
       [](World& w) {
         ils::BlockRequest q;
         q.patron = patron_ref();
         q.reason = "Card retained at kiosk";
         BOOST_REQUIRE(w.backend.block_patron({"setup", soon(), 0ms}, q).has_value());
       },
       [] { return enable_job(); },
       [](World& w, const Job& j) {
         BOOST_TEST(blocks(w).empty());
         BOOST_TEST(j.result.get<ils::EnableResult>().remaining.empty());
       }},
  };
}

/// The world a case needs: the fake lists charged items as loans (renew-all reads them).
void prepare(World& w, const Case& c) {
  w.backend.loans_from_items = true;
  c.setup(w);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(delivery)

BOOST_AUTO_TEST_CASE(each_operation_is_delivered_with_its_result) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      World w;
      prepare(w, c);
      const Job j = w.attempt_now(w.submit(c.job()).job.id);
      BOOST_TEST(j.state == State::delivered);
      BOOST_TEST(j.attempts == 1u);
      BOOST_TEST(j.read_backs.empty());
      BOOST_TEST(w.backend.count(c.call) == 1);
      c.applied_once(w, j);
      BOOST_TEST(w.box->counters().of(outbox::Verdict::delivered) == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_lost_answer_is_read_back_as_applied_and_never_sent_twice) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      World w;
      prepare(w, c);
      w.backend.script(c.call, fake::Outcome::apply_then_lose());
      const Job j = w.attempt_now(w.submit(c.job()).job.id);
      BOOST_TEST(j.state == State::delivered);
      BOOST_REQUIRE(j.read_backs.size() == 1u);
      BOOST_TEST(j.read_backs[0].found == outbox::Finding::applied);
      w.later();
      BOOST_TEST(w.forwarder->run_due() == 0u);
      BOOST_TEST(w.backend.count(c.call) == 1);
      c.applied_once(w, j);
      BOOST_TEST(w.box->counters().of(outbox::Finding::applied) == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_change_leaves_the_read_back_its_budget_within_the_attempts_deadline) {
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::apply_then_lose());
  const auto deadline = soon();
  auto j = w.forwarder->attempt_now(w.submit(checkout_job()).job.id, {"test", deadline, 0ms});
  BOOST_REQUIRE(j.has_value());
  BOOST_TEST(j->state == State::delivered);  // found by the read-back
  bool sent = false;
  int read = 0;
  for (const auto& call : w.backend.calls()) {
    BOOST_TEST((call.deadline <= deadline), "no call runs past the attempt's deadline");
    if (call.op == fake::Op::checkout) {
      sent = true;
      BOOST_TEST((call.deadline == deadline - w.options.read_back_timeout));
    } else if (sent) {
      ++read;  // the read-back, after the lost answer: the rest of the deadline
    }
  }
  BOOST_TEST(sent);
  BOOST_TEST(read >= 1);
}

BOOST_AUTO_TEST_CASE(a_failure_that_changed_nothing_is_read_back_then_sent_again) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      World w;
      prepare(w, c);
      w.backend.script(c.call, fake::Outcome::fail(ils::errc::unavailable, "502 Bad Gateway"));
      const auto id = w.submit(c.job()).job.id;
      const Job first = w.attempt_now(id);
      BOOST_TEST(first.state == State::queued);
      BOOST_TEST(!first.unresolved);
      BOOST_REQUIRE(first.read_backs.size() == 1u);
      BOOST_TEST(first.read_backs[0].found == outbox::Finding::not_applied);
      BOOST_TEST(first.reason == "502 Bad Gateway; read back: not applied");
      w.later();
      BOOST_TEST(w.forwarder->run_due() == 1u);
      const Job second = w.find(id);
      BOOST_TEST(second.state == State::delivered);
      BOOST_TEST(second.attempts == 2u);
      BOOST_TEST(w.backend.count(c.call) == 2);
      c.applied_once(w, second);
    }
  }
}

BOOST_AUTO_TEST_CASE(when_the_read_back_fails_the_next_attempt_reads_back_before_sending) {
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::apply_then_lose());
  w.backend.script(fake::Op::item, fake::Outcome::fail(ils::errc::unavailable, "503"));
  const auto id = w.submit(checkout_job()).job.id;
  const Job first = w.attempt_now(id);
  BOOST_TEST(first.state == State::queued);
  BOOST_TEST(first.unresolved);
  BOOST_REQUIRE(first.read_backs.size() == 1u);
  BOOST_TEST(first.read_backs[0].found == outbox::Finding::unknown);
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 1u);
  const Job second = w.find(id);
  BOOST_TEST(second.state == State::delivered);
  BOOST_TEST(!second.unresolved);
  BOOST_TEST(second.read_backs.back().found == outbox::Finding::applied);
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);  // never sent a second time
  BOOST_TEST(w.backend.count(fake::Op::item) == 2);
}

BOOST_AUTO_TEST_CASE(already_checked_out_to_the_same_patron_is_success) {
  World w;
  lend(w.backend, item_barcode, patron_ref());  // an earlier attempt whose answer was lost
  const Job j = w.attempt_now(w.submit(checkout_job()).job.id);
  BOOST_TEST(j.state == State::delivered);
  BOOST_TEST(j.result.get<ils::Loan>().user_id == patron_id);
  BOOST_TEST(w.backend.checkouts().size() == 1u);
  BOOST_REQUIRE(j.read_backs.size() == 1u);
  BOOST_TEST(j.read_backs[0].found == outbox::Finding::applied);
}

BOOST_AUTO_TEST_CASE(already_requested_by_the_same_patron_is_success) {
  World w;
  ils::HoldRequest q;
  q.patron = patron_ref();
  q.item_barcode = item_barcode;
  BOOST_REQUIRE(w.backend.place_hold({"setup", soon(), 0ms}, q).has_value());
  const Job j = w.attempt_now(w.submit(hold_job()).job.id);
  BOOST_TEST(j.state == State::delivered);
  BOOST_TEST(j.result.get<ils::Hold>().requester_id == patron_id);
  BOOST_TEST(w.backend.count(fake::Op::place_hold) == 2);
}

BOOST_AUTO_TEST_CASE(a_refusal_is_final_and_its_words_carry_no_barcode) {
  World w;
  w.backend.script(fake::Op::checkout,
                   fake::Outcome::fail(ils::errc::rejected,
                                       std::string("No loan policy for item ") + item_barcode));
  const Job j = w.attempt_now(w.submit(checkout_job()).job.id);
  BOOST_TEST(j.state == State::refused);
  BOOST_TEST(j.reason == "No loan policy for item " + w.box->pseudonym(item_barcode));
  // The kiosk's screen gets the library system's own words, kept sealed with the result.
  BOOST_TEST(j.result.at("failure").at("message").get<std::string>() ==
             std::string("No loan policy for item ") + item_barcode);
  BOOST_TEST(j.result.at("failure").at("code").get<int>() == static_cast<int>(ils::errc::rejected));
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 0u);
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);
  BOOST_TEST(w.box->counters().of(outbox::Verdict::refused) == 1u);
}

BOOST_AUTO_TEST_CASE(a_return_refused_for_its_items_status_is_not_read_back_as_done) {
  // The item is lost (not on loan): before the rule, a read-back after a lost answer found it
  // "not charged" and called the return done although nothing was checked in.
  World w;
  auto lost = fake::item("i-9", "31234000000099", "Gone Astray", "book");
  lost.status = ils::ItemStatus::lost;
  lost.status_name = "Aged to lost";
  w.backend.add_item(lost);
  ils::CheckinRequest q;
  q.item_barcode = "31234000000099";
  q.return_date = seconds(start_time());
  q.refuse_statuses = {"lost"};
  const auto job = job_of(Op::checkin, q, "", "31234000000099", when(1));
  w.backend.script(fake::Op::checkin, fake::Outcome::time_out());
  const auto id = w.submit(job).job.id;
  const Job first = w.attempt_now(id);
  BOOST_REQUIRE(first.read_backs.size() == 1u);
  BOOST_TEST(first.read_backs[0].found == outbox::Finding::not_applied);
  BOOST_TEST(first.state != State::delivered);
  w.later();
  w.forwarder->run_due();
  BOOST_TEST(w.find(id).state == State::refused);
  BOOST_TEST(w.backend.checkins().empty());
}

BOOST_AUTO_TEST_CASE(checked_out_to_someone_else_is_refused_online_and_an_exception_offline) {
  World w;
  lend(w.backend, item_barcode, patron_ref(other_id, other_barcode));
  const Job online = w.attempt_now(w.submit(checkout_job()).job.id);
  BOOST_TEST(online.state == State::refused);
  BOOST_TEST(online.reason == "Item is already checked out");
  NewJob offline = checkout_job(item_barcode, when(9));
  offline.acknowledged = true;
  const Job told_yes = w.attempt_now(w.submit(offline).job.id);
  BOOST_TEST(told_yes.state == State::exception);
  BOOST_TEST(told_yes.reason ==
             "refused after the kiosk was told yes: Item is already checked out");
}

BOOST_AUTO_TEST_CASE(a_change_not_started_is_retried_without_a_read_back) {
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::insufficient_time));
  const Job j = w.attempt_now(w.submit(checkout_job()).job.id);
  BOOST_TEST(j.state == State::queued);
  BOOST_TEST(j.read_backs.empty());
  BOOST_TEST(w.backend.count(fake::Op::item) == 0);
}

BOOST_AUTO_TEST_CASE(an_operation_the_library_system_lacks_is_an_exception) {
  World w;
  outbox::ItemStatusArgs q{item_barcode, "sorted"};
  const Job j = w.attempt_now(w.submit(job_of(Op::item_status, q, "", item_barcode)).job.id);
  BOOST_TEST(j.state == State::exception);
  BOOST_TEST(j.reason == "not supported by this library system");
}

BOOST_AUTO_TEST_CASE(a_no_block_replay_overrides_blocks_and_keeps_the_kiosks_dates) {
  World w;
  w.backend.refuse_blocked_checkouts = true;
  ils::PatronAccount blocked;
  blocked.borrowing_blocked = true;
  w.backend.set_account(patron_id, blocked);
  ils::CheckoutRequest q;
  q.patron = patron_ref();
  q.item_barcode = item_barcode;
  q.loan_date = seconds(start_time() - 3h);
  q.due_date = seconds(start_time() + 24h * 14);
  q.override_blocks = true;
  NewJob nb = job_of(Op::checkout, q, patron_barcode, item_barcode);
  nb.acknowledged = nb.replay = true;
  const Job j = w.attempt_now(w.submit(nb).job.id);
  BOOST_TEST(j.state == State::delivered);
  BOOST_REQUIRE(w.backend.checkouts().size() == 1u);
  BOOST_TEST(w.backend.checkouts()[0].override_blocks);
  BOOST_TEST((w.backend.checkouts()[0].loan_date == q.loan_date));
  BOOST_TEST((w.backend.stored_item(item_barcode)->due_date == q.due_date));

  q.item_barcode = item2_barcode;
  q.override_blocks = false;
  NewJob plain = job_of(Op::checkout, q, patron_barcode, item2_barcode);
  plain.acknowledged = true;
  const Job refused = w.attempt_now(w.submit(plain).job.id);
  BOOST_TEST(refused.state == State::exception);
  BOOST_TEST(refused.reason ==
             "refused after the kiosk was told yes: Patron blocked from borrowing");
}

BOOST_AUTO_TEST_CASE(a_replayed_checkin_older_than_the_items_loan_is_flagged_not_applied) {
  World w;
  lend(w.backend, item_barcode, patron_ref(other_id, other_barcode), seconds(start_time() + 2h));
  NewJob late = checkin_job(item_barcode, start_time());
  late.acknowledged = late.replay = true;
  const Job j = w.attempt_now(w.submit(late).job.id);
  BOOST_TEST(j.state == State::exception);
  BOOST_TEST(j.reason.find("stale replay") == 0u);
  BOOST_TEST(w.backend.count(fake::Op::checkin) == 0);
  BOOST_TEST(w.backend.stored_item(item_barcode)->borrower_id == other_id);
  BOOST_TEST(w.box->counters().stale_events.load() == 1u);
}

BOOST_AUTO_TEST_CASE(a_replayed_checkin_newer_than_the_loan_is_applied) {
  World w;
  lend(w.backend, item_barcode, patron_ref(), seconds(start_time() - 2h));
  NewJob late = checkin_job(item_barcode, start_time());
  late.replay = true;
  BOOST_TEST(w.attempt_now(w.submit(late).job.id).state == State::delivered);
  BOOST_TEST(w.backend.count(fake::Op::checkin) == 1);
}

BOOST_AUTO_TEST_CASE(a_replayed_checkout_older_than_someone_elses_loan_is_flagged) {
  World w;
  lend(w.backend, item_barcode, patron_ref(other_id, other_barcode), seconds(start_time() + 1h));
  NewJob late = checkout_job();
  late.replay = true;
  const Job j = w.attempt_now(w.submit(late).job.id);
  BOOST_TEST(j.state == State::exception);
  BOOST_TEST(j.reason.find("stale replay") == 0u);
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);  // the setup's own
}

BOOST_AUTO_TEST_CASE(a_replayed_checkout_the_patron_already_has_is_delivered_unsent) {
  World w;
  lend(w.backend, item_barcode, patron_ref(), seconds(start_time() - 1h));
  NewJob late = checkout_job();
  late.replay = true;
  const Job j = w.attempt_now(w.submit(late).job.id);
  BOOST_TEST(j.state == State::delivered);
  BOOST_TEST(j.result.get<ils::Loan>().user_id == patron_id);
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);
}

BOOST_AUTO_TEST_CASE(a_payment_is_sent_with_the_jobs_reference_every_time) {
  World w;
  owes(w, 1000);
  w.backend.script(fake::Op::pay_fee, fake::Outcome::fail(ils::errc::timeout, "timed out"));
  const auto id = w.submit(fee_job(400)).job.id;
  BOOST_TEST(w.attempt_now(id).state == State::queued);
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 1u);
  const Job j = w.find(id);
  BOOST_TEST(j.state == State::delivered);
  BOOST_REQUIRE(w.backend.payments().size() == 1u);
  BOOST_TEST(w.backend.payments()[0].transaction_id == j.reference());
  BOOST_TEST(w.backend.count(fake::Op::find_payment) == 1);
  BOOST_TEST(j.reference().find("sip2gw-" + std::to_string(id) + "-") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
