// Terminal-login brute-force protection: limits per source address and per account, decided
// before any password is hashed.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "config/config.hpp"
#include "server/lru_map.hpp"

namespace server {

/// Counts failed 93 logins in a sliding window, by source address and by account name (known
/// or not: an unknown name is guarded like a known one). Used on the io thread only.
///
/// - An address with `login_failures_before_delay` failures is answered more slowly (0.5 s
///   doubling to 8 s); with `login_failures_before_close` it is refused without hashing and
///   its connection closed, until the window passes. A success does not clear an address's
///   failures (a valid account cannot launder guesses at another).
/// - An account with `login_failures_per_account` failures accepts attempts only from
///   addresses that logged into it before (kiosks have fixed addresses), until the window
///   passes: a guessing campaign from elsewhere cannot lock the library's own kiosks out.
/// - Both tables hold at most `login_table_size` entries and forget the least recently used.
class LoginGuard {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  struct Verdict {
    bool allowed = true;  ///< false: refuse without checking the password
    std::chrono::milliseconds delay{0};
    bool close = false;
    std::string_view reason;  ///< why refused or slowed, for the log: "address", "account"
  };

  explicit LoginGuard(std::size_t table_size = 100'000)
      : addresses_(table_size), accounts_(table_size) {}

  /// Before hashing: may this attempt be checked at all?
  [[nodiscard]] Verdict check(const std::string& account, const std::string& address,
                              const config::Limits& limits, time_point now);
  /// After a wrong password (or an unknown account): how to answer it.
  Verdict failed(const std::string& account, const std::string& address,
                 const config::Limits& limits, time_point now);
  /// After a right password: the address becomes known to the account.
  void succeeded(const std::string& account, const std::string& address);
  /// Applies a reloaded table size.
  void resize(std::size_t table_size);

 private:
  struct Window {
    int failures = 0;
    time_point first{};
    /// Failures within the window ending now (the window restarts once it has passed).
    int current(time_point now, std::chrono::seconds window) const;
  };
  struct AccountEntry {
    Window window;
    std::set<std::string> known_addresses;  ///< bounded by kMaxKnownAddresses
  };
  static constexpr std::size_t kMaxKnownAddresses = 16;
  Verdict address_verdict(int failures, const config::Limits& limits) const;

  LruMap<Window> addresses_;
  LruMap<AccountEntry> accounts_;
};

}  // namespace server
