// Test-controlled faults on FOLIO paths (latency, failures, outage) and per-path request counts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ils_emulator {

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
  /// Clears latency, failure, outage and the counters.
  void reset();
  /// Counts the request and decides its fate, using up one injected failure.
  [[nodiscard]] FaultPlan plan(std::string_view path);
  /// Sleeps for `delay` unless shut down first; false when interrupted.
  bool wait(std::chrono::milliseconds delay);
  /// Wakes every waiting request (at server stop).
  void shutdown();
  /// `{"total":n,"paths":{"/users":n,...}}`.
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
};

}  // namespace ils_emulator
