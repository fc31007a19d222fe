// The journal: durable submission, dedupe by key across threads, sealing at rest, write
// failures, listing and counts, staff retry and drop, retention.
#include <atomic>
#include <latch>
#include <thread>

#include "outbox_world.hpp"

using namespace obtest;

BOOST_AUTO_TEST_SUITE(journal)

BOOST_AUTO_TEST_CASE(a_submitted_job_is_on_disk_when_submit_returns) {
  World w;
  const auto s = w.submit(checkout_job());
  BOOST_TEST(s.created);
  BOOST_TEST(s.job.id == 1u);
  BOOST_TEST(s.job.state == State::queued);
  w.restart();  // nothing in memory survives
  const Job j = w.find(s.job.id);
  BOOST_TEST(j.op == Op::checkout);
  BOOST_TEST(j.state == State::queued);
  BOOST_TEST((j.created == start_time()));
  BOOST_TEST(j.args.at("item").get<std::string>() == item_barcode);
  BOOST_TEST(j.patron == w.box->pseudonym(patron_barcode));
  BOOST_TEST(j.item == w.box->pseudonym(item_barcode));
  BOOST_TEST(outbox::hex_of(j.key) == outbox::hex_of(w.box->key_of(checkout_job())));
  BOOST_TEST(w.submit(checkin_job()).job.id == 2u);
}

BOOST_AUTO_TEST_CASE(the_same_key_from_eight_threads_makes_one_job) {
  World w;
  std::vector<outbox::Submitted> got(8);
  std::latch go(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      auto s = w.box->submit(checkout_job());
      if (s) got[i] = *s;
    });
  for (auto& t : threads)
    t.join();
  std::size_t created = 0;
  for (const auto& s : got) {
    created += s.created ? 1 : 0;
    BOOST_TEST(s.job.id == 1u);
  }
  BOOST_TEST(created == 1u);
  const auto stats = w.box->stats();
  BOOST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->depth() == 1u);
  BOOST_TEST(w.box->counters().deduplicated.load() == 7u);
}

BOOST_AUTO_TEST_CASE(the_key_ignores_blanks_around_identifiers_but_not_the_discriminator) {
  World w;
  NewJob padded = checkout_job();
  padded.patron_identifier = std::string(" ") + patron_barcode + "  ";
  padded.item_identifier = std::string(item_barcode) + " ";
  BOOST_TEST(outbox::hex_of(w.box->key_of(padded)) ==
             outbox::hex_of(w.box->key_of(checkout_job())));
  BOOST_TEST(outbox::hex_of(w.box->key_of(checkout_job(item_barcode, when(1)))) !=
             outbox::hex_of(w.box->key_of(checkout_job())));
  NewJob other_place = checkout_job();
  other_place.institution = "BRANCH";
  BOOST_TEST(outbox::hex_of(w.box->key_of(other_place)) !=
             outbox::hex_of(w.box->key_of(checkout_job())));
  NewJob renewal = checkout_job();
  renewal.op = Op::renew;
  BOOST_TEST(outbox::hex_of(w.box->key_of(renewal)) !=
             outbox::hex_of(w.box->key_of(checkout_job())));
}

BOOST_AUTO_TEST_CASE(without_a_discriminator_a_repeat_within_the_window_is_the_same_job) {
  World w;  // retry window: 120 s
  const auto first = w.submit(checkout_job(item_barcode, ""));
  BOOST_TEST(first.created);
  BOOST_REQUIRE(first.job.retry_key.has_value());
  BOOST_TEST(outbox::hex_of(*first.job.retry_key) ==
             outbox::hex_of(w.box->key_of(checkout_job(item_barcode, ""))));
  BOOST_TEST(outbox::hex_of(first.job.key) != outbox::hex_of(*first.job.retry_key));
  w.now += 60s;
  const auto repeat = w.submit(checkout_job(item_barcode, ""));
  BOOST_TEST(!repeat.created);
  BOOST_TEST(repeat.job.id == first.job.id);
  w.now += 61s;  // 121 s after the first
  const auto next = w.submit(checkout_job(item_barcode, ""));
  BOOST_TEST(next.created);
  BOOST_TEST(w.submit(checkout_job(item_barcode, "")).job.id == next.job.id);  // the latest
}

BOOST_AUTO_TEST_CASE(without_a_discriminator_another_job_between_makes_a_new_job) {
  World w;
  const Job out = w.submit(checkout_job(item_barcode, "")).job;
  (void)w.submit(checkin_job(item_barcode, start_time(), ""));  // the same item
  const auto again = w.submit(checkout_job(item_barcode, ""));
  BOOST_TEST(again.created);
  BOOST_TEST(again.job.id != out.id);
  const Job paid = w.submit(fee_job(100, "")).job;
  (void)w.submit(renew_all_job(""));  // the same patron
  const auto second = w.submit(fee_job(100, ""));
  BOOST_TEST(second.created);
  BOOST_TEST(second.job.id != paid.id);
}

BOOST_AUTO_TEST_CASE(a_repeat_while_the_first_is_in_flight_gets_that_job_and_waits_for_it) {
  World w;
  const Job first = w.submit(checkout_job()).job;
  Job flying = first;
  flying.state = State::in_flight;
  BOOST_REQUIRE(w.box->save(flying, State::queued).has_value());

  const auto repeat = w.submit(checkout_job());  // the kiosk asks again on a new connection
  BOOST_TEST(!repeat.created);
  BOOST_TEST(repeat.job.id == first.id);
  BOOST_TEST(repeat.job.state == State::in_flight);

  std::optional<Job> seen;
  std::thread waiter([&] { seen = w.box->wait_final(first.id, soon()); });
  Job done = flying;
  done.state = State::delivered;
  done.finished = w.now;
  done.result = nlohmann::json{{"item", item_barcode}};
  BOOST_REQUIRE(w.box->save(done, State::in_flight).has_value());
  waiter.join();
  BOOST_REQUIRE_MESSAGE(seen.has_value(), "wait_final saw the delivery");
  BOOST_TEST(seen->state == State::delivered);
  BOOST_TEST(seen->result.at("item").get<std::string>() == item_barcode);
  BOOST_TEST(w.submit(checkout_job()).job.state == State::delivered);
}

BOOST_AUTO_TEST_CASE(wait_final_gives_up_at_its_deadline) {
  World w;
  const Job j = w.submit(checkout_job()).job;
  const auto before = std::chrono::steady_clock::now();
  BOOST_TEST(!w.box->wait_final(j.id, before + 30ms).has_value());
  BOOST_TEST((std::chrono::steady_clock::now() - before >= 30ms));
  BOOST_TEST(!w.box->wait_final(999, soon()).has_value());  // no such job: no wait
}

BOOST_AUTO_TEST_CASE(nothing_identifying_is_stored_in_the_clear) {
  World w;
  const Job out = w.submit(checkout_job()).job;
  BOOST_TEST(w.attempt_now(out.id).state == State::delivered);  // the result holds them too
  (void)w.submit(fee_job(250));
  const std::string alias = w.box->pseudonym(item_barcode);
  w.close();  // the writer has committed everything
  const std::string data = test_support::read_file(w.dir.path() / "store" / "data.mdb");
  BOOST_REQUIRE(data.size() > 4096u);
  BOOST_TEST(data.find(alias) != std::string::npos);  // the file is read: its pseudonym is there
  for (const char* raw : {patron_barcode, item_barcode, "The Hidden Orchard", "BK-KIOSK-1"})
    BOOST_TEST(data.find(raw) == std::string::npos, raw << " is in the store");
  w.open();
  BOOST_TEST(w.find(out.id).args.at("item").get<std::string>() == item_barcode);
}

BOOST_AUTO_TEST_CASE(a_full_map_is_an_error_and_nothing_is_acknowledged) {
  World w;
  w.close();
  w.store_options.initial_map_size = std::size_t{1} << 20;
  w.store_options.max_map_size = std::size_t{1} << 20;
  w.open();
  const std::string filler(16 * 1024, 'x');
  std::error_code failed;
  std::size_t stored = 0;
  NewJob last;
  for (int i = 0; i < 1000 && !failed; ++i) {
    last = checkin_job(item_barcode, start_time(), when(i));
    last.args["session"] = filler;
    auto s = w.box->submit(last);
    if (s)
      ++stored;
    else
      failed = s.error();
  }
  BOOST_TEST((failed == store::errc::map_full));
  BOOST_TEST(stored > 5u);
  auto found = w.box->find(w.box->key_of(last));
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(!found->has_value());  // the failed job left no trace
  BOOST_TEST(w.box->counters().submit_failures.load() == 1u);
  BOOST_TEST(w.box->counters().submitted.load() == stored);
  const auto stats = w.box->stats();
  BOOST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->depth() == stored);
}

BOOST_AUTO_TEST_CASE(list_and_stats_follow_states) {
  World w;
  const Job a = w.submit(checkout_job()).job;
  w.now += 5s;
  const Job b = w.submit(checkout_job(item2_barcode, when(1))).job;
  w.backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::rejected, "Item blocked"));
  BOOST_TEST(w.attempt_now(a.id).state == State::refused);
  w.now += 10s;
  const auto stats = w.box->stats();
  BOOST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->by_state[static_cast<std::size_t>(State::refused)] == 1u);
  BOOST_TEST(stats->by_state[static_cast<std::size_t>(State::queued)] == 1u);
  BOOST_TEST(stats->depth() == 1u);
  BOOST_TEST(stats->attempts == 1u);
  BOOST_REQUIRE(stats->oldest_unfinished_age.has_value());
  BOOST_TEST(stats->oldest_unfinished_age->count() == 10000);  // b, submitted 10 s ago

  auto refused = w.box->list({State::refused, std::nullopt, 0, 10});
  BOOST_REQUIRE(refused.has_value());
  BOOST_REQUIRE(refused->size() == 1u);
  BOOST_TEST(refused->front().id == a.id);
  BOOST_TEST(refused->front().reason == "Item blocked");
  auto all = w.box->list({std::nullopt, Op::checkout, 0, 10});
  BOOST_REQUIRE(all.has_value());
  BOOST_TEST(all->size() == 2u);
  auto after_a = w.box->list({std::nullopt, std::nullopt, a.id, 10});
  BOOST_REQUIRE(after_a.has_value());
  BOOST_REQUIRE(after_a->size() == 1u);
  BOOST_TEST(after_a->front().id == b.id);
}

BOOST_AUTO_TEST_CASE(staff_retry_requeues_an_exception_and_drop_ends_a_queued_job) {
  World w;
  NewJob acked = checkout_job();
  acked.acknowledged = true;
  lend(w.backend, item_barcode, patron_ref(other_id, other_barcode));
  const Job j = w.submit(acked).job;
  const Job failed = w.attempt_now(j.id);
  BOOST_TEST(failed.state == State::exception);
  BOOST_TEST(failed.reason.find("refused after the kiosk was told yes") == 0u);

  w.now += 1min;
  auto retried = w.box->retry(j.id);
  BOOST_REQUIRE(retried.has_value());
  BOOST_TEST(retried->state == State::queued);
  BOOST_TEST((retried->next_attempt == w.now));
  BOOST_TEST(retried->reason.find("retried by staff") == 0u);
  auto due = w.box->due(w.now, 10);
  BOOST_REQUIRE(due.has_value());
  BOOST_TEST(due->size() == 1u);

  auto dropped = w.box->drop(j.id, "item found on the shelf");
  BOOST_REQUIRE(dropped.has_value());
  BOOST_TEST(dropped->state == State::dropped);
  BOOST_TEST(dropped->reason == "dropped by staff: item found on the shelf");
  BOOST_TEST(w.box->due(w.now, 10)->empty());
  BOOST_TEST((w.box->drop(j.id, "again").error() == outbox::errc::wrong_state));
  BOOST_TEST((w.box->retry(j.id).error() == outbox::errc::wrong_state));
  BOOST_TEST((w.box->retry(42).error() == outbox::errc::not_found));
  BOOST_TEST(w.box->counters().dropped.load() == 1u);
}

BOOST_AUTO_TEST_CASE(a_withdrawal_during_an_attempt_stops_the_send_and_ends_the_job) {
  World w;
  const Job j = w.submit(checkout_job()).job;
  Job unknown = j;
  unknown.unresolved = true;
  BOOST_REQUIRE(w.box->save(unknown, State::queued).has_value());
  BOOST_REQUIRE(w.box->withdraw(j.id).has_value());
  Job flying = unknown;  // an attempt that read the job before the withdrawal
  flying.state = State::in_flight;
  BOOST_TEST((w.box->save(flying, State::queued).error() == outbox::errc::wrong_state));

  const Job k = w.submit(checkout_job(item2_barcode, when(1))).job;
  Job sent = k;
  sent.state = State::in_flight;
  BOOST_REQUIRE(w.box->save(sent, State::queued).has_value());
  BOOST_TEST(w.box->withdraw(k.id)->state == State::in_flight);
  Job failed = sent;  // its answer: nothing applied
  failed.state = State::queued;
  BOOST_REQUIRE(w.box->save(failed, State::in_flight).has_value());
  BOOST_TEST(w.find(k.id).state == State::dropped);
}

BOOST_AUTO_TEST_CASE(an_acknowledgement_during_an_attempt_makes_its_refusal_an_exception) {
  World w;
  const Job j = w.submit(checkout_job()).job;
  Job flying = j;
  flying.state = State::in_flight;
  BOOST_REQUIRE(w.box->save(flying, State::queued).has_value());
  BOOST_TEST(w.box->acknowledge(j.id)->acknowledged);
  Job refused = flying;
  refused.state = State::refused;
  refused.finished = w.now;
  refused.reason = "Patron blocked";
  BOOST_REQUIRE(w.box->save(refused, State::in_flight).has_value());
  const Job now = w.find(j.id);
  BOOST_TEST(now.state == State::exception);
  BOOST_TEST(now.reason == "refused after the kiosk was told yes: Patron blocked");
}

BOOST_AUTO_TEST_CASE(retention_drops_the_sealed_parts_then_the_key) {
  World w;
  const Job j = w.submit(checkout_job()).job;
  BOOST_TEST(w.attempt_now(j.id).state == State::delivered);
  const Time finished = w.now;

  auto early = w.box->purge(finished + w.options.retention - 1ms);
  BOOST_REQUIRE(early.has_value());
  BOOST_TEST(early->stripped == 0u);
  BOOST_TEST(!w.find(j.id).result.is_null());

  auto first = w.box->purge(finished + w.options.retention + 1ms);
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(first->stripped == 1u);
  BOOST_TEST(first->unkeyed == 0u);
  const Job stripped = w.find(j.id);
  BOOST_TEST(stripped.purged);
  BOOST_TEST(stripped.args.is_null());
  BOOST_TEST(stripped.result.is_null());
  BOOST_TEST(stripped.state == State::delivered);
  BOOST_TEST(stripped.op == Op::checkout);
  BOOST_TEST(stripped.patron == w.box->pseudonym(patron_barcode));
  BOOST_TEST((stripped.finished == finished));
  const auto repeat = w.submit(checkout_job());  // the key still answers
  BOOST_TEST(!repeat.created);
  BOOST_TEST(repeat.job.id == j.id);

  auto second = w.box->purge(finished + w.options.key_window + 1ms);
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(second->stripped == 0u);
  BOOST_TEST(second->unkeyed == 1u);
  const auto fresh = w.submit(checkout_job());
  BOOST_TEST(fresh.created);
  BOOST_TEST(fresh.job.id != j.id);
  BOOST_TEST(w.find(j.id).state == State::delivered);  // the record itself stays
}

BOOST_AUTO_TEST_CASE(purging_the_key_of_a_job_without_discriminator_drops_both_keys) {
  World w;
  const Job j = w.submit(checkout_job(item_barcode, "")).job;
  Job d = j;
  d.state = State::delivered;
  d.finished = w.now;
  BOOST_REQUIRE(w.box->save(d, State::queued).has_value());
  auto purged = w.box->purge(w.now + w.options.key_window + 1s);
  BOOST_REQUIRE(purged.has_value());
  BOOST_TEST(purged->unkeyed == 1u);
  for (const auto& key : {j.key, *j.retry_key}) {
    auto found = w.box->find(key);
    BOOST_REQUIRE(found.has_value());
    BOOST_TEST(!found->has_value());
  }
  w.now += w.options.key_window;
  BOOST_TEST(w.submit(checkout_job(item_barcode, "")).created);
}

BOOST_AUTO_TEST_CASE(purge_works_in_batches_and_leaves_unfinished_jobs) {
  World w;
  w.close();
  w.options.purge_batch = 3;
  w.open();
  std::vector<std::uint64_t> done;
  for (int i = 0; i < 7; ++i) {
    const Job j = w.submit(checkout_job(i % 2 ? item_barcode : item2_barcode, when(i))).job;
    Job d = j;
    d.state = State::delivered;
    d.finished = w.now;
    BOOST_REQUIRE(w.box->save(d, State::queued).has_value());
    done.push_back(j.id);
  }
  const Job open = w.submit(renew_all_job()).job;
  auto purged = w.box->purge(w.now + w.options.key_window + 1s);
  BOOST_REQUIRE(purged.has_value());
  BOOST_TEST(purged->stripped == 7u);
  BOOST_TEST(purged->unkeyed == 7u);
  BOOST_TEST(!w.find(open.id).args.is_null());
  BOOST_TEST(w.find(done.back()).purged);
}

BOOST_AUTO_TEST_SUITE_END()
