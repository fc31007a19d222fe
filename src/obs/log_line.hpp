// Renders one log event as a text or JSON line; pure, so the exact output can be tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "obs/log.hpp"

namespace obs {

/// The fields of one event, borrowed from the caller for the duration of the call.
struct LogEvent {
  std::chrono::system_clock::time_point time;
  spdlog::level::level_enum level = spdlog::level::info;
  std::uint64_t conn = 0;
  std::string_view req;
  std::string_view msg;
  std::initializer_list<Kv> kv;
};

/// "2026-11-23T10:00:00.123Z": UTC, millisecond precision.
[[nodiscard]] std::string format_timestamp(std::chrono::system_clock::time_point time);

/// The line without a trailing newline; control characters are escaped in both formats.
[[nodiscard]] std::string format_log_line(LogFormat format, const LogEvent& event);

}  // namespace obs
