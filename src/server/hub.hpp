// What every session shares: pools, metrics, the current runtime, connection counts, throttling.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <asio/any_io_executor.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>

#include "crypto/key_ring.hpp"
#include "obs/metrics.hpp"
#include "obs/pseudonym.hpp"
#include "server/login_guard.hpp"
#include "server/runtime.hpp"
#include "server/session_clock.hpp"
#include "server/terminal_auth.hpp"

namespace server {

/// Open connections, overall and by source address. A Slot holds one place until it goes, so
/// nothing that ends a connection (an exception included) can leak a count.
class ConnectionTable {
 public:
  class Slot {
   public:
    Slot(Slot&& other) noexcept
        : table_(std::exchange(other.table_, nullptr)), address_(std::move(other.address_)) {}
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot();
    /// Moves the slot to another address (the client's, read from a PROXY header); false, and
    /// unchanged, when that address is at its limit.
    [[nodiscard]] bool move_to(const std::string& address, std::size_t per_address_limit);
    [[nodiscard]] const std::string& address() const { return address_; }

   private:
    friend class ConnectionTable;
    Slot(ConnectionTable* t, std::string a) : table_(t), address_(std::move(a)) {}
    ConnectionTable* table_;
    std::string address_;
  };

  /// A slot for a new connection from `address`, or nothing when a limit is reached.
  [[nodiscard]] std::optional<Slot> admit(const std::string& address, const config::Limits& limits);
  [[nodiscard]] std::size_t total() const { return total_; }
  [[nodiscard]] std::size_t from(const std::string& address) const;

 private:
  void release(const std::string& address);
  std::size_t total_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

/// The live sessions and how to ask each to finish its request in flight and close, or to
/// look at a reloaded configuration.
class SessionRegistry {
 public:
  struct Hooks {
    std::function<void()> stop;
    std::function<void()> reloaded;  ///< a new runtime is in place (io thread)
  };
  /// Registered for as long as the returned guard lives.
  class Entry {
   public:
    Entry(SessionRegistry& r, std::uint64_t id) : registry_(r), id_(id) {}
    ~Entry() { registry_.stoppers_.erase(id_); }
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

   private:
    SessionRegistry& registry_;
    std::uint64_t id_;
  };
  [[nodiscard]] Entry add(std::uint64_t id, Hooks hooks) {
    stoppers_[id] = std::move(hooks);
    return {*this, id};
  }
  /// Asks every session to stop.
  void stop_all();
  /// Tells every session that the runtime was replaced.
  void reloaded();
  [[nodiscard]] std::size_t size() const { return stoppers_.size(); }

 private:
  void call_each(std::function<void()> Hooks::*hook);
  std::unordered_map<std::uint64_t, Hooks> stoppers_;
};

/// Shared state of the process. Everything here is used on the io thread only, except the
/// pools, metrics, pseudonymizer, terminal auth and key ring, which are thread-safe.
struct Hub {
  Hub(asio::io_context& io_context, asio::thread_pool& backend_workers,
      asio::thread_pool& crypto_workers, obs::Metrics& m, const obs::Pseudonymizer& p,
      TerminalAuth& a, std::shared_ptr<const Runtime> r, SessionClock& c)
      : io(io_context),
        backend_pool(backend_workers),
        crypto_pool(crypto_workers),
        metrics(m),
        pseudonym(p),
        auth(a),
        runtime(std::move(r)),
        clock(c),
        login_guard(runtime->config.limits.login_table_size) {}

  asio::io_context& io;
  asio::thread_pool& backend_pool;
  asio::thread_pool& crypto_pool;
  obs::Metrics& metrics;
  const obs::Pseudonymizer& pseudonym;
  TerminalAuth& auth;
  std::shared_ptr<const Runtime> runtime;
  /// The key file (security.key_file) as read at start; a reload does not re-read it. Null in
  /// rigs that need no keys.
  std::shared_ptr<const crypto::KeyRing> keys;
  SessionClock& clock;
  LoginGuard login_guard;
  std::size_t crypto_jobs = 0;  ///< logins queued or running on the crypto pool
  /// One password check in progress; sessions with the same account and password wait for it.
  struct LoginFlight {
    explicit LoginFlight(const asio::any_io_executor& ex)
        : done(ex, asio::steady_timer::time_point::max()) {}
    asio::steady_timer done;  ///< never expires: cancelled when the result is in
    std::optional<bool> result;
  };
  /// Keyed by TerminalAuth::pair_key (a keyed hash: no password is kept as a key).
  std::unordered_map<std::string, std::shared_ptr<LoginFlight>> logins_in_flight;
  bool stopping = false;
  ConnectionTable connections;
  SessionRegistry sessions;
  std::uint64_t next_connection_id = 1;
};

}  // namespace server
