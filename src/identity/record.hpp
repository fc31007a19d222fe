// What the identity cache keeps of one patron: only what validation needs, never a PIN, and
// sealed at rest (see cache.hpp). Serialized as CBOR.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ils/types.hpp"

namespace identity {

/// One patron as the cache knows it.
struct Record {
  std::string patron_id;  ///< the library system's id (FOLIO users.id)
  std::string barcode;    ///< the library system's own barcode (FOLIO checkout needs it)
  bool active = false;
  std::optional<ils::Timestamp> expires_at;
  std::string patron_group;
  std::string display_name;
  std::vector<ils::Block> blocks;
  ils::Cents fee_balance = 0;
  std::string currency;
  std::size_t loans = 0;
  std::size_t overdue = 0;
  std::size_t holds_available = 0;
  std::size_t holds_unavailable = 0;
  bool summary_complete = false;  ///< blocks and counts are all known (not from a bulk listing)
  /// When the blocks and counts were last read in full (a bulk listing keeps the earlier
  /// ones); nullopt when they never were.
  std::optional<ils::Timestamp> summary_at;
  ils::CredentialMode credential_mode = ils::CredentialMode::none;
  std::optional<ils::Timestamp> source_version;  ///< the library system's last change
  ils::Timestamp synced_at{};                    ///< when the gateway last read it
};

/// The record of a patron and its summary as read at `now`.
[[nodiscard]] Record make_record(const ils::Patron& patron, const ils::PatronSummary& summary,
                                 std::string currency, ils::CredentialMode mode,
                                 ils::Timestamp now);

/// CBOR bytes; decode returns nullopt for anything that is not a record of this format.
[[nodiscard]] std::string encode(const Record& r);
[[nodiscard]] std::optional<Record> decode(std::string_view bytes);

/// The age of what is oldest in a record: its personal part or its full summary (a record
/// whose summary was never read in full counts as infinitely old).
[[nodiscard]] std::chrono::seconds summary_age(const Record& r, ils::Timestamp now);

/// The patron as handlers see it (only the fields the cache keeps are set).
[[nodiscard]] ils::Patron patron_of(const Record& r);
/// The account as the status bitmap and 23/63 counts read it (no item lists).
[[nodiscard]] ils::PatronAccount account_of(const Record& r, ils::Timestamp now);

}  // namespace identity
