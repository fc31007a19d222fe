// The session coroutine: a read loop and a watchdog raced against each other, one boundary for
// whatever either throws.
#include "server/session.hpp"

#include <algorithm>
#include <array>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

#include "obs/log.hpp"
#include "server/session_state.hpp"

namespace server {

namespace detail {

std::string_view to_string(EndReason r) {
  switch (r) {
    case EndReason::peer_closed:
      return "peer_closed";
    case EndReason::login_timeout:
      return "login_timeout";
    case EndReason::idle_timeout:
      return "idle_timeout";
    case EndReason::request_deadline:
      return "request_deadline";
    case EndReason::partial_frame_timeout:
      return "partial_frame_timeout";
    case EndReason::login_failures:
      return "login_failures";
    case EndReason::shutdown:
      return "shutdown";
    case EndReason::write_failed:
      return "write_failed";
    case EndReason::write_timeout:
      return "write_timeout";
    case EndReason::read_failed:
      return "read_failed";
    case EndReason::pre_login_flood:
      return "pre_login_flood";
    case EndReason::account_removed:
      return "account_removed";
    case EndReason::unknown_message:
      return "unknown_message";
    case EndReason::error:
      return "error";
  }
  return "unknown";
}

namespace {

/// Frames one read may answer before the session lets the others run: a kiosk that sends many
/// frames at once (or whose answers need no library system) must not keep the io thread.
constexpr int kFramesPerTurn = 8;

struct Due {
  Clock::time_point at;
  EndReason reason;
};

/// The earliest deadline the session is under now, if any. The login timeout counts from the
/// accept whatever the session is doing; a write has its own deadline, so a peer that stops
/// reading cannot hold a slot; a request being handled is bounded by its own deadline.
std::optional<Due> next_due(const SessionState& s, Clock::time_point now) {
  const auto& limits = s.rt().config.limits;
  std::optional<Due> due;
  auto earliest = [&due](Clock::time_point at, EndReason reason) {
    if (!due || at < due->at) due = Due{at, reason};
  };
  const auto& profile = s.terminal.behaviour.timeouts;
  if (!s.terminal.logged_in)
    earliest(s.accepted + profile.login.value_or(limits.login_timeout), EndReason::login_timeout);
  switch (s.phase) {
    case Phase::writing:
      earliest(s.write_started + limits.write_timeout, EndReason::write_timeout);
      break;
    case Phase::handling:
      break;
    case Phase::reading:
      if (s.end)
        earliest(now, *s.end);  // asked to stop while waiting for a request
      else if (s.framer.has_partial_frame())
        earliest(s.frame_started + limits.partial_frame_timeout, EndReason::partial_frame_timeout);
      else if (s.terminal.logged_in)
        earliest(s.last_activity + profile.idle.value_or(limits.idle_timeout),
                 EndReason::idle_timeout);
      break;
  }
  return due;
}

/// Reads, frames and answers requests until the peer leaves or the session is told to end.
/// Returns normally in every case: an exception is logged here and ends the session.
asio::awaitable<void> serve_requests(SessionState& s) {
  auto& hub = s.hub;
  const auto id = s.terminal.connection_id;
  try {
    // Kiosk messages are a few hundred bytes; a longer frame takes more reads. The buffer lives
    // in the coroutine frame of every session, so its size is most of an idle session's memory.
    std::array<char, 1536> buf{};
    while (!s.end) {
      auto [ec, n] = co_await s.channel.read_some(buf);
      if (ec || n == 0) {
        if (!s.end)
          s.end =
              ec == asio::error::eof || n == 0 ? EndReason::peer_closed : EndReason::read_failed;
        break;
      }
      const bool had_partial = s.framer.has_partial_frame();
      s.last_activity = s.clock.now();
      s.framer.feed(std::string_view(buf.data(), n));
      // The partial-frame clock runs from a frame's first byte, not its latest one: a sender
      // dribbling bytes cannot hold a session open.
      if (s.framer.has_partial_frame() && !had_partial) {
        s.frame_started = s.last_activity;
        s.poke();
      }
      for (int answered = 0;; ++answered) {
        if (answered > 0 && answered % kFramesPerTurn == 0) {
          // To the back of the io thread's queue: every other ready session runs first.
          co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
          if (s.end) break;
        }
        auto ev = s.framer.next();
        if (ev.status == sip2::Framer::Status::need_more) break;
        if (!s.terminal.logged_in && !s.take_pre_login_token()) {
          s.end = EndReason::pre_login_flood;
          obs::log(spdlog::level::warn, id, {}, "requests before login too fast: closing",
                   {{"peer", s.peer}});
          break;
        }
        std::string out;
        s.enter(Phase::handling);
        if (s.terminal.logged_in) {
          if (const auto wait = s.pace(); wait > SessionClock::duration::zero()) {
            hub.metrics.request_paced(s.terminal.profile);
            asio::steady_timer turn(co_await asio::this_coro::executor);
            co_await s.clock.sleep_for(turn, wait);
            if (s.end) break;
          }
        }
        if (ev.status == sip2::Framer::Status::error) {
          hub.metrics.frame_error(ev.error.message());
          obs::log(spdlog::level::warn, id, {}, "unreadable frame",
                   {{"error", ev.error.message()}});
          out = resend_request(s);
        } else {
          const std::string frame(ev.frame);  // named: see offload.hpp on GCC 12 temporaries
          out = co_await process(s, frame);
        }
        if (!out.empty()) {
          s.enter(Phase::writing);
          if (auto wec = co_await s.channel.write_all(out)) {
            if (!s.end) s.end = EndReason::write_failed;
            break;
          }
        }
        s.last_activity = s.clock.now();
        s.frame_started = s.last_activity;  // what is left of this read starts the next frame
        s.enter(Phase::reading);
        if (s.end) break;
      }
    }
  } catch (const std::system_error& e) {
    if (!s.end) {  // not the watchdog's cancellation: a real failure
      s.end = EndReason::error;
      obs::log(spdlog::level::err, id, {}, "session failed", {{"error", e.what()}});
    }
  } catch (const std::exception& e) {
    s.end = EndReason::error;
    obs::log(spdlog::level::err, id, {}, "session failed", {{"error", e.what()}});
  }
}

}  // namespace

asio::awaitable<void> watchdog(SessionState& s) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  s.watchdog_timer = &timer;
  struct Detach {
    SessionState& s;
    ~Detach() { s.watchdog_timer = nullptr; }
  } detach{s};
  for (;;) {
    const auto now = s.clock.now();
    const auto due = next_due(s, now);
    if (due && now >= due->at) {
      if (!s.end || *s.end == EndReason::shutdown) s.end = due->reason;
      co_return;
    }
    // A deadline that starts at a phase change (a write's, the idle one after a request) lies
    // at least its timeout after that change. Sleeping at most the shortest such timeout keeps
    // every one of them without waking this coroutine for every message; an idle session wakes
    // once per that timeout (30 s by default: 10,000 idle kiosks, about 330 wake-ups a second).
    const auto& limits = s.rt().config.limits;
    const auto cap =
        now + std::min({std::chrono::duration_cast<Clock::duration>(limits.write_timeout),
                        std::chrono::duration_cast<Clock::duration>(
                            s.terminal.behaviour.timeouts.idle.value_or(limits.idle_timeout)),
                        std::chrono::duration_cast<Clock::duration>(limits.partial_frame_timeout)});
    co_await s.clock.wait_until(timer, due ? std::min(due->at, cap) : cap);
  }
}

}  // namespace detail

asio::awaitable<void> run_session(Hub& hub, std::unique_ptr<net::Channel> channel,
                                  const config::ListenerConfig& listener,
                                  std::uint64_t connection_id) {
  using namespace detail;
  using namespace asio::experimental::awaitable_operators;
  SessionState s(hub, *channel, listener);
  s.terminal.connection_id = connection_id;
  s.peer = channel->peer().address().to_string();
  const auto& profile = s.rt().profile_at_accept(s.listener, channel->peer().address());
  bind_profile(s, profile);
  hub.metrics.session_opened(s.listener.name);
  obs::log(spdlog::level::info, connection_id, {}, "session opened",
           {{"listener", s.listener.name},
            {"peer", s.peer},
            {"tls", channel->is_tls() ? "yes" : "no"},
            {"profile", profile.id}});
  {
    const auto registered = hub.sessions.add(connection_id, {[&s] {
                                                               if (!s.end)
                                                                 s.end = EndReason::shutdown;
                                                               s.poke();
                                                             },
                                                             [&s] { on_reload(s); }});
    try {
      // Whichever ends first cancels the other: a passed deadline cancels the pending read or
      // write; a finished read loop stops the watchdog. Both are done before `s` goes.
      co_await (serve_requests(s) || watchdog(s));
    } catch (const std::exception& e) {
      s.end = EndReason::error;
      obs::log(spdlog::level::err, connection_id, {}, "session failed", {{"error", e.what()}});
    }
  }
  if (!s.end) s.end = EndReason::error;
  try {
    co_await channel->close();
  } catch (const std::exception& e) {
    obs::log(spdlog::level::warn, connection_id, {}, "close failed", {{"error", e.what()}});
  }
  hub.metrics.session_closed(s.listener.name, to_string(*s.end));
  obs::log(spdlog::level::info, connection_id, {}, "session closed",
           {{"reason", std::string(to_string(*s.end))}, {"requests", std::to_string(s.requests)}});
}

}  // namespace server
