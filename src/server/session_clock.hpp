// The clock that session deadlines run on: the steady clock in the gateway, a manual one in tests.
#pragma once

#include <chrono>
#include <map>

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>

namespace server {

/// Tells the time and waits for it. Used on the io thread only.
class SessionClock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~SessionClock() = default;
  [[nodiscard]] virtual time_point now() const = 0;
  /// Waits on `timer` until `due`. Cancelling the timer ends the wait early (that is how a
  /// deadline that moved earlier is re-armed); so does the caller's cancellation.
  virtual asio::awaitable<void> wait_until(asio::steady_timer& timer, time_point due) = 0;
  /// Waits `d` from now.
  asio::awaitable<void> sleep_for(asio::steady_timer& timer, duration d);
};

/// std::chrono::steady_clock and real timers.
class SteadySessionClock final : public SessionClock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::steady_clock::now(); }
  asio::awaitable<void> wait_until(asio::steady_timer& timer, time_point due) override;
};

/// A clock that moves only when told to (tests): advance() wakes every wait that came due.
class ManualSessionClock final : public SessionClock {
 public:
  [[nodiscard]] time_point now() const override { return now_; }
  asio::awaitable<void> wait_until(asio::steady_timer& timer, time_point due) override;
  /// Moves the clock forward and wakes the waits now due (their coroutines resume when the
  /// io_context runs next).
  void advance(duration d);
  /// How many waits are pending (a test can tell that a session reached its wait).
  [[nodiscard]] std::size_t waiting() const { return waits_.size(); }

 private:
  time_point now_ = time_point(std::chrono::hours(1));
  std::multimap<time_point, asio::steady_timer*> waits_;
};

}  // namespace server
