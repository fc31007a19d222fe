// The mutable state of one session and the helpers the session coroutine uses.
#pragma once

#include <algorithm>
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

/// What a session is doing: waiting for bytes, running a request, or writing its answer.
enum class Phase { reading, handling, writing };

/// Why a session ended (a metric label and a log field).
enum class EndReason {
  peer_closed,
  login_timeout,
  idle_timeout,
  request_deadline,  ///< a request past its deadline, for a profile whose on_deadline is close
  partial_frame_timeout,
  login_failures,
  shutdown,
  write_failed,
  write_timeout,
  read_failed,
  pre_login_flood,  ///< more requests before login than limits.pre_login_* allow
  account_removed,  ///< a reload removed or disabled the account the session logged in with
  unknown_message,  ///< a message the profile says to close on (session.unknown_message)
  error             ///< an exception stopped at the session's boundary
};
[[nodiscard]] std::string_view to_string(EndReason r);

struct SessionState {
  Hub& hub;
  net::Channel& channel;
  config::ListenerConfig listener;
  handlers::Terminal terminal;
  std::string peer;  ///< source address text (after PROXY)
  sip2::Framer framer;
  SessionClock& clock;
  Clock::time_point accepted;
  Clock::time_point last_activity;
  Clock::time_point frame_started;  ///< first byte of the buffered partial frame
  Clock::time_point write_started;  ///< start of the write in progress
  std::optional<EndReason> end;
  asio::steady_timer* watchdog_timer = nullptr;  ///< woken when a deadline moves earlier
  Phase phase = Phase::reading;                  ///< shutdown lets a request in flight finish
  bool reload_pending = false;  ///< a new runtime is in place: apply it before the next request
  std::uint64_t requests = 0;
  // Requests before login: a token bucket, and how many of their log lines were left out.
  double pre_login_tokens = -1;  ///< negative: not started
  Clock::time_point pre_login_refilled;
  std::uint64_t pre_login_requests = 0;
  std::uint16_t print_width = 0;
  bool profile_keepalive = false;  ///< the bound profile set the connection's keepalive  ///< the
                                   ///< max print width of the last 99 (0: not given)
  // Requests after login under the profile's limits.max_requests_per_second: a token bucket.
  double paced_tokens = -1;  ///< negative before the first request: not started
  Clock::time_point paced_refilled;
  // Replay and resend.
  std::string last_request;   ///< the last request frame that carried AY/AZ
  std::string last_response;  ///< wire bytes of the last response, terminator included

  SessionState(Hub& h, net::Channel& c, config::ListenerConfig l)
      : hub(h),
        channel(c),
        listener(std::move(l)),
        clock(h.clock),
        accepted(clock.now()),
        last_activity(accepted),
        frame_started(accepted),
        write_started(accepted) {}
  /// Enters a phase. The watchdog is not woken: it never sleeps longer than the write timeout,
  /// so a write's deadline is kept without a wake-up per message (see watchdog()).
  void enter(Phase p) {
    phase = p;
    if (p == Phase::writing) write_started = clock.now();
  }
  /// Wakes the watchdog to re-arm: a deadline may have moved earlier.
  void poke() const {
    if (watchdog_timer != nullptr) watchdog_timer->cancel();
  }
  [[nodiscard]] std::string next_request_id() {
    return std::to_string(terminal.connection_id) + "-" + std::to_string(++requests);
  }
  [[nodiscard]] const Runtime& rt() const { return *hub.runtime; }
  /// Takes one request's turn under the profile's rate limit after login: how long it waits
  /// first (zero: at once). The bucket holds a second's worth (at least one request); a device
  /// that replays an outage in one burst is slowed, never refused.
  [[nodiscard]] Clock::duration pace() {
    const double rate = terminal.behaviour.max_requests_per_second;
    if (rate <= 0) return Clock::duration::zero();
    const auto now = clock.now();
    const double burst = std::max(1.0, rate);
    if (paced_tokens < 0 && paced_refilled == Clock::time_point{}) {
      paced_tokens = burst;
      paced_refilled = now;
    }
    const double elapsed = std::chrono::duration<double>(now - paced_refilled).count();
    paced_tokens = std::min(burst, paced_tokens + elapsed * rate);
    paced_refilled = now;
    paced_tokens -= 1;
    if (paced_tokens >= 0) return Clock::duration::zero();
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(-paced_tokens / rate));
  }
  /// Takes one request's token before login; false when the peer sends faster than allowed.
  [[nodiscard]] bool take_pre_login_token() {
    const auto& limits = rt().config.limits;
    const auto now = clock.now();
    const double burst = limits.pre_login_burst;
    if (pre_login_tokens < 0) {
      pre_login_tokens = burst;
      pre_login_refilled = now;
    }
    const double elapsed = std::chrono::duration<double>(now - pre_login_refilled).count();
    pre_login_tokens =
        std::min(burst, pre_login_tokens + elapsed * limits.pre_login_per_minute / 60.0);
    pre_login_refilled = now;
    if (pre_login_tokens < 1) return false;
    pre_login_tokens -= 1;
    return true;
  }
};

/// Watches the session's deadlines; returns (ending the session) when one passes.
asio::awaitable<void> watchdog(SessionState& s);

/// After a reload: a session whose account was removed or disabled ends (after its request in
/// flight); the rest is applied before the next request by apply_reload().
void on_reload(SessionState& s);
/// Applies a reloaded account to a logged-in session: a changed password requires a new login,
/// a changed profile or policy applies from this request on.
void apply_reload(SessionState& s);
/// Binds a firmware profile: dialect, id and the framer's size limit.
void bind_profile(SessionState& s, const profiles::Profile& p);

/// Handles one frame (or frame error); returns the wire bytes to write (maybe empty).
asio::awaitable<std::string> process(SessionState& s, const std::string& frame);
/// The 96 for a frame that could not be read.
[[nodiscard]] std::string resend_request(const SessionState& s);
/// Encodes a typed response in the session's dialect, with AY/AZ mirroring the request.
[[nodiscard]] std::string wire(const SessionState& s, const sip2::AnyMessage& m,
                               std::optional<int> sequence);

}  // namespace server::detail
