// Test helpers: one io_context with a hard deadline, loopback port 0, an echo session.
#pragma once

#include <array>
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "net/channel.hpp"

namespace net::test {

/// Starts a coroutine; an exception escaping it propagates out of ctx.run_for().
template <typename F>
void spawn(asio::io_context& ctx, F&& coroutine) {
  asio::co_spawn(ctx, std::forward<F>(coroutine), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
}

/// Runs ctx until it runs out of work; false if `limit` passed first (a hung test).
inline bool run_to_completion(asio::io_context& ctx,
                              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  ctx.run_for(limit);
  return ctx.stopped();
}

/// An acceptor on `address` port 0 (the kernel picks a free port).
inline asio::ip::tcp::acceptor listen(
    asio::io_context& ctx, const asio::ip::address& address = asio::ip::address_v4::loopback()) {
  return asio::ip::tcp::acceptor(ctx, asio::ip::tcp::endpoint(address, 0));
}

/// A session that echoes every byte until the peer closes, then closes the channel. Returns the
/// error that ended it (asio::error::eof when the peer closed cleanly).
inline asio::awaitable<std::error_code> echo(Channel& channel) {
  std::array<char, 512> buf{};
  std::error_code ended;
  for (;;) {
    auto [ec, n] = co_await channel.read_some(buf);
    if (ec) {
      ended = ec;
      break;
    }
    if (auto write_error = co_await channel.write_all(std::string_view(buf.data(), n))) {
      ended = write_error;
      break;
    }
  }
  co_await channel.close();
  co_return ended;
}

}  // namespace net::test
