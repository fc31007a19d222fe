// The TLS channel: a socket driven through the sans-I/O TlsEngine, and the server handshake.
#include <algorithm>
#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "net/channel.hpp"
#include "net/deadline.hpp"
#include "net/socket_io.hpp"
#include "net/tls_engine.hpp"

namespace net {
namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);
/// How long close() waits to deliver close_notify to a peer that does not read.
constexpr std::chrono::seconds kCloseTimeout{2};
/// Every TLS connection starts with a handshake record (RFC 5246 §6.2.1, ContentType 22).
constexpr char kHandshakeRecord = 0x16;

class TlsChannel final : public Channel {
 public:
  TlsChannel(asio::ip::tcp::socket socket, asio::ip::tcp::endpoint peer,
             std::shared_ptr<const TlsContext> context)
      : socket_(std::move(socket)),
        peer_(std::move(peer)),
        context_(std::move(context)),
        engine_(context_->backend()),
        wake_(socket_.get_executor(), asio::steady_timer::time_point::max()) {}

  /// Runs the server side of the handshake, feeding `buffered` first.
  asio::awaitable<std::error_code> handshake(std::chrono::milliseconds timeout,
                                             std::string buffered) {
    const Deadline deadline(socket_, timeout);
    std::string_view pending = buffered;
    bool first = true;
    while (!engine_.established()) {
      std::string_view received = pending;
      pending = {};
      if (received.empty()) {
        auto [ec, n] = co_await socket_.async_read_some(asio::buffer(rx_), use_nothrow);
        if (deadline.expired()) co_return make_error_code(errc::tls_handshake_timeout);
        if (ec) co_return ec;
        received = std::string_view(rx_.data(), n);
      }
      // A kiosk speaking plain SIP2 to a TLS port is refused at once, not after the timeout.
      if (first && received.front() != kHandshakeRecord) co_return make_error_code(errc::not_tls);
      first = false;
      const auto error = engine_.received(received);
      const auto written = co_await flush();  // our flight, or the alert explaining a failure
      if (deadline.expired()) co_return make_error_code(errc::tls_handshake_timeout);
      if (error) co_return error;
      if (written) co_return written;
      if (engine_.closed()) co_return make_error_code(errc::tls_handshake_failed);
    }
    co_return std::error_code{};
  }

  asio::awaitable<std::pair<std::error_code, std::size_t>> read_some(std::span<char> buf) override {
    for (;;) {
      if (auto n = take_plaintext(buf); n > 0 || buf.empty()) {
        co_return std::pair{std::error_code{}, n};
      }
      if (engine_.closed()) co_return std::pair{std::error_code(asio::error::eof), 0};
      // Read when the reactor says so, as plain sessions do (socket_io.hpp: fairness).
      auto [ec, n] = co_await detail::read_when_ready(socket_, asio::buffer(rx_));
      if (ec) co_return std::pair{ec, 0};
      const auto error = engine_.received(std::string_view(rx_.data(), n));
      const auto written = co_await flush();  // alerts and close_notify replies
      if (error) co_return std::pair{error, 0};
      if (written) co_return std::pair{written, 0};
    }
  }

  asio::awaitable<std::error_code> write_all(std::string_view data) override {
    if (write_error_) co_return write_error_;
    if (auto ec = engine_.send(data)) co_return ec;
    co_return co_await flush();
  }

  asio::awaitable<void> close() override {
    if (closed_) co_return;
    closed_ = true;
    engine_.close();
    {
      const Deadline deadline(socket_, kCloseTimeout);
      co_await flush();
    }
    abort();
  }

  void cancel() override {
    std::error_code ignored;
    socket_.cancel(ignored);
  }

  /// Closes the socket without close_notify (the handshake failed).
  void abort() {
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  asio::ip::tcp::socket& socket() override { return socket_; }
  const asio::ip::tcp::endpoint& peer() const override { return peer_; }
  bool is_tls() const override { return true; }

 private:
  std::size_t take_plaintext(std::span<char> buf) {
    auto& plain = engine_.plaintext();
    const auto n = std::min(buf.size(), plain.size() - plain_offset_);
    std::copy_n(plain.data() + plain_offset_, n, buf.data());
    plain_offset_ += n;
    if (plain_offset_ == plain.size()) {
      plain.clear();
      plain_offset_ = 0;
    }
    return n;
  }

  /// Writes everything the engine has queued. A reader and a writer may both flush; the second
  /// waits for the first, whose loop also writes what the second queued. Write errors stick:
  /// a TLS stream cut inside a record cannot be resumed.
  asio::awaitable<std::error_code> flush() {
    while (writing_)
      co_await wake_.async_wait(use_nothrow);
    if (write_error_) co_return write_error_;
    writing_ = true;
    while (!engine_.output().empty() && !write_error_) {
      out_.clear();
      std::swap(out_, engine_.output());
      write_error_ = co_await detail::write_all_now(socket_, asio::buffer(out_));
    }
    writing_ = false;
    wake_.cancel();
    co_return write_error_;
  }

  asio::ip::tcp::socket socket_;
  asio::ip::tcp::endpoint peer_;
  std::shared_ptr<const TlsContext> context_;  // outlives engine_, which borrows its backend
  detail::TlsEngine engine_;
  asio::steady_timer wake_;  // never expires; cancelled to wake a flush waiting for another
  std::array<char, 4096> rx_{};
  std::string out_;
  std::size_t plain_offset_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::error_code write_error_;
};

}  // namespace

asio::awaitable<tl::expected<std::unique_ptr<Channel>, std::error_code>> accept_tls(
    asio::ip::tcp::socket s, asio::ip::tcp::endpoint peer, std::shared_ptr<const TlsContext> ctx,
    std::chrono::milliseconds handshake_timeout, std::string buffered) {
  std::error_code ignored;
  s.set_option(asio::ip::tcp::no_delay(true), ignored);  // no Nagle delay: SIP2 is request/response
  auto channel = std::make_unique<TlsChannel>(std::move(s), std::move(peer), std::move(ctx));
  if (auto ec = co_await channel->handshake(handshake_timeout, std::move(buffered))) {
    channel->abort();
    co_return tl::unexpected(ec);
  }
  co_return std::unique_ptr<Channel>(std::move(channel));
}

}  // namespace net
