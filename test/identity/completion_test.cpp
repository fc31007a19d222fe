// Tests for identity::Completion: the records a bulk listing left partial are read in full at the
// configured rate, resume after a restart and pause while the library system is down; visits'
// refreshes go first (newest first, a bounded queue, one per record); the reads in flight are
// bounded.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "identity/completion.hpp"
#include "identity_world.hpp"

namespace {

using namespace idtest;
using fake::Op;
using Steady = std::chrono::steady_clock;

std::string card(int n) {
  return "2123400000" + std::to_string(1000 + n);
}

/// A library of patrons p-1 .. p-n imported by a bulk listing that leaves every record partial,
/// and a completion on a manual steady clock (2 reads a second unless a test says otherwise).
struct Imported : World {
  Steady::time_point t = Steady::time_point{} + std::chrono::hours(1);
  identity::CompletionOptions options = [] {
    identity::CompletionOptions o;
    o.per_second = 2;
    o.queue_size = 3;
    return o;
  }();
  std::unique_ptr<identity::Completion> completion;
  bool hold = false;                            ///< a busy pool: keep the jobs unrun
  std::vector<identity::Completion::Job> held;  ///< destroyed before the completion

  explicit Imported(int n) {
    for (int i = 2; i <= n; ++i)
      backend.add_patron(
          demo_patron("p-" + std::to_string(i), card(i), "ext-" + std::to_string(i), ""));
    backend.list_complete = false;
    identity::SyncOptions o;
    o.page_size = 2;
    BOOST_REQUIRE(identity::Sync(*cache, institution, o).full_pass(backend).has_value());
    start();
  }
  Imported(const Imported&) = delete;
  Imported& operator=(const Imported&) = delete;
  ~Imported() {
    held.clear();
    completion.reset();
  }

  /// A completion (again) with `options`.
  void start() {
    held.clear();
    completion = std::make_unique<identity::Completion>(
        *cache, options, nullptr, [this] { return now; }, [this] { return t; });
  }
  /// A gateway restart: the store stays.
  void restart_all() {
    held.clear();
    completion.reset();
    restart();
    start();
  }
  /// Starts what is due, runs it at once (unless held), and commits its writes.
  Steady::time_point run() {
    const auto next = completion->run_due([this](identity::Completion::Job job) {
      if (hold)
        held.push_back(std::move(job));
      else
        job(backend);
    });
    flush();
    return next;
  }
  [[nodiscard]] std::size_t partial() const {
    auto s = cache->stats();
    BOOST_REQUIRE(s.has_value());
    return s->partial;
  }
  [[nodiscard]] int summaries() const { return backend.count(Op::patron_summary); }
};

ils::PatronAccount automated_block() {
  ils::Block b;
  b.id = "auto-1";
  b.source = ils::BlockSource::automated;
  b.borrowing = true;
  b.message = "Maximum number of overdue items";
  ils::PatronAccount a;
  a.blocks.push_back(b);
  a.overdue_count = 4;
  return a;
}

BOOST_AUTO_TEST_SUITE(cache_completion)

BOOST_AUTO_TEST_CASE(partial_records_are_read_in_full_at_the_configured_rate) {
  Imported w(5);
  w.backend.set_account("p-3", automated_block());
  BOOST_TEST(w.partial() == 5u);
  auto next = w.run();  // a second's worth at once
  BOOST_TEST(w.summaries() == 2);
  BOOST_TEST(w.partial() == 3u);
  BOOST_TEST((next == w.t + std::chrono::milliseconds(500)));
  (void)w.run();  // no time has passed: nothing more
  BOOST_TEST(w.summaries() == 2);
  w.t += std::chrono::milliseconds(500);
  (void)w.run();
  BOOST_TEST(w.summaries() == 3);
  w.t += std::chrono::seconds(1);
  (void)w.run();
  BOOST_TEST(w.summaries() == 5);
  BOOST_TEST(w.partial() == 0u);
  w.t += std::chrono::seconds(1);
  BOOST_TEST((w.run() == w.t + w.options.rescan));  // none left: looked for again later
  BOOST_TEST(w.summaries() == 5);
  BOOST_TEST(w.backend.count(Op::lookup_patron) == 0);  // the listing's personal part is kept

  const auto rec = w.find(card(3));
  BOOST_REQUIRE(rec.has_value());
  BOOST_TEST(rec->summary_complete);
  BOOST_TEST((rec->summary_at == std::optional<ils::Timestamp>(w.now)));
  BOOST_REQUIRE(rec->blocks.size() == 1u);
  BOOST_TEST((rec->blocks[0].source == ils::BlockSource::automated));
  BOOST_TEST(rec->overdue == 4u);
  BOOST_TEST(w.find(card(3))->display_name == "Ada Reader");
  BOOST_TEST(w.completion->stats().completed == 5u);
}

BOOST_AUTO_TEST_CASE(the_completion_resumes_after_a_restart) {
  Imported w(5);
  (void)w.run();
  BOOST_TEST(w.partial() == 3u);
  w.restart_all();
  BOOST_TEST(w.partial() == 3u);
  for (int i = 0; i < 3; ++i) {
    (void)w.run();
    w.t += std::chrono::seconds(1);
  }
  BOOST_TEST(w.partial() == 0u);
  BOOST_TEST(w.summaries() == 5);  // none read twice
}

BOOST_AUTO_TEST_CASE(records_a_later_listing_leaves_partial_are_read_too) {
  Imported w(2);
  (void)w.run();
  w.t += std::chrono::seconds(1);
  BOOST_TEST((w.run() == w.t + w.options.rescan));
  const auto list = [&w](int n) {
    w.backend.add_patron(demo_patron("p-" + std::to_string(n), card(n), "", ""));
    BOOST_REQUIRE(identity::Sync(*w.cache, institution, {}).full_pass(w.backend).has_value());
  };
  list(3);
  BOOST_TEST(w.partial() == 1u);  // the first two stay complete: a listing keeps their parts
  w.completion->rescan();         // what the sync thread does after a listing
  (void)w.run();
  BOOST_TEST(w.partial() == 0u);
  BOOST_TEST(w.summaries() == 3);
  list(4);  // as an import run beside the gateway: no rescan, found on the next look
  BOOST_TEST((w.run() == w.t + w.options.rescan));
  BOOST_TEST(w.summaries() == 3);
  w.t += w.options.rescan;
  (void)w.run();
  BOOST_TEST(w.summaries() == 4);
  BOOST_TEST(w.partial() == 0u);
}

BOOST_AUTO_TEST_CASE(a_cache_from_before_the_partial_list_is_indexed_once) {
  Imported w(3);
  // As a cache written before id.partial existed: partial records, none of them listed.
  const auto ec = w.env->write([&](store::WriteTxn& txn) -> store::Result<void> {
    for (const char* id : {"p-1", "p-2", "p-3"})
      if (auto d = txn.del(w.cache->db("id.partial"), w.key_of(id)); !d)
        return tl::unexpected(d.error());
    return {};
  });
  BOOST_REQUIRE(!ec);
  BOOST_TEST(w.partial() == 0u);
  (void)w.run();
  BOOST_TEST(w.summaries() == 2);
  BOOST_TEST(w.partial() == 1u);
  BOOST_TEST((*w.cache->meta("partial.indexed") == std::optional<std::string>("1")));
}

BOOST_AUTO_TEST_CASE(visits_refreshes_go_first_newest_first_and_the_oldest_is_dropped) {
  Imported w(3);
  std::vector<int> ran;
  const auto alive = std::make_shared<int>(0);  // one copy per job still held
  auto queue = w.completion->background();
  for (int i = 1; i <= 4; ++i)
    queue([&ran, i, alive](ils::Backend&) { ran.push_back(i); });
  BOOST_TEST(alive.use_count() == 4);  // the queue holds 3: the oldest was dropped
  BOOST_TEST(w.completion->stats().queued == 3u);
  BOOST_TEST(w.completion->stats().dropped == 1u);
  (void)w.run();
  BOOST_TEST((ran == std::vector<int>{4, 3}));
  BOOST_TEST(w.summaries() == 0);  // partial records wait behind the visits
  w.t += std::chrono::seconds(1);
  (void)w.run();
  BOOST_TEST((ran == std::vector<int>{4, 3, 2}));
  BOOST_TEST(w.summaries() == 1);
}

BOOST_AUTO_TEST_CASE(a_record_visited_often_is_refreshed_once_and_first) {
  Imported w(3);
  w.options.per_second = 1;
  w.start();
  auto queue = w.completion->background();
  for (int i = 0; i < 3; ++i) {
    auto v = w.validator->local({institution, card(3), std::nullopt}, w.now, queue);
    BOOST_REQUIRE(v.has_value());  // answered as listed meanwhile
    BOOST_TEST(v->stale);
  }
  BOOST_TEST(w.completion->stats().queued == 1u);
  (void)w.run();
  BOOST_TEST(w.backend.count(Op::lookup_patron) == 1);
  BOOST_TEST(w.find(card(3))->summary_complete);
  BOOST_TEST(w.partial() == 2u);
  auto v = w.validator->local({institution, card(3), std::nullopt}, w.now, queue);
  BOOST_REQUIRE(v.has_value());
  BOOST_TEST(!v->stale);
  BOOST_TEST(w.completion->stats().queued == 0u);
}

BOOST_AUTO_TEST_CASE(the_completion_pauses_while_the_library_system_cannot_be_asked) {
  Imported w(3);
  w.options.per_second = 1;
  w.start();
  w.backend.script(Op::patron_summary, fake::Outcome::fail(ils::errc::unavailable));
  const auto paused = w.run();
  BOOST_TEST(w.summaries() == 1);
  BOOST_TEST((paused == w.t + w.options.pause));
  w.t += w.options.pause - std::chrono::seconds(1);
  BOOST_TEST((w.run() == paused));
  BOOST_TEST(w.summaries() == 1);
  BOOST_TEST(w.partial() == 3u);
  w.t = paused;
  for (int i = 0; i < 3; ++i) {
    (void)w.run();
    w.t += std::chrono::seconds(1);
  }
  BOOST_TEST(w.summaries() == 4);  // the failed one came round again
  BOOST_TEST(w.partial() == 0u);
  BOOST_TEST(w.completion->stats().failed == 1u);
}

BOOST_AUTO_TEST_CASE(a_patron_the_library_no_longer_has_is_forgotten) {
  Imported w(2);
  w.options.per_second = 1;
  w.start();
  w.backend.script(Op::patron_summary, fake::Outcome::fail(ils::errc::not_found));
  (void)w.run();
  auto stats = w.cache->stats();
  BOOST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->records == 1u);
  BOOST_TEST(stats->partial == 1u);
  BOOST_TEST(w.summaries() == 1);
}

BOOST_AUTO_TEST_CASE(reads_in_flight_are_bounded) {
  Imported w(6);
  w.options.per_second = 100;
  w.options.max_in_flight = 2;
  w.start();
  w.hold = true;
  BOOST_TEST((w.run() == Steady::time_point::max()));  // a finished read brings the next
  BOOST_TEST(w.held.size() == 2u);
  (void)w.run();
  BOOST_TEST(w.held.size() == 2u);
  BOOST_TEST(w.completion->stats().in_flight == 2u);
  auto first = std::move(w.held);
  w.held.clear();
  for (auto& job : first)
    job(w.backend);
  first.clear();
  (void)w.run();
  BOOST_TEST(w.held.size() == 2u);
  BOOST_TEST(w.summaries() == 2);
  // A job the pool drops unrun ends its read too.
  w.held.clear();
  BOOST_TEST(w.completion->stats().in_flight == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
