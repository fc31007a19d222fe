// Throwaway TLS certificates (ECDSA P-256, CN=localhost) generated with Botan when a test runs.
#include "test_certificates.hpp"

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

namespace sip2_client::test {
namespace {

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::path(dir) / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Botan::X509_Cert_Options localhost_options() {
  Botan::X509_Cert_Options opts("localhost/DE/sip2-client tests");
  opts.dns = "localhost";
  return opts;
}

void generate(TestCertificates& c) {
  std::string pattern = (std::filesystem::temp_directory_path() / "sip2-client-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  c.dir = pattern;
  Botan::AutoSeeded_RNG rng;
  const Botan::EC_Group p256("secp256r1");

  const Botan::ECDSA_PrivateKey self_key(rng, p256);
  const auto self =
      Botan::X509::create_self_signed_cert(localhost_options(), self_key, "SHA-256", rng);
  c.self_signed_cert = write(c.dir, "self-signed.crt", self.PEM_encode());
  c.self_signed_key = write(c.dir, "self-signed.key", Botan::PKCS8::PEM_encode(self_key));

  const Botan::ECDSA_PrivateKey ca_key(rng, p256);
  Botan::X509_Cert_Options ca_opts("sip2-client test CA/DE/sip2-client tests");
  ca_opts.CA_key();
  const auto ca = Botan::X509::create_self_signed_cert(ca_opts, ca_key, "SHA-256", rng);
  c.ca_cert = write(c.dir, "ca.crt", ca.PEM_encode());

  const Botan::ECDSA_PrivateKey issued_key(rng, p256);
  const Botan::X509_CA authority(ca, ca_key, "SHA-256", rng);
  const auto now = std::chrono::system_clock::now();
  const auto issued = authority.sign_request(
      Botan::X509::create_cert_req(localhost_options(), issued_key, "SHA-256", rng), rng,
      Botan::X509_Time(now - std::chrono::hours(1)),
      Botan::X509_Time(now + std::chrono::hours(24)));
  c.issued_cert = write(c.dir, "issued.crt", issued.PEM_encode());
  c.issued_key = write(c.dir, "issued.key", Botan::PKCS8::PEM_encode(issued_key));
}

}  // namespace

TestCertificates::~TestCertificates() {
  std::error_code ignored;
  if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
}

const TestCertificates& test_certificates() {
  // Filled in place: a copy's destructor would remove the directory.
  static TestCertificates certificates;
  static const bool generated = (generate(certificates), true);
  (void)generated;
  return certificates;
}

}  // namespace sip2_client::test
