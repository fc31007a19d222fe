// The writer thread: group commit of queued jobs, each in a nested transaction, with map growth.
#include <lmdb.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <exception>
#include <future>

#include "store/env_impl.hpp"
#include "store/store.hpp"

namespace store {
namespace {

Result<void> run_job(const Env::Job& job, WriteTxn& txn) {
  try {
    return job(txn);
  } catch (...) {
    return tl::unexpected(make_error_code(errc::other));  // a bug in one job fails that job
  }
}

void notify(const Env::Done& done, std::error_code ec) {
  if (!done) return;
  try {
    done(ec);
  } catch (...) {  // dropped, as submit() documents: the writer must survive
  }
}

/// Whether a write that LMDB saw come up short hit a full file system or RLIMIT_FSIZE.
bool out_of_space(const std::filesystem::path& dir) {
  struct statvfs fs {};
  if (::statvfs(dir.c_str(), &fs) == 0 && fs.f_bavail == 0) return true;
  struct rlimit limit {};
  struct stat data {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return false;
  if (::stat((dir / "data.mdb").c_str(), &data) != 0) return false;
  return static_cast<rlim_t>(data.st_size) >= limit.rlim_cur;
}

}  // namespace

void Env::submit(Job job, Done done) {
  {
    const std::lock_guard lock(impl_->queue_mutex);
    if (!impl_->stopping) {
      impl_->queue.push_back(Pending{std::move(job), std::move(done)});
      impl_->queue_ready.notify_one();
      return;
    }
  }
  notify(done, make_error_code(errc::stopped));
}

std::error_code Env::write(Job job) {
  if (std::this_thread::get_id() == impl_->writer.get_id()) return make_error_code(errc::other);
  std::promise<std::error_code> result;
  auto committed = result.get_future();
  submit(std::move(job), [&result](std::error_code ec) { result.set_value(ec); });
  return committed.get();
}

void Env::Impl::run_writer() {
  std::vector<Pending> batch;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lock(queue_mutex);
      queue_ready.wait(lock, [this] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and everything queued is committed
      while (!queue.empty() && batch.size() < options.max_batch) {
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }
    commit(batch);
  }
}

void Env::Impl::commit(std::span<Pending> jobs) {
  std::vector<std::error_code> job_errors(jobs.size());
  int rc = MDB_SUCCESS;
  // Bounded: each MDB_MAP_FULL doubles the map until max_map_size, and another process can
  // hardly grow the file more than a few times while we try.
  for (int attempt = 0;; ++attempt) {
    rc = try_batch(jobs, job_errors);
    if ((rc != MDB_MAP_FULL && rc != MDB_MAP_RESIZED) || attempt == 63) break;
    const int fixed = rc == MDB_MAP_FULL ? grow_map() : adopt_resized_map();
    if (fixed != MDB_SUCCESS) {
      rc = fixed;  // MDB_MAP_FULL once the map is at max_map_size
      break;
    }
  }
  if (rc == MDB_TXN_FULL && jobs.size() > 1) {
    // Too many dirty pages for one transaction: commit the batch in two halves.
    const std::size_t half = jobs.size() / 2;
    commit(jobs.first(half));
    commit(jobs.subspan(half));
    return;
  }
  const std::error_code batch_error = rc == MDB_SUCCESS ? std::error_code{} : commit_error(rc);
  {
    const std::lock_guard lock(fault_mutex);
    if (batch_error) {
      fault = batch_error;
    } else {
      fault.reset();
    }
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    notify(jobs[i].done, batch_error ? batch_error : job_errors[i]);
  }
}

int Env::Impl::try_batch(std::span<Pending> jobs, std::span<std::error_code> job_errors) {
  const std::shared_lock guard(growth);
  MDB_txn* txn = nullptr;
  if (const int rc = mdb_txn_begin(env, nullptr, 0, &txn); rc != MDB_SUCCESS) return rc;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    job_errors[i] = {};
    MDB_txn* nested = nullptr;
    if (const int rc = mdb_txn_begin(env, txn, 0, &nested); rc != MDB_SUCCESS) {
      mdb_txn_abort(txn);
      return rc;
    }
    WriteTxn w(nested);
    const Result<void> done = run_job(jobs[i].job, w);
    if (w.batch_fault_ != MDB_SUCCESS) {
      mdb_txn_abort(nested);
      mdb_txn_abort(txn);
      return w.batch_fault_;
    }
    if (!done) {
      mdb_txn_abort(nested);  // this job's writes go, the others' stay
      job_errors[i] = done.error();
      continue;
    }
    if (const int rc = mdb_txn_commit(nested); rc != MDB_SUCCESS) {
      mdb_txn_abort(txn);  // a failed commit has freed `nested` already
      return rc;
    }
  }
  if (const int rc = mdb_txn_commit(txn); rc != MDB_SUCCESS) return rc;
  commits.fetch_add(1, std::memory_order_relaxed);
  refresh_usage();
  return MDB_SUCCESS;
}

std::error_code Env::Impl::commit_error(int rc) const {
  // LMDB turns a short write (the file system or RLIMIT_FSIZE ran out in the middle of it) into
  // EIO; the next write would have said ENOSPC or EFBIG.
  if (rc == EIO && out_of_space(options.dir)) return make_error_code(errc::disk_full);
  return error_of(rc);
}

}  // namespace store
