// What one io thread counted: latencies per kind, errors, refusals, open-loop lateness.
#include "run_stats.hpp"

namespace bench {

void RunStats::merge(const RunStats& other) {
  overall.merge(other.overall);
  for (std::size_t k = 0; k < kKindCount; ++k) {
    kinds[k].latency.merge(other.kinds[k].latency);
    for (std::size_t r = 0; r < kRefusalCount; ++r)
      kinds[k].refusals[r] += other.kinds[k].refusals[r];
  }
  for (std::size_t e = 0; e < kErrorKindCount; ++e)
    errors[e] += other.errors[e];
  late += other.late;
  skipped += other.skipped;
  reconnects += other.reconnects;
  gave_up += other.gave_up;
}

std::uint64_t RunStats::error_total() const noexcept {
  std::uint64_t n = 0;
  for (auto e : errors)
    n += e;
  return n;
}

std::uint64_t RunStats::refusal_total() const noexcept {
  std::uint64_t n = 0;
  for (const auto& k : kinds)
    for (std::size_t r = 1; r < kRefusalCount; ++r)
      n += k.refusals[r];
  return n;
}

}  // namespace bench
