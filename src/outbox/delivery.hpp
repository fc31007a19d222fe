// One attempt of a job against the library system: the call, the classification of its answer,
// and the read-back that resolves an ambiguous failure before anything is sent again.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ils/backend.hpp"
#include "outbox/counters.hpp"
#include "outbox/job.hpp"

namespace outbox {

/// How a failed library-system call is treated.
enum class FailureClass {
  refused,     ///< the library system said no (final): rejected, not found, invalid identifier
  transient,   ///< the change was not made (not started, the gateway's credentials refused)
  ambiguous,   ///< it may have been made (timeout, connection lost, 5xx, unreadable answer)
  impossible,  ///< it cannot be made by this library system (not supported)
};
[[nodiscard]] FailureClass classify(const ils::Failure& failure);

/// What one attempt came to.
struct AttemptResult {
  Verdict verdict = Verdict::retry;
  nlohmann::json result;  ///< when delivered: the ils result (ils_json.hpp)
  std::string reason;     ///< for refused, retry and exception; no raw identifiers
  /// For retry: what was sent may have been applied; the next attempt reads back first.
  bool unresolved = false;
  bool sent = false;  ///< the change was sent to the library system in this attempt
  std::vector<ReadBack> read_backs;
  Baseline baseline;  ///< what was read before sending (kept with the job)
};

/// Reports each library-system call an attempt makes: answered (refusals included) or not, and
/// its latency. The forwarder feeds the breaker with it.
using CallObserver = std::function<void(bool answered, std::chrono::milliseconds latency)>;
/// The pseudonym of an identifier (Outbox::pseudonym).
using Pseudonym = std::function<std::string(std::string_view)>;

class Delivery {
 public:
  /// `clock` dates the read-backs; the change itself is sent with `read_back_timeout` less
  /// than the attempt's deadline, so a read-back after an ambiguous answer still ends by it.
  Delivery(ils::Backend& backend, Pseudonym pseudonym, Counters& counters,
           CallObserver observe = {}, Clock clock = system_now,
           std::chrono::milliseconds read_back_timeout = std::chrono::seconds(3));

  /// Performs one attempt of `job`:
  /// - a job whose last outcome is unknown is read back first (applied: delivered without a
  ///   call; not applied: sent; read-back failed: retry, still unresolved);
  /// - a replayed check-out or check-in older than the item's current loan is an exception;
  /// - `mark_in_flight(job)` runs just before the change is sent, with the baseline read for
  ///   the read-back; it makes the job durably in flight and returns false when it cannot (the
  ///   attempt then ends as a retry, nothing sent);
  /// - an ambiguous answer is read back at once; a refusal that may be our own earlier change
  ///   (already checked out, already requested) too.
  [[nodiscard]] AttemptResult attempt(const Job& job, const ils::CallContext& ctx,
                                      const std::function<bool(const Job&)>& mark_in_flight);

  /// The attempt of a withdrawn job: a read-back only, never a send (applied: delivered; not
  /// applied: Verdict::withdrawn; unknown: retry).
  [[nodiscard]] AttemptResult read_back_only(const Job& job, const ils::CallContext& ctx);

 private:
  struct Run;
  ils::Backend& backend_;
  Pseudonym pseudonym_;
  Counters& counters_;
  CallObserver observe_;
  Clock clock_;
  std::chrono::milliseconds read_back_timeout_;
};

}  // namespace outbox
