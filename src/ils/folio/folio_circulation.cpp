// Check-out, check-in, renew and renew-all (SIP 11/09/29/65) through mod-circulation.
#include <algorithm>

#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"

namespace ils::folio {
namespace {

bool is_transport(const Failure& failure) {
  return failure.code == errc::timeout || failure.code == errc::unavailable ||
         failure.code == errc::unauthorized;
}

Result<std::string> patron_barcode(const PatronRef& patron) {
  if (patron.barcode.empty()) return fail(errc::invalid_identifier, "patron has no barcode");
  return cql::normalize_identifier(patron.barcode);
}

/// FOLIO refuses an override without a comment.
constexpr const char* default_override_comment =
    "Self-service kiosk transaction replayed (no-block): the patron already has the item";

}  // namespace

Json FolioBackend::checkout_body(const CheckoutRequest& request, const std::string& item_barcode,
                                 const std::string& user_barcode) const {
  Json body{{"itemBarcode", item_barcode},
            {"userBarcode", user_barcode},
            {"servicePointId", service_point(request.service_point_id)}};
  // FOLIO computes the due date from loanDate, and records it as when the loan began.
  if (request.loan_date) body["loanDate"] = format_timestamp(*request.loan_date);
  if (request.override_blocks) {
    // A patron's manual and automated blocks, and the loan policy's item limit. FOLIO refuses
    // any of these unless the gateway's user has circulation.override-patron-block.post,
    // circulation.override-item-limit-block.post and circulation.override-item-not-loanable-
    // block.post (INSUFFICIENT_OVERRIDE_PERMISSIONS).
    Json overrides{{"patronBlock", Json::object()},
                   {"itemLimitBlock", Json::object()},
                   {"comment", request.override_comment.empty() ? default_override_comment
                                                                : request.override_comment}};
    // A not-loanable item can be lent only with a due date, which FOLIO then takes as given.
    if (request.due_date)
      overrides["itemNotLoanableBlock"] = {{"dueDate", format_timestamp(*request.due_date)}};
    body["overrideBlocks"] = std::move(overrides);
  }
  return body;
}

Result<void> FolioBackend::change_due_date(const CallContext& ctx, const std::string& loan_id,
                                           Timestamp due_date) {
  if (!cql::is_record_id(loan_id)) return fail(errc::bad_response, "loan without a valid id");
  auto json = okapi_->call(ctx, Call::post("circulation.change-due-date",
                                           "/circulation/loans/" + loan_id + "/change-due-date",
                                           Json{{"dueDate", format_timestamp(due_date)}}));
  if (!json) return tl::unexpected(json.error());
  return {};
}

Result<Loan> FolioBackend::checkout(const CallContext& ctx, const CheckoutRequest& request) {
  if (!config_.enabled.checkout) return fail(errc::not_supported, "Checkout not offered");
  auto user = patron_barcode(request.patron);
  if (!user) return tl::unexpected(user.error());
  auto item = cql::normalize_identifier(request.item_barcode);
  if (!item) return tl::unexpected(item.error());
  auto json =
      okapi_->call(ctx, Call::post("circulation.check-out", "/circulation/check-out-by-barcode",
                                   checkout_body(request, *item, *user)));
  if (!json) return tl::unexpected(json.error());
  Loan loan = loan_from_json(*json, now_utc());
  if (loan.item_barcode.empty()) loan.item_barcode = *item;
  if (loan.user_barcode.empty()) loan.user_barcode = *user;
  // check-out-by-barcode takes no due date (only an overridden not-loanable item gets one), so
  // a due date the kiosk decided is set afterwards. The loan exists whatever that call does:
  // should it fail, the loan keeps the policy's due date, which the caller sees in due_date.
  if (request.due_date && loan.due_date != request.due_date &&
      change_due_date(ctx, loan.id, *request.due_date)) {
    loan.due_date = request.due_date;
    loan.overdue = *loan.due_date < now_utc();
  }
  return loan;
}

Result<CheckinResult> FolioBackend::checkin(const CallContext& ctx, const CheckinRequest& request) {
  if (!config_.enabled.checkin) return fail(errc::not_supported, "Checkin not offered");
  auto before = inventory_item(ctx, request.item_barcode);
  if (!before) return tl::unexpected(before.error());
  const auto& refused = config_.invalid_checkin_statuses;
  if (std::find(refused.begin(), refused.end(), before->status_name) != refused.end() ||
      status_listed(*before, request.refuse_statuses))
    return fail(errc::rejected, "Item cannot be checked in: " + before->status_name);

  Json body{{"itemBarcode", before->barcode},
            {"servicePointId", service_point(request.service_point_id)},
            {"checkInDate", format_timestamp(request.return_date)}};
  if (!request.session_id.empty()) body["sessionId"] = request.session_id;
  auto json = okapi_->call(
      ctx, Call::post("circulation.check-in", "/circulation/check-in-by-barcode", std::move(body)));
  if (!json) return tl::unexpected(json.error());

  CheckinResult result;
  const Json& item = json->contains("item") ? (*json)["item"] : Json::object();
  result.item = item_from_json(item);
  if (result.item.id.empty()) result.item = *before;
  if (result.item.title.empty()) result.item.title = before->title;
  result.in_transit_destination = text(item, "inTransitDestinationServicePoint", "name");
  if (json->contains("loan") && (*json)["loan"].is_object()) {
    const Loan loan = loan_from_json((*json)["loan"], now_utc());
    result.had_loan = true;
    result.borrower_id = loan.user_id;
    result.borrower_barcode = loan.user_barcode;
  }

  // The item is back whatever happens next: a failed follow-up query must not turn a done
  // check-in into a failure (the kiosk would keep the item or the patron would retry).
  auto requests = open_requests_for_item(ctx, result.item.id, false);
  if (!requests) {
    result.hold_check_failure = requests.error();
  } else {
    const auto trapped = std::find_if(requests->begin(), requests->end(), [](const Hold& h) {
      return h.status == "Open - Awaiting pickup" || h.status == "Open - In transit";
    });
    if (trapped != requests->end()) {
      result.hold_trapped = true;
      result.hold_patron_id = trapped->requester_id;
      result.hold_patron_barcode = trapped->requester_barcode;
      result.pickup_location_id = trapped->pickup_location_id;
    }
    result.item.hold_queue_length = requests->size();
  }
  if (result.item.status == ItemStatus::in_transit)
    result.alert = result.hold_trapped ? CheckinAlert::hold_in_transit : CheckinAlert::in_transit;
  else if (result.hold_trapped || result.item.status == ItemStatus::on_hold_shelf)
    result.alert = CheckinAlert::hold;
  return result;
}

Result<Loan> FolioBackend::renew_loan(const CallContext& ctx, const std::string& user_barcode,
                                      const std::string& item_barcode,
                                      const std::string& service_point_id) {
  auto json = okapi_->call(ctx, Call::post("circulation.renew", "/circulation/renew-by-barcode",
                                           Json{{"itemBarcode", item_barcode},
                                                {"userBarcode", user_barcode},
                                                {"servicePointId", service_point_id}}));
  if (!json) return tl::unexpected(json.error());
  Loan loan = loan_from_json(*json, now_utc());
  if (loan.item_barcode.empty()) loan.item_barcode = item_barcode;
  if (!loan.due_date && cql::is_record_id(loan.item_id)) {
    // A renew response can lack the due date; edge-sip2 then re-reads the loan, and so do we.
    auto reread = open_loan_of_item(ctx, loan.item_id);
    if (reread) loan.due_date = reread->due_date;
  }
  return loan;
}

Result<Loan> FolioBackend::renew(const CallContext& ctx, const RenewRequest& request) {
  if (!config_.enabled.renew) return fail(errc::not_supported, "Renewal not offered");
  // The resolved user barcode, not the raw SIP AA: edge-sip2 sends AA as is, so its renewals fail
  // for patrons identified by username or externalSystemId.
  auto user = patron_barcode(request.patron);
  if (!user) return tl::unexpected(user.error());
  auto item = cql::normalize_identifier(request.item_barcode);
  if (!item) return tl::unexpected(item.error());
  return renew_loan(ctx, *user, *item, service_point(request.service_point_id));
}

Result<RenewAllResult> FolioBackend::renew_all(const CallContext& ctx, const PatronRef& patron) {
  if (!config_.enabled.renew_all) return fail(errc::not_supported, "Renew all not offered");
  auto user = patron_barcode(patron);
  if (!user) return tl::unexpected(user.error());
  if (!cql::is_record_id(patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  auto loans = open_loans(ctx, patron.id);
  if (!loans) return tl::unexpected(loans.error());
  RenewAllResult result;
  std::optional<Failure> broken;
  for (const Loan& loan : *loans) {
    if (broken) {
      result.unrenewed.push_back({loan.item_barcode, loan.title, broken->message});
      continue;
    }
    if (loan.item_barcode.empty()) {
      result.unrenewed.push_back({loan.item_barcode, loan.title, "Item has no barcode"});
      continue;
    }
    auto renewed = renew_loan(ctx, *user, loan.item_barcode, config_.service_point_id);
    if (renewed) {
      if (renewed->title.empty()) renewed->title = loan.title;
      result.renewed.push_back(std::move(*renewed));
      continue;
    }
    // A transport failure before anything was renewed fails the call; after, the rest is
    // reported unrenewed so the renewed ones are not lost.
    if (is_transport(renewed.error())) {
      if (result.renewed.empty()) return tl::unexpected(renewed.error());
      broken = renewed.error();
    }
    result.unrenewed.push_back({loan.item_barcode, loan.title, renewed.error().message});
  }
  return result;
}

}  // namespace ils::folio
