// Library: renewals by barcode or id, with the loan policy's limits and the request queue, and
// due-date changes.
#include "due_date.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "patron_blocks.hpp"
#include "record_views.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

ValidationError policy_error(const LoanPolicy& policy, std::string message, std::string code = {}) {
  return {std::move(message),
          {{"loanPolicyId", policy.id}, {"loanPolicyName", policy.name}},
          std::move(code)};
}

/// Refusals that come from the request queue, the item status and the policy's limits.
std::vector<ValidationError> policy_errors(LibraryState& s, const json& loan, const json& item,
                                           const LoanPolicy& policy) {
  std::vector<ValidationError> errors;
  if (!policy.loanable) {
    errors.push_back(policy_error(policy, "item is not loanable"));
    return errors;
  }
  const auto queue = request_queue(s, text(item, "id"));
  for (const json* r : queue) {
    if (text(*r, "requestType") == "Recall") {
      errors.push_back({"items cannot be renewed when there is an active recall request",
                        {{"requestId", text(*r, "id")}},
                        "RENEWAL_BLOCKED_BY_RECALL"});
      break;
    }
  }
  const std::string status = item_status(item);
  if (status == "Declared lost" || status == "Claimed returned" || status == "Aged to lost") {
    errors.push_back({"item is " + status, {{"itemId", text(item, "id")}}, ""});
  }
  if (!policy.unlimited_renewals && integer(loan, "renewalCount") >= policy.renewal_limit) {
    errors.push_back(
        policy_error(policy, "loan at maximum renewal number", "LOAN_RENEWAL_LIMIT_REACHED"));
  }
  if (!policy.renewable) {
    errors.push_back(policy_error(policy, "loan is not renewable", "LOAN_NOT_RENEWABLE"));
  }
  if (!queue.empty() && text(*queue.front(), "requestType") == "Hold" &&
      !policy.renewable_with_holds) {
    errors.push_back(policy_error(policy,
                                  "Items with this loan policy cannot be renewed when there is "
                                  "an active, pending hold request",
                                  "RENEWAL_BLOCKED_BY_HOLD_REQUEST"));
  }
  return errors;
}

}  // namespace

FolioResult Library::renew_loan(json& loan, const json& user, json& item, TimePoint now) {
  std::vector<ValidationError> errors;
  if (!user_is_active(user, now)) {
    errors.push_back({"Cannot renew loan when user is inactive or expired",
                      {{"reason", "User is inactive."}},
                      ""});
  }
  for (auto& e : block_errors(state_, user, PatronAction::renewals, now)) {
    errors.push_back(std::move(e));
  }
  const LoanPolicy& policy = policy_for(state_, user, item);
  for (auto& e : policy_errors(state_, loan, item, policy))
    errors.push_back(std::move(e));
  const auto current_due = parse_iso_time(text(loan, "dueDate")).value_or(now);
  const TimePoint proposed = renewal_due_date(policy, current_due, now);
  if (errors.empty() && proposed <= current_due) {
    errors.push_back(policy_error(policy, "renewal would not change the due date",
                                  "RENEWAL_WOULD_NOT_CHANGE_DUE_DATE"));
  }
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));
  loan["dueDate"] = format_folio_time(proposed);
  loan["renewalCount"] = integer(loan, "renewalCount") + 1;
  loan["action"] = "renewed";
  loan["loanPolicyId"] = policy.id;
  if (item_status(item) != "Checked out") set_item_status(item, "Checked out", now);
  record_mutation(state_, "renew", ledger_subject(&item, &user), now, now,
                  {{"loan_id", text(loan, "id")},
                   {"due_date", format_folio_time(proposed)},
                   {"renewal_count", integer(loan, "renewalCount")}});
  return loan_view(state_, loan);
}

FolioResult Library::renew_by_barcode(const json& body) {
  std::lock_guard lock(mutex_);
  const std::string item_barcode = text(body, "itemBarcode");
  const std::string user_barcode = text(body, "userBarcode");
  std::vector<ValidationError> errors;
  json* user = user_by_barcode(state_, user_barcode);
  json* item = item_by_barcode(state_, item_barcode);
  if (user == nullptr) {
    errors.push_back({"Could not find user with matching barcode",
                      {{"userBarcode", user_barcode}},
                      "USER_BARCODE_NOT_FOUND"});
  }
  if (item == nullptr) {
    errors.push_back({"No item with barcode " + item_barcode + " exists",
                      {{"itemBarcode", item_barcode}},
                      "ITEM_BARCODE_NOT_FOUND"});
  }
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));
  json* loan = open_loan_for_item(state_, text(*item, "id"));
  if (loan == nullptr || text(*loan, "userId") != text(*user, "id")) {
    return tl::unexpected(validation_failure({{"Cannot renew item checked out to different user",
                                               {{"userBarcode", user_barcode}},
                                               ""}}));
  }
  return renew_loan(*loan, *user, *item, clock_.now());
}

FolioResult Library::renew_by_id(const json& body) {
  std::lock_guard lock(mutex_);
  const std::string item_id = text(body, "itemId");
  const std::string user_id = text(body, "userId");
  json* user = find_user(state_, user_id);
  json* item = state_.items.find(item_id);
  json* loan = item ? open_loan_for_item(state_, item_id) : nullptr;
  if (user == nullptr || item == nullptr || loan == nullptr || text(*loan, "userId") != user_id) {
    return tl::unexpected(validation_failure(
        {{"No open loan for the item and user", {{"itemId", item_id}, {"userId", user_id}}, ""}}));
  }
  return renew_loan(*loan, *user, *item, clock_.now());
}

FolioResult Library::change_due_date(std::string_view loan_id, const json& body) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  json* loan = state_.loans.find(loan_id);
  if (loan == nullptr) return tl::unexpected(text_failure(404, "Loan not found"));
  const auto due = parse_iso_time(text(body, "dueDate"));
  if (!due) {
    return tl::unexpected(
        validation_failure({{"A new due date is required in order to change the due date",
                             {{"dueDate", text(body, "dueDate")}},
                             ""}}));
  }
  if (text(*loan, "status", "name") != "Open") {
    return tl::unexpected(
        validation_failure({{"Loan is closed", {{"loanId", std::string(loan_id)}}, ""}}));
  }
  (*loan)["dueDate"] = format_folio_time(*due);
  (*loan)["action"] = "dueDateChanged";
  const json* item = state_.items.find(text(*loan, "itemId"));
  const json* user = find_user(state_, text(*loan, "userId"));
  record_mutation(state_, "change_due_date", ledger_subject(item, user), now, now,
                  {{"loan_id", std::string(loan_id)}, {"due_date", format_folio_time(*due)}});
  return json();
}

}  // namespace ils_emulator
