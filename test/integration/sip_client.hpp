// A test kiosk: raw SIP2 bytes out over sip2-client's Connection, decoded sip2::Message back.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <tl/expected.hpp>

#include "connection.hpp"
#include "sip2/codec.hpp"

namespace integration {

using namespace std::chrono_literals;

/// One kiosk connection. Each call is bounded by a timeout; nothing waits by sleeping.
class SipClient {
 public:
  /// Connects to 127.0.0.1:port (TLS when `options.tls`; host and port are filled in).
  [[nodiscard]] static tl::expected<SipClient, std::string> connect(
      std::uint16_t port, sip2_client::ConnectOptions options = {});

  /// Writes bytes exactly as given (no terminator added).
  [[nodiscard]] std::error_code send_raw(std::string_view bytes);
  /// The next frame, terminator removed.
  [[nodiscard]] tl::expected<std::string, std::error_code> read_frame(
      std::chrono::milliseconds timeout = 5s);
  /// The next frame decoded strictly (a checksum, when present, must be right).
  [[nodiscard]] tl::expected<sip2::Message, std::string> read_message(
      std::chrono::milliseconds timeout = 5s);
  /// Sends `body` plus CR and reads the answer.
  [[nodiscard]] tl::expected<sip2::Message, std::string> exchange(
      std::string_view body, std::chrono::milliseconds timeout = 5s);
  /// Waits until the server closes the connection; frames read meanwhile go to `frames`.
  /// False when the connection is still open at the timeout.
  [[nodiscard]] bool closed_within(std::chrono::milliseconds timeout,
                                   std::vector<std::string>* frames = nullptr);
  void close() { connection_.close(); }

 private:
  explicit SipClient(sip2_client::Connection c) : connection_(std::move(c)) {}
  sip2_client::Connection connection_;
};

/// The first value of field `code` ("AF"), or "" when absent.
[[nodiscard]] std::string field(const sip2::Message& m, std::string_view code);
/// Whether field `code` is present.
[[nodiscard]] bool has_field(const sip2::Message& m, std::string_view code);
/// The fixed value called `name` ("ok"), or "" when absent.
[[nodiscard]] std::string fixed(const sip2::Message& m, std::string_view name);
/// "AF" values joined with " / ", for assertion messages.
[[nodiscard]] std::string screen(const sip2::Message& m);

}  // namespace integration
