// Parsing and formatting of SIP2 dates.
#include "sip2/timestamp.hpp"

#include <cstdio>

namespace sip2 {
namespace {

bool digits(std::string_view s, int& out) noexcept {
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool valid_zone(std::string_view z) noexcept {
  // SPEC: four blanks = local time, otherwise a zone letter in the rightmost position.
  for (std::size_t i = 0; i < 3; ++i) {
    if (z[i] != ' ') return false;
  }
  return z[3] == ' ' || (z[3] >= 'A' && z[3] <= 'Z');
}

// The letters of the military time zones: A to M (without J) are UTC+1 to UTC+12, N to Y are
// UTC-1 to UTC-12, Z is UTC. J names the observer's local time.
constexpr std::string_view kEastLetters = "ABCDEFGHIKLM";
constexpr std::string_view kWestLetters = "NOPQRSTUVWXY";

}  // namespace

std::chrono::local_seconds Timestamp::local_time() const noexcept {
  using namespace std::chrono;
  const local_days d{year_month_day{std::chrono::year{year},
                                    std::chrono::month{static_cast<unsigned>(month)},
                                    std::chrono::day{static_cast<unsigned>(day)}}};
  return d + hours{hour} + minutes{minute} + seconds{second};
}

std::optional<std::chrono::minutes> Timestamp::stated_offset() const noexcept {
  // SPEC: four blanks are local time; otherwise the zone's letter is in the rightmost position.
  const char z = zone[3];
  if (z == 'Z') return std::chrono::minutes{0};
  if (const auto i = kEastLetters.find(z); i != std::string_view::npos)
    return std::chrono::hours{static_cast<int>(i) + 1};
  if (const auto i = kWestLetters.find(z); i != std::string_view::npos)
    return -std::chrono::hours{static_cast<int>(i) + 1};
  return std::nullopt;
}

std::chrono::sys_seconds Timestamp::to_sys() const noexcept {
  return std::chrono::sys_seconds{local_time().time_since_epoch() -
                                  stated_offset().value_or(std::chrono::minutes{0})};
}

std::optional<char> zone_letter(std::chrono::minutes offset) noexcept {
  const auto h = std::chrono::duration_cast<std::chrono::hours>(offset);
  if (h != offset || h.count() < -12 || h.count() > 12) return std::nullopt;
  if (h.count() == 0) return 'Z';
  const auto n = static_cast<std::size_t>(h.count() > 0 ? h.count() : -h.count()) - 1;
  return h.count() > 0 ? kEastLetters[n] : kWestLetters[n];
}

Timestamp Timestamp::from_sys(std::chrono::sys_seconds t, bool utc_marker) noexcept {
  return from_sys(t, std::chrono::minutes{0}, utc_marker ? 'Z' : ' ');
}

Timestamp Timestamp::from_sys(std::chrono::sys_seconds t, std::chrono::minutes offset,
                              char letter) noexcept {
  using namespace std::chrono;
  t += offset;
  const auto days = floor<std::chrono::days>(t);
  const year_month_day ymd{days};
  const hh_mm_ss hms{t - days};
  Timestamp ts;
  ts.year = static_cast<int>(ymd.year());
  ts.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  ts.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  ts.hour = static_cast<int>(hms.hours().count());
  ts.minute = static_cast<int>(hms.minutes().count());
  ts.second = static_cast<int>(hms.seconds().count());
  ts.zone[3] = letter;
  return ts;
}

std::optional<Timestamp> parse_timestamp(std::string_view s) noexcept {
  if (s.size() != kDateWidth) return std::nullopt;
  if (s == "000000000000000000") return Timestamp::zero();
  Timestamp t;
  if (!digits(s.substr(0, 4), t.year) || !digits(s.substr(4, 2), t.month) ||
      !digits(s.substr(6, 2), t.day) || !valid_zone(s.substr(8, 4)) ||
      !digits(s.substr(12, 2), t.hour) || !digits(s.substr(14, 2), t.minute) ||
      !digits(s.substr(16, 2), t.second)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{t.year},
                                        std::chrono::month{static_cast<unsigned>(t.month)},
                                        std::chrono::day{static_cast<unsigned>(t.day)}};
  if (!ymd.ok() || t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
  for (std::size_t i = 0; i < 4; ++i)
    t.zone[i] = s[8 + i];
  return t;
}

std::optional<std::optional<Timestamp>> parse_optional_timestamp(std::string_view s) noexcept {
  if (s.empty() || s.find_first_not_of(' ') == std::string_view::npos) {
    return std::optional<Timestamp>{};
  }
  if (auto t = parse_timestamp(s)) return std::optional<Timestamp>{*t};
  return std::nullopt;
}

std::string format_timestamp(const Timestamp& t) {
  if (t.is_zero()) return std::string(kDateWidth, '0');
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%c%c%c%c%02d%02d%02d", t.year % 10000, t.month % 100,
                t.day % 100, t.zone[0], t.zone[1], t.zone[2], t.zone[3], t.hour % 100,
                t.minute % 100, t.second % 100);
  return std::string(buf, kDateWidth);
}

std::string format_optional_timestamp(const std::optional<Timestamp>& t) {
  return t ? format_timestamp(*t) : std::string(kDateWidth, ' ');
}

}  // namespace sip2
