// Tests for loading TLS credentials: what loads, and the operator-facing error for what does not.
#define BOOST_TEST_MODULE tls_context
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "net/tls_context.hpp"
#include "test_pki.hpp"

namespace {

using net::test::TestPki;

std::string load_error(const net::TlsSettings& settings) {
  const auto loaded = net::TlsContext::load(settings);
  BOOST_REQUIRE(!loaded.has_value());
  return loaded.error();
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

net::TlsSettings server_settings() {
  const auto& pki = TestPki::get();
  return {pki.server.cert_file, pki.server.key_file, "", false};
}

}  // namespace

BOOST_AUTO_TEST_CASE(loads_a_pem_certificate_and_key) {
  BOOST_TEST(net::TlsContext::load(server_settings()).has_value());
}

BOOST_AUTO_TEST_CASE(loads_a_chain_and_client_cas) {
  const auto& pki = TestPki::get();
  auto settings = server_settings();
  settings.cert_file =
      pki.write("chain.pem", read(pki.server.cert_file) + read(pki.server_ca.cert_file));
  settings.client_ca_file = pki.client_ca.cert_file;
  settings.require_client_cert = true;
  BOOST_TEST(net::TlsContext::load(settings).has_value());
}

BOOST_AUTO_TEST_CASE(names_the_config_key_and_file_that_cannot_be_read) {
  auto settings = server_settings();
  settings.cert_file = "/nonexistent/server.pem";
  BOOST_TEST(load_error(settings) ==
             "tls.cert_file: cannot read '/nonexistent/server.pem': No such file or directory");
  settings = server_settings();
  settings.key_file = "/nonexistent/server.key";
  BOOST_TEST(load_error(settings) ==
             "tls.key_file: cannot read '/nonexistent/server.key': No such file or directory");
  settings = server_settings();
  settings.client_ca_file = "/nonexistent/ca.pem";
  BOOST_TEST(load_error(settings) ==
             "tls.client_ca_file: cannot read '/nonexistent/ca.pem': No such file or directory");
}

BOOST_AUTO_TEST_CASE(requires_certificate_and_key_files) {
  auto settings = server_settings();
  settings.cert_file.clear();
  BOOST_TEST(load_error(settings) == "tls.cert_file: is required");
  settings = server_settings();
  settings.key_file.clear();
  BOOST_TEST(load_error(settings) == "tls.key_file: is required");
}

BOOST_AUTO_TEST_CASE(rejects_a_key_that_does_not_match_the_certificate) {
  const auto& pki = TestPki::get();
  auto settings = server_settings();
  settings.key_file = pki.client.key_file;
  BOOST_TEST(load_error(settings) == "tls.key_file: '" + pki.client.key_file +
                                         "' does not match the first certificate in '" +
                                         pki.server.cert_file + "'");
}

BOOST_AUTO_TEST_CASE(rejects_files_that_hold_the_wrong_thing) {
  const auto& pki = TestPki::get();
  auto settings = server_settings();
  settings.cert_file = pki.write("garbage.pem", "not a certificate\n");
  BOOST_TEST(starts_with(load_error(settings), "tls.cert_file: '" + settings.cert_file +
                                                   "': certificate 1 is not valid: "));
  settings.cert_file = pki.write("empty.pem", "");
  BOOST_TEST(load_error(settings) == "tls.cert_file: '" + settings.cert_file + "' is empty");
  settings = server_settings();
  settings.key_file = pki.server.cert_file;
  BOOST_TEST(starts_with(load_error(settings), "tls.key_file: '" + settings.key_file +
                                                   "' is not an unencrypted PKCS#8 private key: "));
  settings = server_settings();
  const auto pem = read(pki.server.cert_file);
  settings.cert_file = pki.write("cut.pem", pem.substr(0, pem.size() / 2));
  BOOST_TEST(starts_with(load_error(settings), "tls.cert_file: '" + settings.cert_file + "': "));
}

BOOST_AUTO_TEST_CASE(explains_how_to_convert_a_traditional_key) {
  const auto& pki = TestPki::get();
  auto settings = server_settings();
  settings.key_file = pki.write("sec1.key",
                                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n"
                                "-----END EC PRIVATE KEY-----\n");
  BOOST_TEST(load_error(settings) ==
             "tls.key_file: '" + settings.key_file +
                 "' is a traditional (SEC1/PKCS#1) key; convert it to PKCS#8 with 'openssl pkcs8 "
                 "-topk8 -nocrypt -in " +
                 settings.key_file + "'");
}

BOOST_AUTO_TEST_CASE(require_client_cert_needs_a_ca_file) {
  auto settings = server_settings();
  settings.require_client_cert = true;
  BOOST_TEST(load_error(settings) == "tls.require_client_cert: needs tls.client_ca_file");
}
