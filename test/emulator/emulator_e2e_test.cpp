// The real ils-emulator binary over HTTP: login, check-out, check-in, ledger, Okapi checks,
// fault injection and shutdown. ILS_EMULATOR and ILS_EMULATOR_SEED come from meson.
#define BOOST_TEST_MODULE emulator_e2e
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emulator_process.hpp"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kNormalPatron = "21234000000018";
constexpr const char* kAvailableItem = "31234000000016";

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

/// A running emulator on 127.0.0.1:0 with a client logged in as the gateway's service user.
struct Emulator {
  emulator_test::EmulatorProcess process{
      env("ILS_EMULATOR"), {"--data", env("ILS_EMULATOR_SEED"), "--listen", "127.0.0.1:0"}};
  int port = process.wait_for_port(10s);
  httplib::Client client{"127.0.0.1", port};
  httplib::Headers okapi{{"X-Okapi-Tenant", "diku"}};

  std::string login() {
    auto res = client.Post("/authn/login-with-expiry", okapi,
                           R"({"username":"sip2gw","password":"sip2gw-demo-password"})",
                           "application/json");
    if (!res || res->status != 201) return {};
    for (std::size_t i = 0; i < res->get_header_value_count("Set-Cookie"); ++i) {
      const std::string cookie = res->get_header_value("Set-Cookie", i);
      if (cookie.rfind("folioAccessToken=", 0) == 0) {
        const std::string token = cookie.substr(17, cookie.find(';') - 17);
        okapi.emplace("X-Okapi-Token", token);
        return token;
      }
    }
    return {};
  }
  json get(const std::string& path) {
    auto res = client.Get(path.c_str(), okapi);
    return res && res->status == 200 ? json::parse(res->body, nullptr, false) : json();
  }
  httplib::Result post(const std::string& path, const json& body) {
    return client.Post(path.c_str(), okapi, body.dump(), "application/json");
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(logs_in_checks_out_checks_in_and_records_the_ledger) {
  Emulator emu;
  BOOST_TEST_REQUIRE(emu.port > 0);
  BOOST_TEST_REQUIRE(!emu.login().empty());
  const json users =
      emu.get(std::string("/users?limit=1&query=barcode%3D%3D%22") + kNormalPatron + "%22");
  BOOST_TEST_REQUIRE(users["totalRecords"] == 1);
  const std::string user_id = users["users"][0]["id"];
  BOOST_TEST(emu.post("/patron-pin/verify", {{"id", user_id}, {"pin", "1234"}})->status == 200);
  BOOST_TEST(emu.post("/patron-pin/verify", {{"id", user_id}, {"pin", "0000"}})->status == 422);
  const std::string sp = emu.get("/service-points")["servicepoints"][0]["id"];

  auto out = emu.post(
      "/circulation/check-out-by-barcode",
      {{"itemBarcode", kAvailableItem}, {"userBarcode", kNormalPatron}, {"servicePointId", sp}});
  BOOST_TEST_REQUIRE(out->status == 201, out->body);
  BOOST_TEST(json::parse(out->body)["dueDate"].is_string());
  auto again = emu.post(
      "/circulation/check-out-by-barcode",
      {{"itemBarcode", kAvailableItem}, {"userBarcode", kNormalPatron}, {"servicePointId", sp}});
  BOOST_TEST(again->status == 422);
  BOOST_TEST(json::parse(again->body)["errors"][0]["message"] == "Item is already checked out");
  auto in =
      emu.post("/circulation/check-in-by-barcode", {{"itemBarcode", kAvailableItem},
                                                    {"servicePointId", sp},
                                                    {"checkInDate", "2025-05-01T10:00:00.000Z"}});
  BOOST_TEST_REQUIRE(in->status == 200, in->body);
  BOOST_TEST(json::parse(in->body)["loan"]["borrower"]["barcode"] == kNormalPatron);

  auto ledger = emu.client.Get("/_emulator/ledger");
  const json entries = json::parse(ledger->body);
  BOOST_TEST_REQUIRE(entries.size() == 2U);
  BOOST_TEST(entries[0]["action"] == "checkout");
  BOOST_TEST(entries[0]["item_barcode"] == kAvailableItem);
  BOOST_TEST(entries[0]["user_barcode"] == kNormalPatron);
  BOOST_TEST(entries[1]["action"] == "checkin");
  BOOST_TEST(entries[1]["seq"] == 2);
  BOOST_TEST(emu.process.stop(SIGTERM, 10s) == 0);
}

BOOST_AUTO_TEST_CASE(refuses_calls_without_tenant_or_valid_token_and_refreshes) {
  Emulator emu;
  BOOST_TEST_REQUIRE(emu.port > 0);
  BOOST_TEST(emu.client.Get("/users")->status == 400);
  BOOST_TEST(emu.client.Get("/users", emu.okapi)->status == 401);
  BOOST_TEST(
      emu.post("/authn/login-with-expiry", {{"username", "sip2gw"}, {"password", "x"}})->status ==
      422);
  auto login = emu.post("/authn/login-with-expiry",
                        {{"username", "sip2gw"}, {"password", "sip2gw-demo-password"}});
  BOOST_TEST_REQUIRE(login->status == 201);
  const json expiry = json::parse(login->body);
  BOOST_TEST(expiry["accessTokenExpiration"].is_string());
  std::string refresh_cookie;
  for (std::size_t i = 0; i < login->get_header_value_count("Set-Cookie"); ++i) {
    const std::string c = login->get_header_value("Set-Cookie", i);
    if (c.rfind("folioRefreshToken=", 0) == 0) refresh_cookie = c.substr(0, c.find(';'));
  }
  httplib::Headers refresh = emu.okapi;
  refresh.emplace("Cookie", refresh_cookie);
  BOOST_TEST(emu.client.Post("/authn/refresh", refresh, "", "application/json")->status == 201);
  BOOST_TEST(emu.client.Post("/authn/refresh", refresh, "", "application/json")->status == 422);
  BOOST_TEST(emu.client.Get("/nothing", emu.okapi)->status == 401);
}

BOOST_AUTO_TEST_CASE(a_post_refused_before_its_body_is_read_does_not_spoil_the_connection) {
  // Okapi's refusals and injected faults are answered before a route reads the body; the
  // next request on a kept-alive connection must not be parsed from the leftover body.
  Emulator emu;
  BOOST_TEST_REQUIRE(emu.port > 0);
  emu.client.set_keep_alive(true);
  BOOST_TEST_REQUIRE(!emu.login().empty());
  const json checkout = {{"itemBarcode", kAvailableItem},
                         {"userBarcode", kNormalPatron},
                         {"servicePointId", emu.get("/service-points")["servicepoints"][0]["id"]}};
  const httplib::Headers stale{{"X-Okapi-Tenant", "diku"}, {"X-Okapi-Token", "expired-token"}};
  auto refused = emu.client.Post("/circulation/check-out-by-barcode", stale, checkout.dump(),
                                 "application/json");
  BOOST_TEST_REQUIRE(static_cast<bool>(refused));
  BOOST_TEST(refused->status == 401);
  BOOST_TEST(emu.get("/service-points").is_object(), "the next call after a refused POST");

  BOOST_TEST(emu.client.Post("/_emulator/outage", R"({"on":true})", "application/json")->status ==
             200);
  auto outage = emu.post("/circulation/check-out-by-barcode", checkout);
  BOOST_TEST_REQUIRE(static_cast<bool>(outage));
  BOOST_TEST(outage->status == 503);
  BOOST_TEST(emu.client.Post("/_emulator/outage", R"({"on":false})", "application/json")->status ==
             200);
  auto loan = emu.post("/circulation/check-out-by-barcode", checkout);
  BOOST_TEST_REQUIRE(static_cast<bool>(loan));
  BOOST_TEST(loan->status == 201, loan->body);
}

BOOST_AUTO_TEST_CASE(injects_failures_and_outages_until_reset) {
  Emulator emu;
  BOOST_TEST_REQUIRE(emu.port > 0);
  BOOST_TEST_REQUIRE(!emu.login().empty());
  auto fail = emu.client.Post(
      "/_emulator/fail", R"({"status":500,"count":1,"path_prefix":"/users"})", "application/json");
  BOOST_TEST(fail->status == 200);
  BOOST_TEST(emu.client.Get("/users", emu.okapi)->status == 500);
  BOOST_TEST(emu.client.Get("/users", emu.okapi)->status == 200);
  emu.client.Post("/_emulator/outage", R"({"on":true})", "application/json");
  BOOST_TEST(emu.client.Get("/users", emu.okapi)->status == 503);
  BOOST_TEST(emu.client.Get("/_emulator/health")->status == 200);
  const json stats = json::parse(emu.client.Get("/_emulator/stats")->body);
  BOOST_TEST(stats["paths"]["/users"] == 3);
  emu.client.Post("/_emulator/reset", "", "application/json");
  BOOST_TEST(emu.client.Get("/users", emu.okapi)->status == 200);
  BOOST_TEST(emu.client.Post("/_emulator/fail", R"({"status":"x"})", "application/json")->status ==
             400);
  BOOST_TEST(emu.process.stop(SIGINT, 10s) == 0);
}

BOOST_AUTO_TEST_CASE(exits_2_on_a_bad_seed_file) {
  emulator_test::EmulatorProcess process(
      env("ILS_EMULATOR"), {"--data", "/nonexistent/seed.json", "--listen", "127.0.0.1:0"});
  BOOST_TEST(process.stop(0, 10s) == 2);
  emulator_test::EmulatorProcess usage(env("ILS_EMULATOR"), {"--listen", "127.0.0.1:0"});
  BOOST_TEST(usage.stop(0, 10s) == 2);
}
