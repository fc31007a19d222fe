// The command line of `sip2-client send`: options, checks and usage text.
#include "send_options.hpp"

#include <charconv>
#include <cmath>

namespace sip2_client {

const std::string_view kSendUsage = R"(usage: sip2-client send --port P [OPTIONS] MESSAGE...

Connects to a SIP2 server, sends each MESSAGE in order, and prints each response.
A MESSAGE is a raw SIP2 message without terminator and without AY/AZ, for example
  '9900302.00'   or   '2300020261123    101500AOMAIN|AA1234|'
Inside a MESSAGE, {now} becomes the current SIP date (YYYYMMDD    HHMMSS, local time),
{institution} the --institution value and {location} the --location value.

connection:
  --host H              server name or address (default 127.0.0.1)
  --port P              server port (required)
  --tls                 TLS 1.2; the server certificate and name are verified against the
                        system's CA certificates unless --ca or --insecure is given
  --ca FILE             trust the PEM certificates in FILE: a CA, or the server's own
                        self-signed certificate
  --insecure            TLS without verifying the server at all (explicit; tests only)
  --server-name NAME    name to verify in the certificate and send as SNI (default: --host)
  --timeout SECONDS     limit for connecting and for each response (default 10)
session:
  --login USER          send a 93 login first (CN USER, CO password, CP --location);
                        a refused login (940) ends with exit status 3
  --password-file FILE  read the login password from the first line of FILE; without it
                        the password comes from the SIP2_PASSWORD environment variable.
                        A password is never taken on the command line, and never printed.
  --location CP         location code sent with the login
  --institution AO      institution id, for {institution}
wire:
  --error-detection     append AY (sequence 0-9, wrapping) and AZ (checksum) to every message
  --charset NAME        ascii, ibm850 (default, the spec's), iso-8859-1 or utf-8
  --terminator T        cr (default), crlf or lf
  --lenient             decode responses leniently (a bad checksum is shown, not fatal)
output:
  --json                one JSON object per response, as `sip2-client decode` prints it,
                        plus "rtt_ms"
  --show-wire           also print the bytes sent and received, passwords masked
                        (on stderr with --json)
  --no-color            no colours (they are off anyway when stdout is not a terminal,
                        or NO_COLOR is set)

exit status:
  0  every message got a response that decoded
  1  a response did not decode, or none came in time
  2  usage error
  3  login refused
  4  cannot connect (refused, timed out, TLS verification failed, ...)
)";

namespace {

using Result = tl::expected<void, std::string>;

tl::expected<std::chrono::milliseconds, std::string> parse_seconds(std::string_view v) {
  double seconds = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || end != v.data() + v.size() || !(seconds > 0) || seconds > 86400)
    return tl::unexpected("--timeout: a number of seconds above 0, not '" + std::string(v) + "'");
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

/// Options without a value; false when `name` is not one.
bool apply_flag(std::string_view name, SendOptions& o) {
  if (name == "--tls") return o.connect.tls = true;
  if (name == "--insecure") return o.connect.insecure = true;
  if (name == "--error-detection") return o.error_detection = true;
  if (name == "--lenient") return o.mode = sip2::Mode::lenient, true;
  if (name == "--json") return o.json = true;
  if (name == "--show-wire") return o.show_wire = true;
  if (name == "--no-color") return o.no_color = true;
  if (name == "--help" || name == "-h") return o.help = true;
  return false;
}

bool takes_value(std::string_view name) {
  for (const auto n :
       {"--host", "--port", "--ca", "--server-name", "--timeout", "--login", "--password-file",
        "--location", "--institution", "--charset", "--terminator"})
    if (name == n) return true;
  return false;
}

Result apply_value(std::string_view name, std::string_view v, SendOptions& o) {
  const std::string s(v);
  if (name == "--host") {
    o.connect.host = s;
  } else if (name == "--port") {
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), port);
    if (ec != std::errc() || end != v.data() + v.size() || port == 0 || port > 65535)
      return tl::unexpected("--port: a number from 1 to 65535, not '" + s + "'");
    o.connect.port = static_cast<std::uint16_t>(port);
  } else if (name == "--timeout") {
    const auto t = parse_seconds(v);
    if (!t) return tl::unexpected(t.error());
    o.timeout = *t;
  } else if (name == "--charset") {
    const auto cs = sip2::parse_charset(v);
    if (!cs)
      return tl::unexpected(std::string("--charset: one of ascii, ibm850, iso-8859-1, utf-8"));
    o.dialect.charset = *cs;
  } else if (name == "--terminator") {
    if (v != "cr" && v != "crlf" && v != "lf")
      return tl::unexpected(std::string("--terminator: cr, crlf or lf"));
    o.dialect.terminator = v == "cr" ? "\r" : v == "crlf" ? "\r\n" : "\n";
  } else if (name == "--ca") {
    o.connect.ca_file = s;
  } else if (name == "--server-name") {
    o.connect.server_name = s;
  } else if (name == "--login") {
    o.login_user = s;
  } else if (name == "--password-file") {
    o.password_file = s;
  } else if (name == "--location") {
    o.location = s;
  } else {
    o.institution = s;
  }
  return {};
}

/// Cross-option checks, then the values derived from the options.
Result finish(SendOptions& o) {
  if (o.connect.port == 0) return tl::unexpected(std::string("--port is required"));
  if (!o.connect.tls && (o.connect.insecure || !o.connect.ca_file.empty()))
    return tl::unexpected(std::string("--ca and --insecure need --tls"));
  if (o.connect.insecure && !o.connect.ca_file.empty())
    return tl::unexpected(std::string("--ca and --insecure exclude each other"));
  if (o.password_file && !o.login_user)
    return tl::unexpected(std::string("--password-file needs --login"));
  if (o.messages.empty() && !o.login_user)
    return tl::unexpected(std::string("nothing to send: give a MESSAGE or --login"));
  for (const auto& m : o.messages) {
    if (m.size() < 2) return tl::unexpected("message '" + m + "': too short for a command");
    if (m.find_first_of("\r\n") != std::string::npos)
      return tl::unexpected("message '" + m.substr(0, 2) + "...': contains CR or LF");
  }
  o.connect.connect_timeout = o.connect.read_timeout = o.connect.write_timeout = o.timeout;
  o.connect.framer.max_frame_length = o.dialect.max_frame_length;
  return {};
}

}  // namespace

tl::expected<SendOptions, std::string> parse_send_options(std::span<const std::string_view> args) {
  SendOptions o;
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
  if (auto r = finish(o); !r) return tl::unexpected(r.error());
  return o;
}

}  // namespace sip2_client
