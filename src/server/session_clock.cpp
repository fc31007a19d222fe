// Steady and manual session clocks.
#include "server/session_clock.hpp"

#include <vector>

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace server {

namespace {
constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);
}

asio::awaitable<void> SessionClock::sleep_for(asio::steady_timer& timer, duration d) {
  co_await wait_until(timer, now() + d);
}

asio::awaitable<void> SteadySessionClock::wait_until(asio::steady_timer& timer, time_point due) {
  timer.expires_at(due);
  (void)co_await timer.async_wait(use_nothrow);
}

asio::awaitable<void> ManualSessionClock::wait_until(asio::steady_timer& timer, time_point due) {
  if (due <= now_) co_return;
  timer.expires_at(asio::steady_timer::time_point::max());
  const auto it = waits_.emplace(due, &timer);
  // Unregistered however the wait ends, including when the waiting coroutine is destroyed.
  struct Unregister {
    std::multimap<time_point, asio::steady_timer*>& waits;
    std::multimap<time_point, asio::steady_timer*>::iterator it;
    ~Unregister() { waits.erase(it); }
  } guard{waits_, it};
  (void)co_await timer.async_wait(use_nothrow);
}

void ManualSessionClock::advance(duration d) {
  now_ += d;
  std::vector<asio::steady_timer*> due;
  for (auto it = waits_.begin(); it != waits_.end() && it->first <= now_; ++it)
    due.push_back(it->second);
  for (auto* t : due)
    t->cancel();
}

}  // namespace server
