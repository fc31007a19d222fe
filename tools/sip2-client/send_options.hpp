// The command line of `sip2-client send`: options, checks and usage text.
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

/// Everything `send` was asked to do.
struct SendOptions {
  ConnectOptions connect;                 ///< host, port, TLS trust, timeouts
  std::optional<std::string> login_user;  ///< --login: send 93 first
  std::optional<std::string> password_file;
  std::optional<std::string> location;     ///< CP in the 93, {location}
  std::optional<std::string> institution;  ///< {institution}
  bool error_detection = false;            ///< append AY/AZ
  sip2::Dialect dialect;                   ///< charset and terminator of the wire
  sip2::Mode mode = sip2::Mode::strict;    ///< how responses are decoded
  std::chrono::milliseconds timeout{10'000};
  bool json = false;
  bool show_wire = false;
  bool no_color = false;
  bool help = false;
  std::vector<std::string> messages;  ///< raw, as typed (placeholders not yet expanded)
};

/// Parses the arguments after "send". An error is one line naming the option at fault.
[[nodiscard]] tl::expected<SendOptions, std::string> parse_send_options(
    std::span<const std::string_view> args);

/// `sip2-client send --help`.
extern const std::string_view kSendUsage;

}  // namespace sip2_client
