// Renders log events as text (logfmt-like) or JSON lines.
#include "obs/log_line.hpp"

#include <fmt/format.h>

#include <iterator>
#include <nlohmann/json.hpp>

namespace obs {
namespace {

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// Control characters become visible escapes so one event is always exactly one line.
void append_escaped(std::string& out, std::string_view text, bool escape_quotes) {
  for (const char c : text) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
      case '\\':
        if (escape_quotes) out += '\\';
        out += c;
        break;
      default:
        if (is_control(c)) {
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || is_control(c)) return true;
  }
  return false;
}

void append_value(std::string& out, std::string_view value) {
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  append_escaped(out, value, true);
  out += '"';
}

void append_key(std::string& out, std::string_view key) {
  if (key.empty()) out += '_';
  for (const char c : key) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '.' || c == '-';
    out += plain ? c : '_';
  }
}

std::string_view level_name(spdlog::level::level_enum level) {
  const auto name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

std::string text_line(const LogEvent& event) {
  std::string out = format_timestamp(event.time);
  out += ' ';
  out += level_name(event.level);
  if (event.conn != 0) fmt::format_to(std::back_inserter(out), " conn={}", event.conn);
  if (!event.req.empty()) {
    out += " req=";
    append_value(out, event.req);
  }
  out += ' ';
  append_escaped(out, event.msg, false);
  for (const auto& [key, value] : event.kv) {
    out += ' ';
    append_key(out, key);
    out += '=';
    append_value(out, value);
  }
  return out;
}

bool is_reserved(std::string_view key) {
  return key == "ts" || key == "level" || key == "conn" || key == "req" || key == "msg";
}

std::string json_line(const LogEvent& event) {
  nlohmann::ordered_json line;
  line["ts"] = format_timestamp(event.time);
  line["level"] = level_name(event.level);
  if (event.conn != 0) line["conn"] = event.conn;
  if (!event.req.empty()) line["req"] = event.req;
  line["msg"] = event.msg;
  for (const auto& [key, value] : event.kv) {
    // A field may not overwrite the envelope; it keeps its value under "_key".
    line[is_reserved(key) ? "_" + std::string(key) : std::string(key)] = value;
  }
  // Invalid UTF-8 (a kiosk's bytes in a message) becomes U+FFFD instead of throwing.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string format_timestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss clock{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     clock.hours().count(), clock.minutes().count(), clock.seconds().count(),
                     clock.subseconds().count());
}

std::string format_log_line(LogFormat format, const LogEvent& event) {
  return format == LogFormat::json ? json_line(event) : text_line(event);
}

}  // namespace obs
