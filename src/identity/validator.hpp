// Patron validation from the identity cache: which record, whether its PIN is right, and what to
// do when the library system cannot be asked. The model is an offline credential cache: the
// library system decides, the cache remembers its last decisions for a while.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "crypto/crypto.hpp"
#include "identity/cache.hpp"
#include "ils/backend.hpp"

namespace obs {
class Metrics;
}

namespace identity {

/// The cache's rules (config `identity`).
struct ValidationPolicy {
  std::chrono::seconds soft_age{900};        ///< older: served, refreshed in the background
  std::chrono::seconds hard_age{72 * 3600};  ///< older: verified through, or refused offline
  std::chrono::seconds verifier_ttl{30 * 24 * 3600};
  crypto::Argon2Params argon2;
  LockoutPolicy lockout;
  std::chrono::seconds memo_ttl{300};  ///< a PIN checked right is remembered this long
  std::size_t memo_size = 100000;
  /// Background refreshes the validator asks for in one second at most (0: no bound). The
  /// background reads only a few records a second, newest first, so asking for one on every
  /// request of a busy gateway only fills and overflows its queue: a patron whose request
  /// found the bound reached asks again with the next request.
  std::size_t refresh_asks_per_second = 0;
};

/// A patron to validate: the terminal's institution, the SIP AA, and the AD when one was sent.
struct Query {
  std::string_view institution;
  std::string_view identifier;
  std::optional<std::string_view> pin;  ///< non-empty when present
};

/// What validation found.
struct Validation {
  enum class Found { yes, no, unknown };  ///< unknown: the library system could not be asked
  Found found = Found::unknown;
  std::optional<Record> record;
  Key key;
  std::optional<bool> pin_ok;  ///< nullopt when no PIN was checked
  bool locked = false;         ///< too many wrong PINs: refused without asking anyone
  bool offline = false;        ///< the library system was unreachable; answered from the cache
  bool stale = false;          ///< served older than the soft age (refresh queued)
  std::optional<ils::Failure> failure;  ///< why found is unknown or the PIN could not be checked
};

/// A failure that says the library system could not be asked (down, slow, refusing our
/// credentials, answering nonsense), as opposed to one about the patron.
[[nodiscard]] bool library_unreachable(const ils::Failure& f);
/// A failure that says the library system has no such patron.
[[nodiscard]] bool patron_gone(const ils::Failure& f);

/// Runs CPU-heavy work (Argon2id) on the bounded crypto pool and waits for it; false, without
/// running it, when the pool's queue is full.
using CryptoRunner = std::function<bool(const std::function<void()>&)>;
/// Queues work to run later on a worker with the library system current then (background
/// refresh); it may drop the work when the gateway is shutting down.
using Background = std::function<void(std::function<void(ils::Backend&)>)>;
/// The wall clock background work reads (tests inject their own).
using Clock = std::function<ils::Timestamp()>;

class Validator {
 public:
  Validator(Cache& cache, ValidationPolicy policy, obs::Metrics* metrics, Clock clock = {});

  /// On the io thread, without I/O but LMDB reads: the answer when the record is younger than
  /// the hard age, the patron is not locked, and the PIN (if any) was checked right recently.
  /// Nullopt: take the slow path. A record older than the soft age is served and refreshed
  /// through `background`.
  [[nodiscard]] std::optional<Validation> local(const Query& q, ils::Timestamp now,
                                                const Background& background);

  /// On a worker: the full flow, asking the library system within ctx's deadline when needed.
  [[nodiscard]] Validation validate(const Query& q, ils::Backend& backend,
                                    const ils::CallContext& ctx, ils::Timestamp now,
                                    const CryptoRunner& crypto, const Background& background);

  /// Reads a patron from the library system and caches it (miss, hard age, refresh).
  /// Nullopt with the failure when it could not.
  [[nodiscard]] tl::expected<Cache::Hit, ils::Failure> fetch(const Query& q, ils::Backend& backend,
                                                             const ils::CallContext& ctx,
                                                             ils::Timestamp now);

  [[nodiscard]] const ValidationPolicy& policy() const { return policy_; }
  [[nodiscard]] Cache& cache() const { return cache_; }

 private:
  /// The PIN part of validate() for a found record.
  void check_pin(Validation& v, std::string_view pin, ils::Backend& backend,
                 const ils::CallContext& ctx, ils::Timestamp now, const CryptoRunner& crypto);
  [[nodiscard]] bool remembered(const Key& record_key, std::string_view pin, ils::Timestamp now);
  void remember(const Key& record_key, std::string_view pin, ils::Timestamp now);
  void refresh_later(const Query& q, const Key& key, ils::Timestamp now,
                     const Background& background);
  /// Ends the refresh of `key` (it may be queued again).
  void refreshed(const Key& key);
  void event(std::string_view name) const;
  /// Marks a served record stale and queues its refresh when its oldest part is past the soft
  /// age (or it was never read in full).
  void refresh_if_stale(Validation& v, const Query& q, ils::Timestamp now,
                        const Background& background);
  /// Metrics and the "seen" mark of a record about to be answered from (`used_day`: its last
  /// mark, when read with it).
  void served(const Validation& v, ils::Timestamp now, std::optional<std::uint32_t> used_day);

  Cache& cache_;
  ValidationPolicy policy_;
  obs::Metrics* metrics_;
  Clock clock_;
  crypto::SecretBytes memo_key_;  ///< per process: the memo holds no PIN, and dies with it
  std::mutex mutex_;
  std::unordered_map<std::string, ils::Timestamp> memo_;  ///< HMAC(rk, pin) → expiry
  std::unordered_set<Key> refreshing_;
  ils::Timestamp ask_second_{};  ///< the second `asks_` counts in
  std::size_t asks_ = 0;         ///< refreshes asked for in that second
};

}  // namespace identity
