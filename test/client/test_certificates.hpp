// Throwaway TLS certificates (ECDSA P-256, CN=localhost) generated with Botan when a test runs.
#pragma once

#include <string>

namespace sip2_client::test {

/// PEM files in a temporary directory that is removed at exit.
struct TestCertificates {
  std::string dir;
  std::string self_signed_cert;  ///< self-signed, CN and DNS name "localhost"
  std::string self_signed_key;
  std::string ca_cert;      ///< a self-signed CA
  std::string issued_cert;  ///< CN and DNS name "localhost", issued by ca_cert
  std::string issued_key;
  ~TestCertificates();
};

/// Generated on first use, once per test program.
const TestCertificates& test_certificates();

}  // namespace sip2_client::test
