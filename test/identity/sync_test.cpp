// Tests for identity::Sync: the full pass (paging, resuming, the sweep), the incremental refresh,
// and the purge (retention, expired verifiers, lapsed lockouts, re-sealing after a rotation).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>

#include "identity_world.hpp"

namespace {

using namespace idtest;
using fake::Op;

std::string card(int n) {
  return "2123400000" + std::to_string(1000 + n);
}

/// A world whose library has patrons p-1 .. p-n (p-1 is the demo patron).
struct Library : World {
  explicit Library(int n) {
    for (int i = 2; i <= n; ++i)
      backend.add_patron(
          demo_patron("p-" + std::to_string(i), card(i), "ext-" + std::to_string(i), ""));
  }
  [[nodiscard]] identity::Sync sync(std::size_t page_size = 2) const {
    identity::SyncOptions o;
    o.page_size = page_size;
    return identity::Sync(*cache, institution, o);
  }
  [[nodiscard]] std::string meta(std::string_view name) const {
    auto m = cache->meta(name);
    BOOST_REQUIRE(m.has_value());
    return m->value_or("(none)");
  }
  [[nodiscard]] std::size_t records() const {
    auto s = cache->stats();
    BOOST_REQUIRE(s.has_value());
    return s->records;
  }
  /// The cursors list_patrons was called with, in order.
  [[nodiscard]] std::vector<std::string> cursors() const {
    std::vector<std::string> out;
    for (const auto& c : backend.calls())
      if (c.op == Op::list_patrons) out.push_back(c.subject);
    return out;
  }
  /// The raw sealed value of a record (to read its key version).
  [[nodiscard]] std::string raw(std::string_view db, const identity::Key& key) const {
    auto txn = env->read();
    BOOST_REQUIRE(txn.has_value());
    auto v = txn->get(cache->db(db), key);
    BOOST_REQUIRE(v.has_value());
    BOOST_REQUIRE(v->has_value());
    return std::string(**v);
  }
};

ils::Timestamp wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

BOOST_AUTO_TEST_SUITE(cache_sync)

BOOST_AUTO_TEST_CASE(a_full_pass_lists_every_page) {
  Library w(5);
  std::vector<std::size_t> shown;
  auto r = w.sync().full_pass(w.backend, [&](const identity::Progress& p) {
    shown.push_back(p.done);
    BOOST_TEST((p.total == std::optional<std::size_t>(5)));
  });
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->listed == 5u);
  BOOST_TEST(r->removed == 0u);
  BOOST_TEST(!r->resumed);
  BOOST_TEST((shown == std::vector<std::size_t>{2, 4, 5}));
  BOOST_TEST(w.records() == 5u);
  for (int i = 2; i <= 5; ++i)
    BOOST_TEST(w.find(card(i))->patron_id == "p-" + std::to_string(i));
  BOOST_TEST(w.find("ext-3").has_value());
  BOOST_TEST(w.meta("full.cursor").empty());
  BOOST_TEST(w.meta("full.pass") == "1");
  BOOST_TEST(w.meta("sync.since") != "(none)");
}

BOOST_AUTO_TEST_CASE(an_interrupted_pass_resumes_after_its_last_page) {
  Library w(7);
  w.backend.script(Op::list_patrons, fake::Outcome::fail(ils::errc::unavailable), 3);
  auto failed = w.sync().full_pass(w.backend);
  BOOST_REQUIRE(!failed.has_value());
  BOOST_TEST(w.meta("full.cursor") == "p-4");
  BOOST_TEST(w.records() == 4u);  // the pages before the failure are kept

  w.restart();
  auto r = w.sync().full_pass(w.backend);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->resumed);
  BOOST_TEST(r->listed == 3u);  // p-5 .. p-7: nothing listed twice
  BOOST_TEST(r->removed == 0u);
  BOOST_TEST((w.cursors() == std::vector<std::string>{"", "p-2", "p-4", "p-4", "p-6"}));
  BOOST_TEST(w.records() == 7u);
  BOOST_TEST(w.meta("full.cursor").empty());
  BOOST_TEST(w.meta("full.pass") == "1");

  auto next = w.sync().full_pass(w.backend);  // a new pass starts from the beginning
  BOOST_REQUIRE(next.has_value());
  BOOST_TEST(!next->resumed);
  BOOST_TEST(next->listed == 7u);
  BOOST_TEST(w.meta("full.pass") == "2");
}

BOOST_AUTO_TEST_CASE(the_sweep_removes_patrons_no_longer_listed_but_keeps_recent_reads) {
  Library w(1);
  // Cached before the pass; only p-1 is still at the library.
  w.put(demo_patron(), demo_summary(), w.now);
  w.put(demo_patron("p-2", card(2), "ext-2", ""), demo_summary(), w.now);
  w.put(demo_patron("p-3", card(3), "ext-3", ""), demo_summary(), w.now);
  // p-3 is read on demand while the pass runs (after it began): it stays.
  auto r = w.sync().full_pass(w.backend, [&](const identity::Progress&) {
    w.put(demo_patron("p-3", card(3), "ext-3", ""), demo_summary(), wall_now());
  });
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->listed == 1u);
  BOOST_TEST(r->removed == 1u);
  BOOST_TEST(!w.find(card(2)).has_value());
  BOOST_TEST(!w.find("ext-2").has_value());
  BOOST_TEST(w.find(card(3)).has_value());
  BOOST_TEST(w.find(barcode).has_value());
  BOOST_TEST(w.records() == 2u);
}

BOOST_AUTO_TEST_CASE(a_pass_stopped_after_its_last_page_only_sweeps_when_resumed) {
  Library w(1);
  w.put(demo_patron("p-2", card(2), "ext-2", ""), demo_summary(), w.now);
  // What a pass leaves when it is killed between its last page and the sweep.
  BOOST_REQUIRE(!w.env->write([&](store::WriteTxn& txn) -> store::Result<void> {
    for (auto [name, value] :
         {std::pair{"full.pass", std::string("1")}, std::pair{"full.cursor", std::string("-")},
          std::pair{"full.started", std::to_string(wall_now().time_since_epoch().count())}})
      if (auto ok = w.cache->set_meta_in(txn, name, value); !ok) return ok;
    return {};
  }));
  auto r = w.sync().full_pass(w.backend);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->resumed);
  BOOST_TEST(r->listed == 0u);
  BOOST_TEST(r->removed == 1u);
  BOOST_TEST(w.backend.count(Op::list_patrons) == 0);
  BOOST_TEST(w.meta("full.cursor").empty());
}

BOOST_AUTO_TEST_CASE(a_refresh_applies_changes_since_the_last_one) {
  Library w(3);
  w.put(demo_patron(), {}, w.now - std::chrono::hours(1));
  w.put(demo_patron("p-2", card(2), "ext-2", ""), {}, w.now - std::chrono::hours(1));
  w.put(demo_patron("p-3", card(3), "ext-3", ""), {}, w.now - std::chrono::hours(1));
  const auto since = w.now - std::chrono::minutes(30);
  BOOST_REQUIRE(!w.env->write([&](store::WriteTxn& txn) {
    return w.cache->set_meta_in(txn, "sync.since",
                                std::to_string(since.time_since_epoch().count()));
  }));
  // At the library: p-2 gets a block and a new expiry; p-3 changed before the last refresh.
  auto p2 = demo_patron("p-2", card(2), "ext-2", "");
  p2.expires_at = w.now + std::chrono::days(30);
  p2.updated_at = w.now - std::chrono::minutes(10);
  w.backend.update_patron(p2);
  ils::PatronAccount blocked;
  ils::Block b;
  b.id = "b-9";
  b.borrowing = true;
  b.message = "Lost card";
  blocked.blocks.push_back(b);
  w.backend.set_account("p-2", blocked);
  auto p3 = demo_patron("p-3", card(3), "ext-3", "");
  p3.display_name = "Changed Long Ago";
  p3.updated_at = since - std::chrono::hours(1);
  w.backend.update_patron(p3);

  auto r = w.sync().refresh(w.backend, w.now);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(*r == 1u);
  const auto two = w.find(card(2));
  BOOST_REQUIRE(two.has_value());
  BOOST_REQUIRE(two->blocks.size() == 1u);
  BOOST_TEST(two->blocks[0].borrowing);
  BOOST_TEST((two->expires_at == p2.expires_at));
  BOOST_TEST((two->synced_at == w.now));
  BOOST_TEST(w.find(card(3))->display_name != "Changed Long Ago");
  BOOST_TEST(w.meta("sync.since") == std::to_string(w.now.time_since_epoch().count()));
}

BOOST_AUTO_TEST_CASE(a_bulk_listing_keeps_the_automated_blocks_of_an_earlier_full_read) {
  Library w(1);
  auto s = demo_summary();
  ils::Block automated;
  automated.source = ils::BlockSource::automated;
  automated.borrowing = true;
  automated.message = "Maximum number of overdue items";
  s.blocks.push_back(automated);
  w.put(demo_patron(), s, w.now - std::chrono::hours(1));
  w.backend.list_complete = false;
  auto r = w.sync().full_pass(w.backend);
  BOOST_REQUIRE(r.has_value());
  const auto rec = w.find(barcode);
  BOOST_REQUIRE(rec.has_value());
  // Still complete, dated by the full read its automated part came from (an hour ago).
  BOOST_TEST(rec->summary_complete);
  BOOST_TEST((rec->summary_at == std::optional<ils::Timestamp>(w.now - std::chrono::hours(1))));
  BOOST_TEST((identity::summary_age(*rec, w.now) == std::chrono::hours(1)));
  BOOST_REQUIRE(rec->blocks.size() == 1u);  // the manual block is gone at the library
  BOOST_TEST((rec->blocks[0].source == ils::BlockSource::automated));
  BOOST_TEST(rec->loans == 3u);
}

BOOST_AUTO_TEST_CASE(purge_drops_unseen_records_expired_verifiers_and_lapsed_lockouts) {
  Library w(3);
  w.put(demo_patron(), demo_summary(), w.now);
  w.put(demo_patron("p-2", card(2), "ext-2", ""), demo_summary(), w.now - std::chrono::days(100));
  w.put(demo_patron("p-3", card(3), "ext-3", ""), demo_summary(), w.now - std::chrono::days(100));
  w.cache->touch(w.key_of("p-3"), w.now - std::chrono::days(2));  // a kiosk used it lately
  w.cache->put_verifier(w.key_of("p-1"), {"$argon2id$old", w.now - std::chrono::days(31),
                                          w.now - std::chrono::days(1)});
  w.cache->put_verifier(w.key_of("p-3"), {"$argon2id$new", w.now, w.now + std::chrono::days(30)});
  w.cache->count_failure(w.key_of("p-1"), w.now - std::chrono::days(2), w.policy.lockout);
  w.cache->count_failure(w.key_of("p-3"), w.now - std::chrono::minutes(1), w.policy.lockout);
  w.flush();

  auto r = w.sync().purge(w.now);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->records == 1u);
  BOOST_TEST(r->verifiers == 1u);
  BOOST_TEST(r->lockouts == 1u);
  BOOST_TEST(r->resealed == 0u);
  BOOST_TEST(!w.find(card(2)).has_value());
  BOOST_TEST(w.find(card(3)).has_value());
  BOOST_TEST(w.find(barcode).has_value());
  BOOST_TEST(!w.verifier("p-1").has_value());
  BOOST_TEST(w.verifier("p-3").has_value());
  BOOST_TEST(w.lockout("p-1").failures == 0u);
  BOOST_TEST(w.lockout("p-3").failures == 1u);
}

BOOST_AUTO_TEST_CASE(purge_reseals_values_after_a_key_rotation) {
  Library w(2);
  w.put(demo_patron(), demo_summary(), w.now);
  w.put(demo_patron("p-2", card(2), "ext-2", ""), demo_summary(), w.now);
  w.cache->put_verifier(w.key_of("p-1"), {"$argon2id$v", w.now, w.now + std::chrono::days(30)});
  w.flush();
  BOOST_TEST(identity::Cache::version_of(w.raw("id.records", w.key_of("p-1"))) == 1u);
  auto rotated = crypto::rotate_key_file(w.key_file);
  BOOST_REQUIRE(rotated.has_value());
  w.reload_keys();

  auto r = w.sync().purge(w.now);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->resealed == 3u);
  for (const char* id : {"p-1", "p-2"})
    BOOST_TEST(identity::Cache::version_of(w.raw("id.records", w.key_of(id))) == *rotated);
  BOOST_TEST(identity::Cache::version_of(w.raw("id.secrets", w.key_of("p-1"))) == *rotated);

  // Nothing depends on the old version any more: retiring it shreds nothing.
  BOOST_REQUIRE(crypto::retire_key_version(w.key_file, 1).has_value());
  w.reload_keys();
  BOOST_TEST(w.find(barcode)->patron_id == "p-1");
  BOOST_TEST(w.find(card(2)).has_value());
  BOOST_TEST(w.verifier("p-1")->hash == "$argon2id$v");
  BOOST_TEST(w.cache->shredded() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
