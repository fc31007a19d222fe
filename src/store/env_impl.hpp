// What an Env holds: the LMDB environment, its databases, the growth lock and the writer queue
// (internal to src/store, the only place that includes <lmdb.h>).
#pragma once

#include <lmdb.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace store {

/// The error_code of an LMDB return code.
[[nodiscard]] inline std::error_code error_of(int rc) noexcept {
  return make_error_code(from_mdb(rc));
}

/// True for a code that leaves the write transaction unusable (the whole batch must go), false
/// for one that concerns only the call that got it (a missing key, a key too long).
[[nodiscard]] bool fails_batch(int rc) noexcept;

/// A queued write job and whom to tell.
struct Pending {
  Env::Job job;
  Env::Done done;
};

struct Env::Impl {
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl();  ///< stops and joins the writer, then closes the environment

  MDB_env* env = nullptr;
  Options options;
  std::vector<std::pair<std::string, unsigned>> databases;

  /// Read transactions and the writer's batches hold it shared; changing the map size (ours or
  /// adopting another process's) holds it exclusively, since LMDB allows that only when the
  /// process has no transaction open.
  mutable std::shared_mutex growth;

  std::mutex queue_mutex;
  std::condition_variable queue_ready;
  std::deque<Pending> queue;
  bool stopping = false;
  std::thread writer;

  std::atomic<std::uint64_t> commits{0};
  std::atomic<std::uint64_t> map_grows{0};
  /// Map size and use as of the last change this Env saw (usage() must not touch the map,
  /// which may be in the middle of being resized).
  std::atomic<std::size_t> map_size{0};
  std::atomic<std::size_t> used_bytes{0};
  mutable std::mutex fault_mutex;
  std::optional<std::error_code> fault;

  /// Creates the directory, opens the environment and the databases: 0 or the failing code.
  int open(std::span<const std::string_view> names);
  /// Opens (creating) every named database in one write transaction, growing the map if needed.
  int open_databases(std::span<const std::string_view> names);
  /// Reads map size and use into the atomics; the caller holds `growth` (in either mode).
  void refresh_usage();
  /// Doubles the map up to max_map_size; MDB_MAP_FULL when it is there already.
  int grow_map();
  /// Takes the map size another process grew the file to (after MDB_MAP_RESIZED).
  int adopt_resized_map();

  void run_writer();
  /// Commits `jobs` (one batch) and calls their `done`.
  void commit(std::span<Pending> jobs);
  /// One attempt at the batch: 0 when committed, else the LMDB code that failed it.
  int try_batch(std::span<Pending> jobs, std::span<std::error_code> job_errors);
  /// The errc of a failed commit; LMDB reports a short write as EIO.
  [[nodiscard]] std::error_code commit_error(int rc) const;
};

}  // namespace store
