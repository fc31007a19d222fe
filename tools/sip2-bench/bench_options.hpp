// The sip2-bench command line: what to run and against which loopback server.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "patron_choice.hpp"
#include "workload.hpp"

namespace bench {

/// Everything one load run needs.
struct BenchOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t connections = 1;
  double connect_rate = 0;  ///< new connections per second while ramping; 0 = unlimited
  std::size_t connects_in_flight = 500;  ///< connects and logins pending at once while ramping
  double warmup_s = 2;
  double duration_s = 10;
  std::uint64_t max_messages = 0;  ///< 0 = no limit
  double rate = 0;                 ///< open loop: total requests/s; 0 = closed loop
  Mix mix;
  std::string mix_text = "status=1";
  bool error_detection = false;
  std::string login;     ///< empty: no 93 is sent
  std::string password;  ///< from --password-file or SIP2_PASSWORD, never argv
  std::string location;
  std::string institution = "MAIN";
  std::vector<Patron> patrons;
  PatronChoice patron_choice = PatronChoice::fixed;
  std::vector<std::string> items;
  bool idle = false;
  double keepalive_s = 0;  ///< idle: a 99 every this many seconds; 0 = nothing
  int server_pid = 0;
  double timeout_s = 10;
  unsigned threads = 1;
  unsigned max_reconnects = 3;  ///< per connection, after transport errors
  bool json = false;
};

/// What main() should do.
struct Command {
  enum class Mode { bench, baseline_server, help } mode = Mode::bench;
  BenchOptions bench;
  std::string listen_host = "127.0.0.1";  ///< baseline server
  std::uint16_t listen_port = 0;
};

/// Parses argv; the error text is meant for stderr (exit status 2).
[[nodiscard]] tl::expected<Command, std::string> parse_command_line(int argc, char** argv);

/// True for 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z); host names are refused.
[[nodiscard]] bool is_loopback_address(std::string_view host);

/// The usage text.
std::string_view usage() noexcept;

/// First line of a file, without its line end.
[[nodiscard]] tl::expected<std::string, std::string> read_secret_file(const std::string& path);
/// "BARCODE [PIN]" lines; blank lines and lines starting with '#' are skipped.
[[nodiscard]] tl::expected<std::vector<Patron>, std::string> read_patrons_file(
    const std::string& path);
/// One barcode per line; blank lines and lines starting with '#' are skipped.
[[nodiscard]] tl::expected<std::vector<std::string>, std::string> read_items_file(
    const std::string& path);

}  // namespace bench
