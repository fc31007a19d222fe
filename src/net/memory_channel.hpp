// An in-memory Channel for session tests: the test plays the kiosk through a MemoryPeer.
#pragma once

#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <asio/any_io_executor.hpp>

#include "net/channel.hpp"

namespace net {

namespace detail {
struct MemoryPipe;
}

/// The kiosk's end of a memory channel. Everything runs on one io_context thread.
class MemoryPeer {
 public:
  explicit MemoryPeer(std::shared_ptr<detail::MemoryPipe> pipe) : pipe_(std::move(pipe)) {}
  /// Bytes the session will read next.
  void send(std::string_view bytes);
  /// The kiosk hangs up: the session's next read sees end of file.
  void hang_up();
  /// Takes what the session wrote so far; frees room for a writer blocked on a full buffer.
  [[nodiscard]] std::string receive();
  /// How many bytes the kiosk's side accepts before the session's writes block (a kiosk that
  /// stops reading); the default never blocks.
  void set_receive_capacity(std::size_t bytes);
  /// The session's next read throws (an exception the session must contain).
  void throw_on_next_read();
  /// The TCP keepalive the session set on the connection, if it set one.
  [[nodiscard]] std::optional<Keepalive> keepalive() const;
  /// The session closed its end.
  [[nodiscard]] bool closed() const;
  /// A write is waiting for room.
  [[nodiscard]] bool writer_blocked() const;

 private:
  std::shared_ptr<detail::MemoryPipe> pipe_;
};

/// Makes both ends. `peer` is the address the session believes it talks to.
[[nodiscard]] std::pair<std::unique_ptr<Channel>, MemoryPeer> make_memory_channel(
    const asio::any_io_executor& executor, asio::ip::tcp::endpoint peer);

}  // namespace net
