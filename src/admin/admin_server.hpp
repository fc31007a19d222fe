// The admin HTTP endpoint: GET /metrics, /healthz and /readyz, and the outbox routes for staff
// (outbox_routes.hpp), on a thread of its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <tl/expected.hpp>
#include <utility>

#include "admin/outbox_routes.hpp"

namespace admin {

/// A small HTTP server (two worker threads) for Prometheus and orchestrator probes. With a token,
/// every route but /healthz answers 401 unless the request says "Authorization: Bearer TOKEN".
class AdminServer {
 public:
  /// Called on the server's threads, so both must be thread-safe.
  struct Hooks {
    std::function<std::string()> metrics;                 ///< Prometheus text; unset: empty body
    std::function<std::pair<bool, std::string>()> ready;  ///< (ready, reason); unset: ready
    /// The bearer token every route but /healthz requires; unset or empty: none required.
    std::function<std::string()> token;
  };

  /// `outbox`: the staff routes of outbox_routes.hpp (none when its hooks are unset).
  explicit AdminServer(Hooks hooks, OutboxHooks outbox = {});
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  /// Binds host (IPv4 or IPv6 literal, brackets optional) and port (0: any) and starts serving.
  /// Returns the bound port, or "admin.listen: cannot bind HOST:PORT: reason".
  [[nodiscard]] tl::expected<std::uint16_t, std::string> start(const std::string& host,
                                                               std::uint16_t port);

  /// Stops accepting and joins the server thread; safe to call twice or without start.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace admin
