// The forwarder: delivers due jobs in order per item and per patron on its own threads, with
// exponential backoff and full jitter, moving what cannot succeed to the exceptions queue; and
// the handler's first attempt of a job (online mode) on the calling thread, by the same path.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "ils/backend.hpp"
#include "outbox/breaker.hpp"
#include "outbox/delivery.hpp"
#include "outbox/outbox.hpp"

namespace outbox {

/// Uniform in [0, 1): the jitter of the backoff (injectable for tests).
using Rng = std::function<double()>;

/// The delay before the next attempt after `attempts` attempts: rng() × min(cap, base ×
/// 2^(attempts-1)).
[[nodiscard]] std::chrono::milliseconds backoff_delay(const Backoff& b, std::uint32_t attempts,
                                                      double jitter);

class Forwarder {
 public:
  /// `rng` empty: a seeded std::mt19937_64.
  Forwarder(Outbox& outbox, ils::Backend& backend, Breaker& breaker, Rng rng = {});
  /// Stops the threads (an attempt in progress finishes first).
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  /// Recovers the jobs a crash left in flight (read back before anything is sent again), then
  /// starts options().forwarder_threads threads. The number of jobs recovered.
  [[nodiscard]] Result<std::size_t> start();
  void stop();
  /// Wakes the threads (a job retried by staff, a test's clock moved).
  void wake();
  /// Called with each job an attempt settled, as journalled (or as meant to be, when the
  /// journal could not be written), on the thread that made the attempt. Set before start().
  using SettledObserver = std::function<void(const Job&)>;
  void on_settled(SettledObserver observer) { settled_ = std::move(observer); }

  /// Attempts every job due now, on the calling thread (tests; a drain command), while the
  /// breaker allows; the number of attempts made.
  std::size_t run_due();

  /// The handler's attempt of a job it just submitted (online mode), on the calling thread, by
  /// the same path as the forwarder's, journalled before it returns. A final job is returned as
  /// it is; while an earlier job of the same item or patron is unfinished, or the forwarder is
  /// attempting this one, it waits (until ctx.deadline) instead. The job as it then stands.
  [[nodiscard]] Result<Job> attempt_now(std::uint64_t id, const ils::CallContext& ctx);

 private:
  /// Attempts and settles one claimed job (with `ctx`, or a context of the lease); false when
  /// it was not attempted (not queued, blocked, unreadable).
  bool attempt(std::uint64_t id, std::optional<ils::CallContext> ctx);
  [[nodiscard]] bool claim(std::uint64_t id);
  void release(std::uint64_t id);
  /// An exception of a job whose profile routes exceptions to the log only becomes dropped.
  [[nodiscard]] static Job route_exception(Job job);
  [[nodiscard]] Job settle(Job job, const AttemptResult& r, Time now);
  void run_thread();
  [[nodiscard]] ils::CallContext context_for(const Job& job) const;

  Outbox& outbox_;
  Breaker& breaker_;
  Delivery delivery_;
  Rng rng_;
  std::mutex rng_mutex_;
  SettledObserver settled_;

  std::mutex mutex_;
  std::condition_variable cv_;  ///< claims released, jobs changed, stop (attempt_now waits)
  /// The forwarder's own threads wait here: a change wakes one of them, and a thread that finds
  /// more due jobs than the one it takes wakes the next, so an idle forwarder costs one
  /// wake-up per new job however many threads it has.
  std::condition_variable work_cv_;
  std::set<std::uint64_t> claimed_;
  std::uint64_t wakes_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace outbox
