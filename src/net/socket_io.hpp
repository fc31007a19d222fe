// Socket reads and writes that keep one io thread fair to thousands of sessions.
//
// Asio tries a read or write at once when it is started ("speculatively") and, when that
// succeeds, queues the completion behind everything else the io thread has to do. Sessions whose
// data is already there when they read therefore never wait for the reactor, and pass once per
// round of the handler queue; sessions whose data arrives while they wait go through the
// reactor, which takes at most 128 ready sockets per round. Under load the first kind is served
// many times while the second waits: with 10,000 connections a few percent of requests waited
// seconds. These helpers read only after the reactor reported the socket readable (so every
// reader queues in the kernel's ready order, oldest first) and write at once when the socket
// takes the bytes, without a round through the handler queue.
#pragma once

#include <cstddef>
#include <system_error>
#include <utility>

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>

namespace net::detail {

/// Waits until the reactor reports `socket` readable, then reads what is there without
/// blocking. {error, 0} on end of file, error or cancellation; never {no error, 0} for a
/// non-empty buffer. Puts the socket in non-blocking mode.
asio::awaitable<std::pair<std::error_code, std::size_t>> read_when_ready(
    asio::ip::tcp::socket& socket, asio::mutable_buffer buf);

/// Writes all of `data`: at once as far as the socket takes it, the rest whenever the reactor
/// reports the socket writable. Puts the socket in non-blocking mode.
asio::awaitable<std::error_code> write_all_now(asio::ip::tcp::socket& socket,
                                               asio::const_buffer data);

}  // namespace net::detail
