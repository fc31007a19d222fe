// Plain value types exchanged between the SIP2 handlers and any library-system backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ils/errc.hpp"

namespace ils {

/// A wall-clock instant (UTC), second precision, as library systems report dates.
using Timestamp = std::chrono::sys_seconds;

/// Money in minor units (cents); library systems send decimals, SIP sends "5.00".
using Cents = std::int64_t;

/// The request id and deadline that bound one backend call, including any login or refresh.
struct CallContext {
  std::string request_id;  ///< goes into X-Okapi-Request-Id (or the backend's equivalent)
  std::chrono::steady_clock::time_point deadline;
  /// A call that changes the library's state is not started with less than this left before
  /// the deadline (errc::insufficient_time): its answer could be lost after it took effect.
  std::chrono::milliseconds min_mutation_budget{0};
};

/// How a backend checks the patron's AD field.
enum class CredentialMode { none, pin, password };

/// The outcome of a credential check that reached the library system.
enum class CredentialCheck { valid, invalid, not_required };

/// Enough to address a patron in later calls (from a lookup or the identity cache).
struct PatronRef {
  std::string id;       ///< backend patron id (FOLIO users.id)
  std::string barcode;  ///< the backend's own barcode; FOLIO checkout/renew need it
};

/// A patron record as the library system knows it.
struct Patron {
  std::string id;
  std::string barcode;
  std::string username;
  std::string external_system_id;
  bool active = false;
  std::optional<Timestamp> expires_at;
  std::string patron_group_id;
  std::string patron_group;  ///< group name, e.g. "undergrad"; may be empty
  std::string first_name;
  std::string middle_name;
  std::string last_name;
  std::string preferred_first_name;
  std::string display_name;  ///< preferred-or-first, middle, last joined by spaces
  std::string email;
  std::string phone;
  std::string address;  ///< the primary (or first) address on one line
  std::optional<Timestamp> updated_at;

  [[nodiscard]] PatronRef ref() const { return {id, barcode}; }
};

/// Where a block comes from; only manual blocks can be lifted.
enum class BlockSource { manual, automated };

/// One patron block with what it forbids.
struct Block {
  std::string id;  ///< manual block id; empty for automated blocks
  BlockSource source = BlockSource::manual;
  bool borrowing = false;
  bool renewals = false;
  bool requests = false;
  std::string message;  ///< patronMessage, else desc, else the automated message
  std::optional<Timestamp> expires_at;
  bool created_by_gateway = false;  ///< carries the gateway marker (SIP 01)
};

/// A current loan (charged item).
struct Loan {
  std::string id;
  std::string item_id;
  std::string item_barcode;
  std::string title;
  std::string call_number;
  std::string material_type;
  std::string location;
  std::optional<Timestamp> loan_date;
  std::optional<Timestamp> due_date;
  bool overdue = false;
  std::uint32_t renewal_count = 0;  ///< renewals so far (FOLIO renewalCount)
  std::string user_id;
  std::string user_barcode;
};

/// The kind of a hold/request.
enum class HoldKind { hold, recall, page, other };

/// A patron's request on an item or title.
struct Hold {
  std::string id;
  HoldKind kind = HoldKind::hold;
  bool available = false;  ///< waiting on the hold shelf for the patron
  std::string status;      ///< the backend's raw status, e.g. "Open - Awaiting pickup"
  std::string requester_id;
  std::string requester_barcode;
  std::string item_id;
  std::string item_barcode;
  std::string instance_id;
  std::string title;
  int position = 0;
  std::string pickup_location_id;
  std::optional<Timestamp> request_date;
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> hold_shelf_expires_at;
};

/// One fee/fine account.
struct Fee {
  std::string id;
  std::string type;  ///< feeFineType, e.g. "Overdue fine"
  Cents amount = 0;
  Cents remaining = 0;
  std::string item_barcode;
  std::string title;
  std::optional<Timestamp> created_at;
};

/// Which parts of a patron account to fetch (each costs library-system calls).
struct AccountParts {
  bool loans = true;
  bool holds = true;
  bool recalls = true;
  bool fees = true;
  bool blocks = true;
};

/// Everything SIP 23/63 report about a patron, with totals.
struct PatronAccount {
  std::vector<Loan> loans;
  std::vector<Hold> holds_available;
  std::vector<Hold> holds_unavailable;
  std::vector<Hold> recalls;  ///< open recalls on the patron's loans
  std::vector<Fee> fees;      ///< open fees only
  std::vector<Block> blocks;
  Cents fee_total = 0;  ///< sum of open fees' remaining
  std::size_t overdue_count = 0;
  bool borrowing_blocked = false;
  bool renewals_blocked = false;
  bool requests_blocked = false;
};

/// What the identity cache keeps of a patron besides the record itself: enough for the 23
/// status bitmap and the 63 counts without a library-system call.
struct PatronSummary {
  std::vector<Block> blocks;  ///< manual and, when `complete`, automated
  Cents fee_balance = 0;      ///< sum of open fees' remaining
  std::size_t loans = 0;
  std::size_t overdue = 0;
  std::size_t holds_available = 0;
  std::size_t holds_unavailable = 0;
  /// False when a bulk listing could not compute everything (FOLIO's automated blocks and loan
  /// counts are per patron): the cache fetches the rest when the patron is first seen.
  bool complete = true;
};

/// A page of the library's patrons, for the identity cache's import and refresh.
struct PatronPageRequest {
  std::string cursor;  ///< empty: the first page; else the previous page's next_cursor
  std::size_t limit = 500;
  std::optional<Timestamp> updated_since;  ///< only patrons changed at or after this instant
};

struct PatronPage {
  std::vector<Patron> patrons;           ///< with updated_at
  std::vector<PatronSummary> summaries;  ///< one per patron, same order (complete may be false)
  std::string next_cursor;               ///< empty when this was the last page
  std::optional<std::size_t> total;      ///< patrons in the whole listing, when the system says
};

/// Item status, neutral; handlers map it to the SIP circulation status.
enum class ItemStatus {
  available,
  charged,
  on_hold_shelf,
  in_transit,
  recalled,
  on_order,
  in_process,
  claimed_returned,
  lost,
  missing,
  other,
};

/// The gateway's name of a status ("claimed_returned"), as profiles and configs write it.
constexpr std::string_view status_key(ItemStatus s) {
  constexpr std::string_view names[] = {
      "available",  "charged",          "on_hold_shelf", "in_transit", "recalled", "on_order",
      "in_process", "claimed_returned", "lost",          "missing",    "other"};
  return names[static_cast<std::size_t>(s)];
}

/// An item with its circulation state.
struct Item {
  std::string id;
  std::string barcode;
  std::string title;
  std::string call_number;
  ItemStatus status = ItemStatus::other;
  std::string status_name;  ///< the backend's raw status, e.g. "Checked out"
  std::string permanent_location;
  std::string current_location;  ///< effective location
  std::string material_type;
  std::string holdings_record_id;
  std::string instance_id;
  std::optional<Timestamp> due_date;
  std::optional<Timestamp> loan_date{};  ///< of the open loan, if charged
  std::uint32_t renewal_count = 0;       ///< renewals of the open loan, if charged
  std::size_t hold_queue_length = 0;
  std::string borrower_id;  ///< current loan's borrower, if charged
  std::string borrower_barcode;
  std::string hold_pickup_location;  ///< pickup service point of the request it is held for
};

/// A check-out to a patron.
struct CheckoutRequest {
  PatronRef patron;
  std::string item_barcode;
  std::string service_point_id;  ///< empty: the backend's configured default
  /// When the kiosk made the loan (its transaction time), sent as the loan's date; empty: now.
  std::optional<Timestamp> loan_date{};
  /// A due date the kiosk decided offline (SIP no-block due date); empty: the loan policy's.
  std::optional<Timestamp> due_date{};
  /// A no-block replay: the patron already has the item, so the library system's patron and
  /// item blocks must not refuse the loan (they are overridden, with override_comment).
  bool override_blocks = false;
  std::string override_comment{};  ///< why blocks were overridden; empty: a default text
};

/// A check-in (return) of an item.
struct CheckinRequest {
  std::string item_barcode;
  Timestamp return_date;
  std::string service_point_id;  ///< empty: the backend's configured default
  std::string session_id;        ///< optional, groups check-ins of one session
  /// Item statuses this return is refused for (errc::rejected, nothing changed): the library
  /// system's status name ("Lost and paid") or the gateway's (status_key: "lost"), any case.
  std::vector<std::string> refuse_statuses{};
};

/// Whether `item`'s status is one of `statuses` (see CheckinRequest::refuse_statuses).
bool status_listed(const Item& item, const std::vector<std::string>& statuses);

/// Why an item returned needs sorting or staff attention (SIP CV).
enum class CheckinAlert { none, hold, hold_in_transit, in_transit, other };

/// What a check-in did.
struct CheckinResult {
  Item item;
  bool had_loan = false;  ///< false for a "receiving" check-in with no open loan
  std::string borrower_id;
  std::string borrower_barcode;  ///< who had the item
  bool hold_trapped = false;
  std::string hold_patron_id;
  std::string hold_patron_barcode;
  std::string pickup_location_id;
  std::string in_transit_destination;  ///< service point name
  CheckinAlert alert = CheckinAlert::none;
  /// The check-in took effect but the item's open requests could not be read afterwards: the
  /// hold fields come from the item's status alone.
  std::optional<Failure> hold_check_failure;
};

/// A renewal of one loan.
struct RenewRequest {
  PatronRef patron;
  std::string item_barcode;
  std::string service_point_id;  ///< empty: the backend's configured default
};

/// An item renew-all could not renew, with the library system's reason.
struct Unrenewed {
  std::string item_barcode;
  std::string title;
  std::string reason;
};

/// The outcome of SIP 65 renew all.
struct RenewAllResult {
  std::vector<Loan> renewed;
  std::vector<Unrenewed> unrenewed;
};

/// Placing a hold on an item (SIP 15 mode '+').
struct HoldRequest {
  PatronRef patron;
  std::string item_barcode;
  std::string pickup_location_id;  ///< empty: the backend's configured default
  std::optional<Timestamp> expires_at;
};

/// Cancelling a patron's hold on an item (SIP 15 mode '-').
struct CancelHoldRequest {
  PatronRef patron;
  std::string item_barcode;
  std::string hold_id;  ///< optional; otherwise the patron's open hold on the item
};

/// A payment (SIP 37).
struct FeePayment {
  PatronRef patron;
  std::string fee_id;  ///< a fee id or unique prefix (SIP CG); empty: pay open fees in bulk
  Cents amount = 0;
  std::string payment_method;  ///< empty: the backend's configured default
  std::string transaction_id;  ///< SIP BK or the gateway job id, kept for reconciliation
  std::string operator_name;   ///< who takes the payment (SIP login user)
  /// Extension fields of the 37 the profile carries (e.g. "OR register1; RN 1234"); empty:
  /// none. Sent as the payment's comment.
  std::string comments;
};

/// The balance of one fee after a payment.
struct FeeBalance {
  std::string fee_id;
  Cents paid = 0;
  Cents remaining = 0;
};

/// What a payment did.
struct PaymentResult {
  Cents paid = 0;
  Cents remaining = 0;  ///< total remaining over the fees paid
  std::vector<FeeBalance> fees;
};

/// Blocking a patron (SIP 01).
struct BlockRequest {
  PatronRef patron;
  std::string reason;  ///< SIP AL blocked card message
  bool card_retained = false;
};

/// What enabling a patron (SIP 25) did.
struct EnableResult {
  std::size_t removed = 0;       ///< gateway-created blocks deleted
  std::vector<Block> remaining;  ///< blocks the gateway may not lift
};

/// Which operations a backend offers; SIP 98 BX and the handlers follow these.
struct Capabilities {
  bool patron_status = true;
  bool patron_information = true;
  bool checkout = true;
  bool checkin = true;
  bool item_information = true;
  bool renew = true;
  bool renew_all = true;
  bool hold = false;
  bool cancel_hold = false;
  bool fee_paid = false;
  bool block_patron = false;
  bool enable_patron = false;
  bool item_status_update = false;
  CredentialMode credential = CredentialMode::none;
};

}  // namespace ils
