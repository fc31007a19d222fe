// TCP keepalive with explicit probe timing, so dead kiosk links are noticed in minutes, not hours.
#pragma once

#include <asio/ip/tcp.hpp>
#include <chrono>
#include <system_error>

namespace net {

/// A connection's keepalive: off, or on with its probe timing.
struct Keepalive {
  bool enabled = true;
  std::chrono::seconds idle{60};
  std::chrono::seconds interval{10};
  int count = 5;
  bool operator==(const Keepalive&) const = default;
};

/// enable_keepalive with `k`'s timing, or SO_KEEPALIVE off when it is not enabled.
[[nodiscard]] std::error_code set_keepalive(asio::ip::tcp::socket& socket, const Keepalive& k);

/// Turns on SO_KEEPALIVE: the first probe after `idle` without traffic, then one every `interval`,
/// and the connection drops after `count` unanswered probes (Linux TCP_KEEPIDLE, TCP_KEEPINTVL,
/// TCP_KEEPCNT; clamped to the kernel's ranges 1..32767 s and 1..127 probes). Returns the first
/// setsockopt error.
[[nodiscard]] std::error_code enable_keepalive(asio::ip::tcp::socket& socket,
                                               std::chrono::seconds idle,
                                               std::chrono::seconds interval, int count);

}  // namespace net
