// The "store" error category: every LMDB return code (MDB_* or errno) as a store::errc.
#include <lmdb.h>

#include <cerrno>
#include <string>

#include "store/env_impl.hpp"
#include "store/store.hpp"

namespace store {
namespace {

class Category final : public std::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "store"; }
  [[nodiscard]] std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::ok:
        return "success";
      case errc::not_found:
        return "no such key";
      case errc::map_full:
        return "the store has reached its maximum size";
      case errc::disk_full:
        return "the disk is full or the file size limit was reached";
      case errc::io_error:
        return "the disk reported an input/output error";
      case errc::corrupted:
        return "the store's files are damaged";
      case errc::version_mismatch:
        return "the store's files were written by an incompatible version";
      case errc::readers_full:
        return "too many readers have the store open";
      case errc::too_many_dbs:
        return "more databases than the store was opened for";
      case errc::txn_full:
        return "too many changes for one transaction";
      case errc::permission:
        return "permission denied";
      case errc::bad_value:
        return "a key or value is empty, too long or malformed";
      case errc::stopped:
        return "the store is shutting down";
      case errc::other:
        return "unexpected store error";
    }
    return "unknown store error";
  }
};

}  // namespace

const std::error_category& category() noexcept {
  static const Category instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

errc from_mdb(int rc) noexcept {
  switch (rc) {
    case MDB_SUCCESS:
      return errc::ok;
    case MDB_NOTFOUND:
      return errc::not_found;
    case MDB_MAP_FULL:
      return errc::map_full;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
      return errc::corrupted;
    case MDB_VERSION_MISMATCH:
    case MDB_INCOMPATIBLE:
      return errc::version_mismatch;  // a database of another layout
    case MDB_READERS_FULL:
    case MDB_TLS_FULL:
      return errc::readers_full;
    case MDB_DBS_FULL:
      return errc::too_many_dbs;
    case MDB_TXN_FULL:
      return errc::txn_full;
    case MDB_PANIC:
      return errc::io_error;  // a meta page write failed earlier
    case MDB_BAD_VALSIZE:
      return errc::bad_value;
    case MDB_KEYEXIST:
    case MDB_CURSOR_FULL:
    case MDB_PAGE_FULL:
    case MDB_MAP_RESIZED:
    case MDB_BAD_RSLOT:
    case MDB_BAD_TXN:
    case MDB_BAD_DBI:
      return errc::other;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return errc::disk_full;
    case EIO:
      return errc::io_error;
    case EACCES:
    case EPERM:
    case EROFS:
      return errc::permission;
    default:
      return errc::other;
  }
}

bool fails_batch(int rc) noexcept {
  switch (rc) {
    case MDB_SUCCESS:
    case MDB_NOTFOUND:
    case MDB_KEYEXIST:
    case MDB_BAD_VALSIZE:
    case MDB_BAD_DBI:
    case MDB_INCOMPATIBLE:
    case EINVAL:
      return false;
    default:
      return true;
  }
}

}  // namespace store
