// SIP2 dates: YYYYMMDDZZZZHHMMSS, with blank and all-zero forms.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sip2 {

/// Width of every fixed-format SIP2 date.
inline constexpr std::size_t kDateWidth = 18;

/// A SIP2 date-time as written on the wire; `zone` is four blanks (local) or e.g. "   Z" (UTC).
struct Timestamp {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::array<char, 4> zone{' ', ' ', ' ', ' '};
  bool operator==(const Timestamp&) const = default;

  /// True for the 98 "date/time sync not supported" value (eighteen zeros).
  bool is_zero() const noexcept { return year == 0 && month == 0 && day == 0; }
  /// The wall-clock reading, whatever zone it is in.
  std::chrono::local_seconds local_time() const noexcept;
  /// The UTC offset the zone field names: 0 for Z, whole hours for the other letters; nullopt
  /// for local time (four blanks, or J), whose offset only the reader's time zone knows.
  std::optional<std::chrono::minutes> stated_offset() const noexcept;
  /// The instant, reading local time as UTC; a reader that knows its zone uses local_time().
  std::chrono::sys_seconds to_sys() const noexcept;
  /// The wall clock of UTC at `t`, zone "   Z" or (utc_marker false) four blanks.
  static Timestamp from_sys(std::chrono::sys_seconds t, bool utc_marker = false) noexcept;
  /// The wall clock `offset` ahead of UTC at `t`, with `letter` in the zone field (a blank
  /// for local time).
  static Timestamp from_sys(std::chrono::sys_seconds t, std::chrono::minutes offset,
                            char letter) noexcept;
  static Timestamp zero() noexcept { return {}; }
};

/// The zone letter of a UTC offset of whole hours from -12 to +12 ('Z' for 0); nullopt otherwise.
std::optional<char> zone_letter(std::chrono::minutes offset) noexcept;

/// Parses 18 characters; all-zero is accepted, blanks are not (see `parse_optional_timestamp`).
std::optional<Timestamp> parse_timestamp(std::string_view s) noexcept;
/// Like parse_timestamp, but 18 blanks (or an empty string) read as "no date".
std::optional<std::optional<Timestamp>> parse_optional_timestamp(std::string_view s) noexcept;
/// Exactly 18 characters.
std::string format_timestamp(const Timestamp& t);
/// 18 blanks for "no date".
std::string format_optional_timestamp(const std::optional<Timestamp>& t);

}  // namespace sip2
