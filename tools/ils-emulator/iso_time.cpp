// ISO 8601 formatting and parsing for FOLIO timestamps.
#include "iso_time.hpp"

#include <charconv>
#include <cstdio>

namespace ils_emulator {
namespace {

using namespace std::chrono;

struct Parts {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
};

Parts split(TimePoint t) {
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  return Parts{int(ymd.year()),
               unsigned(ymd.month()),
               unsigned(ymd.day()),
               unsigned(hms.hours().count()),
               unsigned(hms.minutes().count()),
               unsigned(hms.seconds().count()),
               unsigned(hms.subseconds().count())};
}

/// Reads exactly `width` digits at `pos`; advances `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t width, int& out) {
  if (pos + width > s.size()) return false;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const auto* first = s.data() + pos;
  const auto [end, ec] = std::from_chars(first, first + width, out);
  if (ec != std::errc{} || end != first + width) return false;
  pos += width;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

/// Parses `Z`, `±HH:MM` or `±HHMM` at `pos` into an offset east of UTC.
std::optional<minutes> parse_zone(std::string_view s, std::size_t& pos) {
  if (pos == s.size()) return minutes{0};
  if (s[pos] == 'Z') return ++pos, minutes{0};
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  const int sign = s[pos++] == '-' ? -1 : 1;
  int hh = 0, mm = 0;
  if (!read_digits(s, pos, 2, hh)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (!read_digits(s, pos, 2, mm)) return std::nullopt;
  return minutes{sign * (hh * 60 + mm)};
}

}  // namespace

std::string format_folio_time(TimePoint t) {
  const Parts p = split(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%03u+00:00", p.year, p.month, p.day,
                p.hour, p.minute, p.second, p.millis);
  return buf;
}

std::string format_zulu_time(TimePoint t) {
  const Parts p = split(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02uZ", p.year, p.month, p.day, p.hour,
                p.minute, p.second);
  return buf;
}

std::optional<TimePoint> parse_iso_time(std::string_view s) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_digits(s, pos, 4, y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, d)) {
    return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok()) return std::nullopt;
  if (pos < s.size() && s[pos] == 'T') {
    ++pos;
    if (!read_digits(s, pos, 2, h) || !expect(s, pos, ':') || !read_digits(s, pos, 2, mi)) {
      return std::nullopt;
    }
    if (pos < s.size() && s[pos] == ':' && !(++pos, read_digits(s, pos, 2, sec))) {
      return std::nullopt;
    }
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const std::size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')
        ++pos;
      if (pos == start) return std::nullopt;
      const std::string frac = std::string(s.substr(start, pos - start)) + "00";
      ms = std::stoi(frac.substr(0, 3));
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  const auto zone = parse_zone(s, pos);
  if (!zone || pos != s.size()) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms} - *zone;
}

}  // namespace ils_emulator
