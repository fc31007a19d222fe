// The config keys the handlers follow: defaults, values and errors as "json.path: reason".
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "handlers/context.hpp"
#include "profiles/profile_registry.hpp"
#include "test_config.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using fake::loaded;
using fake::refused_with;
using fake::write_config;

BOOST_AUTO_TEST_SUITE(settings)

BOOST_AUTO_TEST_CASE(defaults_match_the_documented_ones) {
  const auto s = handlers::Settings::from(loaded());
  BOOST_TEST(s.min_mutation_budget.count() == 1500);
  BOOST_TEST(s.return_date_max_age.count() == 72);
  BOOST_TEST(s.return_date_max_future.count() == 0);
  BOOST_TEST(s.magnetic_media.at("book") == false);
  BOOST_TEST(!s.magnetic_media.contains("video recording"));
}

BOOST_AUTO_TEST_CASE(circulation_keys_are_read_and_checked) {
  const auto s = handlers::Settings::from(loaded(R"("circulation": {
      "magnetic_media": {"Video Recording": true, "book": false},
      "return_date": {"max_age_hours": 24, "max_future_seconds": 120}},)"));
  BOOST_TEST(s.magnetic_media.size() == 2U);
  BOOST_TEST(s.magnetic_media.at("video recording"));
  BOOST_TEST(s.return_date_max_age.count() == 24);
  BOOST_TEST(s.return_date_max_future.count() == 120);
  BOOST_TEST(refused_with(R"("circulation": {"magnetic_media": {"dvd": "yes"}},)",
                          "circulation.magnetic_media.dvd: must be true or false"));
  BOOST_TEST(refused_with(R"("circulation": {"return_date": {"max_age": 3}},)",
                          "circulation.return_date.max_age: unknown key"));
  BOOST_TEST(refused_with(R"("circulation": {"bogus": 1},)", "circulation.bogus: unknown key"));
}

BOOST_AUTO_TEST_CASE(the_minimum_budget_for_a_change_is_configurable_and_checked) {
  BOOST_TEST(handlers::Settings::from(loaded(R"("limits": {"min_mutation_budget_ms": 500},)"))
                 .min_mutation_budget.count() == 500);
  BOOST_TEST(refused_with(R"("limits": {"min_mutation_budget_ms": 9000},)",
                          "limits.min_mutation_budget_ms: must be less than request_timeout_ms"));
}

BOOST_AUTO_TEST_CASE(patron_lookup_keys_default_to_patrons_by_barcode_or_external_id) {
  const auto d = loaded().backend.folio;
  BOOST_TEST(d.patron_identifier_fields ==
             (std::vector<std::string>{"barcode", "externalSystemId"}));
  BOOST_TEST(d.excluded_user_types ==
             (std::vector<std::string>{"staff", "system", "shadow", "dcb"}));
  BOOST_TEST(d.excluded_patron_groups.empty());
  const fs::path file = write_config("");
  std::ofstream(file) << R"({ "version": 1, "listeners": [ { "listen": "127.0.0.1:6001" } ],
    "backend": { "folio": { "url": "http://x", "tenant": "t", "username": "u", "password": "p",
      "service_point_id": "sp", "patron_lookup": { "identifier_fields": ["email"] } } } })";
  auto r = config::load(file);
  BOOST_TEST_REQUIRE(std::holds_alternative<config::Errors>(r));
  BOOST_TEST(std::get<config::Errors>(r).at(0) ==
             "backend.folio.patron_lookup.identifier_fields: must list barcode, externalSystemId "
             "or username, not 'email'");
}

BOOST_AUTO_TEST_CASE(a_profile_may_ask_for_patron_details_on_a_wrong_pin) {
  const fs::path dir =
      fs::temp_directory_path() / ("sip2gw-profile-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "p.json") << R"({"schema_version":1,"profile_id":"p",
    "patron":{"password":{"details_when_invalid":true},"info_64":{"hold_items":"all"}}})";
  std::ofstream(dir / "q.json") << R"({"schema_version":1,"profile_id":"q"})";
  auto r = profiles::ProfileRegistry::load(dir);
  fs::remove_all(dir);
  BOOST_TEST_REQUIRE(std::holds_alternative<profiles::ProfileRegistry>(r));
  const auto& reg = std::get<profiles::ProfileRegistry>(r);
  BOOST_TEST(reg.find("p")->dialect.patron_details_on_bad_password);
  BOOST_TEST(!reg.find("q")->dialect.patron_details_on_bad_password);
}

BOOST_AUTO_TEST_CASE(a_profile_sets_what_an_empty_or_absent_ad_means) {
  const fs::path dir =
      fs::temp_directory_path() / ("sip2gw-profile-ad-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "p.json") << R"({"schema_version":1,"profile_id":"p",
    "patron":{"password":{"empty_ad":"treat_invalid","absent_ad":"treat_invalid"}}})";
  std::ofstream(dir / "q.json") << R"({"schema_version":1,"profile_id":"q"})";
  auto r = profiles::ProfileRegistry::load(dir);
  std::ofstream(dir / "bad.json") << R"({"schema_version":1,"profile_id":"bad",
    "patron":{"password":{"empty_ad":"maybe"}}})";
  auto bad = profiles::ProfileRegistry::load(dir);
  fs::remove_all(dir);
  BOOST_TEST_REQUIRE(std::holds_alternative<profiles::ProfileRegistry>(r));
  const auto& reg = std::get<profiles::ProfileRegistry>(r);
  BOOST_TEST((reg.find("p")->dialect.empty_pin == sip2::Dialect::EmptyPin::treat_invalid));
  BOOST_TEST((reg.find("p")->dialect.absent_pin == sip2::Dialect::AbsentPin::treat_invalid));
  BOOST_TEST((reg.find("q")->dialect.empty_pin == sip2::Dialect::EmptyPin::as_absent));
  BOOST_TEST((reg.find("q")->dialect.absent_pin == sip2::Dialect::AbsentPin::no_check));
  BOOST_TEST_REQUIRE(std::holds_alternative<std::vector<std::string>>(bad));
  const auto& errors = std::get<std::vector<std::string>>(bad);
  BOOST_TEST_REQUIRE(errors.size() == 1u);
  BOOST_TEST(errors[0].find("patron.password.empty_ad: must be one of treat_valid, verify, "
                            "treat_invalid") != std::string::npos,
             errors[0]);
}

BOOST_AUTO_TEST_SUITE_END()
