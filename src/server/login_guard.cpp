// Login failure windows by address and by account.
#include "server/login_guard.hpp"

#include <algorithm>

namespace server {

int LoginGuard::Window::current(time_point now, std::chrono::seconds window) const {
  return failures > 0 && now - first <= window ? failures : 0;
}

LoginGuard::Verdict LoginGuard::address_verdict(int failures, const config::Limits& limits) const {
  Verdict v;
  if (failures >= limits.login_failures_before_close) {
    v.close = true;
    v.reason = "address";
  }
  if (failures >= limits.login_failures_before_delay) {
    const int over = std::min(failures - limits.login_failures_before_delay, 4);
    v.delay = std::chrono::milliseconds(500 << over);  // 0.5 s doubling to 8 s
    v.reason = "address";
  }
  return v;
}

LoginGuard::Verdict LoginGuard::check(const std::string& account, const std::string& address,
                                      const config::Limits& limits, time_point now) {
  if (const auto* a = addresses_.find(address)) {
    const int failures = a->current(now, limits.login_failure_window);
    if (failures >= limits.login_failures_before_close) {
      auto v = address_verdict(failures, limits);
      v.allowed = false;
      return v;
    }
  }
  if (const auto* e = accounts_.find(account)) {
    const int failures = e->window.current(now, limits.login_failure_window);
    if (failures >= limits.login_failures_per_account && !e->known_addresses.contains(address)) {
      Verdict v;
      v.allowed = false;
      v.delay = std::chrono::milliseconds(500);
      v.reason = "account";
      return v;
    }
  }
  return {};
}

LoginGuard::Verdict LoginGuard::failed(const std::string& account, const std::string& address,
                                       const config::Limits& limits, time_point now) {
  auto bump = [&](Window& w) {
    if (w.current(now, limits.login_failure_window) == 0) w = {0, now};
    ++w.failures;
  };
  auto& a = addresses_.get(address);
  bump(a);
  bump(accounts_.get(account).window);
  return address_verdict(a.failures, limits);
}

void LoginGuard::succeeded(const std::string& account, const std::string& address) {
  auto& known = accounts_.get(account).known_addresses;
  if (known.size() >= kMaxKnownAddresses && !known.contains(address)) known.erase(known.begin());
  known.insert(address);
}

void LoginGuard::resize(std::size_t table_size) {
  addresses_.set_capacity(table_size);
  accounts_.set_capacity(table_size);
}

}  // namespace server
