// The gateway's Okapi session: cookie login, refresh before expiry, fall back to a new login.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "ils/folio/folio_config.hpp"
#include "ils/folio/transport.hpp"
#include "ils/types.hpp"

namespace ils::folio {

/// Holds the access and refresh tokens of one tenant; thread-safe, one login at a time.
class TokenManager {
 public:
  TokenManager(const FolioConfig& config, Transport& transport)
      : config_(config), transport_(transport) {}

  /// A usable access token, logging in or refreshing first when needed, within ctx.deadline.
  [[nodiscard]] Result<std::string> token(const CallContext& ctx);

  /// Forgets `token` and its refresh token after the server refused it, so the next token()
  /// logs in afresh (no-op if a newer token is already held).
  void invalidate(const CallContext& ctx, const std::string& token);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  [[nodiscard]] Result<void> login(const CallContext& ctx);
  [[nodiscard]] Result<void> refresh(const CallContext& ctx);
  [[nodiscard]] Result<void> store(const HttpResponse& response);

  const FolioConfig& config_;
  Transport& transport_;
  std::timed_mutex mutex_;
  std::string access_;
  TimePoint access_renew_at_{};
  std::string refresh_;
  TimePoint refresh_expires_at_{};
};

}  // namespace ils::folio
