// The sip2-bench command line: what to run and against which loopback server.
#include "bench_options.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdlib>
#include <functional>
#include <map>

namespace bench {

namespace {

constexpr std::string_view kUsage = R"(usage:
  sip2-bench --port P [options]          load a SIP2 server on a loopback address
  sip2-bench --baseline-server [--listen 127.0.0.1:0]
                                         the minimal SIP2 responder the gateway is compared to
options:
  --host H               loopback address only: 127.0.0.0/8 or ::1 (default 127.0.0.1)
  --port P               server port (required)
  --connections N        persistent connections (default 1)
  --connect-rate R       new connections per second while ramping (default unlimited;
                         at most 500 connects and logins are pending at once)
  --warmup S             warm-up seconds before the measured window (default 2)
  --duration S           measured window in seconds (default 10)
  --max-messages N       end the window after N measured replies
  --rate R               open loop: R requests/s in total, on schedule (default: closed loop)
  --mix SPEC             e.g. 'patron-pin=2,patron=1,info=1,item=1,checkout-checkin=2,renew=1,
                         status=1' (default 'status=1')
  --error-detection      AY/AZ on every request; replies must carry a valid AZ and our AY
  --login USER           log in (93) first; password from --password-file F or SIP2_PASSWORD
  --password-file F
  --location CP          CP of the login
  --institution AO       (default MAIN)
  --patrons FILE         lines 'BARCODE PIN'; or --patron BARCODE with --pin-file F
  --patron BARCODE
  --pin-file F
  --generated-patrons R  the ils-emulator's generated patrons (--generate-patrons) numbered
                         R = FIRST-LAST (inclusive) or COUNT (0 to COUNT-1), with their PINs
  --patron-choice C      which patron a request names: fixed (connection i: patron i mod n,
                         the default), random (each request a random one), once (each patron
                         once across the run, in order; the run ends when all are answered)
  --items FILE           one item barcode per line
  --idle                 connect and log in, then send nothing (or a 99 every --keepalive S)
  --keepalive S
  --server-pid PID       report the server's VmRSS at start, after ramp-up and at the end
  --timeout S            per response and per connect (default 10)
  --threads T            generator io threads (default 1)
  --max-reconnects N     per connection after transport errors (default 3)
  --json                 print one JSON object instead of the table
mix entries: patron-pin is a 23 with the patron's PIN, patron-wrong-pin one with a PIN that is
  not (each digit moved by 5; its CQ is not judged), patron one without a PIN.
)";

tl::expected<double, std::string> to_double(const std::string& v, double lo, double hi) {
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !(d >= lo && d <= hi))
    return tl::unexpected("'" + v + "' is not a number in range");
  return d;
}

tl::expected<std::uint64_t, std::string> to_count(const std::string& v, std::uint64_t lo,
                                                  std::uint64_t hi) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || n < lo || n > hi)
    return tl::unexpected("'" + v + "' is not a whole number in range");
  return n;
}

/// Splits "HOST:PORT" or "[V6]:PORT".
tl::expected<std::pair<std::string, std::uint16_t>, std::string> split_listen(
    const std::string& v) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos) return tl::unexpected(std::string("expected HOST:PORT"));
  std::string host = v.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  auto port = to_count(v.substr(colon + 1), 0, 65535);
  if (!port) return tl::unexpected(port.error());
  return std::pair{host, static_cast<std::uint16_t>(*port)};
}

using Setter = std::function<tl::expected<void, std::string>(Command&, const std::string&)>;

/// Numeric option into a member, with bounds.
template <class T>
Setter number(T BenchOptions::*member, double lo, double hi) {
  return [member, lo, hi](Command& c, const std::string& v) -> tl::expected<void, std::string> {
    auto d = to_double(v, lo, hi);
    if (!d) return tl::unexpected(d.error());
    c.bench.*member = static_cast<T>(*d);
    return {};
  };
}

template <class T>
Setter count(T BenchOptions::*member, std::uint64_t lo, std::uint64_t hi) {
  return [member, lo, hi](Command& c, const std::string& v) -> tl::expected<void, std::string> {
    auto n = to_count(v, lo, hi);
    if (!n) return tl::unexpected(n.error());
    c.bench.*member = static_cast<T>(*n);
    return {};
  };
}

Setter text(std::string BenchOptions::*member) {
  return [member](Command& c, const std::string& v) -> tl::expected<void, std::string> {
    c.bench.*member = v;
    return {};
  };
}

/// Options that take a value. Files are read after parsing, once every option is known.
struct FileArgs {
  std::string password_file, patrons_file, patron, pin_file, items_file, generated, choice;
};

std::map<std::string, Setter> value_options(FileArgs& files) {
  auto file = [](std::string& into) {
    return [&into](Command&, const std::string& v) -> tl::expected<void, std::string> {
      into = v;
      return {};
    };
  };
  return {
      {"--host", text(&BenchOptions::host)},
      {"--port", count(&BenchOptions::port, 1, 65535)},
      {"--connections", count(&BenchOptions::connections, 1, 1'000'000)},
      {"--connect-rate", number(&BenchOptions::connect_rate, 0, 1e7)},
      {"--warmup", number(&BenchOptions::warmup_s, 0, 86400)},
      {"--duration", number(&BenchOptions::duration_s, 0.01, 86400)},
      {"--max-messages", count(&BenchOptions::max_messages, 0, UINT64_MAX)},
      {"--rate", number(&BenchOptions::rate, 0, 1e9)},
      {"--mix", text(&BenchOptions::mix_text)},
      {"--login", text(&BenchOptions::login)},
      {"--location", text(&BenchOptions::location)},
      {"--institution", text(&BenchOptions::institution)},
      {"--keepalive", number(&BenchOptions::keepalive_s, 0, 86400)},
      {"--server-pid", count(&BenchOptions::server_pid, 1, 1u << 30)},
      {"--timeout", number(&BenchOptions::timeout_s, 0.01, 3600)},
      {"--threads", count(&BenchOptions::threads, 1, 64)},
      {"--max-reconnects", count(&BenchOptions::max_reconnects, 0, 1000)},
      {"--password-file", file(files.password_file)},
      {"--patrons", file(files.patrons_file)},
      {"--patron", file(files.patron)},
      {"--pin-file", file(files.pin_file)},
      {"--items", file(files.items_file)},
      {"--generated-patrons", file(files.generated)},
      {"--patron-choice", file(files.choice)},
      {"--listen",
       [](Command& c, const std::string& v) -> tl::expected<void, std::string> {
         auto hp = split_listen(v);
         if (!hp) return tl::unexpected(hp.error());
         std::tie(c.listen_host, c.listen_port) = *hp;
         return {};
       }},
  };
}

/// The emulator generates at most this many patrons.
constexpr std::uint64_t kMaxGeneratedPatrons = 10'000'000;

/// The patrons of --patrons, --patron with --pin-file, or --generated-patrons (one of them), and
/// the choice among them.
tl::expected<void, std::string> patrons_of(const FileArgs& files, BenchOptions& b) {
  const int sources =
      int(!files.patrons_file.empty()) + int(!files.patron.empty()) + int(!files.generated.empty());
  if (sources > 1)
    return tl::unexpected(
        std::string("--patrons, --patron and --generated-patrons exclude each other"));
  if (!files.patrons_file.empty()) {
    auto p = read_patrons_file(files.patrons_file);
    if (!p) return tl::unexpected(p.error());
    b.patrons = std::move(*p);
  } else if (!files.patron.empty()) {
    Patron p{files.patron, {}};
    if (!files.pin_file.empty()) {
      auto pin = read_secret_file(files.pin_file);
      if (!pin) return tl::unexpected(pin.error());
      p.pin = std::move(*pin);
    }
    b.patrons.push_back(std::move(p));
  } else if (!files.generated.empty()) {
    auto range = parse_patron_range(files.generated);
    if (!range) return tl::unexpected("--generated-patrons: " + range.error());
    const auto [first, last] = *range;
    if (last - first >= kMaxGeneratedPatrons)
      return tl::unexpected(std::string("--generated-patrons: at most 10,000,000 patrons"));
    b.patrons.reserve(static_cast<std::size_t>(last - first + 1));
    for (auto n = first; n <= last; ++n)
      b.patrons.push_back(generated_patron(n));
  }
  if (!files.choice.empty()) {
    const auto choice = parse_patron_choice(files.choice);
    if (!choice)
      return tl::unexpected("--patron-choice: '" + files.choice +
                            "' is not one of fixed, random, once");
    b.patron_choice = *choice;
  }
  if (b.patron_choice == PatronChoice::once && (b.idle || b.rate > 0))
    return tl::unexpected(std::string("--patron-choice once needs the closed loop"));
  return {};
}

}  // namespace

std::string_view usage() noexcept {
  return kUsage;
}

bool is_loopback_address(std::string_view host) {
  const std::string h(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, h.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

tl::expected<Command, std::string> parse_command_line(int argc, char** argv) {
  Command c;
  FileArgs files;
  const auto options = value_options(files);
  for (int i = 1; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "--help" || opt == "-h") {
      c.mode = Command::Mode::help;
      return c;
    }
    if (opt == "--baseline-server") {
      c.mode = Command::Mode::baseline_server;
    } else if (opt == "--json") {
      c.bench.json = true;
    } else if (opt == "--error-detection") {
      c.bench.error_detection = true;
    } else if (opt == "--idle") {
      c.bench.idle = true;
    } else if (const auto it = options.find(opt); it != options.end()) {
      if (i + 1 >= argc) return tl::unexpected(opt + " needs a value");
      if (auto r = it->second(c, argv[++i]); !r) return tl::unexpected(opt + ": " + r.error());
    } else {
      return tl::unexpected("unknown argument '" + opt + "'");
    }
  }
  if (c.mode == Command::Mode::baseline_server) {
    if (!is_loopback_address(c.listen_host))
      return tl::unexpected("--listen: '" + c.listen_host +
                            "' is not a loopback address (127.0.0.0/8 or ::1)");
    return c;
  }
  auto& b = c.bench;
  if (!is_loopback_address(b.host))
    return tl::unexpected("--host: '" + b.host +
                          "' is not a loopback address; sip2-bench only loads 127.0.0.0/8 or ::1");
  if (b.port == 0) return tl::unexpected(std::string("--port is required"));
  auto mix = Mix::parse(b.mix_text);
  if (!mix) return tl::unexpected("--mix: " + mix.error());
  b.mix = std::move(*mix);
  if (b.idle && b.rate > 0) return tl::unexpected(std::string("--idle and --rate exclude"));
  if (!b.login.empty()) {
    if (!files.password_file.empty()) {
      auto pw = read_secret_file(files.password_file);
      if (!pw) return tl::unexpected(pw.error());
      b.password = std::move(*pw);
    } else if (const char* env = std::getenv("SIP2_PASSWORD"); env != nullptr) {
      b.password = env;
    } else {
      return tl::unexpected(std::string("--login needs --password-file F or SIP2_PASSWORD"));
    }
  }
  if (auto p = patrons_of(files, b); !p) return tl::unexpected(p.error());
  if (!files.items_file.empty()) {
    auto items = read_items_file(files.items_file);
    if (!items) return tl::unexpected(items.error());
    b.items = std::move(*items);
  }
  if (!b.idle && b.mix.uses_patrons() && b.patrons.empty())
    return tl::unexpected(
        std::string("the mix needs patrons: --patrons FILE, --patron B or --generated-patrons R"));
  if (!b.idle && b.mix.uses_items() && b.items.empty())
    return tl::unexpected(std::string("the mix needs items: --items FILE"));
  return c;
}

}  // namespace bench
