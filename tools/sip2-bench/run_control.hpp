// The run's phase and window counters, shared by the controller and every io thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bench {

using Clock = std::chrono::steady_clock;

/// ramp: connecting and logging in; warmup: load without measuring; window: measured;
/// done: no new requests.
enum class Phase : int { ramp, warmup, window, done };

struct RunControl {
  std::atomic<Phase> phase{Phase::ramp};
  std::uint64_t max_messages = 0;
  std::atomic<std::uint64_t> window_messages{0};
  /// When --max-messages ended the window (steady clock, ns since its epoch); 0 otherwise.
  std::atomic<std::int64_t> early_end_ns{0};
  std::atomic<std::size_t> ramp_resolved{0};  ///< connections up or given up during the ramp
  std::atomic<std::size_t> ramp_established{0};
  /// --patron-choice once: patrons in the pass (0: no pass), patrons handed out so far (the
  /// connections' shared counter), and requests of the pass answered or lost with a connection.
  std::uint64_t pass_total = 0;
  std::atomic<std::uint64_t> pass_handed_out{0};
  std::atomic<std::uint64_t> pass_answered{0};

  /// True when every patron of the pass has been answered (or lost).
  [[nodiscard]] bool pass_complete() const noexcept {
    return pass_total != 0 && pass_answered.load(std::memory_order_relaxed) >= pass_total;
  }

  [[nodiscard]] Phase current() const noexcept { return phase.load(std::memory_order_relaxed); }

  /// Counts one measured reply; false when the window is not running. The reply that reaches
  /// --max-messages ends the window.
  bool count_window_reply(Clock::time_point now) noexcept {
    if (current() != Phase::window) return false;
    const auto n = window_messages.fetch_add(1, std::memory_order_relaxed) + 1;
    if (max_messages != 0 && n >= max_messages) {
      Phase expected = Phase::window;
      if (phase.compare_exchange_strong(expected, Phase::done))
        early_end_ns.store(now.time_since_epoch().count(), std::memory_order_release);
    }
    return true;
  }
};

}  // namespace bench
