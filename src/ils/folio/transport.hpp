// HTTP exchanges with one Okapi tenant: request shaping, status mapping and the metrics hook.
#pragma once

#include <string>
#include <string_view>
#include <system_error>

#include "ils/call_observer.hpp"
#include "ils/folio/folio_config.hpp"
#include "ils/http_client.hpp"
#include "ils/types.hpp"

namespace ils::folio {

/// Performs the HTTP exchanges of one backend and reports each to the observer.
class Transport {
 public:
  Transport(const FolioConfig& config, CallObserver observer)
      : config_(config), http_(config.http), observer_(std::move(observer)) {}

  /// A request to `path` (already encoded) carrying X-Okapi-Tenant, X-Okapi-Request-Id and
  /// accept, due by ctx.deadline capped by config.call_timeout; no token yet.
  [[nodiscard]] HttpRequest request(const CallContext& ctx, std::string method,
                                    std::string_view path, std::string_view accept) const;

  /// Performs the request and tells the observer `operation`, the outcome and the latency.
  [[nodiscard]] Result<HttpResponse> perform(std::string_view operation,
                                             const HttpRequest& request);

 private:
  const FolioConfig& config_;
  HttpClient http_;
  CallObserver observer_;
};

/// The error a FOLIO HTTP status stands for; empty for 2xx.
[[nodiscard]] std::error_code status_outcome(int status);

/// The Failure an unsuccessful FOLIO response stands for, with FOLIO's message and, for a
/// refusal, the Reason a replay recognises.
[[nodiscard]] Failure failure_from(const HttpResponse& response);

}  // namespace ils::folio
