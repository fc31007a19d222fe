// Throwaway certificates and keys (ECDSA P-256) written to a temporary directory for TLS tests.
#include "test_pki.hpp"

#include <botan/auto_rng.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs10.h>
#include <botan/pkcs8.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace net::test {
namespace {

std::shared_ptr<Botan::Private_Key> make_key(Botan::RandomNumberGenerator& rng) {
  return std::make_shared<Botan::ECDSA_PrivateKey>(rng, Botan::EC_Group("secp256r1"));
}

Botan::X509_Cert_Options options(const std::string& common_name) {
  Botan::X509_Cert_Options opts(common_name + "/DE/sip2gw tests");
  opts.dns = common_name;
  return opts;
}

Botan::X509_Cert_Options ca_options(const std::string& common_name) {
  Botan::X509_Cert_Options opts(common_name + "/DE/sip2gw tests");
  opts.CA_key();
  return opts;
}

}  // namespace

const TestPki& TestPki::get() {
  static const TestPki pki;
  return pki;
}

TestPki::TestPki() {
  std::string pattern = (std::filesystem::temp_directory_path() / "net-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir = pattern;
  Botan::AutoSeeded_RNG rng;
  const auto make = [&](const std::string& name, Botan::X509_Cert_Options opts,
                        const Identity* issuer) {
    Identity id{Botan::X509_Certificate(), make_key(rng), "", ""};
    if (issuer == nullptr) {
      id.cert = Botan::X509::create_self_signed_cert(opts, *id.key, "SHA-256", rng);
    } else {
      const Botan::X509_CA ca(issuer->cert, *issuer->key, "SHA-256", rng);
      const auto request = Botan::X509::create_cert_req(opts, *id.key, "SHA-256", rng);
      const auto now = std::chrono::system_clock::now();
      id.cert = ca.sign_request(request, rng, Botan::X509_Time(now - std::chrono::hours(1)),
                                Botan::X509_Time(now + std::chrono::hours(24)));
    }
    id.cert_file = write(name + ".crt", id.cert.PEM_encode());
    id.key_file = write(name + ".key", Botan::PKCS8::PEM_encode(*id.key));
    return id;
  };
  // Botan's path validation wants a CA as trust anchor, so the server certificate has an issuer.
  server_ca = make("server-ca", ca_options("sip2gw test server CA"), nullptr);
  server = make("server", options("localhost"), &server_ca);
  client_ca = make("client-ca", ca_options("sip2gw test client CA"), nullptr);
  client = make("client", options("kiosk-01"), &client_ca);
  stranger = make("stranger", options("kiosk-99"), nullptr);
}

TestPki::~TestPki() {
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

std::string TestPki::write(const std::string& name, const std::string& text) const {
  const auto path = (std::filesystem::path(dir) / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace net::test
