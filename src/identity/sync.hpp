// Keeping the identity cache in step with the library system: the full pass (also the import),
// the incremental refresh, retention and re-sealing after a key rotation.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tl/expected.hpp>

#include "identity/cache.hpp"
#include "ils/backend.hpp"

namespace identity {

struct SyncOptions {
  std::size_t page_size = 500;
  std::chrono::seconds call_timeout{30};  ///< per page
  /// The incremental refresh asks for changes since its last start minus this (clock skew).
  std::chrono::seconds overlap{120};
  std::chrono::days retention{90};  ///< records not seen (sync or kiosk) for this long go
};

struct Progress {
  std::size_t done = 0;
  std::optional<std::size_t> total;
  bool resumed = false;  ///< the pass continues one that was interrupted
};

struct PassResult {
  std::size_t listed = 0;
  std::size_t removed = 0;  ///< records of patrons the library system no longer lists
  bool resumed = false;
};

struct PurgeResult {
  std::size_t records = 0;
  std::size_t verifiers = 0;
  std::size_t lockouts = 0;
  std::size_t resealed = 0;
};

/// Stateless apart from what it keeps in the cache's meta database; one pass at a time.
class Sync {
 public:
  Sync(Cache& cache, std::string institution, SyncOptions options);

  /// Lists every patron in pages, each page committed with the cursor after it, so a pass
  /// interrupted (even by kill -9) resumes from its last committed page. At the end, records
  /// of patrons it did not list (and not fetched since the pass began) are removed.
  [[nodiscard]] tl::expected<PassResult, std::string> full_pass(
      ils::Backend& backend, const std::function<void(const Progress&)>& progress = {},
      const std::atomic<bool>* stop = nullptr);

  /// Reads patrons changed since the last refresh (or the last full pass) and updates them.
  [[nodiscard]] tl::expected<std::size_t, std::string> refresh(ils::Backend& backend,
                                                               ils::Timestamp now);

  /// Retention: records not seen for `retention`, expired verifiers, lapsed lockouts; and
  /// values sealed with an older key version are sealed again with the current one.
  [[nodiscard]] tl::expected<PurgeResult, std::string> purge(ils::Timestamp now);

 private:
  [[nodiscard]] tl::expected<void, std::string> store_page(const ils::PatronPage& page,
                                                           std::uint64_t pass,
                                                           std::string_view cursor_meta,
                                                           std::string_view next_cursor,
                                                           ils::Timestamp now);

  Cache& cache_;
  std::string institution_;
  SyncOptions options_;
  ils::CredentialMode credential_mode_ = ils::CredentialMode::none;
};

}  // namespace identity
