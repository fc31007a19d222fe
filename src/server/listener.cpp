// Accepting connections and preparing their channels.
#include "server/listener.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "net/keepalive.hpp"
#include "net/proxy_protocol.hpp"
#include "obs/log.hpp"
#include "server/session.hpp"

namespace server {

Listener::Listener(Hub& hub, config::ListenerConfig cfg, asio::ip::tcp::acceptor acceptor,
                   std::shared_ptr<const net::TlsContext> tls)
    : hub_(hub), cfg_(std::move(cfg)), acceptor_(std::move(acceptor)), tls_(std::move(tls)) {}

tl::expected<std::unique_ptr<Listener>, std::string> Listener::bind(
    Hub& hub, const config::ListenerConfig& cfg, std::size_t index) {
  const std::string where = "listeners[" + std::to_string(index) + "]";
  std::error_code ec;
  const auto address = asio::ip::make_address(cfg.host, ec);
  if (ec) return tl::unexpected(where + ".listen: '" + cfg.host + "' is not an IP address");
  std::shared_ptr<const net::TlsContext> tls;
  if (cfg.tls) {
    auto ctx = net::TlsContext::load({cfg.tls->cert_file, cfg.tls->key_file,
                                      cfg.tls->client_ca_file, cfg.tls->require_client_cert});
    if (!ctx) return tl::unexpected(where + "." + ctx.error());
    tls = *ctx;
  }
  asio::ip::tcp::acceptor acceptor(hub.io);
  const asio::ip::tcp::endpoint ep(address, cfg.port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec && address.is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return tl::unexpected(where + ".listen: cannot bind " + cfg.host + ":" +
                          std::to_string(cfg.port) + ": " + ec.message());
  return std::unique_ptr<Listener>(new Listener(hub, cfg, std::move(acceptor), std::move(tls)));
}

void Listener::close() {
  std::error_code ec;
  acceptor_.close(ec);
}

asio::awaitable<void> Listener::run() {
  for (;;) {
    std::error_code ec;
    auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {  // e.g. EMFILE: say so, pause briefly, keep serving
      obs::log(spdlog::level::err, 0, {}, "accept failed",
               {{"listener", cfg_.name}, {"error", ec.message()}});
      hub_.metrics.connection_refused(cfg_.name, "accept_error");
      asio::steady_timer t(hub_.io, std::chrono::milliseconds(100));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (hub_.stopping) {
      socket.close(ec);
      continue;
    }
    const auto id = hub_.next_connection_id++;
    asio::co_spawn(hub_.io, serve(std::move(socket), id), asio::detached);
  }
}

asio::awaitable<void> Listener::serve(asio::ip::tcp::socket socket, std::uint64_t id) {
  std::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  if (ec) co_return;
  const auto limits = hub_.runtime->config.limits;  // a copy: a reload may swap the runtime
  std::string leftover;
  if (cfg_.proxy_protocol != config::ProxyProtocol::none) {
    auto header = co_await net::read_proxy_header(
        socket, std::chrono::duration_cast<std::chrono::milliseconds>(limits.tls_handshake_timeout),
        leftover);
    if (!header) {
      hub_.metrics.connection_refused(cfg_.name, "bad_proxy_header");
      obs::log(spdlog::level::warn, id, {}, "connection refused",
               {{"reason", header.error().message()}});
      socket.close(ec);
      co_return;
    }
    if (header->source) peer = *header->source;
  }
  const std::string address = peer.address().to_string();
  if (hub_.connections >= limits.max_connections ||
      hub_.per_address[address] >= limits.max_connections_per_address) {
    hub_.metrics.connection_refused(cfg_.name, "limit");
    obs::log(spdlog::level::warn, id, {}, "connection refused", {{"reason", "connection limit"}});
    if (hub_.per_address[address] == 0) hub_.per_address.erase(address);
    socket.close(ec);
    co_return;
  }
  ++hub_.connections;
  ++hub_.per_address[address];
  if (limits.keepalive.enabled)
    (void)net::enable_keepalive(socket, limits.keepalive.idle, limits.keepalive.interval,
                                limits.keepalive.count);
  socket.set_option(asio::ip::tcp::no_delay(true), ec);
  std::unique_ptr<net::Channel> channel;
  if (tls_) {
    auto tls = co_await net::accept_tls(
        std::move(socket), peer, tls_,
        std::chrono::duration_cast<std::chrono::milliseconds>(limits.tls_handshake_timeout),
        std::move(leftover));
    if (tls)
      channel = std::move(*tls);
    else {
      hub_.metrics.connection_refused(cfg_.name, "tls");
      obs::log(spdlog::level::warn, id, {}, "connection refused",
               {{"reason", tls.error().message()}});
    }
  } else {
    channel = net::make_tcp_channel(std::move(socket), peer, std::move(leftover));
  }
  if (channel) co_await run_session(hub_, std::move(channel), cfg_, id);
  --hub_.connections;
  if (--hub_.per_address[address] == 0) hub_.per_address.erase(address);
}

}  // namespace server
