// A SIP2 listening socket: accepts, applies connection limits, PROXY protocol and TLS, then
// hands each connection to a session.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <tl/expected.hpp>

#include "config/config.hpp"
#include "net/tls_context.hpp"
#include "server/hub.hpp"

namespace server {

class Listener {
 public:
  /// Binds (IPv4 or IPv6, SO_REUSEADDR). Errors read "listeners[i].listen: cannot bind ...".
  [[nodiscard]] static tl::expected<std::unique_ptr<Listener>, std::string> bind(
      Hub& hub, const config::ListenerConfig& cfg, std::size_t index);

  /// The bound endpoint (the real port when the config said 0).
  [[nodiscard]] asio::ip::tcp::endpoint local() const { return acceptor_.local_endpoint(); }
  [[nodiscard]] const config::ListenerConfig& config() const { return cfg_; }
  /// Reloads this listener's TLS certificate and key from `next` (its listener of the same
  /// index and name): new handshakes use them, sessions already open keep theirs. A file that
  /// cannot be loaded is logged and the running certificate stays.
  void reload_tls(const config::Config& next);
  /// Accepts until close().
  asio::awaitable<void> run();
  void close();

 private:
  Listener(Hub& hub, config::ListenerConfig cfg, asio::ip::tcp::acceptor acceptor,
           std::shared_ptr<const net::TlsContext> tls);
  asio::awaitable<void> serve(asio::ip::tcp::socket socket, std::uint64_t id);
  asio::awaitable<void> accept_connection(asio::ip::tcp::socket socket, std::uint64_t id);
  [[nodiscard]] bool trusted_proxy(const asio::ip::address& address) const;
  /// Counts, logs (with the peer's address) and closes a connection refused before its session.
  void refuse(asio::ip::tcp::socket& socket, std::uint64_t id, std::string_view label,
              std::string_view reason);

  Hub& hub_;
  config::ListenerConfig cfg_;
  asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<const net::TlsContext> tls_;
};

}  // namespace server
