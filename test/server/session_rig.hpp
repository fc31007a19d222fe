// A gateway without sockets: a Hub on a manual clock, sessions over in-memory channels.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <asio/io_context.hpp>
#include <asio/thread_pool.hpp>
#include <nlohmann/json.hpp>

#include "net/memory_channel.hpp"
#include "obs/metrics.hpp"
#include "obs/pseudonym.hpp"
#include "server/hub.hpp"
#include "server/session_clock.hpp"
#include "server/terminal_auth.hpp"

namespace server::test {

/// The terminal account every rig has: kiosk1 / kiosk-password. Besides the repository's
/// profiles, the rig has "test-crlf-short": CRLF terminator, frames of at most 300 bytes.
inline constexpr const char* kLogin = "9300CNkiosk1|COkiosk-password|CPMAIN|";

/// One io_context, a ManualSessionClock and a Hub whose runtime comes from a small config
/// (edited by the test); the library system is never called by these tests.
class SessionRig {
 public:
  /// The layered keys of a profile "test-profile" (over the baseline) that kiosk1 gets at login.
  struct WithProfile {
    nlohmann::json keys;
  };

  explicit SessionRig(const std::function<void(nlohmann::json&)>& edit = {});
  explicit SessionRig(WithProfile profile, const std::function<void(nlohmann::json&)>& edit = {});
  ~SessionRig();

  /// Starts a session over a fresh memory channel from `address` and runs it until it waits.
  net::MemoryPeer open(const std::string& address = "192.0.2.10");
  /// Runs ready work (and waits for the worker pools) until `done` holds; false after 20 s of
  /// real time, which only a hung session takes.
  bool run_until(const std::function<bool()>& done);
  /// Advances the clock by `d` and runs what came due.
  void advance(std::chrono::steady_clock::duration d);
  /// Swaps in a runtime from the base config edited by `edit`, as SIGHUP does.
  void reload(const std::function<void(nlohmann::json&)>& edit);
  /// Sends a frame and waits for a response frame (terminated by CR); returns it.
  std::string exchange(net::MemoryPeer& peer, const std::string& frame);

  [[nodiscard]] Hub& hub() { return *hub_; }
  [[nodiscard]] obs::Metrics& metrics() { return metrics_; }
  [[nodiscard]] ManualSessionClock& clock() { return clock_; }
  [[nodiscard]] TerminalAuth& auth() { return auth_; }
  [[nodiscard]] std::size_t sessions_running() const { return running_; }

 private:
  asio::io_context io_;
  asio::thread_pool backend_pool_{1};
  asio::thread_pool crypto_pool_{1};
  obs::Metrics metrics_;
  obs::Pseudonymizer pseudonym_;
  TerminalAuth auth_;
  ManualSessionClock clock_;
  nlohmann::json profile_;  ///< test-profile's keys, or null
  std::unique_ptr<Hub> hub_;
  std::size_t running_ = 0;
  std::uint64_t next_id_ = 1;
};

}  // namespace server::test
