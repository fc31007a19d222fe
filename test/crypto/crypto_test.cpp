// Tests for crypto.hpp: sealing, HMAC framing, Argon2id verifiers, secret bytes.
#define BOOST_TEST_MODULE crypto
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "crypto/crypto.hpp"

namespace {

crypto::SecretBytes key_of(std::uint8_t byte, std::size_t size = crypto::key_size) {
  return crypto::SecretBytes(std::vector<std::uint8_t>(size, byte));
}

// Cheap parameters: the tests check behaviour, not cost.
constexpr crypto::Argon2Params cheap{64, 1, 1};

}  // namespace

BOOST_AUTO_TEST_CASE(seal_and_open_round_trip) {
  const auto key = crypto::random_key();
  for (const std::string& plaintext : {std::string(), std::string("x"), std::string(1000, 'p')}) {
    const auto sealed = crypto::seal(key, "patron:1", plaintext);
    BOOST_TEST(sealed.size() == 12 + plaintext.size() + 16);
    const auto opened = crypto::open(key, "patron:1", sealed);
    BOOST_TEST_REQUIRE(opened.has_value());
    BOOST_TEST(*opened == plaintext);
  }
}

BOOST_AUTO_TEST_CASE(seals_the_same_plaintext_differently_each_time) {
  const auto key = crypto::random_key();
  BOOST_TEST(crypto::seal(key, "", "same") != crypto::seal(key, "", "same"));
}

BOOST_AUTO_TEST_CASE(open_refuses_wrong_key_and_wrong_associated_data) {
  const auto sealed = crypto::seal(key_of(1), "patron:1", "secret");
  BOOST_TEST(!crypto::open(key_of(2), "patron:1", sealed).has_value());
  BOOST_TEST(!crypto::open(key_of(1), "patron:2", sealed).has_value());
  BOOST_TEST(!crypto::open(key_of(1, 16), "patron:1", sealed).has_value());
}

BOOST_AUTO_TEST_CASE(open_refuses_any_tampered_or_truncated_byte) {
  const auto key = key_of(3);
  const auto sealed = crypto::seal(key, "ad", "twelve bytes");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    auto bad = sealed;
    bad[i] ^= 0x01;
    BOOST_TEST(!crypto::open(key, "ad", bad).has_value(), "byte " << i);
  }
  for (std::size_t n = 0; n < sealed.size(); ++n)
    BOOST_TEST(!crypto::open(key, "ad", std::span(sealed).first(n)).has_value(), "length " << n);
}

BOOST_AUTO_TEST_CASE(seal_refuses_a_key_that_is_not_32_bytes) {
  BOOST_CHECK_THROW((void)crypto::seal(key_of(1, 16), "", "x"), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(hmac_frames_each_part_with_its_length) {
  const auto key = key_of(9);
  BOOST_TEST(crypto::hmac(key, {"ab", "c"}) != crypto::hmac(key, {"a", "bc"}));
  BOOST_TEST(crypto::hmac(key, {"abc"}) != crypto::hmac(key, {"abc", ""}));
  // One part = 8-byte big-endian length, then the bytes.
  const std::string framed = std::string(7, '\0') +
                             "\x02"
                             "ab";
  BOOST_TEST(crypto::hmac(key, {"ab"}) == crypto::hmac_message(key, framed));
}

BOOST_AUTO_TEST_CASE(hmac_message_matches_rfc4231) {
  // RFC 4231 test case 2.
  const std::string jefe = "Jefe";
  const crypto::SecretBytes key(std::vector<std::uint8_t>(jefe.begin(), jefe.end()));
  BOOST_TEST(crypto::hex(crypto::hmac_message(key, "what do ya want for nothing?")) ==
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

BOOST_AUTO_TEST_CASE(equal_compares_content_and_size) {
  const std::vector<std::uint8_t> a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
  BOOST_TEST(crypto::equal(a, b));
  BOOST_TEST(!crypto::equal(a, c));
  BOOST_TEST(!crypto::equal(a, d));
}

BOOST_AUTO_TEST_CASE(argon2id_verifies_the_right_secret_only) {
  const auto encoded = crypto::argon2id_hash("1234", cheap);
  BOOST_TEST(encoded.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0) == 0u, encoded);
  BOOST_TEST(crypto::argon2id_verify("1234", encoded));
  BOOST_TEST(!crypto::argon2id_verify("1235", encoded));
  BOOST_TEST(!crypto::argon2id_verify("", encoded));
  BOOST_TEST(crypto::argon2id_hash("1234", cheap) != encoded);  // fresh salt
}

BOOST_AUTO_TEST_CASE(argon2id_verify_is_false_for_malformed_verifiers) {
  for (const char* bad : {"", "plain", "$argon2id$", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
                          "$argon2id$v=19$m=64,t=1,p=1$c2FsdA", "$argon2id$v=19$m=64$x$y"})
    BOOST_TEST(!crypto::argon2id_verify("1234", bad), bad);
}

BOOST_AUTO_TEST_CASE(argon2id_params_reads_the_cost_of_a_verifier) {
  const auto params = crypto::argon2id_params(crypto::argon2id_hash("x", cheap));
  BOOST_TEST_REQUIRE(params.has_value());
  BOOST_TEST((*params == cheap));
  const auto owasp = crypto::argon2id_params("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA");
  BOOST_TEST_REQUIRE(owasp.has_value());
  BOOST_TEST((*owasp == crypto::Argon2Params{}));
}

BOOST_AUTO_TEST_CASE(argon2id_params_refuses_malformed_or_unbounded_costs) {
  for (const char* bad :
       {"$argon2id$v=19$m=,t=2,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$t=2,m=19456,p=1$c2FsdA$aGFzaA",
        "$argon2id$v=19$m=19456,t=2,p=1,x=3$c2FsdA$aGFzaA",
        "$argon2id$v=19$m=19456,t=0,p=1$c2FsdA$aGFzaA",
        "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$aGFzaA",
        "$argon2id$v=16$m=19456,t=2,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$$aGFzaA",
        "$argon2d$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"})
    BOOST_TEST(!crypto::argon2id_params(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(secret_bytes_copy_and_move_keep_the_bytes) {
  const auto key = crypto::random_key();
  BOOST_TEST(key.size() == crypto::key_size);
  crypto::SecretBytes copy(key);
  BOOST_TEST(crypto::equal(copy.bytes(), key.bytes()));
  crypto::SecretBytes moved(std::move(copy));
  BOOST_TEST(crypto::equal(moved.bytes(), key.bytes()));
  BOOST_TEST(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  crypto::SecretBytes assigned;
  assigned = moved;
  BOOST_TEST(crypto::equal(assigned.bytes(), key.bytes()));
  BOOST_TEST(!crypto::equal(crypto::random_key().bytes(), key.bytes()));
}

BOOST_AUTO_TEST_CASE(random_bytes_gives_the_asked_size) {
  BOOST_TEST(crypto::random_bytes(0).empty());
  BOOST_TEST(crypto::random_bytes(12).size() == 12u);
  BOOST_TEST(crypto::random_bytes(16) != crypto::random_bytes(16));
}
