// Tests for accept_tls and the TLS channel against a Botan TLS client on loopback sockets.
#define BOOST_TEST_MODULE tls_channel
#include <boost/test/unit_test.hpp>

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <limits>
#include <optional>
#include <string>

#include "net/channel.hpp"
#include "net/proxy_protocol.hpp"
#include "net/tls_context.hpp"
#include "net_test_loop.hpp"
#include "test_pki.hpp"
#include "tls_test_client.hpp"

namespace {

using asio::ip::tcp;
using namespace std::chrono_literals;
using net::test::ClientOptions;
using net::test::listen;
using net::test::run_to_completion;
using net::test::spawn;
using net::test::TestPki;
using net::test::TlsTestClient;

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);
const std::string kLogin = "9300CNkiosk|COsecret|CPmain|AY0AZF5A1\r";

std::shared_ptr<const net::TlsContext> context(std::string client_ca = {}, bool require = false) {
  const auto& pki = TestPki::get();
  auto loaded = net::TlsContext::load(
      {pki.server.cert_file, pki.server.key_file, std::move(client_ca), require});
  BOOST_REQUIRE_MESSAGE(loaded.has_value(), loaded.error());
  return *loaded;
}

ClientOptions trusting_server() {
  ClientOptions options;
  options.trusted = {TestPki::get().server_ca.cert};
  return options;
}

ClientOptions presenting(const net::test::Identity& id) {
  auto options = trusting_server();
  options.chain = {id.cert};
  options.key = id.key;
  return options;
}

/// The server side of one connection: accept_tls, then echo until the client closes.
struct Server {
  explicit Server(std::shared_ptr<const net::TlsContext> context,
                  std::chrono::milliseconds handshake_timeout = 10s)
      : tls(std::move(context)), timeout(handshake_timeout) {}

  std::shared_ptr<const net::TlsContext> tls;
  std::chrono::milliseconds timeout;
  std::optional<std::error_code> handshake;  ///< set when accept_tls returned
  std::optional<std::error_code> ended;      ///< how the echo loop ended
  std::optional<tcp::endpoint> peer;
  std::chrono::steady_clock::duration took{};

  asio::awaitable<void> run(tcp::acceptor& acceptor, bool proxied = false) {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    auto from = socket.remote_endpoint();
    std::string leftover;
    if (proxied) {
      auto header = co_await net::read_proxy_header(socket, timeout, leftover);
      BOOST_REQUIRE(header.has_value());
      from = header->source.value_or(from);
    }
    const auto start = std::chrono::steady_clock::now();
    auto channel = co_await net::accept_tls(std::move(socket), from, tls, timeout, leftover);
    took = std::chrono::steady_clock::now() - start;
    if (!channel) {
      handshake = channel.error();
      co_return;
    }
    handshake = std::error_code{};
    BOOST_TEST((*channel)->is_tls());
    peer = (*channel)->peer();
    ended = co_await net::test::echo(**channel);
  }
};

/// The client side: handshake, send each message, read the echo, close.
struct Client {
  explicit Client(ClientOptions client_options) : options(std::move(client_options)) {}

  ClientOptions options;
  std::optional<std::error_code> handshake;
  std::string echoed;

  asio::awaitable<void> run(tcp::endpoint to, std::vector<std::string> messages) {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(to, asio::use_awaitable);
    TlsTestClient client(std::move(socket), options);
    handshake = co_await client.handshake();
    if (*handshake) co_return;
    for (const auto& message : messages) {
      const auto written = co_await client.write(message);
      BOOST_REQUIRE(!written);
      auto back = co_await client.read(message.size());
      BOOST_REQUIRE(back.has_value());
      echoed += *back;
    }
    co_await client.close();
  }
};

/// Runs one server and one client to completion.
void run(Server& server, Client& client, std::vector<std::string> messages,
         const asio::ip::address& address = asio::ip::address_v4::loopback()) {
  asio::io_context ctx;
  auto acceptor = listen(ctx, address);
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor); });
  spawn(ctx, [&, messages]() -> asio::awaitable<void> {
    co_await client.run(acceptor.local_endpoint(), messages);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
}

/// Connects, writes `bytes` (maybe none), and waits for the server to hang up.
asio::awaitable<std::error_code> send_raw(tcp::endpoint to, std::string bytes) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect(to, asio::use_awaitable);
  if (!bytes.empty()) co_await asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable);
  std::array<char, 256> buf{};
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), use_nothrow);
    if (ec) co_return ec;
  }
}

/// Runs a server against a raw client that sends `bytes`; returns how the client saw the end.
std::error_code run_raw(Server& server, std::string bytes) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::error_code client_end;
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor); });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    client_end = co_await send_raw(acceptor.local_endpoint(), bytes);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  return client_end;
}

bool ipv6_loopback_available() {
  asio::io_context ctx;
  tcp::acceptor acceptor(ctx);
  std::error_code ec;
  acceptor.open(tcp::v6(), ec);
  if (!ec) acceptor.bind(tcp::endpoint(asio::ip::address_v6::loopback(), 0), ec);
  return !ec;
}

std::error_code code(net::errc e) {
  return make_error_code(e);
}

/// Reads raw TLS records (no decryption) and checks their framing: TLS 1.2 application data
/// (AES-GCM: 8-byte explicit nonce + 16-byte tag per record) followed by alerts.
struct RecordScan {
  std::string pending;
  std::size_t received = 0;
  std::size_t application_bytes = 0;
  std::size_t alerts_after_data = 0;
  bool framing_ok = true;

  /// Reads until at least `limit` more bytes arrived or the server hung up.
  asio::awaitable<void> read(tcp::socket& socket, std::size_t limit) {
    std::array<char, 65536> buf{};
    for (std::size_t got = 0; got < limit;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buf), use_nothrow);
      if (ec) break;
      got += n;
      pending.append(buf.data(), n);
      parse();
    }
  }

  void parse() {
    std::size_t at = 0;
    while (framing_ok && pending.size() - at >= 5) {
      const auto type = static_cast<unsigned char>(pending[at]);
      const auto length =
          static_cast<std::size_t>(static_cast<unsigned char>(pending[at + 3]) << 8 |
                                   static_cast<unsigned char>(pending[at + 4]));
      framing_ok = pending[at + 1] == 3 && pending[at + 2] == 3 && length <= 16384 + 2048 &&
                   (type == 23 || type == 21);
      if (!framing_ok || pending.size() - at < 5 + length) break;
      if (type == 23) {
        framing_ok = alerts_after_data == 0 && length > 24;
        application_bytes += length - 24;
      } else {
        ++alerts_after_data;
      }
      at += 5 + length;
    }
    pending.erase(0, at);
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(echoes_over_tls_with_a_self_signed_certificate) {
  Server server{context()};
  Client client{trusting_server()};
  const std::string big(40000, 'x');  // several TLS records and socket reads
  run(server, client, {kLogin, big, "9900302.00AY1AZFCA5\r"});
  BOOST_TEST(!client.handshake.value());
  BOOST_TEST((client.echoed == kLogin + big + "9900302.00AY1AZFCA5\r"));  // no 40 KB diff print
  BOOST_TEST((server.ended == asio::error::eof));  // the client's close_notify
}

BOOST_AUTO_TEST_CASE(peer_is_the_endpoint_given_to_accept_tls) {
  Server server{context()};
  Client client{trusting_server()};
  run(server, client, {kLogin});
  BOOST_REQUIRE(server.peer.has_value());
  BOOST_TEST(server.peer->address().is_loopback());
}

BOOST_AUTO_TEST_CASE(refuses_a_plain_text_client_at_once) {
  Server server{context(), 60s};
  const auto client_end = run_raw(server, kLogin);
  BOOST_TEST(server.handshake.value() == code(net::errc::not_tls));
  BOOST_TEST((server.took < 10s));  // not the 60 s handshake timeout
  BOOST_TEST(static_cast<bool>(client_end));
}

BOOST_AUTO_TEST_CASE(times_out_a_client_that_says_nothing) {
  Server server{context(), 200ms};
  const auto client_end = run_raw(server, "");
  BOOST_TEST(server.handshake.value() == code(net::errc::tls_handshake_timeout));
  BOOST_TEST((client_end == asio::error::eof));
}

BOOST_AUTO_TEST_CASE(times_out_a_client_that_stops_inside_its_hello) {
  Server server{context(), 200ms};
  run_raw(server, std::string("\x16\x03\x01\x00\xc8\x01", 6));
  BOOST_TEST(server.handshake.value() == code(net::errc::tls_handshake_timeout));
}

BOOST_AUTO_TEST_CASE(fails_a_handshake_record_that_is_garbage) {
  Server server{context(), 60s};
  run_raw(server, std::string("\x16\x03\x01\xff\xff\x01\x00", 7));  // 64 KiB record
  BOOST_TEST(server.handshake.value() == code(net::errc::tls_handshake_failed));
  BOOST_TEST((server.took < 10s));
}

BOOST_AUTO_TEST_CASE(refuses_a_tls_1_1_client) {
  Server server{context()};
  auto options = trusting_server();
  options.version = Botan::TLS::Protocol_Version::TLS_V11;
  Client client{options};
  run(server, client, {kLogin});
  BOOST_TEST(server.handshake.value() == code(net::errc::tls_handshake_failed));
  BOOST_TEST(static_cast<bool>(client.handshake.value()));
}

BOOST_AUTO_TEST_CASE(accepts_a_client_certificate_from_the_client_ca) {
  const auto& pki = TestPki::get();
  Server server{context(pki.client_ca.cert_file, true)};
  Client client{presenting(pki.client)};
  run(server, client, {kLogin});
  BOOST_TEST(!server.handshake.value());
  BOOST_TEST(client.echoed == kLogin);
}

BOOST_AUTO_TEST_CASE(refuses_a_client_without_certificate_when_one_is_required) {
  const auto& pki = TestPki::get();
  Server server{context(pki.client_ca.cert_file, true)};
  Client client{trusting_server()};
  run(server, client, {kLogin});
  BOOST_TEST(server.handshake.value() == code(net::errc::tls_handshake_failed));
  BOOST_TEST(static_cast<bool>(client.handshake.value()));
}

BOOST_AUTO_TEST_CASE(refuses_a_client_certificate_from_another_ca) {
  const auto& pki = TestPki::get();
  Server server{context(pki.client_ca.cert_file, false)};
  Client client{presenting(pki.stranger)};
  run(server, client, {kLogin});
  BOOST_TEST(server.handshake.value() == code(net::errc::tls_handshake_failed));
  BOOST_TEST(static_cast<bool>(client.handshake.value()));
}

BOOST_AUTO_TEST_CASE(accepts_a_client_without_certificate_when_one_is_optional) {
  const auto& pki = TestPki::get();
  Server server{context(pki.client_ca.cert_file, false)};
  Client client{trusting_server()};
  run(server, client, {kLogin});
  BOOST_TEST(!server.handshake.value());
  BOOST_TEST(client.echoed == kLogin);
}

BOOST_AUTO_TEST_CASE(reads_a_proxy_header_before_the_handshake) {
  Server server{context()};
  auto options = trusting_server();
  // PROXY v2, TCP over IPv4, 192.0.2.9:40000 -> 192.0.2.1:6001, sent with the ClientHello.
  options.preamble = std::string("\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x0c", 16) +
                     std::string("\xc0\x00\x02\x09\xc0\x00\x02\x01\x9c\x40\x17\x71", 12);
  Client client{options};
  const std::vector<std::string> messages{kLogin};
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  spawn(ctx, [&]() -> asio::awaitable<void> { co_await server.run(acceptor, true); });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    co_await client.run(acceptor.local_endpoint(), messages);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_TEST(client.echoed == kLogin);
  BOOST_TEST((server.peer == tcp::endpoint(asio::ip::make_address("192.0.2.9"), 40000)));
}

BOOST_AUTO_TEST_CASE(server_close_sends_close_notify) {
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::optional<tl::expected<std::string, std::error_code>> after_close;
  std::string greeting;
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    auto channel = co_await net::accept_tls(std::move(socket), tcp::endpoint(), context(), 10s);
    BOOST_REQUIRE(channel.has_value());
    const auto written = co_await (*channel)->write_all("96AZFEF6\r");
    BOOST_REQUIRE(!written);
    co_await (*channel)->close();
    const auto late = co_await (*channel)->write_all("late");
    BOOST_TEST(late == code(net::errc::tls_closed));
  });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
    TlsTestClient client(std::move(socket), trusting_server());
    const auto handshake = co_await client.handshake();
    BOOST_REQUIRE(!handshake);
    auto first = co_await client.read(9);
    BOOST_REQUIRE(first.has_value());
    greeting = *first;
    after_close = co_await client.read(1);
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_TEST(greeting == "96AZFEF6\r");
  BOOST_REQUIRE(after_close.has_value());
  BOOST_TEST((!after_close->has_value() && after_close->error() == asio::error::eof));
}

BOOST_AUTO_TEST_CASE(a_read_and_a_write_may_be_outstanding_together) {
  // While the server writes 16 MiB to a client that reads slowly, its reader gets close_notify and
  // Botan queues the reply mid-write. The reply must follow the bulk, not cut into its records;
  // the client checks the record framing of everything it receives after its close_notify.
  const std::string bulk(16 << 20, 'b');
  asio::io_context ctx;
  auto acceptor = listen(ctx);
  std::unique_ptr<net::Channel> channel;
  std::optional<std::error_code> server_wrote;
  std::error_code server_read_end;
  RecordScan scan;
  spawn(ctx, [&]() -> asio::awaitable<void> {
    auto socket = co_await acceptor.async_accept(asio::use_awaitable);
    auto accepted = co_await net::accept_tls(std::move(socket), tcp::endpoint(), context(), 10s);
    BOOST_REQUIRE(accepted.has_value());
    channel = std::move(*accepted);
    std::array<char, 64> buf{};
    auto [ec, n] = co_await channel->read_some(buf);  // the client's "go"
    BOOST_REQUIRE(!ec);
    spawn(ctx,
          [&]() -> asio::awaitable<void> { server_wrote = co_await channel->write_all(bulk); });
    server_read_end = (co_await channel->read_some(buf)).first;
    co_await channel->close();
  });
  spawn(ctx, [&]() -> asio::awaitable<void> {
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
    TlsTestClient client(std::move(socket), trusting_server());
    const auto handshake = co_await client.handshake();
    BOOST_REQUIRE(!handshake);
    const auto go = co_await client.write("go");
    BOOST_REQUIRE(!go);
    co_await scan.read(client.socket(), 1 << 20);  // the write is under way
    const auto sent = co_await client.send_close_notify();
    BOOST_REQUIRE(!sent);
    co_await scan.read(client.socket(), std::numeric_limits<std::size_t>::max());
  });
  BOOST_REQUIRE(run_to_completion(ctx));
  BOOST_TEST(!server_wrote.value());
  BOOST_TEST((server_read_end == asio::error::eof));
  BOOST_TEST(scan.framing_ok);
  BOOST_TEST(scan.application_bytes == bulk.size());
  BOOST_TEST(scan.alerts_after_data == 1u);  // the close_notify reply, after the last data record
}

BOOST_AUTO_TEST_CASE(works_on_ipv6_loopback,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                       return ipv6_loopback_available();
                     })) {
  Server server{context()};
  Client client{trusting_server()};
  run(server, client, {kLogin}, asio::ip::address_v6::loopback());
  BOOST_TEST(client.echoed == kLogin);
  BOOST_REQUIRE(server.peer.has_value());
  BOOST_TEST(server.peer->address().is_v6());
}
