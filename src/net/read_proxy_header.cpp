// Reads a PROXY protocol header off a freshly accepted socket, within a deadline.
#include "net/proxy_protocol.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

#include "net/deadline.hpp"

namespace net {

asio::awaitable<tl::expected<ProxyHeader, std::error_code>> read_proxy_header(
    asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout, std::string& leftover) {
  constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);
  leftover.clear();
  // Large enough for any header we accept, so need_more on a full buffer cannot happen.
  std::string buffer(kMaxProxyV2Length, '\0');
  std::size_t filled = 0;
  const Deadline deadline(socket, timeout);
  while (filled < buffer.size()) {
    auto [ec, n] = co_await socket.async_read_some(
        asio::buffer(buffer.data() + filled, buffer.size() - filled), use_nothrow);
    if (deadline.expired()) co_return tl::unexpected(make_error_code(errc::proxy_timeout));
    if (ec) co_return tl::unexpected(ec);
    filled += n;
    auto parsed = parse_proxy_header(std::span<const char>(buffer.data(), filled));
    if (parsed.status == ProxyParse::Status::error) co_return tl::unexpected(parsed.error);
    if (parsed.status == ProxyParse::Status::header) {
      leftover.assign(buffer, parsed.header.size, filled - parsed.header.size);
      co_return parsed.header;
    }
  }
  co_return tl::unexpected(make_error_code(errc::proxy_header_too_long));
}

}  // namespace net
