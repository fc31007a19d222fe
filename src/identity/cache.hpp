// The identity cache's storage: records, identifier index, PIN verifiers and lockouts in LMDB.
// Keys are HMAC-SHA-256 under the key ring's index key, so the files hold no identifier; every
// value that says anything about a patron is sealed with AES-256/GCM under the current sealing
// key, with the key version and the record key as associated data.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key_ring.hpp"
#include "identity/record.hpp"
#include "store/store.hpp"

namespace identity {

/// A record key or an index key: 32 bytes of HMAC, held as a string to key maps.
using Key = std::string;

/// The Argon2id verifier of the last PIN the library system accepted.
struct Verifier {
  std::string hash;  ///< "$argon2id$…"
  ils::Timestamp created{};
  ils::Timestamp expires{};
};

/// Failed PIN checks of one patron, kept across restarts.
struct Lockout {
  std::uint32_t failures = 0;
  ils::Timestamp window_start{};
  ils::Timestamp locked_until{};  ///< epoch when not locked
  [[nodiscard]] bool locked(ils::Timestamp now) const { return now < locked_until; }
};

/// How many failures in what window lock validation, and for how long.
struct LockoutPolicy {
  std::uint32_t max_failures = 5;
  std::chrono::seconds window{900};
  std::chrono::seconds duration{900};
};

/// Counts for `cache stats` and the metrics.
struct CacheStats {
  std::size_t records = 0;
  std::size_t identifiers = 0;
  std::size_t verifiers = 0;
  std::size_t lockouts = 0;
  std::size_t partial = 0;  ///< records listed in bulk and not yet read in full
  store::Usage usage;
};

class Cache {
 public:
  /// The LMDB databases the cache uses (open them with the store).
  static constexpr std::array<std::string_view, 8> databases = {
      "id.records", "id.index", "id.aliases", "id.secrets",
      "id.lockout", "id.seen",  "id.meta",    "id.partial"};

  /// `identifier_fields` are the Patron fields the library system accepts as a SIP patron
  /// identifier ("barcode", "externalSystemId", "username"): each gets an index entry.
  Cache(store::Env& env, std::shared_ptr<const crypto::KeyRing> keys,
        std::vector<std::string> identifier_fields);
  /// Waits until the writer has run the jobs queued so far: they use this cache.
  ~Cache();
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  /// Refuses a cache built under another index key (its keys would never match): the fix is
  /// to rebuild it. Records the key's fingerprint in a new cache.
  [[nodiscard]] tl::expected<void, std::string> check_index_key();

  [[nodiscard]] Key index_key(std::string_view institution, std::string_view identifier) const;
  [[nodiscard]] Key record_key(std::string_view institution, std::string_view patron_id) const;

  struct Hit {
    Key key;  ///< the record key
    Record record;
    /// Read with the record by find(): the patron's failed PIN checks (nullopt when they
    /// cannot be read) and the day a kiosk last used the record (nullopt: not read).
    std::optional<Lockout> lockout;
    std::optional<std::uint32_t> used_day;
  };
  /// The record an identifier points at, with its lockout and day of use, or nullopt. A record
  /// sealed with a retired key version reads as absent. Any thread; one short read transaction.
  [[nodiscard]] store::Result<std::optional<Hit>> find(std::string_view institution,
                                                       std::string_view identifier) const;
  [[nodiscard]] store::Result<std::optional<Record>> get(const Key& record_key) const;
  [[nodiscard]] store::Result<std::optional<Verifier>> verifier(const Key& record_key) const;
  [[nodiscard]] store::Result<Lockout> lockout(const Key& record_key) const;

  /// Writes a record with an index entry per identifier field of `patron`; identifiers it no
  /// longer has stop pointing at it. Queued on the store's writer.
  void put(std::string_view institution, const ils::Patron& patron, const Record& record,
           store::Env::Done done = {});
  /// The same inside a write job the caller runs (import batches).
  store::Result<void> put_in(store::WriteTxn& txn, std::string_view institution,
                             const ils::Patron& patron, const Record& record,
                             std::uint64_t pass = 0) const;
  /// The next three commit before they return unless given `done` (then they are queued):
  /// a failure counted or a verifier renewed must hold for the patron's very next request.
  void put_verifier(const Key& record_key, const Verifier& v, store::Env::Done done = {});
  /// Counts a failed PIN check at `now`; locks when the policy says so.
  void count_failure(const Key& record_key, ils::Timestamp now, const LockoutPolicy& policy,
                     store::Env::Done done = {});
  void clear_failures(const Key& record_key, store::Env::Done done = {});
  /// Synchronous writes that failed (the store's write_fault() says why).
  [[nodiscard]] std::uint64_t write_failures() const { return write_failures_.load(); }
  /// Marks a record as seen today (a kiosk used it), at most one write per record and day;
  /// `used_day` is the day it was last marked, when the caller read it (Hit::used_day).
  void touch(const Key& record_key, ils::Timestamp now,
             std::optional<std::uint32_t> used_day = std::nullopt);

  /// Sets the blocks, fee balance and counts of a record from a full read of its summary at
  /// `now`, keeping its personal part; a complete summary takes it off id.partial. Queued.
  void complete(const Key& record_key, const ils::PatronSummary& summary, ils::Timestamp now);
  /// What the gateway itself just did for the patron (a payment taken, a loan made), applied
  /// to the cached record so the next answer from the cache, offline above all, does not offer
  /// what was already used: a fee balance is not paid twice. The balance does not go below 0;
  /// the next full read from the library system replaces both. A payment is committed before
  /// this returns (the next request, at once, must see it); a loan alone is queued.
  void adjust(const Key& record_key, ils::Cents fee_paid, int loans_added);
  /// Takes a record off id.partial without reading it (it is read in full when next used).
  /// Queued.
  void unmark_partial(const Key& record_key);
  /// Lists in id.partial every record not read in full, once per cache (caches from before
  /// id.partial existed); then a no-op.
  [[nodiscard]] store::Result<void> index_partial();

  /// Removes a patron, its identifiers, verifier and lockout. Synchronous (CLI).
  [[nodiscard]] store::Result<bool> forget(std::string_view institution,
                                           std::string_view identifier);
  /// The same by record key, inside a write job.
  store::Result<bool> forget_in(store::WriteTxn& txn, const Key& record_key) const;
  /// The same by record key, queued (a patron the library system no longer has).
  void forget_record(const Key& record_key);

  [[nodiscard]] store::Result<CacheStats> stats() const;

  /// Meta values (import cursor, sync times), unsealed: they name no patron.
  [[nodiscard]] store::Result<std::optional<std::string>> meta(std::string_view name) const;
  store::Result<void> set_meta_in(store::WriteTxn& txn, std::string_view name,
                                  std::string_view value) const;

  [[nodiscard]] store::Env& env() const { return env_; }
  [[nodiscard]] const crypto::KeyRing& keys() const { return *keys_; }
  /// Records found sealed with a retired key version since start (crypto-shredded).
  [[nodiscard]] std::uint64_t shredded() const { return shredded_.load(); }

  /// Seals/opens a value of database `db` for a record key (exposed for re-sealing).
  [[nodiscard]] std::string seal(std::string_view db, const Key& key, std::string_view plain) const;
  [[nodiscard]] std::optional<std::string> open(std::string_view db, const Key& key,
                                                std::string_view sealed) const;
  /// The sealing key version of a sealed value (0 if malformed).
  [[nodiscard]] static std::uint32_t version_of(std::string_view sealed);
  [[nodiscard]] store::Db db(std::string_view name) const { return env_.db(name); }

 private:
  [[nodiscard]] std::vector<Key> index_keys(std::string_view institution,
                                            const ils::Patron& patron) const;
  /// The record under `record_key` in a read or write transaction, opened and decoded; nullopt
  /// when there is none or it cannot be opened (sealed under a retired key).
  template <class Txn>
  [[nodiscard]] store::Result<std::optional<Record>> record_in(Txn& txn,
                                                               const Key& record_key) const;

  store::Env& env_;
  /// The handles of `databases`, looked up once.
  store::Db records_, index_, aliases_, secrets_, lockouts_, seen_, meta_, partial_;
  std::shared_ptr<const crypto::KeyRing> keys_;
  std::vector<std::string> identifier_fields_;
  mutable std::atomic<std::uint64_t> shredded_{0};
  mutable std::atomic<std::uint64_t> write_failures_{0};
  void commit(store::Env::Job job, store::Env::Done done) const;
};

/// Days since the epoch of a time (the unit of "seen" for retention).
[[nodiscard]] std::uint32_t day_of(ils::Timestamp t);

/// A record's marks in id.seen: when it was last read from the library system, the day a kiosk
/// last used it, and the full pass that last listed it. No patron data.
struct Seen {
  ils::Timestamp synced{};
  std::uint32_t used_day = 0;
  std::uint64_t pass = 0;
  /// The last day it was seen at all (retention counts from here).
  [[nodiscard]] std::uint32_t last_day() const { return std::max(day_of(synced), used_day); }
};
[[nodiscard]] std::string encode_seen(const Seen& s);
/// An id.lockout value; a zero Lockout when malformed.
[[nodiscard]] Lockout decode_lockout(std::string_view bytes);
[[nodiscard]] Seen decode_seen(std::string_view bytes);  ///< a zero Seen when malformed

/// Normalizes a SIP patron identifier for keying: surrounding blanks removed.
[[nodiscard]] std::string_view normalize(std::string_view identifier);

}  // namespace identity
