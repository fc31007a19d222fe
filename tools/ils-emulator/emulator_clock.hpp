// The emulator's clock: wall time plus an offset tests can move (`POST /_emulator/clock`).
#pragma once

#include <atomic>
#include <chrono>

#include "iso_time.hpp"

namespace ils_emulator {

/// Wall clock plus an adjustable offset; thread-safe.
class EmulatorClock {
 public:
  /// The current emulated time.
  [[nodiscard]] TimePoint now() const {
    return std::chrono::system_clock::now() + std::chrono::seconds(offset_seconds_.load());
  }
  /// Moves the emulated time forward by `seconds` (negative moves it back).
  void advance(long long seconds) { offset_seconds_ += seconds; }
  /// Back to the wall clock.
  void reset() { offset_seconds_ = 0; }
  /// The current offset from the wall clock, in seconds.
  [[nodiscard]] long long offset_seconds() const { return offset_seconds_.load(); }

 private:
  std::atomic<long long> offset_seconds_{0};
};

}  // namespace ils_emulator
