// A timer that cancels a socket's pending operations when a deadline passes.
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>

namespace net {

/// Armed on construction, disarmed on destruction; check expired() after every operation it guards
/// completes (an expiry between two operations cancels nothing). The socket must stay in place and
/// run on a single-threaded executor (or a strand) while the deadline lives.
class Deadline {
 public:
  Deadline(asio::ip::tcp::socket& socket, std::chrono::milliseconds after);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  /// The deadline passed and the socket's operations were cancelled.
  bool expired() const { return state_->expired; }

 private:
  struct State {
    asio::ip::tcp::socket* socket;
    bool expired = false;
  };
  std::shared_ptr<State> state_;
  asio::steady_timer timer_;
};

}  // namespace net
