// ReadTxn and WriteTxn: get, put, del, scan and count over LMDB transactions.
#include <lmdb.h>

#include <memory>
#include <utility>

#include "store/env_impl.hpp"
#include "store/store.hpp"

namespace store {
namespace {

using Visitor = std::function<bool(std::string_view, std::string_view)>;

MDB_val val_of(std::string_view s) noexcept {
  return MDB_val{s.size(), const_cast<char*>(s.data())};  // LMDB does not write through it
}

std::string_view view_of(const MDB_val& v) noexcept {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

MDB_txn* txn_of(void* p) noexcept {
  return static_cast<MDB_txn*>(p);
}

/// The value of `key`: 0 with the view, MDB_NOTFOUND, or another code.
int get_in(MDB_txn* txn, Db db, std::string_view key, std::optional<std::string_view>& out) {
  MDB_val k = val_of(key);
  MDB_val v{};
  const int rc = mdb_get(txn, db.dbi, &k, &v);
  out.reset();
  if (rc == MDB_SUCCESS) out = view_of(v);
  return rc;
}

struct CursorCloser {
  void operator()(MDB_cursor* c) const noexcept { mdb_cursor_close(c); }
};

/// Walks keys >= from in order; 0 at the end or when f stopped, else the failing code.
int scan_in(MDB_txn* txn, Db db, std::string_view from, const Visitor& f) {
  MDB_cursor* raw = nullptr;
  if (const int rc = mdb_cursor_open(txn, db.dbi, &raw); rc != MDB_SUCCESS) return rc;
  const std::unique_ptr<MDB_cursor, CursorCloser> cursor(raw);
  MDB_val k = val_of(from);
  MDB_val v{};
  // LMDB refuses an empty key, so "from the start" is MDB_FIRST.
  int rc = mdb_cursor_get(raw, &k, &v, from.empty() ? MDB_FIRST : MDB_SET_RANGE);
  while (rc == MDB_SUCCESS) {
    if (!f(view_of(k), view_of(v))) return MDB_SUCCESS;
    rc = mdb_cursor_get(raw, &k, &v, MDB_NEXT);
  }
  return rc == MDB_NOTFOUND ? MDB_SUCCESS : rc;
}

}  // namespace

ReadTxn::ReadTxn(void* txn, std::shared_lock<std::shared_mutex> growth_guard) noexcept
    : txn_(txn), guard_(std::move(growth_guard)) {}

ReadTxn::ReadTxn(ReadTxn&& other) noexcept
    : txn_(std::exchange(other.txn_, nullptr)), guard_(std::move(other.guard_)) {}

ReadTxn::~ReadTxn() {
  // The transaction ends before guard_ (declared after it) lets the map be resized.
  if (txn_ != nullptr) mdb_txn_abort(txn_of(txn_));
}

Result<std::optional<std::string_view>> ReadTxn::get(Db db, std::string_view key) const {
  std::optional<std::string_view> value;
  const int rc = get_in(txn_of(txn_), db, key, value);
  if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) return tl::unexpected(error_of(rc));
  return value;
}

Result<void> ReadTxn::scan(Db db, std::string_view from, const Visitor& f) const {
  const int rc = scan_in(txn_of(txn_), db, from, f);
  if (rc != MDB_SUCCESS) return tl::unexpected(error_of(rc));
  return {};
}

Result<std::size_t> ReadTxn::count(Db db) const {
  MDB_stat stat{};
  const int rc = mdb_stat(txn_of(txn_), db.dbi, &stat);
  if (rc != MDB_SUCCESS) return tl::unexpected(error_of(rc));
  return stat.ms_entries;
}

std::error_code WriteTxn::note(int rc) const noexcept {
  if (batch_fault_ == MDB_SUCCESS && fails_batch(rc)) batch_fault_ = rc;
  return error_of(rc);
}

Result<std::optional<std::string_view>> WriteTxn::get(Db db, std::string_view key) const {
  std::optional<std::string_view> value;
  const int rc = get_in(txn_of(txn_), db, key, value);
  if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) return tl::unexpected(note(rc));
  return value;
}

Result<void> WriteTxn::put(Db db, std::string_view key, std::string_view value) {
  MDB_val k = val_of(key);
  MDB_val v = val_of(value);
  const int rc = mdb_put(txn_of(txn_), db.dbi, &k, &v, 0);
  if (rc != MDB_SUCCESS) return tl::unexpected(note(rc));
  return {};
}

Result<bool> WriteTxn::del(Db db, std::string_view key) {
  MDB_val k = val_of(key);
  const int rc = mdb_del(txn_of(txn_), db.dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  if (rc != MDB_SUCCESS) return tl::unexpected(note(rc));
  return true;
}

Result<void> WriteTxn::scan(Db db, std::string_view from, const Visitor& f) const {
  const int rc = scan_in(txn_of(txn_), db, from, f);
  if (rc != MDB_SUCCESS) return tl::unexpected(note(rc));
  return {};
}

}  // namespace store
