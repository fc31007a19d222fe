// One generator io thread: its io_context, its share of the connections, its counters.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "bench_options.hpp"
#include "client_connection.hpp"
#include "run_control.hpp"
#include "run_stats.hpp"

namespace bench {

/// Owns connections `first, first + stride, ...` below `options.connections`. Every member
/// function except the constructor runs on the io thread (post to it).
class Worker {
 public:
  Worker(const BenchOptions& options, RunControl& control, asio::ip::tcp::endpoint server,
         std::size_t first, std::size_t stride);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  asio::io_context& io() noexcept { return io_; }
  /// Ramp-up: connect with at most `connects_in_flight / threads` pending, at the connect rate.
  void start_ramp();
  /// Warm-up begins: every connection starts its load.
  void start_load();
  /// Resets every connection and lets the io_context run out.
  void stop();

  // For the connections:
  [[nodiscard]] const BenchOptions& options() const noexcept { return options_; }
  [[nodiscard]] RunControl& control() noexcept { return control_; }
  [[nodiscard]] RunStats& stats() noexcept { return stats_; }
  [[nodiscard]] const asio::ip::tcp::endpoint& server() const noexcept { return server_; }
  [[nodiscard]] std::span<char> read_buffer() noexcept { return read_buffer_; }
  /// A connection of the ramp is up (`up`) or gave up: frees its ramp slot.
  void ramp_finished(bool up);

 private:
  void pump();
  void arm_sweep();

  const BenchOptions& options_;
  RunControl& control_;
  asio::ip::tcp::endpoint server_;
  asio::io_context io_{1};
  asio::steady_timer sweep_timer_;
  asio::steady_timer pump_timer_;
  std::vector<std::unique_ptr<ClientConnection>> connections_;
  RunStats stats_;
  std::array<char, 65536> read_buffer_{};
  std::size_t next_to_connect_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t in_flight_cap_ = 1;
  Clock::duration connect_spacing_{};  ///< zero: no rate limit
  Clock::time_point next_connect_at_;
  bool pump_armed_ = false;
  bool stopped_ = false;
};

}  // namespace bench
