// The command line of `sip2-client send`, `shell` and `replay`: options and their checks.
#include "client_options.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>

namespace sip2_client {
namespace {

using Result = tl::expected<void, std::string>;

Result fail(std::string why) {
  return tl::unexpected(std::move(why));
}

tl::expected<double, std::string> parse_seconds(std::string_view name, std::string_view v,
                                                bool zero_allowed) {
  double seconds = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || end != v.data() + v.size() || seconds < 0 ||
      (!zero_allowed && seconds == 0) || seconds > 86400)
    return tl::unexpected(std::string(name) + ": a number of seconds" +
                          (zero_allowed ? "" : " above 0") + ", not '" + std::string(v) + "'");
  return seconds;
}

/// Options without a value; false when `name` is not one.
bool apply_flag(std::string_view name, ClientOptions& o) {
  if (name == "--tls") return o.connect.tls = true;
  if (name == "--insecure") return o.connect.insecure = true;
  if (name == "--error-detection") return o.error_detection = true, true;
  if (name == "--no-error-detection") return o.error_detection = false, true;
  if (name == "--lenient") return o.mode = sip2::Mode::lenient, true;
  if (name == "--json") return o.json = true;
  if (name == "--show-wire") return o.show_wire = true;
  if (name == "--no-color") return o.no_color = true;
  if (name == "--shift-dates") return o.shift_dates = true;
  if (name == "--help" || name == "-h") return o.help = true;
  return false;
}

bool takes_value(std::string_view name) {
  for (const auto n :
       {"--host",           "--port",          "--ca",       "--server-name", "--timeout",
        "--login",          "--password-file", "--location", "--institution", "--charset",
        "--terminator",     "--patron",        "--pin-file", "--profile",     "--profiles-dir",
        "--checksum-basis", "--keepalive",     "--script",   "--record",      "--history",
        "--ignore"})
    if (name == n) return true;
  return false;
}

Result apply_port(std::string_view v, ClientOptions& o) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
  if (ec != std::errc() || end != v.data() + v.size() || port == 0 || port > 65535)
    return fail("--port: a number from 1 to 65535, not '" + std::string(v) + "'");
  o.connect.port = static_cast<std::uint16_t>(port);
  return {};
}

Result apply_wire_value(std::string_view name, std::string_view v, ClientOptions& o) {
  if (name == "--charset") {
    const auto cs = sip2::parse_charset(v);
    if (!cs) return fail("--charset: one of ascii, ibm850, iso-8859-1, utf-8");
    o.charset = *cs;
  } else if (name == "--terminator") {
    if (v != "cr" && v != "crlf" && v != "lf") return fail("--terminator: cr, crlf or lf");
    o.terminator = v == "cr" ? "\r" : v == "crlf" ? "\r\n" : "\n";
  } else {
    if (v != "bytes" && v != "code-points") return fail("--checksum-basis: bytes or code-points");
    o.checksum_basis = v == "bytes" ? sip2::ChecksumBasis::bytes : sip2::ChecksumBasis::code_points;
  }
  return {};
}

Result apply_value(std::string_view name, std::string_view v, ClientOptions& o) {
  const std::string s(v);
  if (name == "--port") return apply_port(v, o);
  if (name == "--charset" || name == "--terminator" || name == "--checksum-basis")
    return apply_wire_value(name, v, o);
  if (name == "--timeout" || name == "--keepalive") {
    const auto t = parse_seconds(name, v, name == "--keepalive");
    if (!t) return fail(t.error());
    if (name == "--timeout")
      o.timeout = std::chrono::milliseconds(std::llround(*t * 1000));
    else
      o.keepalive = std::chrono::seconds(std::llround(*t));
    return {};
  }
  if (name == "--ignore") {
    o.ignore.push_back(s);
    return {};
  }
  const std::pair<std::string_view, std::optional<std::string>*> text_options[] = {
      {"--login", &o.login_user},  {"--password-file", &o.password_file},
      {"--location", &o.location}, {"--institution", &o.institution},
      {"--patron", &o.patron},     {"--pin-file", &o.pin_file},
      {"--profile", &o.profile},   {"--profiles-dir", &o.profiles_dir},
      {"--script", &o.script},     {"--record", &o.record},
      {"--history", &o.history}};
  for (const auto& [option, target] : text_options) {
    if (name == option) {
      *target = s;
      return {};
    }
  }
  if (name == "--host") o.connect.host = s;
  if (name == "--ca") o.connect.ca_file = s;
  if (name == "--server-name") o.connect.server_name = s;
  return {};
}

Result check_purpose(const ClientOptions& o, Purpose purpose) {
  switch (purpose) {
    case Purpose::send:
      if (o.messages.empty() && !o.login_user)
        return fail("nothing to send: give a MESSAGE or --login");
      for (const auto& m : o.messages) {
        if (m.size() < 2) return fail("message '" + m + "': too short for a command");
        if (m.find_first_of("\r\n") != std::string::npos)
          return fail("message '" + m.substr(0, 2) + "...': contains CR or LF");
      }
      break;
    case Purpose::shell:
      if (!o.messages.empty())
        return fail("unexpected argument '" + o.messages.front() +
                    "' (a script file goes after --script)");
      break;
    case Purpose::replay:
      if (o.messages.size() != 1) return fail("give exactly one TRACE file");
      break;
  }
  return {};
}

/// Cross-option checks, then the values derived from the options.
Result finish(ClientOptions& o, Purpose purpose) {
  if (o.connect.port == 0) return fail("--port is required");
  if (o.shift_dates && purpose != Purpose::replay) return fail("--shift-dates is for replay");
  if (!o.connect.tls && (o.connect.insecure || !o.connect.ca_file.empty()))
    return fail("--ca and --insecure need --tls");
  if (o.connect.insecure && !o.connect.ca_file.empty())
    return fail("--ca and --insecure exclude each other");
  if (o.password_file && !o.login_user && purpose != Purpose::replay)
    return fail("--password-file needs --login");
  if (auto r = check_purpose(o, purpose); !r) return r;
  o.connect.connect_timeout = o.connect.read_timeout = o.connect.write_timeout = o.timeout;
  return {};
}

}  // namespace

tl::expected<ClientOptions, std::string> parse_client_options(
    std::span<const std::string_view> args, Purpose purpose) {
  ClientOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view name = args[i];
    std::optional<std::string_view> inline_value;
    if (const auto eq = name.find('='); name.starts_with("--") && eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "--password" || name == "--pin")
      return tl::unexpected(std::string(name) +
                            ": a password is never taken on the command line; use "
                            "--password-file FILE or the SIP2_PASSWORD environment variable");
    if (!inline_value && apply_flag(name, o)) continue;
    if (takes_value(name)) {
      if (!inline_value && i + 1 >= args.size())
        return tl::unexpected(std::string(name) + ": needs a value");
      if (auto r = apply_value(name, inline_value ? *inline_value : args[++i], o); !r)
        return tl::unexpected(r.error());
    } else if (name.starts_with("-") && name.size() > 1) {
      return tl::unexpected("unknown option " + std::string(name));
    } else {
      o.messages.emplace_back(args[i]);
    }
  }
  if (o.help) return o;
  if (auto r = finish(o, purpose); !r) return tl::unexpected(r.error());
  return o;
}

tl::expected<std::string, std::string> read_secret_file(const std::string& path,
                                                        std::string_view option) {
  std::ifstream f(path, std::ios::binary);
  std::string line;
  if (!f || !std::getline(f, line))
    return tl::unexpected(std::string(option) + ": cannot read '" + path + "'");
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.pop_back();
  return line;
}

tl::expected<std::string, std::string> read_password(const ClientOptions& o) {
  if (o.password_file) return read_secret_file(*o.password_file, "--password-file");
  if (const char* env = std::getenv("SIP2_PASSWORD")) return std::string(env);
  return tl::unexpected(
      std::string("--login needs a password: --password-file FILE or SIP2_PASSWORD"));
}

}  // namespace sip2_client
