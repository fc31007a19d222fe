// TLS server credentials and policy, loaded once and shared by every TLS session.
#pragma once

#include <memory>
#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace net {

namespace detail {
class TlsBackend;  // the Botan objects; defined in tls_engine.cpp
}

/// Where the server's TLS material lives (the config's "tls" object).
struct TlsSettings {
  std::string cert_file;       ///< PEM chain, leaf first (or one DER certificate)
  std::string key_file;        ///< unencrypted PKCS#8 private key (ECDSA or RSA), PEM or DER
  std::string client_ca_file;  ///< PEM CA certificates for client certificates; empty: none asked
  bool require_client_cert = false;  ///< refuse clients without a certificate from client_ca_file
};

/// Loaded credentials + policy (TLS 1.2 only, AES-GCM preferred, ECDHE); immutable, shared by
/// sessions, re-creatable on reload.
class TlsContext {
 public:
  /// Reads and checks the files; errors read "tls.cert_file: cannot read '/x.pem': ...".
  [[nodiscard]] static tl::expected<std::shared_ptr<const TlsContext>, std::string> load(
      const TlsSettings& settings);

  explicit TlsContext(std::shared_ptr<const detail::TlsBackend> backend)
      : backend_(std::move(backend)) {}
  /// The Botan side, for the TLS engine only.
  const detail::TlsBackend& backend() const { return *backend_; }

 private:
  std::shared_ptr<const detail::TlsBackend> backend_;
};

}  // namespace net
