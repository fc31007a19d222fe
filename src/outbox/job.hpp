// A journalled circulation action (a job): what the kiosk asked, where it stands, what the
// library system answered. Raw identifiers live only in `args` and `result`, sealed at rest.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace outbox {

/// Wall-clock time of the journal, millisecond precision (backoff is finer than a second).
using Time = std::chrono::sys_time<std::chrono::milliseconds>;
/// The journal's wall clock (injectable for tests).
using Clock = std::function<Time()>;
[[nodiscard]] Time system_now();

/// The circulation change a job makes (one per SIP mutation: 11, 09, 29, 65, 37, 15+, 15-, 01,
/// 25, 19).
enum class Op : std::uint8_t {
  checkout,
  checkin,
  renew,
  renew_all,
  fee_paid,
  hold_place,
  hold_cancel,
  block_patron,
  enable_patron,
  item_status,
};
inline constexpr std::size_t op_count = 10;

/// Where a job stands. The last four are final.
enum class State : std::uint8_t {
  queued,     ///< waiting for an attempt (new, or retrying after a failure)
  in_flight,  ///< an attempt is running (or was, when the gateway stopped: then read back)
  delivered,  ///< the library system applied it
  refused,    ///< the library system said no (final; the kiosk got that answer)
  exception,  ///< cannot succeed though the kiosk was told yes, or aged out: for staff
  dropped,    ///< dropped by staff
};
inline constexpr std::size_t state_count = 6;

[[nodiscard]] std::string_view name_of(Op op);
[[nodiscard]] std::string_view name_of(State state);
[[nodiscard]] std::optional<Op> op_named(std::string_view name);
[[nodiscard]] std::optional<State> state_named(std::string_view name);
[[nodiscard]] constexpr bool is_final(State s) {
  return s != State::queued && s != State::in_flight;
}

/// The idempotency key of a job: HMAC-SHA-256 under the key ring's index key.
using Key = std::array<std::uint8_t, 32>;

/// What a read-back of the library system found about an attempt whose outcome was unknown.
enum class Finding : std::uint8_t {
  applied,      ///< the change is there: not sent again
  not_applied,  ///< the change is not there: safe to send again
  unknown,      ///< the read-back itself failed: read back again before any new attempt
};
inline constexpr std::size_t finding_count = 3;
[[nodiscard]] std::string_view name_of(Finding f);

struct ReadBack {
  Time at{};
  Finding found = Finding::unknown;
};

/// A new job as the handler describes it. The identifiers are raw: they make the key and the
/// pseudonyms and are sealed inside `args`; nothing else keeps them.
/// What a terminal's firmware profile asks of its jobs, carried in the job's args under these
/// names (absent: the default). kStaleGuard: what a replay does when the item was lent after it
/// ("skip_if_newer_event", default: left as it is, an exception for staff; "apply_and_flag":
/// applied, counted and said in the reason; "none": applied). kExceptions: where a job that
/// cannot succeed goes ("log_and_queue", default: the exceptions queue and a warning;
/// "queue_for_staff": the queue, no warning; "log": a warning, then dropped, for devices that
/// keep their own list of failed transactions for staff).
inline constexpr const char* kStaleGuardArg = "profile_stale_event_guard";
inline constexpr const char* kExceptionsArg = "profile_exceptions";

struct NewJob {
  Op op = Op::checkout;
  std::string institution;        ///< SIP AO
  std::string patron_identifier;  ///< SIP AA as sent (empty for a check-in)
  std::string item_identifier;    ///< SIP AB as sent (empty for patron-only operations)
  /// Tells two real transactions with the same operation, patron and item apart: the kiosk's
  /// transaction date, or the caller's fallback. Empty (a blank or frozen kiosk clock): the
  /// same operation, patron and item within Options::retry_window, with no other job of the
  /// item or the patron between, is taken as a retry of that job.
  std::string discriminator;
  /// The request to deliver: to_json of the ils request type of `op` (see ils_json.hpp:
  /// CheckoutRequest, CheckinRequest, RenewRequest, PatronRef, FeePayment, HoldRequest,
  /// CancelHoldRequest, BlockRequest, ItemStatusArgs).
  nlohmann::json args;
  /// Store-and-forward: the kiosk was told yes before the library system answered. A refusal
  /// then makes the job an exception for staff, not a plain refusal.
  bool acknowledged = false;
  /// The kiosk's stored transaction, sent late (no-block, or an old transaction date): a
  /// check-out or check-in is checked against the item's newer events before it is applied.
  bool replay = false;
  /// Not due for the forwarder before this (epoch: at once). An online handler makes the first
  /// attempt itself (Forwarder::attempt_now): until its deadline the job is left to it, else a
  /// forwarder thread could claim it first and keep the kiosk waiting for its longer lease.
  Time not_before{};
};

/// What was read before an attempt, to compare a read-back with (renewals).
struct Baseline {
  bool present = false;
  std::optional<std::int64_t> due_date;  ///< seconds since the epoch (renew)
  std::uint32_t renewal_count = 0;       ///< (renew)
  /// renew_all: item barcode's pseudonym → renewal count of each open loan.
  std::vector<std::pair<std::string, std::uint32_t>> loans;
};

/// A job as journalled.
struct Job {
  std::uint64_t id = 0;  ///< increasing in submission order
  Key key{};
  /// For a job submitted without a discriminator: the key of (institution, op, patron, item)
  /// that finds it as the latest such job (its own key is then random).
  std::optional<Key> retry_key;
  Op op = Op::checkout;
  State state = State::queued;
  std::uint32_t attempts = 0;
  Time created{};
  Time next_attempt{};  ///< when queued: not before this
  Time finished{};      ///< when final
  /// When staff last retried it (epoch: never) and its attempts then: max_age and
  /// max_attempts count from there.
  Time retried{};
  std::uint32_t attempts_at_retry = 0;
  bool acknowledged = false;
  bool replay = false;
  /// The kiosk was told it failed (no decision in time): never sent again, only read back
  /// while its last attempt's outcome is unknown (applied: delivered; not applied: dropped).
  bool withdrawn = false;
  /// The last attempt's outcome is unknown (an ambiguous failure, or in flight at a crash):
  /// the next attempt reads back before it sends anything.
  bool unresolved = false;
  std::string institution;
  std::string patron;     ///< pseudonym of the patron identifier ("p:" + 16 hex), or empty
  std::string item;       ///< pseudonym of the item identifier, or empty
  nlohmann::json args;    ///< the request (raw identifiers); null once purged
  nlohmann::json result;  ///< the library system's answer (ils_json.hpp); null until delivered
  std::string reason;     ///< the last failure or refusal, or why it is an exception; no raw ids
  std::vector<ReadBack> read_backs;
  Baseline baseline;
  bool purged = false;  ///< args and result were dropped by retention

  [[nodiscard]] bool final() const { return is_final(state); }
  /// The reference sent with a payment (FeePayment::transaction_id) and found by read-back.
  [[nodiscard]] std::string reference() const;
};

/// Lower-case hex of a key.
[[nodiscard]] std::string hex_of(const Key& key);

}  // namespace outbox
