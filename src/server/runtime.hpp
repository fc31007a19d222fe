// The reloadable part of the gateway: config, profiles, messages and the backend, as one snapshot.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <asio/ip/address.hpp>

#include "config/config.hpp"
#include "handlers/context.hpp"
#include "ils/backend.hpp"
#include "profiles/profile_registry.hpp"

namespace obs {
class Metrics;
}

namespace server {

class IdentityService;
class OutboxService;

/// Immutable once built; SIGHUP builds a new one and sessions pick it up for their next request.
struct Runtime {
  config::Config config;
  profiles::ProfileRegistry profiles;
  handlers::Catalogue catalogue;
  std::shared_ptr<ils::Backend> backend;
  std::unique_ptr<handlers::Services> services;

  /// A profile chosen for a connection, and why (for `sip2gw profiles match` and the log).
  struct ProfileChoice {
    const profiles::Profile* profile = nullptr;
    std::string reason;
  };

  /// The account of a login id, or nullptr.
  [[nodiscard]] const config::Account* account(std::string_view login) const;
  /// The profile a new connection gets: the first `profiles.bindings` entry by port or address,
  /// else the first profile (by id) whose own `match` has only port and address rules and
  /// holds, else the listener's `profile`, else `profiles.default`.
  [[nodiscard]] ProfileChoice choose_at_accept(const config::ListenerConfig& listener,
                                               const profiles::Connection& c) const;
  /// The profile a login re-binds to: the first `profiles.bindings` entry by login or location,
  /// else the account's `profile`, else the first profile (by id) whose own `match` has a login
  /// or location rule and holds (all its rules, port and address too); nullopt: keep the one
  /// chosen at accept. `account` may be null (an unknown login).
  [[nodiscard]] std::optional<ProfileChoice> choose_at_login(const config::Account* account,
                                                             const profiles::Connection& c) const;
  [[nodiscard]] const profiles::Profile& profile_at_accept(const config::ListenerConfig& listener,
                                                           const asio::ip::address& peer) const;
  /// See choose_at_login; nullptr: keep.
  [[nodiscard]] const profiles::Profile* profile_at_login(const config::ListenerConfig& listener,
                                                          std::string_view peer,
                                                          const config::Account& account,
                                                          std::string_view location) const;
};

/// Recent library-system health, fed by every backend call (for /readyz).
struct BackendHealth {
  std::atomic<int> consecutive_failures{0};
  [[nodiscard]] bool reachable() const { return consecutive_failures.load() < 5; }
};

/// Builds a runtime: profiles and the message catalogue from disk, a backend from the config.
/// Errors read "json.path: reason" (or "firmware-profiles/x.json: ...").
[[nodiscard]] std::variant<std::shared_ptr<const Runtime>, std::vector<std::string>> build_runtime(
    config::Config config, obs::Metrics* metrics, BackendHealth* health,
    IdentityService* identity = nullptr, OutboxService* outbox = nullptr);

}  // namespace server
