// The in-memory channel: two byte queues and timers used as wake-up signals.
#include "net/memory_channel.hpp"

#include <algorithm>
#include <stdexcept>

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace net {

namespace detail {

/// State shared by both ends. The timers never expire: cancelling one wakes its waiter.
struct MemoryPipe {
  explicit MemoryPipe(const asio::any_io_executor& ex)
      : socket(ex),
        readable(ex, asio::steady_timer::time_point::max()),
        writable(ex, asio::steady_timer::time_point::max()) {}
  asio::ip::tcp::socket socket;  ///< never opened; Channel::socket() must return something
  asio::ip::tcp::endpoint peer;
  std::string to_session;
  std::string from_session;
  std::size_t capacity = std::numeric_limits<std::size_t>::max();
  bool eof = false;
  bool closed = false;
  bool cancelled = false;
  bool throw_next_read = false;
  std::optional<Keepalive> keepalive;  ///< what the session set, if anything
  bool writer_waiting = false;
  asio::steady_timer readable;
  asio::steady_timer writable;
};

}  // namespace detail

namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

class MemoryChannel final : public Channel {
 public:
  explicit MemoryChannel(std::shared_ptr<detail::MemoryPipe> pipe) : pipe_(std::move(pipe)) {}

  asio::awaitable<std::pair<std::error_code, std::size_t>> read_some(std::span<char> buf) override {
    auto& p = *pipe_;
    for (;;) {
      if (p.throw_next_read) {
        p.throw_next_read = false;
        throw std::runtime_error("memory channel: injected read failure");
      }
      if (p.closed || p.cancelled) {
        p.cancelled = false;
        co_return std::pair{std::error_code(asio::error::operation_aborted), std::size_t{0}};
      }
      if (!p.to_session.empty()) {
        const auto n = std::min(buf.size(), p.to_session.size());
        std::copy_n(p.to_session.data(), n, buf.data());
        p.to_session.erase(0, n);
        co_return std::pair{std::error_code{}, n};
      }
      if (p.eof) co_return std::pair{std::error_code(asio::error::eof), std::size_t{0}};
      auto [ec] = co_await p.readable.async_wait(use_nothrow);
      if (ec && !p.cancelled && !p.throw_next_read && p.to_session.empty() && !p.eof)
        co_return std::pair{ec, std::size_t{0}};  // our caller cancelled the read
    }
  }

  asio::awaitable<std::error_code> write_all(std::string_view data) override {
    auto& p = *pipe_;
    while (!data.empty()) {
      if (p.closed) co_return std::error_code(asio::error::broken_pipe);
      const auto room = p.capacity > p.from_session.size() ? p.capacity - p.from_session.size() : 0;
      if (room > 0) {
        const auto n = std::min(room, data.size());
        p.from_session.append(data.substr(0, n));
        data.remove_prefix(n);
        continue;
      }
      p.writer_waiting = true;
      auto [ec] = co_await p.writable.async_wait(use_nothrow);
      p.writer_waiting = false;
      if (p.cancelled) {
        p.cancelled = false;
        co_return std::error_code(asio::error::operation_aborted);
      }
      const auto now_room = p.capacity > p.from_session.size();
      if (ec && !now_room) co_return ec;  // our caller cancelled the write
    }
    co_return std::error_code{};
  }

  asio::awaitable<void> close() override {
    pipe_->closed = true;
    co_return;
  }

  void cancel() override {
    pipe_->cancelled = true;
    pipe_->readable.cancel();
    pipe_->writable.cancel();
  }

  asio::ip::tcp::socket& socket() override { return pipe_->socket; }
  const asio::ip::tcp::endpoint& peer() const override { return pipe_->peer; }
  bool is_tls() const override { return false; }
  std::error_code keepalive(const Keepalive& k) override {
    pipe_->keepalive = k;
    return {};
  }

 private:
  std::shared_ptr<detail::MemoryPipe> pipe_;
};

}  // namespace

void MemoryPeer::send(std::string_view bytes) {
  pipe_->to_session.append(bytes);
  pipe_->readable.cancel();
}

void MemoryPeer::hang_up() {
  pipe_->eof = true;
  pipe_->readable.cancel();
}

std::string MemoryPeer::receive() {
  std::string out;
  std::swap(out, pipe_->from_session);
  pipe_->writable.cancel();
  return out;
}

void MemoryPeer::set_receive_capacity(std::size_t bytes) {
  pipe_->capacity = bytes;
  pipe_->writable.cancel();
}

void MemoryPeer::throw_on_next_read() {
  pipe_->throw_next_read = true;
  pipe_->readable.cancel();
}

std::optional<Keepalive> MemoryPeer::keepalive() const {
  return pipe_->keepalive;
}

bool MemoryPeer::closed() const {
  return pipe_->closed;
}
bool MemoryPeer::writer_blocked() const {
  return pipe_->writer_waiting;
}

std::pair<std::unique_ptr<Channel>, MemoryPeer> make_memory_channel(
    const asio::any_io_executor& executor, asio::ip::tcp::endpoint peer) {
  auto pipe = std::make_shared<detail::MemoryPipe>(executor);
  pipe->peer = std::move(peer);
  return {std::make_unique<MemoryChannel>(pipe), MemoryPeer(pipe)};
}

}  // namespace net
