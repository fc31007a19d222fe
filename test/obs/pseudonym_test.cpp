// Tests for patron pseudonyms and their key file.
#define BOOST_TEST_MODULE pseudonym
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "obs/pseudonym.hpp"
#include "temp_dir.hpp"

namespace {

using obs::Pseudonymizer;
using obs::test::TempDir;

std::vector<std::uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

}  // namespace

BOOST_AUTO_TEST_CASE(matches_the_rfc4231_hmac_sha256_vector) {
  // RFC 4231 test case 2: HMAC-SHA-256("Jefe", "what do ya want for nothing?") =
  // 5bdcc146bf60754e...
  const Pseudonymizer pseudonym(bytes("Jefe"));
  BOOST_TEST(pseudonym("what do ya want for nothing?") == "p:5bdcc146bf60754e");
}

BOOST_AUTO_TEST_CASE(gives_the_same_pseudonym_for_the_same_identifier_and_key) {
  const Pseudonymizer a(std::vector<std::uint8_t>(32, 7));
  const Pseudonymizer b(std::vector<std::uint8_t>(32, 7));
  BOOST_TEST(a("23333000123") == a("23333000123"));
  BOOST_TEST(a("23333000123") == b("23333000123"));
  BOOST_TEST(a("23333000123") != a("23333000124"));
}

BOOST_AUTO_TEST_CASE(gives_another_pseudonym_under_another_key) {
  const Pseudonymizer a(std::vector<std::uint8_t>(32, 7));
  const Pseudonymizer b(std::vector<std::uint8_t>(32, 8));
  BOOST_TEST(a("23333000123") != b("23333000123"));
}

BOOST_AUTO_TEST_CASE(never_contains_the_identifier) {
  const Pseudonymizer pseudonym(std::vector<std::uint8_t>(32, 1));
  for (const std::string id : {"23333000123", "a", "0", "p:", "", "abcdef0123456789"}) {
    const auto p = pseudonym(id);
    BOOST_TEST(p.size() == 18u);
    BOOST_TEST(p.rfind("p:", 0) == 0u);
    BOOST_TEST(p.find_first_not_of("0123456789abcdef", 2) == std::string::npos, p);
    if (id.size() > 2) BOOST_TEST(p.find(id) == std::string::npos, p);
  }
}

BOOST_AUTO_TEST_CASE(creates_a_missing_key_file_with_mode_0600_and_reuses_it) {
  const TempDir dir;
  const auto key_file = dir.path() / "state" / "keys" / "pseudonym.key";
  const auto first = Pseudonymizer::load_or_create(key_file);
  BOOST_TEST_REQUIRE(first.has_value(), first.error());
  BOOST_TEST(std::filesystem::file_size(key_file) == 32u);
  struct stat st {};
  BOOST_TEST_REQUIRE(::stat(key_file.c_str(), &st) == 0);
  BOOST_TEST((st.st_mode & 0777) == 0600u);
  const auto second = Pseudonymizer::load_or_create(key_file);
  BOOST_TEST_REQUIRE(second.has_value(), second.error());
  BOOST_TEST((*first)("23333000123") == (*second)("23333000123"));
  BOOST_TEST(std::distance(std::filesystem::directory_iterator(key_file.parent_path()),
                           std::filesystem::directory_iterator()) == 1);
}

BOOST_AUTO_TEST_CASE(different_key_files_give_different_pseudonyms) {
  const TempDir dir;
  const auto a = Pseudonymizer::load_or_create(dir.path() / "a.key");
  const auto b = Pseudonymizer::load_or_create(dir.path() / "b.key");
  BOOST_TEST_REQUIRE((a.has_value() && b.has_value()));
  BOOST_TEST((*a)("23333000123") != (*b)("23333000123"));
}

BOOST_AUTO_TEST_CASE(rejects_a_key_file_of_the_wrong_size) {
  const TempDir dir;
  const auto key_file = dir.path() / "short.key";
  { std::ofstream(key_file) << "12345"; }
  const auto loaded = Pseudonymizer::load_or_create(key_file);
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST(loaded.error() == "logging.pseudonym_key_file: cannot read '" + key_file.string() +
                                   "': expected 32 bytes, found 5");
}

BOOST_AUTO_TEST_CASE(reports_a_key_path_that_cannot_be_read) {
  const TempDir dir;
  const auto loaded = Pseudonymizer::load_or_create(dir.path());
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST(loaded.error() == "logging.pseudonym_key_file: cannot read '" + dir.path().string() +
                                   "': Is a directory");
}

BOOST_AUTO_TEST_CASE(reports_a_key_file_that_cannot_be_created) {
  // procfs refuses new directories even to root, while the lookup itself says "missing".
  const std::filesystem::path key_file = "/proc/sip2gw-no-such-dir/pseudonym.key";
  const auto loaded = Pseudonymizer::load_or_create(key_file);
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST(loaded.error().rfind(
                 "logging.pseudonym_key_file: cannot create '" + key_file.string() + "': ", 0) == 0,
             loaded.error());
}

BOOST_AUTO_TEST_CASE(reports_a_key_path_under_a_regular_file) {
  const TempDir dir;
  const auto blocker = dir.path() / "not-a-dir";
  { std::ofstream(blocker) << "x"; }
  const auto key_file = blocker / "pseudonym.key";
  const auto loaded = Pseudonymizer::load_or_create(key_file);
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST(loaded.error() == "logging.pseudonym_key_file: cannot read '" + key_file.string() +
                                   "': Not a directory");
}

BOOST_AUTO_TEST_CASE(gives_the_same_answers_from_many_threads) {
  const Pseudonymizer pseudonym(std::vector<std::uint8_t>(32, 3));
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
