// Seed validation (`json.path: reason`), the demo library, command line, tokens and faults.
#define BOOST_TEST_MODULE emulator_seed_cli
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <set>

#include "cli_options.hpp"
#include "fault_injector.hpp"
#include "seed_loader.hpp"
#include "small_library.hpp"
#include "token_store.hpp"

namespace {

using emulator_test::json;
using emulator_test::small_seed;

std::string seed_error(const json& seed) {
  const auto library = ils_emulator::Library::from_seed(seed);
  return library ? std::string("(loaded)") : library.error();
}

}  // namespace

BOOST_AUTO_TEST_CASE(reports_seed_problems_as_json_path_and_reason) {
  json seed = small_seed();
  seed["users"][2]["active"] = "yes";
  BOOST_TEST(seed_error(seed) == "users[2].active: must be true or false");
  seed = small_seed();
  seed["items"][1]["barcode"] = "I1";
  BOOST_TEST(seed_error(seed) == "items[1].barcode: duplicate barcode I1");
  seed = small_seed();
  seed["loanPolicies"][0]["loansPolicy"]["period"]["intervalId"] = "Fortnights";
  BOOST_TEST(seed_error(seed).starts_with("loanPolicies[0].loansPolicy.period.intervalId: "));
  seed = small_seed();
  seed["circulationRules"].erase(2);
  BOOST_TEST(seed_error(seed).starts_with("circulationRules: the last rule"));
  seed = small_seed();
  seed["loans"][0]["itemBarcode"] = "nope";
  BOOST_TEST(seed_error(seed) == "loans[0].itemBarcode: no such item");
  seed = small_seed();
  seed["colour"] = "blue";
  BOOST_TEST(seed_error(seed) == "colour: unknown key");
  BOOST_TEST(seed_error(json::array()) == "(top level): must be an object");
  BOOST_TEST(seed_error(small_seed()) == "(loaded)");
}

BOOST_AUTO_TEST_CASE(reports_unreadable_seed_files) {
  const auto missing = ils_emulator::read_seed_file("/nonexistent/seed.json");
  BOOST_TEST(missing.error() == "/nonexistent/seed.json: cannot open file");
}

BOOST_AUTO_TEST_CASE(demo_library_has_the_documented_size_and_identities) {
  const char* path = std::getenv("ILS_EMULATOR_SEED");
  BOOST_TEST_REQUIRE(path != nullptr);
  const auto seed = ils_emulator::read_seed_file(path);
  BOOST_TEST_REQUIRE(seed.has_value(), seed.error());
  auto library = ils_emulator::Library::from_seed(*seed);
  BOOST_TEST_REQUIRE(library.has_value(), library.error());
  auto& lib = **library;
  using ils_emulator::Collection;
  BOOST_TEST((*lib.query(Collection::users, std::nullopt, {0, 0}))["totalRecords"] >= 50);
  BOOST_TEST((*lib.query(Collection::inventory_items, std::nullopt, {0, 0}))["totalRecords"] >=
             500);
  const auto normal = lib.query(Collection::users, "barcode==21234000000018", {0, 1});
  BOOST_TEST_REQUIRE((*normal)["totalRecords"] == 1);
  const std::string id = (*normal)["users"][0]["id"];
  BOOST_TEST(lib.verify_pin({{"id", id}, {"pin", "1234"}}).has_value());
  BOOST_TEST(lib.check_password("sip2gw", "sip2gw-demo-password"));
  const json sp =
      (*lib.query(Collection::service_points, std::nullopt, {0, 1}))["servicepoints"][0];
  const auto out = lib.check_out({{"itemBarcode", "31234000000016"},
                                  {"userBarcode", "21234000000018"},
                                  {"servicePointId", sp["id"]}});
  BOOST_TEST(out.has_value());
}

BOOST_AUTO_TEST_CASE(parses_the_command_line) {
  const auto ok = ils_emulator::parse_cli({"--data", "seed.json", "--listen", "127.0.0.1:0"});
  BOOST_TEST_REQUIRE(ok.has_value(), ok.error());
  BOOST_TEST(ok->host == "127.0.0.1");
  BOOST_TEST(ok->port == 0);
  BOOST_TEST(ok->tenant == "diku");
  const auto v6 = ils_emulator::parse_cli({"--data=s", "--listen=[::1]:8080", "--tenant", "t"});
  BOOST_TEST_REQUIRE(v6.has_value(), v6.error());
  BOOST_TEST(v6->host == "::1");
  BOOST_TEST(v6->port == 8080);
  BOOST_TEST(v6->tenant == "t");
  BOOST_TEST(!ils_emulator::parse_cli({"--listen", "127.0.0.1:0"}).has_value());
  BOOST_TEST(!ils_emulator::parse_cli({"--data", "s", "--listen", "host:99999"}).has_value());
  BOOST_TEST(!ils_emulator::parse_cli({"--data", "s", "--listen", "noport"}).has_value());
  BOOST_TEST(!ils_emulator::parse_cli({"--data", "s", "--listen", "h:1", "--x", "y"}).has_value());
  BOOST_TEST(!ils_emulator::parse_cli({"--data"}).has_value());
}

BOOST_AUTO_TEST_CASE(tokens_expire_and_refresh_tokens_are_single_use) {
  using std::chrono::seconds;
  ils_emulator::TokenStore tokens(seconds(60), seconds(600));
  const auto now = std::chrono::system_clock::now();
  const auto pair = tokens.issue(now);
  BOOST_TEST(tokens.valid(pair.access, now + seconds(59)));
  BOOST_TEST(!tokens.valid(pair.access, now + seconds(61)));
  BOOST_TEST(!tokens.valid(pair.refresh, now));
  const auto renewed = tokens.refresh(pair.refresh, now + seconds(100));
  BOOST_TEST_REQUIRE(renewed.has_value());
  BOOST_TEST(tokens.valid(renewed->access, now + seconds(120)));
  BOOST_TEST(!tokens.refresh(pair.refresh, now + seconds(100)).has_value());
  tokens.revoke_all();
  BOOST_TEST(!tokens.valid(renewed->access, now + seconds(120)));
}

BOOST_AUTO_TEST_CASE(injects_counted_failures_latency_and_outage_by_path_prefix) {
  ils_emulator::FaultInjector faults;
  faults.set_failure(500, 2, "/circulation");
  BOOST_TEST(faults.plan("/users").status == 0);
  BOOST_TEST(faults.plan("/circulation/loans").status == 500);
  BOOST_TEST(faults.plan("/circulation/loans").status == 500);
  BOOST_TEST(faults.plan("/circulation/loans").status == 0);
  faults.set_failure(503, -1, "");
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(faults.plan("/users").status == 503);
  faults.set_latency(std::chrono::milliseconds(250), "/accounts");
  BOOST_TEST(faults.plan("/accounts/x/pay").delay.count() == 250);
  BOOST_TEST(faults.plan("/users").delay.count() == 0);
  faults.set_outage(true);
  BOOST_TEST(faults.plan("/users").outage);
  BOOST_TEST(faults.stats()["paths"]["/users"] == 8);
  faults.reset();
  const auto clean = faults.plan("/users");
  BOOST_TEST((!clean.outage && clean.status == 0 && clean.delay.count() == 0));
  BOOST_TEST(faults.stats()["total"] == 1);
  faults.shutdown();
  BOOST_TEST(!faults.wait(std::chrono::milliseconds(60000)));
}
