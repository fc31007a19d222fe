// The admin endpoint's outbox routes for staff: the exceptions queue, the journal's counts, and
// retry and drop of one job. The gateway supplies what they do (server/outbox_admin_hooks.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace httplib {
class Server;
}

namespace admin {

/// A staff route's answer: the HTTP status and a JSON body.
struct Reply {
  int status = 200;
  std::string json;
};

/// Called on the admin server's threads, so they must be thread-safe. A route whose hook is
/// unset is not served (404).
struct OutboxHooks {
  /// GET /outbox/exceptions[?after=ID][&limit=N]: jobs in the exceptions queue with ids above
  /// `after`, at most `limit` (1..1000, default 100).
  std::function<Reply(std::uint64_t after, std::size_t limit)> exceptions;
  /// GET /outbox/stats.
  std::function<Reply()> stats;
  /// POST /outbox/jobs/ID/retry.
  std::function<Reply(std::uint64_t id)> retry;
  /// POST /outbox/jobs/ID/drop with the body {"reason": "..."}.
  std::function<Reply(std::uint64_t id, const std::string& reason)> drop;
};

/// Adds the routes whose hooks are set; `hooks` must outlive `server`. Both POST routes want
/// "Content-Type: application/json" (else 415): a web page cannot send that to another origin
/// without a CORS preflight, which this server never grants.
void add_outbox_routes(httplib::Server& server, const OutboxHooks& hooks);

}  // namespace admin
