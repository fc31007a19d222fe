// ISO 8601 timestamps as FOLIO writes and accepts them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ils_emulator {

using TimePoint = std::chrono::system_clock::time_point;

/// Formats as FOLIO's circulation modules do: `2024-05-01T12:00:00.000+00:00`.
[[nodiscard]] std::string format_folio_time(TimePoint t);

/// Formats as mod-login's expiry fields: `2024-05-01T12:00:00Z`.
[[nodiscard]] std::string format_zulu_time(TimePoint t);

/// Parses `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]` and `Z` or `±HH[:]MM`.
[[nodiscard]] std::optional<TimePoint> parse_iso_time(std::string_view text);

}  // namespace ils_emulator
