// The mutable state of one session and the helpers the session coroutine uses.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <asio/steady_timer.hpp>

#include "handlers/context.hpp"
#include "net/channel.hpp"
#include "server/hub.hpp"
#include "sip2/framer.hpp"

namespace server::detail {

using Clock = std::chrono::steady_clock;

/// Why a session ended (a metric label and a log field).
enum class EndReason {
  peer_closed,
  login_timeout,
  idle_timeout,
  partial_frame_timeout,
  login_failures,
  shutdown,
  write_failed,
  read_failed
};
[[nodiscard]] std::string_view to_string(EndReason r);

struct SessionState {
  Hub& hub;
  net::Channel& channel;
  config::ListenerConfig listener;
  handlers::Terminal terminal;
  std::string peer;  ///< source address text (after PROXY)
  sip2::Framer framer;
  Clock::time_point accepted = Clock::now();
  Clock::time_point last_activity = Clock::now();
  Clock::time_point frame_started = Clock::now();  ///< first byte of the buffered partial frame
  std::optional<EndReason> end;
  asio::steady_timer* watchdog_timer = nullptr;  ///< woken when a deadline moves earlier
  bool busy = false;  ///< a request is being handled: shutdown waits for it
  std::uint64_t requests = 0;
  // Replay and resend.
  std::string last_request;   ///< the last request frame that carried AY/AZ
  std::string last_response;  ///< wire bytes of the last response, terminator included

  SessionState(Hub& h, net::Channel& c, config::ListenerConfig l)
      : hub(h), channel(c), listener(std::move(l)) {}
  [[nodiscard]] std::string next_request_id() {
    return std::to_string(terminal.connection_id) + "-" + std::to_string(++requests);
  }
  [[nodiscard]] const Runtime& rt() const { return *hub.runtime; }
};

/// Watches the session's timeouts; cancels the channel's read when one passes.
asio::awaitable<void> watchdog(SessionState& s, std::shared_ptr<bool> done);

/// Handles one frame (or frame error); returns the wire bytes to write (maybe empty).
asio::awaitable<std::string> process(SessionState& s, const std::string& frame);
/// The 96 for a frame that could not be read.
[[nodiscard]] std::string resend_request(const SessionState& s);
/// Encodes a typed response in the session's dialect, with AY/AZ mirroring the request.
[[nodiscard]] std::string wire(const SessionState& s, const sip2::AnyMessage& m,
                               std::optional<int> sequence);

}  // namespace server::detail
