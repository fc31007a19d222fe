// What every session shares: pools, metrics, the current runtime, connection counts, throttling.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>

#include "obs/metrics.hpp"
#include "obs/pseudonym.hpp"
#include "server/runtime.hpp"
#include "server/terminal_auth.hpp"

namespace server {

/// Login failures by source address, to slow down and then cut off password guessing.
class LoginThrottle {
 public:
  struct Verdict {
    std::chrono::milliseconds delay{0};
    bool close = false;
  };
  /// Records a failure and says how to answer it.
  Verdict failed(const std::string& address, const config::Limits& limits,
                 std::chrono::steady_clock::time_point now);
  void succeeded(const std::string& address) { entries_.erase(address); }

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point first;
  };
  std::unordered_map<std::string, Entry> entries_;
};

/// Shared state of the process. Everything here is used on the io thread only, except the
/// pools, metrics, pseudonymizer and terminal auth, which are thread-safe.
struct Hub {
  asio::io_context& io;
  asio::thread_pool& backend_pool;
  asio::thread_pool& crypto_pool;
  obs::Metrics& metrics;
  const obs::Pseudonymizer& pseudonym;
  TerminalAuth& auth;
  std::shared_ptr<const Runtime> runtime;
  LoginThrottle throttle;
  bool stopping = false;
  std::size_t connections = 0;
  std::unordered_map<std::string, std::size_t> per_address;
  std::uint64_t next_connection_id = 1;
  /// Asks every live session to finish its request in flight and close.
  std::unordered_map<std::uint64_t, std::function<void()>> stoppers;
};

}  // namespace server
