// The session coroutine: read loop, framing, timeouts and shutdown.
#include "server/session.hpp"

#include <array>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
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
    case EndReason::partial_frame_timeout:
      return "partial_frame_timeout";
    case EndReason::login_failures:
      return "login_failures";
    case EndReason::shutdown:
      return "shutdown";
    case EndReason::write_failed:
      return "write_failed";
    case EndReason::read_failed:
      return "read_failed";
  }
  return "unknown";
}

asio::awaitable<void> watchdog(SessionState& s, std::shared_ptr<bool> done) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  s.watchdog_timer = &timer;
  while (!*done) {
    const auto& limits = s.rt().config.limits;
    Clock::time_point due;
    EndReason reason;
    if (!s.terminal.logged_in) {
      due = s.accepted + limits.login_timeout;
      reason = EndReason::login_timeout;
    } else if (s.framer.has_partial_frame()) {
      due = s.frame_started + limits.partial_frame_timeout;
      reason = EndReason::partial_frame_timeout;
    } else {
      due = s.last_activity + limits.idle_timeout;
      reason = EndReason::idle_timeout;
    }
    // A partial frame also bounds the login phase: a slow sender cannot hold a slot.
    if (!s.terminal.logged_in && s.framer.has_partial_frame())
      due = std::min(due, s.frame_started + limits.partial_frame_timeout);
    if (Clock::now() >= due) {
      if (!s.busy) {
        if (!s.end) s.end = reason;
        s.watchdog_timer = nullptr;
        s.channel.cancel();
        co_return;
      }
      timer.expires_after(std::chrono::seconds(1));  // a request is in flight: look again soon
    } else {
      timer.expires_at(due);
    }
    std::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

}  // namespace detail

asio::awaitable<void> run_session(Hub& hub, std::unique_ptr<net::Channel> channel,
                                  const config::ListenerConfig& listener,
                                  std::uint64_t connection_id) {
  using namespace detail;
  SessionState s(hub, *channel, listener);
  s.terminal.connection_id = connection_id;
  s.peer = channel->peer().address().to_string();
  const auto& profile = s.rt().profile_at_accept(s.listener, channel->peer().address());
  s.terminal.dialect = profile.dialect;
  s.terminal.profile = profile.id;
  s.framer = sip2::Framer({.max_frame_length = std::min(s.rt().config.limits.max_frame_length,
                                                        profile.dialect.max_frame_length)});
  hub.metrics.session_opened(s.listener.name);
  obs::log(spdlog::level::info, connection_id, {}, "session opened",
           {{"listener", s.listener.name},
            {"tls", channel->is_tls() ? "yes" : "no"},
            {"profile", profile.id}});

  auto done = std::make_shared<bool>(false);
  hub.stoppers[connection_id] = [&s, done] {
    if (!s.end) s.end = EndReason::shutdown;
    if (!s.busy) s.channel.cancel();
  };
  asio::co_spawn(co_await asio::this_coro::executor, watchdog(s, done), asio::detached);

  std::array<char, 4096> buf{};
  while (!s.end) {
    auto [ec, n] = co_await channel->read_some(buf);
    if (ec || n == 0) {
      if (!s.end)
        s.end = ec == asio::error::eof || n == 0 ? EndReason::peer_closed : EndReason::read_failed;
      break;
    }
    const bool had_partial = s.framer.has_partial_frame();
    s.last_activity = Clock::now();
    s.framer.feed(std::string_view(buf.data(), n));
    // The partial-frame clock runs from a frame's first byte, not its latest one: a sender
    // dribbling bytes cannot hold a session open.
    if (s.framer.has_partial_frame() && !had_partial) {
      s.frame_started = s.last_activity;
      if (s.watchdog_timer != nullptr) s.watchdog_timer->cancel();
    }
    for (;;) {
      auto ev = s.framer.next();
      if (ev.status == sip2::Framer::Status::need_more) break;
      std::string out;
      s.busy = true;
      if (ev.status == sip2::Framer::Status::error) {
        hub.metrics.frame_error(ev.error.message());
        obs::log(spdlog::level::warn, connection_id, {}, "unreadable frame",
                 {{"error", ev.error.message()}});
        out = resend_request(s);
      } else {
        const std::string frame(ev.frame);  // named: see offload.hpp on GCC 12 temporaries
        out = co_await process(s, frame);
      }
      if (!out.empty()) {
        if (auto wec = co_await channel->write_all(out)) {
          s.end = EndReason::write_failed;
          s.busy = false;
          break;
        }
      }
      s.busy = false;
      s.last_activity = Clock::now();
      s.frame_started = s.last_activity;  // what is left of this read starts the next frame
      if (s.end) break;
    }
  }
  *done = true;
  if (s.watchdog_timer != nullptr) s.watchdog_timer->cancel();
  hub.stoppers.erase(connection_id);
  co_await channel->close();
  hub.metrics.session_closed(s.listener.name, to_string(*s.end));
  obs::log(spdlog::level::info, connection_id, {}, "session closed",
           {{"reason", std::string(to_string(*s.end))}, {"requests", std::to_string(s.requests)}});
}

}  // namespace server
