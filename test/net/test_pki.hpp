// Throwaway certificates and keys (ECDSA P-256) written to a temporary directory for TLS tests.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <memory>
#include <string>

namespace net::test {

/// A certificate, its key, and the PEM files holding them.
struct Identity {
  Botan::X509_Certificate cert;
  std::shared_ptr<Botan::Private_Key> key;
  std::string cert_file;
  std::string key_file;
};

/// Generated once per test program; the directory is removed at exit.
class TestPki {
 public:
  static const TestPki& get();
  ~TestPki();

  std::string dir;
  Identity server_ca;  ///< a self-signed CA the test clients trust
  Identity server;     ///< issued by server_ca for DNS name "localhost"
  Identity client_ca;  ///< a self-signed CA for client certificates (tls.client_ca_file)
  Identity client;     ///< issued by client_ca
  Identity stranger;   ///< a self-signed client certificate no CA vouches for

  /// Writes text to a file in dir and returns its path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  TestPki();
};

}  // namespace net::test
