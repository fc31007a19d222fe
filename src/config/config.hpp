// The gateway's configuration: one versioned JSON file read into an immutable typed struct.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <spdlog/common.h>

#include "config/cidr.hpp"
#include "config/json_reader.hpp"
#include "ils/folio/folio_config.hpp"
#include "zone/time_zone.hpp"

namespace config {

using std::chrono::milliseconds;
using std::chrono::seconds;

/// TLS material of one listener (see net::TlsSettings).
struct TlsConfig {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;
  bool require_client_cert = false;
};

enum class ProxyProtocol { none, v1, v2, any };

/// One SIP2 listening socket.
struct ListenerConfig {
  std::string name;
  std::string host = "0.0.0.0";
  std::uint16_t port = 6001;
  std::optional<TlsConfig> tls;
  ProxyProtocol proxy_protocol = ProxyProtocol::none;
  std::string profile;  ///< firmware profile bound at accept time; empty: the default profile
  /// Peers whose PROXY header is believed (load balancers); a header from any other peer is
  /// refused. Required when proxy_protocol is not none.
  std::vector<Cidr> trusted_proxies;
};

struct KeepaliveConfig {
  bool enabled = true;
  seconds idle{60};
  seconds interval{10};
  int count = 5;
};

/// Every limit a session or listener enforces.
struct Limits {
  std::size_t max_connections = 20000;
  std::size_t max_connections_per_address = 500;
  seconds login_timeout{60};
  seconds idle_timeout{900};  ///< kiosks send 99 only every 5–7 minutes
  seconds partial_frame_timeout{30};
  seconds tls_handshake_timeout{10};
  seconds write_timeout{30};  ///< one response's write; a peer that stops reading is cut off
  seconds proxy_header_timeout{5};
  seconds drain_timeout{30};
  milliseconds request_timeout{8000};      ///< deadline of one request's library-system calls
  milliseconds min_mutation_budget{1500};  ///< a change is not started with less time left
  std::size_t max_frame_length = 8192;
  int login_failures_before_delay = 3;
  int login_failures_before_close = 10;
  seconds login_failure_window{300};
  int pre_login_burst = 10;             ///< requests a connection may send before login at once...
  int pre_login_per_minute = 60;        ///< ...and then per minute; a faster sender is closed
  int login_failures_per_account = 20;  ///< then only addresses that logged in before may try
  std::size_t login_table_size = 100'000;  ///< addresses and accounts remembered (LRU)
  KeepaliveConfig keepalive;
};

/// What a terminal account may do (SIP 98 and the handlers follow it).
struct Policy {
  bool checkout = true;
  bool checkin = true;
  bool renewal = true;
  bool fee_paid = true;
  bool hold = true;
  bool block_patron = true;
  bool enable_patron = true;
  bool item_status_update = false;
  bool offline_ok = false;
  std::uint16_t timeout_period = 100;  ///< tenths of a second reported in 98
  std::uint16_t retries_allowed = 3;
  bool require_patron_password = false;  ///< refuse circulation without a valid AD
};

/// How a terminal's circulation reaches the library system (`outbox.mode`, per account too).
/// online: the kiosk waits for the library system's decision; offline: answered at once from
/// local policy and forwarded later; automatic: online while the library system is healthy,
/// offline while the circuit breaker is open.
enum class OutboxMode { online, offline, automatic };

/// One SIP2 terminal login (93 CN/CO).
struct Account {
  std::string login;
  std::string password_hash;  ///< Argon2id PHC string from `sip2gw hash-password`
  std::string institution;    ///< AO this terminal works for
  std::string profile;        ///< firmware profile re-bound at login; empty: keep
  std::string location;       ///< expected CP; empty: any
  bool enabled = true;        ///< false: refused at login, and its sessions closed at a reload
  Policy policy;
  std::optional<OutboxMode> outbox_mode;  ///< empty: outbox.mode
};

/// Which firmware profile a connection gets: first matching rule wins.
struct ProfileBinding {
  std::optional<Cidr> cidr;
  std::optional<std::uint16_t> port;
  std::string location_code;  ///< matches 93 CP at login
  std::string login;          ///< matches 93 CN at login
  std::string profile;
};

struct ProfilesConfig {
  std::filesystem::path dir;  ///< firmware-profiles/
  std::string default_profile = "sip2-baseline";
  std::vector<ProfileBinding> bindings;
};

struct BackendConfig {
  std::string type = "folio";
  ils::folio::FolioConfig folio;
};

enum class LogFormat { text, json };

struct LoggingConfig {
  LogFormat format = LogFormat::text;
  spdlog::level::level_enum level = spdlog::level::info;
  std::string file;  ///< empty: stderr
};

struct AdminConfig {
  bool enabled = true;
  std::string host = "127.0.0.1";
  std::uint16_t port = 8081;
  /// Bearer token every route but /healthz requires (first line of admin.token_file, a 0600
  /// file); empty: no authentication.
  std::string token;
};

struct SecurityConfig {
  bool allow_core_dumps = false;  ///< a core holds PINs and keys in flight: off unless allowed
  /// The key file (index, pseudonym and sealing keys); default data_dir/keys.json, created at
  /// start when missing.
  std::filesystem::path key_file;
  /// The pseudonym key file of earlier releases (logging.pseudonym_key_file, default
  /// data_dir/pseudonym.key): read only when key_file is created, so old pseudonyms stay valid.
  std::filesystem::path legacy_pseudonym_key_file;
};

struct MessagesConfig {
  std::filesystem::path file;  ///< site catalogue overriding the built-in texts; empty: none
};

/// How the handlers treat circulation (SIP 09/11/29).
struct CirculationConfig {
  /// SIP magnetic media by item material type (lower case); types not listed are reported 'U'.
  std::map<std::string, bool, std::less<>> magnetic_media = {{"book", false},
                                                             {"text", false},
                                                             {"dvd", false},
                                                             {"electronic resource", false},
                                                             {"microform", false}};
  /// SIP media type (CK, "000" to "010") by item material type (lower case), sent in a 12 when
  /// the terminal's profile asks (checkout.send_media_type_ck); types not listed are "000".
  std::map<std::string, std::string, std::less<>> media_types = {{"book", "001"},
                                                                 {"text", "001"},
                                                                 {"dvd", "006"},
                                                                 {"sound recording", "006"},
                                                                 {"video recording", "005"}};
  std::chrono::hours return_date_max_age{72};  ///< older kiosk return dates: the gateway's clock
  seconds return_date_max_future{0};           ///< later kiosk return dates: the gateway's clock
};

struct WorkersConfig {
  int backend_threads = 16;     ///< blocking library-system calls
  int crypto_threads = 2;       ///< Argon2id verification
  int crypto_queue_limit = 64;  ///< logins waiting for Argon2id; more are refused at once
};

/// The LMDB store in the data dir (the identity cache's, later the outbox's).
struct StoreConfig {
  std::filesystem::path dir;                ///< default: data_dir/store
  std::size_t max_map_size_mb = 64 * 1024;  ///< the map grows up to this, then writes fail
  /// full: survives power loss (fsync per commit); no_meta_sync: may lose the last commit on
  /// power loss; no_sync: survives a crash of the process only.
  std::string durability = "full";
};

/// The identity cache (`identity`).
struct IdentityConfig {
  bool enabled = true;
  seconds soft_age{900};     ///< older records are served and refreshed in the background
  seconds hard_age{259200};  ///< older: verified through, or refused when offline (72 h)
  std::chrono::hours verifier_ttl{720};  ///< a PIN verifier is used for 30 days after its check
  std::uint32_t argon2_memory_kib = 19456;
  std::uint32_t argon2_iterations = 2;
  std::uint32_t argon2_lanes = 1;
  std::uint32_t lockout_failures = 5;  ///< wrong PINs within the window that lock validation
  seconds lockout_window{900};
  seconds lockout_duration{900};
  seconds memo{300};  ///< a PIN checked right is remembered in memory this long
  std::size_t memo_size = 100000;
  std::size_t page_size = 500;  ///< patrons per library-system page in a sync
  /// Records read in full per second in the background (refreshes kiosks asked for, then
  /// records listed in bulk).
  std::uint32_t complete_per_second = 5;
  seconds refresh_interval{300};              ///< incremental refresh; 0: off
  std::chrono::hours full_pass_interval{24};  ///< full pass (deletes); 0: off
  std::chrono::days retention{90};  ///< records not seen (sync or kiosk) this long are purged
  std::chrono::minutes purge_interval{60};
};

/// What the gateway answers on its own while the library system is out of reach (`outbox.offline`).
/// Without the library system the gateway knows an item only by its barcode: the rules match it.
struct OfflineItemRule {
  std::string barcode_pattern;  ///< ECMAScript regex, searched in the barcode
  bool loanable = true;
  std::uint32_t loan_days = 14;
  std::string material_type;  ///< for magnetic media (circulation.magnetic_media); empty: unknown
};
struct OfflinePolicy {
  std::vector<OfflineItemRule> items;  ///< first match wins; no match: the defaults below
  bool loanable = true;                ///< a barcode no rule matches
  std::uint32_t loan_days = 14;
  /// When set, an offline checkout sends no due date and this screen message instead (e.g. "the
  /// due date will be e-mailed to you"); otherwise the due date is today + loan_days.
  std::string due_date_text;
  bool payments = true;   ///< accept fee payments offline (up to the cached balance)
  bool renewals = false;  ///< accept renewals offline (for loan_days from today)
  bool holds = false;     ///< accept holds offline
  bool blocks = true;     ///< accept 01 block patron offline (a retained card stays retained)
  /// A request without the no-block flag whose transaction date is older than this is a
  /// kiosk's offline replay (kiosks that replay without setting no-block).
  seconds replay_min_age{300};
};

/// The durable outbox (`outbox`): every circulation change is journalled before the answer.
struct OutboxConfig {
  OutboxMode mode = OutboxMode::automatic;
  std::chrono::hours retention{168};   ///< finished jobs keep their sealed parts this long
  std::chrono::hours key_window{720};  ///< a replayed request finds its job this long after it
  /// Kiosks whose transaction date is blank or frozen: the same institution, operation, patron
  /// and item within this window, with no other operation on the item between, is a retry.
  seconds retry_window{120};
  std::chrono::milliseconds backoff_base{1000};
  seconds backoff_cap{300};
  std::uint32_t max_attempts = 50;  ///< then the job goes to the exceptions queue
  std::chrono::hours max_age{72};   ///< a job not delivered by then: exceptions queue
  int forwarder_threads = 8;
  seconds breaker_window{30};           ///< attempts looked at by the circuit breaker
  std::uint32_t breaker_min_calls = 5;  ///< fewer attempts in the window never open it
  std::uint32_t breaker_error_percent = 50;
  std::chrono::milliseconds breaker_slow_call{4000};  ///< slower attempts count as errors
  seconds breaker_open{30};                           ///< then one trial attempt (half-open)
  OfflinePolicy offline;
};

/// The whole configuration. Paths are absolute (resolved against the file's directory).
struct Config {
  int version = 1;
  std::string library_name = "sip2gw";
  std::string currency = "USD";
  /// The zone of the kiosks' wall clock (`timezone`); the loader's default is the system's.
  zone::TimeZone timezone;
  std::filesystem::path data_dir;
  std::vector<ListenerConfig> listeners;
  Limits limits;
  std::vector<Account> accounts;
  ProfilesConfig profiles;
  BackendConfig backend;
  LoggingConfig logging;
  AdminConfig admin;
  MessagesConfig messages;
  WorkersConfig workers;
  SecurityConfig security;
  CirculationConfig circulation;
  StoreConfig store;
  IdentityConfig identity;
  OutboxConfig outbox;
};

/// Command-line overrides applied after the file is read (and checked with it).
struct Overrides {
  std::optional<std::string> listen;        ///< HOST:PORT of the first SIP listener
  std::optional<std::string> admin_listen;  ///< HOST:PORT
  std::optional<std::string> backend_url;
  std::optional<std::string> data_dir;
};

/// Reads, validates and resolves a config file. On failure: every problem as "json.path: reason".
[[nodiscard]] std::variant<Config, Errors> load(const std::filesystem::path& file,
                                                const Overrides& overrides = {});

/// Splits "HOST:PORT" / "[v6]:PORT"; port 0 allowed.
[[nodiscard]] std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(
    std::string_view text);

}  // namespace config
