// Tests for the plain TCP channel, the PROXY header reader and keepalive, on loopback sockets.
#define BOOST_TEST_MODULE tcp_channel
#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "net/channel.hpp"
#include "net/keepalive.hpp"
#include "net/proxy_protocol.hpp"
#include "net_test_loop.hpp"

namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;
using net::test::listen;
using net::test::run_to_completion;
using net::test::spawn;

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

asio::awaitable<tcp::socket> connect(const tcp::endpoint& to) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(to, asio::use_awaitable);
  co_return socket;
}

asio::awaitable<std::string> read_exactly(tcp::socket& socket, std::size_t n) {
  std::string bytes(n, '\0');
  co_await asio::async_read(socket, asio::buffer(bytes), asio::use_awaitable);
  co_return bytes;
}

/// Waits for EOF (or any error) and reports how it ended.
asio::awaitable<std::error_code> read_until_error(tcp::socket& socket) {
  std::array<char, 64> buf{};
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), use_nothrow);
    if (ec) co_return ec;
  }
}

/// Accepts one connection and reads a PROXY header from it with the given timeout.
struct ProxyServer {
  std::optional<tl::expected<net::ProxyHeader, std::error_code>> result;
  std::string leftover;
  std::chrono::steady_clock::duration took{};

  asio::awaitable<void> run(tcp::acceptor& acceptor, std::chrono::milliseconds timeout) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    const auto start = std::chrono::steady_clock::now();
    result = co_await net::read_proxy_header(socket, timeout, leftover);
    took = std::chrono::steady_clock::now() - start;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(echoes_bytes_over_loopback) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::string echoed;
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    const auto peer = socket.remote_endpoint();
    auto channel = net::make_tcp_channel(std::move(socket), peer);
    BOOST_TEST(!channel->is_tls());
    BOOST_TEST((channel->peer() == peer));
    const auto ended = co_await net::test::echo(*channel);
    BOOST_TEST((ended == asio::error::eof));
  });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    const std::string message = "9900302.00AY1AZFCA5\r";
    co_await asio::async_write(socket, asio::buffer(message), asio::use_awaitable);
    echoed = co_await read_exactly(socket, message.size());
    socket.shutdown(tcp::socket::shutdown_send);
    const auto closed = co_await read_until_error(socket);
    BOOST_TEST((closed == asio::error::eof));
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_TEST(echoed == "9900302.00AY1AZFCA5\r");
}

BOOST_AUTO_TEST_CASE(returns_buffered_bytes_before_socket_bytes) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::vector<std::string> chunks;
  std::string all;
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    auto channel = net::make_tcp_channel(std::move(socket), tcp::endpoint(), "abc");
    std::array<char, 2> buf{};
    while (all.size() < 5) {
      auto [ec, n] = co_await channel->read_some(buf);
      BOOST_REQUIRE(!ec);
      chunks.emplace_back(buf.data(), n);
      all += chunks.back();
    }
  });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    co_await asio::async_write(socket, asio::buffer(std::string("de")), asio::use_awaitable);
    co_await read_until_error(socket);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_REQUIRE(chunks.size() >= 3u);
  BOOST_TEST(chunks[0] == "ab");
  BOOST_TEST(chunks[1] == "c");
  BOOST_TEST(all == "abcde");
}

BOOST_AUTO_TEST_CASE(cancel_aborts_a_pending_read) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::error_code read_error;
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    auto channel = net::make_tcp_channel(std::move(socket), tcp::endpoint());
    asio::post(ctx, [&] { channel->cancel(); });  // runs once the read below is pending
    std::array<char, 16> buf{};
    read_error = (co_await channel->read_some(buf)).first;
    co_await channel->close();
  });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    co_await read_until_error(socket);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_TEST((read_error == asio::error::operation_aborted));
}

BOOST_AUTO_TEST_CASE(peer_reports_the_proxy_source_and_keeps_data_after_the_header) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::string first_message;
  std::optional<tcp::endpoint> peer;
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    std::string leftover;
    auto header = co_await net::read_proxy_header(socket, 5s, leftover);
    BOOST_REQUIRE(header.has_value());
    BOOST_REQUIRE(header->source.has_value());
    auto channel = net::make_tcp_channel(std::move(socket), *header->source, std::move(leftover));
    peer = channel->peer();
    std::array<char, 64> buf{};
    while (first_message.find('\r') == std::string::npos) {
      auto [ec, n] = co_await channel->read_some(buf);
      BOOST_REQUIRE(!ec);
      first_message.append(buf.data(), n);
    }
  });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    const std::string bytes = "PROXY TCP6 2001:db8::7 2001:db8::1 40000 6001\r\n9900302.00\r";
    co_await asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable);
    co_await read_until_error(socket);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_TEST((peer == tcp::endpoint(asio::ip::make_address("2001:db8::7"), 40000)));
  BOOST_TEST(first_message == "9900302.00\r");
}

BOOST_AUTO_TEST_CASE(proxy_header_times_out_when_the_client_says_nothing) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  ProxyServer server;
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor, 100ms); });
  std::optional<tcp::socket> client;
  spawn(ctx,
        [&]() -> asio::awaitable<void> { client = co_await connect(acceptor.local_endpoint()); });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_REQUIRE(server.result.has_value());
  BOOST_REQUIRE(!server.result->has_value());
  BOOST_TEST(server.result->error() == make_error_code(net::errc::proxy_timeout));
}

BOOST_AUTO_TEST_CASE(proxy_header_refuses_plain_sip2_at_once) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  ProxyServer server;
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor, 60s); });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    const std::string login = "9300CNkiosk|COsecret|CPmain|\r";
    co_await asio::async_write(socket, asio::buffer(login), asio::use_awaitable);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_REQUIRE(!server.result->has_value());
  BOOST_TEST(server.result->error() == make_error_code(net::errc::proxy_bad_signature));
  BOOST_TEST((server.took < 10s));  // not the 60 s deadline
}

BOOST_AUTO_TEST_CASE(proxy_header_reports_a_client_that_hangs_up) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  ProxyServer server;
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor, 60s); });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    co_await asio::async_write(socket, asio::buffer(std::string("PROXY TCP4 1.2")),
                               asio::use_awaitable);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_REQUIRE(!server.result->has_value());
  BOOST_TEST((server.result->error() == asio::error::eof));
}

BOOST_AUTO_TEST_CASE(proxy_v2_header_split_across_writes_is_reassembled) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  ProxyServer server;
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor, 5s); });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await connect(acceptor.local_endpoint());
    const std::string header(
        "\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0c\x7f\x00\x00\x05\x7f\x00\x00\x01"
        "\x13\x88\x17\x71",
        28);
    for (char c : header) {
      co_await asio::async_write(socket, asio::buffer(&c, 1), asio::use_awaitable);
    }
    co_await read_until_error(socket);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_REQUIRE(server.result->has_value());
  BOOST_TEST(
      ((*server.result)->source == tcp::endpoint(asio::ip::make_address("127.0.0.5"), 5000)));
  BOOST_TEST(server.leftover.empty());
}

BOOST_AUTO_TEST_CASE(keepalive_sets_probe_timing) {
  asio::io_context ctx;
  tcp::socket socket(ctx, tcp::v4());
  BOOST_REQUIRE(!net::enable_keepalive(socket, 120s, 15s, 4));
  const auto get = [&](int level, int name) {
    int value = -1;
    socklen_t size = sizeof value;
    ::getsockopt(socket.native_handle(), level, name, &value, &size);
    return value;
  };
  BOOST_TEST(get(SOL_SOCKET, SO_KEEPALIVE) == 1);
  BOOST_TEST(get(IPPROTO_TCP, TCP_KEEPIDLE) == 120);
  BOOST_TEST(get(IPPROTO_TCP, TCP_KEEPINTVL) == 15);
  BOOST_TEST(get(IPPROTO_TCP, TCP_KEEPCNT) == 4);
}

BOOST_AUTO_TEST_CASE(keepalive_reports_a_closed_socket) {
  asio::io_context ctx;
  tcp::socket socket(ctx);
  BOOST_TEST(static_cast<bool>(net::enable_keepalive(socket, 120s, 15s, 4)));
}
