// Reading records in full in the background, at a bounded rate: first the refreshes that kiosks'
// visits ask for (newest first, in a bounded queue), then the records a bulk listing left
// partial (kept in id.partial, so the work resumes after a restart).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "identity/cache.hpp"
#include "identity/validator.hpp"

namespace identity {

struct CompletionOptions {
  /// Records read in full per second, visits' refreshes and partial records together (config
  /// identity.sync.complete_per_second); also the most started at once after a pause.
  double per_second = 5;
  std::size_t max_in_flight = 4;  ///< reads running at once
  /// Visits' refreshes waiting; when full, the oldest is dropped (its patron's next visit asks
  /// again).
  std::size_t queue_size = 1000;
  /// How long nothing is started after the library system could not be asked.
  std::chrono::seconds pause{30};
  /// With no partial record left, how long until they are looked for again (an import run
  /// beside the gateway leaves new ones; a sync's listing says so at once through rescan()).
  std::chrono::seconds rescan{60};
};

/// What the completion has done since start, and what waits.
struct CompletionStats {
  std::size_t queued = 0;     ///< visits' refreshes waiting
  std::size_t in_flight = 0;  ///< reads started and not yet finished
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t dropped = 0;  ///< visits' refreshes dropped from a full queue
};

class Completion {
 public:
  using SteadyClock = std::chrono::steady_clock;
  using Now = std::function<SteadyClock::time_point()>;
  /// A read, run on a worker with the library system current then.
  using Job = std::function<void(ils::Backend&)>;

  /// `wall` dates the summaries read (summary_at); `now` paces the reads (default: steady).
  Completion(Cache& cache, CompletionOptions options, obs::Metrics* metrics, Clock wall,
             Now now = {});
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  /// The validator's Background hook: a visit's refresh waits here, newest first. Any thread.
  [[nodiscard]] Background background();
  /// Called (on any thread, no lock held) when there may be work to start: a refresh queued,
  /// or a read finished.
  void on_work(std::function<void()> notify);
  /// A listing may have left new records partial: look for them again.
  void rescan();

  /// Starts the reads that the rate, the in-flight bound and a pause allow now, through `run`
  /// (which may run them at once or on a worker; a job it drops unrun counts as finished).
  /// Returns when to call again; time_point::max() while the reads in flight are at their bound
  /// (on_work says when one ends).
  /// Jobs handed to `run` must run or be dropped before this object is destroyed.
  SteadyClock::time_point run_due(const Background& run);

  [[nodiscard]] CompletionStats stats() const;

 private:
  /// The next read to start, visits first; nullopt when nothing waits. Holds mutex_.
  [[nodiscard]] std::optional<Job> next_job(SteadyClock::time_point now);
  /// When the last partial record has been read: how many were completed since the last time
  /// (logged by the caller, outside the lock). Holds mutex_.
  [[nodiscard]] std::optional<std::uint64_t> all_read();
  static void log_all_read(std::optional<std::uint64_t> completed);
  /// The next partial record after the cursor (wrapping once) not already being read.
  [[nodiscard]] std::optional<Key> next_partial();
  /// Reads one partial record's summary and completes it (on a worker); true when the library
  /// system could not be asked.
  bool complete(const Key& record_key, ils::Backend& backend);
  /// A read started by run_due ended (run, thrown or dropped).
  void landed(const std::optional<Key>& record_key, bool unreachable);
  void notify() const;
  void event(std::string_view name) const;

  Cache& cache_;
  CompletionOptions options_;
  obs::Metrics* metrics_;
  Clock wall_;
  Now now_;

  mutable std::mutex mutex_;
  std::function<void()> notify_;
  std::deque<Job> visits_;  ///< newest at the front
  double tokens_ = 0;
  SteadyClock::time_point refilled_{};
  SteadyClock::time_point paused_until_{};
  std::size_t in_flight_ = 0;
  std::set<Key> reading_;  ///< partial records being read
  Key cursor_;             ///< the last partial record handed out
  bool drained_ = false;   ///< the last scan found no partial record left to start
  /// counts_.completed when partial records last ran out (the next time is logged).
  std::uint64_t completed_when_done_ = 0;
  SteadyClock::time_point look_again_{};  ///< a scan found none: the next one not before this
  bool indexed_ = false;                  ///< id.partial is known to list every partial record
  CompletionStats counts_;
};

}  // namespace identity
