// Counters of the outbox for metrics (Prometheus): submissions, attempts, outcomes, read-backs
// and breaker transitions. Depth and oldest age come from Outbox::stats(), the breaker's state
// from Breaker::state().
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "outbox/job.hpp"

namespace outbox {

/// What an attempt came to, as counted.
enum class Verdict : std::uint8_t {
  delivered,  ///< applied (sent, or found applied by a read-back)
  refused,    ///< the library system said no
  retry,      ///< failed for now; queued again with backoff
  exception,  ///< cannot succeed (stale event, unsupported, unreadable, aged out)
  withdrawn,  ///< withdrawn by the handler and found not applied: dropped
};
inline constexpr std::size_t verdict_count = 5;
[[nodiscard]] std::string_view name_of(Verdict v);

/// Monotonic counters, safe to read from any thread while the outbox runs.
struct Counters {
  std::atomic<std::uint64_t> submitted{0};        ///< new jobs journalled
  std::atomic<std::uint64_t> deduplicated{0};     ///< submissions that found their key
  std::atomic<std::uint64_t> submit_failures{0};  ///< journal writes that failed (nothing acked)
  std::atomic<std::uint64_t> attempts{0};         ///< attempts started
  std::atomic<std::uint64_t> sends{0};            ///< changes sent to the library system
  std::array<std::atomic<std::uint64_t>, verdict_count> verdicts{};    ///< by Verdict
  std::array<std::atomic<std::uint64_t>, finding_count> read_backs{};  ///< by Finding
  std::atomic<std::uint64_t> stale_events{0};  ///< replays older than the item's last event
  std::atomic<std::uint64_t> dropped{0};       ///< by staff
  std::atomic<std::uint64_t> retried{0};       ///< by staff
  std::atomic<std::uint64_t> breaker_opened{0};
  std::atomic<std::uint64_t> breaker_closed{0};

  void count(Verdict v) { verdicts[static_cast<std::size_t>(v)].fetch_add(1); }
  void count(Finding f) { read_backs[static_cast<std::size_t>(f)].fetch_add(1); }
  [[nodiscard]] std::uint64_t of(Verdict v) const {
    return verdicts[static_cast<std::size_t>(v)].load();
  }
  [[nodiscard]] std::uint64_t of(Finding f) const {
    return read_backs[static_cast<std::size_t>(f)].load();
  }
};

}  // namespace outbox
