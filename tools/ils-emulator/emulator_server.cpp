// EmulatorServer: wiring of routes, Okapi checks, fault injection and error handlers.
#include "emulator_server.hpp"

#include <exception>

#include "http_reply.hpp"
#include "peer_socket.hpp"

namespace ils_emulator {
namespace {

using Req = httplib::Request;
using Res = httplib::Response;

/// Marks, between the pre- and post-routing handlers, a request that reached the routes.
constexpr const char* routed_marker = "X-Emulator-Routed";

/// Replaces a header (httplib's set_header adds another).
void replace_header(Res& res, const std::string& key, const std::string& value) {
  res.headers.erase(key);
  res.set_header(key, value);
}

/// A request with a body httplib has not read yet (it reads it only when a route is found).
bool carries_body(const Req& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length != "0";
}

bool needs_token(const std::string& path) {
  return path != "/authn/login-with-expiry" && path != "/authn/login" && path != "/authn/refresh" &&
         path != "/authn/logout";
}

}  // namespace

EmulatorServer::EmulatorServer(std::unique_ptr<Library> library, std::string tenant)
    : library_(std::move(library)),
      tokens_(library_->access_ttl(), library_->refresh_ttl()),
      context_{*library_, tokens_, faults_, std::move(tenant)} {
  server_.set_tcp_nodelay(true);  // kept-alive clients would otherwise wait ~40 ms (Nagle)
  // Injected latency parks a worker; keep enough of them for concurrent tests.
  server_.new_task_queue = [] { return new httplib::ThreadPool(32); };
  // A real FOLIO (Okapi behind a proxy) keeps connections open; httplib closes after 5 requests.
  server_.set_keep_alive_max_count(100000);
  server_.set_pre_routing_handler(
      [this](const Req& req, Res& res) { return before_routing(req, res); });
  server_.set_post_routing_handler([this](const Req& req, Res& res) { after_routing(req, res); });
  server_.set_error_handler([](const Req& req, Res& res) {
    if (res.status == 404 && res.body.empty()) {
      send_text(res, 404, "No suitable module found for path " + req.path);
    }
  });
  server_.set_exception_handler([](const Req&, Res& res, std::exception_ptr) {
    send_text(res, 500, "Internal Server Error");
  });
  add_auth_routes(server_, context_);
  add_patron_routes(server_, context_);
  add_circulation_routes(server_, context_);
  add_inventory_routes(server_, context_);
  add_fee_routes(server_, context_);
  add_control_routes(server_, context_);
}

tl::expected<int, std::string> EmulatorServer::bind(const std::string& host, int port) {
  const int bound =
      port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return tl::unexpected("cannot listen on " + host + ":" + std::to_string(port));
  return bound;
}

bool EmulatorServer::run() {
  return server_.listen_after_bind();
}

void EmulatorServer::stop() {
  faults_.shutdown();
  server_.stop();
}

bool EmulatorServer::refuse_unauthorized(const Req& req, Res& res) {
  const std::string tenant = req.get_header_value("X-Okapi-Tenant");
  if (tenant.empty()) {
    send_text(res, 400, "Missing Tenant");
    return true;
  }
  if (tenant != context_.tenant) {
    send_text(res, 400, "No such Tenant " + tenant);
    return true;
  }
  if (!needs_token(req.path)) return false;
  std::string token = req.get_header_value("X-Okapi-Token");
  if (token.empty()) token = cookie_value(req, "folioAccessToken");
  if (token.empty()) {
    send_text(res, 401, "Missing token");
    return true;
  }
  if (!tokens_.valid(token, library_->clock().now())) {
    send_text(res, 401, "Invalid token");
    return true;
  }
  return false;
}

httplib::Server::HandlerResponse EmulatorServer::before_routing(const Req& req, Res& res) {
  const auto handled = answer_before_routing(req, res);
  // httplib answers here before it reads the request's body, which stays in the connection
  // and would be read as the next request (a 400 for the client's next call on it): the
  // connection is closed after this answer instead.
  if (handled == httplib::Server::HandlerResponse::Handled && carries_body(req))
    replace_header(res, "Connection", "close");
  return handled;
}

httplib::Server::HandlerResponse EmulatorServer::answer_before_routing(const Req& req, Res& res) {
  using HR = httplib::Server::HandlerResponse;
  if (req.path.starts_with("/_emulator/")) return HR::Unhandled;
  const FaultPlan plan = faults_.plan(req.path);
  if (plan.outage) {
    send_text(res, 503, "Service Unavailable");
    return HR::Handled;
  }
  if (plan.delay.count() > 0 && !faults_.wait(plan.delay)) {
    send_text(res, 503, "Service Unavailable");
    return HR::Handled;
  }
  if (plan.status != 0) {
    send_text(res, plan.status, "Injected failure");
    return HR::Handled;
  }
  if (refuse_unauthorized(req, res)) return HR::Handled;
  res.set_header(routed_marker, "1");
  return HR::Unhandled;
}

void EmulatorServer::after_routing(const Req& req, Res& res) {
  if (!res.has_header(routed_marker)) return;
  res.headers.erase(routed_marker);
  switch (faults_.lose_answer(req.path)) {
    case LostAnswer::none:
      return;
    case LostAnswer::bad_gateway:
      // The headers are already computed, so the new body's length is set here.
      res.status = 502;
      res.body = "Bad Gateway";
      replace_header(res, "Content-Type", "text/plain");
      replace_header(res, "Content-Length", std::to_string(res.body.size()));
      return;
    case LostAnswer::hold: {
      // Held until the client gives up (or the limit, a reset or a stop), then closed with no
      // byte of the answer: whatever httplib writes next goes nowhere.
      const int fd = socket_of_peer(req.remote_addr, req.remote_port);
      faults_.hold(faults_.hold_limit(), [fd] { return fd >= 0 && peer_gone(fd); });
      if (fd >= 0) cut_connection(fd);
      replace_header(res, "Connection", "close");
      return;
    }
  }
}

}  // namespace ils_emulator
