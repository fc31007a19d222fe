// One benchmark run: ramp-up, warm-up, measured window, then the merged counters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "bench_options.hpp"
#include "run_stats.hpp"

namespace bench {

/// Everything the report prints.
struct RunResult {
  RunStats stats;
  std::size_t requested = 0;
  std::size_t established = 0;  ///< up at the end of the ramp-up
  double ramp_s = 0;
  double warmup_s = 0;
  double window_s = 0;
  bool ended_by_max_messages = false;
  bool ended_by_pass = false;                   ///< --patron-choice once: every patron answered
  std::uint64_t pass_answered = 0;              ///< --patron-choice once: requests answered or lost
  std::optional<std::uint64_t> rss_start_kib;   ///< before connecting
  std::optional<std::uint64_t> rss_ramped_kib;  ///< with every session up
  std::optional<std::uint64_t> rss_end_kib;     ///< after the window, sessions still up
};

/// Runs the load against `options.host:port`; fails only when the run cannot start.
[[nodiscard]] tl::expected<RunResult, std::string> run_load(const BenchOptions& options);

}  // namespace bench
