// The library-system interface the SIP2 handlers talk to; one adapter per system (FOLIO first).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ils/errc.hpp"
#include "ils/types.hpp"

namespace ils {

/// One library system. Calls are synchronous, blocking and thread-safe: the gateway runs them
/// on a worker pool, never on its network thread. Each call honours ctx.deadline as a whole,
/// including any login or token refresh, and returns errc::timeout when it passes.
class Backend {
 public:
  virtual ~Backend() = default;

  /// What this backend offers (constant for its lifetime).
  [[nodiscard]] virtual Capabilities capabilities() const = 0;

  /// Finds a patron by a SIP patron identifier (barcode, external system id or username).
  /// An inactive patron is returned with active == false; an unknown one is errc::not_found.
  [[nodiscard]] virtual Result<Patron> lookup_patron(const CallContext& ctx,
                                                     std::string_view identifier) = 0;

  /// Checks a PIN or password against the library system, as the backend is configured.
  /// A wrong secret is CredentialCheck::invalid, not a Failure.
  [[nodiscard]] virtual Result<CredentialCheck> verify_credential(const CallContext& ctx,
                                                                  const Patron& patron,
                                                                  std::string_view secret) = 0;

  /// Loans, holds, recalls, open fees and blocks of a patron, with totals.
  [[nodiscard]] virtual Result<PatronAccount> patron_account(const CallContext& ctx,
                                                             const PatronRef& patron,
                                                             AccountParts parts) = 0;

  /// An item by barcode with its status, due date, hold queue and current borrower.
  [[nodiscard]] virtual Result<Item> item(const CallContext& ctx, std::string_view barcode) = 0;

  /// Checks an item out; the library system's refusal is errc::rejected with its message (an
  /// item already on loan: Reason::already_checked_out). The loan carries the due date the
  /// library system kept, which differs from request.due_date when it would not take that one.
  [[nodiscard]] virtual Result<Loan> checkout(const CallContext& ctx,
                                              const CheckoutRequest& request) = 0;

  /// Checks an item in; repeating a check-in is safe.
  [[nodiscard]] virtual Result<CheckinResult> checkin(const CallContext& ctx,
                                                      const CheckinRequest& request) = 0;

  /// Renews one loan of the patron; returns the loan with its new due date.
  [[nodiscard]] virtual Result<Loan> renew(const CallContext& ctx, const RenewRequest& request) = 0;

  /// Renews every open loan of the patron, one by one, reporting each refusal.
  [[nodiscard]] virtual Result<RenewAllResult> renew_all(const CallContext& ctx,
                                                         const PatronRef& patron) = 0;

  /// Places a hold on an item for the patron; the patron's second open request on the item is
  /// errc::rejected with Reason::already_requested.
  [[nodiscard]] virtual Result<Hold> place_hold(const CallContext& ctx,
                                                const HoldRequest& request) = 0;

  /// Cancels the patron's open hold on an item.
  [[nodiscard]] virtual Result<Hold> cancel_hold(const CallContext& ctx,
                                                 const CancelHoldRequest& request) = 0;

  /// Pays one fee (by id or unique id prefix) or, with no fee id, the open fees in bulk.
  /// Paying more than what remains is errc::rejected.
  [[nodiscard]] virtual Result<PaymentResult> pay_fee(const CallContext& ctx,
                                                      const FeePayment& payment) = 0;

  /// The payment the patron made with this transaction id (FeePayment::transaction_id), or
  /// nullopt when there is none: the read-back of a fee payment whose answer was lost, so that
  /// it is not paid twice. errc::not_supported when payments cannot be found by transaction id.
  [[nodiscard]] virtual Result<std::optional<PaymentResult>> find_payment(
      const CallContext& ctx, const PatronRef& patron, std::string_view transaction_id) {
    (void)ctx;
    (void)patron;
    (void)transaction_id;
    return fail(errc::not_supported);
  }

  /// Blocks the patron with a block the gateway marks as its own.
  [[nodiscard]] virtual Result<Block> block_patron(const CallContext& ctx,
                                                   const BlockRequest& request) = 0;

  /// Removes the blocks the gateway created; other blocks stay and are reported.
  [[nodiscard]] virtual Result<EnableResult> enable_patron(const CallContext& ctx,
                                                           const PatronRef& patron) = 0;

  /// Blocks, fee balance and counts of a patron, for the identity cache. The default reads them
  /// through patron_account; a backend may do it with fewer calls.
  [[nodiscard]] virtual Result<PatronSummary> patron_summary(const CallContext& ctx,
                                                             const PatronRef& patron);

  /// One page of all patrons (or of those changed since a time), ordered so that a listing
  /// resumed from a page's cursor neither skips nor repeats patrons. errc::not_supported when
  /// the library system cannot list patrons (the cache then fills on demand only).
  [[nodiscard]] virtual Result<PatronPage> list_patrons(const CallContext& ctx,
                                                        const PatronPageRequest& request) {
    (void)ctx;
    (void)request;
    return fail(errc::not_supported);
  }

  /// Changes an item's properties (SIP 19); most backends answer errc::not_supported.
  [[nodiscard]] virtual Result<Item> update_item_status(const CallContext& ctx,
                                                        std::string_view barcode,
                                                        std::string_view properties) {
    (void)ctx;
    (void)barcode;
    (void)properties;
    return fail(errc::not_supported);
  }
};

}  // namespace ils
