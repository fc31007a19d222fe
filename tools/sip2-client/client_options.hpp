// The command line of `sip2-client send`, `shell` and `replay`: options, checks and usage texts.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "connection.hpp"
#include "sip2/codec.hpp"

namespace sip2_client {

/// Which subcommand the options are for; each checks its own needs.
enum class Purpose { send, shell, replay };

/// Everything a subcommand was asked to do.
struct ClientOptions {
  ConnectOptions connect;                 ///< host, port, TLS trust, timeouts
  std::optional<std::string> login_user;  ///< --login: send 93 first
  std::optional<std::string> password_file;
  std::optional<std::string> location;     ///< CP in the 93, {location}
  std::optional<std::string> institution;  ///< AO of requests, {institution}
  std::optional<std::string> patron;       ///< --patron: the session's patron from the start
  std::optional<std::string> pin_file;     ///< --pin-file: the patron PIN for `patron X -`
  std::optional<bool> error_detection;     ///< --error-detection / --no-error-detection
  std::optional<std::string> profile;      ///< --profile: firmware profile id or JSON file
  std::optional<std::string> profiles_dir;
  std::optional<sip2::ChecksumBasis> checksum_basis;  ///< --checksum-basis
  std::optional<sip2::Charset> charset;               ///< --charset
  std::optional<std::string> terminator;              ///< --terminator
  sip2::Dialect dialect;  ///< the wire: a profile's (or the spec's), then the options above
  sip2::Mode mode = sip2::Mode::strict;  ///< how responses are decoded
  std::chrono::milliseconds timeout{10'000};
  std::optional<std::chrono::seconds> keepalive;  ///< idle time before an automatic 99
  std::optional<std::string> script;              ///< --script FILE (shell)
  std::optional<std::string> record;              ///< --record FILE: the session as a trace
  std::optional<std::string> history;             ///< --history FILE (interactive shell)
  std::vector<std::string> ignore;                ///< --ignore FIELD (replay)
  bool shift_dates = false;                       ///< --shift-dates (replay)
  bool json = false;
  bool show_wire = false;
  bool no_color = false;
  bool help = false;
  /// send: raw messages as typed (placeholders not yet expanded); replay: the trace file.
  std::vector<std::string> messages;
};

/// Parses the arguments after the subcommand. An error is one line naming the option at fault.
[[nodiscard]] tl::expected<ClientOptions, std::string> parse_client_options(
    std::span<const std::string_view> args, Purpose purpose = Purpose::send);

/// Applies --profile (looked up in --profiles-dir or the usual places) to the dialect, then the
/// individual wire options, which win over the profile. An error names the profile problem.
[[nodiscard]] tl::expected<void, std::string> resolve_dialect(ClientOptions& options);

/// The login password from --password-file (first line) or SIP2_PASSWORD; never from argv.
[[nodiscard]] tl::expected<std::string, std::string> read_password(const ClientOptions& o);
/// The first line of a secret file, line end removed.
[[nodiscard]] tl::expected<std::string, std::string> read_secret_file(const std::string& path,
                                                                      std::string_view option);

/// The --help text of a subcommand.
[[nodiscard]] std::string usage_text(Purpose purpose);

}  // namespace sip2_client
