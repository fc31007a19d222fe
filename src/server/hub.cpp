// Login throttling by source address.
#include "server/hub.hpp"

#include <algorithm>

namespace server {

LoginThrottle::Verdict LoginThrottle::failed(const std::string& address,
                                             const config::Limits& limits,
                                             std::chrono::steady_clock::time_point now) {
  auto& e = entries_[address];
  if (e.failures == 0 || now - e.first > limits.login_failure_window) e = {0, now};
  ++e.failures;
  Verdict v;
  if (e.failures >= limits.login_failures_before_close) v.close = true;
  if (e.failures >= limits.login_failures_before_delay) {
    const int over = std::min(e.failures - limits.login_failures_before_delay, 4);
    v.delay = std::chrono::milliseconds(500 << over);  // 0.5 s doubling to 8 s
  }
  if (entries_.size() > 100'000) entries_.clear();  // bound memory under a spray of addresses
  return v;
}

}  // namespace server
