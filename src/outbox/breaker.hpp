// A circuit breaker over the library system's health: closed, open or half-open from the error
// rate and latency of recent calls. The forwarder and attempt_now feed it; the handlers read
// state() to choose between online answers and store-and-forward.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>

#include "outbox/counters.hpp"
#include "outbox/options.hpp"

namespace outbox {

enum class BreakerState : std::uint8_t { closed, open, half_open };
[[nodiscard]] std::string_view name_of(BreakerState s);

using SteadyTime = std::chrono::steady_clock::time_point;
using SteadyClock = std::function<SteadyTime()>;
[[nodiscard]] SteadyTime steady_now();

/// Thread-safe.
class Breaker {
 public:
  explicit Breaker(BreakerOptions options = {}, SteadyClock clock = steady_now,
                   Counters* counters = nullptr);

  /// Open turns half-open by itself once open_for has passed.
  [[nodiscard]] BreakerState state() const;
  /// Whether calls may go now: closed or half-open (the forwarder then sends one job at a
  /// time until the probes decided), not open.
  [[nodiscard]] bool allow() const;
  /// The outcome of a library-system call: ok (an answer, a refusal included) or not (timeout,
  /// connection failure, 5xx), and how long it took (slow calls count against it too).
  void record(bool ok, std::chrono::milliseconds latency);
  /// When an open breaker lets probes through; nullopt when it is not open.
  [[nodiscard]] std::optional<SteadyTime> reopens_at() const;

 private:
  /// One slice of the sliding window.
  struct Bucket {
    std::int64_t slot = -1;  ///< window slice number (time / slice length); -1 unused
    std::uint32_t calls = 0;
    std::uint32_t failures = 0;
    std::uint32_t slow = 0;
  };
  static constexpr std::size_t bucket_count = 10;

  [[nodiscard]] BreakerState state_locked(SteadyTime now) const;
  void open_locked(SteadyTime now);
  void close_locked();
  void add_locked(SteadyTime now, bool failed, bool slow);
  [[nodiscard]] bool tripped_locked(SteadyTime now) const;

  BreakerOptions options_;
  SteadyClock clock_;
  Counters* counters_;
  mutable std::mutex mutex_;
  std::array<Bucket, bucket_count> buckets_{};
  bool open_ = false;  ///< open or half-open
  SteadyTime opened_at_{};
  std::uint32_t probes_ok_ = 0;
};

}  // namespace outbox
