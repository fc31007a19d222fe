// A blocking client connection to a SIP2 server over TCP or TLS 1.2, one frame at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include <tl/expected.hpp>

#include "sip2/framer.hpp"
#include "tcp_socket.hpp"

namespace sip2_client {

/// Where to connect and how far to trust the server.
struct ConnectOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  bool tls = false;
  /// PEM certificates the server's chain must end in (a CA, or the server's own self-signed
  /// certificate); empty: the system's CA bundle. The name in the certificate is checked too.
  std::string ca_file;
  bool insecure = false;    ///< TLS without any certificate or name check (explicit opt-in)
  std::string server_name;  ///< the name checked in the certificate and sent as SNI; empty: host
  std::chrono::milliseconds connect_timeout{10'000};  ///< TCP connect and the TLS handshake
  std::chrono::milliseconds read_timeout{10'000};     ///< read_frame() without a deadline
  std::chrono::milliseconds write_timeout{10'000};
  sip2::FramerOptions framer;
};

/// One open connection; move-only. Not thread-safe: one caller sends and reads.
class Connection {
 public:
  /// Connects (and completes the TLS handshake). Errors say why: "connection refused",
  /// "timed out", "TLS verification failed: ...", "TLS handshake failed: ...".
  [[nodiscard]] static tl::expected<Connection, std::string> open(const ConnectOptions& options);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  ~Connection();

  /// Writes one frame; `wire` is the message as sent, terminator included.
  [[nodiscard]] std::error_code send_frame(std::string_view wire);
  /// The next frame, terminator removed. Errors: std::errc::timed_out at the deadline,
  /// std::errc::connection_reset when the server closed, std::errc::protocol_error on a TLS
  /// failure, sip2 framing errors (frame_too_long, nul_byte; the stream stays usable).
  [[nodiscard]] tl::expected<std::string, std::error_code> read_frame(Clock::time_point deadline);
  /// read_frame with the deadline now + read_timeout.
  [[nodiscard]] tl::expected<std::string, std::error_code> read_frame();
  /// "TCP 127.0.0.1:6001" or "TLS v1.2 ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 localhost:6443".
  const std::string& description() const;
  /// Sends close_notify (TLS) and closes the socket; later calls fail with connection_reset.
  void close();

 private:
  class Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sip2_client
