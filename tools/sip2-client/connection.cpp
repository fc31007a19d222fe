// A blocking client connection to a SIP2 server: POSIX TCP, with Botan 2's TLS 1.2 client driven
// through its callbacks (Debian builds Botan without Boost, so it has no asio_stream.h).
#include "connection.hpp"

#include <botan/certstor.h>
#include <botan/certstor_system.h>
#include <botan/credentials_manager.h>
#include <botan/data_src.h>
#include <botan/system_rng.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_client.h>
#include <botan/tls_exceptn.h>
#include <botan/tls_policy.h>
#include <botan/tls_session_manager.h>
#include <botan/x509cert.h>

#include <array>
#include <exception>
#include <vector>

namespace sip2_client {
namespace {

/// TLS 1.2 only (Botan 2 has no 1.3); otherwise Botan's default suites.
class ClientPolicy final : public Botan::TLS::Policy {
 public:
  // Botan 2 demands a CRL or stapled OCSP for every non-root certificate by default; a test
  // client fetches neither, and private CAs rarely publish them.
  bool require_cert_revocation_info() const override { return false; }
  bool allow_tls10() const override { return false; }
  bool allow_tls11() const override { return false; }
  bool allow_tls12() const override { return true; }
  bool allow_dtls10() const override { return false; }
  bool allow_dtls12() const override { return false; }
};

/// Every certificate in a PEM (or single DER) file.
tl::expected<std::vector<Botan::X509_Certificate>, std::string> load_certificates(
    const std::string& path) {
  std::vector<Botan::X509_Certificate> certs;
  try {
    Botan::DataSource_Stream source(path);
    while (!source.end_of_data()) {
      try {
        certs.emplace_back(source);
      } catch (const Botan::Decoding_Error&) {
        break;  // trailing text after the last certificate
      }
    }
  } catch (const std::exception& e) {
    return tl::unexpected("cannot read CA file '" + path + "': " + e.what());
  }
  if (certs.empty()) return tl::unexpected("no certificate in CA file '" + path + "'");
  return certs;
}

/// The trust anchors: the --ca file's certificates, or the system bundle.
class Trust final : public Botan::Credentials_Manager {
 public:
  explicit Trust(std::unique_ptr<Botan::Certificate_Store> store) : store_(std::move(store)) {}
  std::vector<Botan::Certificate_Store*> trusted_certificate_authorities(
      const std::string& type, const std::string& /*context*/) override {
    if (type == "tls-client" && store_) return {store_.get()};
    return {};
  }

 private:
  std::unique_ptr<Botan::Certificate_Store> store_;
};

[[noreturn]] void reject(const std::string& why) {
  throw Botan::TLS::TLS_Exception(Botan::TLS::Alert::BAD_CERTIFICATE, why);
}

/// Botan calls these synchronously inside received_data/send/close: they only buffer;
/// Connection::Impl does the I/O afterwards.
class TlsLayer final : public Botan::TLS::Callbacks {
 public:
  TlsLayer(bool insecure, std::vector<Botan::X509_Certificate> pinned,
           std::unique_ptr<Botan::Certificate_Store> store)
      : insecure_(insecure), pinned_(std::move(pinned)), trust_(std::move(store)) {}

  void start(const std::string& server_name, std::uint16_t port) {
    client_ = std::make_unique<Botan::TLS::Client>(
        *this, sessions_, trust_, policy_, rng_, Botan::TLS::Server_Information(server_name, port),
        Botan::TLS::Protocol_Version::TLS_V12);
  }

  void tls_emit_data(const std::uint8_t data[], std::size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_record_received(std::uint64_t, const std::uint8_t data[], std::size_t size) override {
    plain.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_alert(Botan::TLS::Alert alert) override {
    if (alert.is_fatal() && failure.empty())
      failure = "TLS handshake failed: the server sent alert " + alert.type_string();
  }
  bool tls_session_established(const Botan::TLS::Session& session) override {
    description = session.version().to_string() + " " + session.ciphersuite().to_string();
    return false;  // one-shot connections: nothing to resume
  }

  void tls_verify_cert_chain(const std::vector<Botan::X509_Certificate>& chain,
                             const std::vector<std::shared_ptr<const Botan::OCSP::Response>>& ocsp,
                             const std::vector<Botan::Certificate_Store*>& trusted,
                             Botan::Usage_Type usage, const std::string& hostname,
                             const Botan::TLS::Policy& policy) override {
    if (insecure_) return;
    try {
      if (!chain.empty() && is_pinned(chain.front())) {
        check_pinned(chain.front(), hostname);
      } else {
        Botan::TLS::Callbacks::tls_verify_cert_chain(chain, ocsp, trusted, usage, hostname, policy);
      }
    } catch (const std::exception& e) {
      failure = std::string("TLS verification failed: ") + e.what();
      throw;
    }
  }

  Botan::TLS::Client& client() { return *client_; }

  std::string out;          ///< ciphertext to write
  std::string plain;        ///< plaintext received
  std::string failure;      ///< the first reason the channel failed
  std::string description;  ///< "TLS v1.2 <suite>"

 private:
  /// Botan's path validation refuses a self-signed end-entity certificate outright; trusting the
  /// server's own certificate with --ca (as OpenSSL does) is checked here instead.
  bool is_pinned(const Botan::X509_Certificate& leaf) const {
    if (!leaf.is_self_signed()) return false;
    for (const auto& c : pinned_)
      if (c == leaf) return true;
    return false;
  }
  static void check_pinned(const Botan::X509_Certificate& leaf, const std::string& hostname) {
    const Botan::X509_Time now(std::chrono::system_clock::now());
    if (now < leaf.not_before() || leaf.not_after() < now) reject("certificate has expired");
    const auto key = leaf.load_subject_public_key();
    if (!leaf.check_signature(*key)) reject("certificate signature is invalid");
    if (!leaf.matches_dns_name(hostname)) reject("certificate is not valid for '" + hostname + "'");
  }

  bool insecure_;
  std::vector<Botan::X509_Certificate> pinned_;
  Trust trust_;
  ClientPolicy policy_;
  Botan::System_RNG rng_;
  Botan::TLS::Session_Manager_Noop sessions_;
  std::unique_ptr<Botan::TLS::Client> client_;  // last: it calls back into the members above
};

}  // namespace

class Connection::Impl {
 public:
  explicit Impl(const ConnectOptions& o) : options(o), framer(o.framer) {}

  tl::expected<void, std::string> start_tls(Clock::time_point deadline);
  std::error_code flush(Clock::time_point deadline);
  std::error_code receive(Clock::time_point deadline);

  ConnectOptions options;
  TcpSocket socket;
  sip2::Framer framer;
  std::unique_ptr<TlsLayer> tls;
  std::string description;
  std::array<char, 16384> rx{};
};

tl::expected<void, std::string> Connection::Impl::start_tls(Clock::time_point deadline) {
  std::vector<Botan::X509_Certificate> pinned;
  std::unique_ptr<Botan::Certificate_Store> store;
  if (!options.insecure && !options.ca_file.empty()) {
    auto certs = load_certificates(options.ca_file);
    if (!certs) return tl::unexpected(certs.error());
    auto memory = std::make_unique<Botan::Certificate_Store_In_Memory>();
    for (const auto& c : *certs)
      memory->add_certificate(c);
    store = std::move(memory);
    pinned = std::move(*certs);
  } else if (!options.insecure) {
    try {
      store = std::make_unique<Botan::System_Certificate_Store>();
    } catch (const std::exception&) {
      // No system bundle: nothing is trusted, and verification fails with a clear message.
    }
  }
  tls = std::make_unique<TlsLayer>(options.insecure, std::move(pinned), std::move(store));
  tls->start(options.server_name.empty() ? options.host : options.server_name, options.port);
  while (!tls->client().is_active()) {
    if (const auto ec = flush(deadline)) {
      if (!tls->failure.empty()) return tl::unexpected(tls->failure);
      return tl::unexpected("TLS handshake failed: " + ec.message());
    }
    if (tls->client().is_closed() && !tls->failure.empty()) return tl::unexpected(tls->failure);
    if (const auto ec = receive(deadline)) {
      if (!tls->failure.empty()) return tl::unexpected(tls->failure);
      if (ec == std::errc::timed_out) return tl::unexpected(std::string("TLS handshake timed out"));
      if (ec == std::errc::connection_reset)
        return tl::unexpected(
            std::string("TLS handshake failed: the server closed the connection"));
      return tl::unexpected("TLS handshake failed: " + ec.message());
    }
  }
  description = tls->description + " " + options.host + ":" + std::to_string(options.port);
  return {};
}

std::error_code Connection::Impl::flush(Clock::time_point deadline) {
  if (!tls || tls->out.empty()) return {};
  const std::string data = std::move(tls->out);
  tls->out.clear();
  return socket.write_all(data, deadline);
}

std::error_code Connection::Impl::receive(Clock::time_point deadline) {
  if (tls && tls->client().is_closed()) return std::make_error_code(std::errc::connection_reset);
  const auto n = socket.read_some(rx, deadline);
  if (!n) return n.error();
  if (!tls) {
    framer.feed({rx.data(), *n});
    return {};
  }
  bool failed = false;
  try {
    tls->client().received_data(reinterpret_cast<const std::uint8_t*>(rx.data()), *n);
  } catch (const std::exception& e) {
    if (tls->failure.empty()) tls->failure = std::string("TLS error: ") + e.what();
    failed = true;  // Botan has queued the fatal alert in out
  }
  const auto write_error = flush(deadline);
  framer.feed(tls->plain);
  tls->plain.clear();
  if (failed) return std::make_error_code(std::errc::protocol_error);
  return write_error;
}

tl::expected<Connection, std::string> Connection::open(const ConnectOptions& options) {
  const auto deadline = Clock::now() + options.connect_timeout;
  auto impl = std::make_unique<Impl>(options);
  auto socket = TcpSocket::connect(options.host, options.port, deadline);
  if (!socket) return tl::unexpected(socket.error());
  impl->socket = std::move(*socket);
  impl->description = "TCP " + options.host + ":" + std::to_string(options.port);
  if (options.tls) {
    if (auto started = impl->start_tls(deadline); !started) return tl::unexpected(started.error());
  }
  return Connection(std::move(impl));
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&& other) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept = default;

Connection::~Connection() {
  if (impl_) close();
}

std::error_code Connection::send_frame(std::string_view wire) {
  const auto deadline = Clock::now() + impl_->options.write_timeout;
  if (!impl_->socket.is_open()) return std::make_error_code(std::errc::connection_reset);
  if (!impl_->tls) return impl_->socket.write_all(wire, deadline);
  if (!impl_->tls->client().is_active()) return std::make_error_code(std::errc::connection_reset);
  try {
    impl_->tls->client().send(reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size());
  } catch (const std::exception&) {
    return std::make_error_code(std::errc::protocol_error);
  }
  return impl_->flush(deadline);
}

tl::expected<std::string, std::error_code> Connection::read_frame(Clock::time_point deadline) {
  if (!impl_->socket.is_open())
    return tl::unexpected(std::make_error_code(std::errc::connection_reset));
  for (;;) {
    const auto event = impl_->framer.next();
    if (event.status == sip2::Framer::Status::frame) return std::string(event.frame);
    if (event.status == sip2::Framer::Status::error) return tl::unexpected(event.error);
    if (const auto ec = impl_->receive(deadline)) return tl::unexpected(ec);
  }
}

tl::expected<std::string, std::error_code> Connection::read_frame() {
  return read_frame(Clock::now() + impl_->options.read_timeout);
}

const std::string& Connection::description() const {
  return impl_->description;
}

void Connection::close() {
  if (!impl_->socket.is_open()) return;
  if (impl_->tls && !impl_->tls->client().is_closed()) {
    try {
      impl_->tls->client().close();
    } catch (const std::exception&) {
      // The socket closes next; there is nobody left to tell.
    }
    (void)impl_->flush(Clock::now() + std::chrono::milliseconds(500));
  }
  impl_->socket.close();
}

}  // namespace sip2_client
