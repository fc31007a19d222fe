// Library: fee/fine payments (mod-feesfines pay, check-pay and bulk pay actions).
#include <algorithm>
#include <cmath>
#include <optional>

#include "json_fields.hpp"
#include "library.hpp"
#include "money.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

std::int64_t remaining_cents(const json& account) {
  return std::llround(number(account, "remaining") * 100);
}

/// The reason mod-feesfines refuses `amount` against open accounts with `available` cents.
std::optional<std::string> refusal(const json& amount, std::optional<std::int64_t> cents,
                                   bool any_open, std::int64_t available) {
  const bool negative = (amount.is_number() && amount.get<double>() < 0) ||
                        (amount.is_string() && amount.get<std::string>().starts_with("-"));
  if (!cents && !negative) return "Invalid amount entered";
  if (!any_open) return "Fee/fine is already closed";
  if (negative || *cents <= 0) return "Amount must be positive";
  if (*cents > available) return "Requested amount exceeds remaining amount";
  return std::nullopt;
}

json missing_field(const char* key) {
  return {{"errors",
           {{{"message", "must not be null"},
             {"type", "1"},
             {"code", "javax.validation.constraints.NotNull.message"},
             {"parameters", {{{"key", key}, {"value", "null"}}}}}}}};
}

/// Takes `paid` cents off one account: updates it, stores the fee/fine action, writes the ledger.
json pay_account(LibraryState& s, json& account, std::int64_t paid, const json& body,
                 TimePoint now) {
  const std::int64_t balance = remaining_cents(account) - paid;
  const std::string type = balance == 0 ? "Paid fully" : "Paid partially";
  account["remaining"] = cents_to_number(balance);
  account["paymentStatus"] = {{"name", type}};
  if (balance == 0) account["status"] = {{"name", "Closed"}};
  json action = {{"id", new_uuid()},
                 {"accountId", text(account, "id")},
                 {"userId", text(account, "userId")},
                 {"typeAction", type},
                 {"amountAction", cents_to_number(paid)},
                 {"balance", cents_to_number(balance)},
                 {"dateAction", format_folio_time(now)},
                 {"createdAt", text(body, "servicePointId")},
                 {"source", text(body, "userName")},
                 {"paymentMethod", text(body, "paymentMethod")},
                 {"transactionInformation", text(body, "transactionInfo")},
                 {"comments", text(body, "comments")},
                 {"notify", flag(body, "notifyPatron")}};
  s.feefineactions.put(action);
  LedgerSubject subject = ledger_subject(nullptr, find_user(s, text(account, "userId")));
  subject.item_barcode = text(account, "barcode");
  subject.item_id = text(account, "itemId");
  subject.user_id = text(account, "userId");
  record_mutation(s, "pay", std::move(subject), now, now,
                  {{"account_id", text(account, "id")},
                   {"action_id", text(action, "id")},
                   {"amount", format_cents(paid)},
                   {"remaining", format_cents(balance)},
                   {"payment_method", text(action, "paymentMethod")},
                   {"transaction_information", text(action, "transactionInformation")},
                   {"comments", text(action, "comments")}});
  return action;
}

}  // namespace

FolioResult Library::pay(std::string_view account_id, const json& body) {
  return apply_payment({std::string(account_id)}, body, false, false);
}

FolioResult Library::check_pay(std::string_view account_id, const json& body) {
  return apply_payment({std::string(account_id)}, body, false, true);
}

FolioResult Library::pay_bulk(const json& body) {
  std::vector<std::string> ids;
  const json& listed = member(body, "accountIds");
  for (const auto& id : listed.is_array() ? listed : json::array()) {
    if (!id.is_string()) return tl::unexpected(FolioFailure{422, missing_field("accountIds"), {}});
    ids.push_back(id.get<std::string>());
  }
  if (ids.empty()) return tl::unexpected(FolioFailure{422, missing_field("accountIds"), {}});
  return apply_payment(ids, body, true, false);
}

FolioResult Library::apply_payment(const std::vector<std::string>& ids, const json& body, bool bulk,
                                   bool dry_run) {
  if (!dry_run) {
    for (const char* key :
         {"amount", "paymentMethod", "notifyPatron", "servicePointId", "userName"}) {
      if (member(body, key).is_null())
        return tl::unexpected(FolioFailure{422, missing_field(key), {}});
    }
  }
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  std::vector<json*> open;
  std::int64_t available = 0;
  for (const auto& id : ids) {
    json* account = state_.accounts.find(id);
    if (account == nullptr)
      return tl::unexpected(text_failure(404, "Fee/fine ID " + id + " not found"));
    if (text(*account, "status", "name") != "Open") continue;
    open.push_back(account);
    available += remaining_cents(*account);
  }
  const json& amount = member(body, "amount");
  const auto cents = json_cents(amount);
  json reply = bulk ? json{{"accountIds", ids}} : json{{"accountId", ids.front()}};
  reply["amount"] = cents ? json(format_cents(*cents)) : amount;
  if (auto reason = refusal(amount, cents, !open.empty(), available)) {
    if (dry_run) reply["allowed"] = false;
    reply["errorMessage"] = *reason;
    return tl::unexpected(FolioFailure{422, reply, {}});
  }
  reply["remainingAmount"] = format_cents(available - *cents);
  if (dry_run) {
    reply["allowed"] = true;
    return reply;
  }
  std::stable_sort(open.begin(), open.end(), [](const json* a, const json* b) {
    return text(*a, "dateCreated") < text(*b, "dateCreated");
  });
  json actions = json::array();
  std::int64_t left = *cents;
  for (json* account : open) {
    const std::int64_t paid = std::min(left, remaining_cents(*account));
    if (paid == 0) continue;
    left -= paid;
    actions.push_back(pay_account(state_, *account, paid, body, now));
  }
  reply["feefineactions"] = std::move(actions);
  return reply;
}

}  // namespace ils_emulator
