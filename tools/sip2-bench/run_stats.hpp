// What one io thread counted: latencies per kind, errors, refusals, open-loop lateness.
#pragma once

#include <array>
#include <cstdint>

#include "latency_histogram.hpp"
#include "reply_check.hpp"
#include "workload.hpp"

namespace bench {

struct KindStats {
  LatencyHistogram latency;  ///< measured-window replies of this kind
  std::array<std::uint64_t, kRefusalCount> refusals{};
};

/// Counters of one worker; merged after the run. Latencies and refusals cover the measured
/// window; errors and reconnects cover the whole run (ramp-up included).
struct RunStats {
  LatencyHistogram overall;
  std::array<KindStats, kKindCount> kinds;
  std::array<std::uint64_t, kErrorKindCount> errors{};
  std::uint64_t late = 0;     ///< open loop: sends made after their slot because a reply was late
  std::uint64_t skipped = 0;  ///< open loop: slots dropped when a connection fell a timeout behind
  std::uint64_t reconnects = 0;
  std::uint64_t gave_up = 0;  ///< connections that stopped for good

  void merge(const RunStats& other);
  [[nodiscard]] std::uint64_t error_total() const noexcept;
  [[nodiscard]] std::uint64_t refusal_total() const noexcept;
};

}  // namespace bench
