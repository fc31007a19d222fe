// Accepting connections and preparing their channels.
#include "server/listener.hpp"

#include <algorithm>

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

void Listener::reload_tls(const config::Config& next) {
  if (!tls_) return;
  const auto it = std::find_if(next.listeners.begin(), next.listeners.end(),
                               [this](const auto& l) { return l.name == cfg_.name; });
  if (it == next.listeners.end() || !it->tls) return;  // a restart applies listener changes
  auto ctx = net::TlsContext::load({it->tls->cert_file, it->tls->key_file, it->tls->client_ca_file,
                                    it->tls->require_client_cert});
  if (!ctx) {
    obs::log(spdlog::level::err, 0, {}, "TLS not reloaded: the running certificate stays",
             {{"listener", cfg_.name}, {"problem", ctx.error()}});
    return;
  }
  tls_ = *ctx;
  cfg_.tls = it->tls;
  obs::log(spdlog::level::info, 0, {}, "TLS certificate reloaded",
           {{"listener", cfg_.name}, {"cert_file", it->tls->cert_file}});
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
  // The one boundary of a connection: whatever is thrown below is logged with the connection's
  // id and closes it; its slot goes with the frame, so counts never leak.
  try {
    co_await accept_connection(std::move(socket), id);
  } catch (const std::exception& e) {
    hub_.metrics.connection_refused(cfg_.name, "error");
    obs::log(spdlog::level::err, id, {}, "connection failed", {{"error", e.what()}});
  }
}

asio::awaitable<void> Listener::accept_connection(asio::ip::tcp::socket socket, std::uint64_t id) {
  std::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  if (ec) co_return;
  const auto limits = hub_.runtime->config.limits;  // a copy: a reload may swap the runtime
  // A connection takes its slot before anything is read from it: sockets still waiting for a
  // PROXY header or a TLS handshake count against the limits too.
  auto slot = hub_.connections.admit(peer.address().to_string(), limits);
  if (!slot) {
    refuse(socket, id, "limit", "connection limit");
    co_return;
  }
  std::string leftover;
  if (cfg_.proxy_protocol != config::ProxyProtocol::none) {
    if (!trusted_proxy(peer.address())) {
      refuse(socket, id, "untrusted_proxy", "PROXY header expected from an untrusted peer");
      co_return;
    }
    auto header = co_await net::read_proxy_header(
        socket, std::chrono::duration_cast<std::chrono::milliseconds>(limits.proxy_header_timeout),
        leftover);
    if (!header) {
      refuse(socket, id, "bad_proxy_header", header.error().message());
      co_return;
    }
    if (header->source) peer = *header->source;
    if (!slot->move_to(peer.address().to_string(), limits.max_connections_per_address)) {
      refuse(socket, id, "limit", "connection limit");
      co_return;
    }
  }
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
               {{"peer", peer.address().to_string()}, {"reason", tls.error().message()}});
    }
  } else {
    channel = net::make_tcp_channel(std::move(socket), peer, std::move(leftover));
  }
  if (channel) co_await run_session(hub_, std::move(channel), cfg_, id);
}

bool Listener::trusted_proxy(const asio::ip::address& address) const {
  const auto text = address.to_string();
  for (const auto& cidr : cfg_.trusted_proxies)
    if (cidr.contains(text)) return true;
  return false;
}

void Listener::refuse(asio::ip::tcp::socket& socket, std::uint64_t id, std::string_view label,
                      std::string_view reason) {
  hub_.metrics.connection_refused(cfg_.name, label);
  std::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  obs::log(spdlog::level::warn, id, {}, "connection refused",
           {{"peer", ec ? std::string("?") : peer.address().to_string()},
            {"reason", std::string(reason)}});
  socket.close(ec);
}

}  // namespace server
