// Tests for patron pseudonyms (their key lives in the key file: test/crypto/key_ring_test.cpp).
#define BOOST_TEST_MODULE pseudonym
#include <boost/test/unit_test.hpp>

#include <string>
#include <thread>
#include <vector>

#include "obs/pseudonym.hpp"

namespace {

using obs::Pseudonymizer;

crypto::SecretBytes bytes(std::string_view text) {
  const std::vector<std::uint8_t> v(text.begin(), text.end());
  return crypto::SecretBytes(v);
}

crypto::SecretBytes repeated(std::uint8_t byte) {
  return crypto::SecretBytes(std::vector<std::uint8_t>(32, byte));
}

}  // namespace

BOOST_AUTO_TEST_CASE(matches_the_rfc4231_hmac_sha256_vector) {
  // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?") =
  // 5bdcc146bf60754e...
  const Pseudonymizer pseudonym(bytes("Jefe"));
  BOOST_TEST(pseudonym("what do ya want for nothing?") == "p:5bdcc146bf60754e");
}

BOOST_AUTO_TEST_CASE(keeps_the_pseudonyms_of_earlier_releases) {
  // Plain HMAC-SHA-256 over the identifier's bytes (no length prefix), as logs have always had.
  const Pseudonymizer pseudonym(repeated(7));
  BOOST_TEST(pseudonym("23333000123") == "p:4fe9567540e48b94");
}

BOOST_AUTO_TEST_CASE(gives_the_same_pseudonym_for_the_same_identifier_and_key) {
  const Pseudonymizer a(repeated(7));
  const Pseudonymizer b(repeated(7));
  BOOST_TEST(a("23333000123") == a("23333000123"));
  BOOST_TEST(a("23333000123") == b("23333000123"));
  BOOST_TEST(a("23333000123") != a("23333000124"));
}

BOOST_AUTO_TEST_CASE(gives_another_pseudonym_under_another_key) {
  const Pseudonymizer a(repeated(7));
  const Pseudonymizer b(repeated(8));
  BOOST_TEST(a("23333000123") != b("23333000123"));
}

BOOST_AUTO_TEST_CASE(never_contains_the_identifier) {
  const Pseudonymizer pseudonym(repeated(1));
  for (const std::string id : {"23333000123", "a", "0", "p:", "", "abcdef0123456789"}) {
    const auto p = pseudonym(id);
    BOOST_TEST(p.size() == 18u);
    BOOST_TEST(p.rfind("p:", 0) == 0u);
    BOOST_TEST(p.find_first_not_of("0123456789abcdef", 2) == std::string::npos, p);
    if (id.size() > 2) BOOST_TEST(p.find(id) == std::string::npos, p);
  }
}

BOOST_AUTO_TEST_CASE(gives_the_same_answers_from_many_threads) {
  const Pseudonymizer pseudonym(repeated(3));
  const auto expected = pseudonym("23333000123");
  std::vector<std::thread> workers;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i)
        mismatches[t] += pseudonym("23333000123") != expected;
    });
  }
  for (auto& w : workers)
    w.join();
  for (const int m : mismatches)
    BOOST_TEST(m == 0);
}
