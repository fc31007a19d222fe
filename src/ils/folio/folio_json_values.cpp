// FOLIO scalar values: ISO timestamps, decimal money, safe member access, error bodies.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "ils/folio/folio_json.hpp"
#include "ils/http_util.hpp"

namespace ils::folio {
namespace {

bool read_int(std::string_view& s, std::size_t width, int& out) {
  if (s.size() < width) return false;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + width, out);
  if (ec != std::errc{} || ptr != s.data() + width) return false;
  s.remove_prefix(width);
  return true;
}

bool skip(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

bool read_offset(std::string_view s, std::chrono::minutes& offset) {
  if (s.empty() || s == "Z" || s == "z") return true;
  const char sign = s.front();
  if (sign != '+' && sign != '-') return false;
  s.remove_prefix(1);
  int hours = 0;
  int minutes = 0;
  if (!read_int(s, 2, hours)) return false;
  skip(s, ':');
  if (!s.empty() && !read_int(s, 2, minutes)) return false;
  if (!s.empty()) return false;
  offset = std::chrono::minutes(hours * 60 + minutes) * (sign == '-' ? -1 : 1);
  return true;
}

}  // namespace

Timestamp now_utc() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::optional<Timestamp> parse_timestamp(std::string_view iso) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::string_view s = trim(iso);
  if (!read_int(s, 4, y) || !skip(s, '-') || !read_int(s, 2, mo) || !skip(s, '-') ||
      !read_int(s, 2, d))
    return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  minutes offset{0};
  if (!s.empty()) {
    if (!skip(s, 'T') && !skip(s, ' ')) return std::nullopt;
    if (!read_int(s, 2, h) || !skip(s, ':') || !read_int(s, 2, mi)) return std::nullopt;
    if (skip(s, ':') && !read_int(s, 2, sec)) return std::nullopt;
    if (skip(s, '.') || skip(s, ','))
      while (!s.empty() && s.front() >= '0' && s.front() <= '9')
        s.remove_prefix(1);
    if (h > 23 || mi > 59 || sec > 60 || !read_offset(s, offset)) return std::nullopt;
  }
  return sys_days{date} + hours{h} + minutes{mi} + seconds{sec} - offset;
}

std::string format_timestamp(Timestamp t) {
  using namespace std::chrono;
  const auto days = floor<std::chrono::days>(t);
  const year_month_day date{days};
  const hh_mm_ss time{t - days};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.000Z",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()));
  return buffer;
}

std::optional<Cents> to_cents(const Json& value) {
  double amount = 0;
  if (value.is_number()) {
    amount = value.get<double>();
  } else if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    char* end = nullptr;
    amount = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(amount)) return std::nullopt;
  return static_cast<Cents>(std::llround(amount * 100.0));
}

std::string format_amount(Cents cents) {
  const Cents whole = cents / 100;
  const Cents part = (cents < 0 ? -cents : cents) % 100;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%lld.%02lld", cents < 0 && whole == 0 ? "-" : "",
                static_cast<long long>(whole), static_cast<long long>(part));
  return buffer;
}

std::string text(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::string text(const Json& object, const char* a, const char* b) {
  if (!object.is_object()) return {};
  const auto it = object.find(a);
  return it == object.end() ? std::string{} : text(*it, b);
}

bool flag(const Json& object, const char* key, bool fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

const Json& array(const Json& object, const char* key) {
  static const Json empty = Json::array();
  if (!object.is_object()) return empty;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

Reason refusal_reason(std::string_view body) {
  const Json json = Json::parse(body, nullptr, false);
  for (const auto& error : array(json, "errors")) {
    const std::string code = text(error, "code");
    const std::string message = text(error, "message");
    if (code == "ITEM_ALREADY_REQUESTED" || code == "INSTANCE_ALREADY_REQUESTED" ||
        code == "ITEM_OF_THIS_INSTANCE_ALREADY_REQUESTED")
      return Reason::already_requested;
    // mod-circulation's AlreadyCheckedOutValidator sends this message with no code; the item
    // status validator says "... has the item status Checked out and cannot be checked out".
    if (code == "ITEM_HAS_OPEN_LOAN" || code == "ITEM_ALREADY_CHECKED_OUT" ||
        message == "Item is already checked out" ||
        message.find("has the item status Checked out ") != std::string::npos)
      return Reason::already_checked_out;
  }
  return Reason::unspecified;
}

std::string error_message(std::string_view body) {
  const Json json = Json::parse(body, nullptr, false);
  if (json.is_object()) {
    std::string joined;
    for (const auto& error : array(json, "errors")) {
      const std::string message = text(error, "message");
      if (message.empty()) continue;
      if (!joined.empty()) joined += "; ";
      joined += message;
    }
    if (joined.empty()) joined = text(json, "errorMessage");
    return joined;
  }
  const std::string_view plain = trim(body);
  if (plain.starts_with('<') || plain.starts_with('{') || plain.starts_with('[')) return {};
  return std::string(plain.substr(0, 200));
}

}  // namespace ils::folio
