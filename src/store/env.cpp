// Env: opening the LMDB environment and its databases, read transactions, map size and use.
#include <lmdb.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

#include "store/env_impl.hpp"
#include "store/store.hpp"

namespace store {
namespace {

namespace fs = std::filesystem;

unsigned env_flags(Durability d) noexcept {
  // Read transactions are opened on the io thread and on workers, several per thread at times:
  // reader slots must not be tied to threads.
  unsigned flags = MDB_NOTLS;
  if (d == Durability::no_meta_sync) flags |= MDB_NOMETASYNC;
  if (d == Durability::no_sync) flags |= MDB_NOSYNC;
  return flags;
}

/// Creates `dir` (0700) and missing parents (default mode); 0 or an errno.
int make_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) return 0;
  if (dir.has_parent_path()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return ec.value();
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return errno;
  return 0;
}

/// Plain English for an LMDB code, with the system's text when our own says nothing useful.
std::string reason(int rc) {
  const errc e = from_mdb(rc);
  if (e == errc::other) return mdb_strerror(rc);
  return make_error_code(e).message();
}

}  // namespace

int Env::Impl::open_databases(std::span<const std::string_view> names) {
  for (;;) {
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env, nullptr, 0, &txn);
    if (rc != MDB_SUCCESS) return rc;
    databases.clear();
    for (const std::string_view name : names) {
      MDB_dbi dbi = 0;
      rc = mdb_dbi_open(txn, std::string(name).c_str(), MDB_CREATE, &dbi);
      if (rc != MDB_SUCCESS) break;
      databases.emplace_back(name, dbi);
    }
    if (rc != MDB_SUCCESS) {
      mdb_txn_abort(txn);
    } else {
      rc = mdb_txn_commit(txn);
    }
    if (rc != MDB_MAP_FULL) return rc;
    if (const int grown = grow_map(); grown != MDB_SUCCESS) return grown;
  }
}

int Env::Impl::open(std::span<const std::string_view> names) {
  const Options& o = options;
  if (const int rc = make_dir(o.dir); rc != 0) return rc;
  if (const int rc = mdb_env_create(&env); rc != MDB_SUCCESS) return rc;
  int rc = mdb_env_set_maxreaders(env, o.max_readers);
  if (rc == MDB_SUCCESS) rc = mdb_env_set_maxdbs(env, o.max_databases);
  if (rc == MDB_SUCCESS) rc = mdb_env_set_mapsize(env, o.initial_map_size);
  if (rc == MDB_SUCCESS) rc = mdb_env_open(env, o.dir.c_str(), env_flags(o.durability), 0600);
  if (rc == MDB_SUCCESS) rc = open_databases(names);
  if (rc == MDB_SUCCESS) refresh_usage();
  return rc;
}

Env::Impl::~Impl() {
  {
    const std::lock_guard lock(queue_mutex);
    stopping = true;
  }
  queue_ready.notify_all();
  if (writer.joinable()) writer.join();
  if (env != nullptr) mdb_env_close(env);
}

void Env::Impl::refresh_usage() {
  MDB_envinfo info{};
  MDB_stat stat{};
  if (mdb_env_info(env, &info) != MDB_SUCCESS || mdb_env_stat(env, &stat) != MDB_SUCCESS) return;
  map_size.store(info.me_mapsize, std::memory_order_relaxed);
  used_bytes.store((info.me_last_pgno + 1) * stat.ms_psize, std::memory_order_relaxed);
}

int Env::Impl::grow_map() {
  const std::unique_lock lock(growth);
  MDB_envinfo info{};
  if (const int rc = mdb_env_info(env, &info); rc != MDB_SUCCESS) return rc;
  const std::size_t now = info.me_mapsize;
  if (now >= options.max_map_size) return MDB_MAP_FULL;
  const std::size_t next = now > options.max_map_size / 2 ? options.max_map_size : now * 2;
  if (const int rc = mdb_env_set_mapsize(env, next); rc != MDB_SUCCESS) return rc;
  map_grows.fetch_add(1, std::memory_order_relaxed);
  refresh_usage();
  return MDB_SUCCESS;
}

int Env::Impl::adopt_resized_map() {
  const std::unique_lock lock(growth);
  const int rc = mdb_env_set_mapsize(env, 0);  // 0: the size recorded in the file
  if (rc == MDB_SUCCESS) refresh_usage();
  return rc;
}

Env::Env(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Env::~Env() = default;

tl::expected<std::unique_ptr<Env>, std::string> Env::open(
    const Options& options, std::span<const std::string_view> databases) {
  const std::string fail = "cannot open the store in '" + options.dir.string() + "': ";
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->options.max_batch = std::max<std::size_t>(options.max_batch, 1);
  impl->options.max_map_size = std::max(options.max_map_size, options.initial_map_size);
  if (const int rc = impl->open(databases); rc != MDB_SUCCESS) {
    return tl::unexpected(fail + reason(rc));
  }
  try {
    impl->writer = std::thread([p = impl.get()] { p->run_writer(); });
  } catch (const std::exception& e) {
    return tl::unexpected(fail + "cannot start the writer thread: " + e.what());
  }
  return std::unique_ptr<Env>(new Env(std::move(impl)));
}

Db Env::db(std::string_view name) const {
  for (const auto& [n, dbi] : impl_->databases) {
    if (n == name) return Db{dbi};
  }
  return Db{};  // no such handle: LMDB refuses it (EINVAL)
}

Result<ReadTxn> Env::read() const {
  // Another process may have grown the file beyond our map: adopt its size, then begin again.
  for (int attempt = 0;; ++attempt) {
    std::shared_lock guard(impl_->growth);
    MDB_txn* txn = nullptr;
    const int rc = mdb_txn_begin(impl_->env, nullptr, MDB_RDONLY, &txn);
    if (rc == MDB_SUCCESS) return ReadTxn(txn, std::move(guard));
    if (rc != MDB_MAP_RESIZED || attempt == 8) return tl::unexpected(error_of(rc));
    guard.unlock();
    if (const int adopted = impl_->adopt_resized_map(); adopted != MDB_SUCCESS) {
      return tl::unexpected(error_of(adopted));
    }
  }
}

Usage Env::usage() const {
  Usage u;
  u.max_map_size = impl_->options.max_map_size;
  u.commits = impl_->commits.load(std::memory_order_relaxed);
  u.map_grows = impl_->map_grows.load(std::memory_order_relaxed);
  u.map_size = impl_->map_size.load(std::memory_order_relaxed);
  u.used_bytes = impl_->used_bytes.load(std::memory_order_relaxed);
  return u;
}

std::optional<std::error_code> Env::write_fault() const {
  const std::lock_guard lock(impl_->fault_mutex);
  return impl_->fault;
}

const std::filesystem::path& Env::dir() const {
  return impl_->options.dir;
}

}  // namespace store
