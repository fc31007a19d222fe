// An in-memory ils::Backend for handler tests: a tiny library whose every call can be scripted.
//
// Start here when testing a handler. A FakeBackend answers like a small, well-behaved library
// system (patrons, PINs, items, accounts); a test then scripts what should go wrong:
//
//   fake::FakeBackend backend;
//   backend.add_patron(fake::patron("P1", "21234000000018"), "1234");
//   backend.add_item(fake::item("I1", "31234000000016", "The Hidden Orchard"));
//   backend.script(fake::Op::checkout, fake::Outcome::fail(ils::errc::unavailable));  // 1st call
//   backend.script(fake::Op::checkin, fake::Outcome::apply_then_lose(), 2);           // 2nd call
//
// and reads back what the handler asked for with calls() / count().
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ils/backend.hpp"

namespace fake {

/// Every Backend operation, to script and count calls by.
enum class Op {
  lookup_patron,
  verify_credential,
  patron_account,
  item,
  checkout,
  checkin,
  renew,
  renew_all,
  place_hold,
  cancel_hold,
  pay_fee,
  block_patron,
  enable_patron,
  update_item_status,
  patron_summary,
  list_patrons,
  find_payment,
};

/// What one scripted call does instead of its normal answer.
struct Outcome {
  enum class Kind {
    fail,             ///< answers `code` without changing anything
    apply_then_lose,  ///< changes the library's state, then answers `code` (a lost answer)
  };
  Kind kind = Kind::fail;
  ils::errc code = ils::errc::unavailable;
  std::string message;
  ils::Reason reason = ils::Reason::unspecified;

  /// Refuses or fails with any ils::errc (nothing is changed).
  [[nodiscard]] static Outcome fail(ils::errc code, std::string message = {}) {
    return {Kind::fail, code, std::move(message)};
  }
  /// The deadline passes before the library system answers (nothing is changed).
  [[nodiscard]] static Outcome time_out() { return fail(ils::errc::timeout, "timed out"); }
  /// The library system does the work but its answer is lost: the caller sees a timeout.
  [[nodiscard]] static Outcome apply_then_lose() {
    return {Kind::apply_then_lose, ils::errc::timeout, "answer lost"};
  }
  /// The library system does the work but the caller sees `code` (unavailable: a 5xx after it).
  [[nodiscard]] static Outcome apply_then_fail(ils::errc code, std::string message = {}) {
    return {Kind::apply_then_lose, code, std::move(message)};
  }
  /// A refusal (errc::rejected) carrying a reason a replay recognises (nothing is changed).
  [[nodiscard]] static Outcome refuse(ils::Reason reason, std::string message) {
    return {Kind::fail, ils::errc::rejected, std::move(message), reason};
  }
};

/// One call the backend received.
struct Call {
  Op op;
  std::string subject;  ///< the identifier, barcode or patron id the call was about
  std::chrono::steady_clock::time_point deadline;
};

/// A patron in good standing (active, no expiry) with this id and barcode.
[[nodiscard]] ils::Patron patron(std::string id, std::string barcode,
                                 std::string name = "Ada Reader");
/// An available item.
[[nodiscard]] ils::Item item(std::string id, std::string barcode, std::string title,
                             std::string material_type = "book");

/// An in-memory library system. Thread-safe; every call is recorded before it is answered.
class FakeBackend final : public ils::Backend {
 public:
  /// What capabilities() reports; by default everything but SIP 19, with PINs.
  ils::Capabilities caps = [] {
    ils::Capabilities c;
    c.hold = c.cancel_hold = c.fee_paid = c.block_patron = c.enable_patron = true;
    c.credential = ils::CredentialMode::pin;
    return c;
  }();
  /// Check-ins take effect but report that the item's open requests could not be read.
  std::optional<ils::Failure> hold_check_failure;
  /// When set, a check-in traps a hold for the patron with this barcode (alert: hold here).
  std::string hold_for_barcode;
  /// When set, a check-in sends the item in transit to this service point (alert: transit, or,
  /// with hold_for_barcode, a hold at another pickup point).
  std::string transit_to;
  /// Runs at the start of every call, before the fake takes its lock (calls otherwise run one
  /// at a time): a test can hold calls there to see how many are in flight at once. Set it
  /// before any thread calls.
  std::function<void(Op)> before_call;
  /// Whether list_patrons reports complete summaries (FOLIO's bulk listing does not).
  bool list_complete = true;
  /// Check-outs of a patron whose account (set_account) blocks borrowing are refused unless
  /// the request overrides blocks; off by default (the handlers check blocks themselves).
  bool refuse_blocked_checkouts = false;
  /// patron_account reports the items charged to the patron as its loans (after those
  /// set_account gave), as a library system would; off by default.
  bool loans_from_items = false;
  /// The "library system's clock", used for due dates.
  ils::Timestamp now =
      std::chrono::sys_days{std::chrono::year{2025} / 3 / 14} + std::chrono::hours{10};

  void add_patron(ils::Patron p, std::string pin = {});
  /// Replaces the patron with the same id (its PIN stays); as if changed at the library.
  void update_patron(ils::Patron p);
  /// Deletes a patron from the library.
  void remove_patron(const std::string& patron_id);
  /// Changes a patron's PIN at the library.
  void set_pin(const std::string& patron_id, std::string pin);
  /// The library checks no PIN of this patron: verify_credential answers not_required (until
  /// set_pin).
  void pin_not_required(const std::string& patron_id);
  void add_item(ils::Item i);
  /// Replaces a patron's account (loans, fees, blocks) as patron_account() reports it.
  void set_account(const std::string& patron_id, ils::PatronAccount a);
  /// The `nth` call (1-based, counted per operation) of `op` does `outcome`.
  void script(Op op, Outcome outcome, int nth = 1);

  [[nodiscard]] std::vector<Call> calls() const;
  [[nodiscard]] int count(Op op) const;
  /// The item as the library now knows it (after check-outs and check-ins).
  [[nodiscard]] std::optional<ils::Item> stored_item(const std::string& barcode) const;
  /// Check-in requests that took effect, in order (return dates included).
  [[nodiscard]] std::vector<ils::CheckinRequest> checkins() const;
  /// Check-out requests that took effect, in order (loan and due dates, overrides included).
  [[nodiscard]] std::vector<ils::CheckoutRequest> checkouts() const;
  /// Payments that took effect, in order (transaction ids included).
  [[nodiscard]] std::vector<ils::FeePayment> payments() const;

  [[nodiscard]] ils::Capabilities capabilities() const override { return caps; }
  [[nodiscard]] ils::Result<ils::Patron> lookup_patron(const ils::CallContext& ctx,
                                                       std::string_view identifier) override;
  [[nodiscard]] ils::Result<ils::CredentialCheck> verify_credential(
      const ils::CallContext& ctx, const ils::Patron& patron, std::string_view secret) override;
  [[nodiscard]] ils::Result<ils::PatronAccount> patron_account(const ils::CallContext& ctx,
                                                               const ils::PatronRef& patron,
                                                               ils::AccountParts parts) override;
  [[nodiscard]] ils::Result<ils::Item> item(const ils::CallContext& ctx,
                                            std::string_view barcode) override;
  [[nodiscard]] ils::Result<ils::Loan> checkout(const ils::CallContext& ctx,
                                                const ils::CheckoutRequest& request) override;
  [[nodiscard]] ils::Result<ils::CheckinResult> checkin(
      const ils::CallContext& ctx, const ils::CheckinRequest& request) override;
  [[nodiscard]] ils::Result<ils::Loan> renew(const ils::CallContext& ctx,
                                             const ils::RenewRequest& request) override;
  [[nodiscard]] ils::Result<ils::RenewAllResult> renew_all(const ils::CallContext& ctx,
                                                           const ils::PatronRef& patron) override;
  /// Adds the hold to the patron's account (holds_unavailable); a second hold on the same item
  /// is refused with Reason::already_requested. cancel_hold removes it.
  [[nodiscard]] ils::Result<ils::Hold> place_hold(const ils::CallContext& ctx,
                                                  const ils::HoldRequest& request) override;
  [[nodiscard]] ils::Result<ils::Hold> cancel_hold(const ils::CallContext& ctx,
                                                   const ils::CancelHoldRequest& request) override;
  [[nodiscard]] ils::Result<ils::PaymentResult> pay_fee(const ils::CallContext& ctx,
                                                        const ils::FeePayment& payment) override;
  /// The payment pay_fee took with this transaction id for this patron; nullopt when none.
  [[nodiscard]] ils::Result<std::optional<ils::PaymentResult>> find_payment(
      const ils::CallContext& ctx, const ils::PatronRef& patron,
      std::string_view transaction_id) override;
  /// From the account set_account() gave (counted as patron_summary, not patron_account).
  [[nodiscard]] ils::Result<ils::PatronSummary> patron_summary(
      const ils::CallContext& ctx, const ils::PatronRef& patron) override;
  /// Patrons ordered by id, `limit` a page; the cursor is the last id of the previous page;
  /// `updated_since` keeps patrons whose updated_at is at or after it.
  [[nodiscard]] ils::Result<ils::PatronPage> list_patrons(
      const ils::CallContext& ctx, const ils::PatronPageRequest& request) override;
  [[nodiscard]] ils::Result<ils::Block> block_patron(const ils::CallContext& ctx,
                                                     const ils::BlockRequest& request) override;
  [[nodiscard]] ils::Result<ils::EnableResult> enable_patron(const ils::CallContext& ctx,
                                                             const ils::PatronRef& patron) override;

 private:
  /// Records the call and runs `work` (under the lock) unless the script says otherwise.
  template <class T, class Work>
  ils::Result<T> run(Op op, std::string subject, const ils::CallContext& ctx, Work work);
  ils::Loan loan_of(const ils::Item& i) const;

  mutable std::mutex mutex_;
  std::vector<Call> calls_;
  std::map<std::pair<Op, int>, Outcome> script_;
  std::vector<ils::Patron> patrons_;
  std::map<std::string, std::string> pins_;  ///< patron id → PIN
  std::set<std::string> no_pin_;             ///< patron ids whose PIN is not checked
  std::map<std::string, ils::PatronAccount> accounts_;
  std::map<std::string, ils::Item> items_;  ///< by barcode
  std::vector<ils::CheckinRequest> checkins_;
  std::vector<ils::CheckoutRequest> checkouts_;
  /// Payments that took effect with what each answered.
  std::vector<std::pair<ils::FeePayment, ils::PaymentResult>> payments_;
};

}  // namespace fake
