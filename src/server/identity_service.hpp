// The identity cache of a running gateway (and of the `cache` commands): its LMDB store, the
// cache and validator, the hooks handlers use, and the periodic sync with the library system.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tl/expected.hpp>
#include <vector>

#include <asio/thread_pool.hpp>

#include "config/config.hpp"
#include "crypto/key_ring.hpp"
#include "handlers/context.hpp"
#include "identity/completion.hpp"
#include "identity/sync.hpp"
#include "identity/validator.hpp"
#include "store/store.hpp"

namespace obs {
class Metrics;
}

namespace server {

class IdentityService {
 public:
  /// The cache in the gateway's store (server/store_service.hpp; it must outlive this);
  /// errors read "identity: …".
  [[nodiscard]] static tl::expected<std::unique_ptr<IdentityService>, std::string> open(
      const config::Config& cfg, store::Env& env, std::shared_ptr<const crypto::KeyRing> keys,
      obs::Metrics* metrics);
  ~IdentityService();

  /// Gives a runtime's services the validator and the crypto and background hooks; the
  /// backend becomes the one the periodic sync uses.
  void attach(handlers::Services& services, const std::shared_ptr<ils::Backend>& backend);
  /// Runs Argon2id work on `crypto` (bounded by `queue_limit`) and background reads in full
  /// (identity::Completion, paced by the sync thread) on `workers`.
  void use_pools(asio::thread_pool& crypto, asio::thread_pool& workers, std::size_t queue_limit);
  /// Starts the periodic refresh, full pass, purge, reads in full and gauges on a thread of
  /// its own.
  void start_sync();
  /// Stops it (waits for the page in progress).
  void stop_sync();

  /// Why the store cannot take writes (disk or map full, I/O), for /readyz; empty when it can.
  [[nodiscard]] std::string fault() const;

  [[nodiscard]] identity::Cache& cache() { return *cache_; }
  [[nodiscard]] identity::Validator& validator() { return *validator_; }
  [[nodiscard]] store::Env& env() { return *env_; }
  /// The institutions records are kept for (those of the configured accounts).
  [[nodiscard]] const std::vector<std::string>& institutions() const { return institutions_; }
  [[nodiscard]] identity::SyncOptions sync_options() const;

 private:
  IdentityService() = default;
  void sync_loop();
  void publish_gauges();
  /// Wakes the sync thread: the completion may have work to start.
  void poke();
  /// Starts what the completion allows now on the workers; when to do it again.
  [[nodiscard]] std::chrono::steady_clock::time_point complete_due(
      const std::shared_ptr<ils::Backend>& backend);
  [[nodiscard]] std::shared_ptr<ils::Backend> backend() const;

  config::IdentityConfig config_;
  obs::Metrics* metrics_ = nullptr;
  store::Env* env_ = nullptr;
  std::unique_ptr<identity::Cache> cache_;
  std::unique_ptr<identity::Validator> validator_;
  std::unique_ptr<identity::Completion> completion_;
  std::vector<std::string> institutions_;
  asio::thread_pool* crypto_pool_ = nullptr;
  asio::thread_pool* workers_ = nullptr;
  std::size_t queue_limit_ = 64;
  std::atomic<std::size_t> crypto_jobs_{0};

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool poked_ = false;  ///< the completion has work to start
  std::atomic<bool> stop_flag_{false};
  bool fault_logged_ = false;  ///< sync thread only  ///< tells a full pass in progress to stop
  std::shared_ptr<ils::Backend> backend_;
  std::thread sync_thread_;
};

}  // namespace server
