// The forwarder: backoff with jitter, the exceptions queue, order per item and per patron,
// attempt_now waiting for an earlier job, recovery of jobs in flight at a crash, its threads.
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "outbox_world.hpp"

using namespace obtest;

BOOST_AUTO_TEST_SUITE(forwarder)

BOOST_AUTO_TEST_CASE(backoff_doubles_to_its_cap_scaled_by_the_jitter) {
  outbox::Backoff b;
  b.base = 1s;
  b.cap = 4s;
  BOOST_TEST(outbox::backoff_delay(b, 1, 0.5).count() == 500);
  BOOST_TEST(outbox::backoff_delay(b, 2, 0.5).count() == 1000);
  BOOST_TEST(outbox::backoff_delay(b, 3, 0.5).count() == 2000);
  BOOST_TEST(outbox::backoff_delay(b, 4, 0.5).count() == 2000);
  BOOST_TEST(outbox::backoff_delay(b, 40, 0.5).count() == 2000);
  BOOST_TEST(outbox::backoff_delay(b, 3, 0.0).count() == 0);
  BOOST_TEST(outbox::backoff_delay(b, 3, 0.999).count() == 3996);
}

BOOST_AUTO_TEST_CASE(failed_attempts_are_rescheduled_by_the_backoff_then_become_an_exception) {
  World w;  // base 1 s, cap 4 s, at most 5 attempts, jitter 0.5
  for (int n = 1; n <= 5; ++n)
    w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::unauthorized, "401"), n);
  const auto id = w.submit(checkout_job()).job.id;
  const std::vector<long> expected_ms = {500, 1000, 2000, 2000};
  for (std::size_t n = 0; n < expected_ms.size(); ++n) {
    BOOST_TEST(w.forwarder->run_due() == 1u);
    const Job j = w.find(id);
    BOOST_TEST(j.state == State::queued);
    BOOST_TEST(j.attempts == n + 1);
    BOOST_TEST((j.next_attempt - w.now).count() == expected_ms[n]);
    BOOST_TEST(w.forwarder->run_due() == 0u);  // not due yet
    w.now = j.next_attempt;
  }
  BOOST_TEST(w.forwarder->run_due() == 1u);
  const Job given_up = w.find(id);
  BOOST_TEST(given_up.state == State::exception);
  BOOST_TEST(given_up.reason == "gave up after 5 attempts: 401");
  BOOST_TEST(w.box->counters().of(outbox::Verdict::retry) == 4u);
  BOOST_TEST(w.box->counters().of(outbox::Verdict::exception) == 1u);
}

BOOST_AUTO_TEST_CASE(a_retried_job_is_found_behind_thousands_of_jobs_waiting_for_it) {
  // During an outage the first job of an item is retried with a backoff while more than a
  // scan's worth of later jobs of that item queue up, due earlier and all waiting for it.
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::unauthorized, "401"), 1);
  const auto head = w.submit(checkout_job()).job.id;
  BOOST_TEST(w.forwarder->run_due() == 1u);
  const Job retried = w.find(head);
  BOOST_REQUIRE(retried.state == State::queued);
  BOOST_REQUIRE(retried.next_attempt > w.now);
  for (int n = 0; n < 4200; ++n)
    (void)w.submit(checkin_job(item_barcode, start_time(), when(100 + n)));
  w.now = retried.next_attempt;
  const auto due = w.box->due(w.now, 8);
  BOOST_REQUIRE(due.has_value());
  BOOST_TEST_REQUIRE(due->size() == 1u, "the job the others wait for is due");
  BOOST_TEST(due->front() == head);
}

BOOST_AUTO_TEST_CASE(a_job_waiting_for_others_becomes_due_when_the_last_of_them_ends) {
  World w;
  const auto a = w.submit(checkout_job(item_barcode, when(0))).job.id;
  const auto b = w.submit(checkout_job(item2_barcode, when(1))).job.id;  // waits for a (patron)
  const auto c = w.submit(checkin_job(item_barcode, start_time(), when(2))).job.id;   // a (item)
  const auto d = w.submit(checkin_job(item2_barcode, start_time(), when(3))).job.id;  // b (item)
  const auto due_now = [&] {
    auto due = w.box->due(w.now, 10);
    BOOST_REQUIRE(due.has_value());
    return std::set<std::uint64_t>(due->begin(), due->end());
  };
  BOOST_TEST((due_now() == std::set<std::uint64_t>{a}));
  BOOST_TEST(w.attempt_now(a).state == State::delivered);
  w.restart();  // what is due is on disk, not in memory
  BOOST_TEST((due_now() == std::set<std::uint64_t>{b, c}));
  BOOST_TEST(w.attempt_now(b).state == State::delivered);
  BOOST_TEST((due_now() == std::set<std::uint64_t>{c, d}));
}

BOOST_AUTO_TEST_CASE(a_job_older_than_the_maximum_age_goes_to_the_exceptions_queue_unsent) {
  World w;
  const auto id = w.submit(checkout_job()).job.id;
  w.now += w.options.backoff.max_age;
  BOOST_TEST(w.forwarder->run_due() == 1u);
  const Job j = w.find(id);
  BOOST_TEST(j.state == State::exception);
  BOOST_TEST(j.reason == "aged out before it could be delivered");
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 0);
  auto listed = w.box->list({State::exception, std::nullopt, 0, 10});
  BOOST_REQUIRE(listed.has_value());
  BOOST_TEST(listed->size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_staff_retry_gets_a_fresh_schedule) {
  World w;
  const auto id = w.submit(checkout_job()).job.id;
  w.now += w.options.backoff.max_age;
  BOOST_TEST(w.forwarder->run_due() == 1u);
  BOOST_TEST(w.find(id).state == State::exception);
  BOOST_REQUIRE(w.box->retry(id).has_value());
  BOOST_TEST(w.forwarder->run_due() == 1u);
  BOOST_TEST(w.find(id).state == State::delivered);
}

BOOST_AUTO_TEST_CASE(a_job_acknowledged_after_its_online_attempt_is_an_exception_if_refused) {
  World w;
  lend(w.backend, item_barcode, patron_ref(other_id, other_barcode));
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::unauthorized, "401"), 2);
  const auto id = w.submit(checkout_job()).job.id;
  BOOST_TEST(w.attempt_now(id).state == State::queued);  // the kiosk is then told yes locally
  auto acked = w.box->acknowledge(id);
  BOOST_REQUIRE(acked.has_value());
  BOOST_TEST(acked->acknowledged);
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 1u);
  const Job j = w.find(id);
  BOOST_TEST(j.state == State::exception);
  BOOST_TEST(j.reason == "refused after the kiosk was told yes: Item is already checked out");
}

BOOST_AUTO_TEST_CASE(a_withdrawn_job_that_cannot_have_been_applied_is_dropped_at_once) {
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::insufficient_time));
  const auto id = w.submit(checkout_job()).job.id;
  BOOST_TEST(w.attempt_now(id).state == State::queued);
  auto withdrawn = w.box->withdraw(id);
  BOOST_REQUIRE(withdrawn.has_value());
  BOOST_TEST(withdrawn->state == State::dropped);
  BOOST_TEST(withdrawn->reason == "withdrawn: the kiosk was told it failed; not applied");
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 0u);
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);
}

BOOST_AUTO_TEST_CASE(a_withdrawn_job_of_unknown_outcome_is_only_read_back) {
  for (const bool applied : {true, false}) {
    BOOST_TEST_CONTEXT("applied " << applied) {
      World w;
      w.backend.script(fake::Op::checkout,
                       applied ? fake::Outcome::apply_then_lose() : fake::Outcome::time_out());
      w.backend.script(fake::Op::item, fake::Outcome::fail(ils::errc::unavailable, "503"));
      const auto id = w.submit(checkout_job()).job.id;
      const Job first = w.attempt_now(id);
      BOOST_TEST(first.unresolved);
      auto withdrawn = w.box->withdraw(id);
      BOOST_REQUIRE(withdrawn.has_value());
      BOOST_TEST(withdrawn->state == State::queued);
      BOOST_TEST(withdrawn->withdrawn);
      w.later();
      BOOST_TEST(w.forwarder->run_due() == 1u);
      const Job j = w.find(id);
      BOOST_TEST(j.state == (applied ? State::delivered : State::dropped));
      BOOST_TEST(j.reason == (applied ? "applied although the kiosk was told it failed"
                                      : "withdrawn: the kiosk was told it failed; not applied"));
      BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);  // never sent again
      BOOST_TEST(w.backend.checkouts().size() == (applied ? 1u : 0u));
    }
  }
}

BOOST_AUTO_TEST_CASE(jobs_of_one_item_go_in_order) {
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::unauthorized, "401"));
  const auto out = w.submit(checkout_job()).job.id;
  const auto back = w.submit(checkin_job()).job.id;
  const auto other = w.submit(checkout_job(item2_barcode, when(5))).job.id;
  BOOST_TEST(w.forwarder->run_due() == 1u);  // the check-out failed; the check-in waits
  BOOST_TEST(w.find(back).state == State::queued);
  BOOST_TEST(w.find(back).attempts == 0u);
  BOOST_TEST(w.find(other).attempts == 0u);  // same patron as the first check-out
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 3u);
  BOOST_TEST(w.find(out).state == State::delivered);
  BOOST_TEST(w.find(back).state == State::delivered);
  BOOST_TEST(w.find(other).state == State::delivered);
  std::vector<fake::Op> order;
  for (const auto& c : w.backend.calls())
    if (c.subject == item_barcode) order.push_back(c.op);
  BOOST_TEST(
      (order == std::vector<fake::Op>{fake::Op::checkout, fake::Op::checkout, fake::Op::checkin}));
}

BOOST_AUTO_TEST_CASE(the_next_due_time_looks_past_jobs_waiting_for_an_earlier_one) {
  World w;
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::unauthorized, "401"));
  const auto out = w.submit(checkout_job()).job.id;
  (void)w.submit(checkin_job());  // due now, but waits for the check-out
  BOOST_TEST(w.forwarder->run_due() == 1u);
  auto next = w.box->next_due(w.now);
  BOOST_REQUIRE(next.has_value());
  BOOST_REQUIRE(next->has_value());
  BOOST_TEST((**next == w.find(out).next_attempt));
  BOOST_TEST((**next == w.now + 500ms));
}

BOOST_AUTO_TEST_CASE(jobs_of_one_patron_go_in_order_and_others_pass) {
  World w;
  ils::PatronAccount owes;
  owes.fee_total = 500;
  w.backend.set_account(patron_id, owes);
  w.backend.script(fake::Op::pay_fee, fake::Outcome::fail(ils::errc::unauthorized, "401"));
  const auto pay = w.submit(fee_job(500)).job.id;
  const auto block = w.submit(block_job()).job.id;
  const auto someone_else =
      w.submit(checkout_job(item2_barcode, when(), patron_ref(other_id, other_barcode))).job.id;
  BOOST_TEST(w.forwarder->run_due() == 2u);
  BOOST_TEST(w.find(pay).state == State::queued);
  BOOST_TEST(w.find(block).attempts == 0u);
  BOOST_TEST(w.find(someone_else).state == State::delivered);
  w.later();
  BOOST_TEST(w.forwarder->run_due() == 2u);
  BOOST_TEST(w.find(block).state == State::delivered);
}

BOOST_AUTO_TEST_CASE(attempt_now_waits_for_an_earlier_job_of_the_same_item) {
  World w;
  const auto out = w.submit(checkout_job()).job.id;
  const auto back = w.submit(checkin_job()).job.id;
  // Nothing delivers the check-out: attempt_now gives up at its deadline, unsent.
  auto waited = w.forwarder->attempt_now(back, {"t", std::chrono::steady_clock::now() + 50ms, 0ms});
  BOOST_REQUIRE(waited.has_value());
  BOOST_TEST(waited->state == State::queued);
  BOOST_TEST(w.backend.count(fake::Op::checkin) == 0);

  std::optional<Job> second;
  std::thread handler([&] {
    auto j = w.forwarder->attempt_now(back, {"t", soon(), 0ms});
    if (j) second = *j;
  });
  BOOST_TEST(w.attempt_now(out).state == State::delivered);
  handler.join();
  BOOST_REQUIRE_MESSAGE(second.has_value(), "the check-in's attempt_now returned");
  BOOST_TEST(second->state == State::delivered);
  BOOST_TEST(w.backend.checkins().size() == 1u);
}

BOOST_AUTO_TEST_CASE(attempt_now_returns_a_final_job_as_it_is) {
  World w;
  const auto id = w.submit(checkout_job()).job.id;
  BOOST_TEST(w.attempt_now(id).state == State::delivered);
  BOOST_TEST(w.attempt_now(id).state == State::delivered);
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 1);
  BOOST_TEST((w.forwarder->attempt_now(77, {"t", soon(), 0ms}).error() == outbox::errc::not_found));
}

BOOST_AUTO_TEST_CASE(a_job_in_flight_at_a_crash_is_read_back_before_anything_is_resent) {
  World w;
  const Job applied = w.submit(checkout_job()).job;
  const Job lost = w.submit(checkout_job(item2_barcode, when(1))).job;
  for (const Job& j : {applied, lost}) {
    Job flying = j;
    flying.state = State::in_flight;
    flying.attempts = 1;
    BOOST_REQUIRE(w.box->save(flying, State::queued).has_value());
  }
  lend(w.backend, item_barcode, patron_ref());  // the first reached the library, then: kill -9
  w.restart();
  auto recovered = w.box->recover();
  BOOST_REQUIRE(recovered.has_value());
  BOOST_TEST(*recovered == 2u);
  BOOST_TEST(w.find(applied.id).unresolved);
  BOOST_TEST(w.find(applied.id).state == State::queued);
  BOOST_TEST(w.forwarder->run_due() == 2u);
  const Job a = w.find(applied.id);
  const Job b = w.find(lost.id);
  BOOST_TEST(a.state == State::delivered);
  BOOST_TEST(a.read_backs.back().found == outbox::Finding::applied);
  BOOST_TEST(b.state == State::delivered);
  BOOST_TEST(b.read_backs.back().found == outbox::Finding::not_applied);
  BOOST_TEST(w.backend.checkouts().size() == 2u);  // the setup's and the second job's
  BOOST_TEST(w.backend.count(fake::Op::checkout) == 2);
}

BOOST_AUTO_TEST_CASE(the_threads_recover_and_drain_a_backlog_in_order) {
  World w;
  std::vector<std::uint64_t> ids;
  for (int round = 0; round < 10; ++round) {
    ids.push_back(w.submit(checkout_job(item_barcode, when(2 * round))).job.id);
    ids.push_back(w.submit(checkin_job(item_barcode, start_time(), when(2 * round + 1))).job.id);
  }
  Job flying = w.find(ids[0]);
  flying.state = State::in_flight;
  BOOST_REQUIRE(w.box->save(flying, State::queued).has_value());
  w.restart();
  auto started = w.forwarder->start();
  BOOST_REQUIRE(started.has_value());
  BOOST_TEST(*started == 1u);
  for (const auto id : ids) {
    auto j = w.box->wait_final(id, soon());
    BOOST_REQUIRE_MESSAGE(j.has_value(), "job " << id << " was delivered");
    BOOST_TEST(j->state == State::delivered);
  }
  w.forwarder->stop();
  std::vector<fake::Op> order;
  for (const auto& c : w.backend.calls())
    if (c.op == fake::Op::checkout || c.op == fake::Op::checkin) order.push_back(c.op);
  BOOST_REQUIRE(order.size() == 20u);
  for (std::size_t i = 0; i < order.size(); ++i)
    BOOST_TEST((order[i] == (i % 2 == 0 ? fake::Op::checkout : fake::Op::checkin)));
}

// Four jobs that wait for nothing, submitted to a running forwarder of four idle threads: all
// four are at the library system at once. Each check-in waits (up to 20 s) for the others to
// arrive; delivered one at a time, they would wait out that bound and the test would fail.
BOOST_AUTO_TEST_CASE(independent_jobs_are_delivered_by_several_threads_at_once) {
  World w;
  w.options.forwarder_threads = 4;
  const std::vector<const char*> items = {item_barcode, item2_barcode, "31234000000901",
                                          "31234000000902"};
  w.backend.add_item(fake::item("I3", items[2], "Third"));
  w.backend.add_item(fake::item("I4", items[3], "Fourth"));
  for (const char* item : items)
    lend(w.backend, item, patron_ref(), seconds(start_time() - 2h));
  std::mutex m;
  std::condition_variable cv;
  int inside = 0;
  int most = 0;
  w.backend.before_call = [&](fake::Op op) {
    if (op != fake::Op::checkin) return;
    std::unique_lock lock(m);
    most = std::max(most, ++inside);
    cv.notify_all();
    cv.wait_for(lock, 20s, [&] { return most >= 4; });
    --inside;
  };
  w.restart();
  auto started = w.forwarder->start();
  BOOST_REQUIRE(started.has_value());
  std::vector<std::uint64_t> ids;
  for (std::size_t i = 0; i < items.size(); ++i)
    ids.push_back(w.submit(checkin_job(items[i], start_time(), when(static_cast<int>(i)))).job.id);
  for (const auto id : ids) {
    auto j = w.box->wait_final(id, std::chrono::steady_clock::now() + 60s);
    BOOST_REQUIRE(j.has_value());
    BOOST_TEST(j->state == State::delivered);
  }
  w.forwarder->stop();
  const std::lock_guard lock(m);
  BOOST_TEST(most == 4);
}

BOOST_AUTO_TEST_CASE(an_open_breaker_stops_delivery_until_it_half_opens) {
  World w;  // the breaker: 10 calls in 30 s, half of them failed → open for 15 s
  w.options.backoff.max_attempts = 50;
  w.restart();
  for (int n = 1; n <= 12; ++n)
    w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::timeout, "timed out"), n);
  const auto id = w.submit(checkout_job()).job.id;
  // Each attempt: the check-out times out (failed), then its read-back answers (ok).
  std::size_t made = 0;
  for (int round = 0; round < 12 && w.breaker->state() == outbox::BreakerState::closed; ++round) {
    made += w.forwarder->run_due();
    w.later(1min);
  }
  BOOST_TEST(made == 5u);  // the tenth call opened it: 5 failed of 10
  BOOST_TEST(w.breaker->state() == outbox::BreakerState::open);
  BOOST_TEST(w.box->counters().breaker_opened.load() == 1u);
  const auto calls = w.backend.calls().size();
  BOOST_TEST(w.forwarder->run_due() == 0u);
  BOOST_TEST(w.backend.calls().size() == calls);
  w.steady += w.options.breaker.open_for;
  BOOST_TEST(w.breaker->state() == outbox::BreakerState::half_open);
  BOOST_TEST(w.forwarder->run_due() == 1u);
  BOOST_TEST(w.find(id).attempts == 6u);
  BOOST_TEST(w.breaker->state() == outbox::BreakerState::open);  // the probe failed
}

BOOST_AUTO_TEST_SUITE_END()
