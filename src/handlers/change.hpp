// A circulation change (11, 09, 29, 65, 37, 15, 01, 25, 19) through the outbox: journalled before
// the kiosk is answered, then decided by the library system (online), answered from local policy
// and forwarded later (offline, a kiosk's replay), or the outcome of the same transaction asked
// before (a retry, from any connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "handlers/context.hpp"
#include "outbox/ils_json.hpp"
#include "outbox/job.hpp"

namespace handlers::detail {

/// What a handler asks the outbox for.
struct Change {
  outbox::Op op = outbox::Op::checkout;
  std::string_view institution;
  std::string_view patron;  ///< SIP AA as sent (empty for a check-in)
  std::string_view item;    ///< SIP AB as sent (empty for patron-only changes)
  const sip2::Timestamp* transaction_date = nullptr;
  nlohmann::json args;  ///< the ils request (outbox/ils_json.hpp)
  /// The kiosk sent it with no-block, or with a transaction date older than
  /// outbox.offline.replay_min_age_seconds: it was done at the kiosk already and is forwarded.
  bool replay = false;
  /// Local policy would accept it without the library system (offline answer possible).
  bool offline_ok = false;
};

/// How a change came out, for the handler's answer.
struct ChangeResult {
  enum class Kind {
    direct,        ///< no outbox: the handler calls the library system itself
    decided,       ///< the library system decided: job.state is delivered or refused
    acknowledged,  ///< answered yes from local policy; the job is forwarded later
    refused,       ///< not journalled: local policy says no while offline (`screen` says why)
    unavailable,   ///< not journalled: the journal cannot be written, or no decision in time
  };
  Kind kind = Kind::direct;
  outbox::Job job;
  std::string screen;  ///< for refused and unavailable
  std::string detail;  ///< for the log
  /// The answer was given offline (the 98 and the screen say so).
  bool offline = false;
  /// The outcome of the same transaction asked before (a kiosk's retry): nothing new was done.
  bool repeated = false;
};

/// True when a request with this date and no-block flag is a kiosk's stored transaction sent
/// late (no-block, or older than the configured replay age)
/// (a terminal's profile may turn the age test off or set its own age).
[[nodiscard]] bool is_replay(bool no_block, const sip2::Timestamp& date, const Terminal& t,
                             const Services& s);

/// True when the terminal answers from local policy now (offline mode, or auto with the
/// breaker open).
[[nodiscard]] bool offline_now(const Terminal& t, const Services& s);

/// Journals `c` and brings it as far as the terminal's mode allows before the deadline.
[[nodiscard]] ChangeResult run_change(Change c, Terminal& t, const Services& s, const Request& r);

/// The ils::Failure of a refused job (code and the library system's words).
[[nodiscard]] ils::Failure failure_of(const outbox::Job& job);

/// The due date an offline check-out or renewal gets from the site's item rules, or nullopt
/// when the site sends a text instead (`offline.due_date_text`); `loanable` and `material`
/// from the first rule matching the barcode.
struct OfflineItem {
  bool loanable = true;
  std::uint32_t loan_days = 14;
  std::string material_type;
};
[[nodiscard]] OfflineItem offline_item(const Services& s, std::string_view barcode);

/// A change's outcome as a handler answers it: exactly one of value (the library system's
/// result), failure (its refusal, or a failed call without an outbox), acknowledged (yes from
/// local policy, forwarded later) or screen (not done: why, for the kiosk).
template <class T>
struct Decision {
  std::optional<T> value;
  std::optional<ils::Failure> failure;
  bool acknowledged = false;
  bool offline = false;   ///< answered without the library system
  bool repeated = false;  ///< the first outcome of a retried transaction: nothing new was done
  std::string screen;
  std::string detail;  ///< for the log
};

/// Runs a change through the outbox (run_change), or, without one, `direct()` (the backend
/// call, returning ils::Result<T>) when there is time for a change.
template <class T, class Direct>
[[nodiscard]] Decision<T> decide(Change c, Terminal& t, const Services& s, const Request& r,
                                 Direct&& direct) {
  Decision<T> d;
  if (s.outbox == nullptr) {
    if (!r.time_for_change(s.settings)) {
      d.screen = s.catalogue.text("backend.try_again");
      d.detail = "change not started: too little time left";
      return d;
    }
    auto res = direct();
    if (res)
      d.value = std::move(*res);
    else
      d.failure = std::move(res.error());
    return d;
  }
  auto res = run_change(std::move(c), t, s, r);
  d.detail = std::move(res.detail);
  d.offline = res.offline;
  d.repeated = res.repeated;
  switch (res.kind) {
    case ChangeResult::Kind::decided:
      if (res.job.state != outbox::State::delivered) {
        d.failure = failure_of(res.job);
        break;
      }
      try {
        d.value = res.job.result.template get<T>();
      } catch (const nlohmann::json::exception&) {
        // Applied, but its answer cannot be read back from the journal: the kiosk is told so.
        d.screen = s.catalogue.text("backend.bad_response");
        d.detail = "applied; the journalled result cannot be read";
      }
      break;
    case ChangeResult::Kind::acknowledged:
      d.acknowledged = true;
      break;
    default:
      d.screen = std::move(res.screen);
      break;
  }
  return d;
}

}  // namespace handlers::detail
