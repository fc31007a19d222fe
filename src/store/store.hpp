// LMDB behind RAII: one environment, named databases, short read transactions and one writer
// thread that batches write jobs into one commit. Nothing outside src/store includes <lmdb.h>.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <tl/expected.hpp>

namespace store {

/// Every MDB_* and errno code an LMDB call can return, mapped to what the caller can do about it.
enum class errc {
  ok = 0,
  not_found = 1,         ///< MDB_NOTFOUND (only where a missing key is an error)
  map_full = 2,          ///< MDB_MAP_FULL after growing to max_map_size
  disk_full = 3,         ///< ENOSPC / EDQUOT / EFBIG: the file system refused to grow the file
  io_error = 4,          ///< EIO and other write failures
  corrupted = 5,         ///< MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID
  version_mismatch = 6,  ///< MDB_VERSION_MISMATCH
  readers_full = 7,      ///< MDB_READERS_FULL
  too_many_dbs = 8,      ///< MDB_DBS_FULL
  txn_full = 9,          ///< MDB_TXN_FULL (too many dirty pages in one batch)
  permission = 10,       ///< EACCES / EPERM / EROFS
  bad_value = 11,        ///< MDB_BAD_VALSIZE, a key too long, a record that does not parse
  stopped = 12,          ///< the writer is shutting down
  other = 13,
};
[[nodiscard]] const std::error_category& category() noexcept;
[[nodiscard]] std::error_code make_error_code(errc e) noexcept;
/// The errc of an LMDB return code (an MDB_* value or an errno).
[[nodiscard]] errc from_mdb(int rc) noexcept;

template <class T>
using Result = tl::expected<T, std::error_code>;

/// How durable a commit is. `full` (the default) survives power loss (fsync per commit);
/// `no_meta_sync` may lose the last commit on power loss, never corrupts; `no_sync` survives a
/// process crash but not power loss.
enum class Durability { full, no_meta_sync, no_sync };

struct Options {
  std::filesystem::path dir;                         ///< created 0700 when missing; files are 0600
  std::size_t initial_map_size = 64u << 20;          ///< bytes; the map doubles when full
  std::size_t max_map_size = std::size_t{64} << 30;  ///< growth stops here (then map_full)
  unsigned max_databases = 16;
  unsigned max_readers = 1024;
  Durability durability = Durability::full;
  /// The writer commits what is queued when the batch holds this many jobs or when the queue
  /// is empty, whichever comes first (group commit).
  std::size_t max_batch = 1024;
};

/// Map size and use, for metrics and `cache stats`, as of this Env's last commit, growth or
/// open (cheap: it does not touch the map).
struct Usage {
  std::size_t map_size = 0;    ///< bytes mapped now
  std::size_t used_bytes = 0;  ///< pages in use × page size
  std::size_t max_map_size = 0;
  std::uint64_t commits = 0;    ///< write transactions committed by this Env (one per batch)
  std::uint64_t map_grows = 0;  ///< times this Env grew the map
};

class Env;

/// A named database handle (opened once at start; cheap to copy). The default one names no
/// database: every call on it fails.
struct Db {
  unsigned dbi = ~0u;
};

/// A short read transaction. Never hold one across a co_await or a blocking call (Env::write
/// among them: the writer may wait for open readers to grow the map): open, read, close, on one
/// thread. Values are views into the map and die with the transaction. Close every ReadTxn
/// before its Env.
class ReadTxn {
 public:
  ~ReadTxn();
  ReadTxn(ReadTxn&&) noexcept;
  ReadTxn& operator=(ReadTxn&&) = delete;
  /// The value of `key`, nullopt when absent.
  [[nodiscard]] Result<std::optional<std::string_view>> get(Db db, std::string_view key) const;
  /// Calls f(key, value) for keys >= from in order until it returns false.
  Result<void> scan(Db db, std::string_view from,
                    const std::function<bool(std::string_view, std::string_view)>& f) const;
  [[nodiscard]] Result<std::size_t> count(Db db) const;

 private:
  friend class Env;
  ReadTxn(void* txn, std::shared_lock<std::shared_mutex> growth_guard) noexcept;
  void* txn_ = nullptr;
  std::shared_lock<std::shared_mutex> guard_;  ///< keeps the map from being resized under it
};

/// The write transaction a write job runs in. A job must not block or throw on purpose; what it
/// returns as an error aborts only that job (its writes since the job began are rolled back
/// through a nested transaction), the others of the batch commit. A job that throws fails
/// alone with errc::other. When the map must grow the whole batch is rolled back and run again,
/// so a job may run more than once: it acts on the store only through its WriteTxn.
class WriteTxn {
 public:
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  [[nodiscard]] Result<std::optional<std::string_view>> get(Db db, std::string_view key) const;
  Result<void> put(Db db, std::string_view key, std::string_view value);
  /// True when the key existed.
  Result<bool> del(Db db, std::string_view key);
  Result<void> scan(Db db, std::string_view from,
                    const std::function<bool(std::string_view, std::string_view)>& f) const;

 private:
  friend class Env;
  explicit WriteTxn(void* txn) noexcept : txn_(txn) {}
  /// Keeps an LMDB code that fails the whole batch (map or transaction full, I/O).
  [[nodiscard]] std::error_code note(int rc) const noexcept;
  void* txn_ = nullptr;
  mutable int batch_fault_ = 0;  ///< the first such code, seen by the writer after the job
};

/// One LMDB environment with its writer thread.
class Env {
 public:
  /// Opens (creating) the environment and the named databases; errors read
  /// "cannot open the store in '/dir': reason".
  [[nodiscard]] static tl::expected<std::unique_ptr<Env>, std::string> open(
      const Options& options, std::span<const std::string_view> databases);
  ~Env();  ///< stops the writer after committing what is queued
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  /// One of the names given to open(); for any other name a Db on which every call fails.
  [[nodiscard]] Db db(std::string_view name) const;
  /// A read transaction on the calling thread (io thread or worker).
  [[nodiscard]] Result<ReadTxn> read() const;

  using Job = std::function<Result<void>(WriteTxn&)>;
  using Done = std::function<void(std::error_code)>;
  /// Queues a job for the writer; `done` runs on the writer thread after its batch committed
  /// with the job's own error or none (or the batch failed: then every job of the batch gets
  /// that error). Never blocks. Once the Env is being destroyed, `done` gets errc::stopped at
  /// once on the calling thread. `done` must not throw (an exception from it is dropped).
  void submit(Job job, Done done = {});
  /// Runs a job and waits for its commit (CLI tools, tests, start-up). Not from a `done`
  /// callback (the writer would wait for itself: errc::other), nor holding a ReadTxn.
  [[nodiscard]] std::error_code write(Job job);

  [[nodiscard]] Usage usage() const;
  /// The last write error that was not followed by a successful commit (disk full, map full,
  /// I/O), for /readyz and a metric; clear once a later commit succeeded.
  [[nodiscard]] std::optional<std::error_code> write_fault() const;
  [[nodiscard]] const std::filesystem::path& dir() const;

 private:
  struct Impl;
  explicit Env(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace store

template <>
struct std::is_error_code_enum<store::errc> : std::true_type {};
