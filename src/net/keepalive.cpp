// TCP keepalive with explicit probe timing, so dead kiosk links are noticed in minutes, not hours.
#include "net/keepalive.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

namespace net {
namespace {

std::error_code set_int(int fd, int level, int name, long long value) {
  const int v = static_cast<int>(std::clamp<long long>(value, 1, 32767));  // kernel caps
  if (::setsockopt(fd, level, name, &v, sizeof v) != 0) {
    return {errno, std::system_category()};
  }
  return {};
}

}  // namespace

std::error_code enable_keepalive(asio::ip::tcp::socket& socket, std::chrono::seconds idle,
                                 std::chrono::seconds interval, int count) {
  std::error_code ec;
  socket.set_option(asio::socket_base::keep_alive(true), ec);
  if (ec) return ec;
  const int fd = socket.native_handle();
  if (auto e = set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, idle.count())) return e;
  if (auto e = set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, interval.count())) return e;
  return set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, std::min(count, 127));
}

std::error_code set_keepalive(asio::ip::tcp::socket& socket, const Keepalive& k) {
  if (k.enabled) return enable_keepalive(socket, k.idle, k.interval, k.count);
  std::error_code ec;
  socket.set_option(asio::socket_base::keep_alive(false), ec);
  return ec;
}

}  // namespace net
