// The FOLIO adapter of ils::Backend (Okapi REST, as edge-sip2 calls it, plus SIP 15/01/25).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ils/backend.hpp"
#include "ils/call_observer.hpp"
#include "ils/folio/folio_config.hpp"

namespace ils::folio {

using Json = nlohmann::json;

/// The metrics hook: once per HTTP exchange, with an operation name such as "users.lookup".
using Observer = CallObserver;

/// A backend for one FOLIO tenant; `observer` may be empty. Never logs; returns errors.
[[nodiscard]] std::unique_ptr<Backend> make_backend(FolioConfig config, Observer observer = {});

class OkapiClient;
class PatronGroups;

/// Talks to one FOLIO tenant; thread-safe, one instance per tenant.
class FolioBackend final : public Backend {
 public:
  FolioBackend(FolioConfig config, Observer observer);
  ~FolioBackend() override;
  FolioBackend(const FolioBackend&) = delete;
  FolioBackend& operator=(const FolioBackend&) = delete;

  [[nodiscard]] Capabilities capabilities() const override;
  [[nodiscard]] Result<Patron> lookup_patron(const CallContext& ctx,
                                             std::string_view identifier) override;
  [[nodiscard]] Result<CredentialCheck> verify_credential(const CallContext& ctx,
                                                          const Patron& patron,
                                                          std::string_view secret) override;
  [[nodiscard]] Result<PatronAccount> patron_account(const CallContext& ctx,
                                                     const PatronRef& patron,
                                                     AccountParts parts) override;
  [[nodiscard]] Result<Item> item(const CallContext& ctx, std::string_view barcode) override;
  [[nodiscard]] Result<Loan> checkout(const CallContext& ctx,
                                      const CheckoutRequest& request) override;
  [[nodiscard]] Result<CheckinResult> checkin(const CallContext& ctx,
                                              const CheckinRequest& request) override;
  [[nodiscard]] Result<Loan> renew(const CallContext& ctx, const RenewRequest& request) override;
  [[nodiscard]] Result<RenewAllResult> renew_all(const CallContext& ctx,
                                                 const PatronRef& patron) override;
  [[nodiscard]] Result<Hold> place_hold(const CallContext& ctx,
                                        const HoldRequest& request) override;
  [[nodiscard]] Result<Hold> cancel_hold(const CallContext& ctx,
                                         const CancelHoldRequest& request) override;
  [[nodiscard]] Result<PaymentResult> pay_fee(const CallContext& ctx,
                                              const FeePayment& payment) override;
  /// GET /feefineactions by userId and transactionInformation (sent as transactionInfo).
  [[nodiscard]] Result<std::optional<PaymentResult>> find_payment(
      const CallContext& ctx, const PatronRef& patron, std::string_view transaction_id) override;
  [[nodiscard]] Result<Block> block_patron(const CallContext& ctx,
                                           const BlockRequest& request) override;
  [[nodiscard]] Result<EnableResult> enable_patron(const CallContext& ctx,
                                                   const PatronRef& patron) override;
  [[nodiscard]] Result<PatronSummary> patron_summary(const CallContext& ctx,
                                                     const PatronRef& patron) override;
  [[nodiscard]] Result<PatronPage> list_patrons(const CallContext& ctx,
                                                const PatronPageRequest& request) override;

 private:
  /// GET resource?query=…&limit=… (one search of a FOLIO collection).
  [[nodiscard]] Result<Json> search(const CallContext& ctx, std::string operation,
                                    const std::string& resource, std::string query, int limit);
  /// Every record of a search, following offsets while FOLIO's totalRecords says there is more.
  [[nodiscard]] Result<std::vector<Json>> search_all(const CallContext& ctx,
                                                     const std::string& operation,
                                                     const std::string& resource,
                                                     const std::string& query, const char* key);
  /// totalRecords of a search (asked with limit=0).
  [[nodiscard]] Result<std::size_t> count(const CallContext& ctx, std::string operation,
                                          const std::string& resource, std::string query);
  /// Fills patron_group from the cached /groups names.
  [[nodiscard]] Result<void> name_groups(const CallContext& ctx, std::vector<Patron>& patrons);
  /// Manual blocks and fee balances of a listing page, in bulk (complete == false).
  [[nodiscard]] Result<std::vector<PatronSummary>> page_summaries(
      const CallContext& ctx, const std::vector<Patron>& patrons);
  [[nodiscard]] Result<std::vector<Loan>> open_loans(const CallContext& ctx,
                                                     const std::string& user_id);
  [[nodiscard]] Result<std::vector<Hold>> open_holds(const CallContext& ctx,
                                                     const std::string& user_id);
  [[nodiscard]] Result<std::vector<Fee>> open_fees(const CallContext& ctx,
                                                   const std::string& user_id);
  [[nodiscard]] Result<std::vector<Block>> manual_blocks(const CallContext& ctx,
                                                         const std::string& user_id);
  [[nodiscard]] Result<std::vector<Block>> blocks(const CallContext& ctx,
                                                  const std::string& user_id);
  [[nodiscard]] Result<Item> inventory_item(const CallContext& ctx, std::string_view barcode);
  [[nodiscard]] Result<std::vector<Hold>> open_requests_for_item(const CallContext& ctx,
                                                                 const std::string& item_id,
                                                                 bool recalls_only);
  [[nodiscard]] Result<Loan> open_loan_of_item(const CallContext& ctx, const std::string& item_id);
  /// The check-out-by-barcode body: loanDate, and overrideBlocks for a no-block replay.
  [[nodiscard]] Json checkout_body(const CheckoutRequest& request, const std::string& item_barcode,
                                   const std::string& user_barcode) const;
  /// Moves an open loan's due date (POST /circulation/loans/{id}/change-due-date).
  [[nodiscard]] Result<void> change_due_date(const CallContext& ctx, const std::string& loan_id,
                                             Timestamp due_date);
  [[nodiscard]] Result<Loan> renew_loan(const CallContext& ctx, const std::string& user_barcode,
                                        const std::string& item_barcode,
                                        const std::string& service_point_id);
  [[nodiscard]] Result<Json> find_open_request(const CallContext& ctx,
                                               const CancelHoldRequest& request);
  [[nodiscard]] const std::string& service_point(const std::string& requested) const;

  FolioConfig config_;
  std::unique_ptr<OkapiClient> okapi_;
  std::unique_ptr<PatronGroups> groups_;
};

}  // namespace ils::folio
