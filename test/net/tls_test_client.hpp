// A Botan TLS 1.2 client driven from a coroutine, to talk to accept_tls in tests.
#pragma once

#include <botan/pk_keys.h>
#include <botan/tls_version.h>
#include <botan/x509cert.h>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <tl/expected.hpp>
#include <vector>

namespace net::test {

/// What the client trusts and, optionally, the certificate it presents.
struct ClientOptions {
  std::vector<Botan::X509_Certificate> trusted;  ///< server certificates accepted as roots
  std::vector<Botan::X509_Certificate> chain;    ///< client certificate chain (empty: none)
  std::shared_ptr<Botan::Private_Key> key;       ///< key of chain.front()
  std::string server_name = "localhost";         ///< SNI and the name checked in the server cert
  Botan::TLS::Protocol_Version version = Botan::TLS::Protocol_Version::TLS_V12;
  std::string preamble;  ///< bytes sent before the ClientHello, in the same write (PROXY header)
};

/// One TLS client connection over a connected socket.
class TlsTestClient {
 public:
  TlsTestClient(asio::ip::tcp::socket socket, ClientOptions options);
  ~TlsTestClient();

  /// {} once the handshake completes; std::errc::protocol_error when the server sent an alert or
  /// the handshake failed here; the socket error when the server hung up.
  asio::awaitable<std::error_code> handshake();
  asio::awaitable<std::error_code> write(std::string_view plaintext);
  /// Reads until n bytes of plaintext have arrived.
  asio::awaitable<tl::expected<std::string, std::error_code>> read(std::size_t n);
  /// Sends close_notify but keeps the socket open, so a test can read the rest raw.
  asio::awaitable<std::error_code> send_close_notify();
  /// The socket, for raw reads after send_close_notify.
  asio::ip::tcp::socket& socket();
  /// Sends close_notify and shuts the socket down.
  asio::awaitable<void> close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace net::test
