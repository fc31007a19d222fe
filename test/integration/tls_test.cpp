// The real gateway with a TLS listener (a self-signed certificate made with Botan): a TLS kiosk
// works, a plain-TCP kiosk is closed without a SIP answer.
#define BOOST_TEST_MODULE integration_tls
#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <botan/x509self.h>

#include <boost/test/unit_test.hpp>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

/// A self-signed ECDSA P-256 certificate for "localhost" and its key, written into `dir`.
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

}  // namespace integration
