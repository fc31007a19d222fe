// Authenticated Okapi calls: token, one retry after 401, status-to-error mapping, JSON.
#pragma once

#include <optional>
#include <string>

#include "ils/call_observer.hpp"
#include "ils/folio/folio_config.hpp"
#include "ils/folio/folio_json.hpp"
#include "ils/folio/token_manager.hpp"
#include "ils/folio/transport.hpp"

namespace ils::folio {

/// One Okapi call; `operation` names it for metrics ("circulation.check-out").
struct Call {
  std::string method;
  std::string operation;
  std::string path;  ///< path and query string, already encoded
  std::optional<Json> body;
  std::string accept = "application/json";
  /// Changes the library's state: not started with less than ctx.min_mutation_budget left.
  bool changes_state = false;

  [[nodiscard]] static Call get(std::string operation, std::string path);
  [[nodiscard]] static Call post(std::string operation, std::string path, Json body);
  [[nodiscard]] static Call put(std::string operation, std::string path, Json body);
  [[nodiscard]] static Call del(std::string operation, std::string path);
  /// A POST that only asks (a PIN check): started whatever the budget.
  [[nodiscard]] static Call query_post(std::string operation, std::string path, Json body);
};

/// Sends calls to one tenant with the gateway's token; thread-safe.
class OkapiClient {
 public:
  OkapiClient(const FolioConfig& config, CallObserver observer)
      : transport_(config, std::move(observer)), tokens_(config, transport_) {}

  /// Sends with a token, logging in afresh and retrying once after 401; returns any status.
  [[nodiscard]] Result<HttpResponse> send(const CallContext& ctx, const Call& call);

  /// Sends without a token (a patron's own login).
  [[nodiscard]] Result<HttpResponse> send_anonymous(const CallContext& ctx, const Call& call);

  /// send(), then maps non-2xx to a Failure and parses the body (an empty body gives null).
  [[nodiscard]] Result<Json> call(const CallContext& ctx, const Call& call);

 private:
  [[nodiscard]] HttpRequest build(const CallContext& ctx, const Call& call) const;

  Transport transport_;
  TokenManager tokens_;
};

}  // namespace ils::folio
