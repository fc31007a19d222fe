// The real gateway with a TLS listener (a self-signed certificate made with Botan): a TLS kiosk
// works, a plain-TCP kiosk is closed without a SIP answer.
#define BOOST_TEST_MODULE integration_tls
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <botan/x509self.h>

#include <boost/test/unit_test.hpp>
#include <csignal>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

/// A self-signed ECDSA P-256 certificate for "localhost" and its key (mode 0600), written into
/// `dir` (over what is there).
std::pair<std::string, std::string> make_certificate(const std::filesystem::path& dir) {
  Botan::AutoSeeded_RNG rng;
  const Botan::ECDSA_PrivateKey key(rng, Botan::EC_Group("secp256r1"));
  Botan::X509_Cert_Options opts("localhost/DE/sip2gw integration tests");
  opts.dns = "localhost";
  const auto cert = Botan::X509::create_self_signed_cert(opts, key, "SHA-256", rng);
  const auto cert_file = dir / "server.crt";
  const auto key_file = dir / "server.key";
  write_file(cert_file, cert.PEM_encode());
  write_file(key_file, Botan::PKCS8::PEM_encode(key));
  std::filesystem::permissions(
      key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return {cert_file.string(), key_file.string()};
}

/// A gateway whose first listener ("secure") speaks TLS and whose second ("plain") does not.
struct TlsStack {
  TempDir certs;
  std::pair<std::string, std::string> files = make_certificate(certs.path());
  GatewayStack stack{{[this](nlohmann::json& c) {
                        c["listeners"] = nlohmann::json::array(
                            {{{"name", "secure"},
                              {"listen", "127.0.0.1:0"},
                              {"tls", {{"cert_file", files.first}, {"key_file", files.second}}}},
                             {{"name", "plain"}, {"listen", "127.0.0.1:0"}}});
                      },
                      true}};

  sip2_client::ConnectOptions tls_options() const {
    sip2_client::ConnectOptions o;
    o.tls = true;
    o.ca_file = files.first;
    o.server_name = "localhost";
    return o;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(tls_kiosk_logs_in_and_is_served, TlsStack) {
  auto kiosk = stack.connect(tls_options(), stack.sip_port("secure"));
  auto login = answer(kiosk.exchange(req::login("kiosk1", req::kTerminalPassword)), "94");
  BOOST_TEST(fixed(login, "ok") == "1");
  auto status = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(status, "online_status") == "Y");
  auto patron = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(patron, "BL") == "Y");
  BOOST_TEST(stack.gateway_log().find("tls=yes") != std::string::npos, stack.gateway_log());
}

BOOST_FIXTURE_TEST_CASE(plain_kiosk_on_tls_listener_is_closed_without_answer, TlsStack) {
  auto kiosk = stack.connect({}, stack.sip_port("secure"));
  BOOST_REQUIRE(!kiosk.send_raw(req::login("kiosk1", req::kTerminalPassword) + "\r"));
  std::vector<std::string> frames;
  BOOST_TEST(kiosk.closed_within(10s, &frames), "the plain connection stays open");
  for (const auto& f : frames) {
    const auto m = sip2::decode(f, sip2::Dialect{}, sip2::Mode::strict);
    BOOST_TEST(!(m && m->command == "94"), "a plain kiosk got a SIP answer: " << f);
  }
}

BOOST_FIXTURE_TEST_CASE(plain_listener_still_serves_plain_kiosks, TlsStack) {
  auto kiosk = stack.connect({}, stack.sip_port("plain"));
  auto login = answer(kiosk.exchange(req::login("kiosk1", req::kTerminalPassword)), "94");
  BOOST_TEST(fixed(login, "ok") == "1");
  auto options = tls_options();
  options.connect_timeout = 2s;
  auto tls = SipClient::connect(stack.sip_port("plain"), options);
  BOOST_TEST(!tls.has_value(), "a TLS handshake succeeded on a plain listener");
}

BOOST_FIXTURE_TEST_CASE(sighup_reloads_the_certificate_for_new_handshakes, TlsStack) {
  const TempDir old_ca;
  std::filesystem::copy_file(files.first, old_ca.path() / "old.crt");
  auto before = stack.connect(tls_options(), stack.sip_port("secure"));
  (void)make_certificate(certs.path());  // a renewed certificate at the same paths
  BOOST_REQUIRE(stack.gateway().signal(SIGHUP));
  BOOST_REQUIRE_MESSAGE(stack.wait_for_log("TLS certificate reloaded", 5s), stack.gateway_log());
  auto renewed = stack.connect(tls_options(), stack.sip_port("secure"));  // trusts the new one
  (void)answer(renewed.exchange(req::login("kiosk1", req::kTerminalPassword)), "94");
  auto stale = tls_options();
  stale.ca_file = (old_ca.path() / "old.crt").string();
  stale.connect_timeout = 2s;
  BOOST_TEST(!SipClient::connect(stack.sip_port("secure"), stale).has_value(),
             "a new handshake still got the old certificate");
  (void)answer(before.exchange(req::sc_status()), "98");  // the open session keeps its own
}

BOOST_FIXTURE_TEST_CASE(a_key_readable_by_others_is_refused_at_start_with_its_mode, TlsStack) {
  std::filesystem::permissions(files.second, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  auto config = stack.config();
  const auto file = certs.path() / "check.json";
  write_file(file, config.dump(2));
  const auto err = certs.path() / "check.err";
  ChildProcess p(env("SIP2GW"), {"check-config", file.string()}, err.string());
  BOOST_REQUIRE(p.spawned());
  const auto code = p.wait_exit(Clock::now() + 10s);
  BOOST_TEST(code.value_or(-1) == 2);
  BOOST_TEST(
      read_file(err).find("listeners[0].tls.key_file: '" + files.second +
                          "' is readable by group or others (mode 0604)") != std::string::npos,
      read_file(err));
}

}  // namespace integration
