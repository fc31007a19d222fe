// Tests for identity::Validator's record flow: misses, fresh and stale hits, the hard age, and
// what happens when the library system is down or no longer knows the patron.
#include <boost/test/unit_test.hpp>

#include "identity_world.hpp"

namespace {

using namespace idtest;
using Found = identity::Validation::Found;
using fake::Op;

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(a_miss_is_fetched_and_cached) {
  World w;
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::yes));
  BOOST_REQUIRE(v.record.has_value());
  BOOST_TEST(v.record->patron_id == "p-1");
  BOOST_TEST(v.key == w.key_of());
  BOOST_TEST(w.backend.count(Op::lookup_patron) == 1);
  BOOST_TEST(w.backend.count(Op::patron_summary) == 1);
  const auto cached = w.find(barcode);
  BOOST_REQUIRE(cached.has_value());
  BOOST_TEST((cached->synced_at == w.now));
}

BOOST_AUTO_TEST_CASE(a_fresh_hit_asks_no_one) {
  World w;
  (void)w.validate(barcode);
  const int calls = w.backend_calls();
  w.now += std::chrono::minutes(5);
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST(!v.stale);
  BOOST_TEST(w.backend_calls() == calls);
  BOOST_TEST(w.queued.empty());
}

BOOST_AUTO_TEST_CASE(past_the_soft_age_is_served_stale_and_refreshed_in_the_background) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::minutes(20));
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST(v.stale);
  BOOST_TEST(v.record->fee_balance == 1250);  // as cached, not yet refreshed
  BOOST_TEST(w.backend_calls() == 0);
  BOOST_REQUIRE(w.queued.size() == 1u);

  (void)w.validate(barcode);  // one refresh per record at a time
  BOOST_TEST(w.queued.size() == 1u);

  w.run_background();
  BOOST_TEST(w.backend.count(Op::lookup_patron) == 1);
  const auto refreshed = w.find(barcode);
  BOOST_REQUIRE(refreshed.has_value());
  BOOST_TEST((refreshed->synced_at == w.now));
  BOOST_TEST(refreshed->fee_balance == 0);  // the library's account has no fees

  w.now += std::chrono::minutes(20);  // stale again: a new refresh may be queued
  BOOST_TEST(w.validate(barcode).stale);
  BOOST_TEST(w.queued.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_refresh_dropped_unrun_can_be_queued_again) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::minutes(20));
  (void)w.validate(barcode);
  BOOST_REQUIRE(w.queued.size() == 1u);
  w.queued.clear();  // the worker queue was full: the job is destroyed without running
  (void)w.validate(barcode);
  BOOST_TEST(w.queued.size() == 1u);
}

BOOST_AUTO_TEST_CASE(refreshes_asked_for_in_one_second_are_bounded_and_the_next_second_asks_again) {
  World w;
  w.policy.refresh_asks_per_second = 2;
  w.restart();
  const std::vector<std::string> cards = {"21000001", "21000002", "21000003"};
  for (std::size_t i = 0; i < cards.size(); ++i)
    w.put(demo_patron("p-" + std::to_string(10 + i), cards[i], "ext-" + cards[i], "u" + cards[i]),
          demo_summary(), w.now - std::chrono::minutes(20));
  for (const auto& card : cards)
    BOOST_TEST(w.validate(card).stale);  // served stale all three
  BOOST_TEST(w.queued.size() == 2u);     // but only two refreshes asked for in this second

  w.now += std::chrono::seconds(1);
  BOOST_TEST(w.validate(cards[2]).stale);
  BOOST_TEST(w.queued.size() == 3u);  // the third patron's next request asks again
}

BOOST_AUTO_TEST_CASE(a_refresh_of_a_patron_deleted_at_the_library_forgets_it) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::minutes(20));
  (void)w.validate(barcode);
  w.backend.remove_patron("p-1");
  w.run_background();
  BOOST_TEST(!w.find(barcode).has_value());
}

BOOST_AUTO_TEST_CASE(past_the_hard_age_is_verified_through) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::hours(73));
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST(!v.offline);
  BOOST_TEST(w.backend.count(Op::lookup_patron) == 1);
  BOOST_TEST((v.record->synced_at == w.now));
  BOOST_TEST((w.find(barcode)->synced_at == w.now));
}

BOOST_AUTO_TEST_CASE(past_the_hard_age_with_the_library_down_is_unknown) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::hours(73));
  w.backend.script(Op::lookup_patron, fake::Outcome::fail(ils::errc::unavailable));
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::unknown));
  BOOST_TEST(v.offline);
  BOOST_TEST(!v.record.has_value());
  BOOST_REQUIRE(v.failure.has_value());
  BOOST_TEST((v.failure->code == ils::errc::unavailable));
  BOOST_TEST(w.find(barcode).has_value());  // kept for when the library is back
}

BOOST_AUTO_TEST_CASE(younger_than_the_hard_age_is_served_while_the_library_is_down) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::hours(70));
  w.backend.script(Op::lookup_patron, fake::Outcome::fail(ils::errc::unavailable));
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST(w.backend.count(Op::lookup_patron) == 0);
}

BOOST_AUTO_TEST_CASE(a_cached_patron_the_library_no_longer_knows_is_forgotten) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::hours(73));
  w.cache->put_verifier(w.key_of(), {"$argon2id$test", w.now, w.now + std::chrono::days{1}});
  w.backend.remove_patron("p-1");
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::no));
  BOOST_TEST(!w.find(barcode).has_value());
  BOOST_TEST(!w.find("ada").has_value());
  BOOST_TEST(!w.verifier().has_value());
}

BOOST_AUTO_TEST_CASE(a_record_listed_without_its_summary_is_served_and_read_in_full_behind) {
  World w;
  auto partial = demo_summary();
  partial.complete = false;
  w.put(demo_patron(), partial, w.now - std::chrono::minutes(1));
  const int calls = w.backend_calls();
  const auto local = w.local(barcode);  // answered at once, as listed
  BOOST_REQUIRE(local.has_value());
  BOOST_TEST(local->stale);
  BOOST_TEST(w.backend_calls() == calls);
  BOOST_TEST(w.queued.size() == 1u);  // its full read waits in the background

  ils::Block automated;
  automated.source = ils::BlockSource::automated;
  automated.borrowing = true;
  automated.message = "Maximum number of overdue items";
  ils::PatronAccount account;
  account.blocks.push_back(automated);
  w.backend.set_account("p-1", account);
  w.run_background();
  BOOST_TEST(w.backend.count(Op::patron_summary) == 1);

  const auto v = w.validate(barcode);
  BOOST_TEST(v.record->summary_complete);
  BOOST_TEST(!v.stale);
  BOOST_REQUIRE(v.record->blocks.size() == 1u);
  BOOST_TEST((v.record->blocks[0].source == ils::BlockSource::automated));
}

BOOST_AUTO_TEST_CASE(a_record_listed_without_its_summary_is_served_when_the_library_is_down) {
  World w;
  auto partial = demo_summary();
  partial.complete = false;
  w.put(demo_patron(), partial, w.now - std::chrono::minutes(1));
  w.backend.script(Op::lookup_patron, fake::Outcome::fail(ils::errc::timeout));
  const auto v = w.validate(barcode);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST(v.record->patron_id == "p-1");
  BOOST_TEST(v.stale);
}

BOOST_AUTO_TEST_CASE(local_answers_a_fresh_hit_without_a_pin) {
  World w;
  (void)w.validate(barcode);
  const int calls = w.backend_calls();
  const auto v = w.local(barcode);
  BOOST_REQUIRE(v.has_value());
  BOOST_TEST((v->found == Found::yes));
  BOOST_TEST(!v->pin_ok.has_value());
  BOOST_TEST(w.backend_calls() == calls);
  BOOST_TEST(!w.local("no-such-card").has_value());
}

BOOST_AUTO_TEST_CASE(local_never_answers_past_the_hard_age) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::hours(73));
  BOOST_TEST(!w.local(barcode).has_value());
  w.now -= std::chrono::hours(2);  // the same record, younger than the hard age
  BOOST_TEST(w.local(barcode).has_value());
}

BOOST_AUTO_TEST_CASE(local_serves_stale_and_queues_a_refresh) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now - std::chrono::minutes(20));
  const auto v = w.local(barcode);
  BOOST_REQUIRE(v.has_value());
  BOOST_TEST(v->stale);
  BOOST_TEST(w.queued.size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
