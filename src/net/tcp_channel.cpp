// The plain TCP channel: a socket, and bytes that were read before the session took it over.
#include "net/channel.hpp"

#include <algorithm>

#include "net/socket_io.hpp"

namespace net {
namespace {

class TcpChannel final : public Channel {
 public:
  TcpChannel(asio::ip::tcp::socket socket, asio::ip::tcp::endpoint peer, std::string buffered)
      : socket_(std::move(socket)), peer_(std::move(peer)), buffered_(std::move(buffered)) {}

  asio::awaitable<std::pair<std::error_code, std::size_t>> read_some(std::span<char> buf) override {
    if (buffered_offset_ < buffered_.size()) co_return std::pair{std::error_code{}, take(buf)};
    // Through the reactor, in the order sockets became readable (see socket_io.hpp).
    co_return co_await detail::read_when_ready(socket_, asio::buffer(buf.data(), buf.size()));
  }

  asio::awaitable<std::error_code> write_all(std::string_view data) override {
    co_return co_await detail::write_all_now(socket_, asio::buffer(data.data(), data.size()));
  }

  asio::awaitable<void> close() override {
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    co_return;
  }

  void cancel() override {
    std::error_code ignored;
    socket_.cancel(ignored);
  }

  asio::ip::tcp::socket& socket() override { return socket_; }
  const asio::ip::tcp::endpoint& peer() const override { return peer_; }
  bool is_tls() const override { return false; }

 private:
  /// Copies buffered bytes into buf; frees them once all are consumed.
  std::size_t take(std::span<char> buf) {
    const auto n = std::min(buf.size(), buffered_.size() - buffered_offset_);
    std::copy_n(buffered_.data() + buffered_offset_, n, buf.data());
    buffered_offset_ += n;
    if (buffered_offset_ == buffered_.size()) {
      buffered_ = std::string();
      buffered_offset_ = 0;
    }
    return n;
  }

  asio::ip::tcp::socket socket_;
  asio::ip::tcp::endpoint peer_;
  std::string buffered_;
  std::size_t buffered_offset_ = 0;
};

}  // namespace

std::unique_ptr<Channel> make_tcp_channel(asio::ip::tcp::socket s, asio::ip::tcp::endpoint peer,
                                          std::string buffered) {
  std::error_code ignored;
  // SIP2 is request/response: Nagle's algorithm would hold a small write back until the peer's
  // delayed ACK, tens of milliseconds.
  s.set_option(asio::ip::tcp::no_delay(true), ignored);
  return std::make_unique<TcpChannel>(std::move(s), std::move(peer), std::move(buffered));
}

}  // namespace net
