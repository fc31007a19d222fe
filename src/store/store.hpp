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
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <tl/expected.hpp>

namespace store {

/// Every MDB_* and errno code an LMDB call can return, mapped to what the caller can do about it.
enum class errc {
  ok = 0,
  not_found = 1,     ///< MDB_NOTFOUND (only where a missing key is an error)
  map_full = 2,      ///< MDB_MAP_FULL after growing to max_map_size
  disk_full = 3,     ///< ENOSPC / EDQUOT / EFBIG: the file system refused to grow the file
  io_error = 4,      ///< EIO and other write failures
  corrupted = 5,     ///< MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID
  version_mismatch = 6,  ///< MDB_VERSION_MISMATCH
  readers_full = 7,  ///< MDB_READERS_FULL
  too_many_dbs = 8,  ///< MDB_DBS_FULL
  txn_full = 9,      ///< MDB_TXN_FULL (too many dirty pages in one batch)
  permission = 10,   ///< EACCES / EPERM / EROFS
  bad_value = 11,    ///< MDB_BAD_VALSIZE, a key too long, a record that does not parse
  stopped = 12,      ///< the writer is shutting down
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
  std::filesystem::path dir;            ///< created 0700 when missing; files are 0600
  std::size_t initial_map_size = 64u << 20;  ///< bytes; the map doubles when full
  std::size_t max_map_size = std::size_t{64} << 30;  ///< growth stops here (then map_full)
  unsigned max_databases = 16;
  unsigned max_readers = 1024;
  Durability durability = Durability::full;
  /// The writer commits what is queued when the batch holds this many jobs or when the queue
  /// is empty, whichever comes first (group commit).
  std::size_t max_batch = 1024;
};

/// Map size and use, for metrics and `cache stats`.
struct Usage {
  std::size_t map_size = 0;   ///< bytes mapped now
  std::size_t used_bytes = 0; ///< pages in use × page size
  std::size_t max_map_size = 0;
};

class Env;

/// A named database handle (opened once at start; cheap to copy).
struct Db {
  unsigned dbi = 0;
};

/// A short read transaction. Never hold one across a co_await or a blocking call: open, read,
/// close. Values are views into the map and die with the transaction.
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
  ReadTxn(void* txn, std::shared_ptr<void> growth_guard) noexcept;
  void* txn_ = nullptr;
  std::shared_ptr<void> guard_;  ///< keeps the map from being resized under the reader
};

/// The write transaction a write job runs in. A job must not block or throw on purpose; what it
/// returns as an error aborts only that job (its writes since the job began are rolled back
/// through a nested transaction), the others of the batch commit.
class WriteTxn {
 public:
  [[nodiscard]] Result<std::optional<std::string_view>> get(Db db, std::string_view key) const;
  Result<void> put(Db db, std::string_view key, std::string_view value);
  /// True when the key existed.
  Result<bool> del(Db db, std::string_view key);
  Result<void> scan(Db db, std::string_view from,
                    const std::function<bool(std::string_view, std::string_view)>& f) const;

 private:
  friend class Env;
  explicit WriteTxn(void* txn) noexcept : txn_(txn) {}
  void* txn_ = nullptr;
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

  [[nodiscard]] Db db(std::string_view name) const;  ///< one of the names given to open()
  /// A read transaction on the calling thread (io thread or worker).
  [[nodiscard]] Result<ReadTxn> read() const;

  using Job = std::function<Result<void>(WriteTxn&)>;
  using Done = std::function<void(std::error_code)>;
  /// Queues a job for the writer; `done` runs on the writer thread after its batch committed
  /// (or failed: then every job of the batch gets the error). Never blocks.
  void submit(Job job, Done done = {});
  /// Runs a job and waits for its commit (CLI tools, tests, start-up).
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
