// The only door to Botan's TLS API: a sans-I/O TLS 1.2 server engine and its shared backend.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace Botan {
class X509_Certificate;
class Private_Key;
}  // namespace Botan

namespace net::detail {

class TlsBackend;

/// Builds the shared Botan state (credentials, policy, session cache, System_RNG).
[[nodiscard]] std::shared_ptr<const TlsBackend> make_tls_backend(
    std::vector<Botan::X509_Certificate> chain, std::unique_ptr<Botan::Private_Key> key,
    std::vector<Botan::X509_Certificate> client_cas, bool require_client_cert);

/// One connection's TLS server state machine: ciphertext in, plaintext out, and back; no I/O.
class TlsEngine {
 public:
  explicit TlsEngine(const TlsBackend& backend);
  ~TlsEngine();
  TlsEngine(const TlsEngine&) = delete;
  TlsEngine& operator=(const TlsEngine&) = delete;

  /// Feeds bytes from the peer; an error means the connection is dead (an alert may be queued).
  [[nodiscard]] std::error_code received(std::span<const char> ciphertext);
  /// Encrypts plaintext into output(); errc::tls_closed once the channel is closed.
  [[nodiscard]] std::error_code send(std::string_view plaintext);
  /// Queues close_notify (no-op when already closed).
  void close();

  /// Ciphertext waiting to be written to the socket; the caller drains it.
  std::string& output();
  /// Decrypted application data not yet consumed; the caller drains it.
  std::string& plaintext();
  /// The handshake finished and the channel can carry application data.
  bool established() const;
  /// The peer sent close_notify or a fatal alert, or we closed.
  bool closed() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace net::detail
