// The `replay` subcommand: send a recorded trace again and compare every response.
#include "replay_command.hpp"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "client_options.hpp"
#include "exchange_printer.hpp"
#include "pin_book.hpp"
#include "request_builder.hpp"
#include "response_diff.hpp"
#include "sip2/command.hpp"
#include "sip2/timestamp.hpp"
#include "trace.hpp"

namespace sip2_client {
namespace {

enum ExitStatus : int { kSame = 0, kDifferent = 1, kUsage = 2, kCannotConnect = 4 };

int usage_error(const std::string& what) {
  std::cerr << "sip2-client replay: " << what << "\n(sip2-client replay --help shows the usage)\n";
  return kUsage;
}

/// The request with its placeholders filled in: {password} from --password-file or
/// SIP2_PASSWORD, {pin} from the PIN book.
tl::expected<std::string, std::string> fill_secrets(std::string body, const ClientOptions& o,
                                                    const PinBook& pins,
                                                    std::optional<std::string>& password) {
  std::optional<std::string> pin;
  if (body.find("{pin}") != std::string::npos) {
    sip2::Dialect utf8;
    utf8.charset = sip2::Charset::utf8;
    utf8.error_detection = sip2::ErrorDetection::off;
    const auto m = sip2::decode(body, utf8, sip2::Mode::lenient);
    const std::string* patron = m ? m->find(sip2::field::patron_identifier) : nullptr;
    pin = pins.find(patron != nullptr ? *patron : std::string());
  }
  if (!password && body.find("{password}") != std::string::npos) {
    auto p = read_password(o);
    if (!p) return tl::unexpected(p.error());
    password = std::move(*p);
  }
  const Placeholder values[] = {{"{pin}", pin}, {"{password}", password}};
  auto filled = fill_placeholders(std::move(body), values);
  if (!filled)
    return tl::unexpected(
        std::string("the trace sends a PIN: give --pin-file FILE (lines "
                    "`BARCODE PIN`, or one PIN for all) or SIP2_PIN"));
  return std::move(*filled);
}

/// The fixed dates of a request body (by its command's spec), or none for an unknown command.
std::vector<std::size_t> date_offsets(std::string_view body) {
  std::vector<std::size_t> out;
  const auto* spec = sip2::find_command(body.substr(0, 2));
  if (spec == nullptr) return out;
  std::size_t at = 2;
  for (const auto& f : spec->fixed) {
    const bool date = f.kind == sip2::FixedKind::date || f.kind == sip2::FixedKind::date_or_blank ||
                      f.kind == sip2::FixedKind::date_or_zeros;
    if (date) out.push_back(at);
    at += f.width;
  }
  return out;
}

/// --shift-dates: every fixed date of the requests moved by the time from the first recorded
/// request date to now (now read in that date's zone: local wall clock for a blank zone, UTC
/// and its stated offset otherwise), each keeping its recorded zone field.
void shift_dates(std::vector<std::string>& bodies) {
  std::optional<std::chrono::seconds> delta;
  const auto local_now = sip2::parse_timestamp(sip_now());
  const auto utc_now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (auto& body : bodies)
    for (const auto at : date_offsets(body)) {
      if (at + sip2::kDateWidth > body.size()) continue;
      auto date = sip2::parse_timestamp(std::string_view(body).substr(at, sip2::kDateWidth));
      if (!date || date->is_zero() || !local_now) continue;  // blank or zeros: no date to move
      if (!delta) {
        const auto offset = date->stated_offset();
        const auto now = offset ? std::chrono::local_seconds((utc_now + *offset).time_since_epoch())
                                : local_now->local_time();
        delta = now - date->local_time();
      }
      const auto moved = sip2::Timestamp::from_sys(
          std::chrono::sys_seconds((date->local_time() + *delta).time_since_epoch()));
      auto text = sip2::format_timestamp(moved);
      text.replace(8, 4, std::string(date->zone.data(), 4));  // the recorded zone field
      body.replace(at, sip2::kDateWidth, text);
    }
}

}  // namespace

int run_replay(std::span<const std::string_view> args) {
  auto parsed = parse_client_options(args, Purpose::replay);
  if (!parsed) return usage_error(parsed.error());
  ClientOptions& o = *parsed;
  if (o.help) {
    std::cout << usage_text(Purpose::replay);
    return kSame;
  }
  const auto trace = read_trace(o.messages.front());
  if (!trace) return usage_error(trace.error());
  o.dialect.charset = trace->header.charset;
  o.dialect.terminator = trace->header.terminator;
  o.dialect.checksum_basis = trace->header.checksum_basis;
  if (!o.error_detection) o.error_detection = trace->header.error_detection;
  if (auto r = resolve_dialect(o); !r) return usage_error(r.error());

  const auto pins = PinBook::load(o.pin_file);
  if (!pins) return usage_error(pins.error());
  std::optional<std::string> password;
  std::vector<std::string> bodies;
  for (const auto& e : trace->entries) {
    auto body = fill_secrets(e.request, o, *pins, password);
    if (!body) return usage_error(body.error());
    bodies.push_back(std::move(*body));
  }
  if (o.shift_dates) shift_dates(bodies);
  auto connection = Connection::open(o.connect);
  if (!connection) {
    std::cerr << "sip2-client: cannot connect to " << o.connect.host << ":" << o.connect.port
              << ": " << connection.error() << '\n';
    return kCannotConnect;
  }
  Exchanger exchanger(*connection, {o.dialect, o.mode, *o.error_detection, o.timeout});
  ExchangePrinter printer(
      std::cout, std::cerr,
      {o.json, o.show_wire, {color_wanted(o.no_color)}, o.dialect.charset, o.timeout});
  const PrettyOptions pretty{color_wanted(o.no_color)};
  printer.print_connected(connection->description());
  const std::set<std::string, std::less<>> ignore(o.ignore.begin(), o.ignore.end());
  sip2::Dialect recorded_dialect;
  recorded_dialect.charset = sip2::Charset::utf8;
  int differences = 0;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    const auto& entry = trace->entries[i];
    if (!o.json)
      std::cout << render_note("step " + std::to_string(i + 1) + ": " + entry.line, pretty);
    const auto x = exchanger.exchange(bodies[i]);
    printer.print(x);
    std::vector<std::string> diffs;
    if (!entry.response) {
      if (x.response) diffs.push_back("no response was recorded, one came now");
    } else if (!x.response || !*x.response) {
      diffs.push_back(x.response ? "the response did not decode" : "no response now");
    } else {
      const auto recorded = sip2::decode(*entry.response, recorded_dialect, sip2::Mode::lenient);
      if (!recorded)
        diffs.push_back("the recorded response does not decode");
      else
        diffs = diff_responses(*recorded, **x.response, ignore);
    }
    for (const auto& d : diffs)
      std::cerr << "sip2-client: step " << i + 1 << " (" << entry.line << "): " << d << '\n';
    if (!diffs.empty()) ++differences;
    if (!x.response) break;
  }
  std::cerr << "sip2-client replay: " << bodies.size() << " steps, " << differences
            << (differences == 1 ? " differs\n" : " differ\n");
  return differences == 0 ? kSame : kDifferent;
}

}  // namespace sip2_client
