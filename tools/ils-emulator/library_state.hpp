// The emulated library: FOLIO records, policies, credentials and the circulation ledger.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "iso_time.hpp"
#include "record_store.hpp"
#include "synthetic_patrons.hpp"

namespace ils_emulator {

/// The parts of a FOLIO loan policy the emulator applies (rolling profile only).
struct LoanPolicy {
  std::string id;                     ///< loanPolicyId reported on loans
  std::string name;                   ///< loanPolicyName in renewal errors
  bool loanable = true;               ///< loanable
  bool renewable = true;              ///< renewable
  long long duration = 21;            ///< loansPolicy.period.duration
  std::string interval = "Days";      ///< Minutes, Hours, Days, Weeks, Months
  int renewal_limit = 0;              ///< renewalsPolicy.numberAllowed
  bool unlimited_renewals = false;    ///< renewalsPolicy.unlimited
  bool renew_from_due_date = true;    ///< renewFromId CURRENT_DUE_DATE (else SYSTEM_DATE)
  bool renewable_with_holds = false;  ///< requestManagement.holds.renewItemsWithRequest
};

/// One circulation rule: empty criteria match anything; the first matching rule wins.
struct CirculationRule {
  std::string patron_group_id;  ///< users.patronGroup, or empty
  std::string material_type;    ///< items.materialType.name, or empty
  std::string loan_policy_id;   ///< the policy to apply
};

/// A patron-block condition (mod-patron-blocks `patron-block-conditions`).
struct BlockCondition {
  std::string id;          ///< FOLIO's fixed condition id
  std::string name;        ///< e.g. "Maximum number of items charged out"
  bool borrowing = false;  ///< blockBorrowing
  bool renewals = false;   ///< blockRenewals
  bool requests = false;   ///< blockRequests
  std::string message;     ///< shown to the patron
};

/// A patron group with its block limits (`patron-block-limits`).
struct PatronGroup {
  std::string id;                        ///< patronGroup UUID on users
  std::string group;                     ///< group name
  std::string desc;                      ///< description
  std::map<std::string, double> limits;  ///< condition id -> limit value
};

/// Who and what one ledger entry concerns; any part may be empty.
struct LedgerSubject {
  std::string item_barcode;  ///< item concerned
  std::string item_id;       ///< its id
  std::string user_barcode;  ///< patron concerned
  std::string user_id;       ///< its id
};

/// One circulation mutation, for `GET /_emulator/ledger`.
struct LedgerEntry {
  long long seq = 0;        ///< 1, 2, 3, ... in order of the mutations
  std::string action;       ///< checkout, checkin, renew, change_due_date, pay, block, unblock,
                            ///< hold, cancel_hold
  LedgerSubject subject;    ///< item and patron
  std::string at;           ///< when it happened: the loan or check-in date sent, else recorded_at
  std::string recorded_at;  ///< emulated time it was applied
  nlohmann::json detail;    ///< extra facts (amount, request id, ...)
};

/// Everything the emulator serves.
struct LibraryState {
  RecordStore users, items, holdings, instances, service_points, locations, loan_policies;
  RecordStore loans{{"userId", "itemId"}}, requests{{"requesterId", "itemId"}};
  RecordStore accounts{{"userId"}}, manualblocks{{"userId"}};
  RecordStore feefines, feefineactions{{"userId", "transactionInformation"}};
  SyntheticPatrons synthetic;                            ///< --generate-patrons
  std::vector<PatronGroup> groups;                       ///< patron groups and limits
  std::vector<BlockCondition> conditions;                ///< automated block conditions
  std::vector<LoanPolicy> policies;                      ///< parsed loan policies
  std::vector<CirculationRule> rules;                    ///< ends with a catch-all rule
  std::map<std::string, std::string> service_passwords;  ///< service username -> password
  std::map<std::string, std::string> patron_passwords;   ///< patron username -> password
  std::map<std::string, std::string> pins;               ///< user id -> PIN
  std::vector<LedgerEntry> ledger;                       ///< circulation mutations so far
  std::chrono::seconds access_ttl{600};                  ///< access token lifetime
  std::chrono::seconds refresh_ttl{604800};              ///< refresh token lifetime
};

/// The user whose `barcode` is `barcode`, or nullptr; a generated patron is moved into the
/// user records first (pointers into them stay valid).
[[nodiscard]] nlohmann::json* user_by_barcode(LibraryState& s, std::string_view barcode);
/// The user with this id, or nullptr; a generated patron is moved into the user records first.
[[nodiscard]] nlohmann::json* find_user(LibraryState& s, std::string_view id);
/// A copy of the user with this id (stored or generated), or null; changes nothing.
[[nodiscard]] nlohmann::json user_record(const LibraryState& s, std::string_view id);
/// Sets `metadata.updatedDate` (and `createdDate` when missing) to `now`.
void touch_record(nlohmann::json& record, TimePoint now);
/// The item whose `barcode` is `barcode`, or nullptr.
[[nodiscard]] nlohmann::json* item_by_barcode(LibraryState& s, std::string_view barcode);
/// The open loan on the item, or nullptr.
[[nodiscard]] nlohmann::json* open_loan_for_item(LibraryState& s, std::string_view item_id);
/// Open requests on the item, in queue order (position).
[[nodiscard]] std::vector<nlohmann::json*> request_queue(LibraryState& s, std::string_view item_id);
/// Renumbers the open requests of the item 1..n.
void renumber_queue(LibraryState& s, std::string_view item_id);
/// The user's patron group, or nullptr.
[[nodiscard]] const PatronGroup* group_for(const LibraryState& s, const nlohmann::json& user);
/// The loan policy the circulation rules pick for this patron and item.
[[nodiscard]] const LoanPolicy& policy_for(const LibraryState& s, const nlohmann::json& user,
                                           const nlohmann::json& item);
/// False when `active` is false or `expirationDate` has passed (mod-circulation User.isInactive).
[[nodiscard]] bool user_is_active(const nlohmann::json& user, TimePoint now);
/// True when the user has an `expirationDate` in the past.
[[nodiscard]] bool user_is_expired(const nlohmann::json& user, TimePoint now);
/// "Last, First" as mod-circulation prints a personal name.
[[nodiscard]] std::string personal_name(const nlohmann::json& user);
/// The item's status name.
[[nodiscard]] std::string item_status(const nlohmann::json& item);
/// Sets the item's status name and date.
void set_item_status(nlohmann::json& item, std::string_view status, TimePoint now);
/// The ledger subject of `item` and `user` (either may be null).
[[nodiscard]] LedgerSubject ledger_subject(const nlohmann::json* item, const nlohmann::json* user);
/// Appends to the ledger: `at` is when the mutation took effect for the library (an event time
/// the caller sent), `now` when it was applied.
void record_mutation(LibraryState& s, std::string action, LedgerSubject subject, TimePoint at,
                     TimePoint now, nlohmann::json detail = nlohmann::json::object());
/// A fresh random UUID (version 4).
[[nodiscard]] std::string new_uuid();

}  // namespace ils_emulator
