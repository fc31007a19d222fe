// The patron account of SIP 23/63: blocks, open fees, loans, recalls and holds, read with the FOLIO
// calls edge-sip2 makes for them.
#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"

namespace ils::folio {

Result<std::vector<Loan>> FolioBackend::open_loans(const CallContext& ctx,
                                                   const std::string& user_id) {
  auto json = search(ctx, "circulation.loans", "/circulation/loans",
                     cql::open_loans_of_user(user_id), config_.list_limit);
  if (!json) return tl::unexpected(json.error());
  std::vector<Loan> loans;
  const Timestamp now = now_utc();
  for (const auto& loan : array(*json, "loans"))
    loans.push_back(loan_from_json(loan, now));
  return loans;
}

Result<std::vector<Hold>> FolioBackend::open_holds(const CallContext& ctx,
                                                   const std::string& user_id) {
  auto json = search(ctx, "circulation.requests", "/circulation/requests",
                     cql::open_holds_of_user(user_id), config_.list_limit);
  if (!json) return tl::unexpected(json.error());
  std::vector<Hold> holds;
  for (const auto& request : array(*json, "requests"))
    holds.push_back(hold_from_json(request));
  return holds;
}

Result<PatronAccount> FolioBackend::patron_account(const CallContext& ctx, const PatronRef& patron,
                                                   AccountParts parts) {
  if (!cql::is_record_id(patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  PatronAccount account;
  if (parts.blocks) {
    auto found = blocks(ctx, patron.id);
    if (!found) return tl::unexpected(found.error());
    account.blocks = std::move(*found);
    for (const Block& block : account.blocks) {
      account.borrowing_blocked |= block.borrowing;
      account.renewals_blocked |= block.renewals;
      account.requests_blocked |= block.requests;
    }
  }
  if (parts.fees) {
    auto fees = open_fees(ctx, patron.id);
    if (!fees) return tl::unexpected(fees.error());
    account.fees = std::move(*fees);
    for (const Fee& fee : account.fees)
      account.fee_total += fee.remaining;
  }
  if (parts.loans || parts.recalls) {
    auto loans = open_loans(ctx, patron.id);
    if (!loans) return tl::unexpected(loans.error());
    account.loans = std::move(*loans);
    for (const Loan& loan : account.loans)
      account.overdue_count += loan.overdue ? 1 : 0;
  }
  if (parts.recalls) {
    // One query per loan, as edge-sip2 does; FOLIO offers no "recalls on my loans" search.
    for (const Loan& loan : account.loans) {
      auto recalls = open_requests_for_item(ctx, loan.item_id, /*recalls_only=*/true);
      if (!recalls) return tl::unexpected(recalls.error());
      for (Hold& recall : *recalls) {
        if (recall.item_barcode.empty()) recall.item_barcode = loan.item_barcode;
        if (recall.title.empty()) recall.title = loan.title;
        account.recalls.push_back(std::move(recall));
      }
    }
  }
  if (!parts.loans) account.loans.clear();
  if (parts.holds) {
    auto holds = open_holds(ctx, patron.id);
    if (!holds) return tl::unexpected(holds.error());
    for (Hold& hold : *holds)
      (hold.available ? account.holds_available : account.holds_unavailable)
          .push_back(std::move(hold));
  }
  return account;
}

}  // namespace ils::folio
