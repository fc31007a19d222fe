// Access and refresh tokens as mod-login issues them; opaque strings with expiry times.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "iso_time.hpp"

namespace ils_emulator {

/// A freshly issued token pair.
struct TokenPair {
  std::string access;         ///< goes in folioAccessToken / X-Okapi-Token
  std::string refresh;        ///< goes in folioRefreshToken
  TimePoint access_expires;   ///< accessTokenExpiration
  TimePoint refresh_expires;  ///< refreshTokenExpiration
};

/// Issues, rotates and checks tokens; thread-safe.
class TokenStore {
 public:
  TokenStore(std::chrono::seconds access_ttl, std::chrono::seconds refresh_ttl)
      : access_ttl_(access_ttl), refresh_ttl_(refresh_ttl) {}

  /// A new pair for a successful login.
  [[nodiscard]] TokenPair issue(TimePoint now);
  /// A new pair for a valid, unexpired refresh token, which is used up; nullopt otherwise.
  [[nodiscard]] std::optional<TokenPair> refresh(std::string_view refresh_token, TimePoint now);
  /// True when the access token was issued here and has not expired.
  [[nodiscard]] bool valid(std::string_view access_token, TimePoint now) const;
  /// Forgets every token, so every caller must log in again.
  void revoke_all();
  /// Changes the lifetime of tokens issued from now on.
  void set_ttls(std::chrono::seconds access_ttl, std::chrono::seconds refresh_ttl);
  /// Current lifetimes.
  [[nodiscard]] std::chrono::seconds access_ttl() const;
  [[nodiscard]] std::chrono::seconds refresh_ttl() const;

 private:
  [[nodiscard]] TokenPair issue_locked(TimePoint now);

  mutable std::mutex mutex_;
  std::chrono::seconds access_ttl_;
  std::chrono::seconds refresh_ttl_;
  std::map<std::string, TimePoint, std::less<>> access_;
  std::map<std::string, TimePoint, std::less<>> refresh_;
};

}  // namespace ils_emulator
