// Process facts the benchmark needs: another process's resident memory, our file limit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <tl/expected.hpp>

namespace bench {

/// VmRSS of `pid` in KiB from /proc/PID/status, or nullopt when unreadable.
[[nodiscard]] std::optional<std::uint64_t> read_rss_kib(int pid);

/// Raises RLIMIT_NOFILE's soft limit to the hard limit, and the hard limit too when `needed`
/// exceeds it and we may; fails with an explanation when `needed` descriptors stay out of reach.
[[nodiscard]] tl::expected<std::uint64_t, std::string> raise_file_limit(std::uint64_t needed);

}  // namespace bench
