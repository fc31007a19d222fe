// A connected TCP socket (POSIX, non-blocking underneath) whose calls are bounded by deadlines.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include <tl/expected.hpp>

namespace sip2_client {

using Clock = std::chrono::steady_clock;

/// Owns one socket descriptor; move-only.
class TcpSocket {
 public:
  TcpSocket() = default;
  ~TcpSocket();
  TcpSocket(TcpSocket&& other) noexcept;
  TcpSocket& operator=(TcpSocket&& other) noexcept;
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  /// Resolves `host` and connects to the first address that accepts before `deadline`.
  /// Errors say why: "connection refused", "timed out after 10000 ms", "cannot resolve 'x': ...".
  [[nodiscard]] static tl::expected<TcpSocket, std::string> connect(const std::string& host,
                                                                    std::uint16_t port,
                                                                    Clock::time_point deadline);

  /// Writes every byte; std::errc::timed_out when the deadline passes first.
  [[nodiscard]] std::error_code write_all(std::string_view bytes, Clock::time_point deadline);
  /// Reads at least one byte; std::errc::timed_out at the deadline, std::errc::connection_reset
  /// when the peer closed the connection (EOF included).
  [[nodiscard]] tl::expected<std::size_t, std::error_code> read_some(std::span<char> buffer,
                                                                     Clock::time_point deadline);
  /// Shuts both directions down and closes the descriptor.
  void close() noexcept;
  bool is_open() const noexcept { return fd_ >= 0; }

 private:
  explicit TcpSocket(int fd) noexcept : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace sip2_client
