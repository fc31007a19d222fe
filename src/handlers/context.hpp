// What a handler sees: the terminal's session state, the services, and the request's bounds.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "handlers/catalogue.hpp"
#include "identity/validator.hpp"
#include "ils/backend.hpp"
#include "profiles/behaviour.hpp"
#include "sip2/dialect.hpp"
#include "sip2/typed.hpp"
#include "zone/time_zone.hpp"

namespace outbox {
class Outbox;
class Forwarder;
class Breaker;
}  // namespace outbox

namespace handlers {

/// Per-connection state, owned by the session and handed to one handler at a time.
struct Terminal {
  std::uint64_t connection_id = 0;
  bool logged_in = false;
  std::optional<config::Account> account;  ///< copied at login: a reload does not change it
  std::string location;                    ///< CP from the login
  sip2::Dialect dialect;
  profiles::Behaviour behaviour;  ///< the profile's changes to the answers
  /// The zone of the profile's dates.timezone (set when the profile is bound); else the
  /// config's (Settings::time_zone).
  std::optional<zone::TimeZone> time_zone;
  std::string profile;
  /// The transaction date of this terminal's last change and when it came: a kiosk whose
  /// clock stands still sends the same date for different transactions.
  std::string last_change_date;
  std::chrono::system_clock::time_point last_change_at{};  ///< when that date was first seen
  std::size_t last_change_request = 0;  ///< a hash of the operation, patron and item
  bool frozen_clock = false;            ///< seen once: its dates no longer tell transactions apart
};

/// Site settings the handlers follow (from the config; the defaults are the config's).
struct Settings {
  /// A change (checkout, checkin, renewal, payment, hold, block) is not started with less than
  /// this left before the request's deadline: the kiosk is asked to try again instead.
  std::chrono::milliseconds min_mutation_budget = config::Limits{}.min_mutation_budget;
  /// SIP "magnetic media" by the item's material type (lower case); others are reported 'U'.
  std::map<std::string, bool, std::less<>> magnetic_media =
      config::CirculationConfig{}.magnetic_media;
  std::map<std::string, std::string, std::less<>> media_types =
      config::CirculationConfig{}.media_types;
  /// A kiosk's return date older than this, or later than now + return_date_max_future, is
  /// replaced by the gateway's clock (a kiosk with a wrong clock must not backdate returns).
  std::chrono::hours return_date_max_age = config::CirculationConfig{}.return_date_max_age;
  std::chrono::seconds return_date_max_future = config::CirculationConfig{}.return_date_max_future;
  /// The zone of the kiosks' wall clock: dates go out in it and four-blank dates are read in it
  /// (UTC here; a loaded config's default is the system's zone).
  zone::TimeZone time_zone;
  /// The outbox: mode, offline policy (the loaded config's; tests may change them).
  config::OutboxConfig outbox;
  /// outbox.offline.items with their patterns compiled, in order.
  std::vector<std::pair<std::regex, config::OfflineItemRule>> offline_items;

  /// The settings of a loaded config.
  [[nodiscard]] static Settings from(const config::Config& c);
  /// outbox and offline_items from an outbox section.
  void set_outbox(const config::OutboxConfig& o);
};

/// Long-lived services. Every member is safe to use from worker threads.
struct Services {
  ils::Backend& backend;
  const Catalogue& catalogue;
  std::string currency = "USD";
  std::string library_name;
  /// Wall clock; tests may replace it.
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };
  Settings settings = {};
  /// Patron validation through the identity cache; nullptr: every check asks the backend.
  identity::Validator* identity = nullptr;
  /// Runs Argon2id for patron PINs on the bounded crypto pool (empty: on the calling thread).
  identity::CryptoRunner crypto = {};
  /// Queues background refreshes of stale records (empty: none).
  identity::Background background = {};
  /// The durable outbox, its forwarder and circuit breaker; nullptr: changes go straight to
  /// the library system (handler unit tests without a store).
  outbox::Outbox* outbox = nullptr;
  outbox::Forwarder* forwarder = nullptr;
  const outbox::Breaker* breaker = nullptr;
};

/// The bounds of one request.
struct Request {
  std::string id;  ///< correlation id, also sent to the library system
  std::chrono::steady_clock::time_point deadline;
  [[nodiscard]] ils::CallContext call() const { return {id, deadline}; }
  /// The context of a call that changes the library's state: it carries the minimum budget.
  [[nodiscard]] ils::CallContext change(const Settings& s) const {
    return {id, deadline, s.min_mutation_budget};
  }
  /// True when at least the minimum budget for a change is left.
  [[nodiscard]] bool time_for_change(const Settings& s) const {
    return deadline - std::chrono::steady_clock::now() >= s.min_mutation_budget;
  }
};

/// A handler's answer and how it went, for metrics and logs.
struct Outcome {
  sip2::AnyMessage response;
  std::string_view result = "ok";  ///< "ok", "refused" (a SIP refusal) or "error" (backend)
  std::string detail;              ///< for the log; never a PIN or a raw identifier
};

/// The answer to a request that needs no library-system call and no Argon2id run (a patron
/// status from a cached record, with no PIN or one checked right moments ago), or nullopt.
/// Cheap enough for the network thread: LMDB reads and one AES-GCM open.
[[nodiscard]] std::optional<Outcome> answer_locally(const sip2::AnyMessage& request,
                                                    Terminal& terminal, const Services& services);

/// The request as the handlers read it: its patron identifier (AA) trimmed and rewritten by the
/// profile's patron.trim_identifiers and identifier_transform (a copy; the same when the
/// profile has neither). The request log pseudonymizes this one, as the journal keys do.
[[nodiscard]] sip2::AnyMessage as_read(const sip2::AnyMessage& request, const Terminal& terminal);

/// Answers one request. Synchronous: it may block on the library system, so the session runs it
/// on the worker pool. Login (93), status (99) and resend (97) are the session's own.
[[nodiscard]] Outcome handle(const sip2::AnyMessage& request, Terminal& terminal,
                             const Services& services, const Request& req);

/// The 98 a terminal gets: account policy ∧ backend capabilities, exactly.
[[nodiscard]] sip2::AcsStatusResponse acs_status(const Terminal& terminal, const Services& services,
                                                 bool online);

}  // namespace handlers
