// Fair socket reads and prompt writes: see socket_io.hpp.
#include "net/socket_io.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace net::detail {
namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

bool would_block(const std::error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

void make_non_blocking(asio::ip::tcp::socket& socket) {
  if (!socket.non_blocking()) {
    std::error_code ignored;
    socket.non_blocking(true, ignored);
  }
}

}  // namespace

asio::awaitable<std::pair<std::error_code, std::size_t>> read_when_ready(
    asio::ip::tcp::socket& socket, asio::mutable_buffer buf) {
  make_non_blocking(socket);
  for (;;) {
    // A wait is never completed speculatively: it goes through the reactor, which registers
    // the socket again, so bytes that arrived before the wait still wake it.
    auto [wait_ec] = co_await socket.async_wait(asio::ip::tcp::socket::wait_read, use_nothrow);
    if (wait_ec) co_return std::pair{wait_ec, std::size_t{0}};
    std::error_code ec;
    const std::size_t n = socket.read_some(buf, ec);
    if (would_block(ec)) continue;  // woken without data (another reader took it): wait again
    if (!ec && n == 0 && buf.size() > 0) ec = asio::error::eof;
    co_return std::pair{ec, ec ? std::size_t{0} : n};
  }
}

asio::awaitable<std::error_code> write_all_now(asio::ip::tcp::socket& socket,
                                               asio::const_buffer data) {
  make_non_blocking(socket);
  while (data.size() > 0) {
    std::error_code ec;
    const std::size_t n = socket.write_some(data, ec);
    if (!ec) {
      data += n;
      continue;
    }
    if (!would_block(ec)) co_return ec;
    // The peer's window is full: wait until it reads (the session's write deadline bounds it).
    auto [wait_ec] = co_await socket.async_wait(asio::ip::tcp::socket::wait_write, use_nothrow);
    if (wait_ec) co_return wait_ec;
  }
  co_return std::error_code{};
}

}  // namespace net::detail
