// One SIP2 round trip over a Connection: encode for the wire, send, wait, time and decode.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "connection.hpp"
#include "sip2/codec.hpp"

namespace sip2_client {

/// What happened to one request.
struct Exchange {
  std::string sent;                  ///< wire bytes written, terminator included
  std::optional<int> sequence;       ///< AY sent, with error detection
  std::optional<std::string> frame;  ///< the response frame, terminator excluded
  /// The decoded response; a decode error also for a frame the framer refused (too long, NUL).
  /// Empty when no response came: see `error`.
  std::optional<sip2::DecodeResult<sip2::Message>> response;
  std::error_code error;  ///< why no response came: timed_out, connection_reset, protocol_error
  std::chrono::nanoseconds rtt{};  ///< from the write to the end of the response
};

/// Sends messages in order over one connection, numbering them when error detection is on.
class Exchanger {
 public:
  struct Options {
    sip2::Dialect dialect;  ///< charset, checksum basis and terminator of the wire
    sip2::Mode mode = sip2::Mode::strict;
    bool error_detection = false;  ///< append AY (0-9, wrapping; none for 96/97) and AZ
    std::chrono::milliseconds timeout{10'000};  ///< per response
  };

  Exchanger(Connection& connection, Options options)
      : connection_(connection), options_(std::move(options)) {}

  /// Sends `body` (UTF-8, no trailer, no terminator) and waits for one response.
  [[nodiscard]] Exchange exchange(std::string_view body);
  /// The wire form of `body` as exchange() sends it; advances the sequence number.
  [[nodiscard]] std::string to_wire(std::string_view body, std::optional<int>& sequence);

 private:
  Connection& connection_;
  Options options_;
  int next_sequence_ = 0;
};

}  // namespace sip2_client
