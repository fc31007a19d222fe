// A Botan TLS 1.2 client driven from a coroutine, to talk to accept_tls in tests.
#include "tls_test_client.hpp"

#include <botan/auto_rng.h>
#include <botan/certstor.h>
#include <botan/credentials_manager.h>
#include <botan/tls_callbacks.h>
#include <botan/tls_client.h>
#include <botan/tls_policy.h>
#include <botan/tls_session_manager.h>

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <exception>

namespace net::test {
namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

class ClientCredentials final : public Botan::Credentials_Manager {
 public:
  explicit ClientCredentials(const ClientOptions& options) : options_(options) {
    for (const auto& cert : options.trusted)
      trusted_.add_certificate(cert);
  }
  std::vector<Botan::Certificate_Store*> trusted_certificate_authorities(
      const std::string& type, const std::string& /*context*/) override {
    if (type == "tls-client") return {&trusted_};
    return {};
  }
  std::vector<Botan::X509_Certificate> find_cert_chain(
      const std::vector<std::string>& /*key_types*/, const std::vector<Botan::X509_DN>&,
      const std::string& type, const std::string& /*context*/) override {
    if (type == "tls-client") return options_.chain;
    return {};
  }
  Botan::Private_Key* private_key_for(const Botan::X509_Certificate& /*cert*/,
                                      const std::string& /*type*/,
                                      const std::string& /*context*/) override {
    return options_.key.get();
  }

 private:
  const ClientOptions& options_;
  Botan::Certificate_Store_In_Memory trusted_;
};

/// Can offer TLS 1.1 (with CBC suites), so tests can check that the server refuses it.
class ClientPolicy final : public Botan::TLS::Policy {
 public:
  bool allow_tls11() const override { return true; }
  std::vector<std::string> allowed_ciphers() const override {
    return {"AES-256/GCM", "AES-128/GCM", "ChaCha20Poly1305", "AES-256", "AES-128"};
  }
  std::vector<std::string> allowed_macs() const override { return {"AEAD", "SHA-256", "SHA-1"}; }
  // The refusal under test is the server's version policy, not the fallback signal.
  bool send_fallback_scsv(Botan::TLS::Protocol_Version) const override { return false; }
  bool require_cert_revocation_info() const override { return false; }  // test CAs have no CRL
};

}  // namespace

class TlsTestClient::Impl final : public Botan::TLS::Callbacks {
 public:
  Impl(asio::ip::tcp::socket socket, ClientOptions options)
      : socket_(std::move(socket)), options_(std::move(options)), credentials_(options_) {}

  void tls_emit_data(const std::uint8_t data[], std::size_t size) override {
    out_.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_record_received(std::uint64_t, const std::uint8_t data[], std::size_t size) override {
    plain_.append(reinterpret_cast<const char*>(data), size);
  }
  void tls_alert(Botan::TLS::Alert alert) override {
    if (alert.is_fatal()) failed_ = true;
  }
  bool tls_session_established(const Botan::TLS::Session&) override { return false; }
  void tls_session_activated() override { activated_ = true; }

  asio::awaitable<std::error_code> handshake() {
    out_ = options_.preamble;
    client_ = std::make_unique<Botan::TLS::Client>(
        *this, sessions_, credentials_, policy_, rng_,
        Botan::TLS::Server_Information(options_.server_name), options_.version);
    for (;;) {
      if (auto ec = co_await flush()) co_return ec;
      // Activated, even if the server's close_notify came in the same read and closed it.
      if (client_->is_active() || activated_) co_return std::error_code{};
      if (failed_ || client_->is_closed())
        co_return std::make_error_code(std::errc::protocol_error);
      if (auto ec = co_await receive()) co_return ec;
    }
  }

  asio::awaitable<std::error_code> write(std::string_view plaintext) {
    client_->send(reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size());
    co_return co_await flush();
  }

  asio::awaitable<std::error_code> send_close_notify() {
    client_->close();
    co_return co_await flush();
  }

  asio::ip::tcp::socket& socket() { return socket_; }

  asio::awaitable<tl::expected<std::string, std::error_code>> read(std::size_t n) {
    while (plain_.size() < n) {
      if (failed_ || client_->is_closed()) co_return tl::unexpected(asio::error::eof);
      if (auto ec = co_await receive()) co_return tl::unexpected(ec);
      if (client_->is_closed()) continue;  // our close_notify reply may not reach a closed peer
      if (auto ec = co_await flush()) co_return tl::unexpected(ec);
    }
    std::string result = plain_.substr(0, n);
    plain_.erase(0, n);
    co_return result;
  }

  asio::awaitable<void> close() {
    if (client_ && client_->is_active()) client_->close();
    co_await flush();
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

 private:
  asio::awaitable<std::error_code> flush() {
    if (out_.empty()) co_return std::error_code{};
    const std::string data = std::move(out_);
    out_.clear();
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(data), use_nothrow);
    co_return ec;
  }

  asio::awaitable<std::error_code> receive() {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(rx_), use_nothrow);
    if (ec) co_return ec;
    bool failed = false;
    try {
      client_->received_data(reinterpret_cast<const std::uint8_t*>(rx_.data()), n);
    } catch (const std::exception&) {
      failed = true;  // C++20 allows no co_await in a catch handler
    }
    if (failed) {
      failed_ = true;
      co_await flush();
      co_return std::make_error_code(std::errc::protocol_error);
    }
    co_return std::error_code{};
  }

  asio::ip::tcp::socket socket_;
  ClientOptions options_;
  ClientCredentials credentials_;
  ClientPolicy policy_;
  Botan::AutoSeeded_RNG rng_;
  Botan::TLS::Session_Manager_Noop sessions_;
  std::array<char, 4096> rx_{};
  std::string out_;
  std::string plain_;
  bool failed_ = false;
  bool activated_ = false;  ///< the handshake completed (the session may be closed since)
  std::unique_ptr<Botan::TLS::Client> client_;
};

TlsTestClient::TlsTestClient(asio::ip::tcp::socket socket, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(socket), std::move(options))) {}

TlsTestClient::~TlsTestClient() = default;

asio::awaitable<std::error_code> TlsTestClient::handshake() {
  return impl_->handshake();
}

asio::awaitable<std::error_code> TlsTestClient::write(std::string_view plaintext) {
  return impl_->write(plaintext);
}

asio::awaitable<tl::expected<std::string, std::error_code>> TlsTestClient::read(std::size_t n) {
  return impl_->read(n);
}

asio::awaitable<std::error_code> TlsTestClient::send_close_notify() {
  return impl_->send_close_notify();
}

asio::ip::tcp::socket& TlsTestClient::socket() {
  return impl_->socket();
}

asio::awaitable<void> TlsTestClient::close() {
  return impl_->close();
}

}  // namespace net::test
