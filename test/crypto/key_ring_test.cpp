// Tests for the key file: creation, strict loading, rotation, retirement, migration.
#define BOOST_TEST_MODULE key_ring
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "crypto/key_ring.hpp"

namespace {

namespace fs = std::filesystem;

/// A fresh directory (/tmp/sip2gw-keys-XXXXXX), removed at scope exit.
struct TempDir : test_support::TempDir {
  TempDir() : test_support::TempDir("keys") {}
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_private(const fs::path& p, const std::string& text, mode_t mode = 0600) {
  { std::ofstream(p, std::ios::binary) << text; }
  ::chmod(p.c_str(), mode);
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  BOOST_REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

bool same(const crypto::SecretBytes& a, const crypto::SecretBytes& b) {
  return crypto::equal(a.bytes(), b.bytes());
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

const std::string k32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";  // 32 zero bytes

/// A valid key file's JSON, edited by the test.
nlohmann::json valid_file() {
  return {{"format", 1},
          {"index_key", k32},
          {"pseudonym_key", k32},
          {"sealing", {{"current", 1}, {"keys", {{"1", k32}}}}}};
}

/// The error of loading `j` written as a 0600 key file.
std::string load_error(const TempDir& dir, const std::string& text) {
  const auto file = dir.path() / "keys.json";
  write_private(file, text);
  const auto loaded = crypto::load_key_file(file);
  BOOST_REQUIRE_MESSAGE(!loaded.has_value(), "loaded: " << text);
  return loaded.error();
}

}  // namespace

BOOST_AUTO_TEST_CASE(creates_a_0600_file_in_0700_directories_and_loads_it_back) {
  const TempDir dir;
  const auto file = dir.path() / "state" / "keys" / "keys.json";
  const auto created = crypto::create_key_file(file);
  BOOST_TEST_REQUIRE(created.has_value(), created.error());
  BOOST_TEST(mode_of(file) == 0600u);
  BOOST_TEST(mode_of(file.parent_path()) == 0700u);
  BOOST_TEST(entries(file.parent_path()) == 1u);  // no temporary file left
  BOOST_TEST(created->current == 1u);
  const auto loaded = crypto::load_key_file(file);
  BOOST_TEST_REQUIRE(loaded.has_value(), loaded.error());
  BOOST_TEST(same(loaded->index_key, created->index_key));
  BOOST_TEST(same(loaded->pseudonym_key, created->pseudonym_key));
  BOOST_TEST_REQUIRE(loaded->current_key() != nullptr);
  BOOST_TEST(same(*loaded->current_key(), *created->sealing_key(1)));
  BOOST_TEST(!same(loaded->index_key, loaded->pseudonym_key));
  const auto j = nlohmann::json::parse(read_text(file));
  BOOST_TEST(j.at("format") == 1);
  BOOST_TEST(j.at("sealing").at("current") == 1);
  BOOST_TEST(j.at("sealing").at("keys").size() == 1u);
}

BOOST_AUTO_TEST_CASE(create_refuses_an_existing_file_and_leaves_it_alone) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  write_private(file, "not even JSON");
  const auto created = crypto::create_key_file(file);
  BOOST_TEST_REQUIRE(!created.has_value());
  BOOST_TEST(created.error() == "'" + file.string() + "' exists; not overwriting it");
  BOOST_TEST(read_text(file) == "not even JSON");
}

BOOST_AUTO_TEST_CASE(create_refuses_a_directory_others_may_write) {
  const TempDir dir;
  const auto open_dir = dir.path() / "open";
  fs::create_directory(open_dir);
  ::chmod(open_dir.c_str(), 0777);
  const auto created = crypto::create_key_file(open_dir / "keys.json");
  BOOST_TEST_REQUIRE(!created.has_value());
  BOOST_TEST(created.error() == "directory '" + open_dir.string() +
                                    "' is writable by others (mode 0777); chmod 700 it");
  BOOST_TEST(entries(open_dir) == 0u);
}

BOOST_AUTO_TEST_CASE(load_refuses_a_file_others_may_read_naming_its_mode) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  BOOST_TEST_REQUIRE(crypto::create_key_file(file).has_value());
  ::chmod(file.c_str(), 0644);
  const auto loaded = crypto::load_key_file(file);
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST(loaded.error() ==
             "'" + file.string() + "' is readable by others (mode 0644); chmod 600 it");
  ::chmod(file.c_str(), 0620);
  BOOST_TEST(crypto::load_key_file(file).error().find("(mode 0620)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(load_reports_a_missing_file) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  BOOST_TEST(crypto::load_key_file(file).error() ==
             "'" + file.string() + "': cannot read: No such file or directory");
}

BOOST_AUTO_TEST_CASE(load_names_the_malformed_field) {
  const TempDir dir;
  const auto file = "'" + (dir.path() / "keys.json").string() + "': ";
  BOOST_TEST(load_error(dir, "{\"format\": 1,") == file + "(file): not valid JSON");
  BOOST_TEST(load_error(dir, "[]") == file + "(file): must be a JSON object");
  auto j = valid_file();
  j["format"] = 2;
  BOOST_TEST(load_error(dir, j.dump()) == file + "format: is 2; this sip2gw reads format 1");
  j = valid_file();
  j["index_key"] = "not*base64";
  BOOST_TEST(load_error(dir, j.dump()) == file + "index_key: must be base64 of 32 bytes");
  j = valid_file();
  j.erase("pseudonym_key");
  BOOST_TEST(load_error(dir, j.dump()) == file + "pseudonym_key: is missing");
  j = valid_file();
  j["sealing"]["keys"]["2"] = "AAAA";
  BOOST_TEST(load_error(dir, j.dump()) == file + "sealing.keys.2: must be base64 of 32 bytes");
  j = valid_file();
  j["sealing"]["keys"]["02"] = k32;
  BOOST_TEST(load_error(dir, j.dump()) ==
             file + "sealing.keys.02: is not a version number (1 or more)");
  j = valid_file();
  j["sealing"]["current"] = 3;
  BOOST_TEST(load_error(dir, j.dump()) ==
             file + "sealing.current: version 3 is not in sealing.keys");
  j = valid_file();
  j["sealing"]["current"] = -1;
  BOOST_TEST(load_error(dir, j.dump()) ==
             file + "sealing.current: must be a version number (1 or more)");
  j = valid_file();
  j["index_keys"] = k32;
  BOOST_TEST(load_error(dir, j.dump()) == file + "index_keys: unknown field");
  j = valid_file();
  j["sealing"]["next"] = 2;
  BOOST_TEST(load_error(dir, j.dump()) == file + "sealing.next: unknown field");
}

BOOST_AUTO_TEST_CASE(load_error_never_shows_key_bytes) {
  const TempDir dir;
  auto j = valid_file();
  j["sealing"]["keys"]["1"] = "c2VjcmV0LWtleS1ieXRlcw==";  // 18 bytes: wrong size
  const auto error = load_error(dir, j.dump());
  BOOST_TEST(error.find("c2VjcmV0") == std::string::npos, error);
}

BOOST_AUTO_TEST_CASE(rotate_adds_a_current_version_and_keeps_the_old_ones) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  const auto created = crypto::create_key_file(file);
  BOOST_TEST_REQUIRE(created.has_value());
  const auto v2 = crypto::rotate_key_file(file);
  BOOST_TEST_REQUIRE(v2.has_value(), v2.error());
  BOOST_TEST(*v2 == 2u);
  BOOST_TEST(*crypto::rotate_key_file(file) == 3u);
  const auto loaded = crypto::load_key_file(file);
  BOOST_TEST_REQUIRE(loaded.has_value(), loaded.error());
  BOOST_TEST(loaded->current == 3u);
  BOOST_TEST(loaded->sealing.size() == 3u);
  BOOST_TEST(same(*loaded->sealing_key(1), *created->sealing_key(1)));
  BOOST_TEST(!same(*loaded->sealing_key(2), *loaded->sealing_key(1)));
  BOOST_TEST(same(loaded->index_key, created->index_key));
  BOOST_TEST(same(loaded->pseudonym_key, created->pseudonym_key));
  BOOST_TEST(mode_of(file) == 0600u);
  BOOST_TEST(entries(dir.path()) == 1u);
}

BOOST_AUTO_TEST_CASE(a_record_sealed_before_rotation_still_opens) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  const auto before = crypto::create_key_file(file);
  BOOST_TEST_REQUIRE(before.has_value());
  const auto sealed = crypto::seal(*before->current_key(), "r", "patron");
  BOOST_TEST_REQUIRE(crypto::rotate_key_file(file).has_value());
  const auto after = crypto::load_key_file(file);
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(crypto::open(*after->sealing_key(1), "r", sealed).value_or("") == "patron");
  BOOST_TEST(!crypto::open(*after->current_key(), "r", sealed).has_value());
}

BOOST_AUTO_TEST_CASE(retire_removes_a_version_and_refuses_the_current_one) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  BOOST_TEST_REQUIRE(crypto::create_key_file(file).has_value());
  BOOST_TEST_REQUIRE(crypto::rotate_key_file(file).has_value());
  const auto current = crypto::retire_key_version(file, 2);
  BOOST_TEST_REQUIRE(!current.has_value());
  BOOST_TEST(current.error() ==
             "'" + file.string() + "': version 2 is the current sealing version; rotate first");
  const auto retired = crypto::retire_key_version(file, 1);
  BOOST_TEST_REQUIRE(retired.has_value(), retired.error());
  const auto loaded = crypto::load_key_file(file);
  BOOST_TEST_REQUIRE(loaded.has_value());
  BOOST_TEST(loaded->sealing_key(1) == nullptr);
  BOOST_TEST(loaded->sealing.size() == 1u);
  BOOST_TEST(crypto::retire_key_version(file, 1).error() ==
             "'" + file.string() + "': version 1 is not in the key file (retired already?)");
  BOOST_TEST(*crypto::rotate_key_file(file) == 3u);  // a retired number is never reused
  BOOST_TEST(mode_of(file) == 0600u);
}

BOOST_AUTO_TEST_CASE(open_creates_a_missing_file_once_then_loads_it) {
  const TempDir dir;
  const auto file = dir.path() / "data" / "keys.json";
  const auto first = crypto::open_key_file(file, dir.path() / "data" / "pseudonym.key");
  BOOST_TEST_REQUIRE(first.has_value(), first.error());
  BOOST_TEST((first->origin == crypto::KeyFileOrigin::created));
  const auto second = crypto::open_key_file(file, dir.path() / "data" / "pseudonym.key");
  BOOST_TEST_REQUIRE(second.has_value(), second.error());
  BOOST_TEST((second->origin == crypto::KeyFileOrigin::loaded));
  BOOST_TEST(same(first->ring.pseudonym_key, second->ring.pseudonym_key));
}

BOOST_AUTO_TEST_CASE(migration_keeps_the_old_pseudonym_key) {
  const TempDir dir;
  const auto legacy = dir.path() / "pseudonym.key";
  const std::string raw(32, '\x5a');
  write_private(legacy, raw);
  const auto opened = crypto::open_key_file(dir.path() / "keys.json", legacy);
  BOOST_TEST_REQUIRE(opened.has_value(), opened.error());
  BOOST_TEST((opened->origin == crypto::KeyFileOrigin::migrated));
  BOOST_TEST(
      same(opened->ring.pseudonym_key, crypto::SecretBytes(std::vector<std::uint8_t>(32, 0x5a))));
  const auto loaded = crypto::load_key_file(dir.path() / "keys.json");
  BOOST_TEST_REQUIRE(loaded.has_value());
  BOOST_TEST(same(loaded->pseudonym_key, opened->ring.pseudonym_key));
  // Once the key file exists, the old file is not read again.
  write_private(legacy, std::string(32, '\x01'));
  const auto again = crypto::open_key_file(dir.path() / "keys.json", legacy);
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST((again->origin == crypto::KeyFileOrigin::loaded));
  BOOST_TEST(same(again->ring.pseudonym_key, opened->ring.pseudonym_key));
}

BOOST_AUTO_TEST_CASE(migration_refuses_a_bad_old_key_and_creates_nothing) {
  const TempDir dir;
  const auto legacy = dir.path() / "pseudonym.key";
  write_private(legacy, "short");
  const auto opened = crypto::open_key_file(dir.path() / "keys.json", legacy);
  BOOST_TEST_REQUIRE(!opened.has_value());
  BOOST_TEST(opened.error() == "'" + legacy.string() + "': expected 32 bytes, found 5");
  write_private(legacy, std::string(32, 'k'), 0644);
  BOOST_TEST(crypto::open_key_file(dir.path() / "keys.json", legacy).error() ==
             "'" + legacy.string() + "' is readable by others (mode 0644); chmod 600 it");
  BOOST_TEST(crypto::check_key_file(dir.path() / "keys.json", legacy).error() ==
             "'" + legacy.string() + "' is readable by others (mode 0644); chmod 600 it");
  BOOST_TEST(!fs::exists(dir.path() / "keys.json"));
}

BOOST_AUTO_TEST_CASE(check_accepts_a_missing_file_and_reports_a_bad_one) {
  const TempDir dir;
  const auto file = dir.path() / "keys.json";
  BOOST_TEST(crypto::check_key_file(file, dir.path() / "pseudonym.key").has_value());
  BOOST_TEST(!fs::exists(file));
  write_private(file, "{}");
  BOOST_TEST(crypto::check_key_file(file).error() == "'" + file.string() + "': format: is missing");
}

BOOST_AUTO_TEST_CASE(fingerprints_are_short_distinct_and_not_the_key) {
  const auto a = crypto::random_key();
  const auto b = crypto::random_key();
  const auto fa = crypto::KeyRing::fingerprint(a);
  BOOST_TEST(fa.size() == 10u);
  BOOST_TEST(fa.rfind("k:", 0) == 0u);
  BOOST_TEST(fa == crypto::KeyRing::fingerprint(crypto::SecretBytes(a)));
  BOOST_TEST(fa != crypto::KeyRing::fingerprint(b));
  BOOST_TEST(crypto::hex(a.bytes()).find(fa.substr(2)) == std::string::npos);
}
