// Tests for identity::Cache: the identifier index, forgetting, sealing and key checks, on a real
// store and key file.
#include <boost/test/unit_test.hpp>

#include <string>

#include "identity_world.hpp"

namespace {

using namespace idtest;

/// Copies the raw stored value of `db` from one key to another (a value moved on disk).
void copy_raw(World& w, std::string_view db, const identity::Key& from, const identity::Key& to) {
  const auto ec = w.env->write([&](store::WriteTxn& txn) -> store::Result<void> {
    auto v = txn.get(w.cache->db(db), from);
    if (!v) return tl::unexpected(v.error());
    BOOST_REQUIRE(v->has_value());
    const std::string bytes(**v);
    return txn.put(w.cache->db(db), to, bytes);
  });
  BOOST_REQUIRE(!ec);
}

BOOST_AUTO_TEST_SUITE(cache_store)

BOOST_AUTO_TEST_CASE(finds_a_patron_by_every_identifier_field) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  for (const char* id : {barcode, "ext-1", "ada", "  ada\t"}) {
    auto hit = w.cache->find(institution, id);
    BOOST_REQUIRE(hit.has_value());
    BOOST_REQUIRE(hit->has_value());
    BOOST_TEST((*hit)->record.patron_id == "p-1");
    BOOST_TEST((*hit)->key == w.key_of());
  }
  BOOST_TEST(!w.find("someone-else").has_value());
  auto other = w.cache->find("BRANCH", barcode);  // another institution's index
  BOOST_REQUIRE(other.has_value());
  BOOST_TEST(!other->has_value());
}

BOOST_AUTO_TEST_CASE(what_the_gateway_did_for_a_patron_is_applied_to_the_cached_record) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);  // owes 12.50, three loans
  w.cache->adjust(w.key_of(), 500, 1);          // paid 5.00 (committed at once), lent one
  auto r = w.find(barcode);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->fee_balance == 750);
  BOOST_TEST(r->loans == 4u);
  BOOST_TEST(r->blocks.size() == 1u);  // the rest of the record is kept
  w.cache->adjust(w.key_of(), 0, 1);   // a loan alone is queued
  w.cache->adjust(w.key_of(), 5000, 0);
  r = w.find(barcode);
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->fee_balance == 0);  // never below nothing owed
  BOOST_TEST(r->loans == 5u);
  w.cache->adjust(w.key_of("p-unknown"), 100, 1);  // no such record: nothing to do
  w.flush();
}

BOOST_AUTO_TEST_CASE(indexes_only_the_configured_fields) {
  World w;
  w.fields = {"barcode"};
  w.restart();
  w.put(demo_patron(), demo_summary(), w.now);
  BOOST_TEST(w.find(barcode).has_value());
  BOOST_TEST(!w.find("ext-1").has_value());
  BOOST_TEST(!w.find("ada").has_value());
}

BOOST_AUTO_TEST_CASE(an_identifier_removed_from_a_patron_stops_pointing_at_it) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  w.put(demo_patron("p-1", barcode, ""), demo_summary(), w.now);
  BOOST_TEST(!w.find("ext-1").has_value());
  BOOST_TEST(w.find(barcode).has_value());
  BOOST_TEST(w.find("ada").has_value());
}

BOOST_AUTO_TEST_CASE(an_identifier_reassigned_to_another_patron_is_not_unlinked) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  // The username moves to p-2, then p-1 is read again without it.
  w.put(demo_patron("p-2", "21234000000026", "ext-2", "ada"), demo_summary(), w.now);
  w.put(demo_patron("p-1", barcode, "ext-1", ""), demo_summary(), w.now);
  const auto r = w.find("ada");
  BOOST_REQUIRE(r.has_value());
  BOOST_TEST(r->patron_id == "p-2");
  BOOST_TEST(w.find(barcode)->patron_id == "p-1");
}

BOOST_AUTO_TEST_CASE(forget_removes_record_identifiers_verifier_and_lockout) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  w.put(demo_patron("p-2", "21234000000026", "ext-2", "bea"), demo_summary(), w.now);
  w.cache->put_verifier(w.key_of(), {"$argon2id$test", w.now, w.now + std::chrono::days{1}});
  w.cache->count_failure(w.key_of(), w.now, w.policy.lockout);
  w.flush();
  BOOST_TEST(w.verifier().has_value());
  BOOST_TEST(w.lockout().failures == 1u);

  auto gone = w.cache->forget(institution, "ext-1");
  BOOST_REQUIRE(gone.has_value());
  BOOST_TEST(*gone);
  for (const char* id : {barcode, "ext-1", "ada"})
    BOOST_TEST(!w.find(id).has_value());
  auto rec = w.cache->get(w.key_of());
  BOOST_REQUIRE(rec.has_value());
  BOOST_TEST(!rec->has_value());
  BOOST_TEST(!w.verifier().has_value());
  BOOST_TEST(w.lockout().failures == 0u);
  auto stats = w.cache->stats();
  BOOST_REQUIRE(stats.has_value());
  BOOST_TEST(stats->records == 1u);      // p-2 only
  BOOST_TEST(stats->identifiers == 3u);  // p-2's three
  BOOST_TEST(stats->verifiers == 0u);
  BOOST_TEST(stats->lockouts == 0u);
  BOOST_TEST(w.find("bea").has_value());

  auto again = w.cache->forget(institution, barcode);
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(!*again);
}

BOOST_AUTO_TEST_CASE(a_record_sealed_with_a_retired_version_reads_as_absent) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  auto rotated = crypto::rotate_key_file(w.key_file);
  BOOST_REQUIRE(rotated.has_value());
  w.reload_keys();
  BOOST_TEST(w.find(barcode).has_value());  // version 1 is still in the ring
  BOOST_TEST(w.cache->shredded() == 0u);

  BOOST_REQUIRE(crypto::retire_key_version(w.key_file, 1).has_value());
  w.reload_keys();
  BOOST_TEST(!w.find(barcode).has_value());
  BOOST_TEST(w.cache->shredded() >= 1u);
}

BOOST_AUTO_TEST_CASE(a_value_moved_to_another_record_key_fails_to_open) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  w.put(demo_patron("p-2", "21234000000026", "ext-2", "bea"), demo_summary(), w.now);
  copy_raw(w, "id.records", w.key_of("p-1"), w.key_of("p-2"));
  auto moved = w.cache->get(w.key_of("p-2"));
  BOOST_REQUIRE(moved.has_value());
  BOOST_TEST(!moved->has_value());
  BOOST_TEST(!w.find("bea").has_value());

  // The associated data binds database and key too.
  const auto sealed = w.cache->seal("id.records", w.key_of("p-1"), "plain");
  BOOST_TEST(w.cache->open("id.records", w.key_of("p-1"), sealed).value_or("") == "plain");
  BOOST_TEST(!w.cache->open("id.secrets", w.key_of("p-1"), sealed).has_value());
  BOOST_TEST(!w.cache->open("id.records", w.key_of("p-2"), sealed).has_value());
  std::string relabelled = sealed;
  relabelled[3] = static_cast<char>(relabelled[3] + 1);  // claims another key version
  BOOST_TEST(!w.cache->open("id.records", w.key_of("p-1"), relabelled).has_value());
}

BOOST_AUTO_TEST_CASE(check_index_key_refuses_a_cache_built_under_another_key) {
  World w;
  w.put(demo_patron(), demo_summary(), w.now);
  auto other = crypto::create_key_file(w.dir.path() / "other-keys.json");
  BOOST_REQUIRE(other.has_value());
  identity::Cache stranger(*w.env, std::make_shared<const crypto::KeyRing>(std::move(*other)),
                           w.fields);
  auto refused = stranger.check_index_key();
  BOOST_REQUIRE(!refused.has_value());
  BOOST_TEST(refused.error().find("another index key") != std::string::npos);
  BOOST_TEST(w.cache->check_index_key().has_value());  // the right key still passes
}

BOOST_AUTO_TEST_CASE(a_cache_destroyed_with_writes_queued_lets_them_finish_first) {
  World w;
  const auto r =
      identity::make_record(demo_patron(), demo_summary(), {}, ils::CredentialMode::pin, w.now);
  for (int i = 0; i < 200; ++i) {
    w.cache->put(institution, demo_patron(), r);
    w.cache->touch(w.key_of(), w.now + std::chrono::days(i));
  }
  w.validator.reset();
  w.cache.reset();  // the queued jobs call back into it: they must have run by now
  w.restart();
  BOOST_TEST(w.find(barcode).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
