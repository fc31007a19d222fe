// Tests for identity::Record: its CBOR form and what handlers read from it.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "identity_world.hpp"

namespace {

using namespace idtest;

BOOST_AUTO_TEST_SUITE(records)

BOOST_AUTO_TEST_CASE(encodes_and_decodes_every_field) {
  auto p = demo_patron();
  p.expires_at = start_time() + std::chrono::days{365};
  p.updated_at = start_time() - std::chrono::hours{5};
  auto s = demo_summary();
  ils::Block automated;
  automated.source = ils::BlockSource::automated;
  automated.renewals = true;
  automated.message = "Maximum number of overdue items";
  automated.expires_at = start_time() + std::chrono::days{2};
  automated.created_by_gateway = true;
  s.blocks.push_back(automated);
  const auto r = identity::make_record(p, s, "USD", ils::CredentialMode::pin, start_time());

  const auto back = identity::decode(identity::encode(r));
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->patron_id == r.patron_id);
  BOOST_TEST(back->barcode == r.barcode);
  BOOST_TEST(back->active == r.active);
  BOOST_TEST((back->expires_at == r.expires_at));
  BOOST_TEST(back->patron_group == r.patron_group);
  BOOST_TEST(back->display_name == r.display_name);
  BOOST_REQUIRE(back->blocks.size() == 2u);
  BOOST_TEST(back->blocks[0].id == "b-1");
  BOOST_TEST(back->blocks[0].borrowing);
  BOOST_TEST((back->blocks[1].source == ils::BlockSource::automated));
  BOOST_TEST(back->blocks[1].renewals);
  BOOST_TEST(back->blocks[1].message == automated.message);
  BOOST_TEST((back->blocks[1].expires_at == automated.expires_at));
  BOOST_TEST(back->blocks[1].created_by_gateway);
  BOOST_TEST(back->fee_balance == 1250);
  BOOST_TEST(back->currency == "USD");
  BOOST_TEST(back->loans == 3u);
  BOOST_TEST(back->overdue == 1u);
  BOOST_TEST(back->holds_available == 2u);
  BOOST_TEST(back->holds_unavailable == 1u);
  BOOST_TEST(back->summary_complete);
  BOOST_TEST((back->credential_mode == ils::CredentialMode::pin));
  BOOST_TEST((back->source_version == p.updated_at));
  BOOST_TEST((back->synced_at == start_time()));
}

BOOST_AUTO_TEST_CASE(decodes_garbage_as_nothing) {
  BOOST_TEST(!identity::decode("").has_value());
  BOOST_TEST(!identity::decode("not cbor at all").has_value());
  BOOST_TEST(!identity::decode(std::string("\xa1\x61\x66\x02", 4)).has_value());  // {"f": 2}
  const auto good = identity::encode(identity::make_record(demo_patron(), demo_summary(), {},
                                                           ils::CredentialMode::pin, start_time()));
  BOOST_TEST(!identity::decode(good.substr(0, good.size() / 2)).has_value());
}

BOOST_AUTO_TEST_CASE(decodes_no_truncated_or_padded_record) {
  const auto good = identity::encode(identity::make_record(demo_patron(), demo_summary(), {},
                                                           ils::CredentialMode::pin, start_time()));
  BOOST_REQUIRE(identity::decode(good).has_value());
  for (std::size_t n = 0; n < good.size(); ++n)
    BOOST_TEST(!identity::decode(good.substr(0, n)).has_value(), "cut at " << n);
  BOOST_TEST(!identity::decode(good + std::string(1, '\0')).has_value());
}

BOOST_AUTO_TEST_CASE(skips_fields_it_does_not_know_but_needs_its_own) {
  const auto good = identity::encode(identity::make_record(demo_patron(), demo_summary(), {},
                                                           ils::CredentialMode::pin, start_time()));
  auto j = nlohmann::json::from_cbor(good);
  j["zz"] = {{"nested", {1, -2, "three", nullptr, 4.5}}, {"flag", true}};  // a later field
  auto later = nlohmann::json::to_cbor(j);
  const auto back = identity::decode(std::string(later.begin(), later.end()));
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST(back->display_name == "Ada Reader");
  BOOST_TEST(back->blocks.size() == 1u);
  j.erase("n");
  later = nlohmann::json::to_cbor(j);
  BOOST_TEST(!identity::decode(std::string(later.begin(), later.end())).has_value());
}

BOOST_AUTO_TEST_CASE(account_skips_blocks_that_lapsed_since_the_read) {
  auto s = demo_summary();
  s.blocks[0].expires_at = start_time() + std::chrono::hours{1};
  const auto r =
      identity::make_record(demo_patron(), s, {}, ils::CredentialMode::pin, start_time());
  BOOST_TEST(identity::account_of(r, start_time()).borrowing_blocked);
  BOOST_TEST(!identity::account_of(r, start_time() + std::chrono::hours{2}).borrowing_blocked);
  BOOST_TEST(identity::account_of(r, start_time()).fee_total == 1250);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
