// Botan 2 TLS server driven through its callbacks; the one file a move to Botan 3 rewrites.
#include "net/tls_engine.hpp"

#include <botan/certstor.h>
#include <botan/credentials_manager.h>
#include <botan/ocsp.h>
#include <botan/pk_keys.h>
#include <botan/system_rng.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_policy.h>
#include <botan/tls_server.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>

#include <algorithm>
#include <cstdint>
#include <exception>

#include "net/errc.hpp"

namespace net::detail {
namespace {

/// TLS 1.2 only (Botan 2 has no 1.3), ECDHE, AEAD ciphers with AES-256/GCM first: Botan's default
/// puts ChaCha20Poly1305 first, which is about half as fast on CPUs with AES instructions.
class ServerPolicy final : public Botan::TLS::Policy {
 public:
  ServerPolicy(bool request_cert, bool require_cert)
      : request_cert_(request_cert), require_cert_(require_cert) {}

  std::vector<std::string> allowed_ciphers() const override {
    return {"AES-256/GCM", "AES-128/GCM", "ChaCha20Poly1305"};
  }
  std::vector<std::string> allowed_macs() const override { return {"AEAD"}; }
  std::vector<std::string> allowed_key_exchange_methods() const override { return {"ECDH"}; }
  std::vector<std::string> allowed_signature_methods() const override { return {"ECDSA", "RSA"}; }
  bool allow_tls10() const override { return false; }
  bool allow_tls11() const override { return false; }
  bool allow_tls12() const override { return true; }
  bool allow_dtls10() const override { return false; }
  bool allow_dtls12() const override { return false; }
  // Kiosk CAs rarely publish CRLs or OCSP; Botan's default would refuse every client certificate.
  bool require_cert_revocation_info() const override { return false; }
  bool request_client_certificate_authentication() const override { return request_cert_; }
  bool require_client_certificate_authentication() const override { return require_cert_; }

 private:
  bool request_cert_;
  bool require_cert_;
};

/// The server's chain and key, and the CAs its clients' certificates must chain to.
class ServerCredentials final : public Botan::Credentials_Manager {
 public:
  ServerCredentials(std::vector<Botan::X509_Certificate> chain,
                    std::unique_ptr<Botan::Private_Key> key,
                    const std::vector<Botan::X509_Certificate>& client_cas)
      : chain_(std::move(chain)), key_(std::move(key)) {
    for (const auto& ca : client_cas)
      client_cas_.add_certificate(ca);
    has_client_cas_ = !client_cas.empty();
  }

  std::vector<Botan::Certificate_Store*> trusted_certificate_authorities(
      const std::string& type, const std::string& /*context*/) override {
    if (type == "tls-server" && has_client_cas_) return {&client_cas_};
    return {};
  }

  std::vector<Botan::X509_Certificate> find_cert_chain(
      const std::vector<std::string>& key_types,
      const std::vector<Botan::X509_DN>& /*acceptable_cas*/, const std::string& type,
      const std::string& /*hostname*/) override {
    const bool usable = key_types.empty() || std::find(key_types.begin(), key_types.end(),
                                                       key_->algo_name()) != key_types.end();
    if (type == "tls-server" && usable) return chain_;
    return {};
  }

  // Botan 2 returns a raw pointer; the credentials keep ownership.
  Botan::Private_Key* private_key_for(const Botan::X509_Certificate& cert,
                                      const std::string& /*type*/,
                                      const std::string& /*context*/) override {
    return cert == chain_.front() ? key_.get() : nullptr;
  }

 private:
  std::vector<Botan::X509_Certificate> chain_;
  std::unique_ptr<Botan::Private_Key> key_;
  Botan::Certificate_Store_In_Memory client_cas_;
  bool has_client_cas_ = false;
};

}  // namespace

/// State shared by every session of one TlsContext; each member is safe to share across threads.
class TlsBackend {
 public:
  TlsBackend(std::vector<Botan::X509_Certificate> chain, std::unique_ptr<Botan::Private_Key> key,
             const std::vector<Botan::X509_Certificate>& client_cas, bool require_client_cert)
      : credentials(
            std::make_unique<ServerCredentials>(std::move(chain), std::move(key), client_cas)),
        policy(!client_cas.empty(), require_client_cert),
        sessions(std::make_unique<Botan::TLS::Session_Manager_In_Memory>(*rng)) {}

  // Held by pointer: Botan wants non-const references from a backend shared as const. System_RNG
  // (getrandom) costs under a microsecond a call; AutoSeeded_RNG costs 20-30.
  std::unique_ptr<Botan::System_RNG> rng = std::make_unique<Botan::System_RNG>();
  std::unique_ptr<ServerCredentials> credentials;
  ServerPolicy policy;
  std::unique_ptr<Botan::TLS::Session_Manager_In_Memory> sessions;
};

std::shared_ptr<const TlsBackend> make_tls_backend(std::vector<Botan::X509_Certificate> chain,
                                                   std::unique_ptr<Botan::Private_Key> key,
                                                   std::vector<Botan::X509_Certificate> client_cas,
                                                   bool require_client_cert) {
  return std::make_shared<const TlsBackend>(std::move(chain), std::move(key), client_cas,
                                            require_client_cert);
}

/// Botan calls these synchronously inside received_data/send/close: they only buffer, never do I/O.
class TlsEngine::Impl final : public Botan::TLS::Callbacks {
 public:
  explicit Impl(const TlsBackend& b)
      : server_(*this, *b.sessions, *b.credentials, b.policy, *b.rng) {}

  void tls_emit_data(const std::uint8_t data[], std::size_t size) override {
    output_.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_record_received(std::uint64_t /*seq_no*/, const std::uint8_t data[],
                           std::size_t size) override {
    plaintext_.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_alert(Botan::TLS::Alert alert) override {
    if (alert.is_fatal()) fatal_alert_ = true;
  }
  bool tls_session_established(const Botan::TLS::Session& /*session*/) override { return true; }
  void tls_session_activated() override { established_ = true; }

  // Botan 2 checks a client certificate against the server's own SNI name; a kiosk certificate
  // names the kiosk, so only the chain to client_ca_file is verified.
  void tls_verify_cert_chain(const std::vector<Botan::X509_Certificate>& chain,
                             const std::vector<std::shared_ptr<const Botan::OCSP::Response>>& ocsp,
                             const std::vector<Botan::Certificate_Store*>& trusted,
                             Botan::Usage_Type usage, const std::string& hostname,
                             const Botan::TLS::Policy& policy) override {
    const bool client = usage == Botan::Usage_Type::TLS_CLIENT_AUTH;
    Botan::TLS::Callbacks::tls_verify_cert_chain(chain, ocsp, trusted, usage,
                                                 client ? std::string() : hostname, policy);
  }

  std::string output_;
  std::string plaintext_;
  bool fatal_alert_ = false;
  bool established_ = false;
  Botan::TLS::Server server_;  // last: it may call back into the members above
};

TlsEngine::TlsEngine(const TlsBackend& backend) : impl_(std::make_unique<Impl>(backend)) {}

TlsEngine::~TlsEngine() = default;

std::error_code TlsEngine::received(std::span<const char> ciphertext) {
  bool failed = false;
  try {
    impl_->server_.received_data(reinterpret_cast<const std::uint8_t*>(ciphertext.data()),
                                 ciphertext.size());
  } catch (const std::exception&) {
    failed = true;  // Botan has queued the fatal alert in output_
  }
  if (failed || impl_->fatal_alert_) {
    return impl_->established_ ? errc::tls_protocol_error : errc::tls_handshake_failed;
  }
  return {};
}

std::error_code TlsEngine::send(std::string_view plaintext) {
  if (!impl_->server_.is_active()) return errc::tls_closed;
  try {
    impl_->server_.send(reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size());
  } catch (const std::exception&) {
    return errc::tls_protocol_error;
  }
  return {};
}

void TlsEngine::close() {
  if (impl_->server_.is_closed()) return;
  try {
    impl_->server_.close();
  } catch (const std::exception&) {
    // Nothing left to tell the peer; the socket closes next.
  }
}

std::string& TlsEngine::output() {
  return impl_->output_;
}

std::string& TlsEngine::plaintext() {
  return impl_->plaintext_;
}

bool TlsEngine::established() const {
  return impl_->established_;
}

bool TlsEngine::closed() const {
  return impl_->server_.is_closed();
}

}  // namespace net::detail
