// The config loader: every problem as json.path: reason, overrides, CIDR bindings, profiles.
#define BOOST_TEST_MODULE gateway_config
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "handlers/catalogue.hpp"
#include "profiles/profile_registry.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("sip2gw-config-test-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

const char* kMinimal = R"({
  "version": 1,
  "listeners": [ { "listen": "127.0.0.1:6001" } ],
  "accounts": [ { "login": "k1", "password_hash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
                  "institution": "MAIN" } ],
  "backend": { "folio": { "url": "http://127.0.0.1:9130/", "tenant": "diku", "username": "u",
                          "password": "p", "service_point_id": "sp" } }
})";

config::Errors errors_of(const fs::path& file, const config::Overrides& o = {}) {
  auto r = config::load(file, o);
  return std::holds_alternative<config::Errors>(r) ? std::get<config::Errors>(r) : config::Errors{};
}

bool has(const config::Errors& e, const std::string& text) {
  return std::find(e.begin(), e.end(), text) != e.end();
}

}  // namespace

BOOST_AUTO_TEST_CASE(minimal_config_loads_with_defaults_and_resolved_paths) {
  TempDir t;
  auto r = config::load(t.write("c.json", kMinimal));
  BOOST_TEST_REQUIRE(std::holds_alternative<config::Config>(r));
  const auto& c = std::get<config::Config>(r);
  BOOST_TEST(c.listeners.at(0).port == 6001);
  BOOST_TEST(c.limits.idle_timeout.count() == 900);
  BOOST_TEST(c.backend.folio.base_url == "http://127.0.0.1:9130");
  BOOST_TEST(c.data_dir == t.path / "data");
  BOOST_TEST(c.security.key_file == t.path / "data" / "keys.json");
  BOOST_TEST(c.security.legacy_pseudonym_key_file == t.path / "data" / "pseudonym.key");
}

BOOST_AUTO_TEST_CASE(reports_every_problem_with_its_json_path) {
  TempDir t;
  auto e = errors_of(t.write("c.json", R"({
    "version": 1, "bogus": true,
    "listeners": [ { "listen": "nowhere", "proxy_protocol": "v3" } ],
    "limits": { "idle_timeout_seconds": "long", "keepalive": { "count": 0 } },
    "accounts": [ { "login": "k1", "password_hash": "plain", "institution": "M" } ],
    "backend": { "folio": { "url": "http://x" } }
  })"));
  BOOST_TEST(has(e, "bogus: unknown key"));
  BOOST_TEST(has(e, "listeners[0].listen: must be HOST:PORT (IPv6 as [ADDR]:PORT)"));
  BOOST_TEST(has(e, "listeners[0].proxy_protocol: must be one of none, v1, v2, any"));
  BOOST_TEST(has(e, "limits.idle_timeout_seconds: must be an integer"));
  BOOST_TEST(has(e, "limits.keepalive.count: must be between 1 and 100"));
  BOOST_TEST(
      has(e, "accounts[0].password_hash: must be an Argon2id hash from `sip2gw hash-password`"));
  BOOST_TEST(has(e, "backend.folio.tenant: is required"));
}

BOOST_AUTO_TEST_CASE(rejects_a_newer_version_and_invalid_json) {
  TempDir t;
  BOOST_TEST(has(errors_of(t.write("v.json", R"({"version": 2})")),
                 "version: is 2; this sip2gw reads version 1"));
  auto e = errors_of(t.write("j.json", "{ \"version\": 1,"));
  BOOST_TEST_REQUIRE(e.size() == 1u);
  BOOST_TEST(e[0].rfind("config: not valid JSON", 0) == 0);
}

BOOST_AUTO_TEST_CASE(command_line_overrides_replace_file_values) {
  TempDir t;
  config::Overrides o;
  o.listen = "[::1]:0";
  o.admin_listen = "127.0.0.1:0";
  o.backend_url = "http://127.0.0.1:1";
  auto r = config::load(t.write("c.json", kMinimal), o);
  BOOST_TEST_REQUIRE(std::holds_alternative<config::Config>(r));
  const auto& c = std::get<config::Config>(r);
  BOOST_TEST(c.listeners[0].host == "::1");
  BOOST_TEST(c.listeners[0].port == 0);
  BOOST_TEST(c.admin.port == 0);
  BOOST_TEST(c.backend.folio.base_url == "http://127.0.0.1:1");
  o.listen = "bad";
  BOOST_TEST(has(errors_of(t.path / "c.json", o), "--listen: must be HOST:PORT"));
}

BOOST_AUTO_TEST_CASE(cidr_matches_ipv4_ipv6_and_mapped_addresses) {
  auto net = config::Cidr::parse("10.20.0.0/16");
  BOOST_TEST_REQUIRE(net.has_value());
  BOOST_TEST(net->contains("10.20.3.4"));
  BOOST_TEST(net->contains("::ffff:10.20.3.4"));
  BOOST_TEST(!net->contains("10.21.0.1"));
  auto v6 = config::Cidr::parse("2001:db8::/32");
  BOOST_TEST(v6->contains("2001:db8:1::5"));
  BOOST_TEST(!v6->contains("2001:db9::1"));
  BOOST_TEST(!config::Cidr::parse("10.0.0.0/33").has_value());
  BOOST_TEST(!config::Cidr::parse("not-an-address").has_value());
}

BOOST_AUTO_TEST_CASE(profiles_layer_over_the_builtin_baseline) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "encoding":{"wire_charset":"utf-8"},"error_detection":{"checksum_basis":"code_points"},
    "patron":{"info_64":{"hold_items":"all"}}})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b","extends":["a"],
    "framing":{"outbound_terminator":"CRLF"}})");
  auto r = profiles::ProfileRegistry::load(t.path);
  BOOST_TEST_REQUIRE(std::holds_alternative<profiles::ProfileRegistry>(r));
  const auto& reg = std::get<profiles::ProfileRegistry>(r);
  const auto* b = reg.find("b");
  BOOST_TEST_REQUIRE(b != nullptr);
  BOOST_TEST((b->dialect.charset == sip2::Charset::utf8));
  BOOST_TEST((b->dialect.checksum_basis == sip2::ChecksumBasis::code_points));
  BOOST_TEST(b->dialect.terminator == "\r\n");
  BOOST_TEST(b->behaviour.all_holds_in_64);  // inherited from a
  BOOST_TEST((reg.find("sip2-baseline")->dialect == sip2::Dialect{}));
}

BOOST_AUTO_TEST_CASE(a_bad_profile_is_reported_with_its_file_and_path) {
  TempDir t;
  t.write("x.json",
          R"({"schema_version":1,"profile_id":"x","encoding":{"wire_charset":"ebcdic","typo":1}})");
  auto r = profiles::ProfileRegistry::load(t.path);
  BOOST_TEST_REQUIRE(std::holds_alternative<std::vector<std::string>>(r));
  const auto& e = std::get<std::vector<std::string>>(r);
  BOOST_TEST(has(e,
                 "firmware-profiles/x.json: encoding.wire_charset: must be ascii, cp850, "
                 "iso-8859-1 or utf-8"));
  BOOST_TEST(has(e, "firmware-profiles/x.json: encoding.typo: unknown key"));
}

BOOST_AUTO_TEST_CASE(shipped_profiles_all_load) {
  auto r = profiles::ProfileRegistry::load(fs::path(SIP2GW_SOURCE_ROOT) / "firmware-profiles");
  BOOST_TEST_REQUIRE(std::holds_alternative<profiles::ProfileRegistry>(r));
  const auto& reg = std::get<profiles::ProfileRegistry>(r);
  BOOST_TEST(reg.ids().size() >= 6u);
  // Every value a shipped profile sets is one the gateway acts on (the loader refuses the
  // others; this keeps its list and acted_on() in step).
  for (const auto& id : reg.ids())
    for (const auto& [pointer, source] : reg.find(id)->sources)
      BOOST_TEST(profiles::acted_on(pointer), id << ": " << pointer);
}

BOOST_AUTO_TEST_CASE(message_catalogue_takes_site_texts_and_rejects_unknown_keys) {
  TempDir t;
  auto ok =
      handlers::Catalogue::load(t.write("m.json", R"({"checkout.ok":"Ausgeliehen: {title}"})"));
  BOOST_TEST_REQUIRE(std::holds_alternative<handlers::Catalogue>(ok));
  BOOST_TEST(std::get<handlers::Catalogue>(ok).text("checkout.ok", {{"title", "Faust"}}) ==
             "Ausgeliehen: Faust");
  auto bad = handlers::Catalogue::load(t.write("b.json", R"({"nope":"x","checkout.ok":"{who}"})"));
  BOOST_TEST_REQUIRE(std::holds_alternative<std::vector<std::string>>(bad));
  const auto& e = std::get<std::vector<std::string>>(bad);
  BOOST_TEST(has(e, "messages.file: nope: unknown message"));
  BOOST_TEST(has(e, "messages.file: checkout.ok: unknown placeholder {who}"));
}
