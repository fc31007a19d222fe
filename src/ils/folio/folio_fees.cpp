// Open fees and fee payment (SIP 37) through mod-feesfines, refusing overpayment locally.
#include <algorithm>
#include <map>

#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"
#include "ils/http_util.hpp"

namespace ils::folio {
namespace {

/// Fills per-fee balances from feefineactions[] (the last action per account wins).
PaymentResult payment_result(const Json& json, Cents amount) {
  PaymentResult result;
  result.paid = amount;
  std::map<std::string, FeeBalance> by_account;
  std::vector<std::string> order;
  for (const auto& action : array(json, "feefineactions")) {
    const std::string id = text(action, "accountId");
    if (!by_account.contains(id)) order.push_back(id);
    FeeBalance& balance = by_account[id];
    balance.fee_id = id;
    if (action.contains("amountAction"))
      balance.paid += to_cents(action["amountAction"]).value_or(0);
    if (action.contains("balance")) balance.remaining = to_cents(action["balance"]).value_or(0);
  }
  for (const std::string& id : order) {
    result.remaining += by_account[id].remaining;
    result.fees.push_back(by_account[id]);
  }
  if (json.contains("remainingAmount"))
    result.remaining = to_cents(json["remainingAmount"]).value_or(result.remaining);
  return result;
}

/// SIP CG names a fee by a unique prefix of its id, or starts with the whole id (edge-sip2).
bool names_fee(std::string_view cg, std::string_view id) {
  if (id.empty()) return false;
  const std::size_t n = std::min(cg.size(), id.size());
  return iequals(cg.substr(0, n), id.substr(0, n));
}

}  // namespace

Result<std::vector<Fee>> FolioBackend::open_fees(const CallContext& ctx,
                                                 const std::string& user_id) {
  auto json =
      search(ctx, "accounts.list", "/accounts", cql::open_fees_of_user(user_id), config_.fee_limit);
  if (!json) return tl::unexpected(json.error());
  std::vector<Fee> fees;
  for (const auto& account : array(*json, "accounts"))
    fees.push_back(fee_from_json(account));
  return fees;
}

Result<PaymentResult> FolioBackend::pay_fee(const CallContext& ctx, const FeePayment& payment) {
  if (!config_.enabled.fee_paid) return fail(errc::not_supported, "Fee payment not offered");
  if (!cql::is_record_id(payment.patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  if (payment.amount <= 0) return fail(errc::rejected, "Amount must be positive");
  auto fees = open_fees(ctx, payment.patron.id);
  if (!fees) return tl::unexpected(fees.error());

  std::vector<const Fee*> chosen;
  if (!payment.fee_id.empty()) {
    auto prefix = cql::normalize_identifier(payment.fee_id);
    if (!prefix) return tl::unexpected(prefix.error());
    for (const Fee& fee : *fees)
      if (names_fee(*prefix, fee.id)) chosen.push_back(&fee);
    if (chosen.empty()) return fail(errc::not_found, "Fee/fine not found");
    if (chosen.size() > 1) return fail(errc::rejected, "Fee/fine id is ambiguous");
  } else {
    for (const Fee& fee : *fees)
      if (fee.remaining > 0) chosen.push_back(&fee);
    if (chosen.empty()) return fail(errc::not_found, "No open fees/fines");
  }
  Cents remaining = 0;
  for (const Fee* fee : chosen)
    remaining += fee->remaining;
  if (payment.amount > remaining)
    return fail(errc::rejected, "Requested amount exceeds remaining amount");

  Json body{{"amount", format_amount(payment.amount)},
            {"paymentMethod",
             payment.payment_method.empty() ? config_.payment_method : payment.payment_method},
            {"notifyPatron", config_.notify_patron},
            {"servicePointId", config_.service_point_id},
            {"userName", payment.operator_name.empty() ? config_.username : payment.operator_name}};
  if (!payment.transaction_id.empty()) body["transactionInfo"] = payment.transaction_id;
  if (!payment.comments.empty()) body["comments"] = payment.comments;
  std::string operation = "accounts.bulk-pay";
  std::string path = "/accounts-bulk/pay";
  if (!payment.fee_id.empty()) {
    operation = "accounts.pay";
    path = "/accounts/" + HttpClient::escape(chosen.front()->id) + "/pay";
  } else {
    Json ids = Json::array();
    for (const Fee* fee : chosen)
      ids.push_back(fee->id);
    body["accountIds"] = std::move(ids);
  }
  auto json = okapi_->call(ctx, Call::post(operation, path, std::move(body)));
  if (!json) return tl::unexpected(json.error());
  PaymentResult result = payment_result(*json, payment.amount);
  if (result.fees.empty()) result.remaining = remaining - payment.amount;
  return result;
}

Result<std::optional<PaymentResult>> FolioBackend::find_payment(const CallContext& ctx,
                                                                const PatronRef& patron,
                                                                std::string_view transaction_id) {
  if (!config_.enabled.fee_paid) return fail(errc::not_supported, "Fee payment not offered");
  if (!cql::is_record_id(patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  auto id = cql::normalize_identifier(transaction_id);
  if (!id) return tl::unexpected(id.error());
  auto json = search(ctx, "feefineactions.find", "/feefineactions",
                     cql::payment_actions(patron.id, *id), config_.fee_limit);
  if (!json) return tl::unexpected(json.error());
  // Only the payment's own actions: "Paid fully" or "Paid partially" (a refund or a waive
  // could carry the same text). Oldest first, so each fee's last action holds its balance.
  Json actions = Json::array();
  Cents paid = 0;
  for (const auto& action : array(*json, "feefineactions")) {
    if (!text(action, "typeAction").starts_with("Paid")) continue;
    if (action.contains("amountAction")) paid += to_cents(action["amountAction"]).value_or(0);
    actions.push_back(action);
  }
  if (actions.empty()) return std::optional<PaymentResult>{};
  return std::optional<PaymentResult>{payment_result(Json{{"feefineactions", actions}}, paid)};
}

}  // namespace ils::folio
