// EmulatorServer: wiring of routes, Okapi checks, fault injection and error handlers.
#include "emulator_server.hpp"

#include <exception>

#include "http_reply.hpp"

namespace ils_emulator {
namespace {

using Req = httplib::Request;
using Res = httplib::Response;

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
  return refuse_unauthorized(req, res) ? HR::Handled : HR::Unhandled;
}

}  // namespace ils_emulator
