// Human rendering of SIP2 messages for a terminal: fields by name, flags and codes spelled out.
#include "pretty.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "secret_mask.hpp"
#include "sip2/command.hpp"
#include "sip2/timestamp.hpp"
#include "value_names.hpp"

namespace sip2_client {
namespace {

constexpr std::string_view kBold = "1";
constexpr std::string_view kDim = "2";
constexpr std::string_view kRed = "31";
constexpr std::string_view kGreen = "32";
constexpr std::string_view kYellow = "33";
constexpr std::string_view kCyan = "36";

/// Wraps text in an ANSI colour when colours are on.
struct Paint {
  bool on;
  std::string operator()(std::string_view sgr, std::string_view text) const {
    if (!on) return std::string(text);
    return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
  }
};

/// "acs_renewal_policy" → "ACS renewal policy".
std::string words(std::string_view snake) {
  std::string out;
  for (std::size_t start = 0; start <= snake.size();) {
    std::size_t end = snake.find('_', start);
    if (end == std::string_view::npos) end = snake.size();
    const auto word = snake.substr(start, end - start);
    if (!out.empty()) out += ' ';
    out += word == "sc" ? "SC" : word == "acs" ? "ACS" : std::string(word);
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string_view>& names, std::string_view none) {
  if (names.empty()) return std::string(none);
  std::string out;
  for (const auto n : names)
    out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

/// "code (name)", or the code alone when it has no name.
std::string with_name(std::string_view code, std::string_view name) {
  return name.empty() ? std::string(code) : std::string(code) + " (" + std::string(name) + ")";
}

/// A SIP2 date as "2026-11-23 10:15:00" (" UTC" for a Z zone); raw text when it does not parse.
std::string date(std::string_view raw) {
  if (raw.find_first_not_of(' ') == std::string_view::npos) return "(none)";
  const auto t = sip2::parse_timestamp(raw);
  if (!t) return std::string(raw);
  if (t->is_zero()) return "(not supported)";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", t->year, t->month, t->day,
                t->hour, t->minute, t->second);
  const std::string_view zone(t->zone.data(), t->zone.size());
  if (zone == "    ") return buf;
  if (zone == "   Z") return std::string(buf) + " UTC";
  return std::string(buf) + " zone '" + std::string(zone) + "'";
}

/// Quotes values whose blanks would otherwise be invisible.
std::string quoted_if_blank(std::string_view v) {
  if (!v.empty() && v.front() != ' ' && v.back() != ' ') return std::string(v);
  return "'" + std::string(v) + "'";
}

std::string yes_no(std::string_view v) {
  if (v == "Y" || v == "1") return "yes";
  if (v == "N" || v == "0") return "no";
  if (v == "U") return "unknown";
  return quoted_if_blank(v);
}

std::string fixed_value(const sip2::FixedSpec& spec, std::string_view v, const Paint& paint) {
  using K = sip2::FixedKind;
  switch (spec.kind) {
    case K::yes_no:
    case K::yes_no_unknown:
      return yes_no(v);
    case K::one_zero:
      return paint(v == "1" ? kGreen : kRed, yes_no(v));
    case K::date:
    case K::date_or_blank:
    case K::date_or_zeros:
      return date(v);
    case K::patron_status: {
      const auto set = patron_status_names(v);
      return set.empty() ? "none" : paint(kRed, join(set, ""));
    }
    case K::summary:
      return join(summary_names(v), "none (counts only)");
    case K::status_code:
      return with_name(v, status_code_name(v));
    case K::hold_mode:
      return with_name(v, hold_mode_name(v));
    default:
      break;
  }
  const auto n = spec.name;
  if (n == "circulation_status") return with_name(v, circulation_status_name(v));
  if (n == "security_marker") return with_name(v, security_marker_name(v));
  if (n == "fee_type") return with_name(v, fee_type_name(v));
  if (n == "payment_type") return with_name(v, payment_type_name(v));
  if (n == "language") return with_name(v, language_name(v));
  if ((n == "timeout_period" || n == "retries_allowed") && v == "999")
    return with_name(v, "unknown");
  if (n == "timeout_period" && !v.empty() &&
      v.find_first_not_of("0123456789") == std::string_view::npos) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s",
                  std::strtol(std::string(v).c_str(), nullptr, 10) / 10.0);
    return with_name(v, seconds);
  }
  return quoted_if_blank(v);
}

std::string field_value(const sip2::Field& f, const sip2::FieldInfo* info, const Paint& paint) {
  namespace fc = sip2::field;
  if (is_secret(f.code)) return std::string(kMask);
  const auto& v = f.value;
  if (f.code == fc::supported_messages) {
    const auto names = supported_message_names(v);
    return v + "  (supported: " + join(names.supported, "none") +
           (names.unsupported.empty() ? "" : "; not: " + join(names.unsupported, "")) + ")";
  }
  if (f.code == fc::screen_message || f.code == fc::print_line) return paint(kYellow, v);
  if (f.code == fc::alert_type) return with_name(v, alert_type_name(v));
  if (f.code == fc::fee_type) return with_name(v, fee_type_name(v));
  if (f.code == fc::media_type) return with_name(v, media_type_name(v));
  if (f.code == fc::hold_type) return with_name(v, hold_type_name(v));
  if (f.code == fc::due_date && sip2::parse_timestamp(v)) return date(v);
  if (info == nullptr) return v;
  if (info->format == sip2::FieldFormat::date) return date(v);
  if (info->format == sip2::FieldFormat::flag) {
    const bool valid_flag = f.code == fc::valid_patron || f.code == fc::valid_patron_password;
    return valid_flag ? paint(v == "Y" ? kGreen : kRed, yes_no(v)) : yes_no(v);
  }
  return v;
}

}  // namespace

bool color_wanted(bool no_color_flag) {
  if (no_color_flag || std::getenv("NO_COLOR") != nullptr) return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

std::string render_fields(const sip2::Message& m, const PrettyOptions& options) {
  const Paint paint{options.color};
  std::string out;
  if (const auto* spec = m.spec()) {
    for (std::size_t i = 0; i < spec->fixed.size() && i < m.fixed.size(); ++i) {
      out += "   " + paint(kDim, words(spec->fixed[i].name) + ":") + " " +
             fixed_value(spec->fixed[i], m.fixed[i], paint) + "\n";
    }
  }
  for (const auto& f : m.fields) {
    const auto* info = sip2::find_field(f.code);
    const std::string name = info != nullptr ? words(info->name) : "(unknown field)";
    out += "   " + paint(kCyan, f.code.view()) + " " + paint(kDim, name + ":") + " " +
           field_value(f, info, paint) + "\n";
  }
  if (m.sequence)
    out += "   " + paint(kCyan, "AY") + " sequence: " + std::to_string(*m.sequence) + "\n";
  if (m.checksum) {
    const bool ok = m.checksum_valid.value_or(false);
    out += "   " + paint(kCyan, "AZ") + " checksum: " + *m.checksum + " " +
           paint(ok ? kGreen : kRed, ok ? "(valid)" : "(INVALID)") + "\n";
  }
  return out;
}

std::string render_request(std::string_view command, const PrettyOptions& options) {
  const Paint paint{options.color};
  const auto* spec = sip2::find_command(command);
  return paint(kBold, ">> " + std::string(command) + " " +
                          (spec != nullptr ? words(spec->name) : "(unknown command)")) +
         "\n";
}

std::string render_response(const sip2::Message& m, std::chrono::nanoseconds rtt,
                            const PrettyOptions& options) {
  const Paint paint{options.color};
  const auto* spec = m.spec();
  const std::string name = spec != nullptr ? words(spec->name) : "(unknown command)";
  return paint(kBold, "<< " + m.command + " " + name) + "  " + paint(kDim, format_rtt(rtt)) + "\n" +
         render_fields(m, options);
}

std::string render_note(std::string_view text, const PrettyOptions& options) {
  return Paint{options.color}(kDim, "== " + std::string(text)) + "\n";
}

std::string render_problem(std::string_view text, const PrettyOptions& options) {
  return Paint{options.color}(kRed, "!! " + std::string(text)) + "\n";
}

std::string render_wire(std::string_view label, std::string_view bytes,
                        const PrettyOptions& options) {
  std::string shown;
  for (const char c : bytes) {
    if (c == '\r') {
      shown += "\\r";
    } else if (c == '\n') {
      shown += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(c));
      shown += buf;
    } else {
      shown += c;
    }
  }
  return "   " + Paint{options.color}(kDim, std::string(label)) + " " + shown + "\n";
}

std::string format_rtt(std::chrono::nanoseconds rtt) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(rtt.count()) / 1e6);
  return buf;
}

}  // namespace sip2_client
