// The gateway's Okapi login: cookie login, refresh before expiry, fall back to a new login.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "ils/folio/folio_config.hpp"
#include "ils/folio/transport.hpp"
#include "ils/types.hpp"

namespace ils::folio {

/// Holds the access and refresh tokens of one tenant; thread-safe. One caller renews at a
/// time, without holding the lock over the network; the others wait up to their deadline.
class TokenManager {
 public:
  TokenManager(const FolioConfig& config, Transport& transport)
      : config_(config), transport_(transport) {}

  /// A usable access token, logging in or refreshing first when needed, within ctx.deadline.
  [[nodiscard]] Result<std::string> token(const CallContext& ctx);

  /// Forgets `token` and its refresh token after the server refused it, so the next token()
  /// logs in afresh (no-op if a newer token is already held).
  void invalidate(const std::string& token);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;

  /// What one login or refresh yields.
  struct Tokens {
    std::string access;
    TimePoint renew_at{};
    std::string refresh;
    TimePoint refresh_expires_at{};
  };

  [[nodiscard]] Result<Tokens> renew(const CallContext& ctx, const std::string& refresh) const;
  [[nodiscard]] Result<Tokens> login(const CallContext& ctx) const;
  [[nodiscard]] Result<Tokens> refresh(const CallContext& ctx, const std::string& token) const;
  [[nodiscard]] Result<Tokens> parse(const HttpResponse& response) const;

  const FolioConfig& config_;
  Transport& transport_;
  std::mutex mutex_;
  std::condition_variable renewed_;
  bool renewing_ = false;
  Tokens current_;
};

}  // namespace ils::folio
