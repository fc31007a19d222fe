// The admin HTTP server on cpp-httplib: three GET routes and the outbox routes, two worker
// threads, no SO_REUSEPORT.
#include "admin/admin_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "admin/bind_error.hpp"
#include "obs/log.hpp"

namespace admin {
namespace {

constexpr auto metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";
constexpr auto text_content_type = "text/plain; charset=utf-8";

// httplib's default also sets SO_REUSEPORT, which would let a second gateway silently share
// (and steal half of) the admin port instead of failing to start.
void reuse_address_only(socket_t sock) {
  const int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

std::string without_brackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

/// Compares in time that depends only on the lengths, so a guess's prefix leaks nothing.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

/// Liveness stays open (orchestrators probe it without credentials); everything else, including
/// the staff pages to come, needs the token when one is configured.
bool authorized(const httplib::Request& req, const AdminServer::Hooks& hooks) {
  if (req.path == "/healthz" || !hooks.token) return true;
  const auto token = hooks.token();
  if (token.empty()) return true;
  const auto header = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  return header.size() > scheme.size() && header.compare(0, scheme.size(), scheme) == 0 &&
         same_secret(std::string_view(header).substr(scheme.size()), token);
}

void add_routes(httplib::Server& server, const AdminServer::Hooks& hooks) {
  server.set_pre_routing_handler([&hooks](const httplib::Request& req, httplib::Response& res) {
    if (authorized(req, hooks)) return httplib::Server::HandlerResponse::Unhandled;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer realm=\"sip2gw\"");
    // Refused before httplib reads a body, which would otherwise be parsed as the next request
    // on the connection: it is closed instead.
    res.set_header("Connection", "close");
    res.set_content("authentication required", text_content_type);
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get("/metrics", [&hooks](const httplib::Request&, httplib::Response& res) {
    res.set_content(hooks.metrics ? hooks.metrics() : std::string(), metrics_content_type);
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", text_content_type);
  });
  server.Get("/readyz", [&hooks](const httplib::Request&, httplib::Response& res) {
    auto [ready, reason] = hooks.ready ? hooks.ready() : std::pair<bool, std::string>{true, {}};
    res.status = ready ? 200 : 503;
    res.set_content(ready ? std::string("ready") : std::move(reason), text_content_type);
  });
  // A throwing hook gives a bare 500; httplib would otherwise echo e.what() in a header.
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        obs::log(spdlog::level::err, 0, {}, "admin: request failed", {{"path", req.path}});
        res.status = 500;
        res.set_content("internal error", text_content_type);
      });
}

}  // namespace

struct AdminServer::Impl {
  Impl(Hooks h, OutboxHooks o) : hooks(std::move(h)), outbox(std::move(o)) {}

  Hooks hooks;
  OutboxHooks outbox;
  httplib::Server server;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable exited_changed;
  bool exited = false;
};

AdminServer::AdminServer(Hooks hooks, OutboxHooks outbox)
    : impl_(std::make_unique<Impl>(std::move(hooks), std::move(outbox))) {
  auto& server = impl_->server;
  server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  server.set_socket_options(reuse_address_only);
  server.set_read_timeout(5);
  server.set_write_timeout(5);
  // Two workers: an idle keep-alive connection must not hold one for long.
  server.set_keep_alive_timeout(2);
  server.set_payload_max_length(4096);
  add_routes(server, impl_->hooks);
  add_outbox_routes(server, impl_->outbox);
}

AdminServer::~AdminServer() {
  stop();
}

tl::expected<std::uint16_t, std::string> AdminServer::start(const std::string& host,
                                                            std::uint16_t port) {
  const auto bare = without_brackets(host);
  if (impl_->thread.joinable()) {
    return tl::make_unexpected("admin.listen: cannot bind " + host_port(bare, port) +
                               ": already serving");
  }
  auto& server = impl_->server;
  const int bound = port == 0 ? server.bind_to_any_port(bare)
                              : (server.bind_to_port(bare, port) ? static_cast<int>(port) : -1);
  if (bound <= 0) {
    return tl::make_unexpected("admin.listen: cannot bind " + host_port(bare, port) + ": " +
                               bind_error_reason(bare, port));
  }
  impl_->exited = false;
  impl_->thread = std::thread([impl = impl_.get()] {
    impl->server.listen_after_bind();
    const std::lock_guard lock(impl->mutex);
    impl->exited = true;
    impl->exited_changed.notify_all();
  });
  return static_cast<std::uint16_t>(bound);
}

void AdminServer::stop() {
  if (!impl_->thread.joinable()) return;
  {
    // httplib's stop() does nothing until the thread has entered its accept loop; repeat it.
    std::unique_lock lock(impl_->mutex);
    while (!impl_->exited) {
      impl_->server.stop();
      impl_->exited_changed.wait_for(lock, std::chrono::milliseconds(1));
    }
  }
  impl_->thread.join();
}

}  // namespace admin
