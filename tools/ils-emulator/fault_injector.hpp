// Test-controlled faults on FOLIO paths (latency, failures, outage, lost answers) and per-path
// request counts.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ils_emulator {

/// How the answer of a request that was applied is lost.
enum class LostAnswer {
  none,         ///< answered normally
  hold,         ///< no answer: the connection is held, then closed without a byte
  bad_gateway,  ///< 502 instead of the answer (a proxy lost it)
};

/// What to do to one request before it reaches the FOLIO routes.
struct FaultPlan {
  bool outage = false;                 ///< answer 503 at once
  std::chrono::milliseconds delay{0};  ///< wait this long first
  int status = 0;                      ///< then answer this status, when non-zero
};

/// The injected faults and request counters; thread-safe.
class FaultInjector {
 public:
  /// Delays every request whose path starts with `prefix` (empty: all) by `delay`.
  void set_latency(std::chrono::milliseconds delay, std::string prefix);
  /// Fails the next `count` matching requests (-1: until reset) with `status`.
  void set_failure(int status, long long count, std::string prefix);
  /// Turns the outage (503 for every FOLIO request) on or off.
  void set_outage(bool on);
  /// Loses the answers of the next `count` requests whose path starts with `prefix` (empty: all)
  /// after they are applied; `hold` is how long a held connection is kept at most.
  void set_lost_answers(std::string prefix, long long count, LostAnswer mode,
                        std::chrono::milliseconds hold);
  /// Clears latency, failure, outage, lost answers and the counters; ends held connections.
  void reset();
  /// Counts the request and decides its fate, using up one injected failure.
  [[nodiscard]] FaultPlan plan(std::string_view path);
  /// Whether the answer of this applied request is lost, using up one lost answer (counted).
  [[nodiscard]] LostAnswer lose_answer(std::string_view path);
  /// How long a held connection is kept at most (the last set_lost_answers).
  [[nodiscard]] std::chrono::milliseconds hold_limit() const;
  /// Sleeps up to `limit`, in slices, until `done()` is true, a reset or shutdown; `done` runs
  /// without the lock.
  template <typename Done>
  void hold(std::chrono::milliseconds limit, Done done);
  /// Sleeps for `delay` unless shut down first; false when interrupted.
  bool wait(std::chrono::milliseconds delay);
  /// Wakes every waiting request (at server stop).
  void shutdown();
  /// `{"total":n,"paths":{"/users":n,...},"lost_answers":n,"lost_paths":{"/circulation/...":n}}`.
  [[nodiscard]] nlohmann::json stats() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool outage_ = false;
  std::chrono::milliseconds delay_{0};
  std::string delay_prefix_;
  int fail_status_ = 0;
  long long fail_count_ = 0;
  std::string fail_prefix_;
  long long total_ = 0;
  std::map<std::string, long long, std::less<>> counts_;
  std::string lose_prefix_;
  long long lose_count_ = 0;
  LostAnswer lose_mode_ = LostAnswer::none;
  std::chrono::milliseconds hold_limit_{60000};
  long long generation_ = 0;  ///< bumped by reset(): held connections end
  long long lost_total_ = 0;
  std::map<std::string, long long, std::less<>> lost_counts_;
};

template <typename Done>
void FaultInjector::hold(std::chrono::milliseconds limit, Done done) {
  const auto until = std::chrono::steady_clock::now() + limit;
  std::unique_lock lock(mutex_);
  const long long generation = generation_;
  while (!stopping_ && generation_ == generation && std::chrono::steady_clock::now() < until) {
    wake_.wait_until(
        lock, std::min(until, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
    lock.unlock();
    const bool finished = done();
    lock.lock();
    if (finished) return;
  }
}

}  // namespace ils_emulator
