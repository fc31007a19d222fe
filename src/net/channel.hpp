// The byte channel a SIP2 session reads and writes: plain TCP or TLS, behind one interface.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <tl/expected.hpp>
#include <utility>

#include "net/errc.hpp"
#include "net/keepalive.hpp"
#include "net/tls_context.hpp"

namespace net {

/// A connected, bidirectional byte stream owned by one session coroutine (single-threaded use).
/// At most one read_some and one write_all may be outstanding at a time.
class Channel {
 public:
  virtual ~Channel() = default;
  /// Reads at least one byte of application data into buf; {error, 0} on EOF/close/cancel.
  virtual asio::awaitable<std::pair<std::error_code, std::size_t>> read_some(
      std::span<char> buf) = 0;
  /// Writes all of data (TLS: encrypts and flushes every record).
  virtual asio::awaitable<std::error_code> write_all(std::string_view data) = 0;
  /// Graceful close: TLS close_notify (best effort, bounded), then socket shutdown+close.
  virtual asio::awaitable<void> close() = 0;
  /// Cancels pending reads/writes (used by the session's timeout timers). On TLS a cancelled
  /// write may cut a record, so every later write fails: close the channel after one.
  virtual void cancel() = 0;
  /// The underlying socket (for options and the local endpoint; do not read or write it).
  virtual asio::ip::tcp::socket& socket() = 0;
  /// Peer address as seen by the gateway (after PROXY protocol, the original client).
  virtual const asio::ip::tcp::endpoint& peer() const = 0;
  /// True for channels made by accept_tls.
  virtual bool is_tls() const = 0;
  /// Sets the connection's TCP keepalive (a channel without a socket records it).
  virtual std::error_code keepalive(const Keepalive& k) { return set_keepalive(socket(), k); }
};

/// Wraps an accepted plain TCP socket. `buffered` holds bytes already read from it (what
/// read_proxy_header left over); read_some returns them first.
[[nodiscard]] std::unique_ptr<Channel> make_tcp_channel(asio::ip::tcp::socket s,
                                                        asio::ip::tcp::endpoint peer,
                                                        std::string buffered = {});

/// Runs the server handshake on s; fails (and closes) on a plain-text client, bad handshake or
/// deadline. Errors: errc::not_tls, errc::tls_handshake_failed, errc::tls_handshake_timeout, or
/// the socket's own error (asio::error::eof when the client hangs up). `buffered` holds bytes
/// already read from s (what read_proxy_header left over); they are the start of the handshake.
[[nodiscard]] asio::awaitable<tl::expected<std::unique_ptr<Channel>, std::error_code>> accept_tls(
    asio::ip::tcp::socket s, asio::ip::tcp::endpoint peer, std::shared_ptr<const TlsContext> ctx,
    std::chrono::milliseconds handshake_timeout, std::string buffered = {});

}  // namespace net
